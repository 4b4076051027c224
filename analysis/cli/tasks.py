"""Task flags of the commands that measure agreement: ``--task``, ``--question``,
``--label-sep``, ``--texts``; and the one load call that honours them (documented in ``docs/tasks.md``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from analysis.base.errors import AnnotationDataError
from analysis.cli.common import (
    delimiter_from_args,
    load_from_args,
    mapping_from_args,
)
from analysis.cli.label_studio import input_source
from analysis.tasks.names import MULTI_LABEL_METRICS, SPAN_METRICS

if TYPE_CHECKING:
    from analysis.data.loaded import TaskLoad
    from analysis.io import LoadResult

TASKS = ("single_label", "multi_label", "spans")

TASK_THRESHOLD_METRICS: tuple[str, ...] = (*MULTI_LABEL_METRICS, *SPAN_METRICS)


def add_task_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--task``, ``--question``, ``--label-sep`` and ``--texts``."""
    group = parser.add_argument_group("task")
    group.add_argument("--task", choices=("auto", *TASKS), default="auto",
                       help="what the annotations are: one label per item, a set of labels "
                       "per item, or text spans (default: detected)")
    group.add_argument("--question", metavar="NAME",
                       help="Label Studio project with several questions: the control "
                       "(from_name) to analyse (default: the first; the load report lists them)")
    group.add_argument("--texts", metavar="FILE",
                       help="span exports that keep only offsets (spans by annotator, e.g. "
                       "PICO crowd files, or a table of one span per row): the documents' "
                       "texts, one id and text per record (JSON, JSON lines or CSV)")
    group.add_argument("--label-sep", metavar="SEP",
                       help="multi-label tables: the separator of several labels in one cell, "
                       "e.g. '|' or ';'")


def load_task_from_args(args: argparse.Namespace) -> TaskLoad:
    """Load ``args.path`` with the input and task flags."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.data.loaded import TaskLoad
    from analysis.io.annotator_kinds import mark_task_models
    from analysis.io.load_task import load_task

    task = getattr(args, "task", "auto")
    question = getattr(args, "question", None)
    label_sep = getattr(args, "label_sep", None)
    if label_sep is not None and not label_sep.strip():
        raise AnnotationDataError("--label-sep must not be empty or blank",
                                  fix="pass e.g. --label-sep '|'")
    texts_file = getattr(args, "texts", None)
    if texts_file is not None and task not in ("auto", "spans"):
        raise AnnotationDataError("--texts gives the texts of a span export",
                                  fix="leave --texts out, or use --task spans")
    if task == "single_label" and question is None and label_sep is None:
        single = load_from_args(args)
        return TaskLoad("single_label", single, None,
                        {**single.report.to_dict(), "task": "single_label"})
    delimiter = delimiter_from_args(args)
    texts = None
    if texts_file is not None:
        # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
        from analysis.io.spans_text import read_texts

        texts = read_texts(texts_file, encoding=args.encoding)
    source, name = input_source(args)
    loaded = load_task(
        source, name=name, task=task, question=question, label_sep=label_sep, texts=texts,
        format=None if args.input_format == "auto" else args.input_format,
        mapping=mapping_from_args(args), encoding=args.encoding, delimiter=delimiter,
        sheet=args.sheet, label_merges=dict(args.merge_labels) if args.merge_labels else None)
    return mark_task_models(loaded, models=getattr(args, "model_annotators", None),
                            prefixes=getattr(args, "model_prefix", None))


def load_single_label_from_args(args: argparse.Namespace, command: str) -> LoadResult:
    """Load ``args.path`` for a command that reads single-label exports only.

    The task is detected first, so a span or multi-label export is told where its
    ambiguity is measured instead of failing on a column it does not have.

    Raises
    ------
    AnnotationDataError
        A multi-label or span export (exit code 2).
    """
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.report.task_registry import task_traits

    loaded = load_task_from_args(args)
    if loaded.single is None:
        raise AnnotationDataError(
            f"'{command}' reads exports with one label per item; this one holds "
            f"{task_traits(loaded.task).holds}", file=str(args.path),
            fix="run 'python -m analysis report PATH --consensus' (its ambiguity section and "
            "consensus cover these annotations), or open the dashboard's Spans & multi-label page")
    return loaded.single
