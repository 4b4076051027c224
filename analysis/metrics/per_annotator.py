"""Per-annotator agreement: pairwise Cohen's kappa, kappa against the leave-one-out
consensus of the others, alpha without the annotator, and label-distribution bias.

Intervals here are analytic where statsmodels offers a standard error (the kappas:
``kappa +/- 1.96 SE``) and bootstrap over items for alpha without the annotator; the bias
is a descriptive distance without an interval (the quality analyses test it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.blas import one_blas_thread
from analysis.dataset import AnnotationDataset, level_of, reliability_of
from analysis.metric import Metric
from analysis.metrics.alpha import alpha_with_interval
from analysis.metrics.cohen import (
    annotator_pairs,
    kappa_from_tables,
    pair_table_matrix,
    pair_tables,
    statsmodels_kappa_se,
)
from analysis.metrics.intervals import MIN_ITEMS_FOR_CI
from analysis.metrics.levels import Level, agreement_weights, kappa_weighting
from analysis.reliability import MISSING, ReliabilityData
from analysis.votes import NO_CONSENSUS, leave_one_out_majority

Z_95 = 1.959963984540054
PER_ANNOTATOR_RESAMPLES = 200
"""Cap on bootstrap resamples for alpha without each annotator (one bootstrap per
annotator; the overall numbers use the full count)."""


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa of one pair of annotators over the items both labelled."""

    annotator_a: str
    annotator_b: str
    items: int
    cohen_kappa: Metric

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the report's ``pairwise`` list."""
        return {
            "annotator_a": self.annotator_a,
            "annotator_b": self.annotator_b,
            "items": self.items,
            "cohen_kappa": self.cohen_kappa.to_dict(),
        }


def kappa_metric(table: npt.NDArray[np.float64], *, level: Level,
                 values: npt.NDArray[np.float64], what: str) -> Metric:
    """Cohen's kappa of one contingency table with a statsmodels-SE interval."""
    n = int(table.sum())
    if n == 0:
        return Metric.undefined(f"no items: {what}", n=0)
    value = float(kappa_from_tables(table, agreement_weights(level, values)))
    if not np.isfinite(value):
        return Metric.undefined(
            "a single label on both sides (expected agreement is 1): kappa is undefined", n=n
        )
    note = kappa_weighting(level)
    if n < MIN_ITEMS_FOR_CI:
        return Metric(value, n=n, note=f"{note}; no interval: fewer than {MIN_ITEMS_FOR_CI} items")
    se = statsmodels_kappa_se(table, level=level, values=values)
    if se is None:
        return Metric(value, n=n, note=f"{note}; no interval: standard error undefined")
    low, high = max(-1.0, value - Z_95 * se), min(1.0, value + Z_95 * se)
    note += f"; 95% interval kappa +/- 1.96 SE, statsmodels asymptotic SE {se:.4f}"
    return Metric(value, low, high, n=n, note=note)


@one_blas_thread
def pairwise_kappas(data: AnnotationDataset | ReliabilityData, *, level: Level | None = None) -> list[PairKappa]:
    """Cohen's kappa for every pair of annotators, over the items both labelled.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> pair = pairwise_kappas(ReliabilityData.from_table(table))[0]
    >>> pair.annotator_a, pair.annotator_b, pair.items, pair.cohen_kappa.value
    ('x', 'y', 3, 0.4)
    """
    level = level_of(data, level)
    data = reliability_of(data, function="pairwise_kappas")
    pairs = annotator_pairs(data.n_annotators)
    if not pairs:
        return []
    matrix = pair_table_matrix(data.codes, data.n_labels, pairs)
    tables = pair_tables(np.ones(data.n_items), matrix, len(pairs), data.n_labels)
    result = []
    for (a, b), table in zip(pairs, tables, strict=True):
        metric = kappa_metric(table, level=level, values=data.values,
                              what="the two annotators labelled no item in common")
        result.append(PairKappa(str(data.annotators[a]), str(data.annotators[b]),
                                int(table.sum()), metric))
    return result


def _alpha_without(data: ReliabilityData, counts: np.ndarray, column: int, *, level: Level,
                   n_replicates: int, seed: int) -> Metric:
    if data.n_annotators - 1 < 2:
        return Metric.undefined("only one annotator would remain")
    labelled = np.nonzero(data.codes[:, column] != MISSING)[0]
    without = counts.copy()
    without[labelled, data.codes[labelled, column]] -= 1
    result = alpha_with_interval(without, level=level, values=data.values,
                                 n_replicates=n_replicates, seed=seed,
                                 extra=f"{level} level, this annotator's judgements removed").metric
    if result.is_defined:
        return result
    return Metric.undefined(f"alpha is undefined without this annotator: {result.note}", n=result.n)


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
    rises without the annotator), ``label_bias_tvd`` (Metric each), and
    ``consensus_ties`` / ``consensus_missing`` (items left out of the consensus kappa
    because the others tied, or nobody else labelled them).

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
    codes, n_labels = data.codes, data.n_labels
    labelled = codes != MISSING
    counts = data.counts()
    consensus = leave_one_out_majority(data) if data.n_annotators > 1 else None
    result: dict[str, dict[str, Any]] = {}
    for j, name in enumerate(data.annotators):
        own = labelled[:, j]
        others = labelled.sum(axis=1) - own
        entry: dict[str, Any] = {"items": int(own.sum())}
        if consensus is None:
            entry["kappa_vs_consensus"] = Metric.undefined("no other annotator")
            ties = missing = 0
        else:
            target = consensus[:, j]
            use = own & (target != NO_CONSENSUS)
            ties = int((own & (others > 0) & (target == NO_CONSENSUS)).sum())
            missing = int((own & (others == 0)).sum())
            cells = codes[use, j].astype(np.int64) * n_labels + target[use]
            table = np.bincount(cells, minlength=n_labels * n_labels).reshape(n_labels, n_labels)
            metric = kappa_metric(table.astype(float), level=level, values=data.values,
                                  what="no item has a majority label among the other annotators")
            note = (f"against the majority of the other annotators; {ties} items left out "
                    f"because the others tied, {missing} with no other judgement")
            entry["kappa_vs_consensus"] = Metric(metric.value, metric.ci_low, metric.ci_high,
                                                 n=metric.n, note=f"{note}; {metric.note}")
        entry["alpha_without"] = _alpha_without(
            data, counts, j, level=level, seed=seed + j,
            n_replicates=min(bootstrap_resamples, PER_ANNOTATOR_RESAMPLES))
        without = entry["alpha_without"].value
        entry["alpha_change"] = (
            Metric(without - alpha_all, n=entry["alpha_without"].n,
                   note="alpha without this annotator minus alpha with everyone")
            if without is not None and alpha_all is not None
            else Metric.undefined("alpha with or without this annotator is undefined")
        )
        entry["label_bias_tvd"] = _label_bias(counts, codes[:, j], own & (others > 0), n_labels)
        entry["consensus_ties"] = ties
        entry["consensus_missing"] = missing
        result[str(name)] = entry
    return result


def _label_bias(counts: np.ndarray, own_codes: np.ndarray, use: np.ndarray,
                n_labels: int) -> Metric:
    n = int(use.sum())
    if n == 0:
        return Metric.undefined("no item labelled by this annotator and another")
    mine = np.bincount(own_codes[use], minlength=n_labels).astype(float)
    theirs = counts[use].sum(axis=0) - mine
    distance = 0.5 * np.abs(mine / mine.sum() - theirs / theirs.sum()).sum()
    return Metric(float(distance), n=n, note=(
        "total variation distance between this annotator's label shares and the other "
        "annotators' on the same items (0 same, 1 disjoint); descriptive, no interval"))
