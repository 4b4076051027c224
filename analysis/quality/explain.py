"""Why a flag is (not) raised and why an annotator ranks where it does, as data.

The quality tables give numbers and flags; a reader also needs the rule behind each flag
and, for a ranking, the number that put an annotator where it is. These functions return
codes and numbers only; the dashboard and the reports write the words.

Minimum overlap for claims
--------------------------
A claim about one annotator ("the weakest annotator", a flag, "ranks last") is made only
when it rests on at least :data:`MIN_CLAIM_ITEMS` (20) compared judgements, the same
minimum the low-quality and bias flags use. Annotators below it are still listed, with
their item count, but are not named as weakest or last.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from analysis.data.schema import ANNOTATOR
from analysis.quality.annotators import DS_GAP, LOO_GAP, MIN_ITEMS_FOR_FLAG
from analysis.quality.bias import MIN_CONCENTRATION, MIN_EXCESS

MIN_CLAIM_ITEMS: Final = MIN_ITEMS_FOR_FLAG
"""Fewest compared judgements behind a claim about one annotator."""

FLAG_ALPHA: Final = 0.05
FATIGUE_MIN_ITEMS: Final = 30
THRESHOLDS: Final[dict[str, float]] = {
    "alpha": FLAG_ALPHA,
    "bias_min_excess": MIN_EXCESS,
    "bias_min_concentration": MIN_CONCENTRATION,
    "bias_min_items": MIN_ITEMS_FOR_FLAG,
    "low_quality_loo_gap": LOO_GAP,
    "low_quality_ds_gap": DS_GAP,
    "low_quality_min_items": MIN_ITEMS_FOR_FLAG,
    "fatigue_min_items": FATIGUE_MIN_ITEMS,
}
"""The numbers behind every annotator flag (``docs/quality.md`` states the rules)."""


def bias_reasons(bias: pd.DataFrame, *, alpha: float = FLAG_ALPHA) -> pd.Series:
    """Why each annotator of :func:`analysis.quality.bias_table` is or is not flagged.

    Returns
    -------
    Series of str, index as ``bias``
        ``flagged``; ``untested`` (too few shared items, or one label); ``not_significant``
        (Holm-adjusted p at least ``alpha``); ``small_excess`` (significant, but the
        favoured label's excess share is under ``MIN_EXCESS``); ``spread`` (significant,
        but the over-use is spread over several labels: the favoured one takes less than
        ``MIN_CONCENTRATION`` of it). The first condition that fails is named.

    Examples
    --------
    >>> bias = pd.DataFrame({"chi2": [9.0, 70.0, 80.0, None], "p_adjusted": [0.2, 1e-9, 1e-9, None],
    ...                      "favoured_excess": [0.2, 0.07, 0.2, None],
    ...                      "concentration": [1.0, 1.0, 0.9, None], "bias": [False, False, True, False]})
    >>> bias_reasons(bias).tolist()
    ['not_significant', 'small_excess', 'flagged', 'untested']
    """
    tested = bias["chi2"].notna().to_numpy()
    significant = (bias["p_adjusted"].to_numpy(dtype=float) < alpha)
    large = bias["favoured_excess"].to_numpy(dtype=float) >= MIN_EXCESS
    reasons = np.select(
        [bias["bias"].to_numpy(dtype=bool), ~tested, ~significant, ~large],
        ["flagged", "untested", "not_significant", "small_excess"], default="spread")
    return pd.Series(reasons, index=bias.index, dtype=object)


def _ranks(values: pd.Series) -> pd.Series:
    """1 for the highest value; NaN stays NaN (ties share the better rank)."""
    return values.rank(ascending=False, method="min", na_option="keep")


def rank_drivers(quality: pd.DataFrame) -> pd.DataFrame:
    """For each annotator of :func:`analysis.quality.annotator_quality_table`, the
    component that puts it where it ranks.

    The rank orders annotators by ``rank_score``, the lower bound of the Dawid-Skene
    accuracy interval. That lower bound is low either because the accuracy itself is low,
    or because few judgements make the interval wide; and the model's accuracy can
    disagree with plain agreement with the others' majority (the model weighs each label
    by how reliably the annotator uses it; the majority counts every item alike).

    Returns
    -------
    DataFrame
        ``annotator``, ``rank``, ``accuracy_rank`` (by the Dawid-Skene accuracy itself),
        ``agreement_rank`` (by agreement with the others' majority), ``claim`` (at least
        :data:`MIN_CLAIM_ITEMS` compared judgements) and ``driver``: ``few_items`` (the
        accuracy alone would rank it clearly higher: its interval is wide), ``model``
        (agreement with the majority would rank it clearly higher), else ``accuracy``.
        "Clearly" is by at least a tenth of the annotators (at least 2 places).

    Examples
    --------
    >>> quality = pd.DataFrame({"annotator": list("abcd"), "rank": [1, 2, 3, 4],
    ...     "ds_accuracy": [0.95, 0.90, 0.97, 0.70], "loo_agreement": [0.9, 0.85, 0.95, 0.99],
    ...     "loo_items": [200, 200, 4, 300]})
    >>> rank_drivers(quality)[["annotator", "driver", "claim"]].values.tolist()
    [['a', 'accuracy', True], ['b', 'accuracy', True], ['c', 'few_items', False], ['d', 'model', True]]
    """
    rank = quality["rank"].astype(float)
    accuracy_rank = _ranks(quality["ds_accuracy"].astype(float))
    agreement_rank = _ranks(quality["loo_agreement"].astype(float))
    margin = max(2.0, 0.1 * len(quality))
    few = (rank - accuracy_rank) >= margin
    model = (rank - agreement_rank) >= margin
    driver = np.select([few.to_numpy(), model.to_numpy()], ["few_items", "model"], default="accuracy")
    return pd.DataFrame({
        ANNOTATOR: quality[ANNOTATOR].astype(str).to_numpy(),
        "rank": quality["rank"].to_numpy(),
        "accuracy_rank": accuracy_rank.to_numpy(),
        "agreement_rank": agreement_rank.to_numpy(),
        "claim": (quality["loo_items"].to_numpy() >= MIN_CLAIM_ITEMS),
        "driver": driver,
    })
