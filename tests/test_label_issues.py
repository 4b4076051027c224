"""Label-error candidates: planted unanimous errors must rank first."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from synthetic_annotations import HashEmbedder, synthetic_table

from analysis.base.errors import AnnotationDataError
from analysis.label_issues.ranking import (
    find_label_issues,
    out_of_sample_probabilities,
    split_pair_counts,
)
from analysis.label_issues.votes import vote_posterior


@pytest.fixture(scope="module")
def planted():
    return synthetic_table(seed=3, n_per_topic=16, planted_errors=5)


def test_planted_unanimous_errors_rank_on_top(planted):
    table, answer = planted
    result = find_label_issues(table, embedder=HashEmbedder(dim=256), top=5, use_cache=False)
    errors = answer[answer["planted_error"].astype(bool)]
    found = set(result.issues["item_id"]) & set(errors["item_id"])
    assert len(found) / 5 >= 0.6
    hits = result.issues.set_index("item_id").loc[sorted(found)]
    gold = errors.set_index("item_id").loc[sorted(found), "gold_label"]
    assert (hits["suggested_label"] == gold).mean() >= 0.6
    assert (hits["current_label"] != hits["suggested_label"]).all()


def test_json_contract(planted):
    result = find_label_issues(planted[0], embedder=HashEmbedder(), top=3, use_cache=False)
    doc = json.loads(json.dumps(result.to_dict()))
    assert len(doc["issues"]) == 3
    assert {"item_id", "kind", "current_label", "suggested_label", "score", "votes",
            "neighbour_labels"} <= set(doc["issues"][0])
    order = [({"consensus": 0, "ambiguous": 1, "split": 2}[i["kind"]], i["score"]) for i in doc["issues"]]
    assert order == sorted(order)
    assert 0.0 <= doc["embedding_weight"] <= 1.0


def test_split_items_come_after_contradicted_consensus(planted):
    table, answer = planted
    result = find_label_issues(table, embedder=HashEmbedder(dim=256), top=200, use_cache=False)
    kinds = result.issues["kind"].tolist()
    assert kinds == sorted(kinds, key=("consensus", "ambiguous", "split").index)
    items = result.items.set_index("item_id")
    split = items["annotator_agreement"] <= 0.5
    assert (items.loc[split, "kind"] == "split").all()
    assert items.loc[~split, "kind"].isin(["consensus", "ambiguous"]).all()
    ambiguous = set(answer.loc[answer["ambiguity_group"] != "", "item_id"])
    top5 = set(result.issues["item_id"].head(5))
    assert len(top5 & ambiguous) <= 1


def test_out_of_sample_probabilities_are_held_out():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0, 1, (20, 3)), rng.normal(4, 1, (20, 3))])
    y = np.repeat([0, 1], 20)
    y[0] = 1  # a mislabelled point: held out, its own label cannot fit it
    probs = out_of_sample_probabilities(x, y, 3, folds=5)
    assert probs.shape == (40, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert probs[0, 0] > 0.5
    assert (probs[:, 2] < 0.01).all()  # a class nobody used stays near zero


def test_too_few_items_is_a_data_error():
    table = pd.DataFrame({"item_id": ["a", "b"], "annotator": ["x", "x"],
                          "label": ["p", "q"], "text": ["one", "two"]})
    with pytest.raises(AnnotationDataError, match="at least 10 items"):
        find_label_issues(table, embedder=HashEmbedder())


def _vote_case():
    """Three labels; 40 items of label 0 (a few slips to 1 and 2), 40 of label 1, and
    two items whose text the classifier reads as label 1 while the votes say 0: one with
    a minority vote for 1 (the evidence of a shared misreading), one unanimous."""
    counts = [[5, 0, 0]] * 34 + [[4, 1, 0]] * 3 + [[4, 0, 1]] * 3 + [[0, 5, 0]] * 37 + [[1, 4, 0]] * 3
    counts += [[4, 1, 0], [5, 0, 0]]
    probs = [[0.9, 0.05, 0.05]] * 40 + [[0.05, 0.9, 0.05]] * 40 + [[0.3, 0.6, 0.1]] * 2
    current = np.array([0] * 40 + [1] * 40 + [0, 0])
    suggested = np.array([1] * 40 + [0] * 40 + [1, 1])
    return np.array(probs), np.array(counts), current, suggested


def test_vote_posterior_matches_its_formula():
    probs, counts, current, suggested = _vote_case()
    fit = np.ones(len(current), dtype=bool)
    correct, ratio, model = vote_posterior(probs, counts, current, suggested, fit)
    # slip rates read off every fitted item: 6 + 3 + 1 off votes of 410
    assert model.slip_rate == pytest.approx(10 / 410)
    assert model.slip_to_suggested == pytest.approx(7 / 10)  # votes 1 on 0-items, 0 on 1-items, 1 on item 80
    # the pair's own share for item 80, leaving its own votes out: 3 + 3 votes of 6 + 3
    # + 3 off votes (shrunk with 10 pseudo-votes towards 0.7)
    sigma = (6 + 10 * 0.7) / (9 + 10)
    eps, delta, rho = model.slip_rate, model.dissent_rate, model.dissent_to_true
    expected = 4 * np.log((1 - delta) / (1 - eps)) + np.log(delta * rho / (eps * sigma))
    assert ratio[80] == pytest.approx(expected)
    rows = np.arange(len(current))
    odds = probs[rows, suggested] / probs[rows, current] * np.exp(ratio)
    np.testing.assert_allclose(correct, 1 / (1 + odds))


def test_minority_vote_for_the_suggested_label_ranks_first():
    probs, counts, current, suggested = _vote_case()
    correct, ratio, _ = vote_posterior(probs, counts, current, suggested, np.ones(len(current), dtype=bool))
    assert correct[80] < correct[81] < 0.5  # same text: the minority vote decides
    assert ratio[80] > 0 > ratio[81]


def test_split_pair_counts_leave_the_item_out():
    counts = np.array([[2, 1, 0], [3, 2, 0], [4, 1, 0], [0, 2, 1], [1, 0, 2]])
    current, suggested = np.array([0, 0, 0, 1, 2]), np.array([1, 1, 1, 2, 1])
    # items split on {0, 1}: rows 0 and 1 (4-1 is a lone dissent); on {1, 2}: row 3
    assert split_pair_counts(counts, current, suggested).tolist() == [1, 1, 2, 0, 1]
