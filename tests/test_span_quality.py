"""The headline per-annotator span quality ranks workers closest to their true F1, on a
seeded PICO-shaped crowd with known worker accuracies (benchmarks/span_crowd.py; the full
comparison is benchmarks/bench_span_quality.py, its numbers in docs/tasks.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from span_crowd import simulate

from analysis.tasks.spans.agreement import span_agreement


def test_f1_against_the_consensus_spans_ranks_workers_best() -> None:
    crowd = simulate(400, 120, words=120, seed=3)
    per = span_agreement(crowd.data, n_replicates=0)["per_annotator"]
    truth = crowd.workers.set_index("annotator")
    names = [name for name in per if truth.loc[name, "documents"] >= 3]
    assert len(names) > 80
    true_f1 = truth.loc[names, "true_f1"].to_numpy()
    rho = {key: spearmanr([getattr(per[name], key).value for name in names], true_f1).statistic
           for key in ("f1_vs_dawid_skene", "f1_vs_consensus", "quality")}
    assert rho["f1_vs_dawid_skene"] > max(rho["f1_vs_consensus"], rho["quality"])
    assert rho["f1_vs_dawid_skene"] > 0.85
    first = next(iter(per.values()))
    assert list(first.to_dict())[:3] == ["items", "spans", "f1_vs_dawid_skene"]  # the headline, beside the others
    assert np.isfinite(first.f1_vs_dawid_skene.value)
