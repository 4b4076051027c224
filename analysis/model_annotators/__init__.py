"""Model annotators beside human ones: may a model (an LLM, a classifier) replace an annotator?

* :mod:`~analysis.model_annotators.alt_test`: the Alternative Annotator Test (Calderon,
  Reichart & Dror, ACL 2025), per model: winning rate, advantage probability, per-human
  p-values, pass or fail.
* :mod:`~analysis.model_annotators.agreement`: the model's agreement with the humans beside
  the humans' agreement among themselves (kappa, alpha, per label), with paired intervals.
* :mod:`~analysis.model_annotators.section`: both for every model of a dataset, as the
  report's ``models_vs_humans`` section.
"""

from analysis.model_annotators.alt_test import (
    DEFAULT_EPSILON,
    EPSILON_BY_ANNOTATORS,
    AltTestResult,
    HumanComparison,
    alt_test,
)

__all__ = ["DEFAULT_EPSILON", "EPSILON_BY_ANNOTATORS", "AltTestResult", "HumanComparison", "alt_test"]
