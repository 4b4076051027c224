"""Label-error candidates: planted unanimous errors must rank first."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from synthetic_annotations import HashEmbedder, synthetic_table

from analysis.errors import AnnotationDataError
from analysis.label_issues import find_label_issues, out_of_sample_probabilities


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
