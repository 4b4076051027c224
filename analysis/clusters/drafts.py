"""Describe one ambiguity cluster and draft the guideline rule a guideline author edits.

The draft rests on evidence, not on the cluster's majority alone:

* **both labels with their vote shares** over the cluster's items;
* **the reliable side**: the annotators whose one-coin Dawid-Skene accuracy is at or above
  the median (slip-prone annotators excluded) and how they voted between the two labels,
  with a two-sided binomial test against an even split. ``clear`` (p < 0.05) gives the
  rule "label it A, not B"; otherwise the draft says **decision needed**: the reliable
  annotators split too, so only the guideline can settle it;
* **two contrasting examples per side**: the items voted most clearly for each label;
* **distinctive terms** against the other disagreed items and against the clear items of
  both labels (stop-like words left out);
* a cluster of items whose votes scatter over three or more labels is kind
  ``no_label_fits``: a candidate for a new label or an exclusion rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.clusters.result import (
    DECISION_TEMPLATE,
    DRAFT_RULE_TEMPLATE,
    NO_LABEL_FITS_TEMPLATE,
    AmbiguityCluster,
    Clarity,
    ClusterKind,
    Example,
    LabelPair,
    LabelShare,
    ReliableChoice,
)
from analysis.reliability import MISSING, ReliabilityData

CLEAR_P_VALUE = 0.05
LEAN_SHARE = 0.6
N_SIDE_EXAMPLES = 2
MAX_LABEL_SHARES = 5


@dataclass(eq=False)
class ClusterContext:
    """What every cluster description reads: votes, texts, vectors and reliability.

    Attributes
    ----------
    data : ReliabilityData
    rows : ndarray of int, shape (n_chosen,)
        Row in ``data`` of every clustered (disagreed) item.
    counts : ndarray of int, shape (n_chosen, n_labels)
        Votes per label with slip votes set aside.
    raw_counts : ndarray of int, shape (n_chosen, n_labels)
        Every vote.
    scattered : ndarray of bool, shape (n_chosen,)
    item_table : DataFrame
        ``ClusterResult.item_table``.
    vectors : ndarray, shape (n_chosen, dim)
    centroids : ndarray, shape (n_clusters, dim)
    reliable : ndarray of bool, shape (n_annotators,)
    noisy : ndarray of bool, shape (n_annotators,)
        Slip-prone annotators.
    """

    data: ReliabilityData
    rows: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]
    raw_counts: npt.NDArray[np.int64]
    scattered: npt.NDArray[np.bool_]
    item_table: pd.DataFrame
    vectors: npt.NDArray[np.floating]
    centroids: npt.NDArray[np.floating]
    reliable: npt.NDArray[np.bool_]
    noisy: npt.NDArray[np.bool_]

    @cached_property
    def columns(self) -> tuple[list[str], list[str], list[str]]:
        """``item_id``, ``text`` and ``votes`` of ``item_table`` as lists (fast row access)."""
        return tuple(self.item_table[name].astype(str).tolist() for name in ("item_id", "text", "votes"))  # type: ignore[return-value]


def reliable_annotators(accuracy: npt.NDArray[np.floating], noisy: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Annotators at or above the median accuracy of the others that are not slip-prone.

    Examples
    --------
    >>> reliable_annotators(np.array([0.9, 0.8, 0.95, 0.6]), np.array([False, False, False, True])).tolist()
    [True, False, True, False]
    """
    usable = np.isfinite(accuracy) & ~noisy
    if not usable.any():
        return usable
    return usable & (accuracy >= np.median(accuracy[usable]))


def reliable_choice(
    codes: npt.NDArray[np.integer], reliable: npt.NDArray[np.bool_], annotators: Sequence[str],
    first: int, second: int, labels: Sequence[str],
) -> ReliableChoice:
    """How the reliable annotators voted between labels ``first`` and ``second``.

    Examples
    --------
    >>> codes = np.array([[0, 0, 1], [0, 1, 1], [0, 0, 0]])
    >>> choice = reliable_choice(codes, np.array([True, True, False]), ["x", "y", "z"], 0, 1, ["a", "b"])
    >>> choice.label, round(choice.share, 2), choice.votes, choice.clarity
    ('a', 0.83, 6, 'lean')
    """
    from scipy.stats import binomtest

    voted = codes[:, reliable]
    n_first = int((voted == first).sum())
    n_second = int((voted == second).sum())
    total = n_first + n_second
    names = tuple(
        str(annotators[j]) for j in np.nonzero(reliable)[0]
        if ((codes[:, j] == first) | (codes[:, j] == second)).any()
    )
    if total == 0:
        return ReliableChoice(names, "", 0.0, 0, None, "none")
    top, count = (first, n_first) if n_first >= n_second else (second, n_second)
    share = count / total
    p_value = float(binomtest(count, total, 0.5).pvalue)
    clarity: Clarity = (
        "clear" if p_value < CLEAR_P_VALUE and share > 0.5
        else "lean" if share >= LEAN_SHARE else "split"
    )
    return ReliableChoice(names, str(labels[top]), share, total, p_value, clarity)


def _example(context: ClusterContext, row: int) -> Example:
    ids, texts, votes = context.columns
    return Example(ids[row], texts[row], votes[row])


def _pairs(counts: np.ndarray, labels: Sequence[str]) -> tuple[LabelPair, ...]:
    """Each item's top two labels (label order breaks ties), counted over the items."""
    n_labels = len(labels)
    top2 = np.argsort(-counts, axis=1, kind="stable")[:, :2]
    two = top2[counts[np.arange(len(counts)), top2[:, 1]] > 0]
    codes, n_seen = np.unique(np.sort(two, axis=1) @ np.array([n_labels, 1]), return_counts=True)
    found = {
        tuple(sorted((labels[code // n_labels], labels[code % n_labels]))): n
        for code, n in zip(codes.tolist(), n_seen.tolist(), strict=True)
    }
    return tuple(
        LabelPair(labels=pair, share=n / len(counts))  # type: ignore[arg-type]
        for pair, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _side_examples(
    counts: np.ndarray, closeness: np.ndarray, sides: Sequence[int], item_rows: np.ndarray,
    context: ClusterContext, labels: Sequence[str],
) -> dict[str, tuple[Example, ...]]:
    """Per side, the items with the highest vote share for it (closest to the centre first)."""
    totals = np.maximum(counts.sum(axis=1), 1)
    used: set[int] = set()
    out: dict[str, tuple[Example, ...]] = {}
    for side in sides:
        share = counts[:, side] / totals
        order = np.lexsort((-closeness, -share))
        picked = [i for i in order.tolist() if share[i] > 0.5 and i not in used][:N_SIDE_EXAMPLES]
        if len(picked) < N_SIDE_EXAMPLES:  # no item leans this way twice: take the strongest ones
            picked += [i for i in order.tolist() if share[i] > 0 and i not in used and i not in picked][
                : N_SIDE_EXAMPLES - len(picked)
            ]
        used.update(picked)
        out[str(labels[side])] = tuple(_example(context, int(item_rows[i])) for i in picked)
    return out


def describe_cluster(
    c: int,
    *,
    members: npt.NDArray[np.int64],
    context: ClusterContext,
    keywords: Sequence[str],
    terms_vs_disagreed: Sequence[str],
    terms_vs_clear: Sequence[str],
    n_examples: int,
    min_minority_annotators: int,
    max_top_share: float,
) -> AmbiguityCluster:
    """Everything a cluster card shows, and the drafted rule (module docstring).

    ``members`` are the cluster's rows in ``context.item_table``.
    """
    data = context.data
    labels = data.labels
    counts = context.counts[members]
    pairs = _pairs(counts, labels)
    totals = counts.sum(axis=0)
    order = np.argsort(-totals, kind="stable")
    all_votes = max(int(totals.sum()), 1)
    shares = tuple(
        LabelShare(str(labels[j]), int(totals[j]), float(totals[j]) / all_votes)
        for j in order[:MAX_LABEL_SHARES] if totals[j] > 0
    )

    codes = data.codes[context.rows[members]]
    raw = context.raw_counts[members]
    plurality = np.argmax(raw, axis=1)
    dissent = (codes != MISSING) & (codes != plurality[:, None])
    per_annotator = dissent.sum(axis=0)
    ranked = np.argsort(-per_annotator, kind="stable")
    annotators = {str(data.annotators[j]): int(per_annotator[j]) for j in ranked if per_annotator[j] > 0}
    total_dissent = int(per_annotator.sum())
    top_share = float(per_annotator.max() / total_dissent) if total_dissent else 0.0
    n_minority = int((per_annotator > 0).sum())
    shared = n_minority >= min_minority_annotators and top_share < max_top_share
    if pairs and shared:  # without the slip-prone annotators' votes the pair must still show
        first, second = (labels.index(label) for label in pairs[0].labels)
        others = np.where(context.noisy[None, :], MISSING, codes)
        both = ((others == first).any(axis=1) & (others == second).any(axis=1)).sum()
        shared = bool(both >= min(3, len(members)))
    scattered = bool(context.scattered[members].mean() > 0.5)
    kind: ClusterKind = "annotator_noise" if not shared else "no_label_fits" if scattered else "systematic"

    vectors, centroids = context.vectors[members], context.centroids
    similarity = vectors @ centroids.T
    own = similarity[:, c]
    nearest = np.argsort(-own, kind="stable")[:n_examples]
    boundary_score = own - np.delete(similarity, c, axis=1).max(axis=1) if len(centroids) > 1 else own
    central = set(nearest.tolist())
    boundary = [i for i in np.argsort(boundary_score, kind="stable").tolist() if i not in central][:n_examples]

    terms = ", ".join(f"'{t}'" for t in (list(terms_vs_clear) or list(keywords))[:3]) or "this topic"
    reliable = None
    side_examples: dict[str, tuple[Example, ...]] = {}
    preferred = other = draft = ""
    decision_needed = False
    if pairs:
        first, second = (labels.index(label) for label in pairs[0].labels)
        if totals[second] > totals[first]:
            first, second = second, first
        reliable = reliable_choice(codes, context.reliable, data.annotators, first, second, labels)
        decision_needed = reliable.clarity != "clear"
        preferred, other = str(labels[first]), str(labels[second])
        if not decision_needed and reliable.label != preferred:
            preferred, other = other, preferred
        side_examples = _side_examples(
            counts, own, [labels.index(preferred), labels.index(other)], members, context, labels
        )
        template = DECISION_TEMPLATE if decision_needed else DRAFT_RULE_TEMPLATE
        draft = template.format(terms=terms, preferred=preferred, other=other)
    if kind == "no_label_fits":
        draft = NO_LABEL_FITS_TEMPLATE.format(terms=terms, labels=", ".join(s.label for s in shares[:4]))
    return AmbiguityCluster(
        id=c,
        item_ids=tuple(context.columns[0][int(i)] for i in members),
        label_pairs=pairs,
        keywords=tuple(keywords),
        examples=tuple(_example(context, int(members[i])) for i in nearest),
        boundary_examples=tuple(_example(context, int(members[i])) for i in boundary),
        annotators=annotators,
        top_annotator_share=top_share,
        n_minority_annotators=n_minority,
        kind=kind,
        preferred_label=preferred,
        other_label=other,
        draft_rule=draft,
        label_shares=shares,
        reliable=reliable,
        decision_needed=decision_needed,
        side_examples=side_examples,
        terms_vs_disagreed=tuple(terms_vs_disagreed),
        terms_vs_clear=tuple(terms_vs_clear),
    )
