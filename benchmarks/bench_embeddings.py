"""Embedding throughput vs the raw model, clustering time, char-ngram and cached reruns.

Run: ``PYTHONPATH=. python benchmarks/bench_embeddings.py [N_TEXTS] [REPEATS]`` (defaults
600 and 3). Prints a Markdown table. The raw forward pass and the embedder are timed
alternately on the same texts with the same torch thread count, and every row is run
REPEATS times (best and median shown), because a shared machine's load moves single
timings a lot. Timed rows run after one untimed warm-up call (imports, first model load).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

WORDS = (
    "refund", "order", "parcel", "courier", "late", "password", "login", "account", "invoice",
    "charge", "screen", "error", "crash", "update", "delivery", "tracking", "money", "back",
    "statement", "receipt",
)
GIVEN_DISTANCE = 0.4  # the "given cut" rows: average-linkage tree cut at this cosine distance


def short_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct support-like texts of 5-13 words (plus a number)."""
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, int(rng.integers(5, 14)))) + f" {i}" for i in range(n)]


def annotated_table(texts: list[str], *, n_annotators: int = 5, seed: int = 1) -> pd.DataFrame:
    """Every text labelled 0/1 at random by ``n_annotators`` (most items disagreed)."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"i{i}", f"a{j}", str(rng.integers(0, 2)), t)
        for i, t in enumerate(texts)
        for j in range(n_annotators)
    ]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])


def timed(call: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` calls."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def raw_forward(embedder: Any, texts: list[str], batch_size: int = 32) -> None:
    """The model alone: tokenizer + forward pass in input order, no pooling, no cache."""
    import torch

    model, tokenizer = embedder._load_model(), embedder.tokenizer
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            batch = tokenizer(
                texts[i : i + batch_size], padding=True, truncation=True, return_tensors="pt"
            )
            model(**batch)


def fresh_process_cached_embedding(texts: list[str], cache: Path) -> float:
    """Seconds a new process needs to embed ``texts`` from ``cache`` (after its imports)."""
    texts_file = cache / "texts.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    code = (
        "import json, sys, time\n"
        "from analysis.embeddings import TransformerEmbedder, embed_items\n"
        f"texts = json.loads(open({str(texts_file)!r}, encoding='utf-8').read())\n"
        "start = time.perf_counter()\n"
        f"embed_items([str(i) for i in range(len(texts))], texts, embedder=TransformerEmbedder(), "
        f"cache_dir={str(cache)!r})\n"
        "seconds = time.perf_counter() - start\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
        "print(seconds)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def row(name: str, seconds: list[float], note: str = "") -> str:
    best, median = min(seconds), statistics.median(seconds)
    return f"| {name} | {best:.3f} | {median:.3f} | {note} |"


def main(n: int = 600, repeats: int = 3) -> None:
    import torch

    from analysis.clusters import find_ambiguity_clusters
    from analysis.embeddings import (
        CharNgramEmbedder,
        TransformerEmbedder,
        embed_items,
        embed_with_cache,
    )

    lines = ["| operation | best s | median s | note |", "|---|---|---|---|"]
    texts = short_texts(n)
    embedder = TransformerEmbedder()
    torch.set_num_threads(embedder.threads or torch.get_num_threads())
    embedder.threads = torch.get_num_threads()  # both sides use the same thread count
    raw_forward(embedder, texts[:64])  # warm-up
    raw_s, ours_s = [], []
    for _ in range(repeats):
        raw_s += timed(lambda: raw_forward(embedder, texts), 1)
        ours_s += timed(lambda: embedder.embed(texts), 1)
    ratio = min(raw_s) / min(ours_s)
    lines.append(row(f"raw forward pass, {n} texts", raw_s, f"{n / min(raw_s):.0f} texts/s"))
    lines.append(
        row(
            f"TransformerEmbedder.embed, same {n} texts",
            ours_s,
            f"{n / min(ours_s):.0f} texts/s; {ratio:.2f} x raw (best), "
            f"{statistics.median(raw_s) / statistics.median(ours_s):.2f} x (median)",
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        big = short_texts(2000, seed=1)
        table = annotated_table(big)
        ids = [f"i{i}" for i in range(len(big))]
        start = time.perf_counter()
        vectors = pd.DataFrame(embed_with_cache(embedder, big, cache_dir=cache), index=ids)
        lines.append(row("embed 2,000 texts (+cache write)", [time.perf_counter() - start]))

        def cluster(**options: Any) -> Any:
            return find_ambiguity_clusters(table, min_entropy=0.0, **options)

        result = cluster(embeddings=vectors)  # warm-up
        n_items = len(result.item_table)
        lines.append(
            row(
                f"clustering {n_items} disagreed items given embeddings (default cut)",
                timed(lambda: cluster(embeddings=vectors), repeats),
                f"{len(result.clusters)} clusters; target < 2 s",
            )
        )
        lines.append(
            row(
                f"clustering {n_items} items given embeddings, given cut {GIVEN_DISTANCE}",
                timed(lambda: cluster(embeddings=vectors, distance_threshold=GIVEN_DISTANCE), repeats),
            )
        )

        def cached_embedding() -> None:
            fresh = TransformerEmbedder()
            embed_items(ids, big, embedder=fresh, cache_dir=cache)
            if fresh._model is not None or fresh._tokenizer is not None:
                raise RuntimeError("a run served from the cache loaded the model or tokenizer")

        embed_items(ids, big, embedder=TransformerEmbedder(), cache_dir=cache)  # stores coverage
        lines.append(
            row(
                "repeated embedding of 2,000 texts from cache (new embedder + coverage)",
                timed(cached_embedding, repeats),
                "target < 1 s; model and tokenizer not loaded",
            )
        )
        lines.append(
            row(
                "the same in a new Python process (imports excluded)",
                [fresh_process_cached_embedding(big, cache) for _ in range(repeats)],
                "torch and transformers not imported",
            )
        )
        lines.append(
            row(
                "repeated clusters run from cache (new embedder, default cut)",
                timed(lambda: cluster(embedder=TransformerEmbedder(), cache_dir=cache), repeats),
            )
        )

        def char_ngram_run() -> None:
            cluster(embedder=CharNgramEmbedder(), cache_dir=cache / "char")

        lines.append(
            row(
                "clusters, char-ngram fitted on all 2,000 texts (first run)",
                timed(lambda: cluster(embedder=CharNgramEmbedder(), use_cache=False), repeats),
            )
        )
        char_ngram_run()
        lines.append(
            row("clusters, char-ngram, repeated run from cache", timed(char_ngram_run, repeats))
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 600,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )
