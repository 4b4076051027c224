"""One-coin Dawid-Skene accuracies against crowd-kit's OneCoinDawidSkene."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.clusters import one_coin_accuracy
from analysis.data.reliability import ReliabilityData


def simulated(seed: int, n_items: int = 300, n_labels: int = 6) -> tuple[pd.DataFrame, dict[str, float]]:
    rng = np.random.default_rng(seed)
    accuracy = {"a": 0.95, "b": 0.9, "c": 0.85, "d": 0.8, "e": 0.6, "f": 0.4}
    truth = rng.integers(0, n_labels, n_items)
    rows = []
    for i in range(n_items):
        for name in rng.choice(list(accuracy), size=4, replace=False):
            right = rng.random() < accuracy[name]
            wrong = (truth[i] + rng.integers(1, n_labels)) % n_labels
            rows.append((f"i{i}", str(name), f"L{truth[i] if right else wrong}"))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"]), accuracy


@pytest.mark.parametrize("seed", [0, 1], ids=["seed0", "seed1"])
def test_matches_crowdkit_one_coin(seed):
    from crowdkit.aggregation import OneCoinDawidSkene

    table, true_accuracy = simulated(seed)
    data = ReliabilityData.from_table(table)
    ours = dict(zip(data.annotators, one_coin_accuracy(data), strict=True))
    model = OneCoinDawidSkene(n_iter=100).fit(table.rename(columns={"item_id": "task", "annotator": "worker"}))
    theirs = model.skills_
    for name in true_accuracy:
        assert ours[name] == pytest.approx(float(theirs[name]), abs=0.03), name
        assert ours[name] == pytest.approx(true_accuracy[name], abs=0.08), name
    order = sorted(ours, key=ours.get)
    assert order[:2] == ["f", "e"]


def test_annotator_without_judgements_is_nan():
    table = pd.DataFrame({"item_id": ["1", "1", "2", "2"], "annotator": ["x", "y", "x", "y"],
                          "label": ["p", "p", "q", "q"]})
    data = ReliabilityData.from_table(table)
    data = ReliabilityData(data.items, np.append(data.annotators, "z").astype(object), data.labels,
                           np.column_stack([data.codes, [-1, -1]]).astype(np.int32), data.values)
    accuracy = one_coin_accuracy(data)
    assert np.isnan(accuracy[2]) and accuracy[0] == pytest.approx(1.0, abs=1e-3)
