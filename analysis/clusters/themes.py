"""Themes from the texts when the labels cannot separate the disagreed items.

Grouping by confused label pair (:mod:`analysis.clusters.grouping`) separates guideline
questions when many labels are in play. In a binary or few-label task every disagreement
is on the same pair, so a pair cluster can hold nearly every disagreed item: a blob, not a
theme. This module decides when a cluster is one theme and splits it when it is not.

**Coherence.** A cluster's *cohesion* is its members' mean cosine to their centre, which
for unit vectors is the length of their mean vector. A random subset of ``m`` of the
dataset's ``N`` items (the *reference*: every item with a text, its mean vector ``mu``
estimated from the disagreed items and a sample of the others) has an expected squared
cohesion of ``|mu|^2 + (1 - |mu|^2) / m * (N - m) / (N - 1)`` (sampling without
replacement), whose square root is the *background*. A cluster's *coherence* is
``(cohesion - background) / (1 - background)``: 0 for a random draw of the dataset's
items, 1 for identical texts, the same scale for any model. The planted two-intent themes of the CLINC150
benchmark score 0.25-0.70; topical groups of real tweets and comments (sex, threats,
vaccines, religion) 0.1-0.6; the blob of every disagreed item 0.

**Split.** A cluster is kept whole when its coherence is at least :data:`KEEP_COHERENCE`
and it holds at most half of the disagreed items, or when its texts are nearly alike
(coherence at least :data:`ONE_THEME_COHERENCE`: one question asked again and again is one
theme however much of the disagreement it holds). Otherwise its items are split into
topical communities, as text-clustering practice does with a graph of nearest
neighbours: each item is linked to its :data:`N_NEIGHBOURS` nearest members (cosine,
weighted by similarity) and the graph is partitioned by Louvain modularity
(``networkx``, seeded). A community with coherence at least :data:`MIN_COHERENCE` and at
least ``min_size`` items is a theme; the others are *broad disagreement*: items on the
pair that share no theme, for which no rule can be drafted. A theme still holding more
than half of the disagreed items is split once more, else left as broad disagreement.

**Merge.** Noisy votes and text splits can cut one guideline question into fragments
that share their label pair. Two clusters with the same main pair merge when the union
is still coherent: at least :data:`MERGE_COHERENCE` while keeping at least
:data:`MERGE_KEEP` of the parts' size-weighted coherence, or at least :data:`MERGE_RATIO` of
it (closest first, never beyond half of the disagreed items). On the CLINC150 benchmark the fragments of one planted theme unite at 0.42-0.63
(0.86-0.87 of their parts), while distinct topics of real comments unite at 0.29 or less
(0.68-0.80 of their parts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

KEEP_COHERENCE = 0.15
"""Coherence at which a cluster is one theme and stays whole."""
ONE_THEME_COHERENCE = 0.5
"""Coherence at which a cluster is one theme even when it holds most of the disagreement."""
MIN_COHERENCE = 0.08
"""Coherence a community needs to be a theme rather than broad disagreement."""
MAX_SHARE = 0.5
"""A cluster holding more than this share of the disagreed items is not a theme."""
MERGE_COHERENCE = 0.35
"""Coherence two fragments of one pair must keep together to merge..."""
MERGE_KEEP = 0.6
"""... while keeping this share of their own (size-weighted) coherence (two tight topics
that merely share words stay apart) ..."""
MERGE_RATIO = 0.85
"""... or this share of their own coherence, however low."""
N_NEIGHBOURS = 10
_CHUNK = 2048
@dataclass(frozen=True)
class Reference:
    """The items a cluster is compared with: their mean unit vector and how many they are."""

    mean: npt.NDArray[np.float64]
    size: int

    @classmethod
    def of(cls, unit: npt.NDArray[np.floating]) -> Reference:
        """The reference made of ``unit`` alone."""
        unit = np.asarray(unit, dtype=np.float64)
        return cls(unit.mean(axis=0) if len(unit) else np.zeros(unit.shape[1:]), len(unit))

    def coherence_of(self, unit: npt.NDArray[np.floating]) -> float:
        """:func:`coherence` of the rows ``unit`` against this reference."""
        return coherence(len(unit), cohesion(unit), self.mean, self.size)


BROAD = -2
"""Cluster id of broad-disagreement items (no theme), before renumbering."""


def cohesion(unit: npt.NDArray[np.floating]) -> float:
    """Mean cosine of unit rows to their (normalised) centre: the length of their mean.

    Examples
    --------
    >>> round(cohesion(np.array([[1.0, 0.0], [0.0, 1.0]])), 3)
    0.707
    """
    return float(np.linalg.norm(np.asarray(unit, dtype=np.float64).mean(axis=0))) if len(unit) else 0.0


def coherence(size: int, observed: float, pool_mean: npt.NDArray[np.floating], pool_size: int) -> float:
    """Coherence of ``size`` items with cohesion ``observed`` against random draws of the pool.

    Examples
    --------
    >>> pool = np.array([0.0, 0.0])  # a pool spread evenly
    >>> round(coherence(10, 1.0, pool, 100), 3), round(coherence(100, 0.0, pool, 100), 3)
    (1.0, 0.0)
    """
    if size < 1 or pool_size < 2:
        return 0.0
    mu2 = float(np.dot(pool_mean, pool_mean))
    expected = mu2 + (1.0 - mu2) / size * max(pool_size - size, 0) / (pool_size - 1)
    background = float(np.sqrt(max(expected, 0.0)))
    if background >= 1.0 - 1e-9:
        return 0.0
    return (observed - background) / (1.0 - background)


def nearest_neighbours(unit: npt.NDArray[np.floating], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine similarities of each row's ``k`` nearest other rows, in chunks
    (memory ``chunk × n``, never ``n × n``).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]])
    >>> nearest_neighbours(v, 1)[0].ravel().tolist()
    [1, 0, 1]
    """
    unit = np.asarray(unit, dtype=np.float32)
    n = len(unit)
    k = max(0, min(k, n - 1))
    index = np.zeros((n, k), dtype=np.int64)
    similarity = np.zeros((n, k), dtype=np.float32)
    if k == 0:
        return index, similarity
    for start in range(0, n, _CHUNK):
        block = unit[start : start + _CHUNK] @ unit.T
        rows = np.arange(block.shape[0])
        block[rows, start + rows] = -np.inf
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        index[start : start + len(rows)] = np.take_along_axis(part, order, axis=1)
        similarity[start : start + len(rows)] = np.take_along_axis(values, order, axis=1)
    return index, similarity


def communities(unit: npt.NDArray[np.floating], *, seed: int = 0) -> npt.NDArray[np.int64]:
    """Louvain communities of the nearest-neighbour graph, numbered by decreasing size.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centres = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    >>> v = np.repeat(centres, 20, axis=0) + rng.normal(0, 0.05, (40, 3))
    >>> v /= np.linalg.norm(v, axis=1, keepdims=True)
    >>> labels = communities(v)
    >>> len(set(labels[:20])), len(set(labels[20:])), bool(set(labels[:20]) & set(labels[20:]))
    (1, 1, False)
    """
    import networkx as nx

    n = len(unit)
    if n < 3:
        return np.zeros(n, dtype=np.int64)
    index, similarity = nearest_neighbours(unit, N_NEIGHBOURS)
    rows = np.repeat(np.arange(n), index.shape[1])
    weights = np.maximum(similarity.ravel().astype(np.float64), 1e-6)
    graph = sparse.coo_matrix((weights, (rows, index.ravel())), shape=(n, n)).tocsr()
    graph = graph.maximum(graph.T)
    found = nx.community.louvain_communities(nx.from_scipy_sparse_array(graph), weight="weight", seed=seed)
    labels = np.zeros(n, dtype=np.int64)
    for number, members in enumerate(sorted(found, key=lambda m: (-len(m), min(m)))):
        labels[list(members)] = number
    return labels


def split_blobs(
    unit: npt.NDArray[np.floating], raw: npt.NDArray[np.integer], *, min_size: int, seed: int = 0,
    reference: Reference | None = None,
) -> npt.NDArray[np.int64]:
    """Raw cluster ids with every cluster that is not one theme split into themes.

    ``unit`` are the L2-normalised vectors of the pool (every item given to the
    clustering); ``raw`` holds a cluster id per item (-1: none). Clusters kept whole keep
    their id; themes get new ids above every existing one; broad-disagreement items get
    :data:`BROAD`. ``reference`` (default: ``unit`` itself) is what coherence compares with.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> centres = np.eye(4)
    >>> v = np.repeat(centres, 15, axis=0) + rng.normal(0, 0.1, (60, 4))
    >>> v /= np.linalg.norm(v, axis=1, keepdims=True)
    >>> out = split_blobs(v, np.zeros(60, dtype=int), min_size=3)  # one blob, four topics
    >>> sorted(np.unique(out).tolist())
    [1, 2, 3, 4]
    """
    unit = np.asarray(unit, dtype=np.float64)
    out = np.asarray(raw, dtype=np.int64).copy()
    reference = reference or Reference.of(unit)
    next_id = int(out.max(initial=-1)) + 1
    queue = [(int(c), 0) for c in np.unique(out) if c >= 0]
    for _ in range(3):  # a theme still over half of the disagreed items is split once more
        while queue:
            c, depth = queue.pop(0)
            next_id = _judge(unit, out, c, depth, queue, next_id, reference, min_size, seed)
        ids, sizes = np.unique(out[out >= 0], return_counts=True)
        big = [int(c) for c, size in zip(ids, sizes, strict=True) if size > MAX_SHARE * len(out)
               and reference.coherence_of(unit[out == c]) < ONE_THEME_COHERENCE]
        if not big:
            break
        queue = [(c, 1) for c in big]
    return out


def _judge(
    unit: np.ndarray, out: np.ndarray, c: int, depth: int, queue: list[tuple[int, int]], next_id: int,
    reference: Reference, min_size: int, seed: int,
) -> int:
    """Keep cluster ``c`` whole, split it into themes (queued), or mark it broad; returns
    the next free id."""
    members = np.nonzero(out == c)[0]
    clustered = len(out)  # every item given: the disagreed ones
    score = reference.coherence_of(unit[members])
    too_big = len(members) > MAX_SHARE * max(clustered, 1) and score < ONE_THEME_COHERENCE
    if not too_big and (depth > 0 or score >= KEEP_COHERENCE):
        return next_id  # one theme: coherent, or a community already judged by MIN_COHERENCE
    if depth >= 2 or len(members) < 2 * min_size:
        out[members] = BROAD if too_big or score < MIN_COHERENCE else c
        return next_id
    parts = communities(unit[members], seed=seed)
    if parts.max(initial=0) == 0:  # the graph holds one community: no themes inside
        out[members] = BROAD if too_big or score < KEEP_COHERENCE else c
        return next_id
    for part in np.unique(parts):
        rows = members[parts == part]
        part_score = reference.coherence_of(unit[rows])
        if len(rows) < min_size or part_score < MIN_COHERENCE:
            out[rows] = BROAD
            continue
        out[rows] = next_id
        queue.append((next_id, depth + 1))
        next_id += 1
    return next_id


def merge_fragments(
    unit: npt.NDArray[np.floating], raw: npt.NDArray[np.integer], counts: npt.NDArray[np.integer],
    *, reference: Reference | None = None,
) -> npt.NDArray[np.int64]:
    """Raw ids with same-pair clusters merged while their union stays coherent (module
    docstring). ``counts`` are the items' votes per label (a cluster's main pair is its two
    most voted labels); ids below 0 are left alone.

    Examples
    --------
    >>> unit = np.array([[1.0, 0.0], [0.99, 0.1], [0.98, 0.2], [0.97, 0.24]] + [[0.0, 1.0], [0.1, 0.99]] * 2)
    >>> unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    >>> counts = np.array([[2, 1, 0]] * 4 + [[0, 2, 1]] * 4)  # two fragments of (a, b); (b, c) apart
    >>> merge_fragments(unit, np.array([0, 0, 1, 1, 2, 2, 2, 2]), counts).tolist()
    [0, 0, 0, 0, 2, 2, 2, 2]
    """
    unit = np.asarray(unit, dtype=np.float64)
    out = np.asarray(raw, dtype=np.int64).copy()
    reference = reference or Reference.of(unit)

    def pair_of(c: int) -> tuple[int, ...]:
        totals = counts[out == c].sum(axis=0)
        return tuple(sorted(np.argsort(-totals, kind="stable")[:2].tolist()))

    while True:
        ids = [int(c) for c in np.unique(out) if c >= 0]
        pairs = {c: pair_of(c) for c in ids}
        sums = {c: unit[out == c].sum(axis=0) for c in ids}
        sizes = {c: int((out == c).sum()) for c in ids}
        own = {c: coherence(sizes[c], float(np.linalg.norm(sums[c])) / sizes[c], reference.mean, reference.size)
               for c in ids}
        clustered = len(out)
        best, best_score = None, -np.inf
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                size = sizes[a] + sizes[b]
                if pairs[a] != pairs[b] or size > MAX_SHARE * clustered:
                    continue
                score = coherence(size, float(np.linalg.norm(sums[a] + sums[b])) / size, reference.mean,
                                  reference.size)
                parts = (own[a] * sizes[a] + own[b] * sizes[b]) / size
                coherent = score >= MERGE_COHERENCE and score >= MERGE_KEEP * parts
                if (coherent or score >= MERGE_RATIO * parts) and score > best_score:
                    best, best_score = (a, b), score
        if best is None:
            return out
        out[out == best[1]] = best[0]
