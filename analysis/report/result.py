"""The typed agreement report: what :func:`~analysis.report.build_report` returns.

:class:`AgreementReport` keeps every computed piece (metrics as
:class:`~analysis.metrics.result.Metric`, the quality tables as DataFrames, the fitted
Dawid-Skene model) so that the dashboard renders it instead of computing again, and the
command line can print everything the dashboard shows. ``to_dict()`` is the JSON
contract of ``python -m analysis report --format json`` (README, "JSON contract").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.consensus.table import consensus_table
from analysis.data.dataset import AnnotationDataset
from analysis.diagnostics import Diagnosis, SuggestedLevel
from analysis.diagnostics.rater_effects import RaterEffects, distance_curves
from analysis.metrics.bands import interpret_metric
from analysis.metrics.overall import AgreementSummary
from analysis.metrics.pairwise import PairwiseKappas
from analysis.metrics.result import Metric, jsonable
from analysis.model_annotators.section import ModelsSection
from analysis.quality.annotators import annotator_confusion
from analysis.quality.fatigue import fatigue_curves
from analysis.quality.fatigue_lines import distance_trend_lines, fatigue_trend_lines
from analysis.quality.report_sections import QualitySections
from analysis.quality.rounds import guideline_before_after
from analysis.report.entries import AnnotatorEntry, ClassAgreement, annotator_entries

REPORT_VERSION = 1


@dataclass(frozen=True)
class DatasetSummary:
    """The report's ``dataset`` section.

    Attributes
    ----------
    items, annotators, annotations : int
        Counts of the matrix (annotations: judgements).
    labels : tuple of str
        The label order.
    level : str
        Level of measurement of the report.
    items_with_two_or_more, single_judgement_items : int
        Items that enter agreement, and items with one judgement (which do not).
    warnings : tuple of str
        The load report's warnings, then the report's own.
    load : dict or None
        ``LoadReport.to_dict()`` of the file, when the data came from a file.
    suggested : SuggestedLevel or None
        The level the labels suggest (:func:`analysis.diagnostics.suggest_level`).
    task : str
        ``"single_label"`` (the ``dataset.task`` key, last in the section).
    """

    items: int
    annotators: int
    annotations: int
    labels: tuple[str, ...]
    level: str
    items_with_two_or_more: int
    single_judgement_items: int
    warnings: tuple[str, ...]
    load: dict[str, Any] | None = None
    suggested: SuggestedLevel | None = None
    task: str = "single_label"

    def to_dict(self) -> dict[str, Any]:
        """The ``dataset`` section of the JSON contract."""
        section: dict[str, Any] = {
            "items": self.items,
            "annotators": self.annotators,
            "annotations": self.annotations,
            "labels": list(self.labels),
            "level": self.level,
            "items_with_two_or_more": self.items_with_two_or_more,
            "single_judgement_items": self.single_judgement_items,
            "warnings": list(self.warnings),
        }
        if self.suggested is not None:
            section["suggested_level"] = self.suggested.level
            section["suggested_level_clear"] = self.suggested.clear
            section["suggested_level_reason"] = self.suggested.reason
            section["label_order"] = list(self.labels)
        if self.load is not None:
            section["load"] = self.load
        section["task"] = self.task
        return section


@dataclass(frozen=True)
class ConfusedPair:
    """The two labels most often paired in disagreement.

    Attributes
    ----------
    label_a, label_b : str
        The labels, in label order.
    share : float
        Their share of all disagreeing pairs of judgements (coincidence mass off the
        diagonal), in (0, 1].
    """

    label_a: str
    label_b: str
    share: float


def most_confused_pair(coincidence: pd.DataFrame) -> ConfusedPair | None:
    """The most confused label pair of a coincidence matrix, or None without disagreement.

    Examples
    --------
    >>> matrix = pd.DataFrame([[4, 1, 0], [1, 2, 3], [0, 3, 6]], index=list("abc"), columns=list("abc"))
    >>> most_confused_pair(matrix)
    ConfusedPair(label_a='b', label_b='c', share=0.75)
    """
    if coincidence.shape[0] < 2:
        return None
    values = coincidence.to_numpy(dtype=float)
    upper = np.triu(values, k=1)
    total = upper.sum()
    if not total > 0:
        return None
    row, column = np.unravel_index(np.argmax(upper), upper.shape)
    return ConfusedPair(str(coincidence.index[row]), str(coincidence.columns[column]),
                        float(upper[row, column] / total))


def before_after_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The guideline before/after table as JSON rows (the ``guideline_before_after`` key).

    Each row has the columns of :data:`analysis.quality.rounds.BEFORE_AFTER_COLUMNS`
    (missing numbers as null).

    Examples
    --------
    >>> frame = pd.DataFrame({"rule_id": [1], "alpha_before": [np.nan], "status": ["first_round"]})
    >>> before_after_records(frame)
    [{'rule_id': 1, 'alpha_before': None, 'status': 'first_round'}]
    """
    return [
        {str(key): jsonable(None if _missing(value) else value) for key, value in row.items()}
        for row in table.to_dict("records")
    ]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value)))


@dataclass(frozen=True, eq=False)
class AgreementReport:
    """Everything the agreement report measured, typed; ``to_dict()`` is the JSON.

    Attributes
    ----------
    dataset : AnnotationDataset
        The input, as analysed (its level is the report's).
    summary : DatasetSummary
        Counts, labels and warnings (the ``dataset`` section).
    agreement : AgreementSummary
        Overall and per-class metrics.
    annotator_metrics : dict
        :func:`~analysis.metrics.per_annotator_metrics` output: annotator -> name ->
        Metric (or int for ``items``).
    pairwise : PairwiseKappas
        Cohen's kappa for every pair of annotators that shares items: a sequence of
        ``PairKappa`` kept as arrays (``records()`` is the JSON list, ``matrices()`` the
        annotators x annotators tables).
    quality : QualitySections
        Dawid-Skene, the annotator, fatigue and bias tables, rounds (with the change
        verdicts), groups and, when asked for, the consensus per item.
    coincidence : DataFrame
        Label coincidence matrix, labels x labels.
    diagnosis : Diagnosis or None
        :func:`analysis.diagnostics.diagnose` output: the ``diagnostics`` and
        ``annotator_camps`` sections.
    rater_effects : RaterEffects or None
        At ordinal and above: the leniency table and the distance trends; in the JSON
        each annotator gets ``leniency``, ``leniency_direction``, the distance-based
        ``fatigue_slope`` and the ``flags`` they set
        (:func:`analysis.diagnostics.rater_effects.rater_effects`). None at nominal.
    bootstrap, seed : int
        The resampling behind every interval.
    models : ModelsSection or None
        Each model annotator against the humans (``models_vs_humans``); None without
        model annotators (:mod:`analysis.model_annotators`).
    version : int
        ``report_version`` of the JSON.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> from analysis.report import build_report
    >>> report = build_report(AnnotationDataset.from_table(table), bootstrap=0)
    >>> report.overall["cohen_kappa"].value, report.pairwise[0].items
    (0.4, 3)
    >>> report.to_dict()["overall"]["cohen_kappa"]["value"]
    0.4
    """

    dataset: AnnotationDataset = field(repr=False)
    summary: DatasetSummary
    agreement: AgreementSummary = field(repr=False)
    annotator_metrics: dict[str, dict[str, Any]] = field(repr=False)
    pairwise: PairwiseKappas = field(repr=False)
    quality: QualitySections = field(repr=False)
    coincidence: pd.DataFrame = field(repr=False)
    diagnosis: Diagnosis | None = field(default=None, repr=False)
    rater_effects: RaterEffects | None = field(default=None, repr=False)
    bootstrap: int = 1000
    seed: int = 0
    models: ModelsSection | None = field(default=None, repr=False)
    version: int = REPORT_VERSION
    _lazy: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def level(self) -> str:
        """Level of measurement of every level-dependent number."""
        return self.dataset.level

    @property
    def task(self) -> str:
        """``"single_label"`` (a :class:`~analysis.report.task_result.TaskReport` holds the others)."""
        return "single_label"

    @property
    def overall(self) -> dict[str, Metric]:
        """Overall metrics by name (the names ``--fail-under`` accepts)."""
        return self.agreement.overall

    @property
    def per_class(self) -> dict[str, dict[str, Metric]]:
        """Per-label metrics: label -> name -> Metric."""
        return self.agreement.per_class

    @property
    def rounds(self) -> pd.DataFrame | None:
        """Alpha per round with the change from the previous one and its
        ``change_verdict`` (``"increase"``, ``"decrease"``, ``"unclear"``); None without
        batch values."""
        return self.quality.rounds

    @property
    def most_confused_pair(self) -> ConfusedPair | None:
        """The two labels most often paired in disagreement (None without disagreement)."""
        return most_confused_pair(self.coincidence)

    def interpretation(self) -> dict[str, Any]:
        """The ``interpretation`` section: the band and its source for each number."""
        overall = {}
        for name, metric in self.agreement.overall.items():
            band = interpret_metric(name, metric.value)
            overall[name] = None if band is None else band.to_dict()
        per_annotator = {}
        for name, entry in self.annotator_metrics.items():
            per_annotator[name] = {
                key: (None if (band := interpret_metric(key, entry[key].value)) is None
                      else band.to_dict())
                for key in ("kappa_vs_consensus", "alpha_without")
            }
        return {"overall": overall, "per_annotator": per_annotator}

    def pairwise_matrix(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Cohen's kappa and overlap for every pair, as annotators x annotators tables.

        Returns
        -------
        kappa : DataFrame
            Symmetric; NaN on the diagonal and where a pair's kappa is undefined.
        overlap : DataFrame of int
            Items both labelled; the diagonal holds each annotator's item count.
        """
        data = self.dataset.reliability
        return self.pairwise.matrices([str(a) for a in data.annotators],
                                      overlap_diagonal=data.judgements_per_annotator())

    def guideline_before_after(self, guideline: pd.DataFrame) -> pd.DataFrame:
        """Alpha before and after each guideline version
        (:func:`analysis.quality.rounds.guideline_before_after`); empty without rounds."""
        rounds = self.rounds
        if rounds is None:
            rounds = pd.DataFrame(columns=["batch", "alpha", "ci_low", "ci_high", "change",
                                           "change_ci_low", "change_ci_high"])
        return guideline_before_after(rounds, guideline)

    def _once(self, key: Any, compute: Any) -> Any:
        # Tables computed on first use and kept with the report (deterministic, so two
        # threads racing here compute the same value).
        if key not in self._lazy:
            self._lazy[key] = compute()
        return self._lazy[key]

    def consensus_table(self) -> pd.DataFrame:
        """One row per item: majority and Dawid-Skene labels, posterior, entropy, margin.

        The report's own table when it was built with ``consensus=True``; otherwise
        :func:`~analysis.consensus.consensus_table` from the report's fitted model (no
        second fit), computed once and kept.
        """
        if self.quality.consensus is not None:
            return self.quality.consensus
        return self._once("consensus", lambda: consensus_table(self.dataset, model=self.quality.model))

    def fatigue_curves(self, *, window: int = 50) -> pd.DataFrame:
        """Rolling agreement along each annotator's sequence
        (:func:`analysis.quality.fatigue_curves`), computed once per window and kept."""
        return self._once(("fatigue_curves", window), lambda: fatigue_curves(self.dataset, window=window))

    def fatigue_trend_lines(self, *, window: int = 50) -> pd.DataFrame:
        """The fitted fatigue trend of each annotator along its sequence
        (:func:`analysis.quality.fatigue_lines.fatigue_trend_lines` of the curves and the
        report's trends)."""
        trends = self.quality.fatigue
        if trends is None:
            trends = pd.DataFrame({"annotator": pd.Series(dtype="string"), "slope": [], "intercept": []})
        return self._once(("fatigue_lines", window),
                          lambda: fatigue_trend_lines(self.fatigue_curves(window=window), trends))

    def distance_curves(self, *, window: int = 50) -> pd.DataFrame:
        """Rolling distance to the others along each annotator's sequence, for scale levels
        (:func:`analysis.diagnostics.rater_effects.distance_curves`), computed once and kept."""

        return self._once(("distance_curves", window), lambda: distance_curves(self.dataset, window=window))

    def distance_trend_lines(self, *, window: int = 50) -> pd.DataFrame:
        """The fitted distance trend of each annotator along its sequence, at scale levels
        (:func:`analysis.quality.fatigue_lines.distance_trend_lines` of
        :meth:`distance_curves` and the rater effects' trends); empty without them."""
        trends = None if self.rater_effects is None else self.rater_effects.trends
        if trends is None:
            trends = pd.DataFrame({"annotator": pd.Series(dtype="string"), "slope": [], "intercept": []})
        return self._once(("distance_lines", window),
                          lambda: distance_trend_lines(self.distance_curves(window=window), trends))

    def annotator_confusion(
        self, annotator: str, *, reference: Literal["leave_one_out", "dawid_skene"] = "leave_one_out"
    ) -> pd.DataFrame:
        """One annotator's labels against the consensus
        (:func:`analysis.quality.annotator_confusion`; Dawid-Skene from the report's model)."""
        return self._once(
            ("confusion", annotator, reference),
            lambda: annotator_confusion(self.dataset, annotator, reference=reference, model=self.quality.model),
        )

    @property
    def class_entries(self) -> dict[str, ClassAgreement]:
        """Each label's typed ``per_class`` entry (the metrics of :attr:`per_class`)."""
        return self._once("class_entries", lambda: {
            str(label): ClassAgreement(str(label), metrics) for label, metrics in self.per_class.items()})

    @property
    def annotator_entries(self) -> dict[str, AnnotatorEntry]:
        """Each annotator's typed ``per_annotator`` entry: the agreement measures, the
        quality fields and, at ordinal and above, the rater effects."""
        return self._once("annotator_entries", lambda: annotator_entries(
            self.annotator_metrics, self.quality.annotator_sections(),
            {} if self.rater_effects is None else self.rater_effects.sections()))

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (strict JSON: no NaN), keys as documented in the README."""
        report: dict[str, Any] = {
            "report_version": self.version,
            "dataset": self.summary.to_dict(),
            "overall": self.agreement.overall,
            "per_class": {label: entry.to_dict() for label, entry in self.class_entries.items()},
            "per_annotator": {name: entry.to_dict() for name, entry in self.annotator_entries.items()},
            "pairwise": [],
            "interpretation": self.interpretation(),
        }
        report.update(self.quality.table_sections())
        if self.rounds is not None and "rounds" in report:
            for entry, verdict in zip(report["rounds"], self.rounds["change_verdict"], strict=True):
                entry["change_verdict"] = verdict
        if self.diagnosis is not None:
            report.update(self.diagnosis.to_dict())
        pair = self.most_confused_pair
        report["most_confused_pair"] = None if pair is None else {
            "label_a": pair.label_a, "label_b": pair.label_b, "share": pair.share}
        if self.models is not None:
            report["models_vs_humans"] = self.models.to_dict()
        result = jsonable(report)
        # already strict JSON (a Metric holds no NaN); crowd data has tens of thousands of pairs
        result["pairwise"] = self.pairwise.records()
        return result
