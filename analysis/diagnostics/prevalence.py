"""Prevalence, bias and specific agreement per label: why kappa and AC1 can disagree.

For each label ``c`` taken against all others (one-vs-rest):

* **prevalence index** ``PI_c = |2 p_c - 1|``, with ``p_c`` the share of ``c`` among
  judgements on items labelled twice or more. With two annotators this is Byrt, Bishop &
  Carlin's (1993) ``|a - d| / n`` exactly; near 1, one side dominates and
  chance-corrected coefficients fall although raw agreement is high (Feinstein &
  Cicchetti 1990).
* **bias index** ``BI_c``: Byrt et al.'s ``|b - c| / n`` (how differently two annotators
  use ``c`` on the items they share), generalised to many annotators as the sum over
  pairs of ``|n_A(c) - n_B(c)|`` on their shared items divided by the sum of the pairs'
  shared items. Computed from the pairs of judgements on each item, so its cost follows
  the pairs that really share items.
* **positive specific agreement** ``sum x (x - 1) / sum x (m - 1)`` and **negative specific
  agreement** ``sum (m - x)(m - x - 1) / sum (m - x)(m - 1)`` over items (``x`` judgements
  of ``c`` among ``m``): with two annotators ``2a / (2a + b + c)`` and
  ``2d / (2d + b + c)`` (Cicchetti & Feinstein 1990; Uebersax's multi-rater form), each
  with a 95% item-bootstrap interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.dataset import AnnotationDataset, reliability_of
from analysis.metrics.intervals import with_interval
from analysis.metrics.pairs import PairCells
from analysis.metrics.patterns import ItemPatterns, bootstrap
from analysis.metrics.result import Metric
from analysis.reliability import ReliabilityData


@dataclass(frozen=True)
class LabelPrevalence:
    """One label's share, prevalence and bias indices and specific agreement."""

    label: str
    judgements: int
    share: float
    prevalence_index: float
    bias_index: float | None
    positive_agreement: Metric
    negative_agreement: Metric

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"judgements": self.judgements, "share": self.share,
                "prevalence_index": self.prevalence_index, "bias_index": self.bias_index,
                "positive_agreement": self.positive_agreement.to_dict(),
                "negative_agreement": self.negative_agreement.to_dict()}


def _specific(counts: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
    """Positive and negative specific agreement per label for weight rows: (..., L) each."""
    m = counts.sum(axis=1, keepdims=True)
    rest = m - counts
    blocks = np.concatenate([counts * (counts - 1), counts * (m - 1), rest * (rest - 1), rest * (m - 1)], axis=1)
    sums = np.asarray(weights, dtype=float) @ blocks
    k = counts.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        positive = np.where(sums[..., k:2 * k] > 0, sums[..., :k] / sums[..., k:2 * k], np.nan)
        negative = np.where(sums[..., 3 * k:] > 0, sums[..., 2 * k:3 * k] / sums[..., 3 * k:], np.nan)
    return positive, negative


def bias_indices(data: AnnotationDataset | ReliabilityData) -> npt.NDArray[np.float64]:
    """Byrt's bias index per label, generalised to many annotators (see the module notes).

    Examples
    --------
    Two annotators, 2x2 table a=40, b=10, c=0, d=50: BI = |b - c| / n = 0.1.

    >>> import pandas as pd
    >>> pairs = [("1", "1")] * 40 + [("1", "0")] * 10 + [("0", "0")] * 50
    >>> table = pd.DataFrame({"item_id": [str(i) for i in range(100) for _ in range(2)],
    ...                       "annotator": ["x", "y"] * 100,
    ...                       "label": [label for pair in pairs for label in pair]})
    >>> bias_indices(ReliabilityData.from_table(table)).round(3).tolist()
    [0.1, 0.1]
    """
    data = reliability_of(data, function="bias_indices")
    if data.n_judgements == 0:
        return np.full(data.n_labels, np.nan)
    # every pair of judgements on one item, grouped by the pair of annotators (a < b)
    pairs = PairCells.from_judgements(
        data.item_index, data.annotator_index, data.label_code, n_units=data.n_items,
        n_annotators=data.n_annotators, n_labels=data.n_labels)
    cells = pairs.cells
    # each shared item counts once for (a, b) and once for (b, a)
    total = 2.0 * cells.group.size
    if total <= 0:
        return np.full(data.n_labels, np.nan)
    result = np.empty(data.n_labels)
    for c in range(data.n_labels):
        # n_a(c) - n_b(c) on the items a and b share, summed over both orders of the pair
        difference = np.bincount(cells.group, weights=(cells.first == c).astype(float)
                                 - (cells.second == c), minlength=pairs.n_pairs)
        result[c] = 2.0 * np.abs(difference).sum() / total
    return result


def label_prevalence(data: AnnotationDataset | ReliabilityData, *, bootstrap_resamples: int = 1000,
                     seed: int = 0) -> list[LabelPrevalence]:
    """Prevalence and bias indices and positive/negative specific agreement per label.

    Examples
    --------
    Cicchetti & Feinstein's (1990) kind of table, a=85, b=5, c=5, d=5 (n=100):
    p_pos = 170/180 = 0.944, p_neg = 10/20 = 0.5, PI = 0.8.

    >>> import pandas as pd
    >>> pairs = [("y", "y")] * 85 + [("y", "n")] * 5 + [("n", "y")] * 5 + [("n", "n")] * 5
    >>> table = pd.DataFrame({"item_id": [str(i) for i in range(100) for _ in range(2)],
    ...                       "annotator": ["a", "b"] * 100,
    ...                       "label": [label for pair in pairs for label in pair]})
    >>> result = {p.label: p for p in label_prevalence(ReliabilityData.from_table(table),
    ...                                                 bootstrap_resamples=0)}
    >>> y = result["y"]
    >>> round(y.positive_agreement.value, 3), y.negative_agreement.value, round(y.prevalence_index, 3)
    (0.944, 0.5, 0.8)
    """
    data = reliability_of(data, function="label_prevalence")
    counts = data.counts()
    pairable = counts.sum(axis=1) >= 2
    patterns = ItemPatterns.from_counts(counts[pairable])
    n = patterns.n_items
    pattern_counts = patterns.counts.astype(float)
    weights = patterns.frequency.astype(float)
    judgements = (pattern_counts * weights[:, None]).sum(axis=0) if n else np.zeros(data.n_labels)
    total = judgements.sum()
    share = judgements / total if total > 0 else np.full(data.n_labels, np.nan)
    positive, negative = _specific(pattern_counts, weights) if n else (np.full(data.n_labels, np.nan),) * 2
    replicates: dict[str, np.ndarray] = {}
    if n and bootstrap_resamples > 0:
        replicates = bootstrap(
            patterns,
            lambda w: dict(zip(("positive", "negative"), _specific(pattern_counts, w), strict=True)),
            n_replicates=bootstrap_resamples, seed=seed)
    bias = bias_indices(data)
    result = []
    for c, label in enumerate(data.labels):
        metrics = []
        for name, values, what in (("positive", positive, "positive"), ("negative", negative, "negative")):
            value = float(values[c]) if n else float("nan")
            if not np.isfinite(value):
                side = f"'{label}'" if what == "positive" else f"labels other than '{label}'"
                metrics.append(Metric.undefined(f"no item has a judgement of {side} among two or more", n=n))
                continue
            reps = replicates.get(name)
            metrics.append(with_interval(
                value, None if reps is None else reps[:, c], n=n, n_replicates=bootstrap_resamples, seed=seed,
                extra=f"{what} specific agreement on '{label}' (one vs rest)"))
        result.append(LabelPrevalence(
            label=label, judgements=int(judgements[c]), share=float(share[c]),
            prevalence_index=float(abs(2 * share[c] - 1)),
            bias_index=None if not np.isfinite(bias[c]) else float(bias[c]),
            positive_agreement=metrics[0], negative_agreement=metrics[1]))
    return result
