"""Agreement metrics: overall, per label, per annotator, with intervals and bands.

See ``docs/metrics.md`` for the definitions, the choices made and their sources.
"""

from analysis.data.levels import LEVELS, Level
from analysis.metrics.alpha import AlphaInterval, alpha_with_interval, nominal_alpha
from analysis.metrics.bands import Band, interpret, interpret_metric
from analysis.metrics.intervals import mean_with_interval, percentile_interval, with_interval
from analysis.metrics.overall import (
    OVERALL_METRICS,
    PER_CLASS_METRICS,
    AgreementSummary,
    agreement_summary,
)
from analysis.metrics.per_annotator import PairKappa, pairwise_kappas, per_annotator_metrics
from analysis.metrics.tables import (
    coincidence_matrix,
    pairwise_kappa_matrix,
    per_annotator_table,
    per_class_table,
)

__all__ = [
    "LEVELS",
    "OVERALL_METRICS",
    "PER_CLASS_METRICS",
    "AgreementSummary",
    "AlphaInterval",
    "Band",
    "Level",
    "PairKappa",
    "agreement_summary",
    "alpha_with_interval",
    "coincidence_matrix",
    "interpret",
    "interpret_metric",
    "mean_with_interval",
    "nominal_alpha",
    "pairwise_kappa_matrix",
    "pairwise_kappas",
    "per_annotator_metrics",
    "per_annotator_table",
    "per_class_table",
    "percentile_interval",
    "with_interval",
]
