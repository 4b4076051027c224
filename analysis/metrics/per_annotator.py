"""Per-annotator agreement: pairwise Cohen's kappa, kappa against the leave-one-out
consensus of the others, alpha without the annotator, and label-distribution bias.

Intervals here are analytic where statsmodels offers a standard error (the kappas:
``kappa +/- 1.96 SE``, computed for every pair or annotator at once with statsmodels'
formula) and bootstrap over items for alpha without the annotator and its change; the
bias is a descriptive distance without an interval (the quality analyses test it).
Everything is computed from the judgements (sparse): time and memory grow with the
judgements and the pairs that share items, never with annotators squared.

The pairwise list (:func:`pairwise_kappas`, only pairs that share items) lives in
:mod:`analysis.metrics.pairwise` and is re-exported here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.base.blas import one_blas_thread
from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level, kappa_weighting
from analysis.data.reliability import ReliabilityData
from analysis.data.votes import NO_CONSENSUS, leave_one_out_per_judgement
from analysis.messages import join, note
from analysis.metrics.alpha_without import alpha_without_each
from analysis.metrics.intervals import (
    MIN_ITEMS_FOR_CI,
    interval_note,
    percentile_interval,
    too_few_note,
    with_interval,
)
from analysis.metrics.kappa_cells import Cells
from analysis.metrics.pairwise import (
    NO_SHARED_ITEM,
    Z_95,
    PairKappa,
    pairwise_kappas,
    pairwise_records,
)
from analysis.metrics.patterns import ItemPatterns
from analysis.metrics.result import Metric

__all__ = [  # the pairwise list lives in analysis.metrics.pairwise; re-exported here
    "NO_SHARED_ITEM", "PER_ANNOTATOR_RESAMPLES", "PairKappa", "kappa_metric", "pairwise_kappas",
    "pairwise_records", "per_annotator_metrics",
]

PER_ANNOTATOR_RESAMPLES = 200
"""Cap on bootstrap resamples for alpha without each annotator (one paired bootstrap for
all annotators; the overall numbers use the full count)."""

def _kappa_metric(n: float, value: float, se: float, *, level: Level, what: str) -> Metric:
    """One group's kappa with its statsmodels-SE interval, or why it has none."""
    n = int(np.rint(n))
    if n == 0:
        return Metric.undefined(note("cohen.no_items", reason=what), n=0)
    if not np.isfinite(value):
        return Metric.undefined(note("cohen.single_label"), n=n)
    weighting = kappa_weighting(level)
    if n < MIN_ITEMS_FOR_CI:
        return Metric(value, n=n, note=join([weighting, too_few_note("items")]))
    if not np.isfinite(se):
        return Metric(value, n=n, note=join([weighting, note("interval.no_se")]))
    low, high = max(-1.0, value - Z_95 * se), min(1.0, value + Z_95 * se)
    return Metric(value, low, high, n=n, note=join([weighting, note("interval.kappa_se", se=se)]))


def kappa_metric(table: npt.NDArray[np.float64], *, level: Level,
                 values: npt.NDArray[np.float64], what: str) -> Metric:
    """Cohen's kappa of one contingency table with a statsmodels-SE interval."""
    table = np.asarray(table, dtype=float)
    first, second = np.nonzero(table > 0)
    cells = Cells(np.zeros(first.size, dtype=np.int64), first, second, 1, table.shape[0])
    n, kappa, se = cells.kappa_and_se(table[first, second], level, values)
    return _kappa_metric(float(n[0]), float(kappa[0]), float(se[0]), level=level, what=what)


def _consensus_kappas(data: ReliabilityData, target: npt.NDArray[np.int64], *,
                      level: Level) -> list[Metric]:
    use = target != NO_CONSENSUS
    cells = Cells(data.annotator_index[use], data.label_code[use], target[use],
                  data.n_annotators, data.n_labels)
    n, kappa, se = cells.kappa_and_se(np.ones(int(use.sum())), level, data.values)
    return [_kappa_metric(n[j], kappa[j], se[j], level=level,
                          what=note("annotator.no_majority_label"))
            for j in range(data.n_annotators)]


def _alpha_without_metrics(data: ReliabilityData, *, level: Level, n_replicates: int,
                           seed: int) -> tuple[list[Metric], list[Metric]]:
    """``alpha_without`` and ``alpha_change`` for every annotator (paired bootstrap)."""
    if data.n_annotators - 1 < 2:
        undefined = Metric.undefined(note("without.one_remains"))
        change = Metric.undefined(note("without.change_undefined"))
        return [undefined] * data.n_annotators, [change] * data.n_annotators
    patterns = ItemPatterns.from_data(data)
    result = alpha_without_each(patterns, level=level, values=data.values,
                                n_replicates=n_replicates, seed=seed)
    has_reps = result.replicates_without.shape[0] > 0
    if has_reps:  # every annotator's interval in one sort
        low_w, high_w, defined_w = percentile_interval(result.replicates_without)
        low_c, high_c, _ = percentile_interval(result.replicates_without
                                               - result.replicates_all[:, None])
    extra = note("without.removed", level=note(f"level.{level}"))
    withouts, changes = [], []
    for j in range(data.n_annotators):
        n = int(result.pairable[j])
        value = result.without[j]
        interval = has_reps and n >= MIN_ITEMS_FOR_CI
        if n == 0:
            metric = Metric.undefined(note("without.no_shared_item"), n=0)
        elif not np.isfinite(value):
            metric = Metric.undefined(note("without.same_label"), n=n)
        elif interval and np.isfinite(low_w[j]):
            metric = Metric(float(value), float(low_w[j]), float(high_w[j]), n=n, note=join(
                [extra, interval_note(n_replicates, seed, int(defined_w[j]))]))
        else:
            metric = with_interval(float(value), None if not interval else
                                   np.full(1, np.nan), n=n, n_replicates=n_replicates
                                   if interval else 0, seed=seed, extra=extra)
        withouts.append(metric)
        if metric.value is None or not np.isfinite(result.alpha):
            changes.append(Metric.undefined(note("without.change_undefined")))
            continue
        low = high = None
        change_note = note("without.change")
        if interval and np.isfinite(low_c[j]):
            low, high = float(low_c[j]), float(high_c[j])
            change_note = join([change_note, note("without.paired_interval", resamples=n_replicates,
                                                  seed=seed)])
        changes.append(Metric(float(value) - result.alpha, low, high, n=n, note=change_note))
    return withouts, changes


@validate_params({"bootstrap_resamples": RESAMPLES, "seed": SEED})
@one_blas_thread
def per_annotator_metrics(
    data: AnnotationDataset | ReliabilityData,
    *,
    level: Level | None = None,
    bootstrap_resamples: int = 1000,
    seed: int = 0,
    alpha_all: float | None = None,
) -> dict[str, dict[str, Any]]:
    """Per-annotator agreement, keyed by annotator name.

    Each entry holds ``items`` (int), ``kappa_vs_consensus``, ``alpha_without``,
    ``alpha_change`` (alpha without minus alpha with everyone: positive means agreement
    rises without the annotator; with a paired bootstrap interval), ``label_bias_tvd``
    (Metric each), and ``consensus_ties`` / ``consensus_missing`` (items left out of the
    consensus kappa because the others tied, or nobody else labelled them).

    ``alpha_all`` is accepted for compatibility; alpha with everyone is recomputed on
    the same items as the paired bootstrap.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyzxyz"),
    ...                       "label": list("ppnppp")})
    >>> entry = per_annotator_metrics(ReliabilityData.from_table(table),
    ...                               bootstrap_resamples=0)["z"]
    >>> entry["items"], round(entry["label_bias_tvd"].value, 3)
    (2, 0.5)
    """
    level = level_of(data, level)
    data = reliability_of(data, function="per_annotator_metrics")
    n_annotators = data.n_annotators
    per_item = data.judgements_per_item()[data.item_index]
    shared = per_item >= 2  # judgements on items someone else labelled too
    items = data.judgements_per_annotator()
    if n_annotators > 1:
        target = leave_one_out_per_judgement(data)
        ties = np.bincount(data.annotator_index, weights=shared & (target == NO_CONSENSUS),
                           minlength=n_annotators)
        missing = np.bincount(data.annotator_index, weights=~shared, minlength=n_annotators)
        kappas = _consensus_kappas(data, target, level=level)
    withouts, changes = _alpha_without_metrics(
        data, level=level, n_replicates=min(bootstrap_resamples, PER_ANNOTATOR_RESAMPLES), seed=seed)
    biases = _label_bias(data, shared)
    result: dict[str, dict[str, Any]] = {}
    for j, name in enumerate(data.annotators):
        entry: dict[str, Any] = {"items": int(items[j])}
        if n_annotators <= 1:
            entry["kappa_vs_consensus"] = Metric.undefined(note("annotator.no_other"))
            n_ties = n_missing = 0
        else:
            n_ties, n_missing = int(ties[j]), int(missing[j])
            metric = kappas[j]
            against = note("annotator.against_majority", ties=n_ties, missing=n_missing)
            entry["kappa_vs_consensus"] = Metric(metric.value, metric.ci_low, metric.ci_high,
                                                 n=metric.n, note=join([against, metric.note]))
        entry["alpha_without"] = withouts[j]
        entry["alpha_change"] = changes[j]
        entry["label_bias_tvd"] = biases[j]
        entry["consensus_ties"] = n_ties
        entry["consensus_missing"] = n_missing
        result[str(name)] = entry
    return result


def _label_bias(data: ReliabilityData, shared: npt.NDArray[np.bool_]) -> list[Metric]:
    n_annotators, n_labels = data.n_annotators, data.n_labels
    who, label, item = data.annotator_index[shared], data.label_code[shared], data.item_index[shared]
    n = np.bincount(who, minlength=n_annotators)
    mine = np.bincount(who * n_labels + label, minlength=n_annotators * n_labels
                       ).reshape(n_annotators, n_labels).astype(float)
    counts = data.counts()
    theirs = np.empty((n_annotators, n_labels))
    for c in range(n_labels):
        theirs[:, c] = np.bincount(who, weights=counts[item, c], minlength=n_annotators)
    theirs -= mine
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = 0.5 * np.abs(mine / mine.sum(axis=1, keepdims=True)
                                - theirs / theirs.sum(axis=1, keepdims=True)).sum(axis=1)
    descriptive = note("annotator.label_bias")
    return [Metric(float(distance[j]), n=int(n[j]), note=descriptive) if n[j] > 0
            else Metric.undefined(note("annotator.no_shared_label"))
            for j in range(n_annotators)]
