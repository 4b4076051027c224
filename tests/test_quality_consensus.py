"""Dawid-Skene, consensus table and alpha: checked against crowd-kit and krippendorff."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality_simulation import simulate

from analysis.base.errors import AnnotationDataError
from analysis.consensus import DawidSkene, consensus_table
from analysis.data.reliability import ReliabilityData
from analysis.data.votes import NO_CONSENSUS, majority_vote
from analysis.metrics.alpha import alpha_with_interval, nominal_alpha


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, ReliabilityData, np.ndarray]:
    table, truth = simulate()
    return table, ReliabilityData.from_table(table), truth


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_dawid_skene_matches_crowdkit(simulated):
    from crowdkit.aggregation import DawidSkene as CrowdKitDawidSkene

    table, data, _ = simulated
    long = pd.DataFrame(
        {"task": table["item_id"].astype(str), "worker": table["annotator"].astype(str),
         "label": table["label"].astype(str)}
    )
    # tol=-inf: crowd-kit runs all passes instead of stopping on its ELBO criterion.
    reference = CrowdKitDawidSkene(n_iter=200, tol=-np.inf).fit(long)
    model = DawidSkene(smoothing=1e-10, tol=1e-9, max_iter=500).fit(data)
    ours = pd.Series(np.asarray(data.labels)[model.labels_], index=data.items.astype(str))
    theirs = reference.labels_.reindex(ours.index).astype(str)
    assert (ours == theirs).mean() >= 0.99
    probas = reference.probas_.reindex(index=ours.index, columns=list(data.labels)).to_numpy()
    assert np.abs(probas - model.posteriors_).max() < 0.02
    for j, name in enumerate(data.annotators):
        mine = table["annotator"] == name
        labels = table.loc[mine, "label"].astype(str).to_numpy()
        rows = pd.Index(ours.index).get_indexer(table.loc[mine, "item_id"].astype(str))
        crowdkit_accuracy = probas[rows, [data.labels.index(x) for x in labels]].mean()
        assert model.accuracies_[j] == pytest.approx(crowdkit_accuracy, abs=0.01)


def test_dawid_skene_beats_majority_on_planted_profiles(simulated):
    _, data, truth = simulated
    model = DawidSkene().fit(data)
    majority = majority_vote(data.counts(), ties="random", seed=0)
    assert (model.labels_ == truth).mean() >= (majority == truth).mean()
    assert model.converged_ and 1 < model.n_iter_ < 100
    assert np.allclose(model.posteriors_.sum(axis=1), 1)
    assert np.allclose(model.confusions_.sum(axis=2), 1)
    # The near-random annotator (ann6) has the lowest estimated accuracy, about 1/5.
    names = list(data.annotators)
    assert int(np.argmin(model.accuracies_)) == names.index("ann6")
    assert model.accuracies_[names.index("ann6")] == pytest.approx(0.2, abs=0.06)


def test_dawid_skene_is_invariant_to_annotator_order(simulated):
    _, data, _ = simulated
    order = np.random.default_rng(1).permutation(data.n_annotators)
    permuted = ReliabilityData(
        items=data.items, annotators=data.annotators[order], labels=data.labels,
        codes=data.codes[:, order], values=data.values,
    )
    first, second = DawidSkene().fit(data), DawidSkene().fit(permuted)
    np.testing.assert_allclose(first.posteriors_, second.posteriors_, atol=1e-9)
    np.testing.assert_allclose(first.accuracies_[order], second.accuracies_, atol=1e-9)


def _plain_em(codes: np.ndarray, n_labels: int, smoothing: float, passes: int) -> np.ndarray:
    """Textbook Dawid-Skene EM on the dense items x annotators codes (-1 missing)."""
    n_items, n_annotators = codes.shape
    votes = np.stack([(codes == c).sum(axis=1) for c in range(n_labels)], axis=1).astype(float)
    posteriors = votes / votes.sum(axis=1, keepdims=True)
    for _ in range(passes):
        confusions = np.full((n_annotators, n_labels, n_labels), smoothing)
        for j in range(n_annotators):
            seen = codes[:, j] >= 0
            for k in range(n_labels):
                confusions[j, :, k] += posteriors[seen & (codes[:, j] == k)].sum(axis=0)
        confusions /= confusions.sum(axis=2, keepdims=True)
        priors = posteriors.sum(axis=0) + smoothing
        log_post = np.tile(np.log(priors / priors.sum()), (n_items, 1))
        for j in range(n_annotators):
            seen = codes[:, j] >= 0
            log_post[seen] += np.log(confusions[j][:, codes[seen, j]].T)
        log_post -= log_post.max(axis=1, keepdims=True)
        posteriors = np.exp(log_post) / np.exp(log_post).sum(axis=1, keepdims=True)
    return posteriors


def test_accelerated_dawid_skene_reaches_plain_em_fixed_point_on_crowd_data():
    # 40 workers, 3 judgements per item, most workers with a handful of items: plain EM
    # needs hundreds of passes here; the accelerated fit must land on the same point.
    rng = np.random.default_rng(7)
    share = (np.arange(40) + 3.0) ** -1.2
    rows = []
    for i in range(300):
        truth = rng.integers(3)
        for w in rng.choice(40, size=3, replace=False, p=share / share.sum()):
            label = truth if rng.random() < 0.55 + 0.4 * (w % 5) / 4 else rng.integers(3)
            rows.append((f"i{i}", f"w{w}", "abc"[label]))
    data = ReliabilityData.from_table(pd.DataFrame(rows, columns=["item_id", "annotator", "label"]))
    model = DawidSkene(tol=1e-9, max_iter=5000).fit(data)
    reference = _plain_em(data.codes, data.n_labels, 0.01, passes=1000)
    assert model.converged_
    np.testing.assert_allclose(model.posteriors_, reference, atol=1e-6)
    assert model.n_iter_ < 150  # plain EM: about 300 passes to come within 1e-7


def test_dawid_skene_rejects_bad_parameters_and_empty_data():
    table = pd.DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]})
    data = ReliabilityData.from_table(table)
    with pytest.raises(ValueError, match="'max_iter' parameter of DawidSkene"):
        DawidSkene(max_iter=0).fit(data)
    with pytest.raises(ValueError, match="'smoothing' parameter"):
        DawidSkene(smoothing=-1).fit(data)
    empty = ReliabilityData.from_table(table.iloc[:0])
    with pytest.raises(AnnotationDataError, match="no judgements"):
        DawidSkene().fit(empty)


def test_consensus_table_columns_and_ambiguity(simulated):
    _, data, _ = simulated
    model = DawidSkene().fit(data)
    items = consensus_table(data, model=model)
    assert len(items) == data.n_items
    majority = majority_vote(data.counts())
    assert items["majority_label"].isna().sum() == (majority == NO_CONSENSUS).sum()
    assert items["vote_entropy"].between(0, 1).all()
    margin = items["posterior_margin"].to_numpy()
    assert ((margin >= 0) & (margin <= 1)).all()
    # The margin is the top-1 minus the top-2 posterior.
    top = np.sort(model.posteriors_, axis=1)
    np.testing.assert_allclose(margin, top[:, -1] - top[:, -2])
    np.testing.assert_allclose(items["ds_posterior"], top[:, -1])


@pytest.mark.filterwarnings("error::RuntimeWarning")
@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda k: st.lists(st.lists(st.one_of(st.none(), st.integers(0, k - 1)), min_size=3, max_size=3),
                           min_size=2, max_size=25)
    )
)
def test_nominal_alpha_matches_krippendorff_package(rows):
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    k = int(np.nanmax(matrix)) + 1 if np.isfinite(matrix).any() else 1
    counts = np.stack([(matrix == c).sum(axis=1) for c in range(k)], axis=1)
    ours = nominal_alpha(counts)
    pairable_labels = (counts[counts.sum(axis=1) >= 2].sum(axis=0) > 0).sum()
    if pairable_labels < 2:
        assert np.isnan(ours)
        # Undefined: the krippendorff package refuses these cases or divides by zero.
        return
    reference = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement="nominal")
    if np.isnan(reference):
        assert np.isnan(ours)
        return
    assert ours == pytest.approx(reference, abs=1e-9)


def test_alpha_with_interval_and_undefined_cases():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 300)
    codes = np.where(rng.random((300, 3)) < 0.8, truth[:, None], rng.integers(0, 3, (300, 3)))
    counts = np.stack([(codes == c).sum(axis=1) for c in range(3)], axis=1)
    metric = alpha_with_interval(counts, n_replicates=500, seed=0).metric
    assert metric.ci_low < metric.value < metric.ci_high
    assert metric.ci_high - metric.ci_low < 0.15
    assert metric.n == 300
    assert alpha_with_interval(counts, n_replicates=500, seed=0).metric == metric  # seeded
    assert alpha_with_interval(np.array([[1, 0], [0, 1]]), n_replicates=10, seed=0).metric.note.startswith("no item")
    assert alpha_with_interval(np.array([[3, 0], [2, 0]]), n_replicates=10, seed=0).metric.value is None


def test_a_weighted_item_counts_as_that_many_identical_items(simulated):
    # The core that the span consensus runs on token patterns: one item of weight w is
    # w copies of it in the M-step, and its posterior is the copies' posterior.
    _, data, _ = simulated
    item, annotator, label = data.item_index, data.annotator_index, data.label_code
    weights = np.arange(data.n_items) % 3 + 1.0
    copies = np.repeat(np.arange(data.n_items), weights.astype(int))
    start = np.concatenate([[0], np.cumsum(weights.astype(int))[:-1]])
    per_item = np.bincount(item, minlength=data.n_items)
    # every copy of an item repeats that item's judgements
    entries = np.concatenate([np.nonzero(item == i)[0] for i in copies])
    copy_of = np.repeat(np.arange(copies.size), per_item[copies])
    sizes = dict(n_annotators=data.n_annotators, n_labels=data.n_labels)
    plain = dict(stop="posteriors", accelerate=False, tol=1e-10, max_iter=60)
    weighted = DawidSkene(**plain).fit_judgements(item, annotator, label, n_items=data.n_items,
                                                  weights=weights, warn=False, **sizes)
    expanded = DawidSkene(**plain).fit_judgements(copy_of, annotator[entries], label[entries],
                                                  n_items=copies.size, warn=False, **sizes)
    assert weighted.n_iter_ == expanded.n_iter_
    np.testing.assert_allclose(weighted.posteriors_, expanded.posteriors_[start], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.priors_, expanded.priors_, rtol=1e-9)
    np.testing.assert_allclose(weighted.confusions_, expanded.confusions_, rtol=1e-9)
    np.testing.assert_allclose(weighted.accuracies_, expanded.accuracies_, rtol=1e-9)


def test_unit_weights_and_fit_on_the_reliability_data_are_one_fit(simulated):
    _, data, _ = simulated
    fitted = DawidSkene().fit(data)
    judged = DawidSkene().fit_judgements(
        data.item_index, data.annotator_index, data.label_code, n_items=data.n_items,
        n_annotators=data.n_annotators, n_labels=data.n_labels, weights=np.ones(data.n_items))
    assert fitted.n_iter_ == judged.n_iter_ > 3
    np.testing.assert_allclose(fitted.posteriors_, judged.posteriors_, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(fitted.labels_, judged.labels_)


def test_the_stopping_rules_are_checked():
    with pytest.raises(ValueError, match="'stop' parameter"):
        DawidSkene(stop="elbo")._check_params()  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs stop='posteriors'"):
        DawidSkene(stop="likelihood")._check_params()
    DawidSkene(stop="likelihood", accelerate=False)._check_params()
