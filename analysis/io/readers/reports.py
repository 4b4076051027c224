"""The load report of a multi-label or span read, the spans of JSON-lines records, and
the check of the task asked for."""

from __future__ import annotations

from typing import Any, Protocol

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import SpanData
from analysis.data.loaded import TaskLoad
from analysis.io.multilabel import MultiLabelRead
from analysis.io.readers.parsed import Parsed
from analysis.io.spans_json import SpanRead


class RecordSpans(Protocol):
    """A parser of span records, e.g. :func:`analysis.io.spans_json.doccano_spans`."""

    def __call__(self, records: list[Any], positions: list[int], *, file: str,
                 unit: str) -> SpanRead: ...


def task_report(read: SpanRead | MultiLabelRead, *, file: str, task: str,
                questions: list[dict[str, Any]] | None = None,
                question: str | None = None, warnings: list[str] | None = None) -> dict[str, Any]:
    """The report of a multi-label or span read: counts, labels, drops and warnings.

    Parameters
    ----------
    read : SpanRead or MultiLabelRead
    file : str
    task : {"multi_label", "spans"}
    questions, question : optional
        A Label Studio project's questions and the one analysed.
    warnings : list of str, optional
        Warnings of the load, before the reader's own.
    """
    data = read.data
    report: dict[str, Any] = {"file": file, "format": read.format, "task": task}
    if isinstance(data, SpanData):
        report.update(items=len(data.item_ids), annotators=len(data.annotators),
                      judgements=len(data.judgements), spans=len(data.spans),
                      label_counts={str(k): int(v) for k, v in
                                    data.spans["label"].value_counts().items()},
                      items_with_text=sum(1 for i in data.item_ids if i in data.texts))
    else:
        counts = data.present.sum(axis=0)
        report.update(items=data.n_items, annotators=len(data.annotators),
                      judgements=len(data.item), label_counts={
                          label: int(c) for label, c in sorted(
                              zip(data.labels, counts, strict=True), key=lambda x: -x[1])},
                      empty_sets=int((data.present.sum(axis=1) == 0).sum()))
    report["dropped"] = {k: v for k, v in read.dropped.items() if v}
    report["warnings"] = [*(warnings or []), *read.warnings]
    if questions is not None:
        report["questions"] = questions
        report["question"] = question
    return report


def line_spans(parsed: Parsed, spans_of: RecordSpans) -> TaskLoad:
    """The spans of an export of one JSON record per line (doccano, Prodigy), and their
    report; records are located by line number."""
    records = parsed.records()
    read = spans_of(records, list(range(1, len(records) + 1)), file=parsed.file, unit="line")
    return TaskLoad("spans", None, read.data, task_report(read, file=parsed.file, task="spans"))


def check_kind(task: str | None, found: str, *, file: str) -> None:
    """Refuse an export whose task is not the one asked for (label sets may be asked of
    single-label data)."""
    if task is not None and task != found and not (task == "multi_label"
                                                   and found == "single_label"):
        raise AnnotationDataError(
            f"{{task}} {task} was asked but the export holds {found.replace('_', '-')} "
            "annotations", file=file, fix=f"set {{task}} to {found}, or {{question}} to another "
            "question of a Label Studio project")
