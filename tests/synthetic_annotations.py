"""Small synthetic annotation tables with planted ambiguity, slips and label errors."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

ANNOTATORS = ("ann1", "ann2", "ann3", "ann4", "ann5")

# topic words -> (gold label, confusable label); the first three topics are ambiguous.
TOPICS = {
    "refund": (["refund", "money", "back", "charge"], "billing", "refund"),
    "login": (["password", "login", "locked", "account"], "account", "technical"),
    "shipping": (["parcel", "courier", "delivery", "tracking"], "shipping", "complaint"),
    "billing": (["invoice", "vat", "receipt", "statement"], "billing", "billing"),
    "tech": (["crash", "error", "screen", "update"], "technical", "technical"),
}


class HashEmbedder:
    """Bag of hashed words: similar word sets give similar unit vectors (no model)."""

    name = "hash-bow"

    def __init__(self, dim: int = 64, cache_key: str | None = None) -> None:
        self.dim = dim
        self.calls = 0
        self.texts_embedded = 0
        if cache_key is not None:
            self.cache_key = cache_key

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word.encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        if progress is not None:
            progress(len(texts), len(texts))
        return out / np.maximum(norms, 1e-12)


def synthetic_table(
    *, n_per_topic: int = 12, seed: int = 0, noisy_slips: int = 8, planted_errors: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (table, answer key). Ambiguous topics split 3-2 / 2-3 among varying annotators.

    ``ann5`` also slips alone on ``noisy_slips`` clear items; ``planted_errors`` clear
    items get a unanimous wrong label.
    """
    rng = np.random.default_rng(seed)
    filler = ["please", "help", "today", "with", "my", "the", "issue", "again"]
    rows, key = [], []
    labels_all = sorted({v[1] for v in TOPICS.values()} | {v[2] for v in TOPICS.values()})
    clear_items = []
    for topic, (words, gold, other) in TOPICS.items():
        for k in range(n_per_topic):
            item = f"{topic}-{k:02d}"
            text = " ".join(rng.choice(words, 3, replace=False).tolist() + rng.choice(filler, 2).tolist())
            ambiguous = gold != other
            votes = [gold] * 5
            if ambiguous:
                dissent = rng.choice(5, size=int(rng.integers(2, 3)), replace=False)
                for d in dissent:
                    votes[d] = other
            else:
                clear_items.append((item, gold))
            key.append((item, gold, topic if ambiguous else "", False, ""))
            rows.extend((item, a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True))
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    answer = pd.DataFrame(key, columns=["item_id", "gold_label", "ambiguity_group", "planted_error", "error_label"])
    picks = rng.choice(len(clear_items), size=noisy_slips + planted_errors, replace=False)
    for p in picks[:noisy_slips]:
        item, gold = clear_items[p]
        wrong = next(lab for lab in labels_all if lab != gold)
        table.loc[(table["item_id"] == item) & (table["annotator"] == "ann5"), "label"] = wrong
    for p in picks[noisy_slips:]:
        item, gold = clear_items[p]
        wrong = "technical" if gold != "technical" else "billing"
        table.loc[table["item_id"] == item, "label"] = wrong
        answer.loc[answer["item_id"] == item, ["planted_error", "error_label"]] = [True, wrong]
    return table, answer
