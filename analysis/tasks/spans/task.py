"""The span task: typed spans over each document's text per annotator (measures in
:mod:`analysis.tasks.spans.agreement`), its report sections, tables and verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from analysis.data.dataset import AnnotationDataset
from analysis.data.judgements import SpanData
from analysis.diagnostics.task_verdict import task_verdict
from analysis.messages import note
from analysis.report.protocol import GoldKind, Language, ReportOptions, Section
from analysis.report.task_result import (
    CONSENSUS_COLUMNS,
    TaskReport,
    TaskSections,
    TaskSummary,
    require_task_data,
)
from analysis.tasks.render import no_guideline, task_tables
from analysis.tasks.spans.agreement import span_agreement, span_consensus
from analysis.tasks.spans.ambiguity import span_ambiguity
from analysis.tasks.spans.entries import SpanDisagreements
from analysis.tasks.spans.sample import span_sample
from analysis.tasks.spans.verdict import WORDS

COLUMNS = {"per_class": ("span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha"),
           "per_annotator": ("items", "spans", "f1_vs_consensus", "quality"),
           "pairwise": ("span_f1_strict", "span_f1_overlap")}

TASK_NAME = "spans"
"""The task type this module implements (found by :mod:`analysis.report.task_registry`)."""
TASK_RANK = 30
"""Its place among the built-in task types."""


@dataclass(frozen=True)
class SpanSections(TaskSections):
    """The span sections.

    Attributes
    ----------
    disagreements : SpanDisagreements or None
        Boundary / type / missed counts, type confusions, disputed documents.
    consensus : tuple of dict or None
        When asked: the consensus spans (``item_id, start, end, label, support, probability``).
    consensus_check : dict or None
        When asked: how the consensus was checked on held-out annotators.
    ambiguity : dict or None
        Clusters of disagreed spans with a drafted rule.
    """

    disagreements: SpanDisagreements | None = None
    consensus: tuple[dict[str, Any], ...] | None = None
    consensus_check: dict[str, Any] | None = None
    ambiguity: dict[str, Any] | None = None

    bands: ClassVar[Mapping[str, str]] = {"token_krippendorff_alpha": "krippendorff_alpha"}

    def extra(self) -> dict[str, Any]:
        """``disagreements``, ``consensus``, ``consensus_check``, ``ambiguity``."""
        return {"disagreements": None if self.disagreements is None else self.disagreements.to_dict(),
                "consensus": None if self.consensus is None else list(self.consensus),
                "consensus_check": self.consensus_check, "ambiguity": self.ambiguity}


class SpanTask:
    """The span task (:class:`~analysis.report.protocol.Task`)."""

    name = TASK_NAME
    typed_keys: frozenset[str] = frozenset()
    title: ClassVar[Mapping[str, str]] = {"en": "span (NER)", "ko": "스팬(개체명)"}
    gold: GoldKind = "spans"

    def measure(self, dataset: AnnotationDataset, options: ReportOptions) -> TaskReport:
        """Span F1, token alpha, disagreements, ambiguity and, when asked, the consensus."""

        data: SpanData = require_task_data(dataset, SpanData)
        out = span_agreement(data, n_replicates=options.bootstrap, seed=options.seed,
                             consensus=options.consensus)
        sample = out["sample"]
        notes = [note("summary.span_pairs_sampled", sample=sample.note())] if sample.sampled else []
        summary = TaskSummary.build(
            dataset, labels=data.labels,
            per_item=data.judgements.groupby("item_id").size().to_numpy(),
            counts={"items": len(data.item_ids), "annotators": len(data.annotators),
                    "annotations": len(data.judgements), "spans": len(data.spans)},
            notes=notes, load_report=options.load_report)
        sections = SpanSections(
            overall=out["overall"], per_class=out["per_class"],
            per_annotator=out["per_annotator"], pairwise=tuple(out["pairwise"]),
            disagreements=out["disagreements"],
            consensus=tuple(out["consensus"]) if options.consensus else None,
            consensus_check=out["consensus_check"] if options.consensus else None,
            ambiguity=span_ambiguity(sample.data))
        return TaskReport(dataset=dataset, summary=summary, sections=sections,
                          bootstrap=options.bootstrap, seed=options.seed)

    def tables(self, report: Mapping[str, Any], language: Language) -> list[Section]:
        """Per entity type, per annotator and pairwise tables."""
        return task_tables(dict(report), COLUMNS, "Per entity type")

    def typed_tables(self, report: Any, guideline: pd.DataFrame | None) -> list[Section]:
        """None (no guideline join)."""
        return no_guideline(guideline)

    def verdict(self, report: Mapping[str, Any], ko: bool) -> list[str]:
        """Token alpha and its band, the dominant kind of disagreement, the next rule."""

        return task_verdict(report, ko, WORDS)

    def consensus(self, dataset: AnnotationDataset, *, seed: int = 0) -> pd.DataFrame:
        """The consensus spans (token Dawid-Skene, made whole phrases): one row per span,
        as the report's ``consensus`` rows (``CONSENSUS_COLUMNS``)."""
        rows = span_consensus(require_task_data(dataset, SpanData))
        return pd.DataFrame(rows, columns=list(CONSENSUS_COLUMNS))

    def ambiguity(self, dataset: AnnotationDataset, *, seed: int = 0, **options: Any) -> dict[str, Any]:
        """Clusters of disagreed spans with a drafted rule, on the annotators the report's
        pair measures use (the report's ``ambiguity``)."""
        data: SpanData = require_task_data(dataset, SpanData)
        return span_ambiguity(span_sample(data).data, seed=seed)


TASK = SpanTask()
