"""Ambiguity clusters: select disagreed items, embed, group, describe, draft a rule.

A cluster is ``systematic`` when the disagreement is shared: at least
``min_minority_annotators`` (default 2) distinct annotators dissent in it and no single
annotator casts ``max_top_share`` (default 50%) or more of its dissenting votes.
Otherwise it is ``annotator_noise``: one person's habit, a matter for training rather
than for the guideline. A shared cluster of items whose votes scatter over three or more
labels is ``no_label_fits``. See :mod:`analysis.clusters.drafts` for the rule drafts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np
import pandas as pd

from analysis.base.params import Hidden, Interval, Options, validate_params
from analysis.clusters.accuracy import accuracy_weighted_counts, one_coin_accuracy
from analysis.clusters.drafts import (
    MIN_UNANIMOUS,
    ClusterContext,
    UnanimousIndex,
    describe_cluster,
    reliable_annotators,
)
from analysis.clusters.geometry import group_sums
from analysis.clusters.grouping import Projection, group_items, map_coordinates
from analysis.clusters.quiet import quiet_members
from analysis.clusters.result import BroadDisagreement, ClusterResult
from analysis.clusters.selection import (
    DEFAULT_MIN_DISAGREEMENT,
    DEFAULT_MIN_ENTROPY,
    MIN_DISAGREEMENT,
    MIN_ENTROPY,
    find_disagreements,
    format_votes,
)
from analysis.clusters.terms import class_tfidf_terms, stop_like_terms, tokenize_all
from analysis.clusters.themes import Reference
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.diagnostics.camps import find_camps
from analysis.embeddings import (
    Embedder,
    ItemEmbeddings,
    ItemTexts,
    PrecomputedEmbeddings,
    ProgressCallback,
    TransformerEmbedder,
    embed_item_texts,
    read_item_texts,
)

REFERENCE_SAMPLE = 500
"""Items beside the disagreed ones embedded to estimate the reference of coherence."""


_INT_FROM_1 = Interval(Integral, 1, None, closed="left")


@validate_params({
    "min_disagreement": MIN_DISAGREEMENT,
    "min_entropy": MIN_ENTROPY,
    "distance_threshold": [Interval(Real, 0, 2, closed="right",
                                    wording="a cosine distance above 0 and at most 2"), Hidden(None)],
    "min_cluster_size": [Interval(Integral, 2, None, closed="left")],
    "min_minority_annotators": [_INT_FROM_1],
    "max_top_share": [Interval(Real, 0, 1, closed="right", wording="above 0 and at most 1")],
    "n_examples": [_INT_FROM_1],
    "n_keywords": [_INT_FROM_1],
    "projection": [Options("pca", "tsne")],
    "seed": [Interval(Integral, 0, None, closed="left")],
})
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
    UsageError
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
    dataset = as_dataset(dataset, function="find_ambiguity_clusters")
    table, data = dataset.table, dataset.reliability
    found = find_disagreements(data, min_disagreement=min_disagreement, min_entropy=min_entropy)
    texts = read_item_texts(table)
    votes = found.items
    has_text = votes["item_id"].isin(texts.index).to_numpy()
    chosen_rows = np.nonzero(votes["disagreed"].to_numpy() & has_text)[0]
    accuracy = one_coin_accuracy(data)
    backend = "precomputed" if embeddings is not None else _backend_name(embedder)
    embed_options = {"embedder": embedder, "embeddings": embeddings, "fit_texts": texts.to_embed(),
                     "cache_dir": cache_dir, "use_cache": use_cache, "progress": progress}

    all_ids = votes["item_id"].to_numpy().astype(str)

    def embed(rows: np.ndarray):
        return embed_item_texts(texts.subset(all_ids[rows].tolist()), **embed_options)

    embedded = embed(chosen_rows)
    vectors = embedded.vectors
    counts = found.counts[chosen_rows]
    scattered = found.items["scattered"].to_numpy(dtype=bool)[chosen_rows]
    weights = accuracy_weighted_counts(data, chosen_rows, counts, accuracy)
    reference = _reference(vectors, np.nonzero(has_text & ~np.isin(np.arange(len(votes)), chosen_rows))[0],
                           embed, all_ids, seed=seed, precomputed=embeddings)
    grouping = group_items(
        vectors,
        vote_counts=counts,
        scattered=scattered,
        distance_threshold=distance_threshold,
        min_cluster_size=min_cluster_size,
        vote_weights=weights,
        seed=seed,
        reference=reference,
    )
    labels, broad = grouping.labels, grouping.broad
    embeddable = has_text
    if embeddings is not None:  # precomputed vectors: quiet members only among the items they cover
        known = embeddings.index if isinstance(embeddings, pd.DataFrame) else list(embeddings)
        embeddable = has_text & votes["item_id"].astype(str).isin(pd.Index(known).astype(str)).to_numpy()
    quiet = quiet_members(found, chosen_rows, counts, labels, has_text=embeddable)
    if quiet.candidates.size:  # single-dissent items on a cluster's pair: close ones join it
        extra = embed(quiet.candidates)
        joined = quiet.assign(vectors, extra.vectors, labels)
        keep = joined >= 0
        rows = np.r_[chosen_rows, quiet.candidates[keep]]
        vectors = np.vstack([vectors, extra.vectors[keep]])
        counts = np.vstack([counts, found.raw_counts[quiet.candidates[keep]]])
        scattered = np.r_[scattered, np.zeros(int(keep.sum()), dtype=bool)]
        labels = np.r_[labels, joined[keep]]
        broad = np.r_[broad, np.zeros(int(keep.sum()), dtype=bool)]
        is_quiet = np.r_[np.zeros(len(chosen_rows), dtype=bool), np.ones(int(keep.sum()), dtype=bool)]
    else:
        rows, is_quiet = chosen_rows, np.zeros(len(chosen_rows), dtype=bool)
    xy = map_coordinates(vectors, projection=projection, seed=seed)

    chosen = found.describe(rows).reset_index()
    shown = texts.subset(chosen["item_id"].astype(str).tolist())
    item_table = pd.DataFrame(
        {
            "item_id": chosen["item_id"].astype(str).to_numpy(),
            "cluster": labels,
            "x": xy[:, 0] if len(xy) else np.zeros(0),
            "y": xy[:, 1] if len(xy) else np.zeros(0),
            "text": shown.display(),
            "votes": chosen["votes"].to_numpy(),
            "entropy": chosen["entropy"].to_numpy(dtype=float),
            "plurality": chosen["plurality"].to_numpy(),
            "single_dissent": chosen["single_dissent"].to_numpy(dtype=bool),
            "disagreement": chosen["disagreement"].to_numpy(dtype=float),
            "scattered": scattered,
            "broad": broad,
            "quiet": is_quiet,
        }
    )
    shown_all = texts.display()
    display = dict(zip(texts.index, shown_all, strict=True))
    slip_rows = found.describe(np.nonzero(votes["slip"].to_numpy() & ~np.isin(np.arange(len(votes)), rows))[0])
    slips = pd.DataFrame(
        {
            "item_id": slip_rows["item_id"].to_numpy(),
            "annotator": [d[0] for d in slip_rows["dissenters"]],
            "votes": slip_rows["votes"].to_numpy(),
            "text": [display.get(i, "") for i in slip_rows["item_id"]],
        }
    )

    n_clusters = int(labels.max(initial=-1)) + 1
    words = tokenize_all(texts.words()) if n_clusters else []
    terms = (_terms(texts, words, votes, item_table, labels, counts, n_keywords)
             if n_clusters else None)
    noisy = pd.Index(data.annotators.astype(str)).isin(found.noisy_annotators)
    unanimous = None
    if n_clusters:  # the unanimous items, by term, for the contradiction check of the drafts
        text_rows = pd.Index(texts.index).get_indexer(votes["item_id"].astype(str))
        n_votes = found.raw_counts.sum(axis=1)
        rows_u = np.nonzero((text_rows >= 0) & (n_votes >= MIN_UNANIMOUS)
                            & (found.raw_counts.max(axis=1) == n_votes))[0]
        unanimous = UnanimousIndex.build(
            texts.index[text_rows[rows_u]].tolist(), [shown_all[i] for i in text_rows[rows_u]],
            [words[i] for i in text_rows[rows_u]], found.raw_counts[rows_u],
            [format_votes(found.raw_counts[r], data.labels) for r in rows_u],
        )
    context = ClusterContext(
        data=data,
        rows=rows,
        counts=counts,
        raw_counts=found.raw_counts[rows],
        scattered=scattered,
        item_table=item_table,
        vectors=vectors,
        centroids=_centroids(vectors, labels),
        reliable=reliable_annotators(accuracy, noisy),
        noisy=noisy,
        camps=_camp_columns(data) if n_clusters else (),
        unanimous=unanimous,
        reference=reference,
        quiet=is_quiet,
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
    broad_groups = _broad_disagreement(item_table, counts, data.labels, min_cluster_size)
    note, note_code = _no_theme_note(item_table, vectors, clusters, broad_groups)
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
            "distance_threshold": None if grouping.threshold is None else round(grouping.threshold, 4),
            "distance_threshold_chosen": "given"
            if distance_threshold is not None
            else "confused label pair, split into topical themes (coherence, kNN-graph Louvain)",
            "min_cluster_size": min_cluster_size,
            "projection": projection,
            "seed": seed,
        },
        annotator_accuracy={
            str(a): float(v) for a, v in zip(data.annotators, accuracy, strict=True) if np.isfinite(v)
        },
        broad_disagreement=broad_groups,
        note=note,
        note_code=note_code,
        notes=texts.notes,
        text_reading=texts.reading,
    )


def _reference(
    vectors: np.ndarray, others: np.ndarray, embed: Callable[[np.ndarray], ItemEmbeddings], ids: np.ndarray,
    *, seed: int, precomputed: PrecomputedEmbeddings | None,
) -> Reference:
    """What a theme's coherence compares with: every item with a text, its mean vector
    estimated from the disagreed items and a sample of at most :data:`REFERENCE_SAMPLE`
    of the others (:mod:`analysis.clusters.themes`)."""
    unit = np.asarray(vectors, dtype=np.float64)
    if precomputed is not None:  # only the items the given vectors cover
        known = pd.Index(precomputed.index if isinstance(precomputed, pd.DataFrame) else list(precomputed)).astype(str)
        others = others[np.isin(ids[others], known)] if len(others) else others
    if len(others) == 0:
        return Reference.of(unit)
    sample = np.sort(np.random.default_rng(seed).permutation(others)[:REFERENCE_SAMPLE])
    extra = np.asarray(embed(sample).vectors, dtype=np.float64)
    total = unit.sum(axis=0) + extra.sum(axis=0) * (len(others) / len(sample))
    return Reference(total / (len(unit) + len(others)), len(unit) + len(others))


def _broad_disagreement(
    item_table: pd.DataFrame, counts: np.ndarray, label_names: tuple[str, ...], min_size: int,
) -> tuple[BroadDisagreement, ...]:
    """Broad-disagreement items (on a pair, in no theme) grouped by their confused pair; a
    pair with fewer than ``min_size`` such items is no group (its items stay "no cluster",
    and ``item_table["broad"]`` is cleared for them)."""
    rows = np.nonzero(item_table["broad"].to_numpy(dtype=bool))[0]
    if rows.size == 0:
        return ()
    top_two = np.argsort(-counts[rows], axis=1, kind="stable")[:, :2]
    pairs = np.sort(top_two, axis=1)
    groups: dict[tuple[int, int], list[int]] = {}
    for row, (a, b) in zip(rows.tolist(), pairs.tolist(), strict=True):
        groups.setdefault((a, b), []).append(row)
    ids = item_table["item_id"].astype(str).tolist()
    small = [r for members in groups.values() if len(members) < min_size for r in members]
    item_table.loc[small, "broad"] = False
    out = [
        BroadDisagreement(labels=(str(label_names[a]), str(label_names[b])),
                          item_ids=tuple(ids[r] for r in members))
        for (a, b), members in groups.items() if len(members) >= min_size
    ]
    return tuple(sorted(out, key=lambda g: (-len(g.item_ids), g.labels)))


def _no_theme_note(
    item_table: pd.DataFrame, vectors: np.ndarray, clusters: tuple, broad: tuple[BroadDisagreement, ...]
) -> tuple[str, str]:
    """Why there is no cluster: (one English sentence, its code); ("", "") with clusters."""
    if clusters:
        return "", ""
    n = len(item_table)
    if n == 0:
        return "no coherent groups: no item has both a text and a disagreement to cluster", "no_items"
    if n < 3:
        return f"no coherent groups: only {n} disagreed item(s) with a text, too few to group", "too_few"
    if len(vectors) and float(np.linalg.norm(np.asarray(vectors, dtype=np.float64).mean(axis=0))) > 0.999:
        return (f"no coherent groups: the {n} disagreed items have the same text (or no words), "
                "so the texts cannot tell them apart", "same_text")
    if broad:
        return (f"no coherent groups: the {n} disagreed items share no theme; the disagreement is broad "
                f"(between {broad[0].labels[0]} and {broad[0].labels[1]}), so no rule is drafted: "
                "review how the guideline defines the labels", "broad")
    return f"no coherent groups: the {n} disagreed items form no group of similar texts", "no_groups"


def _camp_columns(data) -> tuple[tuple[int, ...], ...]:
    """Annotator columns of each annotator camp (:func:`analysis.diagnostics.camps.find_camps`)."""

    position = {str(a): j for j, a in enumerate(data.annotators)}
    found = find_camps(data, level="nominal", bootstrap=200)
    return tuple(tuple(position[a] for a in camp.annotators) for camp in found.camps)


def _terms(
    texts: ItemTexts, words: list[list[str]], votes: pd.DataFrame, item_table: pd.DataFrame,
    labels: np.ndarray, counts: np.ndarray, k: int,
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """Keywords against every other text, against the other disagreed items, and against
    the clear items of the cluster's two most voted labels; stop-like words left out
    (``words``: the tokens of every text, :func:`tokenize_all` of ``texts.words()``)."""
    by_item = votes.set_index("item_id")
    plurality = by_item["plurality_code"].reindex(texts.index)
    position = {item: k for k, item in enumerate(texts.index)}
    classes = np.full(len(texts.index), -1)
    for item, cluster in zip(item_table["item_id"], labels, strict=True):
        classes[position[item]] = cluster
    all_texts = texts.words()
    stop_like = stop_like_terms(all_texts, plurality.fillna(-1).tolist(), tokens=words)
    tokens = [[t for t in doc if t not in stop_like] for doc in words] if stop_like else words
    keywords = class_tfidf_terms(all_texts, classes, k=k, tokens=tokens)
    at = texts.index.get_indexer(item_table["item_id"])
    vs_disagreed = class_tfidf_terms(
        [all_texts[i] for i in at], labels, k=k, tokens=[tokens[i] for i in at]
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
