"""Which per-annotator span quality measure ranks workers best against the truth?

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_span_quality.py [--seeds 5] [--docs 2000]``
(Markdown table; the numbers in docs/tasks.md, "Annotator quality on spans").

On each seeded corpus of ``benchmarks/span_crowd.py`` (PICO-shaped: 300 workers, 5-7 per
abstract, known recall, boundary noise and false spans per worker) the report's
per-annotator measures are computed as the report computes them, and each is compared with
the workers' true token F1 against the gold by Spearman's rank correlation, over the
workers with at least ``--min-docs`` (3) abstracts:

* ``quality``: balanced accuracy of the worker's token Dawid-Skene confusion matrix;
* ``model_f1``: the token F1 that confusion matrix implies (recall on span tokens,
  precision from the model's prior), model-based too;
* ``f1_vs_consensus``: token F1 against the majority of the other workers of each abstract;
* ``f1_vs_dawid_skene``: token F1 against the Dawid-Skene consensus spans (the spans the
  report's ``consensus`` lists, made whole phrases: ``analysis.tasks.spans.phrases``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from span_crowd import simulate

from analysis.tasks.spans.agreement import (
    _leave_one_out_f1,
    dawid_skene_consensus,
    f1_against_tokens,
)
from analysis.tasks.spans.consensus import TokenDawidSkene
from analysis.tasks.spans.grid import TokenGrid

MEASURES = ("quality", "model_f1", "f1_vs_consensus", "f1_vs_dawid_skene")


def model_f1(model: TokenDawidSkene) -> np.ndarray:
    """Per annotator, the token F1 implied by the fitted confusion matrices (one span type)."""
    confusion, prior = model.confusion_, model.prior_
    recall = 1.0 - confusion[:, 1:, 0].mean(axis=1)  # span tokens marked (any type)
    marked_inside = (prior[1:, None] * (1.0 - confusion[:, 1:, 0]).T).sum(axis=0)
    marked_outside = prior[0] * (1.0 - confusion[:, 0, 0])
    precision = marked_inside / np.maximum(marked_inside + marked_outside, 1e-12)
    return 2 * precision * recall / np.maximum(precision + recall, 1e-12)


def measures(crowd) -> dict[str, np.ndarray]:
    grid = TokenGrid.from_spans(crowd.data)
    model = TokenDawidSkene().fit(grid)
    return {
        "quality": model.quality(),
        "model_f1": model_f1(model),
        "f1_vs_consensus": _leave_one_out_f1(grid),
        "f1_vs_dawid_skene": f1_against_tokens(grid, dawid_skene_consensus(grid, model)[1]),
        "names": np.asarray(grid.annotators),
    }


def spearman(crowd, *, min_docs: int) -> dict[str, float]:
    from scipy.stats import spearmanr

    found = measures(crowd)
    truth = crowd.workers.set_index("annotator")
    names = found["names"]
    keep = truth.loc[names, "documents"].to_numpy() >= min_docs
    true_f1 = truth.loc[names, "true_f1"].to_numpy()
    out = {}
    for name in MEASURES:
        values = found[name]
        usable = keep & np.isfinite(values) & np.isfinite(true_f1)
        out[name] = float(spearmanr(values[usable], true_f1[usable]).statistic)
    out["workers"] = int(keep.sum())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--min-docs", type=int, default=3)
    args = parser.parse_args()
    rows = [spearman(simulate(args.docs, seed=seed), min_docs=args.min_docs) for seed in range(args.seeds)]
    print(f"{args.seeds} seeded corpora of {args.docs:,} abstracts, 300 workers; Spearman with the "
          f"true token F1 over workers with {args.min_docs}+ abstracts "
          f"({min(r['workers'] for r in rows)}-{max(r['workers'] for r in rows)} workers)")
    print("| measure | mean | min | max |")
    print("|---|---|---|---|")
    for name in MEASURES:
        values = [r[name] for r in rows]
        print(f"| `{name}` | {statistics.mean(values):.3f} | {min(values):.3f} | {max(values):.3f} |")


if __name__ == "__main__":
    main()
