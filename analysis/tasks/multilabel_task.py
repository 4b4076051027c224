"""The multi-label task: a set of labels per item and annotator (measures in
:mod:`analysis.tasks.multilabel`), its report sections, tables and verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from analysis.data.dataset import AnnotationDataset
from analysis.data.judgements import MultiLabelData
from analysis.diagnostics.task_verdict import VerdictWords, task_verdict
from analysis.diagnostics.texts import BAND_KO, count, metric, pct
from analysis.messages import note
from analysis.report.protocol import Language, ReportOptions, Section
from analysis.report.task_result import TaskReport, TaskSections, TaskSummary, require_task_data
from analysis.tasks.multilabel import multilabel_agreement
from analysis.tasks.multilabel_ambiguity import label_pair_confusions
from analysis.tasks.render import no_guideline, task_tables

COLUMNS = {"per_class": ("fleiss_kappa", "krippendorff_alpha", "specific_agreement",
                         "specific_agreement_absent"),
           "per_annotator": ("items", "labels_per_item", "label_rate_bias"),
           "pairwise": ("exact_set_agreement", "mean_jaccard")}

TASK_NAME = "multi_label"
"""The task type this module implements (found by :mod:`analysis.report.task_registry`)."""
TASK_RANK = 20
"""Its place among the built-in task types."""


@dataclass(frozen=True)
class MultiLabelSections(TaskSections):
    """The multi-label sections; ``ambiguity``: label pairs that co-occur in disagreement."""

    ambiguity: dict[str, Any] | None = None

    bands: ClassVar[Mapping[str, str]] = {"krippendorff_alpha_masi": "krippendorff_alpha",
                                          "krippendorff_alpha_jaccard": "krippendorff_alpha",
                                          "mean_per_label_kappa": "fleiss_kappa"}

    def extra(self) -> dict[str, Any]:
        """``ambiguity``."""
        return {"ambiguity": self.ambiguity}


def _opening(report: Mapping[str, Any], alpha: Mapping[str, Any], band: str | None, ko: bool) -> str:
    dataset, overall = report.get("dataset") or {}, report.get("overall") or {}
    exact = (overall.get("exact_set_agreement") or {}).get("value")
    if ko:
        items, annotators = f"{dataset.get('items', 0):,}", f"{dataset.get('annotators', 0):,}"
        return (f"{items}개 항목, 작업자 {annotators}명의 라벨 집합 일치도는 {BAND_KO.get(band, band or '—')} "
                f"수준입니다(MASI 거리의 크리펜도르프 알파 {metric(alpha)}; 판정 쌍의 {pct(exact)}가 같은 집합을 고름).")
    return (f"Across {count(dataset.get('items', 0), 'item')} and "
            f"{count(dataset.get('annotators', 0), 'annotator')}, agreement on label sets is "
            f"{band or 'not banded'} (Krippendorff's alpha with the MASI distance {metric(alpha)}; "
            f"{pct(exact)} of judgement pairs choose exactly the same set).")


VERDICT_WORDS = VerdictWords(headline="krippendorff_alpha_masi", per_label="krippendorff_alpha",
                             label_word=("label", "라벨"), opening=_opening)
"""The multi-label verdict: MASI alpha, the weakest label (its one-vs-rest alpha)."""


class MultiLabelTask:
    """The multi-label task (:class:`~analysis.report.protocol.Task`)."""

    name = TASK_NAME
    typed_keys: frozenset[str] = frozenset()
    title: ClassVar[Mapping[str, str]] = {"en": "multi-label", "ko": "다중 라벨"}
    holds = "multi-label judgements (a set of labels per item)"

    def measure(self, dataset: AnnotationDataset, options: ReportOptions) -> TaskReport:
        """Set alphas, per label kappas, per annotator rates, pairs and label-pair ambiguity."""

        data: MultiLabelData = require_task_data(dataset, MultiLabelData)
        out = multilabel_agreement(data, n_replicates=options.bootstrap, seed=options.seed)
        notes = [note("summary.pairwise_sampled", sample=out["sample"].note())] if out["sample"].sampled else []
        summary = TaskSummary.build(
            dataset, labels=data.labels, per_item=np.bincount(data.item, minlength=data.n_items),
            counts={"items": data.n_items, "annotators": len(data.annotators),
                    "annotations": len(data.item), "spans": None},
            notes=notes, load_report=options.load_report)
        sections = MultiLabelSections(overall=out["overall"], per_class=out["per_class"],
                                      per_annotator=out["per_annotator"],
                                      pairwise=tuple(out["pairwise"]),
                                      ambiguity=self.ambiguity(dataset))
        return TaskReport(dataset=dataset, summary=summary, sections=sections,
                          bootstrap=options.bootstrap, seed=options.seed)

    def tables(self, report: Mapping[str, Any], language: Language) -> list[Section]:
        """Per label, per annotator and pairwise tables."""
        return task_tables(dict(report), COLUMNS, "Per label")

    def typed_tables(self, report: Any, guideline: pd.DataFrame | None) -> list[Section]:
        """None (no guideline join)."""
        return no_guideline(guideline)

    def verdict(self, report: Mapping[str, Any], ko: bool) -> list[str]:
        """MASI alpha and its band, the weakest label, flagged annotators, the next rule."""

        return task_verdict(report, ko, VERDICT_WORDS)

    def consensus(self, dataset: AnnotationDataset, *, seed: int = 0) -> None:
        """None: label sets have no consensus measure."""
        return None

    def ambiguity(self, dataset: AnnotationDataset, *, seed: int = 0, **options: Any) -> dict[str, Any]:
        """The label pairs traded most often between judgements of the same item
        (:func:`analysis.tasks.multilabel_ambiguity.label_pair_confusions`; the report's
        ``ambiguity``)."""
        return label_pair_confusions(require_task_data(dataset, MultiLabelData))


TASK = MultiLabelTask()
