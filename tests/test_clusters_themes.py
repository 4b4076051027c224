"""Ambiguity clusters on the shapes real disagreement data has: one label pair for every
disagreement (binary tasks), quiet members, fragments, sentence pairs, conversation turns,
placeholders, Korean text, and texts that cannot be grouped at all."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from synthetic_annotations import HashEmbedder

from analysis.clusters import find_ambiguity_clusters
from analysis.clusters.terms import clean_text, tokenize
from analysis.clusters.themes import Reference, coherence, communities, merge_fragments, split_blobs
from analysis.embeddings import pair_vectors, read_item_texts
from analysis.io import load_annotations

ANNOTATORS = [f"r{j}" for j in range(5)]
TOPICS = {
    "immigration": ["deport", "border", "migrants", "asylum", "visa", "refugees"],
    "religion": ["church", "mosque", "prayer", "faith", "bible", "quran"],
    "sport": ["football", "goal", "match", "referee", "league", "striker"],
    "food": ["pizza", "pasta", "recipe", "cheese", "oven", "dinner"],
}


def _binary_table(rng: np.random.Generator, *, per_topic: int = 15, clear: int = 60) -> pd.DataFrame:
    """A binary task whose disagreement falls on four unrelated topics, plus clear items."""
    rows = []
    for topic, words in TOPICS.items():
        for k in range(per_topic):
            text = " ".join(rng.choice(words, 4, replace=False))
            votes = ["hate", "hate", "ok", "ok", "hate"] if k % 2 else ["ok", "hate", "ok", "hate", "ok"]
            rows += [(f"{topic}{k}", a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True)]
    filler = ["weather", "today", "sunny", "rain", "cloud", "wind", "walk", "park", "coffee", "tea"]
    for k in range(clear):
        text = " ".join(rng.choice(filler, 4, replace=False))
        rows += [(f"clear{k}", a, "ok", text) for a in ANNOTATORS[:3]]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])


@pytest.fixture(scope="module")
def binary_result():
    table = _binary_table(np.random.default_rng(0))
    return find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)


def test_binary_disagreement_splits_into_its_topics(binary_result):
    """Every disagreement is on (hate, ok): the pair alone would give one blob of 60 items."""
    clusters = [c for c in binary_result.clusters]
    assert 3 <= len(clusters) <= 6
    disagreed = binary_result.to_dict()["n_disagreed_items"]
    assert max(c.size for c in clusters) <= disagreed / 2
    for topic in TOPICS:  # each topic is found, and nearly pure
        best = max(clusters, key=lambda c: sum(i.startswith(topic) for i in c.item_ids))
        share = sum(i.startswith(topic) for i in best.item_ids) / best.size
        assert share >= 0.8, (topic, best.item_ids)
    assert all(c.coherence > 0.08 for c in clusters)


def test_a_blob_without_themes_is_broad_disagreement_with_no_rule():
    rng = np.random.default_rng(1)
    vocabulary = [f"w{k}" for k in range(400)]  # every text its own random words: no theme
    rows = []
    for k in range(40):
        text = " ".join(rng.choice(vocabulary, 5, replace=False))
        votes = ["a", "a", "b", "b", "a"] if k % 2 else ["b", "a", "b", "a", "b"]
        rows += [(f"i{k}", a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    result = find_ambiguity_clusters(table, embedder=HashEmbedder(dim=512), use_cache=False)
    clustered = int((result.item_table["cluster"] >= 0).sum())
    assert all(c.size <= 20 for c in result.clusters)  # never one cluster of most items
    assert result.broad_disagreement and result.broad_disagreement[0].labels == ("a", "b")
    assert result.broad_disagreement[0].size + clustered <= 40
    if not result.clusters:
        assert result.note.startswith("no coherent groups") and result.note_code == "broad"


def test_coherence_scale():
    rng = np.random.default_rng(0)
    pool = rng.normal(size=(400, 16))
    pool /= np.linalg.norm(pool, axis=1, keepdims=True)
    reference = Reference.of(pool)
    assert abs(reference.coherence_of(pool[:40])) < 0.1  # a random draw: about 0
    same = np.tile(pool[:1], (10, 1))
    assert reference.coherence_of(same) == pytest.approx(1.0)
    assert coherence(5, 0.5, np.zeros(16), 1) == 0.0  # no reference: nothing to compare with


def test_communities_and_split_keep_a_coherent_cluster_whole():
    rng = np.random.default_rng(2)
    one = np.r_[1.0, np.zeros(7)] + rng.normal(0, 0.05, (30, 8))
    one /= np.linalg.norm(one, axis=1, keepdims=True)
    other = rng.normal(size=(60, 8))
    other /= np.linalg.norm(other, axis=1, keepdims=True)
    unit = np.vstack([one, other])
    raw = np.r_[np.zeros(30, dtype=int), np.full(60, -1)]
    assert (split_blobs(unit, raw, min_size=3)[:30] == 0).all()  # one tight theme: kept
    labels = communities(unit[:30])
    assert labels.min() == 0 and len(labels) == 30


def test_fragments_of_one_pair_merge_and_other_pairs_do_not():
    rng = np.random.default_rng(3)
    theme = np.r_[1.0, np.zeros(7)] + rng.normal(0, 0.08, (20, 8))
    away = np.r_[0.0, 1.0, np.zeros(6)] + rng.normal(0, 0.08, (10, 8))
    background = rng.normal(size=(30, 8))
    unit = np.vstack([theme, away, background])
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    counts = np.array([[2, 1, 0]] * 20 + [[0, 2, 1]] * 10 + [[3, 0, 0]] * 30)
    raw = np.r_[np.zeros(10, int), np.ones(10, int), np.full(10, 2), np.full(30, -1)]
    merged = merge_fragments(unit, raw, counts)
    assert len(set(merged[:20])) == 1 and merged[20] == 2  # the two halves of (a, b) unite


def _quiet_table() -> tuple[pd.DataFrame, set[str], set[str]]:
    """One theme split 3-2 on most items, 4-1 on some (quiet); a careless annotator's lone
    dissents on unrelated labels elsewhere."""
    rng = np.random.default_rng(4)
    words = ["refund", "card", "charge", "bank", "money", "back"]
    other = ["password", "login", "reset", "account", "email", "code"]
    rows, quiet, careless = [], set(), set()
    for k in range(24):
        text = " ".join(rng.choice(words, 4, replace=False))
        if k % 4 == 3:  # a quiet member: one dissent on the theme's pair
            votes = ["billing", "billing", "billing", "billing", "refund"]
            quiet.add(f"t{k}")
        else:
            votes = ["billing", "refund", "billing", "refund", "billing"]
        rows += [(f"t{k}", a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True)]
    for k in range(20):  # a second question, so the first is not all of the disagreement
        text = " ".join(rng.choice(["parcel", "courier", "late", "delivery", "box", "tracking"], 4, replace=False))
        votes = ["shipping", "returns", "shipping", "returns", "shipping"] if k % 2 else \
            ["returns", "shipping", "returns", "shipping", "returns"]
        rows += [(f"s{k}", a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True)]
    for k in range(30):
        text = " ".join(rng.choice(other, 4, replace=False))
        votes = ["account"] * 5
        if k % 5 == 0:
            votes[4] = "shipping"  # a lone dissent on an unrelated label
            careless.add(f"c{k}")
        rows += [(f"c{k}", a, v, text) for a, v in zip(ANNOTATORS, votes, strict=True)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"]), quiet, careless


def test_quiet_members_join_their_theme_and_lone_slips_do_not():
    table, quiet, careless = _quiet_table()
    result = find_ambiguity_clusters(table, embedder=HashEmbedder(), min_disagreement=0.3, use_cache=False)
    (theme,) = [c for c in result.clusters if c.label_pairs[0].labels == ("billing", "refund")]
    joined = quiet & set(theme.item_ids)
    assert len(joined) >= 2 * len(quiet) / 3  # those whose texts sit among the theme's
    assert theme.n_quiet == len(joined)
    assert not careless & set(result.item_table["item_id"])
    assert result.to_dict()["n_quiet_members"] == len(joined)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("@USER <user> loves #brexit https://t.co/x &amp; URL", ["loves", "brexit"]),
     ("<span class='emoji-bytes' data-emoji-bytes='[240, 159]'></span> deport them", ["deport"]),
     ("[USER] said {url} HTTPURL my email is late", ["email", "late"])],
    ids=["tweet", "markup", "brackets"],
)
def test_placeholders_never_become_terms(text, expected):
    assert tokenize(text) == expected
    assert "url" not in clean_text(text).lower() and "@" not in clean_text(text)


def test_korean_terms_are_content_words():
    pytest.importorskip("kiwipiepy")  # without it the suffix rules give other terms
    assert tokenize("숙소가 역에서 가깝습니다") == ["숙소", "가깝다"]
    assert tokenize("으로 에서 니다 한다") == []  # particles and endings alone: no term
    assert tokenize("무엇보다도 호스트분들이 너무 친절하셨습니다.") == ["호스트", "친절"]


def test_sentence_pairs_are_read_embedded_and_shown_as_pairs(tmp_path):
    rows = []
    for k in range(12):
        premise, hypothesis = f"the cat sleeps on mat {k}", f"a cat is asleep number {k}"
        votes = ["entail"] * 3
        votes[k % 3] = "neutral"  # a different dissenter each time
        rows += [(f"p{k}", a, v, premise, hypothesis, "x") for a, v in zip(ANNOTATORS[:3], votes, strict=True)]
    path = tmp_path / "nli.csv"
    pd.DataFrame(rows, columns=["pair_id", "annotator", "label", "premise", "hypothesis", "genre"]).to_csv(
        path, index=False)
    loaded = load_annotations(path)
    assert loaded.report.mapping["text"] == "premise" and loaded.report.mapping["text_b"] == "hypothesis"
    assert loaded.report.unused_columns == ("genre",)
    assert "Not used:    genre" in loaded.report.to_text()
    texts = read_item_texts(loaded.table)
    assert texts.is_pair and texts.display()[0] == "the cat sleeps on mat 0  ‖  a cat is asleep number 0"
    result = find_ambiguity_clusters(loaded.table, embedder=HashEmbedder(), use_cache=False)
    assert any("sentence pairs" in n for n in result.notes)
    assert result.to_dict()["text_reading"] == {"pairs": True, "turn_fields": []}
    assert result.item_table["text"].str.contains("‖").all()


def test_pair_vectors():
    u, v = np.eye(3)[:1], np.eye(3)[1:2]
    topic = pair_vectors(u, v)
    assert np.allclose(topic, [[2 ** -0.5, 2 ** -0.5, 0]])
    features = pair_vectors(u, np.zeros((1, 3)), kind="features")
    assert features.shape == (1, 12) and np.isclose(np.linalg.norm(features), 1.0)
    with pytest.raises(ValueError, match="'kind' parameter"):
        pair_vectors(u, v, kind="mean")


def test_conversation_turns_read_the_last_field_with_its_context():
    turns = [json.dumps({"prev_agent": "Hello", "prev_user": "_", "agent": "Please go on.", "user": f"you are bad {k}"})
             for k in range(6)]
    table = pd.DataFrame({"item_id": [f"c{k}" for k in range(6)], "annotator": "a", "label": "x", "text": turns})
    texts = read_item_texts(table)
    assert texts.text.iloc[0] == "you are bad 0"
    assert texts.context.iloc[0] == "prev_agent: Hello\nagent: Please go on."  # "_" is no context
    assert texts.display()[0] == "you are bad 0   [context: prev_agent: Hello | agent: Please go on.]"
    assert "'user' (the last)" in texts.notes[0]
    assert "agent" not in tokenize(texts.words()[0])


@pytest.mark.parametrize(
    ("texts", "code"),
    [([""] * 8, None), (["same words"] * 8, "same_text"), (["@USER <url>"] * 8, "same_text"),
     (["only one disagreed item"] + ["clear"] * 7, "too_few")],
    ids=["empty", "identical", "placeholders", "single"],
)
def test_texts_that_cannot_be_grouped_say_so(texts, code):
    rows = []
    for k, text in enumerate(texts):
        disagreed = code != "too_few" or k == 0
        votes = ["a", "a", "a"]
        if disagreed:
            votes[k % 3] = "b"  # a different dissenter each time: nobody is slip-prone
        rows += [(f"i{k}", an, v, text) for an, v in zip(ANNOTATORS[:3], votes, strict=True)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    if code is None:  # no text at all is the loader's "no item texts" error
        table["text"] = None
        with pytest.raises(Exception, match="no item texts"):
            find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
        return
    result = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    assert result.clusters == ()
    assert result.note_code == code and result.note.startswith("no coherent groups")
