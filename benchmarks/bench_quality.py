"""Timing of the consensus and quality analyses.

Run: ``.venv/bin/python benchmarks/bench_quality.py``. Targets: Dawid-Skene on
100,000 items x 5 annotators x 7 classes within 5 s; the annotator table (Dawid-Skene,
leave-one-out agreement with 1,000 bootstrap replicates, alpha without each annotator)
for each sample dataset within 1 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.consensus import DawidSkene  # noqa: E402
from analysis.data.dataset import AnnotationDataset  # noqa: E402
from analysis.data.reliability import ReliabilityData  # noqa: E402
from analysis.quality import annotator_quality_table, bias_table, fatigue_trends  # noqa: E402


def _best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def simulated_data(n_items: int, n_annotators: int, n_labels: int, *, seed: int = 0) -> ReliabilityData:
    """Annotators right 60% of the time, 10% of judgements missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_labels, n_items)
    codes = np.where(
        rng.random((n_items, n_annotators)) < 0.6, truth[:, None], rng.integers(0, n_labels, (n_items, n_annotators))
    ).astype(np.int32)
    codes[rng.random(codes.shape) < 0.1] = -1
    return ReliabilityData(
        items=np.array([f"i{i}" for i in range(n_items)], dtype=object),
        annotators=np.array([f"a{j}" for j in range(n_annotators)], dtype=object),
        labels=tuple(f"c{k}" for k in range(n_labels)),
        codes=codes,
        values=np.arange(n_labels, dtype=float),
    )


def main() -> None:
    data = simulated_data(100_000, 5, 7)
    model = DawidSkene()
    seconds = _best_of(3, lambda: model.fit(data))
    print(f"dawid_skene 100000x5x7: {seconds:.2f} s ({model.n_iter_} EM passes; target 5 s)")
    for name in ("ko_news_topics", "en_support_intents"):
        path = ROOT / "sample_data" / f"{name}.csv"
        if not path.exists():
            print(f"{name}: not present, skipped")
            continue
        table = pd.read_csv(path, dtype=str)
        if "timestamp" in table:
            table["timestamp"] = pd.to_datetime(table["timestamp"], utc=True, errors="coerce")
        dataset = AnnotationDataset.from_table(table)
        sample = dataset.reliability
        shape = f"{sample.n_items} items x {sample.n_annotators} annotators"
        seconds = _best_of(3, lambda sample=sample: annotator_quality_table(sample, bootstrap=1000))
        print(f"annotator_quality_table {name} ({shape}): {seconds:.3f} s (target 1 s)")
        seconds = _best_of(3, lambda dataset=dataset: (fatigue_trends(dataset), bias_table(dataset)))
        print(f"fatigue_trends + bias_table {name}: {seconds:.3f} s")


if __name__ == "__main__":
    main()
