"""The results of the ambiguity clustering, ready to render: nothing left to compute."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

ClusterKind = Literal["systematic", "annotator_noise", "no_label_fits"]
Clarity = Literal["clear", "lean", "split", "none"]
DraftBasis = Literal["consistent", "reliable_split", "camps_split", "contradicted", "no_label_fits", "no_pair"]

DRAFT_RULE_TEMPLATE = "When an item is about {terms}, label it {preferred}, not {other}."
"""English template of a drafted rule; the fields are kept on each cluster for translation."""

DECISION_TEMPLATE = (
    "Decision needed: items about {terms} split between {preferred} and {other}, and the "
    "most reliable annotators split too. State when each label applies."
)
"""English draft when the reliable annotators do not clearly choose a side."""

CAMPS_TEMPLATE = (
    "Decision needed: annotator camps read items about {terms} differently: {camp_a} label "
    "them {label_a}, {camp_b} label them {label_b}. Decide which reading the guideline wants."
)
"""English draft when two annotator camps take opposite sides inside the cluster."""

CONTRADICTED_TEMPLATE = (
    "Decision needed: the most reliable annotators label items about {terms} {preferred}, but "
    "every annotator labelled {other} {contradicting} with these words (e.g. \"{example}\"). "
    "State what makes such an item {preferred}."
)
"""English draft when a "label it X" rule would contradict unanimously labelled items."""

NO_LABEL_FITS_TEMPLATE = (
    "No label fits: items about {terms} scatter over {labels}. Consider a new label or an "
    "exclusion rule."
)
"""English draft of a cluster whose votes scatter over three or more labels."""


@dataclass(frozen=True)
class LabelShare:
    """One label's votes in a cluster."""

    label: str
    votes: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"label": self.label, "votes": self.votes, "share": round(self.share, 4)}


@dataclass(frozen=True)
class ReliableChoice:
    """Which side of the pair the most reliable annotators chose, and how clearly.

    Attributes
    ----------
    annotators : tuple of str
        The annotators counted as reliable (one-coin Dawid-Skene accuracy at or above the
        median, slip-prone annotators excluded) who voted in the cluster.
    label : str
        The side they chose more often ("" when they cast no vote on either side).
    share : float
        Share of their votes on the pair that went to ``label``.
    votes : int
        Their votes on either label of the pair.
    p_value : float or None
        Two-sided binomial test of ``share`` against an even split.
    clarity : {"clear", "lean", "split", "none"}
        ``clear``: share ≥ 0.75 and p < 0.05 (the reliable annotators consistently choose
        ``label``); ``lean``: share ≥ 0.6 otherwise; ``split``: otherwise; ``none``: no
        reliable votes.
    """

    annotators: tuple[str, ...]
    label: str
    share: float
    votes: int
    p_value: float | None
    clarity: Clarity

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "annotators": list(self.annotators),
            "label": self.label,
            "share": round(self.share, 4),
            "votes": self.votes,
            "p_value": None if self.p_value is None else round(self.p_value, 4),
            "clarity": self.clarity,
        }


@dataclass(frozen=True)
class CampSide:
    """How one annotator camp voted inside a cluster.

    Attributes
    ----------
    annotators : tuple of str
        The camp's members (:func:`analysis.diagnostics.camps.find_camps`).
    label : str
        The label the camp chose most often on the cluster's pair.
    share : float
        Share of the camp's votes on the pair that went to ``label``.
    votes : int
    """

    annotators: tuple[str, ...]
    label: str
    share: float
    votes: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"annotators": list(self.annotators), "label": self.label,
                "share": round(self.share, 4), "votes": self.votes}


@dataclass(frozen=True)
class LabelPair:
    """Two labels the annotators split between, and the share of the cluster's items."""

    labels: tuple[str, str]
    share: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"labels": [a, b], "share": s}``."""
        return {"labels": list(self.labels), "share": round(self.share, 4)}


@dataclass(frozen=True)
class Example:
    """An item shown as evidence."""

    item_id: str
    text: str
    votes: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"item_id": self.item_id, "text": self.text, "votes": self.votes}


@dataclass(frozen=True)
class AmbiguityCluster:
    """A group of similar items the annotators disagree on.

    Attributes
    ----------
    id : int
        0, 1, ... by decreasing size.
    item_ids : tuple of str
    label_pairs : tuple of LabelPair
        Each item's top two labels, counted over the cluster, most common first.
    keywords : tuple of str
        Distinctive terms (class-based TF-IDF against all other texts).
    examples, boundary_examples : tuple of Example
        Items nearest the cluster's centroid; items nearest another cluster.
    annotators : dict of str to int
        Dissenting votes per annotator inside the cluster, most first.
    top_annotator_share : float
        Share of the dissenting votes cast by the single most-involved annotator.
    n_minority_annotators : int
        Distinct annotators who dissented somewhere in the cluster.
    kind : {"systematic", "annotator_noise", "no_label_fits"}
        ``no_label_fits``: votes scatter over three or more labels (a candidate for a new
        label or an exclusion rule).
    preferred_label, other_label : str
        The side of the top pair the reliable annotators clearly chose, else the side
        with more votes in the cluster; and the other side.
    draft_rule : str
        The drafted rule, for a guideline author to edit: :data:`DRAFT_RULE_TEMPLATE`,
        :data:`DECISION_TEMPLATE` or :data:`NO_LABEL_FITS_TEMPLATE` filled in.
    label_shares : tuple of LabelShare
        Votes per label over the cluster's items, most first (at most five).
    reliable : ReliableChoice or None
        The side the most reliable annotators chose (None without a pair).
    decision_needed : bool
        The reliable annotators do not clearly choose a side.
    side_examples : dict of str to tuple of Example
        Per side of the pair, the two items voted most clearly for it.
    terms_vs_disagreed, terms_vs_clear : tuple of str
        Distinctive terms against the other disagreed items, and against the clear
        (not disagreed) items of the pair's two labels.
    rule_terms : tuple of str
        The terms the draft names.
    draft_basis : str
        Why the draft reads as it does: ``consistent`` (the reliable annotators consistently
        choose one side and no unanimous item contradicts it: "label it X"),
        ``reliable_split`` (they do not), ``camps_split`` (two annotator camps take opposite
        sides), ``contradicted`` (items with the rule's terms were labelled the other way
        by every annotator), ``no_label_fits``, ``no_pair``.
    camp_sides : tuple of CampSide
        How each annotator camp voted in the cluster (when the data have camps).
    contradicting : tuple of Example
        Unanimously labelled items (three or more annotators) that hold the rule's terms
        and the other label: the evidence against a "label it X" rule (at most three).
    n_contradicting, n_supporting : int
        How many unanimous items hold the rule's terms with the other label, and with
        the preferred one.
    coherence : float
        How much more alike the cluster's texts are than a random draw of the disagreed
        items (:func:`analysis.clusters.themes.coherence`; 0 random, 1 identical).
    n_quiet : int
        Members with a single dissent that the selection left out (:mod:`analysis.clusters.quiet`).
    """

    id: int
    item_ids: tuple[str, ...]
    label_pairs: tuple[LabelPair, ...]
    keywords: tuple[str, ...]
    examples: tuple[Example, ...]
    boundary_examples: tuple[Example, ...]
    annotators: dict[str, int]
    top_annotator_share: float
    n_minority_annotators: int
    kind: ClusterKind
    preferred_label: str
    other_label: str
    draft_rule: str
    label_shares: tuple[LabelShare, ...] = ()
    reliable: ReliableChoice | None = None
    decision_needed: bool = False
    side_examples: dict[str, tuple[Example, ...]] = field(default_factory=dict)
    terms_vs_disagreed: tuple[str, ...] = ()
    terms_vs_clear: tuple[str, ...] = ()
    rule_terms: tuple[str, ...] = ()
    draft_basis: DraftBasis = "no_pair"
    camp_sides: tuple[CampSide, ...] = ()
    contradicting: tuple[Example, ...] = ()
    n_contradicting: int = 0
    n_supporting: int = 0
    coherence: float = 0.0
    n_quiet: int = 0

    @property
    def size(self) -> int:
        """Number of items."""
        return len(self.item_ids)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the ``clusters`` CLI contract."""
        return {
            "id": self.id,
            "size": self.size,
            "item_ids": list(self.item_ids),
            "label_pairs": [p.to_dict() for p in self.label_pairs],
            "keywords": list(self.keywords),
            "examples": [e.to_dict() for e in self.examples],
            "draft_rule": self.draft_rule,
            "kind": self.kind,
            "annotators": dict(self.annotators),
            "top_annotator_share": round(self.top_annotator_share, 4),
            "n_minority_annotators": self.n_minority_annotators,
            "boundary_examples": [e.to_dict() for e in self.boundary_examples],
            "preferred_label": self.preferred_label,
            "other_label": self.other_label,
            "label_shares": [share.to_dict() for share in self.label_shares],
            "reliable": None if self.reliable is None else self.reliable.to_dict(),
            "decision_needed": self.decision_needed,
            "side_examples": {
                label: [e.to_dict() for e in examples] for label, examples in self.side_examples.items()
            },
            "terms_vs_disagreed": list(self.terms_vs_disagreed),
            "terms_vs_clear": list(self.terms_vs_clear),
            "rule_terms": list(self.rule_terms),
            "draft_basis": self.draft_basis,
            "camp_sides": [side.to_dict() for side in self.camp_sides],
            "contradicting": [e.to_dict() for e in self.contradicting],
            "n_contradicting": self.n_contradicting,
            "n_supporting": self.n_supporting,
            "coherence": round(self.coherence, 4),
            "n_quiet": self.n_quiet,
        }


@dataclass(frozen=True)
class BroadDisagreement:
    """Disagreed items on one label pair that share no theme: no rule can be drafted.

    Attributes
    ----------
    labels : tuple of (str, str)
        The confused pair.
    item_ids : tuple of str
    """

    labels: tuple[str, str]
    item_ids: tuple[str, ...]

    @property
    def size(self) -> int:
        """Number of items."""
        return len(self.item_ids)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"labels": list(self.labels), "size": self.size, "item_ids": list(self.item_ids)}


@dataclass(frozen=True, eq=False)
class ClusterResult:
    """Ambiguity clusters of one dataset.

    Attributes
    ----------
    clusters : tuple of AmbiguityCluster
        Largest first.
    item_table : DataFrame
        One row per disagreed item: ``item_id``, ``cluster`` (-1 = in no cluster), ``x``,
        ``y`` (2-D map), ``text``, ``votes``, ``entropy``, ``plurality``,
        ``single_dissent``.
    slips : DataFrame
        Items left out because their only dissent came from a lone-dissent outlier:
        ``item_id``, ``annotator``, ``votes``, ``text``.
    model, backend : str
    warnings : tuple of str
    settings : dict
        The thresholds actually used (``min_disagreement``, ``distance_threshold``, ...).
    annotator_accuracy : dict of str to float
        One-coin Dawid-Skene accuracy of every annotator (:mod:`analysis.clusters.accuracy`).
    broad_disagreement : tuple of BroadDisagreement
        Disagreed items, per label pair, that form no theme (:mod:`analysis.clusters.themes`).
    note : str
        Why there is no cluster ("no coherent groups: ..."); "" when there are clusters.
    note_code : str
        The same as a code for front ends: ``no_items``, ``too_few``, ``same_text``,
        ``broad``, ``no_groups``, or "".
    notes : tuple of str
        How the texts were read (sentence pairs, conversation turns), in English.
    text_reading : dict
        The same as data: ``pairs`` (bool), ``turn_fields`` (list of str).
    """

    clusters: tuple[AmbiguityCluster, ...]
    item_table: pd.DataFrame
    slips: pd.DataFrame
    model: str
    backend: str
    warnings: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    annotator_accuracy: dict[str, float] = field(default_factory=dict)
    broad_disagreement: tuple[BroadDisagreement, ...] = ()
    note: str = ""
    note_code: str = ""
    notes: tuple[str, ...] = ()
    text_reading: dict[str, Any] = field(default_factory=dict)

    @property
    def n_quiet_members(self) -> int:
        """Clustered items with a single dissent that the selection left out (:mod:`analysis.clusters.quiet`)."""
        return int(self.item_table["quiet"].sum()) if "quiet" in self.item_table else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``python -m analysis clusters``."""
        return {
            "model": self.model,
            "backend": self.backend,
            "warnings": list(self.warnings),
            "settings": dict(self.settings),
            "n_disagreed_items": len(self.item_table) - self.n_quiet_members,
            "n_quiet_members": self.n_quiet_members,
            "n_clustered_items": int((self.item_table["cluster"] >= 0).sum()) if len(self.item_table) else 0,
            "note": self.note,
            "note_code": self.note_code,
            "notes": list(self.notes),
            "text_reading": dict(self.text_reading),
            "broad_disagreement": [group.to_dict() for group in self.broad_disagreement],
            "n_slips": len(self.slips),
            "n_scattered_items": int(self.item_table["scattered"].sum())
            if "scattered" in self.item_table
            else 0,
            "noisy_annotators": sorted(set(self.slips["annotator"].astype(str))),
            "annotator_accuracy": {k: round(v, 4) for k, v in self.annotator_accuracy.items()},
            "clusters": [c.to_dict() for c in self.clusters],
        }
