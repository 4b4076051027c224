"""Annotator quality, fatigue, bias, groups and rounds.

Every function returns a DataFrame or a frozen dataclass that the dashboard shows as it
is; :func:`~analysis.quality.report_sections.quality_sections` turns them into the
report's JSON.
"""

from analysis.quality.annotators import annotator_confusion, annotator_quality_table
from analysis.quality.bias import bias_table, pairwise_homogeneity
from analysis.quality.fatigue import fatigue_curves, fatigue_trends
from analysis.quality.groups import GroupAgreement, group_agreement, round_agreement

__all__ = [
    "GroupAgreement",
    "annotator_confusion",
    "annotator_quality_table",
    "bias_table",
    "fatigue_curves",
    "fatigue_trends",
    "group_agreement",
    "pairwise_homogeneity",
    "round_agreement",
]
