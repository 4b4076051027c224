"""The fitted trend of each annotator as a line to draw over the rolling curves: agreement
(nominal level) or distance to the others (scale levels)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.schema import ANNOTATOR


def fatigue_trend_lines(curves: pd.DataFrame, trends: pd.DataFrame, *, points: int = 40) -> pd.DataFrame:
    """The fitted logistic trend of each annotator, to draw over the rolling curves.

    Parameters
    ----------
    curves : DataFrame
        :func:`analysis.quality.fatigue_curves` output (``annotator``, ``position``).
    trends : DataFrame
        :func:`analysis.quality.fatigue_trends` output (``annotator``, ``slope``,
        ``intercept``); annotators whose slope is undefined get no line.
    points : int, default 40
        Positions per line, evenly spread from the first to the last judgement.

    Returns
    -------
    DataFrame
        ``annotator``, ``position`` (1-based) and ``fitted_agreement``, the model's
        probability of agreeing with the others' majority at that position.

    Examples
    --------
    >>> curves = pd.DataFrame({"annotator": ["x"] * 5, "position": [1, 2, 3, 4, 5]})
    >>> trends = pd.DataFrame({"annotator": ["x"], "slope": [-2.0], "intercept": [1.0]})
    >>> line = fatigue_trend_lines(curves, trends, points=3)
    >>> line["position"].tolist(), line["fitted_agreement"].round(3).tolist()
    ([1.0, 3.0, 5.0], [0.731, 0.5, 0.269])
    """
    last = curves.groupby(curves[ANNOTATOR].astype(str))["position"].max()
    fitted = trends.assign(**{ANNOTATOR: trends[ANNOTATOR].astype(str)})
    fitted = fitted[fitted["slope"].notna() & fitted["intercept"].notna() & fitted[ANNOTATOR].isin(last.index)]
    if fitted.empty:
        return pd.DataFrame({ANNOTATOR: pd.Series(dtype="string"), "position": [], "fitted_agreement": []})
    share = np.linspace(0.0, 1.0, points)
    ends = last.loc[fitted[ANNOTATOR]].to_numpy(dtype=float)
    positions = 1.0 + np.outer(ends - 1.0, share)
    log_odds = fitted["intercept"].to_numpy()[:, None] + fitted["slope"].to_numpy()[:, None] * share
    return pd.DataFrame(
        {
            ANNOTATOR: pd.Series(np.repeat(fitted[ANNOTATOR].to_numpy(), points), dtype="string"),
            "position": positions.ravel(),
            "fitted_agreement": (1.0 / (1.0 + np.exp(-log_odds))).ravel(),
        }
    )


def distance_trend_lines(curves: pd.DataFrame, trends: pd.DataFrame, *, points: int = 40) -> pd.DataFrame:
    """The fitted straight-line distance trend of each annotator, to draw over the rolling curves.

    Returns
    -------
    DataFrame
        ``annotator``, ``position`` and ``fitted_distance`` (``intercept + slope * share``).

    Examples
    --------
    >>> curves = pd.DataFrame({"annotator": ["x"] * 3, "position": [1, 2, 3]})
    >>> trends = pd.DataFrame({"annotator": ["x"], "slope": [0.5], "intercept": [1.0]})
    >>> distance_trend_lines(curves, trends, points=2)["fitted_distance"].tolist()
    [1.0, 1.5]
    """
    last = curves.groupby(curves[ANNOTATOR].astype(str))["position"].max()
    fitted = trends.assign(**{ANNOTATOR: trends[ANNOTATOR].astype(str)})
    fitted = fitted[fitted["slope"].notna() & fitted["intercept"].notna() & fitted[ANNOTATOR].isin(last.index)]
    if fitted.empty:
        return pd.DataFrame({ANNOTATOR: pd.Series(dtype="string"), "position": [], "fitted_distance": []})
    share = np.linspace(0.0, 1.0, points)
    ends = last.loc[fitted[ANNOTATOR]].to_numpy(dtype=float)
    positions = 1.0 + np.outer(ends - 1.0, share)
    values = fitted["intercept"].to_numpy()[:, None] + fitted["slope"].to_numpy()[:, None] * share
    return pd.DataFrame({
        ANNOTATOR: pd.Series(np.repeat(fitted[ANNOTATOR].to_numpy(), points), dtype="string"),
        "position": positions.ravel(),
        "fitted_distance": values.ravel(),
    })
