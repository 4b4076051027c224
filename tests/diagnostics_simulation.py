"""Seeded simulations for the diagnostics tests and benchmark: camps, careless annotators, ratings."""

from __future__ import annotations

import numpy as np
import pandas as pd


def camps_table(*, seed: int = 0, items: int = 600, annotators: int = 6, labels: int = 4,
                accuracy: float = 0.8, kind: str = "camps") -> pd.DataFrame:
    """Nominal labels from one population, two camps, or one population plus a careless annotator.

    ``kind="camps"``: the second half of the annotators read 70% of the items whose true
    label is ``0`` as label ``1`` (two camps that differ on one label).
    ``kind="careless"``: the last annotator is right only 30% of the time.
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, labels, items)
    other_reading = truth.copy()
    other_reading[(truth == 0) & (rng.random(items) < 0.7)] = 1
    rows = []
    for a in range(annotators):
        base = other_reading if kind == "camps" and a >= annotators // 2 else truth
        p = 0.3 if kind == "careless" and a == annotators - 1 else accuracy
        chosen = np.where(rng.random(items) < p, base, rng.integers(0, labels, items))
        rows += [(f"item{i:04d}", f"ann{a}", str(label)) for i, label in enumerate(chosen)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


def ratings_table(*, seed: int = 0, items: int = 300, annotators: int = 5, per_item: int = 4,
                  lenient: float = 0.0, drift: bool = False) -> pd.DataFrame:
    """0-5 ratings: true score plus noise; annotator 0 rates ``lenient`` points higher; with
    ``drift``, annotator 1's noise grows along their sequence."""
    rng = np.random.default_rng(seed)
    score = rng.uniform(0, 5, items)
    rows = []
    for i in range(items):
        for a in sorted(rng.choice(annotators, per_item, replace=False)):
            rows.append((i, a))
    frame = pd.DataFrame(rows, columns=["item", "annotator"])
    frame["position"] = frame.groupby("annotator").cumcount() / frame.groupby("annotator")["item"].transform("size")
    noise_sd = np.where(drift & (frame["annotator"] == 1), 0.3 + 2.5 * frame["position"], 0.5)
    value = score[frame["item"]] + rng.normal(0, 1, len(frame)) * noise_sd + np.where(frame["annotator"] == 0, lenient, 0)
    frame["label"] = np.clip(np.rint(value), 0, 5).astype(int).astype(str)
    return pd.DataFrame({"item_id": "r" + frame["item"].astype(str), "annotator": "rater" + frame["annotator"].astype(str),
                         "label": frame["label"]})


def skewed_table(*, seed: int = 0, items: int = 500, annotators: int = 3, prevalence: float = 0.1,
                 sensitivity: float = 0.6, specificity: float = 0.97) -> pd.DataFrame:
    """Binary labels where ``1`` is rare: high raw agreement, low chance-corrected agreement."""
    rng = np.random.default_rng(seed)
    truth = rng.random(items) < prevalence
    rows = []
    for a in range(annotators):
        says = np.where(truth, rng.random(items) < sensitivity, rng.random(items) > specificity)
        rows += [(f"t{i}", f"a{a}", str(int(v))) for i, v in enumerate(says)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


def binary_camps_table(*, seed: int = 0, items: int = 1120, annotators: int = 6, prevalence: float = 0.05,
                       borderline: float = 0.10, accuracy: float = 0.96) -> pd.DataFrame:
    """Rare positive label (like hate speech) and two camps reading borderline items differently.

    ``prevalence`` of the items are clear positives; ``borderline`` of them are contested:
    half are read as positive by the first half of the annotators (and as negative by the
    others), half the other way round. Each judgement is otherwise right with probability
    ``accuracy``.
    """
    rng = np.random.default_rng(seed)
    half = borderline / 2
    kind = rng.choice(4, items, p=[1 - prevalence - borderline, prevalence, half, half])
    rows = []
    for a in range(annotators):
        first_camp = a < annotators // 2
        base = np.select([kind == 1, kind == 2, kind == 3], [1, int(first_camp), int(not first_camp)], 0)
        chosen = np.where(rng.random(items) < accuracy, base, 1 - base)
        rows += [(f"tweet{i:04d}", f"ann{a}", str(v)) for i, v in enumerate(chosen)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
