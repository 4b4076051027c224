"""Krippendorff's alpha without each annotator, for every annotator at once.

Alpha is a function of two sums over items: the pairable values per label ``n_c`` and
the observed disagreement (the coincidence matrix at ordinal level). Removing one
annotator changes only the items they labelled, so alpha without annotator ``j`` is
alpha of ``S - D_j``, where ``S`` sums every item's features and ``D_j`` sums, over
``j``'s items, the features of the item minus the features of the item without ``j``'s
vote. Both are one sparse product with item weights, so every annotator's alpha, and its
bootstrap over items, costs time linear in the judgements instead of one alpha per
annotator. A bootstrap replicate resamples items once for everyone (paired by design), so
alpha with everyone and alpha without ``j`` come from the same items, and their
difference (``alpha_change``) gets an interval too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.base.errors import UsageError
from analysis.data.levels import Level, alpha_distance
from analysis.metrics.budget import rows_within_budget
from analysis.metrics.pairs import _pairs_within_units
from analysis.metrics.patterns import ItemPatterns, evaluate_rows, weight_batches

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def n_columns(level: Level, n_labels: int) -> int:
    """Alpha's features per item: ``n_c`` and the disagreement (``L**2`` at ordinal)."""
    return n_labels + (n_labels * n_labels if level == "ordinal" else 1)


def _feature_entries(row: IntArray, label: IntArray, x: FloatArray, *, level: Level,
                     values: FloatArray, n_labels: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Sparse alpha features of count rows given as nonzero entries sorted by row."""
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]]) if row.size else np.empty(0, int)
    m_row = np.add.reduceat(x, starts) if row.size else np.empty(0)
    m = np.repeat(m_row, np.diff(np.r_[starts, row.size]))
    ok = m >= 2
    minus_one = np.where(ok, m - 1, 1.0)
    rows, cols, data = [row[ok]], [label[ok]], [x[ok]]
    left, right = _pairs_within_units(row)
    keep = ok[left]
    left, right = left[keep], right[keep]
    if level == "ordinal":
        diagonal = ok & (x > 1)
        rows.append(row[diagonal])
        cols.append(n_labels + label[diagonal] * (n_labels + 1))
        data.append(x[diagonal] * (x[diagonal] - 1) / minus_one[diagonal])
        both = x[left] * x[right] / minus_one[left]
        rows += [row[left], row[left]]
        cols += [n_labels + label[left] * n_labels + label[right],
                 n_labels + label[right] * n_labels + label[left]]
        data += [both, both]
    else:
        distance = alpha_distance(level, values)
        rows.append(row[left])
        cols.append(np.full(left.size, n_labels))
        data.append(2 * x[left] * x[right] * distance[label[left], label[right]] / minus_one[left])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(data)


def alpha_from_sums(total: FloatArray, *, level: Level, values: FloatArray) -> FloatArray:
    """Alpha from summed features, shape (..., n_columns) -> (...); NaN where undefined."""
    n_labels = len(values)
    marginals = total[..., :n_labels]
    n = marginals.sum(axis=-1)
    if level == "ordinal":
        coincidences = total[..., n_labels:].reshape(*total.shape[:-1], n_labels, n_labels)
        distance = alpha_distance("ordinal", values, marginals)
        observed = (coincidences * distance).sum(axis=(-2, -1))
        expected = np.einsum("...c,...ck,...k->...", marginals, distance, marginals)
    else:
        observed = total[..., n_labels]
        if level == "nominal":
            expected = n**2 - (marginals**2).sum(axis=-1)
        elif level == "interval":
            v = np.asarray(values, dtype=float)
            expected = 2 * (n * (marginals * v**2).sum(axis=-1) - (marginals * v).sum(axis=-1) ** 2)
        else:
            expected = np.einsum("...c,ck,...k->...", marginals, alpha_distance(level, values),
                                 marginals)
    out = np.full(np.shape(n), np.nan)
    ok = np.abs(expected) > 1e-12
    np.divide((n - 1.0) * observed, expected, out=out, where=ok)
    return 1.0 - out


@dataclass(frozen=True, eq=False)
class AlphaWithout:
    """Alpha with everyone and without each annotator, with bootstrap replicates.

    Attributes
    ----------
    alpha : float
        Alpha with everyone (NaN where undefined).
    without : ndarray, shape (n_annotators,)
        Alpha without each annotator (NaN where undefined).
    pairable : ndarray of int, shape (n_annotators,)
        Items with two or more judgements once the annotator is removed.
    replicates_all : ndarray, shape (n_replicates,)
    replicates_without : ndarray, shape (n_replicates, n_annotators)
        Empty (0 rows) when no bootstrap was drawn.
    """

    alpha: float
    without: FloatArray
    pairable: IntArray
    replicates_all: FloatArray
    replicates_without: FloatArray


def alpha_without_each(
    patterns: ItemPatterns, *, level: Level, values: FloatArray, n_replicates: int, seed: int,
) -> AlphaWithout:
    """Alpha without each annotator (and with everyone), with paired item-bootstrap replicates.

    Parameters
    ----------
    patterns : ItemPatterns
        Items grouped by who gave which label (:meth:`ItemPatterns.from_data`).
    level, values
        Level of measurement and the label values.
    n_replicates, seed : int
        Bootstrap resamples of items (0: none).
    """
    key = ("alpha_without", level, np.asarray(values, dtype=float).tobytes())
    if n_replicates <= 0 and key in patterns.memo:  # the point estimates, computed before
        return patterns.memo[key]
    import scipy.sparse as sp  # imported here: the command line starts without scipy

    judged = patterns.judgements
    if judged is None:
        raise UsageError("The 'patterns' parameter of alpha_without_each must be grouped by "
                         "codes (ItemPatterns.from_data). Got patterns without judgements instead",
                         option="patterns")
    n_labels, n_annotators, n_units = len(values), patterns.n_annotators, patterns.n_patterns
    width = n_columns(level, n_labels)
    unit, label = np.nonzero(patterns.counts)
    x = patterns.counts[unit, label].astype(float)
    f_rows, f_cols, f_data = _feature_entries(unit, label, x, level=level, values=values,
                                              n_labels=n_labels)
    features = sp.csr_matrix((f_data, (f_rows, f_cols)), shape=(n_units, width))
    # each judgement's item without it: the item's entries, one vote fewer at its label
    per_unit = np.bincount(unit, minlength=n_units)
    starts = np.cumsum(per_unit) - per_unit
    sizes = per_unit[judged.pattern]
    entry = np.repeat(starts[judged.pattern], sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    owner = np.repeat(np.arange(judged.pattern.size), sizes)
    after = x[entry] - (label[entry] == judged.label[owner])
    keep = after > 0
    before_rows, before_cols, before_data = _feature_entries(
        owner, label[entry], x[entry], level=level, values=values, n_labels=n_labels)
    after_rows, after_cols, after_data = _feature_entries(
        owner[keep], label[entry][keep], after[keep], level=level, values=values, n_labels=n_labels)
    rows = judged.pattern[np.concatenate([before_rows, after_rows])]
    who = judged.annotator[np.concatenate([before_rows, after_rows])]
    delta = sp.csr_matrix(
        (np.concatenate([before_data, -after_data]),
         (rows, who * width + np.concatenate([before_cols, after_cols]))),
        shape=(n_units, n_annotators * width))
    m = patterns.per_pattern[judged.pattern]
    lost = np.bincount(judged.annotator, weights=patterns.frequency[judged.pattern] * (m == 2),
                       minlength=n_annotators)
    pairable = (patterns.pairable_items() - lost).astype(np.int64)

    def evaluate(w: FloatArray) -> tuple[FloatArray, FloatArray]:
        w2 = np.atleast_2d(w)
        total = np.asarray((features.T @ w2.T).T)
        removed = np.asarray((delta.T @ w2.T).T).reshape(w2.shape[0], n_annotators, width)
        return (alpha_from_sums(total, level=level, values=values),
                alpha_from_sums(total[:, None, :] - removed, level=level, values=values))

    everyone, without = evaluate(patterns.frequency.astype(float))
    reps_all, reps_without = np.empty(0), np.empty((0, n_annotators))
    if n_replicates > 0:
        per_replicate = n_annotators * width * (n_labels if level == "ordinal" else 1) + width
        chunk = rows_within_budget(n_units + per_replicate, limit=evaluate_rows(n_units))
        # chunks of draws stacked up to `chunk` rows, transposed for the sparse products
        parts = [evaluate(w) for w in weight_batches(
            patterns.frequency, n_replicates, seed=seed, cells_per_replicate=per_replicate,
            batch=chunk) for w in _split(w, chunk)]
        if parts:
            reps_all = np.concatenate([p[0] for p in parts])
            reps_without = np.concatenate([p[1] for p in parts])
    patterns.memo[key] = AlphaWithout(float(everyone[0]), without[0], pairable, np.empty(0),
                                      np.empty((0, n_annotators)))
    return AlphaWithout(float(everyone[0]), without[0], pairable, reps_all, reps_without)


def _split(weights: FloatArray, chunk: int) -> list[FloatArray]:
    if weights.shape[0] <= chunk:
        return [weights]
    return [weights[i:i + chunk] for i in range(0, weights.shape[0], chunk)]
