"""Multi-rater coefficients from votes per item: percent agreement, Fleiss' kappa,
Krippendorff's alpha and Gwet's AC1/AC2, plus their per-label (category) versions.

Every coefficient is a function of a few weighted sums over item patterns. The
per-pattern quantities are stacked as the columns of one matrix (:class:`VoteFeatures`),
so a weight array of shape ``(n_patterns,)`` (the point estimate: pattern frequencies) or
``(b, n_patterns)`` (bootstrap replicates) gives every sum in a single matrix product
(:meth:`VoteFeatures.sums`), and each coefficient function maps those
:class:`WeightedSums` to one value per weight row. Undefined values are NaN;
:mod:`analysis.metrics.overall` turns them into explained ``Metric.undefined`` results.

Definitions (``x_uc`` votes for label ``c`` on item ``u``, ``m_u`` judgements on ``u``;
only items with ``m_u >= 2`` are *pairable*):

* per-item agreement ``a_u = sum_c x_uc (x_uc - 1) / (m_u (m_u - 1))``: the share of
  ordered pairs of judgements on ``u`` that agree;
* percent agreement: the mean of ``a_u`` over pairable items (each item weighs the same);
* Fleiss' kappa: ``(P - Pe) / (1 - Pe)`` with ``P`` the percent agreement and
  ``Pe = sum_c p_c**2``, ``p_c`` the share of label ``c`` among all judgements on
  pairable items. With the same number of judgements per item this is exactly Fleiss
  (1971); with unequal numbers each item's agreement uses its own ``m_u``;
* Krippendorff's alpha: ``1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck`` over the
  coincidence matrix ``o_ck = sum_u (x_uc x_uk - [c = k] x_uc) / (m_u - 1)``;
* Gwet's AC1/AC2 (Gwet 2008; Handbook, 4th ed., 2014): ``pa`` the mean over pairable
  items of ``sum_k x_uk (x*_uk - 1) / (m_u (m_u - 1))`` with ``x* = x W`` (weights),
  ``pe = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k)``, ``pi_k`` the mean over items with
  a judgement of ``x_uk / m_u``, ``q`` the number of labels, ``T_w`` the sum of weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.data.levels import Level, agreement_weights, alpha_distance
from analysis.metrics.pairs import _pairs_within_units
from analysis.metrics.patterns import unique_rows

DENSE_FEATURE_CELLS = 16_000_000
"""Above this many patterns x columns the feature matrix is stored sparse (each pattern
has at most as many nonzero label columns as judgements), so memory does not grow with
patterns x labels**2 when there are many labels."""

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12

ITEM_COLUMNS: tuple[str, ...] = (
    "pairable", "has_any", "pair_agreement", "gwet_pa", "observed_disagreement",
)
"""Per-pattern quantities with one column each."""

LABEL_COLUMNS: tuple[str, ...] = (
    "pairable_counts", "shares", "class_disagreement", "specific_numerator",
    "specific_denominator", "binary_disagreement",
)
"""Per-pattern quantities with one column per label."""


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Elementwise division that yields NaN (silently) where the denominator is ~0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast_shapes(numerator.shape, denominator.shape), np.nan)
    ok = np.abs(denominator) > _EPS
    np.divide(numerator, denominator, out=out, where=ok)
    return out


@dataclass(frozen=True, eq=False)
class WeightedSums:
    """Sums over items of every per-pattern quantity, for one or many weight rows.

    Item quantities (see :data:`ITEM_COLUMNS`) have shape ``(...)``, label quantities
    (:data:`LABEL_COLUMNS`) ``(..., L)``, ``coincidences`` ``(..., L, L)`` (ordinal level
    only, else ``None``); ``...`` is the shape of the weights without the pattern axis.
    """

    features: VoteFeatures
    pairable: FloatArray
    has_any: FloatArray
    pair_agreement: FloatArray
    gwet_pa: FloatArray
    observed_disagreement: FloatArray
    pairable_counts: FloatArray
    shares: FloatArray
    class_disagreement: FloatArray
    specific_numerator: FloatArray
    specific_denominator: FloatArray
    binary_disagreement: FloatArray
    coincidences: FloatArray | None


_GROUP_MIN_PATTERNS = 1000
"""From this many patterns on, patterns with the same votes share one row of features."""


@dataclass(frozen=True, eq=False)
class VoteFeatures:
    """Per-pattern quantities every multi-rater coefficient is a weighted sum of.

    Build with :meth:`from_counts`; sum with :meth:`sums`.

    Attributes
    ----------
    level : str
        Level of measurement of alpha.
    distance : ndarray, shape (L, L), or None
        Alpha's distance between labels; ``None`` at ordinal level, where it depends on
        the marginals and is computed per weight row.
    values : ndarray, shape (L,)
        The numbers the labels stand for.
    gwet_weight_total : float
        Sum of Gwet's agreement weights (``T_w``).
    matrix : ndarray or scipy CSR matrix, shape (n_patterns, 5 + 6 L [+ L**2 at ordinal level])
        The stacked per-pattern quantities, in the order of :data:`ITEM_COLUMNS`,
        :data:`LABEL_COLUMNS` (``L`` columns each), then the ordinal coincidences;
        sparse above :data:`DENSE_FEATURE_CELLS` cells.
    grouping : scipy CSR matrix or None
        Shape (n_distinct, n_patterns): which distinct row of votes each pattern has,
        when far fewer rows of votes than patterns exist (crowd data: every item its
        own pattern of who said what, a few dozen rows of votes); ``matrix`` then has
        one row per distinct row of votes and :meth:`sums` adds the weights up first.

    Examples
    --------
    >>> f = VoteFeatures.from_counts(np.array([[2, 0], [1, 1]]))
    >>> s = f.sums(np.array([3.0, 1.0]))
    >>> float(s.pairable), s.pairable_counts.tolist()
    (4.0, [7.0, 1.0])
    """

    level: Level
    distance: FloatArray | None
    values: FloatArray
    gwet_weight_total: float
    matrix: Any
    grouping: Any = None

    @property
    def n_columns(self) -> int:
        """Columns of :attr:`matrix` (floats per weight row in :meth:`sums`)."""
        return int(self.matrix.shape[1])

    @classmethod
    def from_counts(
        cls,
        counts: npt.NDArray[np.integer],
        *,
        level: Level = "nominal",
        values: FloatArray | None = None,
        gwet_level: Level = "nominal",
    ) -> VoteFeatures:
        """Features from votes per pattern and label, shape (n_patterns, n_labels)."""
        counts = np.asarray(counts)
        if counts.shape[0] >= _GROUP_MIN_PATTERNS:
            first, group = unique_rows(counts)  # np.unique(axis=0), faster on wide sparse rows
            distinct = counts[first]
            if len(distinct) * 4 <= len(counts):
                import scipy.sparse as sp  # imported here: the command line starts without scipy

                inner = cls.from_counts(distinct, level=level, values=values, gwet_level=gwet_level)
                group = group.reshape(-1)
                grouping = sp.csr_matrix((np.ones(group.size), (group, np.arange(group.size))),
                                         shape=(len(distinct), group.size))
                return cls(level=inner.level, distance=inner.distance, values=inner.values,
                           gwet_weight_total=inner.gwet_weight_total, matrix=inner.matrix,
                           grouping=grouping)
        x = np.asarray(counts, dtype=float)
        n_patterns, n_labels = x.shape
        values = np.arange(n_labels, dtype=float) if values is None else np.asarray(values, float)
        m = x.sum(axis=1)
        pairable = m >= 2
        pair_pairs = np.where(pairable, m * (m - 1), 1.0)
        pair_minus_one = np.where(pairable, m - 1, 1.0)
        mask = pairable[:, None]
        weights = agreement_weights(gwet_level, values)
        extra = n_labels * n_labels if level == "ordinal" else 0
        n_columns = len(ITEM_COLUMNS) + len(LABEL_COLUMNS) * n_labels + extra
        if n_patterns * n_columns > DENSE_FEATURE_CELLS:
            return cls._sparse(x, level=level, values=values, weights=weights, extra=extra)
        matrix = np.zeros((n_patterns, len(ITEM_COLUMNS) + len(LABEL_COLUMNS) * n_labels + extra))
        distance: FloatArray | None = None
        items = matrix[:, : len(ITEM_COLUMNS)]
        items[:, 0] = pairable
        items[:, 1] = m >= 1
        items[:, 2] = np.where(pairable, (x * (x - 1)).sum(axis=1) / pair_pairs, 0.0)
        items[:, 3] = np.where(pairable, (x * (x @ weights.T - 1)).sum(axis=1) / pair_pairs, 0.0)
        if level == "ordinal":
            outer = x[:, :, None] * x[:, None, :]
            outer[:, np.arange(n_labels), np.arange(n_labels)] -= x
            matrix[:, matrix.shape[1] - extra:] = (
                outer / pair_minus_one[:, None, None] * mask[:, :, None]
            ).reshape(n_patterns, extra)
        else:
            distance = alpha_distance(level, values)
            # the diagonal of the distance is 0, so the -[c = k] x_uc term drops out
            observed = np.einsum("uc,ck,uk->u", x, distance, x) / pair_minus_one
            items[:, 4] = np.where(pairable, observed, 0.0)
        rest = m[:, None] - x
        blocks = (
            x * mask,
            x / np.where(m > 0, m, 1.0)[:, None],
            x * rest / pair_pairs[:, None] * mask,
            x * (x - 1) * mask,
            x * (m[:, None] - 1) * mask,
            2 * x * rest / pair_minus_one[:, None] * mask,
        )
        start = len(ITEM_COLUMNS)
        for block in blocks:
            matrix[:, start:start + n_labels] = block
            start += n_labels
        return cls(level=level, distance=distance, values=values,
                   gwet_weight_total=float(weights.sum()), matrix=matrix)

    @classmethod
    def _sparse(cls, x: FloatArray, *, level: Level, values: FloatArray, weights: FloatArray,
                extra: int) -> VoteFeatures:
        """The same matrix built from the nonzero vote counts only (CSR)."""
        import scipy.sparse as sp  # imported here: the command line starts without scipy


        n_patterns, n_labels = x.shape
        m = x.sum(axis=1)
        pairable = m >= 2
        pair_pairs = np.where(pairable, m * (m - 1), 1.0)
        minus_one = np.where(pairable, m - 1, 1.0)
        p, c = np.nonzero(x)
        v = x[p, c]
        mp, ok = m[p], pairable[p]
        rows, cols, data = [], [], []

        def put(row: np.ndarray, col: np.ndarray, value: np.ndarray) -> None:
            rows.append(row)
            cols.append(col)
            data.append(np.asarray(value, dtype=float))

        # item columns: pairable, has_any, pair_agreement, gwet_pa, observed_disagreement
        agree = np.bincount(p, weights=v * (v - 1), minlength=n_patterns)
        weighted = v if np.array_equal(weights, np.eye(n_labels)) else _row_weighted(x, weights, p, c)
        x_w = np.bincount(p, weights=v * weighted, minlength=n_patterns)
        gwet = np.where(pairable, (x_w - m) / pair_pairs, 0.0)
        everyone = np.arange(n_patterns)
        put(everyone, np.zeros(n_patterns, int), pairable.astype(float))
        put(everyone, np.ones(n_patterns, int), (m >= 1).astype(float))
        put(everyone, np.full(n_patterns, 2), np.where(pairable, agree / pair_pairs, 0.0))
        put(everyone, np.full(n_patterns, 3), gwet)
        left, right = _pairs_within_units(p)
        if level != "ordinal":
            distance = alpha_distance(level, values)
            observed = np.bincount(p[left], weights=2 * v[left] * v[right] * distance[c[left], c[right]],
                                   minlength=n_patterns) / minus_one
            put(everyone, np.full(n_patterns, 4), np.where(pairable, observed, 0.0))
        rest = mp - v
        blocks = (
            v * ok, v / np.where(mp > 0, mp, 1.0), v * rest / pair_pairs[p] * ok,
            v * (v - 1) * ok, v * (mp - 1) * ok, 2 * v * rest / minus_one[p] * ok,
        )
        start = len(ITEM_COLUMNS)
        for block in blocks:
            put(p, start + c, block)
            start += n_labels
        if level == "ordinal":
            scale = ok / minus_one[p]
            put(p, start + c * n_labels + c, v * (v - 1) * scale)
            keep = ok[left]
            a, b = left[keep], right[keep]
            both = v[a] * v[b] / minus_one[p[a]]
            put(p[a], start + c[a] * n_labels + c[b], both)
            put(p[a], start + c[b] * n_labels + c[a], both)
        n_columns = start + extra
        matrix = sp.csr_matrix(
            (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_patterns, n_columns),
        )
        return cls(level=level, distance=None if level == "ordinal" else alpha_distance(level, values),
                   values=values, gwet_weight_total=float(weights.sum()), matrix=matrix)

    @property
    def n_labels(self) -> int:
        """Number of labels."""
        return len(self.values)

    def sums(self, weights: FloatArray) -> WeightedSums:
        """Every per-pattern quantity summed with ``weights``, shape (..., n_patterns)."""
        w = np.asarray(weights, dtype=float)
        if self.grouping is not None:  # weights of the distinct rows of votes
            grouped = np.asarray(self.grouping @ np.atleast_2d(w).T).T
            w = grouped[0] if w.ndim == 1 else grouped
        if isinstance(self.matrix, np.ndarray):
            total = w @ self.matrix
        else:
            total = np.asarray((self.matrix.T @ np.atleast_2d(w).T).T)
            if w.ndim == 1:
                total = total[0]
        n_labels = self.n_labels
        named: dict[str, FloatArray] = {
            name: total[..., i] for i, name in enumerate(ITEM_COLUMNS)
        }
        start = len(ITEM_COLUMNS)
        for name in LABEL_COLUMNS:
            named[name] = total[..., start:start + n_labels]
            start += n_labels
        coincidences = (
            total[..., start:].reshape(*total.shape[:-1], n_labels, n_labels)
            if self.level == "ordinal"
            else None
        )
        return WeightedSums(features=self, coincidences=coincidences, **named)


def _row_weighted(x: FloatArray, weights: FloatArray, p: np.ndarray, c: np.ndarray) -> FloatArray:
    """``(x @ weights.T)[p, c]`` for many labels, one row at a time of the nonzero entries."""
    out = np.empty(p.size)
    for start in range(0, p.size, 4096):
        sl = slice(start, start + 4096)
        out[sl] = np.einsum("ij,ij->i", x[p[sl]], weights[c[sl]])
    return out


def percent_agreement(s: WeightedSums) -> FloatArray:
    """Mean share of agreeing judgement pairs per pairable item."""
    return _ratio(s.pair_agreement, s.pairable)


def label_proportions(s: WeightedSums) -> FloatArray:
    """``p_c``: share of each label among judgements on pairable items, shape (..., L)."""
    totals = s.pairable_counts
    return _ratio(totals, totals.sum(axis=-1, keepdims=True))


def fleiss_kappa(s: WeightedSums) -> FloatArray:
    """Fleiss' kappa (see the module notes for unequal numbers of judgements)."""
    expected = (label_proportions(s) ** 2).sum(axis=-1)
    return _ratio(percent_agreement(s) - expected, 1.0 - expected)


def krippendorff_alpha(s: WeightedSums) -> FloatArray:
    """Krippendorff's alpha at the features' level of measurement.

    Examples
    --------
    Three items labelled twice, one split (``1 - (6 - 1) * 2 / (2 * 3 * 3) = 4/9``):

    >>> f = VoteFeatures.from_counts(np.array([[2, 0], [0, 2], [1, 1]]))
    >>> round(float(krippendorff_alpha(f.sums(np.ones(3)))), 4)
    0.4444
    """
    f = s.features
    marginals = s.pairable_counts  # n_c, shape (..., L)
    n = marginals.sum(axis=-1)
    if s.coincidences is not None:  # ordinal: the distance depends on the marginals
        distance = alpha_distance("ordinal", f.values, marginals)
        observed = (s.coincidences * distance).sum(axis=(-2, -1))
        expected = np.einsum("...c,...ck,...k->...", marginals, distance, marginals)
    else:
        observed = s.observed_disagreement
        expected = np.einsum("...c,ck,...k->...", marginals, f.distance, marginals)
    return 1.0 - _ratio((n - 1.0) * observed, expected)


def gwet_ac(s: WeightedSums) -> FloatArray:
    """Gwet's AC1 (identity weights) or AC2 (the weights the features were built with)."""
    f = s.features
    q = f.n_labels
    if q < 2:
        return np.full(np.shape(s.pairable), np.nan)
    pa = _ratio(s.gwet_pa, s.pairable)
    pi = _ratio(s.shares, s.has_any[..., None])
    pe = f.gwet_weight_total / (q * (q - 1)) * (pi * (1 - pi)).sum(axis=-1)
    return _ratio(pa - pe, 1.0 - pe)


def fleiss_category_kappa(s: WeightedSums) -> FloatArray:
    """Fleiss's (1971) category-specific kappa for every label, shape (..., L).

    ``kappa_c = 1 - mean_u[x_uc (m_u - x_uc) / (m_u (m_u - 1))] / (p_c (1 - p_c))``; the
    overall kappa is the ``p_c (1 - p_c)``-weighted mean of these.
    """
    disagreement = _ratio(s.class_disagreement, s.pairable[..., None])
    p = label_proportions(s)
    return 1.0 - _ratio(disagreement, p * (1.0 - p))


def specific_agreement(s: WeightedSums) -> FloatArray:
    """Specific agreement per label, shape (..., L).

    Of all pairs of judgements on the same item in which at least the first says ``c``,
    the share where the second says ``c`` too: ``sum x(x-1) / sum x(m-1)``. With two
    annotators and two labels this is the positive agreement ``2a / (2a + b + c)``.
    """
    return _ratio(s.specific_numerator, s.specific_denominator)


def one_vs_rest_alpha(s: WeightedSums) -> FloatArray:
    """Nominal Krippendorff's alpha for each label against all others, shape (..., L)."""
    positive = s.pairable_counts
    n = positive.sum(axis=-1, keepdims=True)
    negative = n - positive
    return 1.0 - _ratio((n - 1.0) * s.binary_disagreement, 2.0 * positive * negative)


def coincidence_counts(counts: npt.NDArray[np.integer]) -> FloatArray:
    """Krippendorff's coincidence matrix ``o_ck`` from votes per item, shape (L, L).

    Examples
    --------
    >>> coincidence_counts(np.array([[2, 0], [1, 1], [1, 0]])).tolist()
    [[2.0, 1.0], [1.0, 0.0]]
    """
    x = np.asarray(counts, dtype=float)
    m = x.sum(axis=1)
    keep = m >= 2
    x, m = x[keep], m[keep]
    scaled = x / (m - 1)[:, None]
    return scaled.T @ x - np.diag(scaled.sum(axis=0))
