"""Diagnostics beside the numbers: which number to believe, and why annotators disagree.

:func:`diagnose` runs every check on one dataset and returns a :class:`Diagnosis`
(plain frozen dataclasses with ``to_dict``), which the report builder adds to the JSON as
``diagnostics`` and ``annotator_camps``. Checks (codes, a public contract):

``skewed_labels``
    one label dominates; prevalence and bias indices, positive/negative specific
    agreement per label, and which coefficient to report (:mod:`.prevalence`).
``level_mismatch``
    the labels form a scale but the level is nominal, or the reverse (:mod:`.scale`).
``rare_label``
    labels with too few judgements for their own numbers.
``few_items``
    agreement rests on few items, or alpha's interval is wide.
``low_overlap``
    single-judgement items, annotators who share too little, disconnected groups.
``annotator_camps``
    groups of annotators who agree among themselves clearly more than with the others
    (:mod:`.camps`).

Warnings come first, then :data:`PRIORITY` order. Each :class:`Diagnostic` has a
``severity`` (``info`` or ``warning``), its ``evidence``
(numbers only) and a message and action written from that evidence in English or Korean
(:func:`.texts.describe`). :func:`analysis.report.verdict.verdict` writes the three-sentence summary for
a stakeholder from a report dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level
from analysis.data.reliability import ReliabilityData
from analysis.diagnostics import checks
from analysis.diagnostics.camps import Camp, CampSearch, find_camps
from analysis.diagnostics.prevalence import LabelPrevalence, label_prevalence
from analysis.diagnostics.rater_effects import distance_trends, leniency_table
from analysis.diagnostics.scale import SuggestedLevel, suggest_level, suggested_level_of
from analysis.diagnostics.texts import CODES, describe, level_reason
from analysis.metrics.result import Metric

Severity = Literal["info", "warning"]
PRIORITY: tuple[str, ...] = (
    "level_mismatch", "annotator_camps", "skewed_labels", "low_overlap", "few_items", "rare_label",
)
"""Order of the diagnostics within a severity: a wrong level changes every number; camps and
a dominant label explain why agreement is low; the rest qualify how far to trust it."""

__all__ = [
    "CODES", "PRIORITY", "Camp", "CampSearch", "Diagnosis", "Diagnostic", "LabelPrevalence", "SuggestedLevel",
    "describe", "diagnose", "distance_trends", "find_camps", "label_prevalence", "leniency_table", "level_reason",
    "suggest_level",
    "suggested_level_of",
]


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a code, how serious, the numbers behind it, and what to do.

    Examples
    --------
    >>> d = Diagnostic("few_items", "warning", {"items_with_two_or_more": 8, "half_width": None,
    ...                "items_for_target": None, "target_half_width": 0.05})
    >>> d.to_dict()["message"]
    'Agreement rests on 8 items labelled by two or more annotators.'
    """

    code: str
    severity: Severity
    evidence: dict[str, Any]

    def message(self, language: Literal["en", "ko"] = "en") -> str:
        """What was found, in words, from the evidence."""
        return describe(self.code, self.evidence, language)[0]

    def action(self, language: Literal["en", "ko"] = "en") -> str:
        """What to do about it."""
        return describe(self.code, self.evidence, language)[1]

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``code``, ``severity``, ``message``, ``evidence``, plus ``action``."""
        return {"code": self.code, "severity": self.severity, "message": self.message(),
                "evidence": self.evidence, "action": self.action()}


@dataclass(frozen=True)
class Diagnosis:
    """Everything :func:`diagnose` found for one dataset."""

    suggested_level: SuggestedLevel
    diagnostics: tuple[Diagnostic, ...]
    camps: CampSearch
    prevalence: tuple[LabelPrevalence, ...]

    def to_dict(self) -> dict[str, Any]:
        """The report's ``diagnostics`` and ``annotator_camps`` sections."""
        return {
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "annotator_camps": [camp.to_dict() for camp in self.camps.camps],
        }


@validate_params({"bootstrap": RESAMPLES, "seed": SEED})
def diagnose(
    dataset: AnnotationDataset | ReliabilityData,
    *,
    level: Level | None = None,
    overall: Mapping[str, Metric | Mapping[str, Any]],
    per_class: Mapping[str, Mapping[str, Metric | Mapping[str, Any]]] | None = None,
    suggested: SuggestedLevel | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Diagnosis:
    """Run every check on one dataset.

    Parameters
    ----------
    dataset : AnnotationDataset or ReliabilityData
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        The level the report uses; the dataset's by default.
    overall : mapping of name -> Metric (or its dict form)
        The report's overall metrics (alpha, AC1, percent agreement are read).
    per_class : mapping, optional
        The report's per-label metrics (``specific_agreement`` is read).
    suggested : SuggestedLevel, optional
        Computed from ``data.labels`` when omitted (once per dataset).
    bootstrap : int, default 1000
        Item resamples for the intervals (camps use at most 500).
    seed : int, default 0

    Returns
    -------
    Diagnosis

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": [str(i // 2) for i in range(40)],
    ...                       "annotator": ["x", "y"] * 20, "label": ["1", "2", "3", "3"] * 10})
    >>> data = ReliabilityData.from_table(table)
    >>> found = diagnose(data, overall={}, bootstrap=0)
    >>> found.suggested_level.level, [d.code for d in found.diagnostics]
    ('interval', ['level_mismatch', 'few_items', 'rare_label'])
    """
    level = level_of(dataset, level)
    data = reliability_of(dataset, function="diagnose")
    if suggested is None:
        suggested = (suggested_level_of(dataset) if isinstance(dataset, AnnotationDataset)
                     else suggest_level(data.labels))
    per_class = per_class or {}
    prevalence = label_prevalence(data, bootstrap_resamples=bootstrap, seed=seed)
    camps = find_camps(dataset, level=level, bootstrap=min(bootstrap, 500), seed=seed)
    found: list[tuple[str, tuple[str, dict[str, Any]] | None]] = [
        ("annotator_camps", checks.annotator_camps(camps)),
        ("skewed_labels", checks.skewed_labels(prevalence, overall)),
        ("level_mismatch", checks.level_mismatch(data, level, suggested, overall, bootstrap=min(bootstrap, 500),
                                                 seed=seed)),
        ("rare_label", checks.rare_label(prevalence, per_class)),
        ("few_items", checks.few_items(data, overall)),
        ("low_overlap", checks.low_overlap(data)),
    ]
    diagnostics = [Diagnostic(code, severity, evidence)  # type: ignore[arg-type]
                   for code, result in found if result is not None for severity, evidence in [result]]
    diagnostics.sort(key=lambda d: (d.severity != "warning", PRIORITY.index(d.code)))
    return Diagnosis(suggested, tuple(diagnostics), camps, tuple(prevalence))
