"""Models vs humans on real texts: CLINC150 queries, simulated people and two simulated models.

Run: ``PYTHONPATH=. python benchmarks/bench_models_clinc.py [REPEATS] [--data PATH] [--items N]``
(default 3 repeats, 10,000 items, data ``../shared/data/clinc150/data_full.json``). Prints
Markdown tables: what each model's Alternative Annotator Test and per-label comparison
found against what was planted, and the time of each step (best and median of the repeats).

Simulation (seeded):

* texts: ``--items`` CLINC150 training queries (Larson et al., EMNLP 2019; CC BY 3.0), 150
  intents; each intent's five *neighbours* are the intents with the nearest centroids of
  the project's char-ngram vectors of their queries (real confusable pairs such as
  ``card_declined``/``report_fraud``);
* **people**: five annotators of accuracy 0.92, 0.88, 0.85, 0.80 and 0.75; a wrong label is
  one of the intent's neighbours 70% of the time, any intent otherwise. Each query gets 3 of
  the 5 at random (about 6,000 items per person);
* **strong model** (``llm:strong``): accuracy 0.94 with the same kind of errors, except on
  eight *weak intents* drawn at random, where it gives a neighbour half of the time; it
  should pass, and the per-label comparison should call the weak intents ``worse``;
* **weak model** (``model:weak``): accuracy 0.60 everywhere; it should fail.

Timings: the Alternative Annotator Test alone (:func:`analysis.model_annotators.alt_test`,
one model, 10,000 items), the whole comparison of both models with 1,000 bootstrap
resamples (:func:`analysis.model_annotators.section.compare_models`, what the report adds),
and the full report with the section (``build_report``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

_ROOT = Path(__file__).resolve().parents[1]
DATA = next(
    (p / "shared" / "data" / "clinc150" / "data_full.json" for p in (_ROOT.parent, _ROOT.parent.parent)
     if (p / "shared" / "data" / "clinc150" / "data_full.json").exists()),
    _ROOT.parent / "shared" / "data" / "clinc150" / "data_full.json",
)
PEOPLE = {"p1": 0.92, "p2": 0.88, "p3": 0.85, "p4": 0.80, "p5": 0.75}
STRONG, WEAK = "llm:strong", "model:weak"
N_WEAK_INTENTS = 8


def load_queries(path: Path, n_items: int, *, seed: int) -> pd.DataFrame:
    """``n_items`` distinct CLINC150 training queries as ``text, intent``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    corpus = pd.DataFrame(raw["train"], columns=["text", "intent"]).drop_duplicates("text")
    return corpus.sample(n=min(n_items, len(corpus)), random_state=seed).reset_index(drop=True)


def neighbours(queries: pd.DataFrame, k: int = 5) -> dict[str, list[str]]:
    """Each intent's ``k`` nearest intents by the centroids of their char-ngram vectors."""
    from analysis.embeddings import make_embedder

    vectors = make_embedder("char-ngram").embed(queries["text"].tolist())
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    intents = sorted(queries["intent"].unique())
    centroids = np.vstack([vectors[(queries["intent"] == i).to_numpy()].mean(axis=0) for i in intents])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    similarity = centroids @ centroids.T
    np.fill_diagonal(similarity, -np.inf)
    return {intent: [intents[j] for j in np.argsort(-similarity[i])[:k]] for i, intent in enumerate(intents)}


def simulate(queries: pd.DataFrame, near: dict[str, list[str]], *, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """The canonical table (people and models) and the strong model's planted weak intents."""
    rng = np.random.default_rng(seed)
    intents = sorted(near)
    weak_intents = [str(x) for x in rng.choice(intents, N_WEAK_INTENTS, replace=False)]

    def judge(truth: str, accuracy: float) -> str:
        if rng.random() < accuracy:
            return truth
        return near[truth][int(rng.integers(5))] if rng.random() < 0.7 else intents[int(rng.integers(len(intents)))]

    rows = []
    for i, (text, truth) in enumerate(zip(queries["text"], queries["intent"], strict=True)):
        item = f"q{i:05d}"
        for who in rng.choice(list(PEOPLE), 3, replace=False):
            rows.append((item, str(who), judge(truth, PEOPLE[str(who)]), text))
        strong = near[truth][int(rng.integers(5))] if truth in weak_intents and rng.random() < 0.5 \
            else judge(truth, 0.94)
        rows.append((item, STRONG, strong, text))
        rows.append((item, WEAK, judge(truth, 0.60), text))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"]), weak_intents


def timed(function, repeats: int) -> tuple[object, float, float]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repeats", nargs="?", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from analysis.data.dataset import AnnotationDataset
    from analysis.io import load_annotations
    from analysis.model_annotators import alt_test
    from analysis.model_annotators.section import compare_models
    from analysis.report import build_report

    queries = load_queries(args.data, args.items, seed=args.seed)
    table, weak_intents = simulate(queries, neighbours(queries), seed=args.seed)
    csv = table.to_csv(index=False).encode()
    result = load_annotations(csv, name="clinc_models.csv")
    dataset = AnnotationDataset.from_load_result(result)
    humans = dataset.table
    strong = dataset.model_table[dataset.model_table["annotator"] == STRONG].set_index("item_id")["label"]

    print(f"CLINC150: {len(queries):,} queries, {queries['intent'].nunique()} intents; "
          f"{len(humans):,} human judgements by {humans['annotator'].nunique()} people, "
          f"{len(dataset.model_table):,} model judgements; models recognised: "
          f"{', '.join(f'{m.annotator} ({m.identified_by})' for m in result.report.model_annotators)}\n")

    test, test_best, test_median = timed(lambda: alt_test(humans, strong), args.repeats)
    section, section_best, section_median = timed(lambda: compare_models(dataset, bootstrap=1000, seed=0),
                                                  args.repeats)
    report, report_best, report_median = timed(lambda: build_report(dataset, bootstrap=1000, seed=0),
                                                max(1, args.repeats - 1))
    people_only = replace(dataset, model_table=None)
    _, plain_best, plain_median = timed(lambda: build_report(people_only, bootstrap=1000, seed=0),
                                        max(1, args.repeats - 1))

    print("| model | planted | winning rate ω | advantage ρ | passed | humans won / tested | "
          "weak intents called worse | other intents called worse |")
    print("|---|---|---|---|---|---|---|---|")
    for model in section.models:
        planted = "strong (0.94; 8 weak intents)" if model.annotator == STRONG else "weak (0.60)"
        verdicts = model.agreement.per_class
        worse = {label for label, c in verdicts.items() if c.verdict == "worse"}
        weak_hits = len(worse & set(weak_intents)) if model.annotator == STRONG else "—"
        others = len(worse - set(weak_intents)) if model.annotator == STRONG else len(worse)
        t = model.alt_test
        print(f"| {model.annotator} | {planted} | {t.winning_rate:.2f} | {t.advantage_probability:.3f} | "
              f"{t.passed} | {t.humans_won} / {t.humans_tested} | {weak_hits} of {N_WEAK_INTENTS} | {others} |")
    print()
    print("| step (10,000 items unless stated) | best | median |")
    print("|---|---|---|")
    print(f"| alt_test, one model ({len(humans):,} human judgements) | {test_best:.3f} s | {test_median:.3f} s |")
    print(f"| compare_models: both models, alt-test + agreement with 1,000 resamples | "
          f"{section_best:.2f} s | {section_median:.2f} s |")
    print(f"| build_report with models_vs_humans, 1,000 resamples | {report_best:.2f} s | {report_median:.2f} s |")
    print(f"| build_report of the same people without the models | {plain_best:.2f} s | {plain_median:.2f} s |")
    assert test.defined and report.models is not None


if __name__ == "__main__":
    main()
