"""Group unit vectors: average-linkage agglomerative clustering on cosine distance.

The number of clusters is found, not fixed: the dendrogram is cut at a cosine distance.
Left at ``None``, the cut is chosen just below one of the dendrogram's 40 highest merges
(giving 2, 3, ... clusters) by the best silhouette score (on a fixed sample of at most
600 items) of the items that land in
clusters of at least ``min_cluster_size``, multiplied by the share of items that do;
smaller groups become -1 ("in no cluster"). When no split is possible and every merge
lies within cosine distance 0.5, all items form one cluster.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

Projection = Literal["pca", "tsne"]
_ONE_GROUP_SPREAD = 0.5
_SILHOUETTE_SAMPLE = 600


def _relabel(raw: npt.NDArray[np.integer], min_size: int) -> npt.NDArray[np.int64]:
    """Clusters numbered 0.. by decreasing size (ties by first member); small ones -1."""
    ids, first, sizes = np.unique(raw, return_index=True, return_counts=True)
    keep = sizes >= min_size
    order = np.lexsort((first[keep], -sizes[keep]))
    mapping = np.full(ids.max() + 1, -1, dtype=np.int64)
    mapping[ids[keep][order]] = np.arange(order.size)
    return mapping[raw]


def cluster_vectors(
    vectors: npt.NDArray[np.floating],
    *,
    distance_threshold: float | None = None,
    min_cluster_size: int = 3,
) -> tuple[npt.NDArray[np.int64], float]:
    """Cluster L2-normalised rows; return (labels with -1 for unclustered, threshold used).

    Examples
    --------
    >>> v = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.2, 0.98]])
    >>> labels, _ = cluster_vectors(v / np.linalg.norm(v, axis=1, keepdims=True),
    ...                             distance_threshold=0.2)
    >>> labels.tolist()
    [0, 0, 0, 1, 1, 1]
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    n = len(vectors)
    if n < max(min_cluster_size, 2):
        return np.full(n, -1, dtype=np.int64), float(distance_threshold or 0.0)
    distances = np.clip(pdist(np.asarray(vectors, dtype=np.float64), metric="cosine"), 0.0, 2.0)
    tree = linkage(distances, method="average")
    if distance_threshold is not None:
        raw = fcluster(tree, t=distance_threshold, criterion="distance")
        return _relabel(raw, min_cluster_size), float(distance_threshold)
    return _auto_cut(tree, distances, n, min_cluster_size)


def _auto_cut(
    tree: np.ndarray, distances: np.ndarray, n: int, min_size: int
) -> tuple[npt.NDArray[np.int64], float]:
    from scipy.cluster.hierarchy import fcluster
    from scipy.spatial.distance import squareform
    from sklearn.metrics import silhouette_score

    # Silhouettes on a fixed sample of at most 600 items keep 2k items well under a second.
    sample = np.sort(np.random.default_rng(0).permutation(n)[:_SILHOUETTE_SAMPLE])
    square = squareform(distances)[np.ix_(sample, sample)]
    # Cutting just below each of the top merges yields 2, 3, ... clusters.
    heights = np.unique(tree[-min(len(tree), 40) :, 2])
    candidates = np.maximum(heights - 1e-9, 0.0)
    best = (-np.inf, np.full(n, -1, dtype=np.int64), float(candidates[-1]))
    for threshold in candidates:
        labels = _relabel(fcluster(tree, t=threshold, criterion="distance"), min_size)
        sampled = labels[sample]
        inside = sampled >= 0
        n_clusters = len(np.unique(sampled[inside]))
        if n_clusters < 2 or inside.sum() <= n_clusters:
            continue
        score = silhouette_score(
            square[np.ix_(inside, inside)], sampled[inside], metric="precomputed"
        )
        # Unclustered items count as misfits, so a cut cannot win by discarding items.
        score *= inside.mean()
        if score > best[0]:
            best = (score, labels, float(threshold))
    if best[0] == -np.inf and tree[-1, 2] <= _ONE_GROUP_SPREAD:
        # No split is better than none and all items are close: they form one cluster.
        return _relabel(np.ones(n, dtype=np.int64), min_size), float(tree[-1, 2])
    return best[1], best[2]


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

    with np.errstate(invalid="ignore", divide="ignore"):  # identical vectors: zero variance
        return PCA(n_components=2, random_state=seed).fit_transform(vectors)
