"""Holm and Bonferroni adjustment against statsmodels' multipletests (an independent implementation)."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from analysis.base.errors import UsageError
from analysis.quality.multitest import adjust_p_values


@pytest.mark.parametrize("method", ["holm", "bonferroni"])
@pytest.mark.parametrize("size", [1, 2, 7, 60])
def test_matches_statsmodels(method, size):
    rng = np.random.default_rng(size)
    p = rng.beta(0.4, 2.0, size)
    if size > 2:
        p[1] = p[0]  # ties keep their order
    expected = multipletests(p, alpha=0.05, method=method)[1]
    np.testing.assert_allclose(adjust_p_values(p, method=method), expected, rtol=0, atol=1e-15)


def test_nan_entries_are_not_tests():
    p = np.array([0.01, np.nan, 0.02, 0.5])
    adjusted = adjust_p_values(p)
    assert np.isnan(adjusted[1])
    np.testing.assert_allclose(adjusted[[0, 2, 3]], multipletests(p[[0, 2, 3]], method="holm")[1])
    assert np.isnan(adjust_p_values([np.nan, np.nan])).all()


def test_unknown_method_lists_the_choices():
    with pytest.raises(UsageError, match=r"must be one of \{'holm', 'bonferroni'\}. Got 'hom'"):
        adjust_p_values([0.1], method="hom")
