"""Simulated crowd span annotation shaped like the PICO "Participants" corpus, with known
worker accuracies, to compare per-annotator quality measures against the truth.

Shape (measured on ``/work/shared/data/pico_spans``, 4,049 abstracts, 309 workers):
abstracts of about 1,700 characters (here 250 words); 1 to 4 gold spans per abstract,
of a median 42 characters (here log-normal lengths, median 6 words); 5 to 7 workers per
abstract, drawn by a heavy-tailed activity (a median worker sees 9 abstracts, the busiest
hundreds); a worker who marked nothing in an abstract is not listed, as in the corpus.

Each worker has four independent traits, drawn once: ``recall`` (the chance of marking
each gold span, 0.3-0.95), ``boundary`` (the mean shift of each span boundary, in words,
0-3), ``extend`` (the chance that a shifted boundary moves out rather than in, 0.2-0.9:
some workers mark whole clauses, others the head words) and ``false_spans`` (spans per
abstract that are not in the gold, 0-1.2). A worker's true quality is their token F1 against the gold,
pooled over their abstracts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.judgements import SpanData

LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))


@dataclass(frozen=True)
class SpanCrowd:
    """A simulated corpus: the crowd's spans, the gold spans and each worker's truth."""

    data: SpanData
    gold: pd.DataFrame  # item_id, start, end
    workers: pd.DataFrame  # annotator, recall, boundary, extend, false_spans, documents, true_f1


def _activity(n_workers: int, rng: np.random.Generator) -> np.ndarray:
    weights = (np.arange(n_workers) + 3.0) ** -1.1
    return rng.permutation(weights / weights.sum())


def simulate(n_docs: int = 2000, n_workers: int = 300, *, words: int = 250, seed: int = 0) -> SpanCrowd:
    """A seeded corpus of ``n_docs`` abstracts (see the module notes)."""
    rng = np.random.default_rng(seed)
    recall = rng.uniform(0.3, 0.95, n_workers)
    boundary = rng.uniform(0.0, 3.0, n_workers)
    extend = rng.uniform(0.2, 0.9, n_workers)
    false_spans = rng.uniform(0.0, 1.2, n_workers)
    share = _activity(n_workers, rng)
    texts: dict[str, str] = {}
    gold_rows, spans, judged = [], [], []
    for d in range(n_docs):
        item = f"doc{d:05d}"
        lengths = rng.integers(2, 11, words)
        tokens = ["".join(rng.choice(LETTERS, n)) for n in lengths]
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
        ends = starts + lengths
        texts[item] = " ".join(tokens)
        n_gold = int(rng.integers(1, 5))
        slots = np.sort(rng.choice(np.arange(5, words - 20), n_gold, replace=False))
        gold = []
        for i, first in enumerate(slots):
            size = int(np.clip(np.round(rng.lognormal(np.log(6), 0.7)), 1, 40))
            limit = (slots[i + 1] - 2) if i + 1 < len(slots) else words - 1
            last = int(min(first + size - 1, limit))
            if last < first:
                continue
            gold.append((int(first), last))
            gold_rows.append((item, int(starts[first]), int(ends[last])))
        chosen = rng.choice(n_workers, size=int(rng.integers(5, 8)), replace=False, p=share)
        for w in chosen:
            marked = []
            for first, last in gold:
                if rng.random() >= recall[w]:
                    continue
                shift = rng.poisson(boundary[w], 2) * np.where(rng.random(2) < extend[w], 1, -1)
                a = int(np.clip(first - shift[0], 0, words - 1))
                b = int(np.clip(last + shift[1], a, words - 1))
                marked.append((a, b))
            for _ in range(rng.poisson(false_spans[w])):
                a = int(rng.integers(0, words - 1))
                b = int(min(words - 1, a + np.round(rng.lognormal(np.log(5), 0.7))))
                marked.append((a, b))
            if not marked:
                continue  # a worker who marked nothing is not listed
            judged.append((item, f"w{w:03d}"))
            spans += [(item, f"w{w:03d}", int(starts[a]), int(ends[b]), "Participants") for a, b in marked]
    data = SpanData.build(spans, judged, texts)
    gold_frame = pd.DataFrame(gold_rows, columns=["item_id", "start", "end"])
    workers = pd.DataFrame({"annotator": [f"w{w:03d}" for w in range(n_workers)], "recall": recall,
                            "boundary": boundary, "extend": extend, "false_spans": false_spans})
    truth = true_f1(data, gold_frame)
    workers = workers.merge(truth, on="annotator", how="inner")
    return SpanCrowd(data, gold_frame, workers)


def gold_tokens(grid, gold: pd.DataFrame) -> np.ndarray:
    """Type per token of the grid under the gold spans (1 inside a gold span, 0 outside)."""
    code = {item: d for d, item in enumerate(grid.item_ids)}
    reference = np.zeros(len(grid.token_start), dtype=np.int64)
    for row in gold.itertuples(index=False):
        doc = code.get(row.item_id)
        if doc is None:
            continue
        low, high = grid.doc_token_start[doc], grid.doc_token_start[doc + 1]
        inside = (grid.token_start[low:high] >= row.start) & (grid.token_end[low:high] <= row.end)
        reference[low:high][inside] = 1
    return reference


def true_f1(data: SpanData, gold: pd.DataFrame) -> pd.DataFrame:
    """Each worker's token F1 against the gold and their number of documents."""
    from analysis.tasks.spans.agreement import f1_against_tokens
    from analysis.tasks.spans.grid import TokenGrid

    grid = TokenGrid.from_spans(data)
    f1 = f1_against_tokens(grid, gold_tokens(grid, gold))
    documents = np.bincount(grid.judgement_annotator, minlength=len(grid.annotators))
    return pd.DataFrame({"annotator": list(grid.annotators), "documents": documents, "true_f1": f1})
