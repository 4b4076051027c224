"""Quality on the bundled sample data against its answer keys (real model: slow).

Each planted ambiguity group must be matched by one cluster (F1 over the group's items)
and the planted label errors must fill the top-k candidates (k = number planted).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clusters import find_ambiguity_clusters
from analysis.embeddings import CharNgramEmbedder, TransformerEmbedder
from analysis.label_issues import find_label_issues

pytestmark = pytest.mark.slow

CASES = [
    pytest.param("en_support_intents", "transformer", 0.7, id="english-minilm"),
    pytest.param("ko_news_topics", "char-ngram", 0.6, id="korean-char-ngram"),
]


def load(sample_dir, name):
    data, key = sample_dir / f"{name}.csv", sample_dir / f"{name}_answer_key.csv"
    if not data.exists() or not key.exists():
        pytest.skip(f"{data.name} or its answer key is not in sample_data yet")
    from analysis.io import load_annotations

    answer = pd.read_csv(key, dtype=str, keep_default_na=False)
    return load_annotations(data).table, answer


def embedder_for(backend):
    return TransformerEmbedder() if backend == "transformer" else CharNgramEmbedder()


@pytest.mark.parametrize(("name", "backend", "min_f1"), CASES)
def test_planted_groups_are_found(sample_dir, tmp_path, name, backend, min_f1):
    table, answer = load(sample_dir, name)
    result = find_ambiguity_clusters(table, embedder=embedder_for(backend), cache_dir=tmp_path)
    clusters = [set(c.item_ids) for c in result.clusters]
    for group, members in answer[answer["ambiguity_group"] != ""].groupby("ambiguity_group"):
        wanted = set(members["item_id"])
        f1 = max((2 * len(c & wanted) / (len(c) + len(wanted)) for c in clusters), default=0.0)
        assert f1 >= min_f1, f"group {group}: best F1 {f1:.2f}"


@pytest.mark.parametrize(("name", "backend", "min_f1"), CASES)
def test_planted_errors_are_top_candidates(sample_dir, tmp_path, name, backend, min_f1):
    table, answer = load(sample_dir, name)
    planted = set(answer.loc[answer["planted_error"].str.lower().isin(["true", "1"]), "item_id"])
    if not planted:
        pytest.skip("no planted errors in this sample")
    result = find_label_issues(table, embedder=embedder_for(backend), top=len(planted), cache_dir=tmp_path)
    precision = len(set(result.issues["item_id"]) & planted) / len(planted)
    assert precision >= 0.6
