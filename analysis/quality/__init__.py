"""Annotator quality, fatigue, bias, groups and rounds.

Every function returns a DataFrame or a frozen dataclass that the dashboard shows as it
is; :func:`~analysis.quality.report_sections.compute_quality` runs them once for the
report, and :mod:`analysis.quality.rounds` judges round changes and guideline versions.
"""

from analysis.quality.annotators import annotator_confusion, annotator_quality_table
from analysis.quality.bias import bias_table, pairwise_homogeneity
from analysis.quality.fatigue import fatigue_curves, fatigue_trends
from analysis.quality.groups import GroupAgreement, group_agreement, round_agreement
from analysis.quality.report_sections import QualitySections, compute_quality
from analysis.quality.rounds import change_verdict, guideline_before_after, with_verdicts

__all__ = [
    "GroupAgreement",
    "QualitySections",
    "annotator_confusion",
    "annotator_quality_table",
    "bias_table",
    "change_verdict",
    "compute_quality",
    "fatigue_curves",
    "fatigue_trends",
    "group_agreement",
    "guideline_before_after",
    "pairwise_homogeneity",
    "round_agreement",
    "with_verdicts",
]
