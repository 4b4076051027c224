"""The typed entries of the span report's sections: one per entity type (``per_class``),
per annotator (``per_annotator``), per pair of annotators (``pairwise``) and the
``disagreements`` section with its counts, type confusions and disputed documents.

Each ``to_dict()`` gives the entry's JSON with the keys in the order of the contract
(``docs/tasks.md``); Metric values stay Metric (the report makes them JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.metrics.result import Metric


@dataclass(frozen=True, slots=True)
class TypeAgreement:
    """Agreement on one entity type (or, as ``overall``, on all).

    Attributes
    ----------
    span_f1_strict, span_f1_overlap : Metric
        Pooled pairwise span F1 with exact boundaries, and with any overlap.
    token_krippendorff_alpha : Metric
        Nominal alpha over the tokens' IOB tags of the type.
    """

    span_f1_strict: Metric
    span_f1_overlap: Metric
    token_krippendorff_alpha: Metric

    def to_dict(self) -> dict[str, Any]:
        """The type's ``per_class`` entry."""
        return {"span_f1_strict": self.span_f1_strict, "span_f1_overlap": self.span_f1_overlap,
                "token_krippendorff_alpha": self.token_krippendorff_alpha}


@dataclass(frozen=True, slots=True)
class SpanAnnotator:
    """One annotator's spans against the consensus and the others.

    Attributes
    ----------
    items, spans : int
        Documents judged and spans marked.
    f1_vs_dawid_skene : Metric
        Token F1 against the Dawid-Skene consensus spans (the headline).
    f1_vs_consensus : Metric
        Token F1 against the majority of the other annotators of each document.
    quality : Metric
        Balanced accuracy of the annotator's token Dawid-Skene confusion matrix.
    flags : tuple of str
        What stands out.
    """

    items: int
    spans: int
    f1_vs_dawid_skene: Metric
    f1_vs_consensus: Metric
    quality: Metric
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The annotator's ``per_annotator`` entry."""
        return {"items": self.items, "spans": self.spans, "f1_vs_dawid_skene": self.f1_vs_dawid_skene,
                "f1_vs_consensus": self.f1_vs_consensus, "quality": self.quality,
                "flags": list(self.flags)}


@dataclass(frozen=True, slots=True)
class SpanPair:
    """Two annotators' spans on the documents both judged.

    Attributes
    ----------
    annotator_a, annotator_b : str
    items : int
        Shared documents.
    span_f1_strict, span_f1_overlap : Metric
    """

    annotator_a: str
    annotator_b: str
    items: int
    span_f1_strict: Metric
    span_f1_overlap: Metric

    def to_dict(self) -> dict[str, Any]:
        """The pair's ``pairwise`` entry."""
        return {"annotator_a": self.annotator_a, "annotator_b": self.annotator_b, "items": self.items,
                "span_f1_strict": self.span_f1_strict, "span_f1_overlap": self.span_f1_overlap}


@dataclass(frozen=True, slots=True)
class KindCounts:
    """Each span compared with each other annotator of its document, counted by kind.

    Attributes
    ----------
    agreed, boundary, type, missed : int
        Same boundaries and type; same type, other boundaries; only spans of another
        type overlap; nothing overlaps.
    boundary_share, type_share, missed_share : float or None
        Shares of the disagreed ones (None when none disagreed).
    """

    agreed: int
    boundary: int
    type: int
    missed: int
    boundary_share: float | None
    type_share: float | None
    missed_share: float | None

    def to_dict(self) -> dict[str, Any]:
        """The counts' JSON (``disagreements.overall`` and each ``per_class`` entry)."""
        return {"agreed": self.agreed, "boundary": self.boundary, "type": self.type,
                "missed": self.missed, "boundary_share": self.boundary_share,
                "type_share": self.type_share, "missed_share": self.missed_share}


@dataclass(frozen=True, slots=True)
class TypeConfusion:
    """Spans of type ``label_a`` overlapped only by spans of ``label_b``, ``count`` times."""

    label_a: str
    label_b: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        """The confusion's JSON."""
        return {"label_a": self.label_a, "label_b": self.label_b, "count": self.count}


@dataclass(frozen=True, slots=True)
class DisputedItem:
    """A document judged twice or more with low span agreement.

    Attributes
    ----------
    item_id : str
    span_f1_strict : float or None
        The document's pooled strict span F1 (None when undefined).
    annotators, spans : int
    """

    item_id: str
    span_f1_strict: float | None
    annotators: int
    spans: int

    def to_dict(self) -> dict[str, Any]:
        """The document's ``disputed_items`` entry."""
        return {"item_id": self.item_id, "span_f1_strict": self.span_f1_strict,
                "annotators": self.annotators, "spans": self.spans}


@dataclass(frozen=True, slots=True)
class SpanDisagreements:
    """The ``disagreements`` section: how the spans that do not match differ.

    Attributes
    ----------
    note : str
        How spans are compared.
    overall : KindCounts
    per_class : mapping of str to KindCounts
        Per entity type.
    type_confusions : tuple of TypeConfusion
    disputed_items : tuple of DisputedItem
        The least agreed documents, worst first.
    """

    note: str
    overall: KindCounts
    per_class: Mapping[str, KindCounts]
    type_confusions: tuple[TypeConfusion, ...]
    disputed_items: tuple[DisputedItem, ...]

    def to_dict(self) -> dict[str, Any]:
        """The section's JSON."""
        return {"note": self.note, "overall": self.overall.to_dict(),
                "per_class": {label: counts.to_dict() for label, counts in self.per_class.items()},
                "type_confusions": [c.to_dict() for c in self.type_confusions],
                "disputed_items": [d.to_dict() for d in self.disputed_items]}
