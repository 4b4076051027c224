"""Agreement metrics against published values and independent implementations."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pytest
from metrics_data import (
    ABSTRACTORS_TABLE,
    FLEISS_1971,
    FLEISS_1971_CATEGORY_KAPPA,
    FLEISS_1971_KAPPA,
    KRIPPENDORFF_2011,
    KRIPPENDORFF_2011_ALPHA,
    SAS_TABLE,
    matrix_from_table,
    table_from_matrix,
)
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from analysis.data.reliability import ReliabilityData
from analysis.metrics import agreement_summary, coincidence_matrix, pairwise_kappas
from analysis.metrics.cohen import statsmodels_kappa_se


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def summary_of(matrix, **kwargs):
    data = ReliabilityData.from_table(table_from_matrix(matrix))
    kwargs.setdefault("bootstrap_resamples", 0)
    return data, agreement_summary(data, **kwargs)


def test_fleiss_1971_overall_and_per_category():
    _, summary = summary_of(FLEISS_1971)
    assert summary.overall["fleiss_kappa"].value == pytest.approx(FLEISS_1971_KAPPA, abs=5e-4)
    # R irr::kappam.fleiss(diagnoses) = 0.4302445 (statsmodels test suite)
    assert summary.overall["fleiss_kappa"].value == pytest.approx(0.4302445, abs=1e-7)
    for label, published in FLEISS_1971_CATEGORY_KAPPA.items():
        assert summary.per_class[label]["fleiss_kappa"].value == pytest.approx(published, abs=5e-4)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_2011_example(level):
    _, summary = summary_of(KRIPPENDORFF_2011, level=level)
    value = summary.overall["krippendorff_alpha"].value
    assert value == pytest.approx(KRIPPENDORFF_2011_ALPHA[level], abs=5e-4)
    package = krippendorff.alpha(reliability_data=KRIPPENDORFF_2011.T, level_of_measurement=level)
    assert value == pytest.approx(package, abs=1e-12)


def test_gwet_ac1_and_percent_agreement_on_krippendorff_data():
    _, summary = summary_of(KRIPPENDORFF_2011)
    assert summary.overall["gwet_ac1"].value == pytest.approx(0.7754441, abs=1e-7)
    assert summary.overall["percent_agreement"].value == pytest.approx(0.8181818, abs=1e-7)


def test_gwet_ac1_and_cohen_on_abstractors_table():
    _, summary = summary_of(matrix_from_table(ABSTRACTORS_TABLE))
    assert summary.overall["gwet_ac1"].value == pytest.approx(0.8493305, abs=1e-7)
    assert summary.overall["cohen_kappa"].value == pytest.approx(0.7964094, abs=1e-7)
    assert summary.overall["percent_agreement"].value == pytest.approx(0.89)


@pytest.mark.parametrize(
    ("level", "kappa", "se"),
    [("nominal", 0.4842, 0.1380), ("ordinal", 0.4701, 0.1457)],
    ids=["unweighted", "linear"],
)
def test_cohen_kappa_and_se_match_sas(level, kappa, se):
    data, summary = summary_of(matrix_from_table(SAS_TABLE), level=level)
    metric = summary.overall["cohen_kappa"]
    assert metric.value == pytest.approx(kappa, abs=5e-5)
    assert f"SE {se:.4f}" in metric.note
    table = np.zeros((3, 3))
    table[np.ix_([0, 1, 2], [0, 1, 2])] = SAS_TABLE
    assert statsmodels_kappa_se(table, level=level, values=data.values) == pytest.approx(se, abs=5e-5)
    pair = pairwise_kappas(data, level=level)[0]
    assert pair.cohen_kappa.value == pytest.approx(kappa, abs=5e-5)
    assert pair.cohen_kappa.ci_low == pytest.approx(kappa - 1.959964 * se, abs=5e-4)


def test_statsmodels_fleiss_on_complete_data():
    counts, _ = aggregate_raters(FLEISS_1971.astype(int))
    _, summary = summary_of(FLEISS_1971)
    assert summary.overall["fleiss_kappa"].value == pytest.approx(fleiss_kappa(counts), abs=1e-12)


def test_specific_agreement_two_raters_is_positive_agreement():
    table = np.array([[40, 5], [10, 45]])  # a=40, b=5, c=10, d=45
    _, summary = summary_of(matrix_from_table(table))
    assert summary.per_class["1"]["specific_agreement"].value == pytest.approx(80 / 95)
    assert summary.per_class["2"]["specific_agreement"].value == pytest.approx(90 / 105)


def test_coincidence_matrix_matches_krippendorff_2011():
    data = ReliabilityData.from_table(table_from_matrix(KRIPPENDORFF_2011))
    matrix = coincidence_matrix(data)
    # Krippendorff (2011), section C: n_c = 9, 13, 10, 5, 3 pairable values, n = 40
    assert matrix.sum(axis=1).tolist() == pytest.approx([9, 13, 10, 5, 3])
    assert matrix.loc["1", "1"] == pytest.approx(7.0)
    assert matrix.loc["3", "2"] == pytest.approx(matrix.loc["2", "3"])
