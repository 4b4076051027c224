"""The item bootstrap's sampler and the shared interval helpers.

The sampler splits each resample into one multinomial over frequent patterns and unit
draws among rare ones; by the grouping property of the multinomial that is still exactly
the item bootstrap. These tests check its moments against the multinomial's, and the
interval helpers against direct index resampling.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.metrics import mean_with_interval, nominal_alpha, percentile_interval
from analysis.metrics.multi_rater import VoteFeatures, krippendorff_alpha
from analysis.metrics.patterns import ItemPatterns, resample_weights

# two frequent groups and many rare ones (at most the unit-draw threshold, 8)
FREQUENCY = np.array([40, 25] + [1] * 20 + [3] * 10 + [8] * 2)


def _draw(n_replicates: int, seed: int) -> np.ndarray:
    return np.concatenate(list(resample_weights(FREQUENCY, n_replicates, seed=seed)))


def test_resamples_keep_the_number_of_units_and_are_seeded():
    weights = _draw(500, seed=3)
    assert weights.shape == (500, len(FREQUENCY))
    assert (weights.sum(axis=1) == FREQUENCY.sum()).all()
    assert (weights >= 0).all() and np.array_equal(weights, np.round(weights))
    np.testing.assert_array_equal(weights, _draw(500, seed=3))
    assert not np.array_equal(weights, _draw(500, seed=4))


def test_resample_moments_match_the_multinomial():
    n = FREQUENCY.sum()
    p = FREQUENCY / n
    weights = _draw(40_000, seed=0)
    # mean n p_j and covariance n (diag(p) - p p^T), across frequent and rare groups alike
    np.testing.assert_allclose(weights.mean(axis=0), n * p, atol=0.05, rtol=0.01)
    expected = n * (np.diag(p) - np.outer(p, p))
    observed = np.cov(weights, rowvar=False)
    # within five standard errors of a sample covariance: sqrt((s_ii s_jj + s_ij^2) / N)
    variance = np.diag(expected)
    standard_error = np.sqrt((np.outer(variance, variance) + expected**2) / len(weights))
    assert (np.abs(observed - expected) <= 5 * standard_error).all()
    # a frequent and a rare group, and two rare groups, are negatively correlated
    assert observed[0, 2] == pytest.approx(-n * p[0] * p[2], abs=0.05)
    assert observed[2, 3] == pytest.approx(-n * p[2] * p[3], abs=0.05)


def test_no_resample_without_units_or_replicates():
    assert list(resample_weights(np.array([0, 0]), 10, seed=0)) == []
    assert list(resample_weights(FREQUENCY, 0, seed=0)) == []


def test_pattern_weights_recompute_alpha_on_the_resampled_items():
    rng = np.random.default_rng(5)
    counts = rng.multinomial(3, [0.6, 0.3, 0.1], size=300)
    patterns = ItemPatterns.from_counts(counts)
    features = VoteFeatures.from_counts(patterns.counts)
    weights = next(patterns.replicate_weights(4, seed=2))
    sums = features.sums(weights)
    for row, value in zip(weights, krippendorff_alpha(sums), strict=True):
        resampled = np.repeat(patterns.counts, row.astype(int), axis=0)
        assert value == pytest.approx(nominal_alpha(resampled), abs=1e-12)


def test_mean_interval_agrees_with_index_resampling():
    rng = np.random.default_rng(1)
    values = (rng.random(400) < 0.7).astype(float)
    metric = mean_with_interval(values, n_replicates=4000, seed=0)
    means = values[rng.integers(0, values.size, (4000, values.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    assert metric.value == pytest.approx(values.mean())
    assert metric.ci_low == pytest.approx(low, abs=0.01)
    assert metric.ci_high == pytest.approx(high, abs=0.01)
    assert metric.n == 400 and "4000 resamples" in metric.note


def test_mean_interval_needs_enough_values():
    metric = mean_with_interval(np.array([1.0, 0.0, 1.0]), n_replicates=100, seed=0)
    assert metric.value == pytest.approx(2 / 3)
    assert metric.ci_low is None and "fewer than 10 items" in metric.note


def test_percentile_interval_ignores_undefined_replicates():
    replicates = np.concatenate([np.arange(101.0), np.full(50, np.nan)])
    low, high, n_defined = percentile_interval(replicates)
    assert (float(low), float(high), int(n_defined)) == (pytest.approx(2.5), pytest.approx(97.5), 101)
    low, _, _ = percentile_interval(np.concatenate([np.arange(10.0), np.full(11, np.nan)]))
    assert np.isnan(low)  # fewer than half defined: no interval
