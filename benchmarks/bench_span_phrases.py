"""Are the consensus spans whole phrases, and as close to the truth as before?

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_span_phrases.py [--seeds 3] [--docs 2000] [DATA_DIR]``
(the numbers in docs/tasks.md, "Consensus spans").

Two ways to turn the token Dawid-Skene types into spans, on the same fitted model:

* ``runs``: the rule before: maximal runs of one type, cut wherever most of the
  judgements that mark the token with the type begin a span there;
* ``phrases``: :func:`analysis.tasks.spans.phrases.phrase_spans` (cuts only where most of
  those who mark across begin a new span, one-token gaps inside most annotators' spans
  closed, lone-word fragments widened to the span most of their annotators drew).

On PICO Participants (``shared/data/pico_spans``, 4,049 abstracts, MTurk workers) it counts
the spans, the one-token spans, those no annotator drew, the spans touching another of
their type, and the held-out check of ``consensus_check`` for five seeds. On the simulated
crowds of ``benchmarks/span_crowd.py`` (gold known) it scores each consensus against the
gold (token F1, strict and overlap span F1) and gives the Spearman correlation of
``f1_vs_dawid_skene`` measured against it with the workers' true F1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from bench_spans import DEFAULT
from span_crowd import gold_tokens, simulate

from analysis.io.load_task import load_task
from analysis.tasks.spans.agreement import f1_against_tokens
from analysis.tasks.spans.consensus import TokenDawidSkene, _span_f1, heldout_comparison, token_f1
from analysis.tasks.spans.grid import TokenGrid, runs_to_spans
from analysis.tasks.spans.phrases import phrase_spans


def runs(grid: TokenGrid, token_type: np.ndarray, use: np.ndarray | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The rule before: runs of one type, cut where most who mark the token begin there."""
    chosen = grid.marks(use)
    token = grid.mark_token[chosen]
    same = grid.mark_type[chosen] == token_type[token]
    n = len(grid.token_start)
    marked = np.bincount(token[same], minlength=n)
    began = np.bincount(token[same & grid.mark_begin[chosen]], minlength=n)
    return runs_to_spans(grid, token_type, began * 2 > marked), np.asarray(token_type)


METHODS = {"runs": runs, "phrases": phrase_spans}


def shape(grid: TokenGrid, spans: pd.DataFrame, data) -> dict[str, int]:
    lengths = (spans["last_token"] - spans["first_token"] + 1).to_numpy()
    drawn = set(zip(data.spans["item_id"], data.spans["start"], data.spans["end"], data.spans["label"], strict=True))
    lone = spans[lengths == 1]
    undrawn = sum((r.item_id, r.start, r.end, r.label) not in drawn for r in lone.itertuples())
    first, last = spans["first_token"].to_numpy(), spans["last_token"].to_numpy()
    touching = int(((first[1:] == last[:-1] + 1) & (spans["label"].to_numpy()[1:] == spans["label"].to_numpy()[:-1])).sum())
    return {"spans": len(spans), "one_token": int((lengths == 1).sum()), "one_token_undrawn": undrawn,
            "touching_pairs": touching}


def real(folder: Path) -> None:
    data = load_task(folder).data
    grid = TokenGrid.from_spans(data)
    model = TokenDawidSkene().fit(grid)
    print(f"PICO Participants: {len(grid.item_ids):,} abstracts, {len(grid.annotators)} workers")
    print("| rule | spans | one-token | one-token nobody drew | touching pairs | held-out token F1 | strict | overlap |")
    print("|---|---|---|---|---|---|---|---|")
    for name, method in METHODS.items():
        spans, _ = method(grid, model.posterior_.argmax(axis=1), None)
        counts = shape(grid, spans, data)
        checks = [heldout_comparison(grid, seed=seed, spans_of=method)["dawid_skene"] for seed in range(5)]
        cells = [f"{min(c[k] for c in checks):.3f}-{max(c[k] for c in checks):.3f}"
                 for k in ("token_f1", "span_f1_strict", "span_f1_overlap")]
        print(f"| {name} | {counts['spans']:,} | {counts['one_token']} | {counts['one_token_undrawn']} | "
              f"{counts['touching_pairs']} | " + " | ".join(cells) + " |")


def simulated(seeds: int, docs: int) -> None:
    from scipy.stats import spearmanr

    rows: dict[str, list[tuple[float, ...]]] = {name: [] for name in METHODS}
    for seed in range(seeds):
        crowd = simulate(docs, seed=seed)
        grid = TokenGrid.from_spans(crowd.data)
        model = TokenDawidSkene().fit(grid)
        gold = gold_tokens(grid, crowd.gold)
        gold_spans = runs_to_spans(grid, gold)  # gold spans never touch
        truth = crowd.workers.set_index("annotator")
        names = np.asarray(grid.annotators)
        keep = truth.loc[names, "documents"].to_numpy() >= 3
        true_f1 = truth.loc[names, "true_f1"].to_numpy()
        for name, method in METHODS.items():
            spans, tokens = method(grid, model.posterior_.argmax(axis=1), None)
            strict, overlap = _span_f1(spans, gold_spans)
            f1 = f1_against_tokens(grid, tokens)
            usable = keep & np.isfinite(f1)
            rho = float(spearmanr(f1[usable], true_f1[usable]).statistic)
            lone = int(((spans["last_token"] - spans["first_token"]) == 0).sum())
            rows[name].append((token_f1(gold, tokens), strict, overlap, rho, lone, len(spans), len(gold_spans)))
    print(f"\nsimulated crowds: {seeds} seeds x {docs:,} abstracts, 300 workers; mean over seeds")
    print("| rule | token F1 vs gold | span F1 strict | span F1 overlap | Spearman of f1_vs_dawid_skene | one-token spans | spans (gold) |")
    print("|---|---|---|---|---|---|---|")
    for name, values in rows.items():
        mean = [statistics.mean(v[i] for v in values) for i in range(7)]
        print(f"| {name} | {mean[0]:.4f} | {mean[1]:.4f} | {mean[2]:.4f} | {mean[3]:.4f} | {mean[4]:.0f} | "
              f"{mean[5]:.0f} ({mean[6]:.0f}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    if args.data.exists():
        real(args.data)
    else:
        print(f"{args.data} not found: PICO part skipped")
    simulated(args.seeds, args.docs)


if __name__ == "__main__":
    main()
