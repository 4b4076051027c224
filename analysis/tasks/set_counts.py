"""Multi-label agreement from counts of distinct label sets per item, not judgement pairs.

Krippendorff's alpha on label sets and the exact-set agreement need, per item, the sum over
ordered pairs of its judgements of the distance between their sets. With ``x_s`` the
judgements of the item that chose set ``s`` that sum is ``sum_{s, t} x_s x_t d(s, t)``
(``d(s, s) = 0``), and the agreeing pairs are ``sum_s x_s (x_s - 1)``: the cost is the
distinct sets per item squared, not the judgements squared (10,000 workers on 2 items are
100 million judgement pairs but a handful of distinct sets). Distances are computed on
arrays of set pairs (sets as rows of a label matrix), so even thousands of distinct sets
cost one matrix product per block.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from analysis.metrics.pairs import _pairs_within_units

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Distance = Literal["masi", "jaccard"]
_BLOCK = 1 << 20
"""Set pairs per block of distance computations."""


def set_distances(members: npt.NDArray[np.bool_], first: IntArray, second: IntArray,
                  kind: Distance) -> FloatArray:
    """Distance between sets ``first[k]`` and ``second[k]`` (rows of ``members``, shape
    (n_sets, n_labels)): MASI (Passonneau 2006, as ``nltk`` defines it) or Jaccard.

    Examples
    --------
    >>> sets = np.array([[True, True, False, False], [True, True, True, True], [False] * 4])
    >>> set_distances(sets, np.array([0, 2, 0]), np.array([1, 2, 2]), "masi").round(4).tolist()
    [0.6667, 0.0, 1.0]
    """
    out = np.empty(first.size)
    sizes = members.sum(axis=1).astype(np.int64)
    as_float = members.astype(np.float32)
    for at in range(0, first.size, _BLOCK):
        a, b = first[at:at + _BLOCK], second[at:at + _BLOCK]
        inter = np.einsum("kl,kl->k", as_float[a], as_float[b]).astype(np.int64)
        union = sizes[a] + sizes[b] - inter
        similar = np.divide(inter, union, out=np.ones(a.size), where=union > 0)
        if kind == "masi":
            weight = np.where((sizes[a] == inter) & (sizes[b] == inter), 1.0,
                              np.where(inter == np.minimum(sizes[a], sizes[b]), 2 / 3,
                                       np.where(inter > 0, 1 / 3, 0.0)))
            similar = np.where(union > 0, similar * weight, 1.0)
        out[at:at + _BLOCK] = 1.0 - similar
    return out


def distance_matrix(members: npt.NDArray[np.bool_], kind: Distance) -> FloatArray:
    """Every pair's distance, shape (n_sets, n_sets) (for a few thousand sets at most)."""
    n = members.shape[0]
    first, second = np.divmod(np.arange(n * n, dtype=np.int64), n)
    return set_distances(members, first, second, kind).reshape(n, n)


def expected_disagreement(members: npt.NDArray[np.bool_], marginals: FloatArray,
                          kind: Distance) -> float:
    """``sum_{s, t} n_s n_t d(s, t)`` over the distinct sets, in blocks of rows."""
    n = members.shape[0]
    rows = max(1, _BLOCK // max(n, 1))
    total = 0.0
    for at in range(0, n, rows):
        block = np.arange(at, min(n, at + rows), dtype=np.int64)
        first, second = np.repeat(block, n), np.tile(np.arange(n, dtype=np.int64), block.size)
        d = set_distances(members, first, second, kind).reshape(block.size, n)
        total += float(marginals[block] @ d @ marginals)
    return total


def item_set_counts(item: IntArray, set_code: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Distinct (item, set) entries sorted by item: their item, set and judgements."""
    n_sets = int(set_code.max(initial=-1)) + 1
    keys, counts = np.unique(item * max(n_sets, 1) + set_code, return_counts=True)
    return keys // max(n_sets, 1), keys % max(n_sets, 1), counts.astype(float)


def observed_per_item(entry_item: IntArray, entry_set: IntArray, count: FloatArray,
                      n_items: int, members: npt.NDArray[np.bool_], kind: Distance) -> FloatArray:
    """Per item, ``sum over ordered pairs of its judgements of d(set_a, set_b)``."""
    left, right = _pairs_within_units(entry_item)
    d = set_distances(members, entry_set[left], entry_set[right], kind)
    return 2.0 * np.bincount(entry_item[left], weights=count[left] * count[right] * d,
                             minlength=n_items)


def agreeing_per_item(entry_item: IntArray, count: FloatArray, n_items: int) -> FloatArray:
    """Per item, the ordered pairs of its judgements with the same set."""
    return np.bincount(entry_item, weights=count * (count - 1), minlength=n_items)
