"""Label review a reviewer can trust: unanimous labels stand unless the model earns the
flip, split items are disagreement rather than errors, and the share flagged is stated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synthetic_annotations import HashEmbedder

from analysis.label_issues.ranking import find_label_issues
from analysis.label_issues.trust import (
    MAX_CONTRADICTION,
    PRIOR_ERROR_RATE,
    calibration_error,
    contradiction_rates,
    may_flip_unanimous,
    temperature_scale,
)

WORDS = {"billing": "invoice charge payment bill price fee", "shipping": "parcel courier delivery box truck post",
         "account": "password login email reset profile user"}


def _table(*, rng: np.random.Generator, errors: int, random_texts: bool) -> tuple[pd.DataFrame, set[str]]:
    rows, planted = [], set()
    labels = list(WORDS)
    vocabulary = [f"w{k}" for k in range(500)]
    for k in range(180):
        truth = labels[k % 3]
        words = vocabulary if random_texts else WORDS[truth].split()
        text = " ".join(rng.choice(words, 4, replace=False)) + f" n{k}"
        voted = truth
        if k < errors:  # every annotator misreads it the same way: unanimous and wrong
            voted = labels[(k + 1) % 3]
            planted.add(f"i{k}")
        votes = [voted] * 3
        if k % 11 == 10:  # a few split items (no strict majority)
            votes = [labels[0], labels[1], labels[2]]
        rows += [(f"i{k}", f"a{j}", v, text) for j, v in enumerate(votes)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"]), planted


def test_a_strong_text_model_may_flip_unanimous_errors():
    table, planted = _table(rng=np.random.default_rng(0), errors=5, random_texts=False)
    result = find_label_issues(table, embedder=HashEmbedder(), use_cache=False, top=20)
    flagged = set(result.items.loc[result.items["is_label_issue"], "item_id"])
    assert planted <= flagged
    assert result.text_model is not None and result.text_model.accuracy > 0.9
    doc = result.to_dict()
    assert doc["n_unanimous_protected"] == 0
    assert doc["flagged_share"] == pytest.approx(len(flagged) / len(result.items), abs=1e-4)
    assert doc["prior_error_rate"] == PRIOR_ERROR_RATE


def test_a_weak_text_model_never_overrules_unanimous_labels():
    table, _ = _table(rng=np.random.default_rng(1), errors=0, random_texts=True)
    result = find_label_issues(table, embedder=HashEmbedder(), use_cache=False, top=20)
    items = result.items
    assert not (items["is_label_issue"] & items["unanimous"]).any()
    assert result.flagged_share <= 0.25
    assert not items.loc[items["kind"] == "split", "is_label_issue"].any()  # disagreement, not error
    assert result.to_dict()["n_split"] == int((items["kind"] == "split").sum()) > 0


def test_temperature_and_calibration_error():
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 2, 400)
    sharp = np.where(rng.random(400) < 0.7, truth, 1 - truth)  # right 70% of the time, said at 99%
    probs = np.column_stack([np.where(sharp == 0, 0.99, 0.01), np.where(sharp == 0, 0.01, 0.99)])
    assert calibration_error(probs, truth) > 0.2
    scaled, temperature = temperature_scale(probs, truth, np.ones(400, bool))
    assert temperature > 2 and calibration_error(scaled, truth) < 0.05


def test_contradiction_rates_and_the_flip_rule():
    other = np.r_[np.full(95, 0.05), np.full(5, 0.97)]  # 5% strongly contradicted
    targets = np.zeros(100, dtype=int)
    rates = contradiction_rates(other, targets, np.ones(100, bool), np.array([0.97, 0.05]), np.array([0, 0]), 1)
    assert rates.tolist() == pytest.approx([0.05, 1.0])
    probs = np.column_stack([1 - other, other])
    assert may_flip_unanimous(probs, targets, np.ones(100, bool))[-1]  # as rare as errors: may flip
    often = np.r_[np.full(70, 0.05), np.full(30, 0.97)]  # 30% strongly contradicted: it reads differently
    assert not may_flip_unanimous(np.column_stack([1 - often, often]), targets, np.ones(100, bool)).any()


def test_the_flip_limit_is_its_own_not_the_prior():
    """20% strongly contradicted is under the 30% prior but over the 10% flip limit: no flip;
    at 5%, a suggestion just above even odds may flip and one just below may not."""
    assert MAX_CONTRADICTION < 0.2 < PRIOR_ERROR_RATE
    targets = np.zeros(100, dtype=int)
    some = np.r_[np.full(80, 0.05), np.full(20, 0.97)]
    assert not may_flip_unanimous(np.column_stack([1 - some, some]), targets, np.ones(100, bool)).any()
    near = np.r_[np.full(95, 0.05), np.full(4, 0.97), 0.55]
    assert may_flip_unanimous(np.column_stack([1 - near, near]), targets, np.ones(100, bool))[-1]
    below = np.r_[np.full(95, 0.05), np.full(4, 0.97), 0.45]
    assert not may_flip_unanimous(np.column_stack([1 - below, below]), targets, np.ones(100, bool))[-1]
