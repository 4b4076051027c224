"""Krippendorff's alpha from votes per item, with its item bootstrap: one entry point for
every part of the product that needs alpha on a subset of judgements (without one
annotator, per round, per annotator group, between group majorities).

Alpha depends only on the items with two or more judgements (*pairable* items), so those
are the units resampled here, and ``n`` of the result counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import numpy.typing as npt

from analysis.base.blas import one_blas_thread
from analysis.base.errors import UsageError
from analysis.base.params import Interval, check_param
from analysis.base.validation import check_counts
from analysis.data.levels import Level, check_level
from analysis.messages import note
from analysis.metrics.intervals import MIN_ITEMS_FOR_CI, with_interval
from analysis.metrics.multi_rater import VoteFeatures, krippendorff_alpha
from analysis.metrics.patterns import ItemPatterns, bootstrap
from analysis.metrics.result import Metric

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class AlphaInterval:
    """Alpha with its interval, and the bootstrap replicates behind the interval.

    Attributes
    ----------
    metric : Metric
        Alpha (``n``: pairable items), or why it is undefined.
    replicates : ndarray, shape (n_replicates,)
        Alpha on each resample (NaN where undefined); empty when no resample was drawn.
        Two estimates drawn with their own seeds can be paired replicate by replicate
        (e.g. the change of alpha between two independent rounds).
    """

    metric: Metric
    replicates: FloatArray


def _pairable_patterns(counts: npt.NDArray[np.integer]) -> ItemPatterns:
    counts = np.asarray(counts, dtype=np.int64)
    return ItemPatterns.from_counts(counts[counts.sum(axis=1) >= 2])


def nominal_alpha(counts: npt.NDArray[np.integer]) -> float:
    """Krippendorff's alpha at the nominal level from votes per item and label.

    Parameters
    ----------
    counts : ndarray of int, shape (n_items, n_labels)
        Votes per item and label; items with fewer than two votes are not pairable.

    Returns
    -------
    float
        Alpha, or NaN when undefined (no pairable item, or one label only).

    Examples
    --------
    Krippendorff (2011), nominal example with 12 units and 4 coders: alpha = 0.743.

    >>> votes = np.array([[3, 0, 0, 0, 0], [0, 3, 1, 0, 0], [0, 0, 4, 0, 0], [0, 0, 4, 0, 0],
    ...                   [0, 4, 0, 0, 0], [1, 1, 1, 1, 0], [0, 0, 0, 4, 0], [3, 1, 0, 0, 0],
    ...                   [0, 4, 0, 0, 0], [0, 0, 0, 0, 3], [2, 0, 0, 0, 0], [0, 0, 1, 0, 0]])
    >>> round(nominal_alpha(votes), 3)
    0.743
    """
    value = alpha_with_interval(counts, n_replicates=0).metric.value
    return float("nan") if value is None else value


@one_blas_thread
def alpha_with_interval(
    counts: npt.NDArray[np.integer],
    *,
    level: Level = "nominal",
    values: FloatArray | None = None,
    n_replicates: int = 1000,
    seed: int = 0,
    extra: str | None = None,
) -> AlphaInterval:
    """Alpha with a 95% percentile bootstrap interval over pairable items.

    Parameters
    ----------
    counts : ndarray of int, shape (n_items, n_labels)
        Votes per item and label.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement.
    values : ndarray, shape (n_labels,), optional
        The numbers the labels stand for (interval and ratio levels); ranks by default.
    n_replicates : int, default 1000
        Bootstrap resamples (0: no interval).
    seed : int, default 0
        Seed of the resampling.
    extra : str, optional
        A note placed before the interval's note.

    Returns
    -------
    AlphaInterval
        ``.metric`` is alpha with its interval; ``.replicates`` the resamples behind it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 3, 200)
    >>> codes = np.where(rng.random((200, 3)) < 0.8, truth[:, None], rng.integers(0, 3, (200, 3)))
    >>> counts = np.stack([(codes == c).sum(axis=1) for c in range(3)], axis=1)
    >>> metric = alpha_with_interval(counts, n_replicates=200, seed=0).metric
    >>> metric.n, metric.ci_low < metric.value < metric.ci_high
    (200, True)
    >>> alpha_with_interval(np.array([[2, 0], [2, 0]]), n_replicates=0).metric.note
    'every judgement on items labelled twice or more has the same label: alpha is undefined'

    Negative or fractional counts, or an unknown level, are refused before any work:

    >>> alpha_with_interval([[-1, 3], [2, 0]])
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'counts' parameter of alpha_with_interval must hold non-negative vote counts. Got -1 at row 0, column 0 instead.
    """
    counts = check_counts(counts, function="alpha_with_interval")
    level = check_level(level, function="alpha_with_interval")
    if values is not None:
        values = np.asarray(values, dtype=float)
        if values.shape != (counts.shape[1],):
            raise UsageError(
                "The 'values' parameter of alpha_with_interval must have one number per label "
                f"(shape ({counts.shape[1]},)). Got shape {values.shape} instead", option="values")
    check_param("n_replicates", n_replicates, [Interval(Integral, 0, None, closed="left")],
                function="alpha_with_interval")
    patterns = _pairable_patterns(counts)
    n = patterns.n_items
    empty = np.empty(0)
    if n == 0:
        return AlphaInterval(
            Metric.undefined(note("agreement.no_shared_item"), n=0), empty)
    features = VoteFeatures.from_counts(patterns.counts, level=level, values=values)
    value = float(krippendorff_alpha(features.sums(patterns.frequency.astype(float))))
    if not np.isfinite(value):
        return AlphaInterval(Metric.undefined(note("alpha.same_label"), n=n), empty)
    replicates = None
    if n_replicates > 0 and n >= MIN_ITEMS_FOR_CI:
        replicates = bootstrap(
            patterns, lambda w: {"alpha": krippendorff_alpha(features.sums(w))},
            n_replicates=n_replicates, seed=seed,
        )["alpha"]
    metric = with_interval(value, replicates, n=n, n_replicates=n_replicates, seed=seed,
                           extra=extra)
    return AlphaInterval(metric, empty if replicates is None else replicates)
