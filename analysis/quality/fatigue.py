"""Fatigue: agreement with the others' majority along each annotator's own sequence.

Each annotator's judgements are ordered by timestamp when the table has timestamps
(rows without one keep their table order, after the timed ones), else by table row
order. The outcome per judgement is agreement with the leave-one-out majority (items
where the others tie are skipped).

Flag rule
---------
A logistic regression ``agree ~ 1 + position`` (statsmodels GLM, binomial family) is
fitted per annotator with ``position`` scaled to [0, 1], so the slope is the change in
log-odds of agreeing from their first to their last judgement. The two-sided Wald
p-values of the slopes are adjusted for the number of annotators tested (Holm by
default). An annotator is flagged when the adjusted p-value is below ``alpha`` (0.05)
*and* the slope is negative. Annotators with fewer than ``min_items`` compared
judgements, or with all-agree / all-disagree outcomes (perfect separation), get an
undefined slope and are not tested.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.dataset import AnnotationDataset, as_dataset
from analysis.errors import AnnotationDataError, UsageError
from analysis.metric import Metric
from analysis.quality.annotators import loo_agreement_matrix
from analysis.schema import ANNOTATOR, ITEM, TIMESTAMP, has_values
from analysis.validation import check_option

CorrectionMethod = Literal["holm", "bonferroni"]


def annotator_sequences(dataset: AnnotationDataset | pd.DataFrame) -> pd.DataFrame:
    """Each judgement's place in its annotator's sequence.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (or a canonical table, converted once).

    Returns
    -------
    DataFrame
        Columns ``annotator_index``, ``item_index`` (positions in ``data``), ``row``
        (position in ``table``) and
        ``position`` (0-based within the annotator), sorted by annotator and position.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("abab"), "annotator": list("xxyy"),
    ...                       "label": list("pnpn")})
    >>> annotator_sequences(AnnotationDataset.from_table(table))["position"].tolist()
    [0, 1, 0, 1]
    """
    dataset = as_dataset(dataset, function="annotator_sequences")
    table, data = dataset.table, dataset.reliability
    item_index = pd.Index(data.items.astype(str)).get_indexer(table[ITEM].astype(str))
    annotator_index = pd.Index(data.annotators.astype(str)).get_indexer(
        table[ANNOTATOR].astype(str)
    )
    unknown = np.flatnonzero((item_index < 0) | (annotator_index < 0))
    if unknown.size:
        raise AnnotationDataError(
            "the table holds items or annotators that the reliability data does not",
            location=f"row {int(unknown[0]) + 2}",
            fix="build the reliability data from this same table",
        )
    frame = pd.DataFrame(
        {"annotator_index": annotator_index, "item_index": item_index, "row": np.arange(len(table))}
    )
    sort_by = ["annotator_index", "row"]
    if has_values(table, TIMESTAMP):
        frame["time"] = pd.to_datetime(table[TIMESTAMP], utc=True).to_numpy()
        sort_by = ["annotator_index", "time", "row"]
    frame = frame.sort_values(sort_by, na_position="last", kind="stable")
    frame["position"] = frame.groupby("annotator_index").cumcount()
    return frame[["annotator_index", "item_index", "row", "position"]].reset_index(drop=True)


def _sequence_outcomes(dataset: AnnotationDataset) -> pd.DataFrame:
    frame = annotator_sequences(dataset)
    agree = loo_agreement_matrix(dataset.reliability)
    frame["agree"] = agree[frame["item_index"].to_numpy(), frame["annotator_index"].to_numpy()]
    length = frame.groupby("annotator_index")["position"].transform("max")
    frame["scaled"] = np.where(length > 0, frame["position"] / length.clip(lower=1), 0.0)
    return frame


def fatigue_curves(dataset: AnnotationDataset | pd.DataFrame, *, window: int = 50) -> pd.DataFrame:
    """Rolling agreement with the others' majority along each annotator's sequence.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (its table gives the order and timestamps); a canonical table is
        converted once.
    window : int, default 50
        Judgements per rolling window; at least half of a window must be compared
        judgements for a value.

    Returns
    -------
    DataFrame
        Columns ``annotator``, ``position`` (1-based), ``item_id``, ``agree`` (1/0,
        NaN where not compared) and ``rolling_agreement``.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyz") * 2,
    ...                       "label": list("pppnnp")})
    >>> curves = fatigue_curves(AnnotationDataset.from_table(table), window=2)
    >>> curves[curves["annotator"] == "z"]["rolling_agreement"].tolist()
    [1.0, 0.5]
    """
    if not isinstance(window, int | np.integer) or window < 1:
        raise UsageError(f"The 'window' parameter of fatigue_curves must be an int >= 1. Got {window!r} instead",
                         option="window")
    dataset = as_dataset(dataset, function="fatigue_curves")
    data = dataset.reliability
    frame = _sequence_outcomes(dataset)
    rolling = (
        frame.groupby("annotator_index")["agree"]
        .rolling(window, min_periods=max(1, window // 2))
        .mean()
        .reset_index(level=0, drop=True)
    )
    return pd.DataFrame(
        {
            ANNOTATOR: pd.Series(data.annotators[frame["annotator_index"]], dtype="string"),
            "position": frame["position"].to_numpy() + 1,
            ITEM: pd.Series(data.items[frame["item_index"]], dtype="string"),
            "agree": frame["agree"].to_numpy(),
            "rolling_agreement": rolling.sort_index().to_numpy(),
        }
    )


def _logistic_slope(
    scaled: npt.NDArray[np.float64], agree: npt.NDArray[np.float64], *, min_items: int
) -> tuple[float, float, float, float, float] | str:
    """(slope, ci_low, ci_high, p, intercept) or a reason why the trend is undefined."""
    if agree.size < min_items:
        return f"only {agree.size} compared judgements (at least {min_items} needed)"
    if agree.min() == agree.max():
        every = "agrees" if agree[0] == 1 else "disagrees"
        return f"every compared judgement {every} with the others' majority, so there is no trend to fit"
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    design = sm.add_constant(scaled, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fit = sm.GLM(agree, design, family=sm.families.Binomial()).fit()
        except (PerfectSeparationWarning, np.linalg.LinAlgError, ValueError):
            return "agreement is perfectly separated by position, so the slope is not estimable"
    intercept, slope, p_value = float(fit.params[0]), float(fit.params[1]), float(fit.pvalues[1])
    low, high = (float(x) for x in fit.conf_int()[1])
    if not np.isfinite([slope, p_value, low, high, intercept]).all():
        return "the logistic fit did not give a finite slope"
    return slope, low, high, p_value, intercept


def fatigue_trends(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    alpha: float = 0.05,
    correction: CorrectionMethod = "holm",
    min_items: int = 30,
) -> pd.DataFrame:
    """Logistic trend of agreement over each annotator's sequence, with the flag rule.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (a canonical table is converted once).
    alpha : float, default 0.05
        Family-wise error rate across the annotators tested.
    correction : {"holm", "bonferroni"}, default "holm"
        Multiple-testing correction (``statsmodels.stats.multitest.multipletests``).
    min_items : int, default 30
        Fewest compared judgements for a trend to be fitted.

    Returns
    -------
    DataFrame
        One row per annotator: ``annotator``, ``items`` (compared judgements),
        ``slope`` (log-odds change from first to last judgement), ``ci_low``,
        ``ci_high`` (95% Wald), ``p_value``, ``p_adjusted``, ``fatigue`` (flag),
        ``note`` (why the slope is undefined, when it is) and ``intercept`` (log-odds of
        agreeing at the first judgement), so the fitted trend is
        ``expit(intercept + slope * (position - 1) / (last position - 1))``.
    """
    from statsmodels.stats.multitest import multipletests

    check_option("correction", correction, ("holm", "bonferroni"), function="fatigue_trends")
    dataset = as_dataset(dataset, function="fatigue_trends")
    data = dataset.reliability
    frame = _sequence_outcomes(dataset)
    frame = frame[frame["agree"].notna()]
    groups = dict(tuple(frame.groupby("annotator_index")))
    rows = []
    for j, name in enumerate(data.annotators):
        part = groups.get(j)
        scaled = part["scaled"].to_numpy() if part is not None else np.empty(0)
        agree = part["agree"].to_numpy() if part is not None else np.empty(0)
        fit = _logistic_slope(scaled, agree, min_items=min_items)
        row = {ANNOTATOR: str(name), "items": int(agree.size)}
        if isinstance(fit, str):
            row.update(slope=np.nan, ci_low=np.nan, ci_high=np.nan, p_value=np.nan, note=fit, intercept=np.nan)
        else:
            row.update(zip(("slope", "ci_low", "ci_high", "p_value", "intercept"), fit, strict=True), note=None)
        rows.append(row)
    result = pd.DataFrame(
        rows, columns=[ANNOTATOR, "items", "slope", "ci_low", "ci_high", "p_value", "note", "intercept"]
    )
    intercept = result.pop("intercept")
    result[ANNOTATOR] = result[ANNOTATOR].astype("string")
    tested = result["p_value"].notna().to_numpy()
    adjusted = np.full(len(result), np.nan)
    if tested.any():
        adjusted[tested] = multipletests(result.loc[tested, "p_value"], alpha=alpha, method=correction)[1]
    result["p_adjusted"] = adjusted
    result["fatigue"] = (adjusted < alpha) & (result["slope"].to_numpy() < 0)
    result["intercept"] = intercept  # last, so the earlier columns keep their places
    return result


def fatigue_metric(row: pd.Series, *, correction: CorrectionMethod = "holm") -> Metric:
    """One row of :func:`fatigue_trends` as a report :class:`~analysis.metric.Metric`."""
    if pd.isna(row["slope"]):
        return Metric.undefined(str(row["note"]), n=int(row["items"]))
    return Metric(
        row["slope"],
        row["ci_low"],
        row["ci_high"],
        n=int(row["items"]),
        note=(
            "logistic regression of agreement with the leave-one-out majority on sequence "
            "position scaled to [0, 1] (slope in log-odds, first to last judgement); "
            f"{correction.capitalize()}-adjusted p={row['p_adjusted']:.3g}"
        ),
    )
