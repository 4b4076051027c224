"""Group disagreed items into clusters; the number of clusters is found, not fixed.

Default (``vote_counts`` given, the ambiguity clusters):

1. **By confused label pair.** Every item's pair is its two most voted labels. On real
   data this is the strongest signal there is: items of one guideline question share
   the pair, while texts close to them (their neighbours in the embedding) are often
   disagreed about something else. An item whose second place is tied (3-1-1) takes the
   tied pair with the most other items, then the one whose items are closest in text.
   Items whose second label holds at least 0.28 of the votes (2-1, 3-2, 2-2-1, 5-2, 4-3)
   are the pair's core; a weakly split item (3-1, 4-1, 3-1-1, 6-1: as often a slip or
   noise as ambiguity) joins only
   when it is at least as close to the core's centroid as 90% of the core is, and a pair
   with fewer than ``min_cluster_size`` core items has no cluster.
   Two pair clusters that share a label and whose items are as close as the 0.9 quantile
   of all item pairs are merged (noisy votes can split one question over two pairs).
   With ``vote_weights`` (each vote weighted by its annotator's squared one-coin
   accuracy) the pair and the split strength come from the weighted votes, so a stray
   vote of a near-random or biased annotator rarely decides them (an item with at least
   two votes on its second label and a 0.28 share by plain votes stays in the core).
   Then the clusters are refined by text (:mod:`analysis.clusters.refine`): items with
   votes for both labels of a cluster's pair that are as close to its centre as 80% of
   its members join it; members far below the cluster's typical similarity leave it.
2. **Split a pair by text when its items form distinct themes.** Within a pair, a Ward
   tree on the L2-normalised vectors is cut at about 30 cluster counts and scored by the
   cosine silhouette (on at most 600 items); the split is kept only when the best
   silhouette is at least 0.35 (distinct topics), else the pair stays one cluster.
3. **Scattered items** (``scattered``: votes over three or more labels, no pair holding
   75%) are clustered by text alone: the Ward cut of best silhouette × share of items
   in a cluster (when no cut gives two clusters and every item lies within cosine
   distance 0.5 of every other, all form one cluster).

Pairs or themes with fewer than ``min_cluster_size`` items become -1 ("in no cluster").
A Ward tree is built on at most 2,000 items (a fixed sample); the others join the
nearest centroid, so a two-label dataset with 10,000 disagreed items stays fast. With
``distance_threshold``, the average-linkage cosine dendrogram is cut at that distance
instead of the silhouette cut (within each pair, and for the scattered items). Without
``vote_counts`` the items are clustered by text alone, as the scattered ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from analysis.base.blas import single_threaded_blas
from analysis.clusters.geometry import silhouette, unit_cosine_condensed
from analysis.clusters.refine import drop_outliers, join_by_text
from analysis.clusters.themes import (
    BROAD,
    Reference,
    merge_fragments,
    nearest_neighbours,
    split_blobs,
)

Projection = Literal["pca", "tsne"]
_ONE_GROUP_SPREAD = 0.5
_SILHOUETTE_SAMPLE = 600
_N_CUTS = 30
_ITEMS_PER_CLUSTER = 5
_TREE_SAMPLE = 2000
_SPLIT_SILHOUETTE = 0.35
_STRONG_SHARE = 0.28
_MERGE_QUANTILE = 0.9
_SUPPORT_NEIGHBOURS = 5


def _relabel(raw: npt.NDArray[np.integer], min_size: int) -> npt.NDArray[np.int64]:
    """Clusters numbered 0.. by decreasing size (ties by first member); small ones -1."""
    ids, first, sizes = np.unique(raw, return_index=True, return_counts=True)
    keep = (sizes >= min_size) & (ids >= 0)
    order = np.lexsort((first[keep], -sizes[keep]))
    mapping = np.full(max(int(ids.max(initial=0)), 0) + 1, -1, dtype=np.int64)
    mapping[ids[keep][order]] = np.arange(order.size)
    return np.where(raw >= 0, mapping[np.maximum(raw, 0)], -1)


@dataclass(frozen=True, eq=False)
class Grouping:
    """The clusters of :func:`group_items`.

    Attributes
    ----------
    labels : ndarray of int, shape (n_items,)
        0.. by decreasing size; -1 for items in no cluster.
    broad : ndarray of bool, shape (n_items,)
        Items of a pair cluster that split into no theme (:mod:`analysis.clusters.themes`):
        broad disagreement, in no cluster.
    threshold : float or None
        The distance threshold used, or None when the cut was chosen by silhouette.
    """

    labels: npt.NDArray[np.int64]
    broad: npt.NDArray[np.bool_]
    threshold: float | None


def cluster_vectors(
    vectors: npt.NDArray[np.floating],
    *,
    vote_counts: npt.NDArray[np.integer] | None = None,
    scattered: npt.NDArray[np.bool_] | None = None,
    distance_threshold: float | None = None,
    min_cluster_size: int = 3,
    vote_weights: npt.NDArray[np.floating] | None = None,
) -> tuple[npt.NDArray[np.int64], float | None]:
    """Cluster L2-normalised rows (module docstring); :func:`group_items` without the
    broad-disagreement mask.

    Parameters
    ----------
    vectors : ndarray, shape (n_items, dim)
    vote_counts : ndarray of int, shape (n_items, n_labels), optional
        Votes per label of each item; clusters then follow the confused label pair.
    scattered : ndarray of bool, shape (n_items,), optional
        Items whose votes scatter over three or more labels (clustered by text alone).
    distance_threshold : float, optional
        Cosine distance at which the average-linkage dendrogram is cut.
    min_cluster_size : int, default 3
    vote_weights : ndarray of float, shape (n_items, n_labels), optional
        Reliability-weighted votes (:func:`analysis.clusters.accuracy.accuracy_weighted_counts`);
        when given they choose each item's pair and how strongly it is split, while
        ``vote_counts`` (which labels were voted at all) decide the joins by text.

    Returns
    -------
    labels : ndarray of int, shape (n_items,)
        0.. by decreasing size; -1 for items in no cluster.
    distance_threshold : float or None
        The threshold used, or None when the cut was chosen by silhouette.

    Examples
    --------
    >>> v = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.2, 0.98]])
    >>> v = v / np.linalg.norm(v, axis=1, keepdims=True)
    >>> cluster_vectors(v, distance_threshold=0.2)[0].tolist()
    [0, 0, 0, 1, 1, 1]
    >>> cluster_vectors(v)[0].tolist()
    [0, 0, 0, 1, 1, 1]
    >>> votes = np.array([[2, 1, 0, 0], [1, 2, 0, 0], [0, 0, 2, 1]] * 2)
    >>> cluster_vectors(v, vote_counts=votes, min_cluster_size=2)[0].tolist()  # one pair, two themes
    [0, 0, -1, 1, 1, -1]

    (Items 2 and 5 share a pair but not a topic: broad disagreement, in no cluster.)
    """
    grouping = group_items(
        vectors, vote_counts=vote_counts, scattered=scattered, distance_threshold=distance_threshold,
        min_cluster_size=min_cluster_size, vote_weights=vote_weights,
    )
    return grouping.labels, grouping.threshold


def group_items(
    vectors: npt.NDArray[np.floating],
    *,
    vote_counts: npt.NDArray[np.integer] | None = None,
    scattered: npt.NDArray[np.bool_] | None = None,
    distance_threshold: float | None = None,
    min_cluster_size: int = 3,
    vote_weights: npt.NDArray[np.floating] | None = None,
    seed: int = 0,
    reference: Reference | None = None,
) -> Grouping:
    """Cluster L2-normalised rows (module docstring; parameters as :func:`cluster_vectors`).

    Without ``distance_threshold``, a pair cluster that is not one theme is split into
    topical themes or left as broad disagreement (:mod:`analysis.clusters.themes`), by
    coherence against ``reference`` (default: the rows themselves).
    """
    n = len(vectors)
    if n < max(min_cluster_size, 2):
        return Grouping(np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool), distance_threshold)
    unit = np.asarray(vectors, dtype=np.float64)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    threshold = None if distance_threshold is None else float(distance_threshold)
    broad = np.zeros(n, dtype=bool)
    with single_threaded_blas():
        if vote_counts is None:
            raw = _text_clusters(unit, threshold, min_cluster_size)
        else:
            spread = np.zeros(n, dtype=bool) if scattered is None else np.asarray(scattered, bool)
            weighted = np.asarray(vote_counts if vote_weights is None else vote_weights, dtype=np.float64)
            raw, broad = _pair_clusters(unit, np.asarray(vote_counts), weighted, spread, threshold,
                                        min_cluster_size, seed, reference)
    return Grouping(_relabel(raw, min_cluster_size), broad, threshold)


def item_pairs(
    vote_counts: npt.NDArray[np.integer], unit: npt.NDArray[np.floating] | None = None
) -> npt.NDArray[np.int64]:
    """Code ``a * n_labels + b`` (``a < b``) of each item's two most voted labels.

    An item whose second place is tied takes, among the tied pairs, the one most other
    items have, then the one whose items' mean vector is closest (``unit``); -1 for an
    item with fewer than two labels voted.

    Examples
    --------
    >>> item_pairs(np.array([[3, 2, 0], [0, 2, 1], [2, 1, 1], [1, 0, 2], [2, 0, 1], [4, 0, 0]])).tolist()
    [1, 5, 2, 2, 2, -1]
    """
    counts = np.asarray(vote_counts)
    n, n_labels = counts.shape
    if n_labels < 2:
        return np.full(n, -1, dtype=np.int64)
    first = np.argmax(counts, axis=1)
    rest = counts.astype(np.float64)
    rest[np.arange(n), first] = -1.0
    second = np.argmax(rest, axis=1)
    second_votes = rest[np.arange(n), second]
    tied = (rest == second_votes[:, None]).sum(axis=1) > 1
    codes = np.minimum(first, second) * n_labels + np.maximum(first, second)
    codes = np.where(second_votes > 0, codes, -1).astype(np.int64)
    ambiguous = np.nonzero(tied & (second_votes > 0))[0]
    if ambiguous.size == 0:
        return codes
    settled = codes[~np.isin(np.arange(n), ambiguous) & (codes >= 0)]
    popularity = np.bincount(settled, minlength=n_labels * n_labels)
    for i in ambiguous.tolist():
        options = np.nonzero(rest[i] == second_votes[i])[0]
        candidates = np.minimum(first[i], options) * n_labels + np.maximum(first[i], options)
        score = popularity[candidates].astype(np.float64)
        if unit is not None and score.max() > 0:
            best = candidates[score == score.max()]
            if len(best) > 1:
                closeness = [float(unit[codes == c].mean(axis=0) @ unit[i]) for c in best]
                codes[i] = best[int(np.argmax(closeness))]
                continue
        codes[i] = candidates[int(np.argmax(score))]
    return codes


def _pair_clusters(
    unit: np.ndarray, counts: np.ndarray, weighted: np.ndarray, scattered: np.ndarray,
    threshold: float | None, min_size: int, seed: int = 0, reference: Reference | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Raw cluster ids (one or more per confused pair, split into themes where a pair is
    not one, then text clusters of scattered items) and the broad-disagreement mask."""
    n = len(unit)
    codes = np.where(scattered, -1, item_pairs(weighted, unit))
    raw = np.full(n, -1, dtype=np.int64)
    next_id = 0
    values, sizes = np.unique(codes[codes >= 0], return_counts=True)
    totals = np.maximum(weighted.sum(axis=1), 1e-12)
    second = -np.partition(-weighted, 1, axis=1)[:, 1] if counts.shape[1] > 1 else np.zeros(n)
    strong = second / totals >= _STRONG_SHARE
    # ... or split so by votes alone with two or more votes on the second label: one
    # annotator the model rates low cannot make a shared split weak by itself.
    plain = -np.partition(-counts, 1, axis=1)[:, 1] if counts.shape[1] > 1 else np.zeros(n)
    strong |= (plain >= 2) & (plain / np.maximum(counts.sum(axis=1), 1) >= _STRONG_SHARE)
    sample = _sample(n)[:_SILHOUETTE_SAMPLE]
    background = unit[sample] @ unit[sample].T
    pairs = np.triu_indices(len(sample), 1)
    merge_bar = float(np.quantile(background[pairs], _MERGE_QUANTILE)) if len(sample) > 2 else np.inf
    neighbours = nearest_neighbours(unit, _SUPPORT_NEIGHBOURS)[0]
    for code in values[sizes >= min_size].tolist():
        members = _core_and_close(unit, np.nonzero(codes == code)[0], strong, min_size, neighbours)
        if members.size < min_size:
            continue
        sub = _split_theme(unit[members], threshold, min_size)
        raw[members] = np.where(sub >= 0, sub + next_id, -1)
        next_id += int(sub.max(initial=-1)) + 1
    raw = _merge_shared_label(unit, counts, raw, merge_bar)
    raw = drop_outliers(unit, join_by_text(unit, counts, raw), neighbours=neighbours)
    if threshold is None:
        raw = split_blobs(unit, raw, min_size=min_size, seed=seed, reference=reference)
        raw = merge_fragments(unit, raw, counts, reference=reference)
    broad = raw == BROAD
    raw[broad] = -1
    next_id = int(raw.max(initial=-1)) + 1
    spread = np.nonzero(scattered & (raw < 0) & ~broad)[0]
    if spread.size >= min_size:
        sub = _relabel(_text_clusters(unit[spread], threshold, min_size), min_size)
        raw[spread] = np.where(sub >= 0, sub + next_id, -1)
    return raw, broad


def _merge_shared_label(unit: np.ndarray, counts: np.ndarray, raw: np.ndarray, bar: float) -> npt.NDArray[np.int64]:
    """Merge pair clusters that share a label and whose items are as close as the 0.9
    quantile of all item pairs (mean cross similarity), closest first: noisy votes can
    split one question over two pairs (refund/cancel and refund/product-question on the
    same texts)."""
    ids = [int(c) for c in np.unique(raw) if c >= 0]
    raw = raw.copy()
    votes = {c: counts[raw == c].sum(axis=0) for c in ids}
    main = {c: set(np.argsort(-votes[c], kind="stable")[:2].tolist()) for c in ids}
    while len(ids) > 1:
        sums = np.vstack([unit[raw == c].sum(axis=0) for c in ids])
        sizes = np.array([(raw == c).sum() for c in ids], dtype=np.float64)
        cross = (sums @ sums.T) / np.outer(sizes, sizes)
        np.fill_diagonal(cross, -np.inf)
        shares = np.array([[bool(main[a] & main[b]) for b in ids] for a in ids])
        cross = np.where(shares, cross, -np.inf)
        i, j = np.unravel_index(int(np.argmax(cross)), cross.shape)
        if not cross[i, j] >= bar:
            return raw
        keep, gone = ids[i], ids[j]
        raw[raw == gone] = keep
        votes[keep] = votes[keep] + votes.pop(gone)
        main[keep] = set(np.argsort(-votes[keep], kind="stable")[:2].tolist())
        main.pop(gone)
        ids.remove(gone)
    return raw


def _core_and_close(
    unit: np.ndarray, members: np.ndarray, strong: np.ndarray, min_size: int, neighbours: np.ndarray | None = None,
) -> np.ndarray:
    """The pair's strongly split items, and its weakly split ones close to them in text.

    A lone dissent among four or more votes (4-1, 6-1) is as often a slip as a sign of
    ambiguity; such an item joins its pair's cluster only when it is at least as close to
    the centroid of the strongly split items as 90% of them are, or when most of its
    nearest disagreed items (``neighbours``: :data:`_SUPPORT_NEIGHBOURS` per item) are
    strongly split items of the pair (a theme is not always round). A pair with fewer than
    ``min_size`` strongly split items has no cluster.
    """
    core = members[strong[members]]
    if core.size < min_size:
        return core[:0]
    weak = members[~strong[members]]
    if weak.size == 0:
        return members
    centre = unit[core].mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    bar = float(np.quantile(unit[core] @ centre, 0.1))
    close = unit[weak] @ centre >= bar
    if neighbours is not None and neighbours.shape[1]:
        in_core = np.zeros(len(unit), dtype=bool)
        in_core[core] = True
        close |= in_core[neighbours[weak]].sum(axis=1) * 2 > neighbours.shape[1]
    return np.sort(np.r_[core, weak[close]])


def _sample(n: int) -> np.ndarray:
    return np.sort(np.random.default_rng(0).permutation(n)[:_TREE_SAMPLE])


def _assign_rest(unit: np.ndarray, sample: np.ndarray, labels: np.ndarray) -> npt.NDArray[np.int64]:
    """Labels for every row: the sample's own, the others the nearest sample centroid."""
    out = np.full(len(unit), -1, dtype=np.int64)
    out[sample] = labels
    ids = np.unique(labels[labels >= 0])
    if len(sample) == len(unit) or ids.size == 0:
        return out
    centroids = np.vstack([unit[sample[labels == c]].mean(axis=0) for c in ids])
    others = np.setdiff1d(np.arange(len(unit)), sample)
    out[others] = ids[np.argmax(unit[others] @ centroids.T, axis=1)]
    return out


def _average_linkage_cut(unit: np.ndarray, threshold: float) -> npt.NDArray[np.int64]:
    """Raw ids of an average-linkage tree on cosine distance, cut at ``threshold``."""
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(unit_cosine_condensed(unit), method="average")
    return fcluster(tree, t=threshold, criterion="distance").astype(np.int64)


def _split_theme(unit: np.ndarray, threshold: float | None, min_size: int) -> npt.NDArray[np.int64]:
    """Ids within one pair: one cluster unless the texts form clearly distinct themes."""
    n = len(unit)
    sample = _sample(n)
    if threshold is not None:
        raw = _average_linkage_cut(unit[sample], threshold)
        return _relabel(_assign_rest(unit, sample, _relabel(raw, min_size)), min_size)
    if n < 2 * min_size:
        return np.zeros(n, dtype=np.int64)
    raw, score, _spread = _ward_cut(unit[sample], min_size)
    if raw is None or not score >= _SPLIT_SILHOUETTE:
        return np.zeros(n, dtype=np.int64)
    return _relabel(_assign_rest(unit, sample, _relabel(raw, min_size)), min_size)


def _text_clusters(unit: np.ndarray, threshold: float | None, min_size: int) -> npt.NDArray[np.int64]:
    """Raw ids by text alone: average-linkage cut at ``threshold``, or the silhouette cut."""
    n = len(unit)
    sample = _sample(n)
    if threshold is not None:
        raw = _average_linkage_cut(unit[sample], threshold)
        return _assign_rest(unit, sample, _relabel(raw, min_size))
    raw, _score, spread = _ward_cut(unit[sample], min_size)
    if raw is None:
        raw = np.zeros(len(sample), dtype=np.int64) if spread <= _ONE_GROUP_SPREAD else np.arange(len(sample))
    return _assign_rest(unit, sample, _relabel(raw, min_size))


def _ward_cut(unit: np.ndarray, min_size: int) -> tuple[npt.NDArray[np.int64] | None, float, float]:
    """Ward tree of the rows cut by silhouette: (raw ids or None, score, widest distance)."""
    from scipy.cluster.hierarchy import linkage

    inner = np.sort(np.random.default_rng(0).permutation(len(unit))[:_SILHOUETTE_SAMPLE])
    similarity = np.clip(unit[inner] @ unit[inner].T, -1.0, 1.0)
    distances = 1.0 - similarity
    np.fill_diagonal(distances, 0.0)
    # Ward on the Euclidean distances of the unit rows, |u - v| = sqrt(2 (1 - u.v)).
    tree = linkage(np.sqrt(2.0 * unit_cosine_condensed(unit)), method="ward")
    raw, score = _silhouette_cut(tree, distances, inner, min_size)
    return raw, score, float(1.0 - similarity.min())


def _silhouette_cut(
    tree: np.ndarray, distances: np.ndarray, sample: np.ndarray, min_size: int
) -> tuple[npt.NDArray[np.int64] | None, float]:
    """Raw ids of the best cut (silhouette × share in a cluster) and its score."""
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
    return best, float(best_score)


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
