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

from numbers import Integral, Real
from typing import Final

import numpy as np
import pandas as pd

from analysis.base.params import Interval, validate_params
from analysis.data.dataset import AnnotationDataset, reliability_of
from analysis.data.note_columns import keep_note_columns
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ANNOTATOR
from analysis.messages import note
from analysis.metrics.pairs import PairCells
from analysis.quality.multitest import adjust_p_values

MIN_EXCESS: Final = 0.10
MIN_CONCENTRATION: Final = 0.5
_ALPHA = [Interval(Real, 0, 1, closed="neither")]


def _holm(p_values: np.ndarray, *, alpha: float) -> np.ndarray:
    return adjust_p_values(p_values, method="holm")  # NaN (untested) stays NaN


@validate_params({"alpha": _ALPHA, "min_items": [Interval(Integral, 1, None, closed="left")]})
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
    n_labels, n_annotators = data.n_labels, data.n_annotators
    overall = counts.sum(axis=0) / max(counts.sum(), 1.0)
    shared = data.judgements_per_item()[data.item_index] >= 2
    who, own, item = data.annotator_index[shared], data.label_code[shared], data.item_index[shared]
    n_shared = np.bincount(who, minlength=n_annotators)
    expected = np.zeros((n_annotators, n_labels))
    step = max(1, 2**22 // max(n_labels, 1))
    for begin in range(0, who.size, step):  # chunks of judgements: bounded memory
        part = slice(begin, begin + step)
        others = counts[item[part]]
        others[np.arange(others.shape[0]), own[part]] -= 1
        smoothed = others + overall
        shares = smoothed / smoothed.sum(axis=1, keepdims=True)
        for c in range(n_labels):
            expected[:, c] += np.bincount(who[part], weights=shares[:, c], minlength=n_annotators)
    observed_all = np.bincount(who * n_labels + own, minlength=n_annotators * n_labels
                               ).reshape(n_annotators, n_labels).astype(np.float64)
    rows = []
    for j, name in enumerate(data.annotators):
        n = int(n_shared[j])
        row: dict[str, object] = {ANNOTATOR: str(name), "items": n}
        if n < min_items or n_labels < 2:
            reason = (
                note("bias.too_few_items", items=n, minimum=min_items)
                if n_labels >= 2
                else note("bias.one_label")
            )
            rows.append(row | {"note": reason})
            continue
        observed, expect = observed_all[j], expected[j]
        chi2 = float(((observed - expect) ** 2 / expect).sum())
        residuals = (observed - expect) / np.sqrt(expect * (1 - expect / n))
        excess = (observed - expect) / n
        top = int(np.argmax(excess))
        over_use = excess[excess > 0].sum()
        rows.append(
            row
            | {
                "chi2": chi2,
                "df": n_labels - 1,
                "p_value": np.nan,  # filled below, for every annotator at once
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
    result = keep_note_columns(pd.DataFrame(rows, columns=columns), rows, ["note"])
    result[ANNOTATOR] = result[ANNOTATOR].astype("string")
    result["favoured_label"] = result["favoured_label"].astype("string")
    tested = result["chi2"].notna().to_numpy()
    if tested.any():
        # Imported here: scipy.special costs ~0.2 s, and the dashboard's first page
        # does not need the bias test before its headline numbers are drawn.
        from scipy.special import chdtrc  # chi-square survival function; lighter than scipy.stats

        result.loc[tested, "p_value"] = chdtrc(n_labels - 1, result.loc[tested, "chi2"].to_numpy(float))
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
        return note("bias.pair_single_label")
    if np.array_equal(square.sum(axis=0), square.sum(axis=1)):
        return 0.0, square.shape[0] - 1, 1.0
    try:
        result = SquareTable(square, shift_zeros=False).homogeneity(method="stuart_maxwell")
        statistic, p_value = float(result.statistic), float(result.pvalue)
    except (np.linalg.LinAlgError, ValueError):
        statistic, p_value = np.nan, np.nan
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return note("bias.pair_singular")

    return statistic, int(result.df), p_value


@validate_params({"alpha": _ALPHA, "min_overlap": [Interval(Integral, 1, None, closed="left")]})
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
        One row per pair of annotators that share at least one item: ``annotator_a``, ``annotator_b``, ``overlap``, ``statistic``,
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
    k = data.n_labels
    item, annotator, label = data.pair_judgements()  # a sample of annotators past MAX_PAIRS
    cells = PairCells.from_judgements(
        item, annotator, label, n_units=data.n_items,
        n_annotators=data.n_annotators, n_labels=k)
    group = cells.cells.group
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(cells.n_pairs + 1))
    rows = []
    for index, (a, b) in enumerate(cells.pairs.tolist()):
        part = order[bounds[index]:bounds[index + 1]]
        overlap = int(part.size)
        row: dict[str, object] = {
            "annotator_a": str(data.annotators[a]),
            "annotator_b": str(data.annotators[b]),
            "overlap": overlap,
        }
        if overlap < min_overlap:
            rows.append(row | {"note": note("bias.pair_too_few", overlap=overlap, minimum=min_overlap)})
            continue
        flat = cells.cells.first[part] * k + cells.cells.second[part]
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
    result = keep_note_columns(pd.DataFrame(rows, columns=columns), rows, ["note"])
    for column in ("annotator_a", "annotator_b", "label"):
        result[column] = result[column].astype("string")
    result["p_adjusted"] = _holm(result["p_value"].to_numpy(dtype=float), alpha=alpha)
    result["flagged"] = (
        (result["p_adjusted"] < alpha) & (result["max_share_difference"] >= MIN_EXCESS)
    ).fillna(False).astype(bool)
    return result
