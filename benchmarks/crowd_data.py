"""Synthetic crowd-platform exports of a real shape, for the crowd benchmarks.

The shape follows a public crowd-labelled tweet dataset: 10,751 items, 819 workers,
5 judgements per item, about 65 judgements per worker on average with a few workers
doing hundreds (Zipf-like activity). Labels: a latent class per item, each worker right
with their own accuracy (0.55-0.95), else a uniform wrong label. With ``biased_share``,
that share of the workers (the real export had 89 of 819 flagged for label bias) also
answers one favoured label on 35% of their items, whatever the item.

Run ``PYTHONPATH=. python benchmarks/crowd_data.py OUT.csv [ITEMS WORKERS PER_ITEM [BIASED]]``
to write a long CSV (``item_id,annotator,label``).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

REAL_SHAPE = (10_751, 819, 5)


def worker_activity(n_workers: int, *, exponent: float = 0.8, offset: float = 10.0) -> np.ndarray:
    """Zipf-Mandelbrot shares of the judgements per worker, busiest first.

    The least active fifth of the workers is cut to a tenth of its share: crowd exports
    hold many workers who stopped after a handful of items.
    """
    weights = (np.arange(n_workers) + offset) ** -exponent
    weights[int(n_workers * 0.8):] *= 0.1
    return weights / weights.sum()


def crowd_codes(n_items: int, n_workers: int, per_item: int, *, n_labels: int = 3,
                seed: int = 0, biased_share: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Long arrays ``(item, worker, label)`` of ``n_items * per_item`` judgements.

    Each item gets ``per_item`` distinct workers drawn by activity share; a
    ``biased_share`` of the workers leans toward one label (see the module notes).
    """
    rng = np.random.default_rng(seed)
    share = worker_activity(n_workers)
    workers = rng.choice(n_workers, size=(n_items, per_item), p=share)
    while True:  # redraw the (rare) items that drew one worker twice
        ordered = np.sort(workers, axis=1)
        clash = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not clash.any():
            break
        workers[clash] = rng.choice(n_workers, size=(int(clash.sum()), per_item), p=share)
    truth = rng.choice(n_labels, size=n_items, p=np.linspace(2, 1, n_labels) / np.linspace(2, 1, n_labels).sum())
    accuracy = rng.uniform(0.55, 0.95, n_workers)
    correct = rng.random((n_items, per_item)) < accuracy[workers]
    wrong = (truth[:, None] + rng.integers(1, n_labels, (n_items, per_item))) % n_labels
    labels = np.where(correct, truth[:, None], wrong)
    if biased_share:  # drawn after everything else: the unbiased data stays the same
        bias_rng = np.random.default_rng(seed + 2)
        biased = bias_rng.random(n_workers) < biased_share
        favoured = bias_rng.integers(0, n_labels, n_workers)
        lean = biased[workers] & (bias_rng.random(workers.shape) < 0.35)
        labels = np.where(lean, favoured[workers], labels)
    items = np.repeat(np.arange(n_items), per_item)
    return items, workers.reshape(-1), labels.reshape(-1)


def crowd_table(n_items: int = REAL_SHAPE[0], n_workers: int = REAL_SHAPE[1],
                per_item: int = REAL_SHAPE[2], *, n_labels: int = 3, seed: int = 0,
                biased_share: float = 0.0) -> pd.DataFrame:
    """The canonical long table of :func:`crowd_codes`, rows shuffled as a platform export."""
    items, workers, labels = crowd_codes(n_items, n_workers, per_item, n_labels=n_labels, seed=seed,
                                         biased_share=biased_share)
    order = np.random.default_rng(seed + 1).permutation(items.size)
    names = np.array(["negative", "neutral", "positive", "irrelevant", "mixed"] +
                     [f"class_{k}" for k in range(5, n_labels)], dtype=object)
    return pd.DataFrame({
        "item_id": np.char.add("t", items[order].astype(str)),
        "annotator": np.char.add("w", workers[order].astype(str)),
        "label": names[labels[order]],
    })


def main() -> None:
    out = sys.argv[1]
    shape = tuple(int(x) for x in sys.argv[2:5]) if len(sys.argv) >= 5 else REAL_SHAPE
    biased = float(sys.argv[5]) if len(sys.argv) >= 6 else 0.0
    table = crowd_table(*shape, biased_share=biased)
    table.to_csv(out, index=False)
    per_worker = table["annotator"].value_counts()
    print(f"{out}: {len(table)} judgements, {table['item_id'].nunique()} items, "
          f"{per_worker.size} workers; per worker mean {per_worker.mean():.1f}, "
          f"median {per_worker.median():.0f}, max {per_worker.max()}, min {per_worker.min()}")


if __name__ == "__main__":
    main()
