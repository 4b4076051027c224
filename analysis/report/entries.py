"""The typed entries of the single-label report's ``per_class`` and ``per_annotator`` sections.

A label's entry holds the metrics the agreement summary measured for it (which ones depends
on the level of measurement). An annotator's entry joins three sources: the agreement
measures (:func:`analysis.metrics.per_annotator_metrics`), the quality fields
(:meth:`analysis.quality.report_sections.QualitySections.annotator_sections`) and, at ordinal
and above, the rater effects (:meth:`analysis.diagnostics.rater_effects.RaterEffects.sections`).
Each ``to_dict()`` gives the entry's JSON in the contract's key order, Metric values kept
(:func:`analysis.metrics.result.jsonable` turns them into metric objects).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.metrics.result import Metric

MetricJSON = Mapping[str, Any]
"""A metric object as the JSON holds it (``value``, ``ci_low``, ``ci_high``, ``n``, ``note``)."""


@dataclass(frozen=True)
class ClassAgreement:
    """One label's agreement (a ``per_class`` entry).

    Attributes
    ----------
    label : str
    metrics : mapping of str to Metric
        Metric name -> Metric, in the summary's order (``fleiss_kappa``,
        ``krippendorff_alpha``, ``specific_agreement``, ... as the level allows).

    Examples
    --------
    >>> entry = ClassAgreement("pos", {"fleiss_kappa": Metric(0.5, n=4)})
    >>> entry["fleiss_kappa"].value, list(entry.to_dict())
    (0.5, ['fleiss_kappa'])
    """

    label: str
    metrics: Mapping[str, Metric]

    def __getitem__(self, name: str) -> Metric:
        """The metric called ``name``."""
        return self.metrics[name]

    def to_dict(self) -> dict[str, Any]:
        """The entry's JSON: metric name -> Metric."""
        return dict(self.metrics)


@dataclass(frozen=True)
class AnnotatorAgreement:
    """An annotator's agreement measures (:func:`analysis.metrics.per_annotator_metrics`).

    Attributes
    ----------
    items : int
        Judgements of the annotator.
    kappa_vs_consensus, alpha_without, alpha_change, label_bias_tvd : Metric
    consensus_ties, consensus_missing : int
        Items left out of the consensus kappa (the others tied; nobody else labelled them).
    """

    items: int
    kappa_vs_consensus: Metric
    alpha_without: Metric
    alpha_change: Metric
    label_bias_tvd: Metric
    consensus_ties: int
    consensus_missing: int

    @classmethod
    def from_metrics(cls, entry: Mapping[str, Any]) -> AnnotatorAgreement:
        """From one entry of :func:`analysis.metrics.per_annotator_metrics`."""
        return cls(entry["items"], entry["kappa_vs_consensus"], entry["alpha_without"],
                   entry["alpha_change"], entry["label_bias_tvd"], entry["consensus_ties"],
                   entry["consensus_missing"])

    def to_dict(self) -> dict[str, Any]:
        """The fields in the contract's order."""
        return {"items": self.items, "kappa_vs_consensus": self.kappa_vs_consensus,
                "alpha_without": self.alpha_without, "alpha_change": self.alpha_change,
                "label_bias_tvd": self.label_bias_tvd, "consensus_ties": self.consensus_ties,
                "consensus_missing": self.consensus_missing}


@dataclass(frozen=True)
class AnnotatorQuality:
    """An annotator's quality fields (the quality analyses' ``per_annotator`` entry).

    Attributes
    ----------
    rank : int
    rank_score : float or None
    items : int
    ds_accuracy, loo_agreement, alpha_without, fatigue_slope, bias_chi2 : mapping
        Metric objects (JSON).
    favoured_label : str or None
    cramers_v : float or None
    flags : mapping of str to bool
        ``fatigue``, ``bias``, ``low_quality``.
    """

    rank: int
    rank_score: float | None
    items: int
    ds_accuracy: MetricJSON
    loo_agreement: MetricJSON
    alpha_without: MetricJSON
    fatigue_slope: MetricJSON
    bias_chi2: MetricJSON
    favoured_label: str | None
    cramers_v: float | None
    flags: Mapping[str, bool]

    @classmethod
    def from_section(cls, fields: Mapping[str, Any]) -> AnnotatorQuality:
        """From one entry of the quality analyses' ``per_annotator`` section."""
        return cls(fields["rank"], fields["rank_score"], fields["items"], fields["ds_accuracy"],
                   fields["loo_agreement"], fields["alpha_without"], fields["fatigue_slope"],
                   fields["bias_chi2"], fields["favoured_label"], fields["cramers_v"], fields["flags"])

    def to_dict(self, *, alpha_without: bool = True) -> dict[str, Any]:
        """The fields in the contract's order (without ``alpha_without`` when the agreement
        measures give it, with its interval)."""
        out: dict[str, Any] = {"rank": self.rank, "rank_score": self.rank_score, "items": self.items,
                               "ds_accuracy": self.ds_accuracy, "loo_agreement": self.loo_agreement}
        if alpha_without:
            out["alpha_without"] = self.alpha_without
        out.update({"fatigue_slope": self.fatigue_slope, "bias_chi2": self.bias_chi2,
                    "favoured_label": self.favoured_label, "cramers_v": self.cramers_v,
                    "flags": dict(self.flags)})
        return out


@dataclass(frozen=True)
class ScaleEffects:
    """An annotator's rater effects at ordinal and above.

    Attributes
    ----------
    leniency : mapping
        Metric object (JSON).
    leniency_direction : str or None
        ``lenient``, ``severe`` or None.
    fatigue_slope : mapping
        The distance trend, a metric object (JSON); it replaces the quality's slope.
    flags : mapping of str to bool
        ``bias``, ``fatigue`` (they replace the quality's flags of the same names).
    """

    leniency: MetricJSON
    leniency_direction: str | None
    fatigue_slope: MetricJSON
    flags: Mapping[str, bool]

    @classmethod
    def from_section(cls, fields: Mapping[str, Any]) -> ScaleEffects:
        """From one entry of :meth:`analysis.diagnostics.rater_effects.RaterEffects.sections`."""
        return cls(fields["leniency"], fields["leniency_direction"], fields["fatigue_slope"],
                   fields["flags"])


@dataclass(frozen=True)
class AnnotatorEntry:
    """One annotator's ``per_annotator`` entry: whichever of the three sources measured it.

    Examples
    --------
    >>> scale = ScaleEffects({"value": 1.5}, "lenient", {"value": 0.0}, {"bias": True})
    >>> AnnotatorEntry(scale=scale).to_dict()["flags"], list(AnnotatorEntry(scale=scale).to_dict())
    ({'bias': True}, ['leniency', 'leniency_direction', 'fatigue_slope', 'flags'])
    """

    agreement: AnnotatorAgreement | None = None
    quality: AnnotatorQuality | None = None
    scale: ScaleEffects | None = None

    def to_dict(self) -> dict[str, Any]:
        """The agreement measures, then the quality fields, then the rater effects (a field
        a later source also gives keeps its place and takes the later value)."""
        out: dict[str, Any] = {} if self.agreement is None else self.agreement.to_dict()
        if self.quality is not None:
            out.update(self.quality.to_dict(alpha_without=self.agreement is None))
        if self.scale is not None:
            flags = dict(out.get("flags") or {})
            flags.update(self.scale.flags)
            out["leniency"] = self.scale.leniency
            out["leniency_direction"] = self.scale.leniency_direction
            out["fatigue_slope"] = self.scale.fatigue_slope
            out["flags"] = flags
        return out


def annotator_entries(agreement: Mapping[str, Mapping[str, Any]], quality: Mapping[str, Any],
                      scale: Mapping[str, Any]) -> dict[str, AnnotatorEntry]:
    """Each annotator's entry from the three sources, annotators in the order they first
    appear (agreement, quality, rater effects).

    Parameters
    ----------
    agreement : mapping
        :func:`analysis.metrics.per_annotator_metrics` output.
    quality : mapping
        The quality analyses' ``per_annotator`` section (empty without it).
    scale : mapping
        The rater effects' sections (empty at the nominal level).

    Returns
    -------
    dict of str to AnnotatorEntry
    """
    names = dict.fromkeys([*map(str, agreement), *map(str, quality), *map(str, scale)])
    parts: dict[str, dict[str, Any]] = {name: {} for name in names}
    for name, entry in agreement.items():
        parts[str(name)]["agreement"] = AnnotatorAgreement.from_metrics(entry)
    for name, fields in quality.items():
        parts[str(name)]["quality"] = AnnotatorQuality.from_section(fields)
    for name, fields in scale.items():
        parts[str(name)]["scale"] = ScaleEffects.from_section(fields)
    return {name: AnnotatorEntry(**part) for name, part in parts.items()}
