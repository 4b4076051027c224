"""One cached path from the open file to its report, for every task type.

file bytes -> loaded export -> dataset -> report, each step computed once:

* **Loaded export** (``st.cache_data``, keyed by the file's SHA-256 digest and the
  :class:`~dashboard.state.session.LoadOptions`): :func:`analysis.io.load_task.load_task`
  reads the file once, detects its task and returns the single-label ``LoadResult`` in
  ``.single`` or the multi-label / span judgements in ``.data``. A JSON export's records
  are parsed once per file (``st.cache_resource``) and handed to it, so changing an
  option does not parse the file again.
* **Dataset** (``st.cache_resource``): the immutable
  :class:`~analysis.data.dataset.AnnotationDataset` built from that load
  (:meth:`~analysis.data.dataset.AnnotationDataset.from_task_load`), shared without a copy.
* **Report** (``st.cache_resource``): ``build_report`` once per file, options, level,
  bootstrap and seed - an :class:`~analysis.report.AgreementReport` for single-label data
  (which keeps the tables it computes on first use), a ``TaskReport`` for multi-label
  and span data - and its JSON dict once.

Cached functions take hashable arguments only (bytes and objects ride along as
``_``-prefixed, unhashed arguments), so two visitors opening the same bytes share the
result, and they never draw a widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import streamlit as st

from analysis.base.errors import AnnotationDataError
from analysis.data.dataset import AnnotationDataset
from analysis.data.levels import LEVELS, Level
from analysis.diagnostics import SuggestedLevel, suggested_level_of
from analysis.metrics.bands import interpret_metric
from analysis.metrics.overall import AgreementSummary, agreement_summary
from analysis.metrics.result import jsonable
from dashboard.i18n import t
from dashboard.state import session
from dashboard.state.session import LoadOptions

if TYPE_CHECKING:
    import pandas as pd

    from analysis.io import LoadResult
    from analysis.io.json_export import ParsedJson
    from analysis.io.load_task import TaskLoad
    from analysis.model_annotators.section import ModelsSection
    from analysis.report import AgreementReport, TaskReport

# The task reader, the report builder and the model comparison are imported where they are
# used: the Overview draws its cards before the report builder is needed.

JSON_FORMATS: Final = (None, "auto", "json", "jsonl", "label-studio", "prodigy", "wide")
"""Load formats under which the file is read as a JSON export."""


@st.cache_resource(show_spinner=False, max_entries=8)
def _parsed(digest: str, name: str, encoding: str | None, jsonl: bool, _data: bytes) -> ParsedJson | None:
    # A resource: the records are shared read-only (never copied) by every load of the
    # file, whatever the other options.
    from analysis.io.json_export import read_json_export

    return read_json_export(_data, file=name, encoding=encoding, format="jsonl" if jsonl else None)


def parsed_json() -> ParsedJson | None:
    """The open file's JSON records, parsed once per file (None when it is not JSON, or
    the load options read it as another format)."""
    file = session.current_file()
    options = session.load_options()
    if file is None or options.format not in JSON_FORMATS:
        return None
    return _parsed(file.digest, file.name, options.encoding, options.format == "jsonl", file.data)


@st.cache_data(show_spinner=False, max_entries=16)
def _load(digest: str, name: str, options: LoadOptions, _data: bytes, _parsed: ParsedJson | None) -> TaskLoad:
    from analysis.io import ColumnMapping
    from analysis.io.annotator_kinds import mark_task_models
    from analysis.io.load_task import load_task

    loaded = load_task(
        _data,
        name=name,
        task=options.task,
        question=options.question,
        label_sep=options.label_sep,
        format=options.format,
        mapping=ColumnMapping(**dict(options.mapping)) if options.mapping else None,
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        label_merges=dict(options.label_merges) or None,
        parsed=_parsed,
    )
    if not (options.models or options.humans or options.model_prefixes is not None):
        return loaded
    # the Models page's marking, as the command line's --model-annotators and --model-prefixes
    return mark_task_models(loaded, models=options.models, humans=options.humans,
                            prefixes=options.model_prefixes)


def loaded_export() -> TaskLoad | None:
    """The open file read with the visitor's load options (any task type), or None
    without a file.

    Raises
    ------
    AnnotationDataError
        When the file cannot be read; pages show it with
        :func:`dashboard.components.feedback.shown_errors`.
    """
    file = session.current_file()
    if file is None:
        return None
    return _load(file.digest, file.name, session.load_options(), file.data, parsed_json())


def load_result() -> LoadResult | None:
    """The single-label load of the open file (canonical table and load report), or None
    without a file or for multi-label and span data.

    Raises
    ------
    AnnotationDataError
        When the file cannot be read.
    """
    loaded = loaded_export()
    return None if loaded is None else loaded.single


def current_task() -> str | None:
    """The open file's task type (``single_label``, ``multi_label``, ``spans`` or a
    registered one); None without a file or when the file cannot be read (the pages then show the loader's own message)."""
    try:
        loaded = loaded_export()
    except AnnotationDataError:
        return None
    return None if loaded is None else loaded.task


def one_label_per_item(task: str | None) -> bool:
    """Whether the task type ``task`` has one label per item (the single-label pages, the
    level of measurement and the cards apply); True without a dataset (None)."""
    if task is None:
        return True
    # start-up: the task registry (and the task's module) load once a dataset is open
    from analysis.report.task_registry import task_traits

    return task_traits(task).one_label_per_item


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(digest: str, options: LoadOptions, _loaded: TaskLoad) -> AnnotationDataset:
    # A resource, not data: one immutable object per file and options, handed to every
    # analysis without the copy st.cache_data makes on each access.
    return AnnotationDataset.from_task_load(_loaded, include_models=options.include_models)


def _key() -> tuple[str, LoadOptions]:
    file = session.current_file()
    return (file.digest if file else ""), session.load_options()


def _read_dataset() -> AnnotationDataset | None:
    """The open file's dataset as read (single-label data at the nominal level)."""
    loaded = loaded_export()
    if loaded is None:
        return None
    return _dataset(*_key(), loaded)


def suggested_level() -> SuggestedLevel | None:
    """The level the open single-label dataset's labels suggest
    (:func:`analysis.diagnostics.suggest_level`, once per dataset: the report reuses it);
    None for other data."""
    read = _read_dataset()
    if read is None or not one_label_per_item(read.task):
        return None
    return suggested_level_of(read)


def current_level() -> Level:
    """The level picked on the Overview; until one is picked, the suggested level when
    the labels leave little doubt, else ``nominal``."""
    level = session.chosen_level()
    if level is None:
        suggestion = suggested_level()
        level = suggestion.level if suggestion is not None and suggestion.clear else "nominal"
    return level if level in LEVELS else "nominal"  # type: ignore[return-value]


def current_dataset() -> AnnotationDataset | None:
    """The open dataset as the analyses take it, or None when none is open.

    Single-label data at the level picked on the Overview (table, matrix built once, load
    report); multi-label and span data with their judgements in ``task_data``.

    Raises
    ------
    AnnotationDataError
        When the file cannot be read.
    """
    read = _read_dataset()
    if read is None or not one_label_per_item(read.task):
        return read
    return read.with_level(current_level())


def current_table() -> pd.DataFrame | None:
    """The canonical table of the open dataset, or None when none is open: the humans'
    judgements (with the models' only when the load options include them)."""
    current = _read_dataset()
    return None if current is None else current.table


@st.cache_resource(show_spinner=False, max_entries=32)
def _headline(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, _dataset: AnnotationDataset
) -> AgreementSummary:
    # Without the pairwise kappas (Cohen's, Light's): they need the annotator pairs' tables
    # and SciPy's sparse matrices, and no card shows them. The same resamples give the
    # cards' intervals; the full report computes its own summary, with the same numbers.
    return agreement_summary(_dataset, bootstrap_resamples=bootstrap, seed=seed, pairwise=False)


def headline() -> dict[str, Any] | None:
    """The Overview's cards before the rest of the report: ``{"overall": name -> metric
    dict, "interpretation": name -> band dict or None}``, exactly as in the report's JSON
    but without the pairwise kappas (``cohen_kappa``, ``mean_pairwise_cohen_kappa``);
    None without a single-label dataset.

    These need neither the quality analyses, nor SciPy, nor the annotator pairs, so they
    are drawn first (the cold start's first paint); the report's numbers are the same.
    """
    current = current_dataset()
    if current is None or not one_label_per_item(current.task):
        return None
    summary = _headline(*_key(), current.level, session.bootstrap_resamples(), session.seed(), current)
    bands = {name: interpret_metric(name, metric.value) for name, metric in summary.overall.items()}
    return jsonable({
        "overall": summary.overall,
        "interpretation": {name: None if band is None else band.to_dict() for name, band in bands.items()},
    })


@st.cache_resource(show_spinner=False, max_entries=32)
def _report(
    digest: str,
    options: LoadOptions,
    level: str,
    bootstrap: int,
    seed: int,
    consensus: bool,
    _dataset: AnnotationDataset,
) -> AgreementReport | TaskReport:
    # A resource: the frozen report is shared without a copy, so the tables it computes on
    # first use (consensus per item, fatigue curves, confusions) are computed once.
    from analysis.report import build_report

    if not one_label_per_item(_dataset.task):  # build_report dispatches on the task
        return build_report(_dataset, bootstrap=bootstrap, seed=seed, consensus=consensus)
    # The cards' summary (drawn first) plus the pairwise kappas: the full summary without
    # its bootstrap running twice (seconds on a crowd file).
    agreement = agreement_summary(
        _dataset, bootstrap_resamples=bootstrap, seed=seed,
        without_pairwise=_headline(digest, options, level, bootstrap, seed, _dataset))
    return build_report(_dataset, bootstrap=bootstrap, seed=seed, consensus=consensus,
                        agreement=agreement)


def _report_settings(current: AnnotationDataset, consensus: bool) -> tuple[Any, ...]:
    return (*_key(), current.level, session.bootstrap_resamples(), session.seed(), consensus)


def current_report(*, consensus: bool = False) -> AgreementReport | TaskReport | None:
    """The typed report of the open dataset, or None when none is open.

    An :class:`~analysis.report.AgreementReport` for single-label data: pages render its
    tables (``quality``, ``rounds``, ``pairwise_matrix()``, ``most_confused_pair``,
    ``consensus_table()``, ``fatigue_curves()``, ``annotator_confusion()``) instead of
    computing them again. A ``TaskReport`` for multi-label and span data (the task views
    ask for its consensus).
    """
    current = current_dataset()
    if current is None:
        return None
    with st.spinner(t("overview.computing")):  # shown only when the cache misses and it takes a while
        return _report(*_report_settings(current, consensus), current)


@st.cache_resource(show_spinner=False, max_entries=32)
def _report_dict(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, consensus: bool,
    _report: AgreementReport | TaskReport,
) -> dict[str, Any]:
    # A resource, shared without a copy: unpickling a copy on every page run costs 0.2 s
    # with 800 annotators. Pages read it and never change it.
    return _report.to_dict()


def report_dict(*, consensus: bool = False) -> dict[str, Any] | None:
    """The report of the open dataset as the CLI's JSON contract (``to_dict()``), or None.

    Shared by every page and visitor of the file: read it, never change it.
    """
    current = current_dataset()
    if current is None:
        return None
    result = current_report(consensus=consensus)
    if result is None:
        return None
    return _report_dict(*_report_settings(current, consensus), result)


def consensus_table() -> pd.DataFrame | None:
    """One row per item (majority and Dawid-Skene labels, ambiguity) of the open
    single-label dataset: :meth:`AgreementReport.consensus_table`, from the report's
    fitted model."""
    result = current_report()
    return None if result is None else result.consensus_table()


@st.cache_resource(show_spinner=False, max_entries=16)
def _models(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, epsilon: float,
    _dataset: AnnotationDataset,
) -> ModelsSection | None:
    from analysis.model_annotators.section import compare_models

    return compare_models(_dataset, epsilon=epsilon, bootstrap=bootstrap, seed=seed)


def models_section(epsilon: float) -> ModelsSection | None:
    """Every model annotator against the humans at ``epsilon`` (None without models).

    At the report's epsilon this is the report's own section (computed once with it);
    another epsilon computes the section alone, once per file, options and level.
    """
    current = current_dataset()
    if current is None or not current.model_annotators:
        return None
    from analysis.model_annotators import DEFAULT_EPSILON

    if epsilon == DEFAULT_EPSILON:
        result = current_report()
        return None if result is None else result.models
    with st.spinner(t("overview.computing")):
        return _models(*_key(), current.level, session.bootstrap_resamples(), session.seed(), epsilon,
                       current)


@st.cache_data(show_spinner=False, max_entries=16)
def _fingerprint(digest: str, options: LoadOptions, _table: pd.DataFrame) -> str:
    from analysis.workspace import dataset_fingerprint

    return dataset_fingerprint(_table)


def fingerprint() -> str | None:
    """The open dataset's content fingerprint (how the workspace recognises it), for
    every task type."""
    table = current_table()
    if table is None:
        return None
    return _fingerprint(*_key(), table)
