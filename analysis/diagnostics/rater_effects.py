"""Rater effects on a scale (ordinal, interval, ratio): leniency and drift.

On a rating scale the question is not "which label does this annotator favour" but
"does this annotator rate higher or lower than the others" (leniency / severity; Myford
& Wolfe 2003, Engelhard 1994) and "do they drift away from the others as they go on".

Scale positions
---------------
At ``interval`` and ``ratio`` levels a label stands for its number
(``ReliabilityData.values``); at ``ordinal`` level for its rank (0, 1, 2, ...), so
offsets are in scale steps.

Leniency (:func:`leniency_table`)
---------------------------------
For every judgement ``v_ij`` on an item that others also rated, the offset
``d_ij = v_ij - mean of the other annotators' values on item i``. An annotator's leniency
is the mean of their offsets: positive rates higher (lenient), negative lower (severe).
The 95% interval is Student's t over the annotator's items (``mean +/- t sd / sqrt(n)``),
the p-value that of the one-sample t-test of a zero mean, Holm-adjusted across annotators.

Flag rule: an annotator is flagged when the Holm-adjusted p-value is below 0.05 **and**
the offset is at least :data:`MIN_OFFSET_SHARE` (10%) of the scale's range (half a point
on a 0-5 scale) - a shift a stakeholder would notice, not only one a test detects.

Drift (:func:`distance_trends`)
-------------------------------
Each annotator's distance to the others - the absolute difference from the *median* of
the other annotators' values on the item, so that one drifting annotator does not drag
everyone else's distance up with them - along their own sequence (the order
of :func:`analysis.quality.fatigue.annotator_sequences`), regressed on the position scaled
to [0, 1] by least squares; the slope is the change in distance from the first to the
last judgement, in scale units, with a t interval. Flagged (``fatigue``) when the slope is
positive and its Holm-adjusted p-value is below 0.05. This replaces the exact-agreement
trend at non-nominal levels, where "one point off" and "four points off" are not the
same miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis import messages
from analysis.data.dataset import AnnotationDataset, as_dataset, level_of, reliability_of
from analysis.data.levels import Level
from analysis.data.note_columns import note_column
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ANNOTATOR
from analysis.metrics.result import Metric
from analysis.quality.fatigue import annotator_sequences
from analysis.quality.multitest import adjust_p_values

MIN_OFFSET_SHARE: Final = 0.10
MIN_ITEMS: Final = 10
MIN_TREND_ITEMS: Final = 30


def scale_positions(data: ReliabilityData, level: Level) -> npt.NDArray[np.float64]:
    """The number each label stands for at ``level``: values (interval, ratio) or ranks.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("ab"), "annotator": list("xx"), "label": ["1", "4"]})
    >>> data = ReliabilityData.from_table(table)
    >>> scale_positions(data, "interval").tolist(), scale_positions(data, "ordinal").tolist()
    ([1.0, 4.0], [0.0, 1.0])
    """
    if level == "ordinal":
        return np.arange(data.n_labels, dtype=float)
    return np.asarray(data.values, dtype=float)


def judgement_offsets(data: ReliabilityData, level: Level) -> pd.DataFrame:
    """Each judgement's offset from the other annotators' mean on the same item.

    Returns
    -------
    DataFrame
        ``item_index``, ``annotator_index``, ``offset`` (``v_ij`` minus the others' mean),
        one row per judgement on an item that at least one other annotator rated.
    """
    positions = scale_positions(data, level)
    rows, cols = data.item_index, data.annotator_index  # one entry per judgement
    value = positions[data.label_code]
    total = np.bincount(rows, weights=value, minlength=data.n_items)
    count = np.bincount(rows, minlength=data.n_items)
    others = count[rows] - 1
    keep = others > 0
    others_mean = (total[rows][keep] - value[keep]) / others[keep]
    return pd.DataFrame({
        "item_index": rows[keep], "annotator_index": cols[keep], "offset": value[keep] - others_mean,
    })


def _others_median(data: ReliabilityData, positions: np.ndarray) -> pd.DataFrame:
    """Each judgement's distance to the median of the other judgements on its item.

    Items' values are sorted into a padded matrix once (items x most judgements per item);
    leaving one's own value out shifts the indices above its rank by one, so every median
    is two lookups, whatever the number of annotators.
    """
    rows, cols = data.item_index, data.annotator_index  # one entry per judgement
    value = positions[data.label_code]
    count = np.bincount(rows, minlength=data.n_items)
    order = np.lexsort((value, rows))
    rows_sorted, value_sorted = rows[order], value[order]
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    rank_sorted = np.arange(rows.size) - start[rows_sorted]
    width = int(count.max(initial=1))
    matrix = np.full((data.n_items, width), np.nan)
    matrix[rows_sorted, rank_sorted] = value_sorted
    rank = np.empty(rows.size, dtype=np.int64)
    rank[order] = rank_sorted
    m = count[rows] - 1  # others
    keep = m > 0
    rows, cols, value, rank, m = rows[keep], cols[keep], value[keep], rank[keep], m[keep]

    def others_at(k: np.ndarray) -> np.ndarray:
        return matrix[rows, np.where(k < rank, k, k + 1)]

    median = 0.5 * (others_at((m - 1) // 2) + others_at(m // 2))
    return pd.DataFrame({"item_index": rows, "annotator_index": cols, "distance": np.abs(value - median)})


def _holm(p_values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return adjust_p_values(p_values, method="holm")  # NaN (untested) stays NaN


def _scale_level(source: AnnotationDataset | ReliabilityData, level: Level | None) -> Level:
    """The level to measure offsets at: the given or dataset's level; nominal means ranks."""
    if level is None and isinstance(source, ReliabilityData):
        return "interval"
    level = level_of(source, level)
    return "ordinal" if level == "nominal" else level


def leniency_table(data: AnnotationDataset | ReliabilityData, *, level: Level | None = None,
                   alpha: float = 0.05) -> pd.DataFrame:
    """Each annotator's mean offset from the others on the same items, with its interval.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
    level : {"ordinal", "interval", "ratio"}, optional
        Offsets are in label values (interval, ratio) or rank steps (ordinal); by default
        the dataset's level (interval for a bare matrix; nominal is taken as ordinal).
    alpha : float, default 0.05
        Family-wise error rate across annotators (Holm).

    Returns
    -------
    DataFrame
        One row per annotator: ``annotator``, ``items`` (judgements with a comparison),
        ``leniency`` (mean offset), ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted``,
        ``direction`` (``lenient``, ``severe`` or ``None``), ``flagged`` and ``note``.

    Examples
    --------
    >>> items = [str(i) for i in range(40) for _ in range(3)]
    >>> labels = [str(v) for i in range(40) for v in (i % 3, i % 3, i % 3 + 2)]
    >>> table = pd.DataFrame({"item_id": items, "annotator": list("xyz") * 40, "label": labels})
    >>> result = leniency_table(ReliabilityData.from_table(table))
    >>> result[["annotator", "leniency", "direction"]].values.tolist()
    [['x', -1.0, 'severe'], ['y', -1.0, 'severe'], ['z', 2.0, 'lenient']]
    """
    from scipy import stats  # here, not at import: scipy.stats costs a second of start-up

    level = _scale_level(data, level)
    data = reliability_of(data, function="leniency_table")
    offsets = judgement_offsets(data, level)
    positions = scale_positions(data, level)
    spread = float(np.ptp(positions)) if positions.size else 0.0
    j = offsets["annotator_index"].to_numpy()
    d = offsets["offset"].to_numpy()
    k = data.n_annotators
    n = np.bincount(j, minlength=k)
    total = np.bincount(j, weights=d, minlength=k)
    squares = np.bincount(j, weights=d * d, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        variance = np.where(n > 1, (squares - n * mean**2) / np.maximum(n - 1, 1), np.nan)
        se = np.sqrt(np.clip(variance, 0, None) / n)
        t_crit = stats.t.ppf(0.975, np.maximum(n - 1, 1))
        statistic = mean / se
        p = np.where(se > 0, 2 * stats.t.sf(np.abs(statistic), np.maximum(n - 1, 1)),
                     np.where(np.abs(mean) > 0, 0.0, 1.0))
    enough = n >= MIN_ITEMS
    p = np.where(enough, p, np.nan)
    adjusted = _holm(p)
    low = np.where(enough, mean - t_crit * se, np.nan)
    high = np.where(enough, mean + t_crit * se, np.nan)
    threshold = MIN_OFFSET_SHARE * spread
    with np.errstate(invalid="ignore"):
        flagged = (adjusted < alpha) & (np.abs(mean) >= threshold) & (threshold > 0)
    direction = np.where(flagged, np.where(mean > 0, "lenient", "severe"), None)
    notes = [None if ok else messages.note("leniency.too_few", count=int(count), minimum=MIN_ITEMS)
             for ok, count in zip(enough, n, strict=True)]
    return pd.DataFrame({
        ANNOTATOR: pd.Series([str(a) for a in data.annotators], dtype="string"),
        "items": n,
        "leniency": mean,
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "p_adjusted": adjusted,
        "direction": direction,
        "flagged": flagged.astype(bool),
        "note": note_column(notes),
    })


def leniency_metric(row: pd.Series, *, level: Level) -> Metric:
    """One row of :func:`leniency_table` as a report :class:`~analysis.metrics.result.Metric`."""
    if pd.isna(row["leniency"]):
        return Metric.undefined(messages.note("annotator.no_shared_rating"), n=int(row["items"]))
    note = messages.note("leniency.defined", unit=_unit(level))
    if pd.isna(row["ci_low"]):
        return Metric(row["leniency"], n=int(row["items"]),
                      note=messages.join([note, messages.note("leniency.no_interval", reason=row["note"])]))
    return Metric(row["leniency"], row["ci_low"], row["ci_high"], n=int(row["items"]),
                  note=messages.join([note, messages.note("leniency.t_interval", p=row["p_adjusted"])]))


def _unit(level: Level) -> messages.Note:
    """The unit of an offset or a slope at ``level``, as a note."""
    return messages.note("unit.rank_steps" if level == "ordinal" else "unit.label_values")


def distance_sequences(dataset: AnnotationDataset | pd.DataFrame, *, level: Level | None = None) -> pd.DataFrame:
    """Distance to the others along each annotator's sequence.

    Returns
    -------
    DataFrame
        ``annotator_index``, ``item_index``, ``position`` (0-based), ``scaled`` (position
        in [0, 1]) and ``distance`` (to the median of the others' values on the item),
        sorted by annotator and position;
        judgements without another rating on the item are left out.
    """
    dataset = as_dataset(dataset, function="distance_sequences")
    data, level = dataset.reliability, _scale_level(dataset, level)
    frame = annotator_sequences(dataset)
    offsets = _others_median(data, scale_positions(data, level))
    key = offsets["item_index"].to_numpy(np.int64) * data.n_annotators + offsets["annotator_index"].to_numpy()
    lookup = pd.Series(offsets["distance"].to_numpy(), index=key)
    frame_key = frame["item_index"].to_numpy(np.int64) * data.n_annotators + frame["annotator_index"].to_numpy()
    frame["distance"] = lookup.reindex(frame_key).to_numpy()
    last = frame.groupby("annotator_index")["position"].transform("max")
    frame["scaled"] = np.where(last > 0, frame["position"] / last.clip(lower=1), 0.0)
    return frame[frame["distance"].notna()].reset_index(drop=True)


def distance_curves(dataset: AnnotationDataset | pd.DataFrame, *, level: Level | None = None,
                    window: int = 50) -> pd.DataFrame:
    """Rolling mean distance to the others along each annotator's sequence.

    Returns
    -------
    DataFrame
        ``annotator``, ``position`` (1-based), ``distance`` and ``rolling_distance``.
    """
    dataset = as_dataset(dataset, function="distance_curves")
    data = dataset.reliability
    frame = distance_sequences(dataset, level=level)
    rolling = (frame.groupby("annotator_index")["distance"]
               .rolling(window, min_periods=max(1, window // 2)).mean()
               .reset_index(level=0, drop=True).sort_index())
    return pd.DataFrame({
        ANNOTATOR: pd.Series(data.annotators[frame["annotator_index"]], dtype="string"),
        "position": frame["position"].to_numpy() + 1,
        "distance": frame["distance"].to_numpy(),
        "rolling_distance": rolling.to_numpy(),
    })


def distance_trends(dataset: AnnotationDataset | pd.DataFrame, *, level: Level | None = None,
                    alpha: float = 0.05, min_items: int = MIN_TREND_ITEMS) -> pd.DataFrame:
    """Least-squares trend of the distance to the others over each annotator's sequence.

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.quality.fatigue_trends` (``annotator``, ``items``,
        ``slope``, ``ci_low``, ``ci_high``, ``p_value``, ``note``, ``p_adjusted``,
        ``fatigue``, ``intercept``), with the slope in scale units (distance at the last
        judgement minus at the first); ``fatigue`` flags a significant *increase*.
    """
    from scipy import stats  # here, not at import: scipy.stats costs a second of start-up

    dataset = as_dataset(dataset, function="distance_trends")
    data = dataset.reliability
    frame = distance_sequences(dataset, level=level)
    j = frame["annotator_index"].to_numpy()
    x = frame["scaled"].to_numpy()
    y = frame["distance"].to_numpy()
    k = data.n_annotators
    n = np.bincount(j, minlength=k).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.bincount(j, weights=x, minlength=k) / n
        my = np.bincount(j, weights=y, minlength=k) / n
        dx, dy = x - mx[j], y - my[j]
        sxx = np.bincount(j, weights=dx * dx, minlength=k)
        sxy = np.bincount(j, weights=dx * dy, minlength=k)
        slope = sxy / sxx
        intercept = my - slope * mx
        residual = y - intercept[j] - slope[j] * x
        ssr = np.bincount(j, weights=residual * residual, minlength=k)
        se = np.sqrt(ssr / np.maximum(n - 2, 1) / sxx)
        df = np.maximum(n - 2, 1)
        t_crit = stats.t.ppf(0.975, df)
        p = np.where(se > 0, 2 * stats.t.sf(np.abs(slope / se), df), np.nan)
    notes: list[str | None] = []
    for count, spread in zip(n, sxx, strict=True):
        if count < min_items:
            notes.append(messages.note("drift.too_few", count=int(count), minimum=min_items))
        elif not spread > 0:
            notes.append(messages.note("drift.one_position"))
        else:
            notes.append(None)
    ok = np.array([note is None for note in notes]) & np.isfinite(p)
    for index in np.flatnonzero(~ok & np.array([note is None for note in notes])):
        notes[index] = messages.note("drift.flat")
    nan = np.full(k, np.nan)
    result = pd.DataFrame({
        ANNOTATOR: pd.Series([str(a) for a in data.annotators], dtype="string"),
        "items": n.astype(int),
        "slope": np.where(ok, slope, nan),
        "ci_low": np.where(ok, slope - t_crit * se, nan),
        "ci_high": np.where(ok, slope + t_crit * se, nan),
        "p_value": np.where(ok, p, nan),
        "note": note_column(notes),
    })
    result["p_adjusted"] = _holm(result["p_value"].to_numpy(dtype=float))
    result["fatigue"] = ((result["p_adjusted"] < alpha) & (result["slope"] > 0)).fillna(False).astype(bool)
    result["intercept"] = np.where(ok, intercept, nan)
    return result


def distance_trend_metric(row: pd.Series, *, level: Level) -> Metric:
    """One row of :func:`distance_trends` as a report :class:`~analysis.metrics.result.Metric`."""
    if pd.isna(row["slope"]):
        return Metric.undefined(row["note"], n=int(row["items"]))
    return Metric(row["slope"], row["ci_low"], row["ci_high"], n=int(row["items"]),
                  note=messages.note("drift.trend", unit=_unit(level), p=row["p_adjusted"]))



@dataclass(frozen=True, eq=False)
class RaterEffects:
    """Leniency and drift of every annotator at one scale level (ordinal and above).

    Attributes
    ----------
    level : str
    leniency : DataFrame
        :func:`leniency_table` output.
    trends : DataFrame
        :func:`distance_trends` output.
    """

    level: Level
    leniency: pd.DataFrame
    trends: pd.DataFrame

    def sections(self) -> dict[str, dict]:
        """Per-annotator report fields: ``leniency`` (metric object), ``leniency_direction``,
        ``fatigue_slope`` (the distance trend) and the ``flags`` they set (``bias``,
        ``fatigue``)."""
        leniency = self.leniency.set_index(ANNOTATOR)
        trends = self.trends.set_index(ANNOTATOR)
        result: dict[str, dict] = {}
        for name in leniency.index:
            row, trend = leniency.loc[name], trends.loc[name]
            direction = row["direction"]
            result[str(name)] = {
                "leniency": leniency_metric(row, level=self.level).to_dict(),
                "leniency_direction": None if direction is None or pd.isna(direction) else str(direction),
                "fatigue_slope": distance_trend_metric(trend, level=self.level).to_dict(),
                "flags": {"bias": bool(row["flagged"]), "fatigue": bool(trend["fatigue"])},
            }
        return result


def rater_effects(dataset: AnnotationDataset | pd.DataFrame, *, level: Level | None = None) -> RaterEffects | None:
    """Leniency and drift at the dataset's level; None at the nominal level or without items.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"), "label": list("1213")})
    >>> effects = rater_effects(AnnotationDataset.from_table(table, level="interval"))
    >>> sections = effects.sections()
    >>> sections["y"]["leniency"]["value"], sections["y"]["flags"]
    (1.5, {'bias': False, 'fatigue': False})
    >>> rater_effects(AnnotationDataset.from_table(table)) is None
    True
    """
    dataset = as_dataset(dataset, function="rater_effects")
    level = level_of(dataset, level)
    if level == "nominal" or dataset.reliability.n_items == 0:
        return None
    return RaterEffects(level, leniency_table(dataset, level=level), distance_trends(dataset, level=level))
