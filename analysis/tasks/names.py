"""Names of the overall metrics of each task type (the ``--fail-under`` names); kept in a
module without heavy imports so the command line starts fast."""

from __future__ import annotations

from typing import Final

MULTI_LABEL_METRICS: Final[tuple[str, ...]] = (
    "krippendorff_alpha_masi", "krippendorff_alpha_jaccard", "exact_set_agreement",
    "mean_per_label_kappa",
)
SPAN_METRICS: Final[tuple[str, ...]] = (
    "span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha",
)
