"""Invariants (hypothesis), agreement with independent implementations on random data,
undefined cases, and the pattern bootstrap."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_data import table_from_matrix
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from analysis.data.reliability import ReliabilityData
from analysis.metrics import agreement_summary, pairwise_kappas, per_annotator_metrics
from analysis.metrics.multi_rater import VoteFeatures, krippendorff_alpha
from analysis.metrics.overall import PAIRWISE_METRICS
from analysis.metrics.patterns import ItemPatterns

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@st.composite
def rating_matrices(draw, *, min_raters=2, max_raters=5, missing=True):
    n_items = draw(st.integers(3, 25))
    n_raters = draw(st.integers(min_raters, max_raters))
    n_labels = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, n_labels + 1, n_items)
    matrix = np.where(rng.random((n_items, n_raters)) < 0.6, truth[:, None],
                      rng.integers(1, n_labels + 1, (n_items, n_raters))).astype(float)
    if missing:
        matrix[rng.random(matrix.shape) < 0.25] = np.nan
    return matrix


def summary(matrix, **kwargs):
    data = ReliabilityData.from_table(table_from_matrix(matrix))
    return agreement_summary(data, bootstrap_resamples=0, **kwargs)


@SETTINGS
@given(rating_matrices(), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff_package(matrix, level):
    value = summary(matrix, level=level).overall["krippendorff_alpha"].value
    pairable = (~np.isnan(matrix)).sum(axis=1) >= 2
    values = matrix[pairable]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        assert value is None
        return
    expected = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement=level)
    assert value == pytest.approx(expected, abs=1e-9)
    assert value <= 1.0


@SETTINGS
@given(rating_matrices(missing=False))
def test_fleiss_matches_statsmodels_on_complete_data(matrix):
    counts, _ = aggregate_raters(matrix.astype(int))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = fleiss_kappa(counts)
    value = summary(matrix).overall["fleiss_kappa"].value
    if not np.isfinite(expected):
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(rating_matrices(min_raters=2, max_raters=2, missing=False),
       st.sampled_from(["nominal", "ordinal", "interval"]))
def test_cohen_matches_scikit_learn(matrix, level):
    weights = {"nominal": None, "ordinal": "linear", "interval": "quadratic"}[level]
    labels = sorted(np.unique(matrix))
    # equally spaced integer labels: sklearn's index weights equal value weights
    full = np.arange(min(labels), max(labels) + 1)
    value = summary(matrix, level=level).overall["cohen_kappa"].value
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(matrix[:, 0], matrix[:, 1], weights=weights, labels=full)
    if len(labels) != len(full):
        return  # gaps in the label set: the project spaces weights by observed labels
    if not np.isfinite(expected):
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(rating_matrices(), st.integers(0, 2**32 - 1))
def test_invariant_to_order_of_items_and_annotators(matrix, seed):
    rng = np.random.default_rng(seed)
    shuffled = matrix[rng.permutation(matrix.shape[0])][:, rng.permutation(matrix.shape[1])]
    first, second = summary(matrix).overall, summary(shuffled).overall
    for name, metric in first.items():
        if metric.value is None:
            assert second[name].value is None
        else:
            assert second[name].value == pytest.approx(metric.value, abs=1e-12)


@SETTINGS
@given(rating_matrices())
def test_bounds(matrix):
    result = summary(matrix)
    agreement = result.overall["percent_agreement"].value
    if agreement is not None:
        assert 0.0 <= agreement <= 1.0
    for name in ("fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "mean_pairwise_cohen_kappa"):
        value = result.overall[name].value
        assert value is None or value <= 1.0 + 1e-12
    for metrics in result.per_class.values():
        value = metrics["specific_agreement"].value
        assert value is None or 0.0 <= value <= 1.0


def _independent_fleiss(matrix):
    """Unequal raters, straight from the documented definition, item by item."""
    agreements, pooled = [], {}
    for row in matrix:
        values = row[~np.isnan(row)]
        m = len(values)
        if m < 2:
            continue
        labels, counts = np.unique(values, return_counts=True)
        agreements.append(sum(c * (c - 1) for c in counts) / (m * (m - 1)))
        for label, count in zip(labels, counts, strict=True):
            pooled[label] = pooled.get(label, 0) + count
    total = sum(pooled.values())
    expected = sum((c / total) ** 2 for c in pooled.values())
    return (np.mean(agreements) - expected) / (1 - expected)


def test_fleiss_with_unequal_raters_follows_documented_definition():
    rng = np.random.default_rng(3)
    matrix = rng.integers(1, 4, (60, 6)).astype(float)
    matrix[rng.random(matrix.shape) < 0.4] = np.nan
    result = summary(matrix).overall["fleiss_kappa"]
    assert result.value == pytest.approx(_independent_fleiss(matrix), abs=1e-12)
    assert "unequal numbers of judgements" in result.note


def test_pattern_bootstrap_equals_recomputing_on_resampled_items():
    rng = np.random.default_rng(7)
    matrix = rng.integers(1, 4, (80, 4)).astype(float)
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    data = ReliabilityData.from_table(table_from_matrix(matrix))
    patterns = ItemPatterns.from_data(data)
    features = VoteFeatures.from_counts(patterns.counts, level="interval", values=data.values)
    weights = next(patterns.replicate_weights(3, seed=1))
    assert weights.sum(axis=1).tolist() == [80, 80, 80]
    for row in weights:
        resampled = np.repeat(patterns.codes, row.astype(int), axis=0).astype(float)
        resampled[resampled < 0] = np.nan
        expected = krippendorff.alpha(reliability_data=resampled.T, level_of_measurement="interval",
                                      value_domain=np.arange(data.n_labels))
        assert krippendorff_alpha(features.sums(row)) == pytest.approx(expected, abs=1e-9)


def test_intervals_are_seeded_and_contain_the_estimate():
    rng = np.random.default_rng(0)
    matrix = np.where(rng.random((200, 3)) < 0.8, 1.0, 2.0)
    data = ReliabilityData.from_table(table_from_matrix(matrix))
    first = agreement_summary(data, bootstrap_resamples=300, seed=5).overall
    again = agreement_summary(data, bootstrap_resamples=300, seed=5).overall
    other = agreement_summary(data, bootstrap_resamples=300, seed=6).overall
    for name in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
                 "mean_pairwise_cohen_kappa"):
        metric = first[name]
        assert metric.ci_low <= metric.value <= metric.ci_high, name
        assert (again[name].ci_low, again[name].ci_high) == (metric.ci_low, metric.ci_high)
        assert other[name].ci_low != metric.ci_low
        assert "bootstrap percentile" in metric.note


@pytest.mark.parametrize("n_annotators", [2, 4], ids=["two annotators", "four annotators"])
@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_summary_without_pairwise_kappas_has_the_same_numbers(n_annotators, level):
    # The dashboard's cards come from pairwise=False: every coefficient it keeps, with its
    # interval, must be what the full summary (and the report) says.
    rng = np.random.default_rng(3)
    matrix = rng.integers(1, 5, size=(150, n_annotators)).astype(float)
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    data = ReliabilityData.from_table(table_from_matrix(matrix))
    full = agreement_summary(data, level=level, bootstrap_resamples=200, seed=4)
    cards = agreement_summary(data, level=level, bootstrap_resamples=200, seed=4, pairwise=False)
    assert set(full.overall) - set(cards.overall) == {"cohen_kappa", "mean_pairwise_cohen_kappa"}
    assert all(name in full.overall for name in cards.overall)
    for name, metric in cards.overall.items():
        expected = full.overall[name]
        assert (metric.n, metric.note) == (expected.n, expected.note), name
        assert [metric.value, metric.ci_low, metric.ci_high] == pytest.approx(
            [expected.value, expected.ci_low, expected.ci_high], rel=1e-12, abs=1e-12), name
    assert cards.per_class.keys() == full.per_class.keys()
    for label, metrics in cards.per_class.items():
        for name, metric in metrics.items():
            expected = full.per_class[label][name]
            assert [metric.value, metric.ci_low, metric.ci_high] == pytest.approx(
                [expected.value, expected.ci_low, expected.ci_high], rel=1e-12, abs=1e-12)
    assert cards.notes == full.notes
    # The full report's summary is the cards' plus the pairwise kappas, not a second bootstrap.
    completed = agreement_summary(data, level=level, bootstrap_resamples=200, seed=4,
                                  without_pairwise=cards)
    assert list(completed.overall) == list(full.overall)
    for name in PAIRWISE_METRICS:
        assert completed.overall[name] == full.overall[name], name  # same draws, same sums
    for name in cards.overall:
        assert completed.overall[name] is cards.overall[name], name
    assert completed.per_class is cards.per_class
    with pytest.raises(ValueError, match="pairwise=False"):
        agreement_summary(data, level=level, bootstrap_resamples=200, seed=4, without_pairwise=full)


def _table(rows):
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


UNDEFINED_CASES = {
    "one annotator": _table([(f"i{i}", "x", "a") for i in range(20)]),
    "single label": _table([(f"i{i}", a, "a") for i in range(20) for a in "xy"]),
    "all single-rated": _table([(f"i{i}", "xy"[i % 2], "ab"[i % 3 % 2]) for i in range(20)]),
}


@pytest.mark.parametrize("table", UNDEFINED_CASES.values(), ids=UNDEFINED_CASES.keys())
def test_undefined_cases_explain_themselves(table):
    data = ReliabilityData.from_table(table)
    result = agreement_summary(data, bootstrap_resamples=200)
    for name in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
                 "mean_pairwise_cohen_kappa"):
        assert result.overall[name].value is None
        assert result.overall[name].note
    cards = agreement_summary(data, bootstrap_resamples=200, pairwise=False).overall
    assert cards == {name: result.overall[name] for name in cards}
    assert "mean_pairwise_cohen_kappa" not in cards
    per_annotator_metrics(data, bootstrap_resamples=50)  # no crash, no warning


def test_pair_without_overlap_is_listed_only_on_request_and_undefined():
    table = _table([(f"i{i}", a, "ab"[i % 2]) for i in range(12) for a in "xy"]
                   + [(f"j{i}", "z", "a") for i in range(5)])
    data = ReliabilityData.from_table(table)
    shared = [(p.annotator_a, p.annotator_b) for p in pairwise_kappas(data)]
    assert shared == [("x", "y")]
    pairs = {(p.annotator_a, p.annotator_b): p for p in pairwise_kappas(data, all_pairs=True)}
    assert list(pairs) == [("x", "y"), ("x", "z"), ("y", "z")]
    assert pairs[("x", "z")].items == 0
    assert pairs[("x", "z")].cohen_kappa.value is None
    assert "no item in common" in pairs[("x", "z")].cohen_kappa.note
    assert pairs[("x", "y")].cohen_kappa.value == pytest.approx(1.0)


def test_too_few_items_for_an_interval():
    table = _table([(f"i{i}", a, "ab"[(i + (a == "y") * (i % 3 == 0)) % 2])
                    for i in range(6) for a in "xy"])
    metric = agreement_summary(ReliabilityData.from_table(table)).overall["cohen_kappa"]
    assert metric.value is not None
    assert metric.ci_low is None and "fewer than 10 items" in metric.note


def test_kappa_vs_consensus_reports_ties():
    table = _table([("a", "x", "p"), ("a", "y", "p"), ("a", "z", "n"),
                    ("b", "x", "p"), ("b", "y", "n"), ("b", "z", "n")])
    entry = per_annotator_metrics(ReliabilityData.from_table(table), bootstrap_resamples=0)["x"]
    assert entry["consensus_ties"] == 1  # on a the others split p / n; on b both say n
    assert entry["kappa_vs_consensus"].n == 1
