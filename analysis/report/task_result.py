"""The typed report of a multi-label or span dataset: what :func:`~analysis.report.build_report`
returns for a dataset whose ``task`` is ``"multi_label"`` or ``"spans"``.

Its ``to_dict()`` has the top-level keys of the single-label report (``dataset``, ``overall``,
``per_class``, ``per_annotator``, ``pairwise``, ``interpretation``), with ``dataset.task``
saying which task it measures. Multi-label adds ``ambiguity`` (label pairs that co-occur in
disagreement); spans add ``disagreements`` (boundary / type / missed), ``ambiguity``
(clusters of disagreed spans with a drafted rule) and, when asked, ``consensus`` and
``consensus_check``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.data.dataset import AnnotationDataset, TaskType
from analysis.metrics.bands import interpret_metric
from analysis.metrics.result import Metric
from analysis.report.result import REPORT_VERSION, jsonable

BAND_OF = {"krippendorff_alpha_masi": "krippendorff_alpha",
           "krippendorff_alpha_jaccard": "krippendorff_alpha",
           "token_krippendorff_alpha": "krippendorff_alpha",
           "mean_per_label_kappa": "fleiss_kappa"}
"""The interpretation band each task metric is read against (others get none)."""

CONSENSUS_COLUMNS = ("item_id", "start", "end", "label", "support", "probability")


@dataclass(frozen=True)
class TaskSummary:
    """The ``dataset`` section of a task report.

    Attributes
    ----------
    task : {"multi_label", "spans"}
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

    task: TaskType
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


@dataclass(frozen=True, eq=False)
class TaskReport:
    """Everything a multi-label or span report measured; ``to_dict()`` is the JSON.

    Attributes
    ----------
    dataset : AnnotationDataset
        The input (``dataset.task_data`` holds the judgements).
    summary : TaskSummary
        The ``dataset`` section.
    overall : dict of str to Metric
        Overall metrics (the names ``--fail-under`` accepts).
    per_class : dict
        Label or span type -> metric name -> Metric.
    per_annotator : dict
        Annotator -> fields (``items``, metrics, ``flags``).
    pairwise : tuple of dict
        One entry per pair of annotators that share items.
    disagreements : dict or None
        Spans: boundary / type / missed counts, type confusions, disputed documents.
    consensus : tuple of dict or None
        Spans, when asked: the consensus spans (``item_id, start, end, label, support,
        probability``).
    consensus_check : dict or None
        Spans, when asked: how the consensus was checked on held-out annotators.
    ambiguity : dict or None
        Multi-label: label pairs in disagreement; spans: clusters of disagreed spans.
    bootstrap, seed : int
        The resampling behind every interval.
    version : int
        ``report_version`` of the JSON.
    """

    dataset: AnnotationDataset = field(repr=False)
    summary: TaskSummary
    overall: dict[str, Metric] = field(repr=False)
    per_class: dict[str, dict[str, Any]] = field(repr=False)
    per_annotator: dict[str, dict[str, Any]] = field(repr=False)
    pairwise: tuple[dict[str, Any], ...] = field(repr=False)
    disagreements: dict[str, Any] | None = field(default=None, repr=False)
    consensus: tuple[dict[str, Any], ...] | None = field(default=None, repr=False)
    consensus_check: dict[str, Any] | None = field(default=None, repr=False)
    ambiguity: dict[str, Any] | None = field(default=None, repr=False)
    bootstrap: int = 1000
    seed: int = 0
    version: int = REPORT_VERSION

    @property
    def task(self) -> TaskType:
        """``"multi_label"`` or ``"spans"``."""
        return self.summary.task

    def interpretation(self) -> dict[str, Any]:
        """The ``interpretation`` section: the band and its source for each overall number."""
        out = {}
        for name, metric in self.overall.items():
            band = interpret_metric(BAND_OF[name], metric.value) if name in BAND_OF else None
            out[name] = None if band is None else band.to_dict()
        return {"overall": out, "per_annotator": {}}

    def consensus_table(self) -> pd.DataFrame:
        """The consensus spans as a table (empty when the report was built without them)."""
        return pd.DataFrame(list(self.consensus or ()), columns=list(CONSENSUS_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (strict JSON: no NaN), keys as documented in ``docs/tasks.md``."""
        report: dict[str, Any] = {
            "report_version": self.version, "dataset": self.summary.to_dict(),
            "overall": self.overall, "per_class": self.per_class,
            "per_annotator": self.per_annotator, "pairwise": list(self.pairwise),
            "interpretation": self.interpretation(),
        }
        for key in ("disagreements", "consensus", "consensus_check", "ambiguity"):
            value = getattr(self, key)
            if value is not None:
                report[key] = list(value) if key == "consensus" else value
        return jsonable(report)
