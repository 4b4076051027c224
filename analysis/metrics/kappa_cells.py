"""Cohen's kappa for many two-rater tables at once, from their cells.

A two-rater table is never built as an ``L x L`` array here. Each group (a pair of
annotators, or one annotator against the consensus) is a list of *cells*: one entry per
item both sides labelled, holding the first side's label, the second side's label and a
weight (how many items). Kappa needs only the weighted count, the weighted agreement
and the two label marginals, so time and memory are linear in the cells plus
groups x labels, at every level of measurement: the chance agreement
``sum_ij r_i w_ij c_j`` is computed in ``O(L)`` for identity (nominal), linear (ordinal)
and quadratic (interval, ratio) weights.

The standard error is the one ``statsmodels.stats.inter_rater.cohens_kappa`` reports
(Fleiss, Cohen & Everitt 1969), written for a stack of tables; the test suite checks
both against statsmodels table by table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.data.levels import Level, agreement_weights

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_EPS = 1e-12
_DENSE_MARGINAL_CELLS = 4_000_000
_SPARSE_MARGINAL_LABELS = 10
"""From this many labels, and above this many groups x labels, nominal kappas and their
errors are computed from the marginals' non-zero entries only (crowd data: many
annotator pairs, many labels, a few shared items per pair), not from dense (groups,
labels) arrays."""


def weighted_marginal(x: FloatArray, level: Level, values: FloatArray) -> FloatArray:
    """``x @ W`` for the agreement weights ``W`` of ``level`` (symmetric), in O(L).

    Parameters
    ----------
    x : ndarray, shape (..., L)

    Examples
    --------
    >>> x = np.array([[1.0, 2.0, 3.0]])
    >>> weights = agreement_weights("ordinal", np.arange(3.0))
    >>> np.allclose(weighted_marginal(x, "ordinal", np.arange(3.0)), x @ weights)
    True
    """
    x = np.asarray(x, dtype=float)
    n_labels = x.shape[-1]
    total = x.sum(axis=-1, keepdims=True)
    if level == "nominal" or n_labels < 2:
        return x
    if level == "ordinal":
        # sum_j x_j |i - j| for every i, from running sums
        ranks = np.arange(n_labels, dtype=float)
        count = np.cumsum(x, axis=-1)
        moment = np.cumsum(x * ranks, axis=-1)
        below = ranks * (count - x) - (moment - ranks * x)
        above = (moment[..., -1:] - moment) - ranks * (total - count)
        return total - (below + above) / (n_labels - 1)
    spread = float(np.ptp(values))
    if spread == 0:
        return x
    v = np.asarray(values, dtype=float)
    first = (x * v).sum(axis=-1, keepdims=True)
    second = (x * v**2).sum(axis=-1, keepdims=True)
    return total - (v**2 * total - 2 * v * first + second) / spread**2


@dataclass(frozen=True, eq=False)
class KappaSums:
    """Per group: weighted count ``n``, agreement ``observed`` (sum of cell weights times
    agreement weight), label marginals ``rows`` and ``cols`` (shape (..., G, L))."""

    n: FloatArray
    observed: FloatArray
    rows: FloatArray
    cols: FloatArray


def kappa_from_sums(sums: KappaSums, level: Level, values: FloatArray) -> FloatArray:
    """Cohen's kappa per group, NaN where undefined (no cell, or chance agreement 1)."""
    n = sums.n
    safe = np.where(n > 0, n, 1.0)
    observed = sums.observed / safe
    expected = np.einsum("...c,...c->...", sums.rows,
                         weighted_marginal(sums.cols, level, values)) / safe**2
    out = np.full(np.shape(n), np.nan)
    ok = (n > 0) & (1.0 - expected > _EPS)
    np.divide(observed - expected, 1.0 - expected, out=out, where=ok)
    return out


@dataclass(frozen=True, eq=False)
class Cells:
    """The cells of many two-rater tables: ``group``, ``first`` and ``second`` label per
    cell (int arrays of one length) and the number of groups and labels."""

    group: IntArray
    first: IntArray
    second: IntArray
    n_groups: int
    n_labels: int

    def sums(self, weights: FloatArray, level: Level, values: FloatArray) -> KappaSums:
        """:class:`KappaSums` of the cells weighted by ``weights`` (one per cell)."""
        g, n_labels = self.n_groups, self.n_labels
        w = np.asarray(weights, dtype=float)
        agree = agreement_weights(level, values)[self.first, self.second] if n_labels else w
        return KappaSums(
            n=np.bincount(self.group, weights=w, minlength=g),
            observed=np.bincount(self.group, weights=w * agree, minlength=g),
            rows=np.bincount(self.group * n_labels + self.first, weights=w,
                             minlength=g * n_labels).reshape(g, n_labels),
            cols=np.bincount(self.group * n_labels + self.second, weights=w,
                             minlength=g * n_labels).reshape(g, n_labels),
        )

    def kappa_and_se(
        self, weights: FloatArray, level: Level, values: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(n, kappa, asymptotic SE) per group; SE NaN where statsmodels gives none.

        The SE is statsmodels' ``cohens_kappa(...).std_kappa`` (its weighted formula,
        which equals the simple one for identity weights); none for one item or fewer.
        """
        w = np.asarray(weights, dtype=float)
        if (level == "nominal" and self.n_labels >= _SPARSE_MARGINAL_LABELS and self.group.size
                and self.n_groups * self.n_labels > _DENSE_MARGINAL_CELLS):
            return self._nominal_kappa_and_se(w)
        sums = self.sums(w, level, values)
        kappa = kappa_from_sums(sums, level, values)
        n = sums.n
        safe = np.where(n > 0, n, 1.0)[:, None]
        f_row, f_col = sums.rows / safe, sums.cols / safe
        w_row = weighted_marginal(f_col, level, values)  # (W f_col)_i
        w_col = weighted_marginal(f_row, level, values)  # (W^T f_row)_j
        expected = (f_row * w_row).sum(axis=-1)
        agree = agreement_weights(level, values)[self.first, self.second]
        marginals = w_col[self.group, self.second] + w_row[self.group, self.first]
        return n, kappa, self._standard_error(w, agree, marginals, n, kappa, expected)

    def _standard_error(self, w: FloatArray, agree: FloatArray, marginals: FloatArray, n: FloatArray,
                        kappa: FloatArray, expected: FloatArray) -> FloatArray:
        """statsmodels' asymptotic SE per group from each cell's agreement weight and its
        weighted marginals ``(W^T f_row)_second + (W f_col)_first``."""
        safe = np.where(n > 0, n, 1.0)
        spread = (agree - marginals * (1.0 - kappa[self.group])) ** 2
        term = np.bincount(self.group, weights=w * spread, minlength=self.n_groups) / safe
        with np.errstate(invalid="ignore", divide="ignore"):
            variance = (term - (kappa - expected * (1.0 - kappa)) ** 2) / ((1.0 - expected) ** 2 * safe)
            se = np.sqrt(np.where(variance >= 0, variance, np.nan))
        se[(n <= 1) | ~np.isfinite(kappa) | (self.n_labels < 2)] = np.nan
        return se

    def _nominal_kappa_and_se(self, w: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """:meth:`kappa_and_se` at the nominal level from the marginals' non-zero entries.

        The same formulas: each marginal is kept as its (group, label) keys that occur,
        the chance agreement sums the products of the keys both marginals hold, and each
        cell looks its two marginal entries up by key."""
        g, n_labels = self.n_groups, self.n_labels
        n = np.bincount(self.group, weights=w, minlength=g)
        agree = (self.first == self.second).astype(float)
        observed = np.bincount(self.group, weights=w * agree, minlength=g)
        row_keys, row_of = np.unique(self.group * n_labels + self.first, return_inverse=True)
        col_keys, col_of = np.unique(self.group * n_labels + self.second, return_inverse=True)
        rows = np.bincount(row_of.reshape(-1), weights=w, minlength=row_keys.size)
        cols = np.bincount(col_of.reshape(-1), weights=w, minlength=col_keys.size)

        def lookup(keys: IntArray, values: FloatArray, wanted: IntArray) -> FloatArray:
            at = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
            return np.where(keys[at] == wanted, values[at], 0.0)

        safe = np.where(n > 0, n, 1.0)
        both = lookup(col_keys, cols, row_keys) * rows  # r_l c_l where both hold label l
        expected = np.bincount(row_keys // n_labels, weights=both, minlength=g) / safe**2
        kappa = np.full(g, np.nan)
        ok = (n > 0) & (1.0 - expected > _EPS)
        np.divide(observed / safe - expected, 1.0 - expected, out=kappa, where=ok)
        # per cell: the row marginal at its second label, the column marginal at its first
        row_at_second = lookup(row_keys, rows, self.group * n_labels + self.second) / safe[self.group]
        col_at_first = lookup(col_keys, cols, self.group * n_labels + self.first) / safe[self.group]
        return n, kappa, self._standard_error(w, agree, row_at_second + col_at_first, n, kappa, expected)
