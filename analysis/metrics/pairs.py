"""Pairs of annotators that share items, and their two-rater tables as cells.

Only pairs that labelled at least one item in common are built: the number of pairs is
bounded by the sum over items of ``m (m - 1) / 2`` (``m`` judgements on the item), not
by ``annotators**2``. A crowd export of 10,000 items judged by 5 of 800 workers has at
most 100,000 such item-pairs, against 319,600 pairs of workers, most of whom never met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from analysis.data.levels import Level, agreement_weights
from analysis.metrics.kappa_cells import Cells, KappaSums, weighted_marginal

if TYPE_CHECKING:
    import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _pairs_within_units(unit: IntArray) -> tuple[IntArray, IntArray]:
    """Indices (left, right), left < right, of every two entries of the same unit.

    ``unit`` must be sorted; entries of one unit are paired in their order.

    Examples
    --------
    >>> left, right = _pairs_within_units(np.array([0, 0, 0, 1, 1]))
    >>> left.tolist(), right.tolist()
    ([0, 0, 1, 3], [1, 2, 2, 4])
    """
    n = unit.size
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]])
    sizes = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, sizes)
    partners = np.repeat(sizes, sizes) - 1 - position
    left = np.repeat(np.arange(n, dtype=np.int64), partners)
    offsets = np.arange(left.size) - np.repeat(np.cumsum(partners) - partners, partners)
    return left, left + offsets + 1


@dataclass(frozen=True, eq=False)
class PairCells:
    """Every pair of judgements on the same unit (item or item pattern).

    Attributes
    ----------
    pairs : ndarray of int64, shape (n_pairs, 2)
        Annotator indices ``(a, b)``, ``a < b``, of the pairs that share a unit, sorted.
    cells : Cells
        One cell per shared unit and pair: ``group`` the pair, ``first`` / ``second``
        the labels of ``a`` / ``b``.
    unit : ndarray of int64, shape (n_cells,)
        The unit of each cell.
    n_units : int
    """

    pairs: IntArray
    cells: Cells
    unit: IntArray
    n_units: int

    @classmethod
    def from_judgements(
        cls, unit: IntArray, annotator: IntArray, label: IntArray, *,
        n_units: int, n_annotators: int, n_labels: int,
    ) -> PairCells:
        """Build from judgements sorted by unit and then annotator.

        Examples
        --------
        >>> cells = PairCells.from_judgements(np.array([0, 0, 1, 1, 1]), np.array([0, 2, 0, 1, 2]),
        ...                                   np.array([1, 1, 0, 0, 1]), n_units=2,
        ...                                   n_annotators=3, n_labels=2)
        >>> cells.pairs.tolist(), cells.cells.group.tolist()
        ([[0, 1], [0, 2], [1, 2]], [1, 0, 1, 2])
        """
        left, right = _pairs_within_units(np.asarray(unit, dtype=np.int64))
        key = annotator[left] * max(n_annotators, 1) + annotator[right]
        codes, group = np.unique(key, return_inverse=True)
        pairs = np.stack([codes // max(n_annotators, 1), codes % max(n_annotators, 1)], axis=1)
        cells = Cells(group.reshape(-1).astype(np.int64), label[left], label[right],
                      len(codes), n_labels)
        return cls(pairs.astype(np.int64), cells, np.asarray(unit)[left], n_units)

    @property
    def n_pairs(self) -> int:
        """Number of pairs that share at least one unit."""
        return len(self.pairs)

    def subset(self, keep: npt.NDArray[np.bool_]) -> PairCells:
        """Only the pairs ``keep`` marks (shape (n_pairs,)), renumbered in order."""
        renumber = np.cumsum(keep) - 1
        chosen = keep[self.cells.group]
        cells = Cells(renumber[self.cells.group[chosen]], self.cells.first[chosen],
                      self.cells.second[chosen], int(keep.sum()), self.cells.n_labels)
        return PairCells(self.pairs[keep], cells, self.unit[chosen], self.n_units)

    def cells_per_pair(self) -> IntArray:
        """Shared units (cells) of each pair, shape (n_pairs,)."""
        return np.bincount(self.cells.group, minlength=self.n_pairs)

    def cells_per_replicate(self) -> int:
        """Floats :meth:`replicate_sums` holds per replicate (for the memory budget)."""
        return self.n_pairs * (3 + 2 * self.cells.n_labels)

    def replicate_matrix(self, level: Level, values: FloatArray) -> sp.csr_matrix:
        """Sparse map from unit weights to every pair's sums, stored transposed, shape
        (n_pairs * (2 + 2 L), n_units): count, agreement, row and column marginals.

        Transposed so that the product runs over contiguous rows of replicates."""
        import scipy.sparse as sp  # imported here: the command line starts without scipy

        c, k, n_labels = self.cells, self.n_pairs, self.cells.n_labels
        agree = agreement_weights(level, values)[c.first, c.second]
        ones = np.ones(c.group.size)
        columns = np.concatenate([
            c.group, k + c.group,
            2 * k + c.group * n_labels + c.first,
            (2 + n_labels) * k + c.group * n_labels + c.second,
        ])
        return sp.csr_matrix(
            (np.concatenate([ones, agree, ones, ones]), (columns, np.tile(self.unit, 4))),
            shape=(k * (2 + 2 * n_labels), self.n_units),
        )

    def replicate_sums(self, weights: FloatArray, matrix: sp.csr_matrix) -> KappaSums:
        """:class:`KappaSums` of shape (b, n_pairs[, L]) for unit weights (b, n_units)."""
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        total = np.asarray(matrix @ np.ascontiguousarray(w.T)).T
        k, n_labels = self.n_pairs, self.cells.n_labels
        return KappaSums(
            n=total[:, :k],
            observed=total[:, k:2 * k],
            rows=total[:, 2 * k:(2 + n_labels) * k].reshape(w.shape[0], k, n_labels),
            cols=total[:, (2 + n_labels) * k:].reshape(w.shape[0], k, n_labels),
        )

    def kappa_total_and_count(
        self, weights: FloatArray, matrix: sp.csr_matrix, level: Level, values: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Sum and number of the defined pair kappas per weight row (Light's mean parts).

        Works in the product's own layout (pairs x labels x replicates, replicates
        contiguous), so no per-replicate copy of the tables is made.
        """
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        b, k, n_labels = w.shape[0], self.n_pairs, self.cells.n_labels
        if k == 0:
            return np.zeros(b), np.zeros(b)
        total = np.asarray(matrix @ np.ascontiguousarray(w.T))  # (columns, b)
        n, observed = total[:k], total[k:2 * k]
        rows = total[2 * k:(2 + n_labels) * k].reshape(k, n_labels, b)
        cols = total[(2 + n_labels) * k:].reshape(k, n_labels, b)
        if level == "nominal" or n_labels < 2 or float(np.ptp(values)) == 0:
            chance = np.einsum("klb,klb->kb", rows, cols)
        else:
            weighted = weighted_marginal(np.moveaxis(cols, 1, -1), level, values)  # (k, b, L)
            chance = np.einsum("kbl,klb->kb", weighted, rows)
        has = n > 0
        n = np.where(has, n, 1.0)
        chance /= n
        chance /= n  # expected agreement
        observed = observed / n
        observed -= chance
        chance -= 1.0
        np.negative(chance, out=chance)  # 1 - expected
        ok = has & (chance > 1e-12)
        kappa = np.divide(observed, chance, out=np.zeros_like(observed), where=ok)
        return kappa.sum(axis=0), ok.sum(axis=0).astype(float)
