"""Label-distribution bias: does an annotator lean toward a class more than the others?

Per annotator (:func:`bias_table`)
----------------------------------
On the items an annotator labelled that others also labelled, the *expected* count of
each label is the sum over those items of the other annotators' vote shares, so the
comparison is matched item by item (an annotator who happened to get more items of one
class is not called biased). One pseudo-vote spread by the overall label distribution
is added to each item's others' votes so that no expected count is exactly zero. The
observed counts are compared with a chi-square goodness-of-fit test (``df = K - 1``);
the effect size is Cramér's V for goodness of fit, ``sqrt(chi2 / (n (K - 1)))``; the
per-label adjusted standardized residuals ``(O - E) / sqrt(E (1 - E / n))`` name the
over-used labels.

Flag rule: an annotator is flagged ``bias`` when the Holm-adjusted p-value is below
0.05 **and** the favoured label's excess share (observed minus expected share) is at
least ``MIN_EXCESS`` (0.10) **and** that label takes at least ``MIN_CONCENTRATION``
(half) of the annotator's total over-use. The last condition separates leaning toward
one class from spreading labels at random, which over-uses every rare class a little.

Pairwise (:func:`pairwise_homogeneity`)
---------------------------------------
For each pair of annotators with at least ``min_overlap`` shared items, the Stuart-
Maxwell test of marginal homogeneity on their square label table
(``statsmodels.stats.contingency_tables.SquareTable.homogeneity``). A pair is flagged
when the Holm-adjusted p-value is below 0.05 **and** the largest difference between
their label shares is at least ``MIN_EXCESS``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
from scipy import stats

from analysis.dataset import AnnotationDataset, reliability_of
from analysis.reliability import MISSING, ReliabilityData
from analysis.schema import ANNOTATOR

MIN_EXCESS: Final = 0.10
MIN_CONCENTRATION: Final = 0.5


def _holm(p_values: np.ndarray, *, alpha: float) -> np.ndarray:
    from statsmodels.stats.multitest import multipletests

    adjusted = np.full(p_values.size, np.nan)
    tested = np.isfinite(p_values)
    if tested.any():
        adjusted[tested] = multipletests(p_values[tested], alpha=alpha, method="holm")[1]
    return adjusted


def bias_table(data: AnnotationDataset | ReliabilityData, *, alpha: float = 0.05, min_items: int = 20) -> pd.DataFrame:
    """Each annotator's label distribution against the others' on the same items.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    alpha : float, default 0.05
        Family-wise error rate across annotators (Holm).
    min_items : int, default 20
        Fewest shared items for a test.

    Returns
    -------
    DataFrame
        One row per annotator: ``annotator``, ``items`` (labelled items others also
        labelled), ``chi2``, ``df``, ``p_value``, ``p_adjusted``, ``cramers_v``,
        ``favoured_label``, ``favoured_excess`` (share points), ``favoured_residual``,
        ``bias`` (flag) and ``note`` (why untested, when it is).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": [str(i // 3) for i in range(90)],
    ...                       "annotator": list("xyz") * 30,
    ...                       "label": ["p", "n", "n"] * 15 + ["p", "p", "p"] * 15})
    >>> result = bias_table(ReliabilityData.from_table(table))
    >>> result.loc[0, "favoured_label"], bool(result.loc[0, "bias"])
    ('p', True)
    """
    data = reliability_of(data, function="bias_table")
    counts = data.counts().astype(np.float64)
    n_labels = data.n_labels
    overall = counts.sum(axis=0) / max(counts.sum(), 1.0)
    rows = []
    for j, name in enumerate(data.annotators):
        own_codes = data.codes[:, j]
        labelled = own_codes != MISSING
        others = counts.copy()
        others[np.flatnonzero(labelled), own_codes[labelled]] -= 1
        shared = labelled & (others.sum(axis=1) > 0)
        n = int(shared.sum())
        row: dict[str, object] = {ANNOTATOR: str(name), "items": n}
        if n < min_items or n_labels < 2:
            reason = (
                f"only {n} items shared with other annotators (at least {min_items} needed)"
                if n_labels >= 2
                else "only one label in the data"
            )
            rows.append(row | {"note": reason})
            continue
        smoothed = others[shared] + overall
        expected = (smoothed / smoothed.sum(axis=1, keepdims=True)).sum(axis=0)
        observed = np.bincount(own_codes[shared], minlength=n_labels).astype(np.float64)
        chi2 = float(((observed - expected) ** 2 / expected).sum())
        residuals = (observed - expected) / np.sqrt(expected * (1 - expected / n))
        excess = (observed - expected) / n
        top = int(np.argmax(excess))
        over_use = excess[excess > 0].sum()
        rows.append(
            row
            | {
                "chi2": chi2,
                "df": n_labels - 1,
                "p_value": float(stats.chi2.sf(chi2, n_labels - 1)),
                "cramers_v": float(np.sqrt(chi2 / (n * (n_labels - 1)))),
                "favoured_label": data.labels[top],
                "favoured_excess": float(excess[top]),
                "favoured_residual": float(residuals[top]),
                "concentration": float(excess[top] / over_use) if over_use > 0 else 0.0,
                "note": None,
            }
        )
    columns = [ANNOTATOR, "items", "chi2", "df", "p_value", "cramers_v", "favoured_label",
               "favoured_excess", "favoured_residual", "concentration", "note"]
    result = pd.DataFrame(rows, columns=columns)
    result[ANNOTATOR] = result[ANNOTATOR].astype("string")
    result["favoured_label"] = result["favoured_label"].astype("string")
    result["p_adjusted"] = _holm(result["p_value"].to_numpy(dtype=float), alpha=alpha)
    result["bias"] = (
        (result["p_adjusted"] < alpha)
        & (result["favoured_excess"] >= MIN_EXCESS)
        & (result["concentration"] >= MIN_CONCENTRATION)
    ).fillna(False).astype(bool)
    return result


def _stuart_maxwell(square: np.ndarray) -> tuple[float, int, float] | str:
    """(statistic, df, p) of the Stuart-Maxwell test, or why it is undefined."""
    from statsmodels.stats.contingency_tables import SquareTable

    used = (square.sum(axis=0) + square.sum(axis=1)) > 0
    square = square[np.ix_(used, used)]
    if square.shape[0] < 2:
        return "both annotators used a single label on their shared items"
    if np.array_equal(square.sum(axis=0), square.sum(axis=1)):
        return 0.0, square.shape[0] - 1, 1.0
    try:
        result = SquareTable(square, shift_zeros=False).homogeneity(method="stuart_maxwell")
        statistic, p_value = float(result.statistic), float(result.pvalue)
    except (np.linalg.LinAlgError, ValueError):
        statistic, p_value = np.nan, np.nan
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return "the label table is singular, so the Stuart-Maxwell test is not defined"
    return statistic, int(result.df), p_value


def pairwise_homogeneity(
    data: AnnotationDataset | ReliabilityData, *, alpha: float = 0.05, min_overlap: int = 20
) -> pd.DataFrame:
    """Stuart-Maxwell marginal homogeneity for every pair of annotators.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    alpha : float, default 0.05
        Family-wise error rate across the pairs tested (Holm).
    min_overlap : int, default 20
        Fewest shared items for a test.

    Returns
    -------
    DataFrame
        One row per pair: ``annotator_a``, ``annotator_b``, ``overlap``, ``statistic``,
        ``df``, ``p_value``, ``p_adjusted``, ``max_share_difference`` (largest absolute
        difference between the two annotators' label shares), ``label`` (where it
        occurs), ``flagged`` and ``note``.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": [str(i // 2) for i in range(80)],
    ...                       "annotator": list("xy") * 40,
    ...                       "label": ["p", "n"] * 20 + ["p", "p"] * 20})
    >>> pairs = pairwise_homogeneity(ReliabilityData.from_table(table))
    >>> int(pairs.loc[0, "overlap"]), pairs.loc[0, "label"], bool(pairs.loc[0, "flagged"])
    (40, 'n', True)
    """
    data = reliability_of(data, function="pairwise_homogeneity")
    codes, k = data.codes, data.n_labels
    rows = []
    for a in range(data.n_annotators):
        for b in range(a + 1, data.n_annotators):
            both = (codes[:, a] != MISSING) & (codes[:, b] != MISSING)
            overlap = int(both.sum())
            row: dict[str, object] = {
                "annotator_a": str(data.annotators[a]),
                "annotator_b": str(data.annotators[b]),
                "overlap": overlap,
            }
            if overlap < min_overlap:
                rows.append(row | {"note": f"only {overlap} shared items (at least {min_overlap} needed)"})
                continue
            flat = codes[both, a] * k + codes[both, b]
            square = np.bincount(flat, minlength=k * k).reshape(k, k).astype(np.float64)
            difference = (square.sum(axis=1) - square.sum(axis=0)) / overlap
            largest = int(np.argmax(np.abs(difference)))
            row |= {"max_share_difference": float(abs(difference[largest])), "label": data.labels[largest]}
            test = _stuart_maxwell(square)
            if isinstance(test, str):
                rows.append(row | {"note": test})
                continue
            statistic, df, p_value = test
            rows.append(row | {"statistic": statistic, "df": df, "p_value": p_value, "note": None})
    columns = ["annotator_a", "annotator_b", "overlap", "statistic", "df", "p_value",
               "max_share_difference", "label", "note"]
    result = pd.DataFrame(rows, columns=columns)
    for column in ("annotator_a", "annotator_b", "label"):
        result[column] = result[column].astype("string")
    result["p_adjusted"] = _holm(result["p_value"].to_numpy(dtype=float), alpha=alpha)
    result["flagged"] = (
        (result["p_adjusted"] < alpha) & (result["max_share_difference"] >= MIN_EXCESS)
    ).fillna(False).astype(bool)
    return result
