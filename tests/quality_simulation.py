"""Seeded simulated annotation tables with planted annotator profiles (test data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

LABELS = ("billing", "delivery", "refund", "account", "other")
PRIORS = (0.30, 0.25, 0.20, 0.15, 0.10)
PROFILES = {
    "ann1": "good",
    "ann2": "good",
    "ann3": "good",
    "ann4": "fatigue",
    "ann5": "biased",
    "ann6": "random",
}
FAVOURED = "refund"


def simulate(n_items: int = 600, *, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """Return (canonical table, true label index per item).

    Good annotators are right 85% of the time (round 2: 92%); the fatigue one starts at
    92% and falls linearly to 45% over their sequence; the biased one answers
    ``FAVOURED`` 35% of the time regardless of the item; the random one picks uniformly.
    Errors are uniform over the other labels. Each annotator labels every item in their
    own random order; items of round ``r1`` come before ``r2`` in every sequence.
    """
    rng = np.random.default_rng(seed)
    k = len(LABELS)
    truth = rng.choice(k, size=n_items, p=PRIORS)
    round_two = np.arange(n_items) >= n_items // 2
    start = pd.Timestamp("2026-01-01", tz="UTC")
    frames = []
    for name, profile in PROFILES.items():
        order = np.concatenate(
            [rng.permutation(np.flatnonzero(~round_two)), rng.permutation(np.flatnonzero(round_two))]
        )
        position = np.empty(n_items)
        position[order] = np.linspace(0, 1, n_items)
        accuracy = np.where(round_two, 0.92, 0.85)
        if profile == "fatigue":
            accuracy = 0.92 - 0.47 * position
        wrong = (truth + rng.integers(1, k, n_items)) % k
        answer = np.where(rng.random(n_items) < accuracy, truth, wrong)
        if profile == "biased":
            answer = np.where(rng.random(n_items) < 0.35, LABELS.index(FAVOURED), answer)
        if profile == "random":
            answer = rng.integers(0, k, n_items)
        frames.append(
            pd.DataFrame(
                {
                    "item_id": [f"i{i:04d}" for i in order],
                    "annotator": name,
                    "label": np.asarray(LABELS, dtype=object)[answer[order]],
                    "timestamp": start + pd.to_timedelta(np.arange(n_items) * 30, unit="s"),
                    "batch": np.where(round_two[order], "r2", "r1"),
                    "annotator_group": "expert" if profile == "good" else "crowd",
                }
            )
        )
    table = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=seed).reset_index(drop=True)
    for column in ("item_id", "annotator", "label", "batch", "annotator_group"):
        table[column] = table[column].astype("string")
    return table, truth
