"""Bootstrap over units (items or documents) for statistics that are ratios of sums.

Every multi-label and span statistic here is a function of sums over units of per-unit
quantities, so a resample is a weight vector over units and its sums are one matrix
product: ``weights @ per_unit``. The weights come from the same multinomial draws as every
other interval in the product (:func:`analysis.metrics.patterns.resample_weights`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from analysis.metric import Metric
from analysis.metrics.intervals import with_interval
from analysis.metrics.patterns import resample_weights

FloatArray = npt.NDArray[np.float64]


def replicate_sums(per_unit: FloatArray, *, n_replicates: int, seed: int) -> FloatArray:
    """Sums of the per-unit quantities on each bootstrap resample of the units.

    Parameters
    ----------
    per_unit : ndarray, shape (n_units, k)
    n_replicates, seed : int

    Returns
    -------
    ndarray, shape (n_replicates, k)
        Empty (0, k) when ``n_replicates`` is 0 or there is no unit.

    Examples
    --------
    >>> sums = replicate_sums(np.ones((5, 2)), n_replicates=3, seed=0)
    >>> sums.tolist()
    [[5.0, 5.0], [5.0, 5.0], [5.0, 5.0]]
    """
    per_unit = np.asarray(per_unit, dtype=float)
    chunks = [weights @ per_unit for weights in resample_weights(
        np.ones(per_unit.shape[0], dtype=np.int64), n_replicates, seed=seed)]
    return np.concatenate(chunks) if chunks else np.empty((0, per_unit.shape[1]))


def ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator``, NaN where the denominator is 0.

    Examples
    --------
    >>> ratio(np.array([1.0, 1.0]), np.array([2.0, 0.0])).tolist()
    [0.5, nan]
    """
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def metrics_from_sums(
    per_unit: FloatArray,
    statistic: Callable[[FloatArray], FloatArray],
    *,
    n: int,
    n_replicates: int,
    seed: int,
    undefined: str,
    unit: str = "items",
    extra: str | None = None,
) -> list[Metric]:
    """One :class:`Metric` per output of ``statistic`` (sums -> values), with intervals.

    Parameters
    ----------
    per_unit : ndarray, shape (n_units, k)
        Per-unit quantities whose sums the statistic reads.
    statistic : callable
        Maps sums of shape ``(..., k)`` to values of shape ``(..., m)``.
    n : int
        Units the values rest on (for the note and the minimum for an interval).
    undefined : str
        Note for a value that is not defined.

    Examples
    --------
    >>> per_unit = np.array([[1.0, 2.0]] * 12)
    >>> [m.value for m in metrics_from_sums(per_unit, lambda s: s[..., :1] / s[..., 1:],
    ...                                     n=12, n_replicates=50, seed=0, undefined="none")]
    [0.5]
    """
    per_unit = np.asarray(per_unit, dtype=float)
    values = np.atleast_1d(statistic(per_unit.sum(axis=0)))
    replicates = None
    if n_replicates > 0 and per_unit.shape[0] > 0:
        replicates = np.atleast_2d(statistic(replicate_sums(per_unit, n_replicates=n_replicates,
                                                            seed=seed)))
    out = []
    for k, value in enumerate(values):
        if not np.isfinite(value):
            out.append(Metric.undefined(undefined, n=n))
            continue
        column = None if replicates is None else replicates[:, k]
        out.append(with_interval(float(value), column, n=n, n_replicates=n_replicates,
                                 seed=seed, extra=extra, unit=unit))
    return out
