"""The typed entries of the multi-label report's sections: one per label (``per_class``),
per annotator (``per_annotator``) and per pair of annotators (``pairwise``).

Each ``to_dict()`` gives the entry's JSON with the keys in the order of the contract
(``docs/tasks.md``); Metric values stay Metric (the report makes them JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.metrics.result import Metric


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """Agreement on one label, read as present or absent in each judgement's set.

    All None when no item was labelled twice (the entry is then empty).

    Attributes
    ----------
    fleiss_kappa, krippendorff_alpha : Metric or None
        Present/absent agreement on the label.
    specific_agreement, specific_agreement_absent : Metric or None
        Positive and negative specific agreement.
    prevalence : Metric or None
        Share of judgements choosing the label.
    cohen_kappa : Metric or None
        With exactly two annotators: Cohen's kappa on the items both labelled.
    """

    fleiss_kappa: Metric | None = None
    krippendorff_alpha: Metric | None = None
    specific_agreement: Metric | None = None
    specific_agreement_absent: Metric | None = None
    prevalence: Metric | None = None
    cohen_kappa: Metric | None = None

    def to_dict(self) -> dict[str, Any]:
        """The label's ``per_class`` entry (the measures it has)."""
        values = (("fleiss_kappa", self.fleiss_kappa), ("krippendorff_alpha", self.krippendorff_alpha),
                  ("specific_agreement", self.specific_agreement),
                  ("specific_agreement_absent", self.specific_agreement_absent),
                  ("prevalence", self.prevalence), ("cohen_kappa", self.cohen_kappa))
        return {name: value for name, value in values if value is not None}


@dataclass(frozen=True, slots=True)
class SetAnnotator:
    """One annotator's label sets against the others on the same items.

    Attributes
    ----------
    items : int
        Judgements (items labelled).
    labels_per_item : Metric
        Mean labels per judgement.
    label_rate_bias : Metric
        Own labels per item minus the others' mean on the same items.
    label_rate_bias_per_label : mapping of str to float
        The same per label (empty without a shared item).
    flags : tuple of str
        What stands out (chooses more or fewer labels than the others).
    """

    items: int
    labels_per_item: Metric
    label_rate_bias: Metric
    label_rate_bias_per_label: Mapping[str, float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The annotator's ``per_annotator`` entry."""
        return {"items": self.items, "labels_per_item": self.labels_per_item,
                "label_rate_bias": self.label_rate_bias,
                "label_rate_bias_per_label": dict(self.label_rate_bias_per_label),
                "flags": list(self.flags)}


@dataclass(frozen=True, slots=True)
class SetPair:
    """Two annotators' label sets on the items both labelled.

    Attributes
    ----------
    annotator_a, annotator_b : str
    items : int
        Shared items.
    exact_set_agreement : Metric
        Share of shared items with the same set.
    mean_jaccard : Metric
        Mean Jaccard similarity of the two sets.
    """

    annotator_a: str
    annotator_b: str
    items: int
    exact_set_agreement: Metric
    mean_jaccard: Metric

    def to_dict(self) -> dict[str, Any]:
        """The pair's ``pairwise`` entry."""
        return {"annotator_a": self.annotator_a, "annotator_b": self.annotator_b,
                "items": self.items, "exact_set_agreement": self.exact_set_agreement,
                "mean_jaccard": self.mean_jaccard}
