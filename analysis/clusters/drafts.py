"""Describe one ambiguity cluster and draft the guideline rule a guideline author edits.

The draft rests on evidence, not on the cluster's majority alone:

* **both labels with their vote shares** over the cluster's items;
* **the reliable side**: the annotators whose one-coin Dawid-Skene accuracy is at or above
  the median (slip-prone annotators excluded) and how they voted between the two labels,
  with a two-sided binomial test against an even split. Only ``clear`` (at least
  :data:`CONSISTENT_SHARE` of their votes for one side and p < 0.05: they consistently
  choose it) can give the rule "label it A, not B"; otherwise the draft says **decision
  needed**: the reliable annotators split too, so only the guideline can settle it;
* **annotator camps** (:func:`analysis.diagnostics.camps.find_camps`): when two camps take
  opposite sides inside the cluster (each camp's majority on the pair, with at least
  :data:`CAMP_SHARE` of its votes), the draft says **decision needed**: camp A reads these
  items as A, camp B as B, with examples from each side;
* **unanimous items**: a "label it A" rule names terms; when items holding those terms were
  labelled B by every one of three or more annotators, the rule would contradict them, so
  the draft says **decision needed** and shows them (never a rule that unanimous labels
  contradict);
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
    CAMPS_TEMPLATE,
    CONTRADICTED_TEMPLATE,
    DECISION_TEMPLATE,
    DRAFT_RULE_TEMPLATE,
    NO_LABEL_FITS_TEMPLATE,
    AmbiguityCluster,
    CampSide,
    Clarity,
    ClusterKind,
    Example,
    LabelPair,
    LabelShare,
    ReliableChoice,
)
from analysis.clusters.themes import Reference
from analysis.data.reliability import MISSING, ReliabilityData

CLEAR_P_VALUE = 0.05
CONSISTENT_SHARE = 0.75
"""Share of the reliable annotators' votes one side needs for a "label it X" rule."""
LEAN_SHARE = 0.6
CAMP_SHARE = 0.6
"""Share of a camp's votes on the pair its side needs to count as the camp's reading."""
MIN_CAMP_VOTES = 5
MIN_UNANIMOUS = 3
"""Annotators who must all agree for an item's label to count as unanimous."""
N_CONTRADICTING = 3
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
    camps : tuple of tuple of int
        Annotator columns of each annotator camp (empty without camps).
    unanimous : UnanimousIndex, optional
        The unanimously labelled items by term, for the contradiction check.
    reference : Reference, optional
        What a cluster's coherence compares with (:class:`analysis.clusters.themes.Reference`).
    quiet : ndarray of bool, shape (n_chosen,)
        Quiet members (single dissent, joined by text).
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
    camps: tuple[tuple[int, ...], ...] = ()
    unanimous: UnanimousIndex | None = None
    reference: Reference | None = None
    quiet: npt.NDArray[np.bool_] | None = None

    @cached_property
    def columns(self) -> tuple[list[str], list[str], list[str]]:
        """``item_id``, ``text`` and ``votes`` of ``item_table`` as lists (fast row access)."""
        return tuple(self.item_table[name].astype(str).tolist() for name in ("item_id", "text", "votes"))  # type: ignore[return-value]


@dataclass(eq=False)
class UnanimousIndex:
    """Items labelled the same by every one of at least :data:`MIN_UNANIMOUS` annotators,
    found by the terms their texts hold.

    Attributes
    ----------
    item_ids, texts : list of str
    labels : ndarray of int
        The unanimous label's code per item.
    by_term : dict of str to ndarray of int
        Positions of the items whose text holds the term.
    votes : list of str
    """

    item_ids: list[str]
    texts: list[str]
    labels: npt.NDArray[np.int64]
    by_term: dict[str, npt.NDArray[np.int64]]
    votes: list[str]

    def matching(self, terms: Sequence[str]) -> npt.NDArray[np.int64]:
        """Positions of the items holding any of ``terms``."""
        found = [self.by_term[t] for t in terms if t in self.by_term]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    @classmethod
    def build(cls, item_ids: Sequence[str], texts: Sequence[str], tokens: Sequence[Sequence[str]],
              counts: npt.NDArray[np.integer], votes: Sequence[str]) -> UnanimousIndex:
        """The index over the items whose ``counts`` (items × labels, aligned with the
        other arguments) hold one label only, voted by at least :data:`MIN_UNANIMOUS`."""
        n_votes = counts.sum(axis=1)
        rows = np.nonzero((n_votes >= MIN_UNANIMOUS) & (counts.max(axis=1) == n_votes))[0]
        by_term: dict[str, list[int]] = {}
        for position, row in enumerate(rows.tolist()):
            for term in set(tokens[row]):
                by_term.setdefault(term, []).append(position)
        return cls([str(item_ids[r]) for r in rows], [str(texts[r]) for r in rows],
                   np.argmax(counts[rows], axis=1).astype(np.int64) if rows.size else np.zeros(0, np.int64),
                   {t: np.asarray(p, dtype=np.int64) for t, p in by_term.items()},
                   [str(votes[r]) for r in rows])


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
    >>> many = np.tile(codes, (5, 1))  # the same votes, five times as many items
    >>> reliable_choice(many, np.array([True, True, False]), ["x", "y", "z"], 0, 1, ["a", "b"]).clarity
    'clear'
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
        "clear" if p_value < CLEAR_P_VALUE and share >= CONSISTENT_SHARE
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

    rule_terms = _rule_terms(keywords, terms_vs_clear)
    terms = ", ".join(f"'{t}'" for t in rule_terms) or "this topic"
    reliable = None
    side_examples: dict[str, tuple[Example, ...]] = {}
    preferred = other = draft = ""
    decision_needed = False
    basis = "no_pair"
    camp_sides: tuple[CampSide, ...] = ()
    contradicting: tuple[Example, ...] = ()
    n_contradicting = n_supporting = 0
    if pairs:
        first, second = (labels.index(label) for label in pairs[0].labels)
        if totals[second] > totals[first]:
            first, second = second, first
        reliable = reliable_choice(codes, context.reliable, data.annotators, first, second, labels)
        decision_needed = reliable.clarity != "clear"
        preferred, other = str(labels[first]), str(labels[second])
        if not decision_needed and reliable.label != preferred:
            preferred, other = other, preferred
        camp_sides = _camp_sides(codes, context, first, second)
        opposed = _opposed(camp_sides)
        p_code, o_code = labels.index(preferred), labels.index(other)
        if context.unanimous is not None and rule_terms:
            matched = context.unanimous.matching(rule_terms)
            found = context.unanimous.labels[matched]
            n_supporting = int((found == p_code).sum())
            against = matched[found == o_code]
            n_contradicting = len(against)
            contradicting = tuple(
                Example(context.unanimous.item_ids[i], context.unanimous.texts[i], context.unanimous.votes[i])
                for i in against[:N_CONTRADICTING].tolist()
            )
        if opposed is not None:
            basis, decision_needed = "camps_split", True
            a, b = opposed
            draft = CAMPS_TEMPLATE.format(terms=terms, camp_a=_names(a.annotators), label_a=a.label,
                                          camp_b=_names(b.annotators), label_b=b.label)
            side_examples = _camp_examples(codes, context, members, opposed, labels)
        elif decision_needed:
            basis = "reliable_split"
            draft = DECISION_TEMPLATE.format(terms=terms, preferred=preferred, other=other)
        elif n_contradicting:
            basis, decision_needed = "contradicted", True
            draft = CONTRADICTED_TEMPLATE.format(
                terms=terms, preferred=preferred, other=other,
                contradicting="1 other item" if n_contradicting == 1 else f"{n_contradicting} other items",
                example=_short(contradicting[0].text),
            )
        else:
            basis = "consistent"
            draft = DRAFT_RULE_TEMPLATE.format(terms=terms, preferred=preferred, other=other)
        if not side_examples:
            side_examples = _side_examples(counts, own, [p_code, o_code], members, context, labels)
    if kind == "no_label_fits":
        basis = "no_label_fits"
        draft = NO_LABEL_FITS_TEMPLATE.format(terms=terms, labels=", ".join(s.label for s in shares[:4]))
    score = 0.0
    if context.reference is not None and len(members):
        score = context.reference.coherence_of(vectors)
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
        rule_terms=tuple(rule_terms),
        draft_basis=basis,  # type: ignore[arg-type]
        camp_sides=camp_sides,
        contradicting=contradicting,
        n_contradicting=n_contradicting,
        n_supporting=n_supporting,
        coherence=float(score),
        n_quiet=int(context.quiet[members].sum()) if context.quiet is not None else 0,
    )


def _rule_terms(keywords: Sequence[str], terms_vs_clear: Sequence[str], n: int = 3) -> list[str]:
    """The draft's terms: keywords that also set the cluster apart from the clear items of
    its labels first, then the other keywords (then the clear-item terms alone).

    Examples
    --------
    >>> _rule_terms(["trump", "people", "america", "party"], ["trump", "fuck", "america"])
    ['trump', 'america', 'people']
    """
    clear = set(terms_vs_clear)
    ordered = [t for t in keywords if t in clear] + [t for t in keywords if t not in clear]
    ordered += [t for t in terms_vs_clear if t not in ordered]
    return ordered[:n]


def _names(annotators: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(annotators[:limit])
    return shown + (f" and {len(annotators) - limit} more" if len(annotators) > limit else "")


def _short(text: str, limit: int = 80) -> str:
    """``text`` cut at a word boundary near ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut or text[:limit]) + "…"


def _camp_sides(codes: np.ndarray, context: ClusterContext, first: int, second: int) -> tuple[CampSide, ...]:
    """Each camp's majority between the pair's labels inside the cluster."""
    sides = []
    for columns in context.camps:
        voted = codes[:, list(columns)]
        n_first, n_second = int((voted == first).sum()), int((voted == second).sum())
        total = n_first + n_second
        if total == 0:
            continue
        top, count = (first, n_first) if n_first >= n_second else (second, n_second)
        names = tuple(str(context.data.annotators[j]) for j in columns)
        sides.append(CampSide(names, str(context.data.labels[top]), count / total, total))
    return tuple(sides)


def _opposed(sides: Sequence[CampSide]) -> tuple[CampSide, CampSide] | None:
    """Two camps that clearly read the cluster the opposite way, largest first, or None."""
    firm = [s for s in sides if s.share >= CAMP_SHARE and s.votes >= MIN_CAMP_VOTES]
    for i, a in enumerate(firm):
        for b in firm[i + 1:]:
            if a.label != b.label:
                return a, b
    return None


def _camp_examples(
    codes: np.ndarray, context: ClusterContext, members: np.ndarray, opposed: tuple[CampSide, CampSide],
    labels: Sequence[str],
) -> dict[str, tuple[Example, ...]]:
    """Per camp's side, the items where that camp voted its side and the other camp the other."""
    names = [str(a) for a in context.data.annotators]
    out: dict[str, tuple[Example, ...]] = {}
    columns = [[names.index(a) for a in side.annotators] for side in opposed]
    codes_of = [labels.index(side.label) for side in opposed]

    def share(cols: list[int], code: int) -> np.ndarray:
        voted = codes[:, cols]
        n = (voted != MISSING).sum(axis=1)
        return np.divide((voted == code).sum(axis=1), n, out=np.zeros(len(codes)), where=n > 0)

    for k, side in enumerate(opposed):
        # this camp for its side, the other camp not
        contrast = share(columns[k], codes_of[k]) * (1.0 - share(columns[1 - k], codes_of[k]))
        order = np.argsort(-contrast, kind="stable")
        picked = [int(i) for i in order[:N_SIDE_EXAMPLES] if contrast[i] > 0]
        out[side.label] = tuple(_example(context, int(members[i])) for i in picked)
    return out

