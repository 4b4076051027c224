"""Overall and per-label agreement with bootstrap intervals, from one set of resamples.

:func:`agreement_summary` reduces the data to item patterns once, computes every
coefficient on the pattern frequencies (the estimate) and on multinomial resamples of
them (the item bootstrap), and wraps each in a :class:`~analysis.metrics.result.Metric` whose
``note`` says how its interval was obtained or why it is undefined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from analysis.base.blas import one_blas_thread
from analysis.base.errors import UsageError
from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level, kappa_weighting, level_note
from analysis.data.reliability import ReliabilityData
from analysis.messages import join, note
from analysis.metrics import multi_rater as mr
from analysis.metrics.cohen import statsmodels_kappa_se
from analysis.metrics.intervals import MIN_ITEMS_FOR_CI, with_interval
from analysis.metrics.kappa_cells import kappa_from_sums
from analysis.metrics.light import LightKappa
from analysis.metrics.pairs import PairCells
from analysis.metrics.patterns import ItemPatterns, bootstrap, evaluate_rows
from analysis.metrics.result import Metric

if TYPE_CHECKING:
    import scipy.sparse as sp

OVERALL_METRICS: tuple[str, ...] = (
    "percent_agreement",
    "cohen_kappa",
    "mean_pairwise_cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
)
"""Overall metrics always reported; ``gwet_ac2`` is added at non-nominal levels."""

PAIRWISE_METRICS: tuple[str, ...] = ("cohen_kappa", "mean_pairwise_cohen_kappa")
"""Overall metrics from the annotator pairs' tables (left out with ``pairwise=False``)."""

PER_CLASS_METRICS: tuple[str, ...] = ("fleiss_kappa", "krippendorff_alpha", "specific_agreement")
MIN_SHARED_FOR_LIGHT: int = MIN_ITEMS_FOR_CI
"""Pairs sharing fewer items (of the pairable ones, when there are fewer) are left out of
Light's kappa (the mean of the pairwise Cohen's kappas)."""

Statistic = Callable[[mr.WeightedSums], npt.NDArray[np.float64]]


@dataclass(frozen=True)
class AgreementSummary:
    """Overall metrics (name -> Metric) and per-label metrics (label -> name -> Metric)."""

    overall: dict[str, Metric]
    per_class: dict[str, dict[str, Metric]]
    level: Level
    notes: list[str] = field(default_factory=list)


def _undefined_reason(data: ReliabilityData, patterns: ItemPatterns) -> str | None:
    if data.n_annotators < 2:
        return note("agreement.one_annotator")
    if patterns.pairable_items() == 0:
        return note("agreement.single_rated")
    return None


@validate_params({"bootstrap_resamples": RESAMPLES, "seed": SEED})
@one_blas_thread
def agreement_summary(
    data: AnnotationDataset | ReliabilityData,
    *,
    level: Level | None = None,
    bootstrap_resamples: int = 1000,
    seed: int = 0,
    pairwise: bool = True,
    without_pairwise: AgreementSummary | None = None,
) -> AgreementSummary:
    """Overall and per-label agreement with 95% bootstrap intervals.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        The dataset's level by default (nominal for a bare ``ReliabilityData``).
        Level of measurement for Krippendorff's alpha and the kappa weights.
    bootstrap_resamples : int, default 1000
        Resamples of items for the intervals (0 disables them).
    seed : int, default 0
    pairwise : bool, default True
        Also Cohen's kappa and the mean pairwise Cohen's kappa (Light), which need the
        annotator pairs' tables and SciPy's sparse matrices. ``False`` leaves both out of
        ``overall`` and computes the rest faster (a first screen of numbers); every other
        value and interval is the same, since the resamples do not depend on it.
    without_pairwise : AgreementSummary, optional
        This data's summary at this level, resamples and seed made with
        ``pairwise=False`` (a first screen): only the pairwise kappas are computed and
        added to it, so the result equals the full summary without computing the rest
        again.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> summary = agreement_summary(ReliabilityData.from_table(table), bootstrap_resamples=0)
    >>> round(summary.overall["percent_agreement"].value, 3)
    0.667
    >>> summary.overall["cohen_kappa"].value
    0.4
    """
    level = level_of(data, level)
    data = reliability_of(data, function="agreement_summary")
    patterns = ItemPatterns.from_data(data)
    names = OVERALL_METRICS + (("gwet_ac2",) if level != "nominal" else ())
    if not pairwise:
        names = tuple(name for name in names if name not in PAIRWISE_METRICS)
    if without_pairwise is not None and (
            not pairwise or without_pairwise.level != level
            or any(name in without_pairwise.overall for name in PAIRWISE_METRICS)):
        raise UsageError("The 'without_pairwise' parameter of agreement_summary must be a "
                         "summary made with pairwise=False at the same level "
                         f"({level}). Got level {without_pairwise.level} instead",
                         option="without_pairwise")
    reason = _undefined_reason(data, patterns)
    n_pairable = patterns.pairable_items()
    if reason is not None:
        overall = {name: Metric.undefined(reason, n=n_pairable) for name in names}
        per_class = {
            label: {name: Metric.undefined(reason, n=n_pairable) for name in PER_CLASS_METRICS}
            for label in data.labels
        }
        return AgreementSummary(overall, per_class, level, [reason])

    only_pairs = without_pairwise is not None  # the rest is in without_pairwise already
    features = mr.VoteFeatures.from_counts(patterns.counts, level=level, values=data.values)
    gwet2 = (
        mr.VoteFeatures.from_counts(
            patterns.counts, level="nominal", values=data.values, gwet_level=level
        )
        if level != "nominal" and not only_pairs
        else None
    )
    pairs = _PairwiseKappas.build(patterns, data, level, n_pairable) if pairwise else None
    statistics: dict[str, Statistic] = {} if only_pairs else {
        "percent_agreement": mr.percent_agreement,
        "fleiss_kappa": mr.fleiss_kappa,
        "krippendorff_alpha": mr.krippendorff_alpha,
        "gwet_ac1": mr.gwet_ac,
        "class_fleiss_kappa": mr.fleiss_category_kappa,
        "class_krippendorff_alpha": mr.one_vs_rest_alpha,
        "class_specific_agreement": mr.specific_agreement,
    }

    def evaluate(w: npt.NDArray[np.float64]) -> dict[str, npt.NDArray[np.float64]]:
        sums = features.sums(w) if statistics else None
        result = {name: np.asarray(fn(sums)) for name, fn in statistics.items()}
        if pairs is not None:
            result.update(pairs.evaluate(w))
        if gwet2 is not None:
            result["gwet_ac2"] = mr.gwet_ac(gwet2.sums(w))
        return result

    frequency = patterns.frequency.astype(float)
    estimates = evaluate(frequency)
    per_replicate = ((features.n_columns if statistics else 0) + (gwet2.n_columns if gwet2 is not None else 0)
                     + (pairs.cells_per_replicate() if pairs is not None else 0) + 8 * data.n_labels)
    replicates = (
        bootstrap(patterns, evaluate, n_replicates=bootstrap_resamples, seed=seed,
                  cells_per_replicate=per_replicate)
        if bootstrap_resamples > 0 and n_pairable >= MIN_ITEMS_FOR_CI
        else {}
    )

    def metric(name: str, *, index: int | None = None, n: int = n_pairable,
               extra: str | None = None, why: str) -> Metric:
        value = estimates[name] if index is None else estimates[name][index]
        if not np.isfinite(value):
            return Metric.undefined(why, n=n)
        reps = replicates.get(name)
        if reps is not None and index is not None:
            reps = reps[:, index]
        return with_interval(float(value), reps, n=n, n_replicates=bootstrap_resamples,
                             seed=seed, extra=extra)

    single = _single_label_reason(features.sums(frequency), data)
    chance = single or note("agreement.expected_one")
    if without_pairwise is not None:
        added = without_pairwise.overall | (pairs.metrics(metric, frequency, chance=chance) if pairs else {})
        return replace(without_pairwise, overall={name: added[name] for name in names})
    overall: dict[str, Metric] = {
        "percent_agreement": metric(
            "percent_agreement",
            extra=note("agreement.share_of_pairs"),
            why=note("agreement.no_pairable_item"),
        ),
        "fleiss_kappa": metric("fleiss_kappa", extra=_fleiss_note(patterns), why=chance),
        "krippendorff_alpha": metric(
            "krippendorff_alpha", extra=level_note(level),
            why=single or note("alpha.no_variation"),
        ),
        "gwet_ac1": metric("gwet_ac1", why=single or note("agreement.fewer_than_two_labels")),
    }
    if gwet2 is not None:
        overall["gwet_ac2"] = metric("gwet_ac2", extra=kappa_weighting(level),
                                     why=single or note("agreement.fewer_than_two_labels"))
    if pairs is not None:
        overall |= pairs.metrics(metric, frequency, chance=chance)
    overall = {name: overall[name] for name in names}
    per_class = {
        label: {
            "fleiss_kappa": metric("class_fleiss_kappa", index=c, why=_class_why(label)),
            "krippendorff_alpha": metric(
                "class_krippendorff_alpha", index=c, extra=note("class.one_vs_rest"),
                why=_class_why(label)),
            "specific_agreement": metric(
                "class_specific_agreement", index=c,
                why=note("class.label_absent", label=label)),
        }
        for c, label in enumerate(data.labels)
    }
    return AgreementSummary(overall, per_class, level, [single] if single else [])


MetricOf = Callable[..., Metric]
"""``metric(name, *, n=..., extra=..., why=...)`` of :func:`agreement_summary`."""


@dataclass(frozen=True, eq=False)
class _PairwiseKappas:
    """Cohen's kappa (two annotators) and Light's mean of the pairwise kappas.

    Two annotators: one pair, whose kappa replicates are also Cohen's kappa's. More:
    Light's mean over the pairs that share items, from their cells
    (:mod:`analysis.metrics.light`: one-cell pairs as counts per pattern, the others from
    one sparse product per block of resamples).
    """

    data: ReliabilityData
    level: Level
    pair_cells: PairCells
    pair_matrix: sp.csr_matrix | None
    light_kappa: LightKappa | None
    min_shared: int
    n_few_pairs: int
    any_enough: bool
    n_pairable: int

    @classmethod
    def build(cls, patterns: ItemPatterns, data: ReliabilityData, level: Level,
              n_pairable: int) -> _PairwiseKappas:
        """The pairs' cells of ``patterns`` and what the bootstrap evaluates on them."""
        judged = patterns.judgements
        if judged is None:  # pragma: no cover - patterns grouped by codes keep who said what
            raise RuntimeError("item patterns without judgements")
        sampled = data.pair_sample.judgements(judged.annotator)  # past MAX_PAIRS: a sample
        pattern, annotator, label = ((judged.pattern, judged.annotator, judged.label) if sampled is None
                                     else (judged.pattern[sampled], judged.annotator[sampled],
                                           judged.label[sampled]))
        pair_cells = PairCells.from_judgements(
            pattern, annotator, label, n_units=patterns.n_patterns,
            n_annotators=data.n_annotators, n_labels=data.n_labels)
        pair_matrix = (pair_cells.replicate_matrix(level, data.values)
                       if data.n_annotators == 2 else None)
        # Light's mean leaves out pairs that share fewer than MIN_SHARED_FOR_LIGHT items (or
        # all pairable items, when there are fewer): a kappa on a handful of items is noise,
        # and on crowd data such pairs are most pairs. Their resampled tables are often
        # degenerate (one label: kappa undefined), which drops them from a replicate's mean
        # unevenly and pulls the whole interval away from the estimate.
        shared = np.bincount(pair_cells.cells.group, weights=patterns.frequency[pair_cells.unit],
                             minlength=pair_cells.n_pairs)
        min_shared = min(MIN_SHARED_FOR_LIGHT, n_pairable)
        enough = shared >= min_shared
        n_few_pairs = int((~enough).sum()) if data.n_annotators > 2 else 0
        light_cells = pair_cells.subset(enough) if n_few_pairs else pair_cells
        light_kappa = (LightKappa.from_cells(light_cells, level, data.values,
                                             replicates_per_call=evaluate_rows(patterns.n_patterns))
                       if data.n_annotators > 2 and light_cells.n_pairs > 0 else None)
        return cls(data, level, pair_cells, pair_matrix, light_kappa, min_shared, n_few_pairs,
                   bool(enough.any()), n_pairable)

    def cells_per_replicate(self) -> int:
        """Floats :meth:`evaluate` holds per replicate (for the memory budget)."""
        if self.light_kappa is None:
            return self.pair_cells.cells_per_replicate()
        return self.light_kappa.cells_per_replicate()

    def _light_sums(self, w: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
        data = self.data
        if self.light_kappa is not None:
            total, count = self.light_kappa.total_and_count(w)
        elif data.n_annotators > 2:  # no pair shares enough items
            total = count = np.zeros(np.shape(w)[0] if np.ndim(w) > 1 else 1)
        else:
            total, count = self.pair_cells.kappa_total_and_count(w, self.pair_matrix, self.level,
                                                                 data.values)
        return (total, count) if np.ndim(w) > 1 else (total[0], count[0])

    def evaluate(self, w: npt.NDArray[np.float64]) -> dict[str, npt.NDArray[np.float64]]:
        """``mean_pairwise_cohen_kappa`` (and ``cohen_kappa`` for two annotators) per row."""
        total, count = self._light_sums(w)
        result = {"mean_pairwise_cohen_kappa": np.divide(
            total, count, out=np.full(np.shape(total), np.nan), where=count > 0)}
        if self.data.n_annotators == 2:
            kappas = kappa_from_sums(self.pair_cells.replicate_sums(w, self.pair_matrix),
                                     self.level, self.data.values)
            kappas = kappas if np.ndim(w) > 1 else kappas[0]
            result["cohen_kappa"] = (kappas[..., 0] if kappas.shape[-1]
                                     else np.full(kappas.shape[:-1], np.nan))
        return result

    def metrics(self, metric: MetricOf, frequency: npt.NDArray[np.float64], *,
                chance: str) -> dict[str, Metric]:
        """``cohen_kappa`` and ``mean_pairwise_cohen_kappa`` with their notes."""
        data, level = self.data, self.level
        overall: dict[str, Metric] = {}
        if data.n_annotators != 2:
            overall["cohen_kappa"] = Metric.undefined(
                note("cohen.needs_two", annotators=data.n_annotators), n=self.n_pairable,
            )
        else:
            cells = self.pair_cells.cells
            weights = frequency[self.pair_cells.unit]
            table = np.bincount(cells.first * data.n_labels + cells.second, weights=weights,
                                minlength=data.n_labels**2).reshape(data.n_labels, data.n_labels)
            se = statsmodels_kappa_se(table, level=level, values=data.values)
            extra = join([kappa_weighting(level),
                          None if se is None else note("cohen.statsmodels_se", se=se)])
            overall["cohen_kappa"] = (
                metric("cohen_kappa", n=int(table.sum()), extra=extra, why=chance)
                if table.sum() > 0
                else Metric.undefined(note("cohen.no_shared_item"))
            )
        n_defined = int(self._light_sums(frequency)[1])
        sample = data.pair_sample
        n_all_pairs = sample.n_kept * (sample.n_kept - 1) // 2
        few, min_shared = self.n_few_pairs, self.min_shared
        overall["mean_pairwise_cohen_kappa"] = metric(
            "mean_pairwise_cohen_kappa",
            extra=join([
                note("light.mean", defined=n_defined, pairs=n_all_pairs, weighting=kappa_weighting(level)),
                note("light.unshared_pairs"),
                note("light.few_left_out", count=few, minimum=min_shared) if few else None,
                sample.note() if sample.sampled else None]),
            why=(note("light.crowd", minimum=min_shared, count=few) if few and not self.any_enough
                 else note("light.none_defined")),
        )
        return overall


def _single_label_reason(sums: mr.WeightedSums, data: ReliabilityData) -> str | None:
    used = np.nonzero(sums.pairable_counts > 0)[0]
    if len(used) == 1:
        return note("agreement.one_label", label=data.labels[used[0]])
    return None


def _class_why(label: str) -> str:
    return note("class.always_or_never", label=label)


def _fleiss_note(patterns: ItemPatterns) -> str | None:
    m = patterns.per_pattern[patterns.per_pattern >= 2]
    if len(np.unique(m)) > 1:
        return note("agreement.unequal_counts")
    return None
