"""Task detection and the multi-label / span report for the open dataset (cached).

The visitor's task options (``--task``, ``--question``, ``--label-sep`` of the command line)
live in the session; results are cached by the file's digest and the options, like
:mod:`dashboard.state`. The report comes from the one path of the command line
(``AnnotationDataset.from_task_load`` then ``build_report``); span adjudications are saved
in the shared workspace (``analysis.workspace.set_final_spans``), keyed by the dataset's
fingerprint, so they outlive the session and reach ``python -m analysis gold export``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import streamlit as st

from analysis.base.errors import AnnotationDataError
from analysis.data.dataset import AnnotationDataset
from dashboard import state
from dashboard.i18n import t

if TYPE_CHECKING:
    from analysis.data.loaded import TaskLoad
    from analysis.io.json_export import ParsedJson
    from analysis.report import TaskReport

# The task reader, the report builder and the workspace are imported where they are used:
# a single-label table (the default sample) is detected without them, so the Overview's
# cards do not wait for them.

TASK_OPTIONS_KEY: Final = "task_options"


@dataclass(frozen=True)
class TaskOptions:
    """What the visitor chose on the task page; hashable, so it keys the caches."""

    task: str | None = None
    question: str | None = None
    label_sep: str | None = None


def current_task_options() -> TaskOptions:
    """The visitor's task options (detection by default)."""
    return st.session_state.get(TASK_OPTIONS_KEY) or TaskOptions()


def set_task_options(options: TaskOptions) -> None:
    """Replace the task options (the next reading uses them)."""
    st.session_state[TASK_OPTIONS_KEY] = options


@st.cache_data(show_spinner=False, max_entries=16)
def _task_load(digest: str, name: str, options: TaskOptions, _data: bytes,
               _parsed: ParsedJson | None) -> TaskLoad:
    from analysis.io.load_task import load_task

    return load_task(_data, name=name, task=options.task, question=options.question,
                     label_sep=options.label_sep, parsed=_parsed)


def task_load() -> TaskLoad | None:
    """The open dataset read with the task options; None without a dataset.

    Raises
    ------
    AnnotationDataError
        When the file cannot be read.
    """
    dataset = state.current_dataset()
    if dataset is None:
        return None
    return _task_load(dataset.digest, dataset.name, current_task_options(), dataset.data,
                      state.parsed_json())


TABLE_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".pq")


@st.cache_data(show_spinner=False, max_entries=16)
def _span_table(digest: str, name: str, _data: bytes) -> bool:
    from analysis.io.spans_table import looks_like_span_table

    return looks_like_span_table(_data, name=name)


def current_task() -> str | None:
    """``single_label``, ``multi_label`` or ``spans``; None without a dataset or when the
    file cannot be read (the pages then show the loader's own message).

    A table read with the default task options is single-label when the single-label
    loader (whose result the pages share) reads it and its header is not that of a table of
    one span per row (start and end columns); only otherwise is it read again.
    """
    dataset = state.current_dataset()
    if dataset is None:
        return None
    if (current_task_options() == TaskOptions()
            and dataset.name.casefold().endswith(TABLE_SUFFIXES)
            and not _span_table(dataset.digest, dataset.name, dataset.data)):
        try:
            state.load_current()
        except AnnotationDataError:
            pass
        else:
            return "single_label"
    try:
        loaded = task_load()
    except AnnotationDataError:
        return None
    return None if loaded is None else loaded.task


@st.cache_resource(show_spinner=False, max_entries=8)
def _task_dataset(digest: str, options: TaskOptions, _loaded: TaskLoad) -> AnnotationDataset:
    # a resource: one immutable dataset per file and options, shared without a copy
    return AnnotationDataset.from_task_load(_loaded)


def task_dataset() -> AnnotationDataset | None:
    """The open multi-label or span dataset (``task_data`` holds the judgements), or None."""
    loaded = task_load()
    if loaded is None or loaded.data is None:
        return None
    return _task_dataset(state.current_dataset().digest, current_task_options(), loaded)


@st.cache_resource(show_spinner=False, max_entries=8)
def _task_result(digest: str, options: TaskOptions, bootstrap: int, seed: int,
                 _dataset: AnnotationDataset) -> TaskReport:
    from analysis.report import TaskReport, build_report

    # the one report path of the command line: build_report dispatches on the task
    # (a task dataset always gives a TaskReport)
    return cast(TaskReport, build_report(_dataset, bootstrap=bootstrap, seed=seed, consensus=True))


def analysis_task_report() -> TaskReport | None:
    """The typed multi-label or span report (with consensus) of the open dataset, or None."""
    dataset = task_dataset()
    if dataset is None:
        return None
    with st.spinner(t("overview.computing")):
        return _task_result(state.current_dataset().digest, current_task_options(),
                            state.bootstrap_resamples(), state.seed(), dataset)


@st.cache_data(show_spinner=False, max_entries=16)
def _task_report_dict(digest: str, options: TaskOptions, bootstrap: int, seed: int,
                      _result: TaskReport) -> dict[str, Any]:
    return _result.to_dict()


def task_report() -> dict[str, Any] | None:
    """The multi-label or span report as the CLI's JSON (``TaskReport.to_dict()``), or None."""
    result = analysis_task_report()
    if result is None:
        return None
    return _task_report_dict(state.current_dataset().digest, current_task_options(),
                             state.bootstrap_resamples(), state.seed(), result)


@st.cache_data(show_spinner=False, max_entries=16)
def _task_fingerprint(digest: str, options: TaskOptions, _table: Any) -> str:
    from analysis.workspace import dataset_fingerprint

    return dataset_fingerprint(_table)


def task_fingerprint() -> str | None:
    """The open span or multi-label dataset's fingerprint (how the workspace knows it)."""
    dataset = task_dataset()
    if dataset is None:
        return None
    return _task_fingerprint(state.current_dataset().digest, current_task_options(),
                             dataset.table)


def adjudicated() -> dict[str, list[tuple[int, int, str]]]:
    """Saved span adjudications of the open dataset (workspace): document -> final spans.

    Empty when the workspace cannot be opened (the page says so).
    """
    from analysis.workspace import latest_span_adjudications

    workspace, fingerprint = state.workspace(), task_fingerprint()
    if workspace is None or fingerprint is None:
        return {}
    return latest_span_adjudications(workspace, fingerprint)


def save_final_spans(item_id: str, spans: list[tuple[int, int, str]] | None, *,
                     text: str | None, author: str | None) -> None:
    """Save (``spans``) or clear (``None``) a document's final spans in the workspace.

    Raises
    ------
    AnalysisError
        Bad spans, or a workspace that refuses the write (read-only, locked, full disk).
    """
    from analysis.workspace import set_final_spans

    workspace, fingerprint = state.workspace(), task_fingerprint()
    if workspace is None or fingerprint is None:
        return
    set_final_spans(workspace, fingerprint, item_id, spans, text=text, author=author)
