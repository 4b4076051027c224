"""Ambiguity clusters: select disagreed items, embed, group, describe, draft a rule.

A cluster is ``systematic`` when the disagreement is shared: at least
``min_minority_annotators`` (default 2) distinct annotators dissent in it and no single
annotator casts ``max_top_share`` (default 50%) or more of its dissenting votes.
Otherwise it is ``annotator_noise``: one person's habit, a matter for training rather
than for the guideline.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from analysis.clusters.geometry import group_sums
from analysis.clusters.grouping import Projection, cluster_vectors, map_coordinates
from analysis.clusters.result import (
    DRAFT_RULE_TEMPLATE,
    AmbiguityCluster,
    ClusterKind,
    ClusterResult,
    Example,
    LabelPair,
)
from analysis.clusters.selection import DEFAULT_MIN_ENTROPY, find_disagreements
from analysis.clusters.terms import class_tfidf_terms
from analysis.dataset import AnnotationDataset, as_dataset
from analysis.embeddings import (
    Embedder,
    PrecomputedEmbeddings,
    ProgressCallback,
    TransformerEmbedder,
    embed_items,
    item_texts,
)
from analysis.reliability import MISSING, ReliabilityData


def find_ambiguity_clusters(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    min_entropy: float = DEFAULT_MIN_ENTROPY,
    distance_threshold: float | None = None,
    min_cluster_size: int = 3,
    min_minority_annotators: int = 2,
    max_top_share: float = 0.5,
    n_examples: int = 3,
    n_keywords: int = 8,
    projection: Projection = "pca",
    seed: int = 0,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> ClusterResult:
    """Find groups of similar items that annotators disagree on.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (its table needs a ``text`` column); a canonical table is converted
        once.
    embedder : Embedder, optional
        Backend; default the bundled transformer. Ignored when ``embeddings`` is given.
        A backend with a ``fit`` step (char-ngram) is fitted, as a copy, on every item
        text of the table, then embeds the disagreed items.
    embeddings : mapping or DataFrame, optional
        Precomputed vectors by item id.
    min_entropy : float, default 0.3
        Normalised vote entropy an item needs to count as disagreed.
    distance_threshold : float, optional
        Cosine distance at which the average-linkage dendrogram is cut. Default: a Ward
        tree cut by silhouette, then clusters with close centroids and the same most
        confused label pair merged (:mod:`analysis.clusters.grouping`).
    min_cluster_size : int, default 3
    min_minority_annotators, max_top_share
        The systematic-vs-noise rule (module docstring).
    projection : {"pca", "tsne"}, default "pca"
    seed : int, default 0

    Returns
    -------
    ClusterResult

    Examples
    --------
    >>> votes = [("refund late order", "ABA"), ("late refund again", "AAB"),
    ...          ("order refund late", "BAA"), ("reset password", "CDC"),
    ...          ("password reset now", "DCC"), ("reset my password", "CCD")]
    >>> rows = [(f"i{i}", a, lab, text) for i, (text, labs) in enumerate(votes)
    ...         for a, lab in zip("xyz", labs)]
    >>> table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    >>> vectors = {f"i{i}": [1.0, 0.1 * i] if i < 3 else [0.1 * i, 1.0] for i in range(6)}
    >>> result = find_ambiguity_clusters(table, embeddings=vectors, distance_threshold=0.3)
    >>> [(c.size, c.label_pairs[0].labels) for c in result.clusters]
    [(3, ('A', 'B')), (3, ('C', 'D'))]
    """
    dataset = as_dataset(dataset, function="find_ambiguity_clusters")
    table, data = dataset.table, dataset.reliability
    found = find_disagreements(data, min_entropy=min_entropy)
    texts = item_texts(table)
    votes = found.items
    chosen = votes[votes["disagreed"] & votes["item_id"].isin(texts.index)].reset_index()
    chosen_texts = texts.loc[chosen["item_id"]].tolist()

    backend = "precomputed" if embeddings is not None else _backend_name(embedder)
    embedded = embed_items(
        chosen["item_id"].tolist(),
        chosen_texts,
        embedder=embedder,
        embeddings=embeddings,
        fit_texts=texts.tolist(),  # a char-ngram space estimated on every text of the dataset
        cache_dir=cache_dir,
        use_cache=use_cache,
        progress=progress,
    )
    vectors = embedded.vectors
    labels, threshold = cluster_vectors(
        vectors,
        vote_counts=data.counts()[chosen["index"].to_numpy()],
        distance_threshold=distance_threshold,
        min_cluster_size=min_cluster_size,
    )
    xy = map_coordinates(vectors, projection=projection, seed=seed)

    item_table = pd.DataFrame(
        {
            "item_id": chosen["item_id"].astype(str).to_numpy(),
            "cluster": labels,
            "x": xy[:, 0] if len(xy) else np.zeros(0),
            "y": xy[:, 1] if len(xy) else np.zeros(0),
            "text": chosen_texts,
            "votes": chosen["votes"].to_numpy(),
            "entropy": chosen["entropy"].to_numpy(dtype=float),
            "plurality": chosen["plurality"].to_numpy(),
            "single_dissent": chosen["single_dissent"].to_numpy(dtype=bool),
        }
    )
    slip_rows = votes[votes["slip"]]
    slips = pd.DataFrame(
        {
            "item_id": slip_rows["item_id"].to_numpy(),
            "annotator": [d[0] for d in slip_rows["dissenters"]],
            "votes": slip_rows["votes"].to_numpy(),
            "text": [texts.get(i, "") for i in slip_rows["item_id"]],
        }
    )

    # Background for keywords: every other text of the dataset.
    all_ids = texts.index.to_numpy()
    classes = np.full(len(all_ids), -1)
    position = {item: k for k, item in enumerate(all_ids)}
    for item, cluster in zip(item_table["item_id"], labels, strict=True):
        classes[position[item]] = cluster
    keywords = (
        class_tfidf_terms(texts.tolist(), classes, k=n_keywords)
        if labels.max(initial=-1) >= 0
        else {}
    )

    centroids = _centroids(vectors, labels)
    clusters = tuple(
        _describe(
            c,
            chosen_rows=np.nonzero(labels == c)[0],
            data=data,
            chosen=chosen,
            item_table=item_table,
            vectors=vectors,
            centroids=centroids,
            keywords=keywords.get(c, []),
            n_examples=n_examples,
            min_minority_annotators=min_minority_annotators,
            max_top_share=max_top_share,
        )
        for c in range(len(centroids))
    )
    return ClusterResult(
        clusters=clusters,
        item_table=item_table,
        slips=slips,
        model=embedded.model,
        backend=backend,
        warnings=embedded.warnings,
        settings={
            "min_entropy": min_entropy,
            "distance_threshold": None if threshold is None else round(threshold, 4),
            "distance_threshold_chosen": "given"
            if distance_threshold is not None
            else "ward+silhouette, merged by label pair",
            "min_cluster_size": min_cluster_size,
            "projection": projection,
            "seed": seed,
        },
    )


def _backend_name(embedder: Embedder | None) -> str:
    if embedder is None or isinstance(embedder, TransformerEmbedder):
        return "transformer"
    return "char-ngram" if embedder.name.startswith("char-ngram") else type(embedder).__name__


def _centroids(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    n_clusters = int(labels.max(initial=-1)) + 1
    if n_clusters == 0:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0))
    sums = group_sums(vectors, labels, n_clusters)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.maximum(norms, 1e-12)


def _example(item_table: pd.DataFrame, row: int) -> Example:
    record = item_table.iloc[row]
    return Example(str(record["item_id"]), str(record["text"]), str(record["votes"]))


def _describe(
    c: int,
    *,
    chosen_rows: np.ndarray,
    data: ReliabilityData,
    chosen: pd.DataFrame,
    item_table: pd.DataFrame,
    vectors: np.ndarray,
    centroids: np.ndarray,
    keywords: list[str],
    n_examples: int,
    min_minority_annotators: int,
    max_top_share: float,
) -> AmbiguityCluster:
    data_rows = chosen["index"].to_numpy()[chosen_rows]
    counts = data.counts()[data_rows]
    # Each item's top two labels (label order breaks ties) make its confused pair.
    top2 = np.argsort(-counts, axis=1, kind="stable")[:, :2]
    two_labels = top2[counts[np.arange(len(counts)), top2[:, 1]] > 0]
    codes_seen, n_seen = np.unique(
        np.sort(two_labels, axis=1) @ np.array([data.n_labels, 1]), return_counts=True
    )
    pair_counter = {
        tuple(sorted((data.labels[code // data.n_labels], data.labels[code % data.n_labels]))): n
        for code, n in zip(codes_seen.tolist(), n_seen.tolist(), strict=True)
    }
    pairs = tuple(
        LabelPair(labels=pair, share=n / len(chosen_rows))
        for pair, n in sorted(pair_counter.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    if pairs:
        first, second = pairs[0].labels
        totals = counts.sum(axis=0)
        i_first, i_second = data.labels.index(first), data.labels.index(second)
        preferred, other = (
            (first, second) if totals[i_first] >= totals[i_second] else (second, first)
        )
    else:
        preferred = other = ""

    codes = data.codes[data_rows]
    plurality = np.argmax(counts, axis=1)
    dissent = (codes != MISSING) & (codes != plurality[:, None])
    per_annotator = dissent.sum(axis=0)
    order = np.argsort(-per_annotator, kind="stable")
    annotators = {
        str(data.annotators[j]): int(per_annotator[j]) for j in order if per_annotator[j] > 0
    }
    total_dissent = int(per_annotator.sum())
    top_share = float(per_annotator.max() / total_dissent) if total_dissent else 0.0
    n_minority = int((per_annotator > 0).sum())
    kind: ClusterKind = (
        "systematic"
        if n_minority >= min_minority_annotators and top_share < max_top_share
        else "annotator_noise"
    )

    similarity = vectors[chosen_rows] @ centroids.T
    own = similarity[:, c]
    nearest = np.argsort(-own, kind="stable")[:n_examples]
    if len(centroids) > 1:
        others = np.delete(similarity, c, axis=1).max(axis=1)
        boundary_score = own - others
    else:
        boundary_score = own
    central = set(nearest.tolist())
    boundary = [
        i for i in np.argsort(boundary_score, kind="stable").tolist() if i not in central
    ][:n_examples]

    terms = keywords[:3]
    draft = (
        DRAFT_RULE_TEMPLATE.format(
            terms=", ".join(f"'{t}'" for t in terms) or "this topic",
            preferred=preferred,
            other=other,
        )
        if pairs
        else ""
    )
    return AmbiguityCluster(
        id=c,
        item_ids=tuple(item_table["item_id"].iloc[chosen_rows].astype(str)),
        label_pairs=pairs,
        keywords=tuple(keywords),
        examples=tuple(_example(item_table, int(chosen_rows[i])) for i in nearest),
        boundary_examples=tuple(_example(item_table, int(chosen_rows[i])) for i in boundary),
        annotators=annotators,
        top_annotator_share=top_share,
        n_minority_annotators=n_minority,
        kind=kind,
        preferred_label=preferred,
        other_label=other,
        draft_rule=draft,
    )
