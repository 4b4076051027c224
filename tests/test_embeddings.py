"""Embedding backends, the disk cache and tokenizer coverage."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from synthetic_annotations import HashEmbedder

from analysis.base.errors import AnnotationDataError
from analysis.embeddings import (
    CharNgramEmbedder,
    EmbeddingCache,
    default_cache_dir,
    embed_with_cache,
)
from analysis.embeddings.transformer import read_pooling_config, resolve_model

TEXTS = ["refund my order", "where is my parcel", "refund my order", "reset password"]


def test_import_does_not_load_torch():
    code = "import sys, analysis.embeddings, analysis.clusters, analysis.label_issues.ranking; " \
           "print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_cache_serves_second_run_and_extends(tmp_path):
    embedder = HashEmbedder(cache_key="hash-v1")
    first = embed_with_cache(embedder, TEXTS, cache_dir=tmp_path)
    assert embedder.texts_embedded == 3  # the duplicate is embedded once
    again = embed_with_cache(embedder, TEXTS, cache_dir=tmp_path)
    np.testing.assert_array_equal(first, again)
    assert embedder.calls == 1
    embed_with_cache(embedder, [*TEXTS, "new text"], cache_dir=tmp_path)
    assert embedder.texts_embedded == 4
    np.testing.assert_allclose(first, HashEmbedder().embed(TEXTS))


@pytest.mark.parametrize("damage", ["vectors", "manifest", "other_model"], ids=str)
def test_corrupt_or_foreign_cache_is_rebuilt(tmp_path, damage):
    embedder = HashEmbedder(cache_key="hash-v1")
    expected = embed_with_cache(embedder, TEXTS, cache_dir=tmp_path)
    cache = EmbeddingCache(tmp_path, "hash-v1")
    if damage == "vectors":
        raw = bytearray(cache.vectors_path.read_bytes())
        raw[-4:] = b"\x00\x00\x80\x7f"
        cache.vectors_path.write_bytes(bytes(raw))
    elif damage == "manifest":
        cache.manifest_path.write_text("{not json", encoding="utf-8")
    else:
        manifest = json.loads(cache.manifest_path.read_text(encoding="utf-8"))
        manifest["model"] = "another-model"
        cache.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = embed_with_cache(embedder, TEXTS, cache_dir=tmp_path)
    assert embedder.calls == 2
    np.testing.assert_allclose(result, expected)
    assert EmbeddingCache(tmp_path, "hash-v1").load()[1] is not None


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("LABEL_AGREEMENT_CACHE")
    assert default_cache_dir().parts[-2:] == ("label-agreement", "embeddings")


def test_char_ngram_embedder_is_unit_length_and_similarity_ordered():
    texts = ["환율 금리 상승", "금리 환율 하락", "축구 경기 결과", "축구 선수 이적"]
    vectors = CharNgramEmbedder().embed(texts)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    sim = vectors @ vectors.T
    assert sim[0, 1] > sim[0, 2] and sim[2, 3] > sim[1, 3]


def test_unknown_hub_model_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(AnnotationDataError, match=r"nor in the local Hugging Face cache\. Fix: .*char-ngram"):
        resolve_model("no-such-org/no-such-model")


def test_pooling_config_is_read(tmp_path):
    (tmp_path / "modules.json").write_text(json.dumps(
        [{"idx": 1, "name": "1", "path": "pool", "type": "sentence_transformers.models.Pooling"}]))
    (tmp_path / "pool").mkdir()
    (tmp_path / "pool" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    assert read_pooling_config(tmp_path).mode == "cls"
    assert read_pooling_config(tmp_path / "pool").mode == "mean"


def test_coverage_warns_on_korean_with_english_model(bundled):
    from analysis.embeddings import measure_coverage

    korean = measure_coverage(bundled.tokenizer, ["정부는 부동산 정책을 발표했다", "삼성전자가 투자를 늘렸다"])
    assert korean.tokens_per_char > 1.0 and korean.hangul_share == 1.0
    assert len(korean.warnings) == 1
    assert "intfloat/multilingual-e5-small" in korean.warnings[0] and "char-ngram" in korean.warnings[0]
    english = measure_coverage(bundled.tokenizer, ["The parcel arrived two days late."])
    assert english.warnings == () and english.unknown_rate == 0.0


@pytest.mark.slow
def test_bundled_model_matches_sentence_transformers(bundled, tmp_path):
    from sentence_transformers import SentenceTransformer

    texts = ["A short one.", "My parcel never arrived and the courier does not answer the phone.",
             "Refund please", "How do I reset my password?", "x"]
    seen: list[tuple[int, int]] = []
    ours = embed_with_cache(bundled, texts, cache_dir=tmp_path, progress=lambda d, t: seen.append((d, t)))
    reference = SentenceTransformer(str(bundled.folder), device="cpu").encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    assert seen[-1] == (5, 5)
    sim = ours @ ours.T
    assert sim[1, 2] < sim[2, 2] and sim[0, 0] == pytest.approx(1.0, abs=1e-5)
