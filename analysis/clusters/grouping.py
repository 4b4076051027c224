"""Group unit vectors into clusters; the number of clusters is found, not fixed.

Default (``distance_threshold=None``):

1. **Ward tree.** Ward-linkage agglomerative clustering of the L2-normalised vectors
   (Euclidean distance between unit vectors is a monotone function of cosine distance).
   Ward merges the pair that least increases within-cluster variance, so it does not
   chain a tight group into a loose neighbourhood the way average linkage can.
2. **Cut by silhouette.** About 30 cuts between 2 and ``n // 5`` clusters (geometric
   grid) are scored by the cosine silhouette (on a fixed sample of at most 600 items) of
   the items in clusters of at least ``min_cluster_size``, multiplied by the share of
   items that are in one, so a cut cannot win by discarding items.
3. **Merge by confused label pair.** With ``vote_counts``, two clusters are merged when
   the mean cosine similarity over all pairs across them is at or above the 0.7
   quantile of the sample's item pairs and the disagreements pooled over each cluster
   name the same label pair most often (at least 25% of each cluster's disagreeing
   vote pairs). Closest first, until none qualifies. A theme the silhouette cut split
   in two is joined again, while a textually close cluster of a different confusion is not.

Clusters smaller than ``min_cluster_size`` become -1 ("in no cluster"). When no cut
gives two clusters and every item lies within cosine distance 0.5 of every other, all
items form one cluster. With ``distance_threshold``, the average-linkage cosine
dendrogram is cut at that distance instead, and nothing is merged.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from analysis.blas import single_threaded_blas
from analysis.clusters.geometry import group_sums, silhouette, unit_cosine_condensed

Projection = Literal["pca", "tsne"]
_ONE_GROUP_SPREAD = 0.5
_SILHOUETTE_SAMPLE = 600
_N_CUTS = 30
_ITEMS_PER_CLUSTER = 5
_MERGE_QUANTILE = 0.7
_MIN_PAIR_SHARE = 0.25


def _relabel(raw: npt.NDArray[np.integer], min_size: int) -> npt.NDArray[np.int64]:
    """Clusters numbered 0.. by decreasing size (ties by first member); small ones -1."""
    ids, first, sizes = np.unique(raw, return_index=True, return_counts=True)
    keep = sizes >= min_size
    order = np.lexsort((first[keep], -sizes[keep]))
    mapping = np.full(ids.max() + 1, -1, dtype=np.int64)
    mapping[ids[keep][order]] = np.arange(order.size)
    return mapping[raw]


def pair_disagreement(vote_counts: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """Per item, how many pairs of votes disagree between each two labels.

    Column order is the upper triangle of the label x label matrix (``np.triu_indices``
    with ``k=1``): (0, 1), (0, 2), ..., (1, 2), ...

    Examples
    --------
    >>> pair_disagreement(np.array([[2, 1, 0], [1, 1, 1]])).tolist()
    [[2.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    """
    counts = np.asarray(vote_counts, dtype=np.float64)
    upper = np.triu_indices(counts.shape[1], k=1)
    return counts[:, upper[0]] * counts[:, upper[1]]


def cluster_vectors(
    vectors: npt.NDArray[np.floating],
    *,
    vote_counts: npt.NDArray[np.integer] | None = None,
    distance_threshold: float | None = None,
    min_cluster_size: int = 3,
) -> tuple[npt.NDArray[np.int64], float | None]:
    """Cluster L2-normalised rows (module docstring).

    Parameters
    ----------
    vectors : ndarray, shape (n_items, dim)
    vote_counts : ndarray of int, shape (n_items, n_labels), optional
        Votes per label of each item; enables the merge by confused label pair.
    distance_threshold : float, optional
        Cosine distance at which the average-linkage dendrogram is cut.
    min_cluster_size : int, default 3

    Returns
    -------
    labels : ndarray of int, shape (n_items,)
        0.. by decreasing size; -1 for items in no cluster.
    distance_threshold : float or None
        The threshold used, or None when the cut was chosen (Ward + silhouette).

    Examples
    --------
    >>> v = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.2, 0.98]])
    >>> v = v / np.linalg.norm(v, axis=1, keepdims=True)
    >>> cluster_vectors(v, distance_threshold=0.2)[0].tolist()
    [0, 0, 0, 1, 1, 1]
    >>> cluster_vectors(v)[0].tolist()
    [0, 0, 0, 1, 1, 1]
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    n = len(vectors)
    if n < max(min_cluster_size, 2):
        return np.full(n, -1, dtype=np.int64), distance_threshold
    unit = np.asarray(vectors, dtype=np.float64)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    with single_threaded_blas():
        if distance_threshold is not None:
            tree = linkage(unit_cosine_condensed(unit), method="average")
            raw = fcluster(tree, t=distance_threshold, criterion="distance")
            return _relabel(raw, min_cluster_size), float(distance_threshold)
        return _relabel(_ward_cut(unit, vote_counts, min_cluster_size), min_cluster_size), None


def _ward_cut(
    unit: np.ndarray, vote_counts: npt.NDArray[np.integer] | None, min_size: int
) -> npt.NDArray[np.int64]:
    """Raw cluster ids of the default method: Ward tree, silhouette cut, merge."""
    from scipy.cluster.hierarchy import linkage

    n = len(unit)
    sample = np.sort(np.random.default_rng(0).permutation(n)[:_SILHOUETTE_SAMPLE])
    similarity = np.clip(unit[sample] @ unit[sample].T, -1.0, 1.0)
    distances = 1.0 - similarity
    np.fill_diagonal(distances, 0.0)
    # Ward on the Euclidean distances of the unit rows, |u - v| = sqrt(2 (1 - u.v)).
    tree = linkage(np.sqrt(2.0 * unit_cosine_condensed(unit)), method="ward")
    raw = _silhouette_cut(tree, distances, sample, min_size)
    if raw is None:
        spread = 1.0 - similarity.min()
        return np.ones(n, dtype=np.int64) if spread <= _ONE_GROUP_SPREAD else np.arange(n)
    if vote_counts is not None:
        pairs = np.triu_indices(len(sample), k=1)
        threshold = float(np.quantile(similarity[pairs], _MERGE_QUANTILE))
        raw = _merge_same_confusion(unit, pair_disagreement(vote_counts), raw, threshold)
    return raw


def _silhouette_cut(
    tree: np.ndarray, distances: np.ndarray, sample: np.ndarray, min_size: int
) -> npt.NDArray[np.int64] | None:
    """Raw cluster ids of the best-scoring cut, or None when no cut gives two clusters."""
    from scipy.cluster.hierarchy import fcluster

    n = len(tree) + 1
    top = max(2, n // _ITEMS_PER_CLUSTER)
    best_score, best = -np.inf, None
    for k in np.unique(np.geomspace(2, top, _N_CUTS).round().astype(int)):
        raw = fcluster(tree, t=k, criterion="maxclust").astype(np.int64)
        sampled = _relabel(raw, min_size)[sample]
        score = silhouette(distances, sampled) * float((sampled >= 0).mean())
        if score > best_score:  # nan (fewer than two clusters) never wins
            best_score, best = score, raw
    return best


def _merge_same_confusion(
    unit: np.ndarray, pairs: np.ndarray, raw: npt.NDArray[np.int64], threshold: float
) -> npt.NDArray[np.int64]:
    """Merge clusters whose items are close and share the dominant confused label pair."""
    ids, raw = np.unique(raw, return_inverse=True)
    sums = group_sums(unit, raw, len(ids))
    pooled = group_sums(pairs, raw, len(ids))
    sizes = np.bincount(raw).astype(np.float64)
    alive = np.ones(len(ids), dtype=bool)
    while True:
        # Mean cosine similarity over all cross pairs (average linkage), from the sums.
        similarity = (sums @ sums.T) / np.maximum(np.outer(sizes, sizes), 1.0)
        totals = pooled.sum(axis=1)
        dominant = pooled.argmax(axis=1)
        clear = alive & (totals > 0) & (pooled.max(axis=1) >= _MIN_PAIR_SHARE * totals)
        allowed = (
            clear[:, None] & clear[None, :] & (dominant[:, None] == dominant[None, :])
            & (similarity >= threshold)
        )
        np.fill_diagonal(allowed, False)
        if not allowed.any():
            return raw
        keep, gone = np.unravel_index(np.argmax(np.where(allowed, similarity, -np.inf)),
                                      similarity.shape)
        sums[keep] += sums[gone]
        pooled[keep] += pooled[gone]
        sizes[keep] += sizes[gone]
        alive[gone] = False
        sums[gone] = pooled[gone] = sizes[gone] = 0.0
        raw = np.where(raw == gone, keep, raw)


def map_coordinates(
    vectors: npt.NDArray[np.floating], *, projection: Projection = "pca", seed: int = 0
) -> npt.NDArray[np.float64]:
    """2-D coordinates for the cluster map (deterministic for a seed).

    Examples
    --------
    >>> map_coordinates(np.eye(3)).shape
    (3, 2)
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    n = len(vectors)
    if n == 0:
        return np.zeros((0, 2))
    if n < 3:
        return np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    if projection == "tsne" and n > 5:
        from sklearn.manifold import TSNE

        perplexity = float(min(30, max(2, (n - 1) // 3)))
        return TSNE(
            n_components=2, perplexity=perplexity, random_state=seed, init="pca"
        ).fit_transform(vectors)
    from sklearn.decomposition import PCA

    # Exact and fast: eigenvectors of the dim x dim covariance when items outnumber
    # dimensions (randomized SVD was 10x slower on 2,000 x 384), else a full SVD.
    solver = "covariance_eigh" if n >= vectors.shape[1] else "full"
    with single_threaded_blas(), np.errstate(invalid="ignore", divide="ignore"):
        # identical vectors have zero variance: the warnings say nothing useful
        return PCA(n_components=2, svd_solver=solver, random_state=seed).fit_transform(vectors)
