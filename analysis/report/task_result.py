"""The typed report of a task other than single label (multi-label, spans, any registered
task type): what :func:`~analysis.report.build_report` returns for such a dataset.

Its ``to_dict()`` has the top-level keys of the single-label report (``dataset``, ``overall``,
``per_class``, ``per_annotator``, ``pairwise``, ``interpretation``), with ``dataset.task``
saying which task it measures. Multi-label adds ``ambiguity`` (label pairs that co-occur in
disagreement); spans add ``disagreements`` (boundary / type / missed), ``ambiguity``
(clusters of disagreed spans with a drafted rule) and, when asked, ``consensus`` and
``consensus_check``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np
import pandas as pd

from analysis.base.errors import UsageError
from analysis.data.dataset import AnnotationDataset
from analysis.messages import note
from analysis.metrics.bands import interpret_metric
from analysis.metrics.result import Metric
from analysis.report.result import REPORT_VERSION, jsonable

CONSENSUS_COLUMNS = ("item_id", "start", "end", "label", "support", "probability")


@dataclass(frozen=True)
class TaskSummary:
    """The ``dataset`` section of a task report.

    Attributes
    ----------
    task : str
        The task type (``"multi_label"``, ``"spans"``, ...).
    items, annotators, annotations : int
        Documents or items, annotators and judgements.
    spans : int or None
        Spans (span task only).
    labels : tuple of str
        Labels or span types, sorted.
    items_with_two_or_more, single_judgement_items : int
    warnings : tuple of str
        The load report's warnings, then the report's own.
    load : dict or None
        The reader's load report.
    """

    task: str
    items: int
    annotators: int
    annotations: int
    spans: int | None
    labels: tuple[str, ...]
    items_with_two_or_more: int
    single_judgement_items: int
    warnings: tuple[str, ...]
    load: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``dataset`` section of the JSON contract."""
        section: dict[str, Any] = {"task": self.task, "items": self.items,
                                   "annotators": self.annotators,
                                   "annotations": self.annotations}
        if self.spans is not None:
            section["spans"] = self.spans
        section.update(labels=list(self.labels),
                       items_with_two_or_more=self.items_with_two_or_more,
                       single_judgement_items=self.single_judgement_items,
                       warnings=list(self.warnings))
        if self.load is not None:
            section["load"] = self.load
        return section


    @classmethod
    def build(cls, dataset: AnnotationDataset, *, labels: Sequence[str], per_item: np.ndarray,
              counts: Mapping[str, int | None], notes: Sequence[str] = (),
              load_report: dict[str, Any] | None = None) -> TaskSummary:
        """The section of ``dataset``: judgements per item (``per_item``) give the single
        judgement warning; ``counts`` the ``items``, ``annotators``, ``annotations`` and
        ``spans``; ``notes`` are the task's warnings after the load report's."""
        if load_report is None:
            load_report = dataset.task_load
        warnings = [*(load_report or {}).get("warnings", []), *notes]
        single = int((per_item == 1).sum())
        if single:
            warnings.append(note("summary.single_judgement", count=single))
        if len(labels) == 0:
            warnings.append(note("summary.nothing_found"))
        return cls(task=dataset.task, labels=tuple(labels),
                   items_with_two_or_more=int((per_item >= 2).sum()),
                   single_judgement_items=single, warnings=tuple(warnings),
                   load=load_report, items=int(counts["items"] or 0),
                   annotators=int(counts["annotators"] or 0),
                   annotations=int(counts["annotations"] or 0), spans=counts.get("spans"))


class Entry(Protocol):
    """A typed entry of a task section (one label, annotator, pair, ...)."""

    def to_dict(self) -> dict[str, Any]:
        """The entry's JSON, keys in the contract's order (Metric values kept)."""
        ...


def entry_dicts(entries: Iterable[Entry | dict[str, Any]]) -> list[Any]:
    """The JSON of section entries: a typed entry's ``to_dict()``, a dict as it is."""
    return [entry if isinstance(entry, dict) else entry.to_dict() for entry in entries]


def require_task_data(dataset: AnnotationDataset, kind: type) -> Any:
    """``dataset.task_data``, refused unless it is a ``kind``."""
    if dataset.task_data is None:
        raise UsageError(
            f"The {dataset.task} dataset holds no task data; build it with "
            "AnnotationDataset.from_task_data", option="dataset")
    if not isinstance(dataset.task_data, kind):
        raise UsageError(f"The {dataset.task} dataset holds {type(dataset.task_data).__name__}, "
                         f"not {kind.__name__}", option="dataset")
    return dataset.task_data


@dataclass(frozen=True)
class TaskSections:
    """The measured sections every task report has; a task adds its own in a subclass.

    Attributes
    ----------
    overall : dict of str to Metric
        Overall metrics (the names ``--fail-under`` accepts).
    per_class : mapping
        Label or span type -> its entry (:class:`Entry`, or a dict of metric name to
        Metric).
    per_annotator : mapping
        Annotator -> its entry (fields ``items``, metrics, ``flags``).
    pairwise : tuple
        One entry per pair of annotators that share items.
    bands : mapping, class attribute
        Overall metric -> the metric whose interpretation band it is read against
        (others get none).
    """

    overall: dict[str, Metric]
    per_class: Mapping[str, Entry | dict[str, Any]]
    per_annotator: Mapping[str, Entry | dict[str, Any]]
    pairwise: tuple[Entry | dict[str, Any], ...]

    bands: ClassVar[Mapping[str, str]] = {}

    def extra(self) -> dict[str, Any]:
        """The task's own sections, after ``interpretation`` in the JSON (omitted when None)."""
        return {}


@dataclass(frozen=True, eq=False)
class TaskReport:
    """Everything a task report measured; ``to_dict()`` is the JSON.

    Attributes
    ----------
    dataset : AnnotationDataset
        The input (``dataset.task_data`` holds the judgements).
    summary : TaskSummary
        The ``dataset`` section.
    sections : TaskSections
        The measured sections (a subclass per task type, with the task's own sections).
    bootstrap, seed : int
        The resampling behind every interval.
    version : int
        ``report_version`` of the JSON.
    """

    dataset: AnnotationDataset = field(repr=False)
    summary: TaskSummary
    sections: TaskSections = field(repr=False)
    bootstrap: int = 1000
    seed: int = 0
    version: int = REPORT_VERSION

    @property
    def task(self) -> str:
        """The task type (``"multi_label"``, ``"spans"``, ...)."""
        return self.summary.task

    @property
    def overall(self) -> dict[str, Metric]:
        """The overall metrics (``sections.overall``)."""
        return self.sections.overall

    @property
    def per_class(self) -> Mapping[str, Entry | dict[str, Any]]:
        """Label or span type -> its entry (``sections.per_class``)."""
        return self.sections.per_class

    @property
    def per_annotator(self) -> Mapping[str, Entry | dict[str, Any]]:
        """Annotator -> its entry (``sections.per_annotator``)."""
        return self.sections.per_annotator

    @property
    def pairwise(self) -> tuple[Entry | dict[str, Any], ...]:
        """One entry per pair of annotators that share items (``sections.pairwise``)."""
        return self.sections.pairwise

    def interpretation(self) -> dict[str, Any]:
        """The ``interpretation`` section: the band and its source for each overall number."""
        bands = self.sections.bands
        out = {}
        for name, metric in self.overall.items():
            band = interpret_metric(bands[name], metric.value) if name in bands else None
            out[name] = None if band is None else band.to_dict()
        return {"overall": out, "per_annotator": {}}

    def consensus_table(self) -> pd.DataFrame:
        """The consensus spans as a table (empty when the report holds none)."""
        return pd.DataFrame(list(self.sections.extra().get("consensus") or ()),
                            columns=list(CONSENSUS_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (strict JSON: no NaN), keys as documented in ``docs/tasks.md``."""
        report: dict[str, Any] = {
            "report_version": self.version, "dataset": self.summary.to_dict(),
            "overall": self.overall,
            "per_class": dict(zip(self.per_class, entry_dicts(self.per_class.values()), strict=True)),
            "per_annotator": dict(zip(self.per_annotator, entry_dicts(self.per_annotator.values()),
                                      strict=True)),
            "pairwise": entry_dicts(self.pairwise),
            "interpretation": self.interpretation(),
        }
        report.update((key, value) for key, value in self.sections.extra().items()
                      if value is not None)
        return jsonable(report)
