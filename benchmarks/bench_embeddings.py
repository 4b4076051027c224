"""Embedding throughput vs the raw model, clustering time, and a cached rerun.

Run: ``.venv/bin/python benchmarks/bench_embeddings.py [N_TEXTS]``. Both throughputs are
measured in the same run on the same texts, because the CPU may be shared.
"""

from __future__ import annotations

import sys
import tempfile
import time

import numpy as np
import pandas as pd


def short_texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    words = [
        "refund",
        "order",
        "parcel",
        "courier",
        "late",
        "password",
        "login",
        "account",
        "invoice",
        "charge",
        "screen",
        "error",
        "crash",
        "update",
        "delivery",
        "tracking",
        "money",
        "back",
        "statement",
        "receipt",
    ]
    return [" ".join(rng.choice(words, int(rng.integers(5, 14)))) + f" {i}" for i in range(n)]


def raw_forward_rate(embedder, texts: list[str], batch_size: int = 32) -> float:
    import torch

    model, tokenizer = embedder._load_model(), embedder.tokenizer
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            batch = tokenizer(
                texts[i : i + batch_size], padding=True, truncation=True, return_tensors="pt"
            )
            model(**batch)
    return len(texts) / (time.perf_counter() - start)


def main(n: int = 600) -> None:
    from analysis.clusters import find_ambiguity_clusters
    from analysis.embeddings import TransformerEmbedder, embed_with_cache

    texts = short_texts(n)
    embedder = TransformerEmbedder()
    raw_forward_rate(embedder, texts[:64])  # warm-up
    raw = raw_forward_rate(embedder, texts)
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        embed_with_cache(embedder, texts, cache_dir=cache)
        ours = n / (time.perf_counter() - start)
        print(
            f"raw forward pass: {raw:.0f} texts/s; TransformerEmbedder (+cache write): "
            f"{ours:.0f} texts/s; ratio {ours / raw:.2f}"
        )

        rng = np.random.default_rng(1)
        big = short_texts(2000, seed=1)
        rows = [
            (f"i{i}", f"a{j}", str(rng.integers(0, 2)), t)
            for i, t in enumerate(big)
            for j in range(5)
        ]
        table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
        embed_with_cache(embedder, big, cache_dir=cache)
        vectors = pd.DataFrame(
            embed_with_cache(embedder, big, cache_dir=cache), index=[f"i{i}" for i in range(2000)]
        )
        start = time.perf_counter()
        result = find_ambiguity_clusters(table, embeddings=vectors, min_entropy=0.0)
        print(
            f"clustering {len(result.item_table)} disagreed items: {time.perf_counter() - start:.2f} s "
            f"({len(result.clusters)} clusters)"
        )

        start = time.perf_counter()
        fresh = TransformerEmbedder()
        find_ambiguity_clusters(
            table,
            embedder=fresh,
            min_entropy=0.0,
            cache_dir=cache,
            distance_threshold=result.settings["distance_threshold"],
        )
        print(
            f"repeated run from cache (new embedder, {len(result.item_table)} items, given cut): "
            f"{time.perf_counter() - start:.2f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
