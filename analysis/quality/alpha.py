"""Krippendorff's alpha (nominal) from vote counts, with a vectorised item bootstrap.

The quality analyses need alpha many times over (without each annotator, per round,
per group, and for every bootstrap replicate), so it is computed here from per-item
vote counts in closed form, one matrix product per chunk of replicates. The test suite
checks it against the ``krippendorff`` package. Swap :func:`nominal_alpha` for the
project's metrics engine if that ever offers the same weighted form.

For item ``u`` with ``m_u >= 2`` values and ``n_uc`` votes for label ``c``, the
coincidence matrix has diagonal ``sum_u n_uc (n_uc - 1) / (m_u - 1)``; with
``n = sum_u m_u`` pairable values and ``n_c`` of them for label ``c``::

    alpha = 1 - (n - 1) * (n - sum_c o_cc) / (n**2 - sum_c n_c**2)

(Krippendorff, *Computing Krippendorff's Alpha-Reliability*, 2011).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analysis.metric import Metric
from analysis.quality.resampling import bootstrap_weights, percentile_interval


def _item_terms(
    counts: npt.NDArray[np.integer],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per pairable item: values m_u, agreeing coincidences, and label counts."""
    counts = np.asarray(counts, dtype=np.float64)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    agreeing = (counts * (counts - 1)).sum(axis=1) / (m - 1)
    return m, agreeing, counts


def _alpha_weighted(
    weights: npt.NDArray[np.float64],
    m: npt.NDArray[np.float64],
    agreeing: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Alpha for each row of item weights, shape (n_replicates,); NaN where undefined."""
    n = weights @ m
    observed_agreement = weights @ agreeing
    label_totals = weights @ counts
    expected_denominator = n**2 - (label_totals**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * (n - observed_agreement) / expected_denominator
    alpha[(expected_denominator <= 0) | (n < 2)] = np.nan
    return alpha


def nominal_alpha(counts: npt.NDArray[np.integer]) -> float:
    """Krippendorff's alpha at the nominal level from votes per item and label.

    Parameters
    ----------
    counts : ndarray of int, shape (n_items, n_labels)
        Votes per item and label; items with fewer than two votes are not pairable.

    Returns
    -------
    float
        Alpha, or NaN when undefined (fewer than two pairable values, or one label only).

    Examples
    --------
    Krippendorff (2011), nominal example with 12 units and 4 coders: alpha = 0.743.

    >>> votes = np.array([[3, 0, 0, 0, 0], [0, 3, 1, 0, 0], [0, 0, 4, 0, 0], [0, 0, 4, 0, 0],
    ...                   [0, 4, 0, 0, 0], [1, 1, 1, 1, 0], [0, 0, 0, 4, 0], [3, 1, 0, 0, 0],
    ...                   [0, 4, 0, 0, 0], [0, 0, 0, 0, 3], [2, 0, 0, 0, 0], [0, 0, 1, 0, 0]])
    >>> round(nominal_alpha(votes), 3)
    0.743
    """
    m, agreeing, item_counts = _item_terms(counts)
    return float(_alpha_weighted(np.ones((1, m.size)), m, agreeing, item_counts)[0])


def alpha_metric(
    counts: npt.NDArray[np.integer], *, bootstrap: int, seed: int
) -> Metric:
    """Nominal alpha with a 95% percentile bootstrap interval over pairable items.

    Parameters
    ----------
    counts : ndarray of int, shape (n_items, n_labels)
        Votes per item and label.
    bootstrap : int
        Number of bootstrap replicates (0 for no interval).
    seed : int
        Seed of the resampling.

    Returns
    -------
    Metric
        ``n`` is the number of pairable items (two or more votes).

    Examples
    --------
    >>> alpha_metric(np.array([[2, 0], [2, 0]]), bootstrap=0, seed=0).note
    'every judgement on items labelled twice or more has the same label, so alpha is undefined'
    """
    m, agreeing, item_counts = _item_terms(counts)
    n_items = int(m.size)
    if n_items == 0:
        return Metric.undefined("no item was labelled by two or more annotators", n=0)
    value = float(_alpha_weighted(np.ones((1, n_items)), m, agreeing, item_counts)[0])
    if not np.isfinite(value):
        return Metric.undefined(
            "every judgement on items labelled twice or more has the same label, "
            "so alpha is undefined",
            n=n_items,
        )
    rng = np.random.default_rng(seed)
    replicates = [
        _alpha_weighted(weights, m, agreeing, item_counts)
        for weights in bootstrap_weights(n_items, replicates=bootstrap, rng=rng)
    ]
    low, high = percentile_interval(np.concatenate(replicates)) if replicates else (None, None)
    note = None if low is not None else "too few items or replicates for a bootstrap interval"
    return Metric(value, low, high, n=n_items, note=note)


def alpha_replicates(
    counts: npt.NDArray[np.integer], *, bootstrap: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Bootstrap replicates of nominal alpha, shape (bootstrap,); NaN where undefined.

    Used where two statistics must share the replicate index (round-to-round change).
    """
    m, agreeing, item_counts = _item_terms(counts)
    if m.size == 0:
        return np.full(bootstrap, np.nan)
    chunks = [
        _alpha_weighted(weights, m, agreeing, item_counts)
        for weights in bootstrap_weights(m.size, replicates=bootstrap, rng=rng)
    ]
    return np.concatenate(chunks) if chunks else np.full(0, np.nan)
