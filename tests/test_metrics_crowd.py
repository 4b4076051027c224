"""Crowd-shaped data: many annotators, few items each.

The engine works on judgements (sparse), lists only pairs that share items, computes
kappa from cells and alpha without every annotator in one product. These tests check
those numbers against independent computations (statsmodels, scikit-learn,
krippendorff) on sparse data, and that the bootstrap stays within its memory budget.
"""

from __future__ import annotations

import tracemalloc
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa

from analysis.data.reliability import ReliabilityData
from analysis.metrics import agreement_summary, pairwise_kappas, per_annotator_metrics
from analysis.metrics.alpha_without import alpha_without_each
from analysis.metrics.kappa_cells import Cells
from analysis.metrics.overall import MIN_SHARED_FOR_LIGHT
from analysis.metrics.patterns import ItemPatterns
from analysis.quality.annotators import (
    MIN_ITEMS_FOR_FLAG,
    _median_of_others,
    annotator_quality_table,
    wilson_interval,
)
from analysis.report import build_report

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def crowd(n_items: int = 120, n_workers: int = 30, per_item: int = 3, n_labels: int = 4,
          seed: int = 0) -> pd.DataFrame:
    """Each item judged by ``per_item`` distinct workers, busy workers more often."""
    rng = np.random.default_rng(seed)
    share = (np.arange(n_workers) + 2.0) ** -1.0
    share /= share.sum()
    rows = []
    for i in range(n_items):
        truth = rng.integers(n_labels)
        for w in rng.choice(n_workers, size=per_item, replace=False, p=share):
            label = truth if rng.random() < 0.7 else rng.integers(n_labels)
            rows.append((f"i{i}", f"w{w}", str(int(label) + 1)))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


@pytest.fixture(scope="module")
def data() -> ReliabilityData:
    return ReliabilityData.from_table(crowd())


def _dense(data: ReliabilityData) -> np.ndarray:
    return np.where(data.codes < 0, np.nan, data.values[np.maximum(data.codes, 0)])


def test_sparse_storage_matches_the_dense_matrix(data):
    dense = data.codes
    rows, cols = np.nonzero(dense >= 0)
    assert data.item_index.tolist() == rows.tolist()
    assert data.annotator_index.tolist() == cols.tolist()
    assert data.label_code.tolist() == dense[rows, cols].tolist()
    again = ReliabilityData(data.items, data.annotators, data.labels, codes=dense, values=data.values)
    assert np.array_equal(again.counts(), data.counts())


def test_patterns_from_judgements_equal_patterns_of_dense_rows(data):
    patterns = ItemPatterns.from_data(data)
    _, first, inverse = np.unique(data.codes + 1, axis=0, return_index=True, return_inverse=True)
    assert patterns.frequency.tolist() == np.bincount(inverse.reshape(-1)).tolist()
    assert np.array_equal(patterns.codes, data.codes[first])


@pytest.mark.parametrize("level", LEVELS)
def test_pairwise_lists_only_pairs_that_share_items_with_reference_kappas(data, level):
    pairs = pairwise_kappas(data, level=level)
    dense = data.codes
    names = [str(a) for a in data.annotators]
    shared = [(a, b) for a, b in combinations(range(data.n_annotators), 2)
              if ((dense[:, a] >= 0) & (dense[:, b] >= 0)).any()]
    assert [(p.annotator_a, p.annotator_b) for p in pairs] == [(names[a], names[b]) for a, b in shared]
    weights = {"nominal": None, "ordinal": "linear", "interval": "quadratic", "ratio": "quadratic"}
    for pair, (a, b) in zip(pairs, shared, strict=True):
        both = (dense[:, a] >= 0) & (dense[:, b] >= 0)
        assert pair.items == int(both.sum())
        if pair.cohen_kappa.value is None or level == "ratio":
            continue
        expected = cohen_kappa_score(dense[both, a], dense[both, b], labels=range(data.n_labels),
                                     weights=weights[level])
        assert pair.cohen_kappa.value == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_kappa_and_standard_error_of_many_tables_match_statsmodels(level):
    rng = np.random.default_rng(4)
    values = np.array([1.0, 2.0, 4.0, 7.0])
    tables = rng.integers(0, 6, (25, 4, 4)).astype(float)
    group, first, second = np.nonzero(tables)
    n, kappa, se = Cells(group, first, second, 25, 4).kappa_and_se(
        tables[group, first, second], level, values)
    for index, table in enumerate(tables):
        if level == "nominal":
            reference = cohens_kappa(table)
        elif level == "ordinal":
            reference = cohens_kappa(table, weights=np.arange(4.0), wt="linear")
        else:
            reference = cohens_kappa(table, weights=values, wt="quadratic")
        assert n[index] == table.sum()
        assert kappa[index] == pytest.approx(reference.kappa, abs=1e-10)
        assert se[index] == pytest.approx(reference.std_kappa, abs=1e-10)


@pytest.mark.parametrize("level", LEVELS)
def test_light_kappa_is_the_mean_of_pairs_sharing_at_least_ten_items(data, level):
    summary = agreement_summary(data, level=level, bootstrap_resamples=0)
    pairs = pairwise_kappas(data, level=level)
    defined = [p.cohen_kappa.value for p in pairs
               if p.cohen_kappa.value is not None and p.items >= MIN_SHARED_FOR_LIGHT]
    few = sum(p.items < MIN_SHARED_FOR_LIGHT for p in pairs)
    assert len(defined) >= 1 and few > 100
    metric = summary.overall["mean_pairwise_cohen_kappa"]
    assert metric.value == pytest.approx(np.mean(defined), abs=1e-12)
    assert f"mean of {len(defined)} of " in metric.note
    assert f"{few} pairs sharing fewer than {MIN_SHARED_FOR_LIGHT} items left out" in metric.note


def test_light_kappa_is_not_defined_when_no_pair_shares_ten_items():
    # 400 items, 3 of 200 workers each, drawn evenly: pairs share one or two items.
    rng = np.random.default_rng(2)
    rows = [(f"i{i}", f"w{w}", str(rng.integers(3))) for i in range(400)
            for w in rng.choice(200, size=3, replace=False)]
    data = ReliabilityData.from_table(pd.DataFrame(rows, columns=["item_id", "annotator", "label"]))
    metric = agreement_summary(data, bootstrap_resamples=50, seed=0).overall["mean_pairwise_cohen_kappa"]
    assert metric.value is None and metric.ci_low is None
    assert "no pair of annotators shares 10 or more items" in metric.note
    assert "read Krippendorff's alpha" in metric.note


def test_light_kappa_interval_holds_its_estimate_on_sparse_crowd_data():
    # Before pairs with few shared items were left out, the replicates' means fell below
    # the estimate (degenerate resampled tables drop high-kappa pairs) and the interval
    # missed it.
    data = ReliabilityData.from_table(crowd(n_items=3000, n_workers=200, per_item=5, seed=1))
    metric = agreement_summary(data, bootstrap_resamples=200, seed=0).overall["mean_pairwise_cohen_kappa"]
    assert metric.ci_low <= metric.value <= metric.ci_high


def test_a_small_dataset_keeps_every_pair_in_light_kappa():
    # Fewer than ten pairable items: the bar is the number of items, so no pair is left out.
    table = pd.DataFrame([(f"i{i}", a, str((i + (a == "c")) % 2)) for i in range(6) for a in "abc"],
                         columns=["item_id", "annotator", "label"])
    data = ReliabilityData.from_table(table)
    summary = agreement_summary(data, bootstrap_resamples=0)
    kappas = [p.cohen_kappa.value for p in pairwise_kappas(data)]
    assert summary.overall["mean_pairwise_cohen_kappa"].value == pytest.approx(np.mean(kappas), abs=1e-12)
    assert "left out" not in summary.overall["mean_pairwise_cohen_kappa"].note


def test_light_kappa_replicates_equal_recomputing_on_resampled_items(data):
    summary = agreement_summary(data, bootstrap_resamples=40, seed=3)
    patterns = ItemPatterns.from_data(data)
    weights = np.concatenate(list(patterns.replicate_weights(40, seed=3)))
    judged = data.codes >= 0
    shared = judged.T.astype(int) @ judged.astype(int)  # items each pair shares
    replicates = []
    for row in weights:
        cells = []
        for unit in np.repeat(np.arange(patterns.n_patterns), row.astype(int)):
            cells.append(patterns.codes[unit])
        resampled = np.array(cells)
        kappas = []
        for a, b in combinations(range(data.n_annotators), 2):
            both = (resampled[:, a] >= 0) & (resampled[:, b] >= 0)
            if both.any() and shared[a, b] >= MIN_SHARED_FOR_LIGHT:
                table = np.zeros((data.n_labels, data.n_labels))
                np.add.at(table, (resampled[both, a], resampled[both, b]), 1)
                n = table.sum()
                pe = (table.sum(1) / n) @ (table.sum(0) / n)
                if 1 - pe > 1e-12:
                    kappas.append((np.trace(table) / n - pe) / (1 - pe))
        replicates.append(np.mean(kappas))
    low, high = np.percentile(replicates, [2.5, 97.5])
    metric = summary.overall["mean_pairwise_cohen_kappa"]
    assert metric.ci_low == pytest.approx(low, abs=1e-9)
    assert metric.ci_high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_without_each_annotator_matches_krippendorff(data, level):
    result = alpha_without_each(ItemPatterns.from_data(data), level=level, values=data.values,
                                n_replicates=0, seed=0)
    dense = _dense(data).T
    kwargs = {"level_of_measurement": level, "value_domain": data.values}
    assert result.alpha == pytest.approx(krippendorff.alpha(reliability_data=dense, **kwargs), abs=1e-9)
    for j in range(0, data.n_annotators, 3):
        expected = krippendorff.alpha(reliability_data=np.delete(dense, j, axis=0), **kwargs)
        assert result.without[j] == pytest.approx(expected, abs=1e-9)


def test_alpha_without_replicates_are_alpha_on_the_resampled_items(data):
    patterns = ItemPatterns.from_data(data)
    result = alpha_without_each(patterns, level="interval", values=data.values, n_replicates=3, seed=5)
    weights = np.concatenate(list(patterns.replicate_weights(3, seed=5)))
    for row, everyone, without in zip(weights, result.replicates_all, result.replicates_without,
                                      strict=True):
        resampled = np.repeat(patterns.codes, row.astype(int), axis=0)
        dense = np.where(resampled < 0, np.nan, data.values[np.maximum(resampled, 0)]).T
        kwargs = {"level_of_measurement": "interval", "value_domain": data.values}
        assert everyone == pytest.approx(krippendorff.alpha(reliability_data=dense, **kwargs), abs=1e-9)
        expected = krippendorff.alpha(reliability_data=np.delete(dense, 0, axis=0), **kwargs)
        assert without[0] == pytest.approx(expected, abs=1e-9)


def test_alpha_without_uses_the_reports_level():
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 5, 60)
    rows = [(f"i{i}", f"r{j}", str(int(np.clip(truth[i] + rng.integers(-1, 2), 0, 4))))
            for i in range(60) for j in range(4)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
    report = build_report(table, level="ordinal", bootstrap=0).to_dict()
    data = ReliabilityData.from_table(table)
    dense = _dense(data).T
    expected = krippendorff.alpha(reliability_data=dense[1:], level_of_measurement="ordinal",
                                  value_domain=data.values)
    entry = report["per_annotator"]["r0"]
    assert entry["alpha_without"]["value"] == pytest.approx(expected, abs=1e-9)
    assert entry["alpha_without"]["note"].startswith("ordinal level")


def test_per_annotator_alpha_change_has_a_paired_interval(data):
    entry = per_annotator_metrics(data, bootstrap_resamples=100, seed=0)["w0"]
    change = entry["alpha_change"]
    assert change.ci_low is not None and change.ci_low <= change.value <= change.ci_high
    assert "paired bootstrap" in change.note


def test_sparse_workers_get_wide_intervals_no_flag_and_no_top_rank():
    rng = np.random.default_rng(1)
    rows = []
    for i in range(300):  # five steady workers, right about 75% of the time
        truth = rng.integers(3)
        for w in range(5):
            rows.append((f"i{i}", f"steady{w}", str(truth if rng.random() < 0.75 else rng.integers(3))))
        if i < 3:  # a newcomer with three lucky items
            rows.append((f"i{i}", "lucky", str(truth)))
    quality = annotator_quality_table(ReliabilityData.from_table(pd.DataFrame(
        rows, columns=["item_id", "annotator", "label"])), bootstrap=0).set_index("annotator")
    lucky = quality.loc["lucky"]
    assert lucky["loo_ci_high"] - lucky["loo_ci_low"] > 0.4  # 3 items: a wide interval
    assert lucky["rank"] == len(quality)  # ranked by the lower bound, so last, not first
    assert not lucky["low_quality"] and lucky["loo_items"] < MIN_ITEMS_FOR_FLAG
    steady = quality.drop(index="lucky")
    assert (steady["loo_ci_high"] - steady["loo_ci_low"] < 0.15).all()


def test_wilson_interval_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    k, n = np.array([0, 3, 17, 40]), np.array([5, 3, 30, 41])
    low, high = wilson_interval(k, n)
    for i in range(4):
        expected = proportion_confint(k[i], n[i], alpha=0.05, method="wilson")
        assert (low[i], high[i]) == pytest.approx(expected, abs=1e-12)


def test_median_of_others_matches_deleting_each_entry():
    rng = np.random.default_rng(0)
    values = rng.random(41)
    values[[3, 7]] = np.nan
    values[10] = values[11]
    expected = [np.median(np.delete(values, j)[np.isfinite(np.delete(values, j))])
                for j in range(values.size)]
    assert _median_of_others(values) == pytest.approx(expected)


def test_report_pairwise_all_pairs_restores_the_full_list():
    table = crowd(n_items=30, n_workers=12, per_item=2)
    shared = build_report(table, bootstrap=0).to_dict()["pairwise"]
    every = build_report(table, bootstrap=0, all_pairs=True).to_dict()["pairwise"]
    assert len(every) == 12 * 11 // 2 > len(shared)
    assert [p for p in every if p["items"] > 0] == shared
    assert all(p["cohen_kappa"]["value"] is None for p in every if p["items"] == 0)


def test_bootstrap_memory_stays_within_budget_with_many_labels(monkeypatch):
    """1,000 labels x 3,000 items once took replicates x pairs x labels**2 floats (GiBs)."""
    monkeypatch.setenv("LABEL_AGREEMENT_MEMORY_MB", "64")
    rng = np.random.default_rng(0)
    n_items, n_labels = 600, 300
    truth = rng.integers(0, n_labels, n_items)
    rows = [(f"i{i}", f"r{j}", str(int(truth[i] if rng.random() < 0.6 else rng.integers(n_labels))))
            for i in range(n_items) for j in range(3)]
    data = ReliabilityData.from_table(pd.DataFrame(rows, columns=["item_id", "annotator", "label"]))
    tracemalloc.start()
    try:
        summary = agreement_summary(data, level="ordinal", bootstrap_resamples=200, seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # before: ~200 x 3 pairs x 300**2 x 8 bytes = 430 MB for the pair tables alone
    assert peak < 200 * 2**20
    assert summary.overall["mean_pairwise_cohen_kappa"].ci_low is not None


@pytest.mark.parametrize("method", ["holm", "bonferroni"])
def test_adjusted_p_values_match_statsmodels(method):
    from statsmodels.stats.multitest import multipletests

    from analysis.quality.multitest import adjust_p_values

    p = np.random.default_rng(3).random(40) ** 3
    p[5] = p[6]  # a tie
    assert adjust_p_values(p, method=method) == pytest.approx(multipletests(p, method=method)[1], abs=1e-15)


def _direct_light_sums(cells, weights, level, values):
    """Light's kappa parts per weight row, one pair table at a time (the definition)."""
    from analysis.data.levels import agreement_weights

    agree = agreement_weights(level, values)
    n_labels = cells.cells.n_labels
    totals, counts = [], []
    for row in weights:
        total = count = 0.0
        for g in range(cells.n_pairs):
            mine = cells.cells.group == g
            table = np.zeros((n_labels, n_labels))
            np.add.at(table, (cells.cells.first[mine], cells.cells.second[mine]), row[cells.unit[mine]])
            n = table.sum()
            if n == 0:
                continue
            expected = (table.sum(1) / n) @ agree @ (table.sum(0) / n)
            if 1 - expected > 1e-12:
                total += ((table * agree).sum() / n - expected) / (1 - expected)
                count += 1
        totals.append(total)
        counts.append(count)
    return np.array(totals), np.array(counts)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("n_labels", [3, 12], ids=["3-labels", "12-labels"])
def test_light_kappa_blocks_equal_each_pair_table_per_resample(level, n_labels, monkeypatch):
    # small groups and blocks, so several of each are used; 12 labels at weighted levels
    # send the pairs with many labels to the full-marginal path
    import analysis.metrics.light as light
    from analysis.metrics.pairs import PairCells

    monkeypatch.setattr(light, "_GROUP_ROWS", 16)
    monkeypatch.setattr(light, "_BLOCK_REPLICATES", 3)
    data = ReliabilityData.from_table(crowd(n_items=150, n_workers=12, per_item=3, n_labels=n_labels, seed=2))
    patterns = ItemPatterns.from_data(data)
    judged = patterns.judgements
    cells = PairCells.from_judgements(judged.pattern, judged.annotator, judged.label,
                                      n_units=patterns.n_patterns, n_annotators=data.n_annotators,
                                      n_labels=data.n_labels)
    kappa = light.LightKappa.from_cells(cells, level, data.values)
    assert len(kappa.groups) > 1
    if n_labels == 12 and level != "nominal":
        assert kappa.wide is not None
    weights = np.vstack([patterns.frequency.astype(float),
                         np.concatenate(list(patterns.replicate_weights(7, seed=1)))])
    total, count = kappa.total_and_count(weights)
    expected_total, expected_count = _direct_light_sums(cells, weights, level, data.values)
    np.testing.assert_array_equal(count, expected_count)
    np.testing.assert_allclose(total, expected_total, rtol=0, atol=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_vote_features_grouped_by_votes_sum_like_one_row_per_pattern(level, monkeypatch):
    from analysis.metrics import multi_rater

    rng = np.random.default_rng(3)
    counts = rng.multinomial(5, [0.5, 0.3, 0.2], size=3000)  # 21 distinct rows of votes
    values = np.array([1.0, 2.0, 5.0])
    weights = rng.poisson(1.0, (4, counts.shape[0])).astype(float)
    grouped = multi_rater.VoteFeatures.from_counts(counts, level=level, values=values)
    monkeypatch.setattr(multi_rater, "_GROUP_MIN_PATTERNS", 10**9)
    plain = multi_rater.VoteFeatures.from_counts(counts, level=level, values=values)
    assert grouped.grouping is not None and plain.grouping is None
    for w in (weights, weights[0]):
        got, want = grouped.sums(w), plain.sums(w)
        for name in ("pairable", "has_any", "pair_agreement", "gwet_pa", "pairable_counts", "shares",
                     "class_disagreement", "specific_numerator", "binary_disagreement"):
            np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-12, atol=1e-9)
        for fn in (multi_rater.fleiss_kappa, multi_rater.krippendorff_alpha, multi_rater.gwet_ac):
            np.testing.assert_allclose(fn(got), fn(want), rtol=1e-12, atol=1e-12)
