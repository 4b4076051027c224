"""Distance and silhouette arithmetic on unit vectors, written for speed with BLAS.

For unit vectors ``u`` and ``v``, ``|u - v|^2 = 2 - 2 u.v``: one matrix product gives every
pairwise distance, about 20x faster than ``scipy.spatial.distance.pdist`` on 384-dim
sentence vectors. The silhouette is computed from one precomputed distance matrix for
many labelings, without re-validating or copying it per labeling.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

_BLOCK_ROWS = 256


def unit_cosine_condensed(unit: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Condensed cosine distances ``1 - u.v`` between unit-length rows (``pdist`` order).

    Parameters
    ----------
    unit : ndarray, shape (n, dim)
        Rows of length 1 (a zero row is at distance 1 from every row).

    Returns
    -------
    ndarray of float64, shape (n * (n - 1) // 2,)
        Clipped to [0, 2]. For unit rows, the Euclidean distance is ``sqrt(2 * d)``.

    Examples
    --------
    >>> from scipy.spatial.distance import pdist
    >>> v = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> bool(np.allclose(unit_cosine_condensed(v), pdist(v, metric="cosine")))
    True
    >>> bool(np.allclose(np.sqrt(2 * unit_cosine_condensed(v)), pdist(v)))
    True
    """
    unit = np.asarray(unit, dtype=np.float64)
    n = len(unit)
    out = np.empty(n * (n - 1) // 2, dtype=np.float64)
    starts = np.concatenate([[0], np.cumsum(np.arange(n - 1, 0, -1))])
    for first in range(0, n, _BLOCK_ROWS):
        last = min(first + _BLOCK_ROWS, n)
        block = np.clip(1.0 - unit[first:last] @ unit[first:].T, 0.0, 2.0)
        for i in range(first, min(last, n - 1)):
            out[starts[i] : starts[i] + n - i - 1] = block[i - first, i - first + 1 :]
    return out


def group_sums(
    values: npt.NDArray[np.floating], groups: npt.NDArray[np.integer], n_groups: int
) -> npt.NDArray[np.float64]:
    """Sum the rows of ``values`` per group (rows with a negative group are skipped).

    Examples
    --------
    >>> group_sums(np.array([[1.0], [2.0], [4.0]]), np.array([1, -1, 1]), 2).tolist()
    [[0.0], [5.0]]
    """
    groups = np.asarray(groups)
    keep = np.nonzero(groups >= 0)[0]
    onehot = sparse.csr_matrix(
        (np.ones(len(keep)), (groups[keep], keep)), shape=(n_groups, len(groups))
    )
    return np.asarray(onehot @ np.asarray(values, dtype=np.float64))


def silhouette(distances: npt.NDArray[np.floating], labels: npt.NDArray[np.integer]) -> float:
    """Mean silhouette of the rows with a label >= 0 (``sklearn.metrics.silhouette_score``).

    Parameters
    ----------
    distances : ndarray, shape (m, m)
        Symmetric distances with a zero diagonal.
    labels : ndarray of int, shape (m,)
        Cluster of each row; rows labelled < 0 are left out (rows and columns).

    Returns
    -------
    float
        ``nan`` unless there are at least two clusters and more rows than clusters.

    Examples
    --------
    >>> d = np.array([[0, 1, 4, 5], [1, 0, 4, 4], [4, 4, 0, 2], [5, 4, 2, 0]], float)
    >>> round(silhouette(d, np.array([0, 0, 1, 1])), 4)
    0.6458
    """
    labels = np.asarray(labels)
    inside = np.nonzero(labels >= 0)[0]
    ids, compact = np.unique(labels[inside], return_inverse=True)
    n_clusters = len(ids)
    if n_clusters < 2 or len(inside) <= n_clusters:
        return float("nan")
    order = np.argsort(compact, kind="stable")
    sizes = np.bincount(compact, minlength=n_clusters)
    bounds = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    # Row i, column c: total distance from inside row i to the members of cluster c.
    columns = np.asarray(distances, dtype=np.float64)[np.ix_(inside, inside[order])]
    totals = np.add.reduceat(columns, bounds, axis=1)
    rows = np.arange(len(inside))
    own_size = sizes[compact]
    intra = totals[rows, compact] / np.maximum(own_size - 1, 1)
    means = totals / sizes
    means[rows, compact] = np.inf
    inter = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (inter - intra) / np.maximum(intra, inter)
    score = np.where((own_size > 1) & np.isfinite(score), score, 0.0)
    return float(score.mean())
