"""Bootstrap percentile intervals and the :class:`~analysis.metrics.result.Metric` built on them.

One set of rules for every interval the product reports: 95% percentile intervals of
item-bootstrap replicates; no interval for fewer than ``MIN_ITEMS_FOR_CI`` units (items
with two or more judgements, for agreement), and none when the value is undefined in
most resamples. The note of each :class:`~analysis.metrics.result.Metric` says which applied.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analysis.messages import Note, join, note
from analysis.metrics.patterns import resample_weights
from analysis.metrics.result import Metric

MIN_ITEMS_FOR_CI: int = 10
"""Fewer items with two or more judgements than this: no interval is reported."""

CI_LEVEL: float = 0.95


def percentile_interval(
    replicates: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """95% percentile interval over axis 0, ignoring undefined (NaN) replicates.

    Returns
    -------
    low, high : ndarray, shape replicates.shape[1:]
        NaN where fewer than half of the replicates are defined.
    n_defined : ndarray of int
        Defined replicates per statistic.

    Examples
    --------
    >>> low, high, n = percentile_interval(np.arange(101.0))
    >>> float(low), float(high), int(n)
    (2.5, 97.5, 101)
    """
    values = np.asarray(replicates, dtype=float)
    finite = np.isfinite(values)
    n_defined = finite.sum(axis=0)
    tail = (1.0 - CI_LEVEL) / 2.0
    enough = n_defined * 2 >= max(values.shape[0], 1)
    shape = values.shape[1:]
    if values.shape[0] == 0:
        empty = np.full(shape, np.nan)
        return empty, empty.copy(), np.zeros(shape, dtype=np.int64)
    # Undefined replicates sort last (as +inf), so they never move the kept percentiles.
    sorted_values = np.sort(np.where(finite, values, np.inf), axis=0)
    low = _interpolate(sorted_values, tail * (n_defined - 1))
    high = _interpolate(sorted_values, (1.0 - tail) * (n_defined - 1))
    low = np.where(enough, low, np.nan)
    high = np.where(enough, high, np.nan)
    return low, high, n_defined.astype(np.int64)


def _interpolate(sorted_values: np.ndarray, position: np.ndarray) -> np.ndarray:
    position = np.clip(np.asarray(position, dtype=float), 0, None)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, sorted_values.shape[0] - 1)
    fraction = position - below
    lower = np.take_along_axis(sorted_values, below[None, ...], axis=0)[0]
    upper = np.take_along_axis(sorted_values, above[None, ...], axis=0)[0]
    with np.errstate(invalid="ignore"):
        return np.where(fraction > 0, lower + fraction * (upper - lower), lower)


# What ``n`` counts, as a note part (another unit is written as it is)
_UNITS: dict[str, str] = {"items": "unit.items", "documents": "unit.documents",
                          "shared items": "unit.shared_items"}
_PAIRABLE = "items with two or more judgements"


def interval_note(n_replicates: int, seed: int, n_defined: int) -> str:
    """How a bootstrap interval was computed, in one phrase.

    Examples
    --------
    >>> interval_note(1000, 0, 998)
    '95% bootstrap percentile interval, 1000 resamples of items (seed 0); 2 resamples where the value is undefined left out'
    """
    drawn = note("interval.percentile", resamples=n_replicates, seed=seed)
    if n_defined < n_replicates:
        return join([drawn, note("interval.undefined_left_out", count=n_replicates - n_defined)])
    return drawn


def too_few_note(unit: str) -> Note:
    """The note of a value with too few ``unit`` for an interval.

    Examples
    --------
    >>> too_few_note("documents")
    'no interval: fewer than 10 documents'
    """
    if unit == _PAIRABLE:
        return note("interval.too_few_pairable", minimum=MIN_ITEMS_FOR_CI)
    code = _UNITS.get(unit)
    return note("interval.too_few", minimum=MIN_ITEMS_FOR_CI, unit=note(code) if code else unit)


def with_interval(
    value: float,
    replicates: npt.NDArray[np.float64] | None,
    *,
    n: int,
    n_replicates: int,
    seed: int,
    extra: str | None = None,
    unit: str = _PAIRABLE,
) -> Metric:
    """A defined value with its percentile interval (or the reason it has none).

    Parameters
    ----------
    value : float
        The estimate.
    replicates : ndarray of shape (n_replicates,), or None
        Bootstrap replicates (NaN where undefined); ``None`` when none were drawn.
    n : int
        Units the value rests on; below ``MIN_ITEMS_FOR_CI`` no interval is given.
    n_replicates, seed : int
        As drawn, for the note.
    extra : str, optional
        A note that comes first (how the value was obtained).
    unit : str
        What ``n`` counts, for the note when there are too few.

    Examples
    --------
    >>> with_interval(0.5, None, n=4, n_replicates=100, seed=0).note
    'no interval: fewer than 10 items with two or more judgements'
    """
    parts = [extra] if extra else []
    low = high = None
    if n < MIN_ITEMS_FOR_CI:
        parts.append(too_few_note(unit))
    elif replicates is None or n_replicates <= 0:
        parts.append(note("interval.disabled"))
    else:
        lows, highs, defined = percentile_interval(replicates)
        if np.isfinite(lows):
            low, high = float(lows), float(highs)
            parts.append(interval_note(n_replicates, seed, int(defined)))
        else:
            parts.append(note("interval.mostly_undefined"))
    return Metric(value, low, high, n=n, note=join(parts))


def mean_with_interval(
    values: npt.NDArray[np.float64], *, n_replicates: int, seed: int, extra: str | None = None
) -> Metric:
    """The mean of ``values`` with a 95% bootstrap interval over the values (units).

    Units with the same value are resampled as one group (see
    :func:`~analysis.metrics.patterns.resample_weights`), so 0/1 outcomes cost two
    groups, not one column per unit.

    Examples
    --------
    >>> metric = mean_with_interval(np.array([1.0] * 80 + [0.0] * 20), n_replicates=500, seed=0)
    >>> metric.value, 0.7 < metric.ci_low < 0.8 < metric.ci_high < 0.9
    (0.8, True)
    >>> mean_with_interval(np.array([]), n_replicates=10, seed=0).note
    'no values'
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return Metric.undefined(note("values.none"))
    distinct, frequency = np.unique(values, return_counts=True)
    weights = list(resample_weights(frequency, n_replicates, seed=seed))
    replicates = np.concatenate([w @ distinct for w in weights]) / values.size if weights else None
    return with_interval(float(values.mean()), replicates, n=values.size,
                         n_replicates=n_replicates, seed=seed, extra=extra, unit="items")
