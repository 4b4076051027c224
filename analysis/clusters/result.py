"""The results of the ambiguity clustering, ready to render: nothing left to compute."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

ClusterKind = Literal["systematic", "annotator_noise"]

DRAFT_RULE_TEMPLATE = "When an item is about {terms}, label it {preferred}, not {other}."
"""English template of a drafted rule; the fields are kept on each cluster for translation."""


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
    kind : {"systematic", "annotator_noise"}
    preferred_label, other_label : str
        The plurality label of the top pair across the cluster, and the other one.
    draft_rule : str
        :data:`DRAFT_RULE_TEMPLATE` filled in, for a guideline author to edit.
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
        }


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
        The thresholds actually used (``min_entropy``, ``distance_threshold``, ...).
    """

    clusters: tuple[AmbiguityCluster, ...]
    item_table: pd.DataFrame
    slips: pd.DataFrame
    model: str
    backend: str
    warnings: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``python -m analysis clusters``."""
        return {
            "model": self.model,
            "backend": self.backend,
            "warnings": list(self.warnings),
            "settings": dict(self.settings),
            "n_disagreed_items": len(self.item_table),
            "n_slips": len(self.slips),
            "noisy_annotators": sorted(set(self.slips["annotator"].astype(str))),
            "clusters": [c.to_dict() for c in self.clusters],
        }
