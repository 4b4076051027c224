"""Ambiguity clusters: select disagreed items, embed, group, describe, draft a rule.

A cluster is ``systematic`` when the disagreement is shared: at least
``min_minority_annotators`` (default 2) distinct annotators dissent in it and no single
annotator casts ``max_top_share`` (default 50%) or more of its dissenting votes.
Otherwise it is ``annotator_noise``: one person's habit, a matter for training rather
than for the guideline. A shared cluster of items whose votes scatter over three or more
labels is ``no_label_fits``. See :mod:`analysis.clusters.drafts` for the rule drafts.
"""

from __future__ import annotations

import numbers
import os

import numpy as np
import pandas as pd

from analysis.clusters.accuracy import accuracy_weighted_counts, one_coin_accuracy
from analysis.clusters.drafts import ClusterContext, describe_cluster, reliable_annotators
from analysis.clusters.geometry import group_sums
from analysis.clusters.grouping import Projection, cluster_vectors, map_coordinates
from analysis.clusters.result import ClusterResult
from analysis.clusters.selection import (
    DEFAULT_MIN_DISAGREEMENT,
    DEFAULT_MIN_ENTROPY,
    check_unit_interval,
    find_disagreements,
)
from analysis.clusters.terms import class_tfidf_terms, stop_like_terms, tokenize_all
from analysis.dataset import AnnotationDataset, as_dataset
from analysis.embeddings import (
    Embedder,
    PrecomputedEmbeddings,
    ProgressCallback,
    TransformerEmbedder,
    embed_items,
    item_texts,
)


def _check_options(
    *, distance_threshold: float | None, min_cluster_size: int, min_minority_annotators: int,
    max_top_share: float, n_examples: int, n_keywords: int, projection: str, seed: int,
) -> None:
    """Raise ``ValueError`` (scikit-learn wording) for an option outside its range."""
    def integer(name: str, value: object, low: int) -> None:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise ValueError(f"The {name!r} parameter must be an int >= {low}. Got {value!r} instead.")

    integer("min_cluster_size", min_cluster_size, 2)
    integer("min_minority_annotators", min_minority_annotators, 1)
    integer("n_examples", n_examples, 1)
    integer("n_keywords", n_keywords, 1)
    integer("seed", seed, 0)
    if distance_threshold is not None and not (
        isinstance(distance_threshold, numbers.Real) and 0 < distance_threshold <= 2
    ):
        raise ValueError(
            f"The 'distance_threshold' parameter must be a cosine distance above 0 and at most 2. "
            f"Got {distance_threshold!r} instead."
        )
    if not (isinstance(max_top_share, numbers.Real) and 0 < max_top_share <= 1):
        raise ValueError(f"The 'max_top_share' parameter must be above 0 and at most 1. Got {max_top_share!r} instead.")
    if projection not in ("pca", "tsne"):
        raise ValueError(f"The 'projection' parameter must be one of {{'pca', 'tsne'}}. Got {projection!r} instead.")


def find_ambiguity_clusters(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    min_disagreement: float = DEFAULT_MIN_DISAGREEMENT,
    min_entropy: float | None = DEFAULT_MIN_ENTROPY,
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
    min_disagreement : float, default 0.2
        Share of an item's votes outside its plurality label (slip votes of slip-prone
        annotators set aside) it needs to count as disagreed; from 0 to below 1.
    min_entropy : float, optional
        Also require this normalised vote entropy (0-1; default: not applied).
    distance_threshold : float, optional
        Cosine distance (0-2] at which average-linkage dendrograms are cut. Default: one
        cluster per confused label pair, split by text only into clearly distinct themes
        (:mod:`analysis.clusters.grouping`).
    min_cluster_size : int, default 3
    min_minority_annotators, max_top_share
        The systematic-vs-noise rule (module docstring).
    projection : {"pca", "tsne"}, default "pca"
    seed : int, default 0

    Returns
    -------
    ClusterResult

    Raises
    ------
    ValueError
        For an option outside its range.
    AnnotationDataError
        When the table has no texts (and no embeddings are given).

    Examples
    --------
    >>> votes = [("refund late order", "ABA"), ("late refund again", "AAB"),
    ...          ("order refund late", "BAA"), ("reset password", "CDC"),
    ...          ("password reset now", "DCC"), ("reset my password", "CCD")]
    >>> rows = [(f"i{i}", a, lab, text) for i, (text, labs) in enumerate(votes)
    ...         for a, lab in zip("xyz", labs)]
    >>> table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    >>> vectors = {f"i{i}": [1.0, 0.1 * i] if i < 3 else [0.1 * i, 1.0] for i in range(6)}
    >>> result = find_ambiguity_clusters(table, embeddings=vectors)
    >>> [(c.size, c.label_pairs[0].labels) for c in result.clusters]
    [(3, ('A', 'B')), (3, ('C', 'D'))]
    """
    check_unit_interval("min_disagreement", min_disagreement, upper_open=True)
    check_unit_interval("min_entropy", min_entropy)
    _check_options(
        distance_threshold=distance_threshold, min_cluster_size=min_cluster_size,
        min_minority_annotators=min_minority_annotators, max_top_share=max_top_share,
        n_examples=n_examples, n_keywords=n_keywords, projection=projection, seed=seed,
    )
    dataset = as_dataset(dataset, function="find_ambiguity_clusters")
    table, data = dataset.table, dataset.reliability
    found = find_disagreements(data, min_disagreement=min_disagreement, min_entropy=min_entropy)
    texts = item_texts(table)
    votes = found.items
    chosen = found.describe(np.nonzero(votes["disagreed"] & votes["item_id"].isin(texts.index))[0])
    chosen = chosen.reset_index()
    chosen_texts = texts.loc[chosen["item_id"]].tolist()
    rows = chosen["index"].to_numpy()

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
    counts = found.counts[rows]
    scattered = chosen["scattered"].to_numpy(dtype=bool)
    accuracy = one_coin_accuracy(data)
    weights = accuracy_weighted_counts(data, rows, counts, accuracy)
    labels, threshold = cluster_vectors(
        vectors,
        vote_counts=counts,
        scattered=scattered,
        distance_threshold=distance_threshold,
        min_cluster_size=min_cluster_size,
        vote_weights=weights,
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
            "disagreement": chosen["disagreement"].to_numpy(dtype=float),
            "scattered": scattered,
        }
    )
    slip_rows = found.describe(np.nonzero(votes["slip"])[0])
    slips = pd.DataFrame(
        {
            "item_id": slip_rows["item_id"].to_numpy(),
            "annotator": [d[0] for d in slip_rows["dissenters"]],
            "votes": slip_rows["votes"].to_numpy(),
            "text": [texts.get(i, "") for i in slip_rows["item_id"]],
        }
    )

    n_clusters = int(labels.max(initial=-1)) + 1
    terms = _terms(texts, votes, item_table, labels, counts, data.labels, n_keywords) if n_clusters else None
    noisy = pd.Index(data.annotators.astype(str)).isin(found.noisy_annotators)
    context = ClusterContext(
        data=data,
        rows=rows,
        counts=counts,
        raw_counts=data.counts()[rows],
        scattered=scattered,
        item_table=item_table,
        vectors=vectors,
        centroids=_centroids(vectors, labels),
        reliable=reliable_annotators(accuracy, noisy),
        noisy=noisy,
    )
    clusters = tuple(
        describe_cluster(
            c,
            members=np.nonzero(labels == c)[0],
            context=context,
            keywords=terms[0].get(c, []) if terms else [],
            terms_vs_disagreed=terms[1].get(c, []) if terms else [],
            terms_vs_clear=terms[2].get(c, []) if terms else [],
            n_examples=n_examples,
            min_minority_annotators=min_minority_annotators,
            max_top_share=max_top_share,
        )
        for c in range(n_clusters)
    )
    return ClusterResult(
        clusters=clusters,
        item_table=item_table,
        slips=slips,
        model=embedded.model,
        backend=backend,
        warnings=embedded.warnings,
        settings={
            "min_disagreement": min_disagreement,
            "min_entropy": min_entropy,
            "distance_threshold": None if threshold is None else round(threshold, 4),
            "distance_threshold_chosen": "given"
            if distance_threshold is not None
            else "confused label pair, split by text (ward+silhouette)",
            "min_cluster_size": min_cluster_size,
            "projection": projection,
            "seed": seed,
        },
        annotator_accuracy={
            str(a): float(v) for a, v in zip(data.annotators, accuracy, strict=True) if np.isfinite(v)
        },
    )


def _terms(
    texts: pd.Series, votes: pd.DataFrame, item_table: pd.DataFrame, labels: np.ndarray,
    counts: np.ndarray, label_names: tuple[str, ...], k: int,
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """Keywords against every other text, against the other disagreed items, and against
    the clear items of the cluster's two most voted labels; stop-like words left out."""
    by_item = votes.set_index("item_id")
    plurality = by_item["plurality_code"].reindex(texts.index)
    stop_like = stop_like_terms(texts.tolist(), plurality.fillna(-1).tolist())
    position = {item: k for k, item in enumerate(texts.index)}
    classes = np.full(len(texts), -1)
    for item, cluster in zip(item_table["item_id"], labels, strict=True):
        classes[position[item]] = cluster
    all_texts = texts.tolist()
    tokens = tokenize_all(all_texts, exclude=stop_like)
    keywords = class_tfidf_terms(all_texts, classes, k=k, tokens=tokens)
    at = texts.index.get_indexer(item_table["item_id"])
    vs_disagreed = class_tfidf_terms(
        item_table["text"].tolist(), labels, k=k, tokens=[tokens[i] for i in at]
    )
    clear = ~by_item["disagreed"].reindex(texts.index).fillna(False).to_numpy(dtype=bool)
    clear &= ~texts.index.isin(item_table["item_id"])
    clear_rows = {int(label): np.nonzero(clear & (plurality.to_numpy() == label))[0]
                  for label in np.unique(plurality[clear].dropna())}
    vs_clear: dict[int, list[str]] = {}
    for c in range(int(labels.max(initial=-1)) + 1):
        members = at[labels == c]
        totals = counts[labels == c].sum(axis=0)
        pair = [j for j in np.argsort(-totals, kind="stable")[:2] if totals[j] > 0]
        background = np.concatenate([clear_rows.get(int(j), np.zeros(0, dtype=int)) for j in pair] or [[]])
        rows = np.r_[members, background].astype(int)
        groups = np.r_[np.zeros(len(members), dtype=int), np.full(len(background), -1)]
        vs_clear[c] = class_tfidf_terms(
            [all_texts[i] for i in rows], groups, k=k, tokens=[tokens[i] for i in rows]
        ).get(0, [])
    return keywords, vs_disagreed, vs_clear


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
