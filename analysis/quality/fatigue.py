"""Fatigue: agreement with the others' majority along each annotator's own sequence.

Each annotator's judgements are ordered by timestamp when the table has timestamps
(rows without one keep their table order, after the timed ones), else by table row
order. The outcome per judgement is agreement with the leave-one-out majority (items
where the others tie are skipped).

Flag rule
---------
A logistic regression ``agree ~ 1 + position`` (the binomial GLM of statsmodels: the
maximum-likelihood fit and its Wald statistics, computed for every annotator at once by
Newton's method; annotators whose fit does not converge cleanly, e.g. near perfect
separation, go through statsmodels itself) is fitted per annotator with ``position`` scaled to [0, 1], so the slope is the change in
log-odds of agreeing from their first to their last judgement. The two-sided Wald
p-values of the slopes are adjusted for the number of annotators tested (Holm by
default). An annotator is flagged when the adjusted p-value is below ``alpha`` (0.05)
*and* the slope is negative. Annotators with fewer than ``min_items`` compared
judgements, or with all-agree / all-disagree outcomes (perfect separation), get an
undefined slope and are not tested.
"""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Interval, check_param
from analysis.base.validation import check_option
from analysis.base.warning_filters import filtered_warnings
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.data.note_columns import keep_note_columns
from analysis.data.schema import ANNOTATOR, ITEM, TIMESTAMP, has_values
from analysis.messages import note
from analysis.metrics.result import Metric
from analysis.quality.annotators import loo_agreement_per_judgement
from analysis.quality.multitest import adjust_p_values

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
    item_index = _positions(data.items, table[ITEM])
    annotator_index = _positions(data.annotators, table[ANNOTATOR])
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


def _positions(names: npt.NDArray[np.object_], column: pd.Series) -> npt.NDArray[np.int64]:
    """``pd.Index(names.astype(str)).get_indexer(column.astype(str))``, looking each
    distinct value of the column up once (a crowd table repeats each item and
    annotator many times)."""
    codes, distinct = pd.factorize(column.astype(str), use_na_sentinel=False)
    found = pd.Index(names.astype(str)).get_indexer(distinct)
    return found[codes].astype(np.int64) if codes.size else np.empty(0, dtype=np.int64)


def _sequence_outcomes(dataset: AnnotationDataset) -> pd.DataFrame:
    frame = annotator_sequences(dataset)
    data = dataset.reliability
    agree = loo_agreement_per_judgement(data)
    keys = data.item_index * max(data.n_annotators, 1) + data.annotator_index
    wanted = frame["item_index"].to_numpy() * max(data.n_annotators, 1) + frame["annotator_index"].to_numpy()
    if keys.size == wanted.size:
        # one row per judgement (the usual case): each row's judgement is its rank
        # among the wanted keys, checked below (cheaper than a search per row)
        where = np.empty(wanted.size, dtype=np.int64)
        where[np.argsort(wanted)] = np.arange(wanted.size)
        if not np.array_equal(keys[where], wanted):
            where = np.searchsorted(keys, wanted)
    else:
        where = np.searchsorted(keys, wanted)
    frame["agree"] = agree[where] if keys.size else np.empty(0)
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
    check_param("window", window, [Interval(Integral, 1, None, closed="left")], function="fatigue_curves")
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


SEPARATED: Final = note("fatigue.separated")


def _logistic_slope(
    scaled: npt.NDArray[np.float64], agree: npt.NDArray[np.float64], *, min_items: int
) -> tuple[float, float, float, float, float] | str:
    """(slope, ci_low, ci_high, p, intercept) or a reason why the trend is undefined."""
    if agree.size < min_items:
        return note("fatigue.too_few", count=int(agree.size), minimum=min_items)
    if agree.min() == agree.max():
        return note("fatigue.all_agree" if agree[0] == 1 else "fatigue.all_disagree")
    disagree_at, agree_at = scaled[agree == 0], scaled[agree == 1]
    if disagree_at.max() < agree_at.min() or agree_at.max() < disagree_at.min():
        # Complete separation: a threshold on position splits agreeing from disagreeing
        # judgements, so the likelihood grows without bound as the slope does and there is
        # no estimate. Said here without importing statsmodels (most of a second), whose
        # fit ends in the same verdict (PerfectSeparationWarning, checked in the tests).
        return SEPARATED
    # The GLM module itself, not statsmodels.api (which imports time series, formulas and
    # graphics too: seconds on a cold start).
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    design = np.column_stack([np.ones_like(scaled), scaled])
    with filtered_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fit = GLM(agree, design, family=Binomial()).fit()
        except (PerfectSeparationWarning, np.linalg.LinAlgError, ValueError):
            return SEPARATED
    intercept, slope, p_value = float(fit.params[0]), float(fit.params[1]), float(fit.pvalues[1])
    low, high = (float(x) for x in fit.conf_int()[1])
    if not np.isfinite([slope, p_value, low, high, intercept]).all():
        return note("fatigue.not_finite")
    return slope, low, high, p_value, intercept


def _newton_fits(
    group: npt.NDArray[np.int64], x: npt.NDArray[np.float64], y: npt.NDArray[np.float64],
    n_groups: int, *, max_iter: int = 100,
) -> tuple[np.ndarray, ...]:
    """Logistic ``y ~ 1 + x`` per group by Newton's method, all groups at once.

    Returns intercept, slope, their covariance entries (var0, cov01, var1) and a mask of
    the groups whose fit converged with a finite, well-conditioned information matrix.
    """
    b0, b1 = np.zeros(n_groups), np.zeros(n_groups)
    converged = np.zeros(n_groups, dtype=bool)
    # the entries of groups still iterating (a group's sums keep their order, so each
    # group's Newton steps are the same as over all entries)
    g, gx, gy = group, x, y
    for _ in range(max_iter):
        eta = b0[g] + b1[g] * gx
        mu = 1.0 / (1.0 + np.exp(-eta))
        w = mu * (1.0 - mu)
        r = gy - mu
        g0 = np.bincount(g, weights=r, minlength=n_groups)
        g1 = np.bincount(g, weights=r * gx, minlength=n_groups)
        h00 = np.bincount(g, weights=w, minlength=n_groups)
        h01 = np.bincount(g, weights=w * gx, minlength=n_groups)
        h11 = np.bincount(g, weights=w * gx * gx, minlength=n_groups)
        det = h00 * h11 - h01**2
        with np.errstate(invalid="ignore", divide="ignore"):
            step0 = (h11 * g0 - h01 * g1) / det
            step1 = (h00 * g1 - h01 * g0) / det
        step0 = np.where(converged, 0.0, step0)
        step1 = np.where(converged, 0.0, step1)
        b0, b1 = b0 + step0, b1 + step1
        converged |= (np.abs(step0) < 1e-10) & (np.abs(step1) < 1e-10)
        if converged.all() or not np.isfinite(step0[~converged]).any():
            break
        active = ~converged[g]
        if active.sum() < 0.75 * g.size:
            g, gx, gy = g[active], gx[active], gy[active]
    eta = b0[group] + b1[group] * x
    mu = 1.0 / (1.0 + np.exp(-eta))
    w = mu * (1.0 - mu)
    h00 = np.bincount(group, weights=w, minlength=n_groups)
    h01 = np.bincount(group, weights=w * x, minlength=n_groups)
    h11 = np.bincount(group, weights=w * x * x, minlength=n_groups)
    det = h00 * h11 - h01**2
    with np.errstate(invalid="ignore", divide="ignore"):
        var0, cov01, var1 = h11 / det, -h01 / det, h00 / det
        fitted_away = np.bincount(group, weights=np.abs(mu - y), minlength=n_groups)
    ok = (converged & np.isfinite(b0) & np.isfinite(b1) & (var1 > 0) & np.isfinite(var1)
          & (np.abs(b1) < 30) & (np.abs(b0) < 30) & (fitted_away > 1e-6))
    return b0, b1, var0, cov01, var1, ok


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
        Multiple-testing correction (:func:`analysis.quality.multitest.adjust_p_values`).
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
    check_option("correction", correction, ("holm", "bonferroni"), function="fatigue_trends")
    from scipy.special import ndtr, ndtri  # the normal CDF and its inverse

    dataset = as_dataset(dataset, function="fatigue_trends")
    data = dataset.reliability
    frame = _sequence_outcomes(dataset)
    frame = frame[frame["agree"].notna()]
    group = frame["annotator_index"].to_numpy().astype(np.int64)
    scaled_all, agree_all = frame["scaled"].to_numpy(float), frame["agree"].to_numpy(float)
    n_groups = data.n_annotators
    size = np.bincount(group, minlength=n_groups)
    agreed = np.bincount(group, weights=agree_all, minlength=n_groups)
    fit_now = (size >= min_items) & (agreed > 0) & (agreed < size)
    chosen = fit_now[group]
    b0, b1, _, _, var1, ok = _newton_fits(np.searchsorted(np.flatnonzero(fit_now), group[chosen]),
                                          scaled_all[chosen], agree_all[chosen], int(fit_now.sum()))
    fast: dict[int, tuple[float, float, float, float, float]] = {}
    z = float(ndtri(0.975))
    with np.errstate(invalid="ignore"):
        se_all = np.sqrt(var1)
        p_all = 2 * ndtr(-np.abs(b1 / se_all))
    for index, j in enumerate(np.flatnonzero(fit_now)):
        if ok[index]:
            se, slope = float(se_all[index]), float(b1[index])
            fast[int(j)] = (slope, slope - z * se, slope + z * se, float(p_all[index]), float(b0[index]))
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    rows = []
    for j, name in enumerate(data.annotators):
        if j in fast:
            fit: tuple[float, float, float, float, float] | str = fast[j]
            size_j = int(size[j])
        elif size[j] < min_items:  # the reasons _logistic_slope gives, without slicing
            size_j = int(size[j])
            fit = note("fatigue.too_few", count=size_j, minimum=min_items)
        elif agreed[j] in (0, size[j]):
            size_j = int(size[j])
            fit = note("fatigue.all_agree" if agreed[j] == size[j] else "fatigue.all_disagree")
        else:
            part = order[bounds[j]:bounds[j + 1]]
            scaled, agree = scaled_all[part], agree_all[part]
            fit = _logistic_slope(scaled, agree, min_items=min_items)
            size_j = int(agree.size)
        row = {ANNOTATOR: str(name), "items": size_j}
        if isinstance(fit, str):
            row.update(slope=np.nan, ci_low=np.nan, ci_high=np.nan, p_value=np.nan, note=fit, intercept=np.nan)
        else:
            row.update(zip(("slope", "ci_low", "ci_high", "p_value", "intercept"), fit, strict=True), note=None)
        rows.append(row)
    result = keep_note_columns(pd.DataFrame(
        rows, columns=[ANNOTATOR, "items", "slope", "ci_low", "ci_high", "p_value", "note", "intercept"]
    ), rows, ["note"])
    intercept = result.pop("intercept")
    result[ANNOTATOR] = result[ANNOTATOR].astype("string")
    tested = result["p_value"].notna().to_numpy()
    adjusted = np.full(len(result), np.nan)
    if tested.any():
        adjusted[tested] = adjust_p_values(result.loc[tested, "p_value"], method=correction)
    result["p_adjusted"] = adjusted
    result["fatigue"] = (adjusted < alpha) & (result["slope"].to_numpy() < 0)
    result["intercept"] = intercept  # last, so the earlier columns keep their places
    return result


def fatigue_metric(row: pd.Series | dict, *, correction: CorrectionMethod = "holm") -> Metric:
    """One row of :func:`fatigue_trends` as a report :class:`~analysis.metrics.result.Metric`."""
    if pd.isna(row["slope"]):
        return Metric.undefined(row["note"], n=int(row["items"]))
    return Metric(
        row["slope"],
        row["ci_low"],
        row["ci_high"],
        n=int(row["items"]),
        note=note("fatigue.slope", correction=correction.capitalize(), p=row["p_adjusted"]),

    )
