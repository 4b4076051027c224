"""The char-ngram space fitted on a corpus, its cache, and the cached coverage check."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from analysis.clusters import find_ambiguity_clusters
from analysis.embeddings import (
    CharNgramEmbedder,
    EmbeddingCache,
    LanguageCoverage,
    embed_items,
    embed_with_cache,
)

CORPUS = [
    "환율 금리 상승 소식", "금리 환율 하락 전망", "축구 경기 결과 발표", "축구 선수 이적 소식",
    "refund my order please", "where is my parcel", "reset my password", "parcel arrived late",
]


def test_fitted_vectors_do_not_depend_on_the_call():
    fitted = CharNgramEmbedder(dim=4).fit(CORPUS)
    whole = fitted.embed(CORPUS)
    np.testing.assert_allclose(fitted.embed(CORPUS[2:5]), whole[2:5], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(whole, axis=1), 1.0, rtol=1e-5)
    # Order and duplicates of the corpus change nothing.
    again = CharNgramEmbedder(dim=4).fit([*reversed(CORPUS), CORPUS[0]])
    assert again.cache_key == fitted.cache_key and again.n_corpus_texts_ == len(CORPUS)
    np.testing.assert_allclose(again.embed(CORPUS), whole, atol=1e-6)
    assert CharNgramEmbedder(dim=4).fit(CORPUS[:-1]).cache_key != fitted.cache_key


def test_unfitted_backend_is_per_call_and_never_cached(tmp_path):
    embedder = CharNgramEmbedder(dim=4)
    assert embedder.cache_key is None and embedder.corpus_digest_ is None
    embed_with_cache(embedder, CORPUS, cache_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_embed_items_fits_a_copy_and_a_repeated_run_is_served_from_cache(tmp_path, monkeypatch):
    shared = CharNgramEmbedder(dim=4)
    first = embed_items(["a", "b"], CORPUS[:2], embedder=shared, fit_texts=CORPUS,
                        cache_dir=tmp_path)
    assert shared.corpus_digest_ is None  # the caller's (possibly shared) backend is untouched
    np.testing.assert_allclose(first.vectors, CharNgramEmbedder(dim=4).fit(CORPUS).embed(CORPUS[:2]),
                               atol=1e-6)

    def no_estimate(self, corpus):
        raise AssertionError("the char-ngram space was estimated again")

    monkeypatch.setattr(CharNgramEmbedder, "_estimate", no_estimate)
    again = embed_items(["a", "b"], CORPUS[:2], embedder=CharNgramEmbedder(dim=4),
                        fit_texts=list(reversed(CORPUS)), cache_dir=tmp_path)
    np.testing.assert_array_equal(again.vectors, first.vectors)


class RecordingCharNgram(CharNgramEmbedder):
    fitted_on: ClassVar[list[list[str]]] = []

    def fit(self, texts):
        RecordingCharNgram.fitted_on.append(list(texts))
        return super().fit(texts)


def test_clusters_fit_the_char_ngram_space_on_every_item_text():
    rows = []
    for k, text in enumerate(CORPUS):
        labels = "ABABA" if k % 2 else "AAAAA"  # only odd items are disagreed
        rows += [(f"i{k}", f"r{j}", lab, text) for j, lab in enumerate(labels)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    RecordingCharNgram.fitted_on.clear()
    result = find_ambiguity_clusters(table, embedder=RecordingCharNgram(dim=4), use_cache=False)
    assert sorted(RecordingCharNgram.fitted_on[-1]) == sorted(CORPUS)
    assert len(result.item_table) == 4 and result.backend == "char-ngram"


def test_coverage_record_round_trip_and_damaged_file(tmp_path):
    cache = EmbeddingCache(tmp_path, "model-a")
    record = LanguageCoverage(3, 0.05, 2.5, 1.7, 1.0, ("covers Korean poorly",)).to_dict()
    cache.save_coverage("k1", record)
    assert LanguageCoverage.from_dict(cache.load_coverage("k1")).warnings == ("covers Korean poorly",)
    assert cache.load_coverage("k2") is None
    assert EmbeddingCache(tmp_path, "model-b").load_coverage("k1") is None
    cache.coverage_path.write_text("{broken", encoding="utf-8")
    assert cache.load_coverage("k1") is None
    cache.save_coverage("k2", record)  # a damaged file is replaced, not fatal
    assert json.loads(cache.coverage_path.read_text(encoding="utf-8"))["records"].keys() == {"k2"}
    with pytest.raises(ValueError, match="not a coverage record"):
        LanguageCoverage.from_dict({"n_texts": 1})


def test_repeated_transformer_run_loads_neither_model_nor_tokenizer(tmp_path):
    from analysis.embeddings import TransformerEmbedder

    texts = ["정부는 부동산 정책을 발표했다", "삼성전자가 투자를 늘렸다", "환율이 올랐다"]
    first = embed_items(["a", "b", "c"], texts, embedder=TransformerEmbedder(), cache_dir=tmp_path)
    assert first.warnings  # English model on Korean text
    code = textwrap.dedent(f"""
        import sys
        from analysis.embeddings import TransformerEmbedder, embed_items
        out = embed_items(["a", "b", "c"], {texts!r}, embedder=TransformerEmbedder(),
                          cache_dir={str(tmp_path)!r})
        print(out.warnings == {first.warnings!r}, "torch" in sys.modules,
              "transformers" in sys.modules, float(out.vectors.sum()))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    same, torch_loaded, transformers_loaded, total = done.stdout.split()
    assert (same, torch_loaded, transformers_loaded) == ("True", "False", "False")
    assert float(total) == pytest.approx(float(first.vectors.sum()), rel=1e-6)
