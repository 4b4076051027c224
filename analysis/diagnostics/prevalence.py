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

from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, reliability_of
from analysis.data.reliability import ReliabilityData
from analysis.messages import note
from analysis.metrics.intervals import with_interval
from analysis.metrics.pairs import PairCells
from analysis.metrics.patterns import ItemPatterns, bootstrap
from analysis.metrics.result import Metric


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


SPARSE_MIN_LABELS = 10
SPARSE_MAX_DENSITY = 0.1
"""The per-item label counts are summed as a sparse matrix from this many labels on, when
at most this share of (item pattern, label) cells is non-zero (crowd data with many
labels: each item holds a handful of its labels)."""


class SpecificSums:
    """Positive and negative specific agreement per label from weight rows.

    The four sums per label (``x(x-1)``, ``x(m-1)``, ``r(r-1)``, ``r(m-1)`` with
    ``r = m - x``) are weighted sums over item patterns. With many labels and few of them
    per item, only the non-zero ``x`` carry information: ``r(r-1) = m(m-1) - x(2m-x-1)``
    and ``r(m-1) = m(m-1) - x(m-1)``, so one sparse product and one dot product give all
    four. Weights and counts are whole numbers, so both layouts give the same sums
    exactly.

    Examples
    --------
    Two annotators; ``a = 40`` items both "y", ``b + c = 20`` split, ``d = 40`` both "n":
    ``2a / (2a + b + c) = 0.8`` for "y".

    >>> counts = np.array([[2.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    >>> weights = np.array([40.0, 20.0, 40.0])
    >>> positive, negative = SpecificSums(counts)(weights)
    >>> positive.tolist(), negative.tolist()
    ([0.8, 0.8], [0.8, 0.8])
    >>> [a.tolist() for a in SpecificSums(counts, sparse_layout=True)(weights)] == [positive.tolist(), negative.tolist()]
    True
    """

    def __init__(self, counts: npt.NDArray[np.float64], *, sparse_layout: bool | None = None) -> None:
        counts = np.asarray(counts, dtype=float)
        self.n_labels = counts.shape[1]
        m = counts.sum(axis=1)
        if sparse_layout is None:
            sparse_layout = (self.n_labels >= SPARSE_MIN_LABELS
                             and np.count_nonzero(counts) <= SPARSE_MAX_DENSITY * counts.size)
        self.sparse = sparse_layout
        if self.sparse:
            from scipy import sparse

            rows, cols = np.nonzero(counts)
            x, mi = counts[rows, cols], m[rows]
            k = self.n_labels
            data = np.concatenate([x * (x - 1), x * (mi - 1), x * (2 * mi - x - 1)])
            self._pairs = m * (m - 1)
            # transposed once: (3 L, patterns) times (patterns, replicates)
            self._blocks_t = sparse.csr_matrix(
                (data, (np.concatenate([cols, cols + k, cols + 2 * k]), np.tile(rows, 3))),
                shape=(3 * k, counts.shape[0]))
        else:
            rest = m[:, None] - counts
            mm = m[:, None] - 1
            self._blocks = np.concatenate([counts * (counts - 1), counts * mm, rest * (rest - 1), rest * mm], axis=1)

    def __call__(self, weights: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
        """(positive, negative), each of shape (..., n_labels) for weights of shape (..., n_patterns)."""
        w = np.asarray(weights, dtype=float)
        k = self.n_labels
        if self.sparse:
            product = np.asarray(self._blocks_t @ w.T).T  # (..., 3 L)
            pairs = (w @ self._pairs)[..., None]
            both, given = product[..., :k], product[..., k:2 * k]
            rest_both, rest_given = pairs - product[..., 2 * k:], pairs - given
        else:
            sums = w @ self._blocks
            both, given, rest_both, rest_given = (sums[..., i * k:(i + 1) * k] for i in range(4))
        with np.errstate(invalid="ignore", divide="ignore"):
            positive = np.where(given > 0, both / given, np.nan)
            negative = np.where(rest_given > 0, rest_both / rest_given, np.nan)
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
    # (on a sample of annotators when the pairs would not fit: analysis.data.pair_sample)
    item, annotator, label = data.pair_judgements()
    pairs = PairCells.from_judgements(
        item, annotator, label, n_units=data.n_items,
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


@validate_params({"bootstrap_resamples": RESAMPLES, "seed": SEED})
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
    specific = SpecificSums(pattern_counts) if n else None
    positive, negative = specific(weights) if specific is not None else (np.full(data.n_labels, np.nan),) * 2
    replicates: dict[str, np.ndarray] = {}
    if specific is not None and bootstrap_resamples > 0:
        replicates = bootstrap(
            patterns,
            lambda w: dict(zip(("positive", "negative"), specific(w), strict=True)),
            n_replicates=bootstrap_resamples, seed=seed)
    bias = bias_indices(data)
    result = []
    for c, label in enumerate(data.labels):
        metrics = []
        for name, values, what in (("positive", positive, "positive"), ("negative", negative, "negative")):
            value = float(values[c]) if n else float("nan")
            if not np.isfinite(value):
                why = note("prevalence.no_positive" if what == "positive" else "prevalence.no_negative",
                           label=label)
                metrics.append(Metric.undefined(why, n=n))
                continue
            reps = replicates.get(name)
            metrics.append(with_interval(
                value, None if reps is None else reps[:, c], n=n, n_replicates=bootstrap_resamples, seed=seed,
                extra=note("prevalence.specific", side=note(f"prevalence.{what}"), label=label)))

        result.append(LabelPrevalence(
            label=label, judgements=int(judgements[c]), share=float(share[c]),
            prevalence_index=float(abs(2 * share[c] - 1)),
            bias_index=None if not np.isfinite(bias[c]) else float(bias[c]),
            positive_agreement=metrics[0], negative_agreement=metrics[1]))
    return result
