"""What a load returns: the single-label table with its report, or any task's data.

:class:`LoadResult` is what :func:`analysis.io.load_annotations` returns;
:class:`TaskLoad` what :func:`analysis.io.load_task.load_task` returns, for every task type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.data.judgements import TaskData, TaskType
from analysis.data.kinds import AnnotatorKinds
from analysis.data.load_report import LoadReport


@dataclass(frozen=True, eq=False)
class LoadResult:
    """A loaded file.

    Attributes
    ----------
    table : DataFrame
        The canonical table (every column of ``analysis.data.schema.CANONICAL_COLUMNS``),
        rows in file order.
    report : LoadReport
        What was kept, dropped and changed.
    format : str
        The format read, one of ``FORMATS``.
    kinds : AnnotatorKinds
        What decides which annotators are models (``report.model_annotators`` lists
        them); :func:`analysis.io.annotator_kinds.mark_models` changes it.
    """

    table: pd.DataFrame
    report: LoadReport
    format: str
    kinds: AnnotatorKinds = field(default_factory=AnnotatorKinds)


@dataclass(frozen=True, eq=False)
class TaskLoad:
    """A loaded export of any task type.

    Attributes
    ----------
    task : {"single_label", "multi_label", "spans"} or a registered task type's name
    single : LoadResult or None
        The canonical table and its report (``single_label`` only).
    data : TaskData or None
        The task's canonical data (``MultiLabelData``, ``SpanData``, or a registered task
        type's own judgements).
    report : dict
        The load report (``LoadReport.to_dict()`` for ``single_label``), with ``task``,
        and for Label Studio ``questions`` and ``question``.
    """

    task: TaskType
    single: LoadResult | None
    data: TaskData | None
    report: dict[str, Any]

    def to_text(self) -> str:
        """Human-readable load report (the ``validate`` command's text output).

        Examples
        --------
        >>> from analysis.io.load_task import load_task
        >>> csv = "item,annotator,labels\\n1,a,x|y\\n1,b,x\\n".encode()
        >>> print(load_task(csv, name="tags.csv", label_sep="|").to_text())
        File:        tags.csv
        Format:      csv
        Task:        multi_label
        Kept:        2 judgements on 1 items by 2 annotators (0 empty sets)
        Labels:      2: x (2), y (1)
        Dropped:     0
        """
        if self.single is not None:
            return self.single.report.to_text()
        report = self.report
        kept = (f"{report['judgements']} judgements on {report['items']} items by "
                f"{report['annotators']} annotators")
        if self.task == "spans":
            kept = (f"{report['spans']} spans in {report['judgements']} judgements on "
                    f"{report['items']} documents by {report['annotators']} annotators; "
                    f"texts for {report['items_with_text']} documents")
        else:
            kept += f" ({report['empty_sets']} empty sets)"
        counts = report.get("label_counts") or {}
        dropped = report.get("dropped") or {}
        lines = [f"File:        {report['file']}", f"Format:      {report['format']}",
                 f"Task:        {self.task}", f"Kept:        {kept}",
                 f"Labels:      {len(counts)}: "
                 + ", ".join(f"{label} ({count})" for label, count in counts.items()),
                 f"Dropped:     {sum(dropped.values())}"]
        lines += [f"  - {count} {reason}" for reason, count in dropped.items()]
        if report.get("warnings"):
            lines.append("Warnings:")
            lines += [f"  - {warning}" for warning in report["warnings"]]
        return "\n".join(lines)
