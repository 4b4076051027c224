"""Light's kappa (the mean of the pairwise Cohen's kappas) on many item resamples at once.

Crowd data has tens of thousands of pairs of annotators that share items, most sharing
a handful. The bootstrap needs, for every resample (a weight per item pattern) and every
pair, the pair's kappa: ``n`` (weighted count), the weighted agreement and the chance
term ``sum_ij r_i W_ij c_j`` of its label marginals. All three come from the pair's
*cells* (one per shared pattern), so they are computed for every pair and a block of
resamples with one sparse product and a few gathers:

* pairs that share one pattern have a one-cell table, whose kappa is 0 when the labels
  disagree and undefined when they agree, so they enter as a count per pattern;
* for the other pairs, the product gives ``n``, the agreement and each pair's marginals
  over the labels it actually uses (its *slots*); the chance term is then the sum over
  the pair's nonzero weights ``W[l, m]`` (``l`` one of its first labels, ``m`` one of
  its second ones) of ``W[l, m] r_l c_m``. At the nominal level that is one product per
  label both sides used, so the cost is linear in the cells, not in pairs x labels;
* pairs whose slot terms would outnumber the full marginals (weighted levels with many
  labels) use the marginals over every label (:meth:`PairCells.kappa_total_and_count`).

The values equal computing each pair's table per resample (up to floating-point
rounding); ``tests/test_metrics_crowd.py`` checks that against a direct computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from analysis.data.levels import Level, agreement_weights
from analysis.metrics.pairs import PairCells

if TYPE_CHECKING:
    import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_BLOCK_REPLICATES = 64
_GROUP_ROWS = 4096
"""Resamples x product rows per block: small enough that a block stays in cache."""


def _unique_slots(pair: IntArray, label: IntArray, n_labels: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct ``(pair, label)`` slots, sorted: their pair, their label and each cell's slot."""
    base = max(n_labels, 1)
    keys, slot = np.unique(pair * base + label, return_inverse=True)
    return keys // base, keys % base, slot.reshape(-1)


def _cells_of_slots(slot_of_cell: IntArray, slots: IntArray) -> tuple[IntArray, IntArray]:
    """Every (position in ``slots``, cell) with ``slot_of_cell[cell] == slots[position]``."""
    order = np.argsort(slot_of_cell, kind="stable")
    n_slots = int(slot_of_cell.max(initial=-1)) + 1
    starts = np.searchsorted(slot_of_cell[order], np.arange(n_slots + 1))
    sizes = np.diff(starts)[slots]
    position = np.repeat(np.arange(slots.size), sizes)
    offset = np.arange(position.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return position, order[starts[slots[position]] + offset]


@dataclass(frozen=True, eq=False)
class LightKappa:
    """Sum and count of the defined pairwise kappas for any weights over units.

    Build with :meth:`from_cells`; :meth:`total_and_count` evaluates rows of weights.

    Attributes
    ----------
    zero_pairs : ndarray, shape (n_units,)
        One-cell pairs whose two labels disagree, per unit.
    groups : tuple of _PairGroup
        The pairs on the slot path, a few thousand product rows per group.
    wide : PairCells or None
        Pairs evaluated from their marginals over every label, and ``wide_matrix``.
    """

    zero_pairs: FloatArray
    groups: tuple[_PairGroup, ...]
    wide: PairCells | None
    wide_matrix: sp.csr_matrix | None
    level: Level
    values: FloatArray

    @classmethod
    def from_cells(cls, cells: PairCells, level: Level, values: FloatArray, *,
                   replicates_per_call: int = _BLOCK_REPLICATES) -> LightKappa:
        """Prepare the pairs of ``cells`` (every pair that shares at least one unit).

        ``replicates_per_call``: rows of weights :meth:`total_and_count` usually gets;
        with few (many patterns per resample) the pairs are cut into fewer, larger
        groups, so the number of products per call stays small."""
        import scipy.sparse as sp  # imported here: the command line starts without scipy

        c, n_labels = cells.cells, cells.cells.n_labels
        weights = agreement_weights(level, values)
        identity = np.array_equal(weights, np.eye(n_labels))
        agree = weights[c.first, c.second]
        per_pair = cells.cells_per_pair()
        single = (per_pair == 1)[c.group]
        zero_pairs = np.bincount(cells.unit[single & (agree < 1.0)],
                                 minlength=cells.n_units).astype(float)
        multi = per_pair >= 2
        if identity:  # terms: the labels both sides used (at most n_labels per pair)
            slotted = multi
        else:  # terms: every first label x every second label the pair used
            n_first = np.bincount(_unique_slots(c.group, c.first, n_labels)[0], minlength=cells.n_pairs)
            n_second = np.bincount(_unique_slots(c.group, c.second, n_labels)[0],
                                   minlength=cells.n_pairs)
            slotted = multi & (n_first * n_second <= 2 * n_labels + 4)
        wide = cells.subset(multi & ~slotted) if (multi & ~slotted).any() else None
        k = int(slotted.sum())
        keep = slotted[c.group]
        group, unit = (np.cumsum(slotted) - 1)[c.group[keep]], cells.unit[keep]
        f_pair, f_label, f_slot = _unique_slots(group, c.first[keep], n_labels)
        s_pair, s_label, s_slot = _unique_slots(group, c.second[keep], n_labels)
        if identity:  # a term per label both sides of the pair used
            _, f_term, s_term = np.intersect1d(f_pair * n_labels + f_label, s_pair * n_labels + s_label,
                                               assume_unique=True, return_indices=True)
        else:  # each first slot against every second slot of its pair
            s_start = np.searchsorted(s_pair, np.arange(k + 1))
            repeats = np.diff(s_start)[f_pair]
            f_term = np.repeat(np.arange(f_pair.size), repeats)
            s_term = s_start[f_pair[f_term]] + np.arange(f_term.size) - np.repeat(
                np.cumsum(repeats) - repeats, repeats)
        term_weight = weights[f_label[f_term], s_label[s_term]]
        nonzero = term_weight != 0
        f_term, s_term, term_weight = f_term[nonzero], s_term[nonzero], term_weight[nonzero]
        n_terms = int(f_term.size)
        term_pair = f_pair[f_term]
        f_position, f_cell = _cells_of_slots(f_slot, f_term)
        s_position, s_cell = _cells_of_slots(s_slot, s_term)
        # cut the pairs into groups of about _GROUP_ROWS product rows; within a group the
        # rows are its pairs' counts, their agreements, its terms' first and second marginals
        terms_per_pair = np.bincount(term_pair, minlength=k)
        rows_per_pair = 2 + 2 * terms_per_pair
        before = np.cumsum(rows_per_pair) - rows_per_pair
        group_rows = max(_GROUP_ROWS, _GROUP_ROWS * _BLOCK_REPLICATES // max(replicates_per_call, 1))
        bounds = np.r_[np.flatnonzero(np.diff(before // group_rows, prepend=-1)), k]
        term_bounds = np.searchsorted(term_pair, bounds)
        group_of_pair = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
        pairs_in, terms_in = np.diff(bounds), np.diff(term_bounds)
        row_start = np.r_[0, np.cumsum(2 * pairs_in + 2 * terms_in)]
        g_cell, g_term = group_of_pair[group], group_of_pair[term_pair]
        local_pair = np.arange(k) - bounds[group_of_pair]
        local_term = np.arange(n_terms) - term_bounds[g_term]
        start, size = row_start[g_term], pairs_in[g_term]
        rows = np.concatenate([
            row_start[g_cell] + local_pair[group],
            row_start[g_cell] + pairs_in[g_cell] + local_pair[group],
            (start + 2 * size + local_term)[f_position],
            (start + 2 * size + terms_in[g_term] + local_term)[s_position],
        ])
        columns = np.concatenate([unit, unit, unit[f_cell], unit[s_cell]])
        data = np.concatenate([np.ones(group.size), agree[keep], np.ones(f_cell.size + s_cell.size)])
        matrix = sp.csr_matrix((data, (rows, columns)), shape=(int(row_start[-1]), cells.n_units))
        matrix.eliminate_zeros()  # disagreeing cells add nothing to the agreement
        weights_of_terms = term_weight.astype(float)
        groups = []
        for g in range(bounds.size - 1):
            r0, r1 = matrix.indptr[row_start[g]], matrix.indptr[row_start[g + 1]]
            part = sp.csr_matrix((matrix.data[r0:r1], matrix.indices[r0:r1],
                                  matrix.indptr[row_start[g]:row_start[g + 1] + 1] - r0),
                                 shape=(int(row_start[g + 1] - row_start[g]), cells.n_units))
            t0, t1 = term_bounds[g], term_bounds[g + 1]
            term_sum = sp.csr_matrix(
                (weights_of_terms[t0:t1], np.arange(t1 - t0),
                 np.r_[0, np.cumsum(terms_per_pair[bounds[g]:bounds[g + 1]])]),
                shape=(int(pairs_in[g]), int(terms_in[g])))
            groups.append(_PairGroup(part, term_sum, int(pairs_in[g]), int(terms_in[g])))
        return cls(
            zero_pairs=zero_pairs, groups=tuple(groups),
            wide=wide, wide_matrix=None if wide is None else wide.replicate_matrix(level, values),
            level=level, values=np.asarray(values, dtype=float),
        )

    def cells_per_replicate(self) -> int:
        """Floats held per replicate row of weights (for the memory budget).

        The slot path works in blocks of ``_BLOCK_REPLICATES x _GROUP_ROWS`` floats,
        so only the full-marginal pairs count here."""
        return 0 if self.wide is None else self.wide.cells_per_replicate()

    def total_and_count(self, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Sum and number of the defined pair kappas for each row of ``weights``.

        Parameters
        ----------
        weights : ndarray, shape (b, n_units)

        Returns
        -------
        total, count : ndarray, shape (b,)
        """
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        b = w.shape[0]
        # counts of the one-cell pairs, from whichever layout is contiguous (integers: exact)
        count = (self.zero_pairs @ (w.T > 0) if w.T.flags.c_contiguous
                 else (w > 0) @ self.zero_pairs)
        total = np.zeros(b)
        if self.wide is not None:
            part_total, part_count = self.wide.kappa_total_and_count(
                w, self.wide_matrix, self.level, self.values)
            total += part_total
            count += part_count
        for start in range(0, b, _BLOCK_REPLICATES):
            block = slice(start, min(b, start + _BLOCK_REPLICATES))
            wt = np.ascontiguousarray(w[block].T)
            for group in self.groups:
                part_total, part_count = group.kappas(wt)
                total[block] += part_total
                count[block] += part_count
        return total, count


@dataclass(frozen=True, eq=False)
class _PairGroup:
    """A few hundred slot-path pairs, so that one block of resamples stays in cache.

    ``matrix`` rows: each pair's count, its agreement, each term's first-label and
    second-label marginal; ``term_sum`` (pairs x terms) the terms' agreement weights.
    """

    matrix: sp.csr_matrix
    term_sum: sp.csr_matrix
    n_pairs: int
    n_terms: int

    @property
    def ones(self) -> FloatArray:
        """Sums over the pairs as a product (faster than a reduction over the first axis)."""
        return np.ones(self.n_pairs)

    def kappas(self, wt: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Kappa sum and count for unit weights ``wt`` of shape (n_units, b)."""
        k, t = self.n_pairs, self.n_terms
        out = self.matrix @ wt  # (rows, b)
        first = out[2 * k:2 * k + t]
        first *= out[2 * k + t:]
        chance = self.term_sum @ first  # sum_lm W_lm r_l c_m
        n, observed = out[:k], out[k:2 * k]
        # kappa = (observed / n - chance / n^2) / (1 - chance / n^2), defined where
        # 1 - chance / n^2 > 1e-12 (never without cells: n = 0)
        observed *= n
        observed -= chance
        n *= n
        denominator = np.subtract(n, chance, out=chance)
        n *= 1e-12
        ok = denominator > n
        observed /= np.where(ok, denominator, np.inf)  # 0 where undefined
        return self.ones @ observed, self.ones @ ok
