"""Ambiguity clusters on synthetic data with planted groups, slips and a noisy annotator."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from synthetic_annotations import HashEmbedder, synthetic_table

from analysis.base.errors import AnnotationDataError
from analysis.clusters import (
    find_ambiguity_clusters,
    find_disagreements,
    tokenize,
)
from analysis.data.reliability import ReliabilityData
from dashboard.cluster_figure import cluster_map_figure


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic_table(seed=1)


@pytest.fixture(scope="module")
def result(planted):
    return find_ambiguity_clusters(planted[0], embedder=HashEmbedder(), use_cache=False)


def best_f1(cluster_sets: list[set[str]], group: set[str]) -> float:
    scores = [2 * len(c & group) / (len(c) + len(group)) for c in cluster_sets]
    return max(scores, default=0.0)


def test_every_planted_group_is_one_cluster(planted, result):
    _table, answer = planted
    clusters = [set(c.item_ids) for c in result.clusters]
    disagreed = set(result.item_table["item_id"])
    for group, members in answer[answer["ambiguity_group"] != ""].groupby("ambiguity_group"):
        assert best_f1(clusters, set(members["item_id"]) & disagreed) >= 0.9, group
    assert len(result.clusters) == 3


def test_cluster_description(result):
    refund = next(c for c in result.clusters if c.label_pairs[0].labels == ("billing", "refund"))
    assert refund.label_pairs[0].share == pytest.approx(1.0)
    assert {"refund", "money", "charge", "back"} & set(refund.keywords[:3])
    assert refund.preferred_label == "billing" and refund.other_label == "refund"
    # every annotator splits 3-2 at random: the reliable ones too, so only a decision helps
    assert refund.decision_needed and refund.reliable.clarity in ("split", "lean")
    assert refund.draft_rule.startswith("Decision needed: items about '")
    assert "between billing and refund" in refund.draft_rule
    assert [s.label for s in refund.label_shares[:2]] == ["billing", "refund"]
    assert refund.label_shares[0].share == pytest.approx(0.6, abs=0.05)
    assert set(refund.side_examples) == {"billing", "refund"}
    assert all(len(v) == 2 for v in refund.side_examples.values())
    assert refund.kind == "systematic"
    assert refund.n_minority_annotators == 5
    assert 0 < refund.top_annotator_share < 0.5
    assert len(refund.examples) == 3 and len(refund.boundary_examples) == 3
    assert not {e.item_id for e in refund.examples} & {e.item_id for e in refund.boundary_examples}


def test_lone_slips_of_a_noisy_annotator_are_set_apart(result):
    assert len(result.slips) == 8
    assert set(result.slips["annotator"]) == {"ann5"}
    assert not set(result.slips["item_id"]) & set(result.item_table["item_id"])


def test_one_annotator_dominating_a_cluster_is_annotator_noise():
    rows = []
    for i in range(6):
        # ann4 always dissents, with a rotating partner
        partner = ["ann1", "ann2", "ann3"][i % 3]
        labels = dict(zip(["ann1", "ann2", "ann3", "ann4", "ann5"], ["a"] * 5, strict=True))
        labels["ann4"], labels[partner] = "b", "b"
        rows += [(f"i{i}", ann, lab, "same words here") for ann, lab in labels.items()]
        # a second, shared question on other texts: the first group is then half of the
        # disagreement, not all of it (a cluster over half is broad, not a theme)
        votes = ["c", "c", "d", "d", "c"] if i % 2 else ["d", "c", "d", "c", "c"]
        rows += [(f"j{i}", ann, lab, "another topic entirely") for ann, lab in
                 zip(["ann1", "ann2", "ann3", "ann4", "ann5"], votes, strict=True)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    res = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    cluster = next(c for c in res.clusters if c.label_pairs[0].labels == ("a", "b"))
    assert cluster.size == 6
    assert cluster.top_annotator_share == pytest.approx(0.5)
    assert cluster.kind == "annotator_noise"
    assert next(iter(cluster.annotators)) == "ann4"


def test_entropy_and_single_dissent():
    table = pd.DataFrame(
        {
            "item_id": list("aaaabbbb"),
            "annotator": list("wxyzwxyz"),
            "label": list("ppppppqq"),
        }
    )
    found = find_disagreements(ReliabilityData.from_table(table), min_entropy=0.5)
    rows = found.describe(range(len(found.items))).set_index("item_id")
    assert rows.loc["a", "entropy"] == 0.0 and not rows.loc["a", "disagreed"]
    assert rows.loc["b", "entropy"] == pytest.approx(1.0)  # 2-2 over two labels
    assert rows.loc["b", "dissenters"] == ("y", "z")
    assert not rows["single_dissent"].any()


def test_json_contract_and_determinism(planted, result):
    doc = json.loads(json.dumps(result.to_dict()))
    assert {"model", "backend", "warnings", "clusters"} <= set(doc)
    cluster = doc["clusters"][0]
    for key in ("id", "size", "item_ids", "label_pairs", "keywords", "examples", "draft_rule",
                "kind", "annotators", "boundary_examples"):
        assert key in cluster
    assert set(cluster["label_pairs"][0]) == {"labels", "share"}
    again = find_ambiguity_clusters(planted[0], embedder=HashEmbedder(), use_cache=False)
    pd.testing.assert_frame_equal(again.item_table, result.item_table)
    assert list(result.item_table.columns[:7]) == ["item_id", "cluster", "x", "y", "text", "votes", "entropy"]


def test_precomputed_embeddings(planted, result):
    table = planted[0]
    ids = result.item_table["item_id"].tolist()
    vectors = HashEmbedder().embed(result.item_table["text"].tolist())
    frame = pd.DataFrame(vectors, index=ids)
    res = find_ambiguity_clusters(table, embeddings=frame)
    assert res.backend == "precomputed"
    assert [c.item_ids for c in res.clusters] == [c.item_ids for c in result.clusters]
    with pytest.raises(AnnotationDataError, match="precomputed embeddings lack 1 item"):
        find_ambiguity_clusters(table, embeddings=frame.iloc[1:])


def test_missing_text_is_a_data_error(planted):
    with pytest.raises(AnnotationDataError, match="column 'text'"):
        find_ambiguity_clusters(planted[0].drop(columns="text"), embedder=HashEmbedder())


def test_no_disagreement_gives_no_clusters():
    table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
                          "label": list("ppqq"), "text": ["t one"] * 2 + ["t two"] * 2})
    res = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    assert res.clusters == () and res.item_table.empty


def test_map_hover_escapes_html(planted):
    table = planted[0].copy()
    table.loc[table["item_id"] == "refund-00", "text"] = "<script>alert(1)</script> refund money"
    res = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    figure = cluster_map_figure(res)
    hover = " ".join(t for trace in figure.data for t in trace.text)
    assert "<script>" not in hover and "&lt;script&gt;" in hover
    assert sum(len(trace.x) for trace in figure.data) == len(res.item_table)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [("삼성전자가 반도체 투자를 확대했다", ["삼성전자", "반도체", "투자", "확대"]),
     ("Where is my parcel?", ["parcel"])],
    ids=["korean", "english"],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_char_ngram_backend_clusters_korean():
    from analysis.embeddings import CharNgramEmbedder

    rng = np.random.default_rng(0)
    topics = {"경제": ["환율", "금리", "주가", "증시"], "스포츠": ["축구", "야구", "선수", "경기"]}
    rows = []
    for t, words in topics.items():
        for k in range(8):
            text = " ".join(rng.choice(words, 3, replace=False)) + "에 대한 소식"
            labels = ["A", "A", "B", "B", "A"] if k % 2 else ["B", "A", "A", "B", "A"]
            rows += [(f"{t}{k}", f"r{j}", lab, text) for j, lab in enumerate(labels)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    res = find_ambiguity_clusters(table, embedder=CharNgramEmbedder(), use_cache=False)
    groups = sorted(sorted({i.rstrip("0123456789") for i in c.item_ids}) for c in res.clusters)
    assert groups == [["경제"], ["스포츠"]]
    assert res.backend == "char-ngram"


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["clusters", "--min-entropy", "2"], "--min-entropy must be a number from 0 to 1; got 2"),
     (["clusters", "--min-disagreement", "1"], "--min-disagreement must be a number from 0 to below 1"),
     (["clusters", "--min-cluster-size", "1"], "--min-cluster-size must be a whole number of at least 2"),
     (["clusters", "--distance", "0"], "--distance must be a number above 0 to 2"),
     (["label-issues", "--top", "-5"], "--top must be a whole number of at least 1; got -5")],
    ids=["entropy", "disagreement", "cluster-size", "distance", "top"],
)
def test_out_of_range_options_are_refused(tmp_path, capsys, argv, message):
    from analysis.cli import main

    path = tmp_path / "votes.csv"
    synthetic_table(seed=1)[0].to_csv(path, index=False)
    assert main([argv[0], str(path), *argv[1:]]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


@pytest.mark.parametrize("n_labels", [2, 200], ids=["2-labels", "200-labels"])
def test_selection_does_not_depend_on_the_label_set(n_labels):
    """A 3-2 split is disagreed with 2 labels or 200; the label set does not move the score."""
    rows = [(f"i{i}", f"r{j}", v) for i in range(3) for j, v in enumerate(["a", "a", "a", "b", "b"])]
    rows += [(f"pad{k}", "r0", f"x{k}") for k in range(n_labels - 2)]  # labels nobody confuses
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
    found = find_disagreements(ReliabilityData.from_table(table))
    assert len(found.data.labels) == n_labels
    items = found.items.set_index("item_id")
    assert items.loc["i0", "disagreement"] == pytest.approx(0.4)
    assert items.loc[["i0", "i1", "i2"], "disagreed"].all()


def test_lone_dissent_of_a_slip_prone_annotator_is_not_disagreement(result):
    items = result.item_table.set_index("item_id")
    assert not set(result.slips["item_id"]) & set(items.index)
    assert (result.slips["annotator"] == "ann5").all()
    assert result.annotator_accuracy["ann5"] < min(v for k, v in result.annotator_accuracy.items() if k != "ann5")


def test_scattered_votes_are_no_label_fits():
    rows = []
    for i in range(6):
        for j, lab in enumerate(["a", "b", "c", "d", "a"][: 3 + i % 2] if i % 2 else ["a", "b", "c"]):
            rows.append((f"s{i}", f"r{(i + j) % 5}", lab, "weather forecast rain tomorrow"))
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    res = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    (cluster,) = res.clusters
    assert cluster.kind == "no_label_fits"
    assert cluster.draft_rule.startswith("No label fits: items about")
    assert {"a", "b", "c"} <= {s.label for s in cluster.label_shares}


def test_reliable_annotators_decide_the_side():
    """Careful annotators choose 'billing' nearly always; two sloppy ones say 'refund'."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(40):
        text = "refund money back" if i < 20 else "invoice receipt vat"
        truth = "billing" if i < 20 else "admin"
        for j in range(5):
            careful = j < 3
            if i < 20:
                lab = "billing" if (careful and rng.random() < 0.95) or (not careful and rng.random() < 0.2) else "refund"
            else:
                lab = truth if careful or rng.random() < 0.9 else "billing"
            rows.append((f"i{i}", f"r{j}", lab, text))
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    res = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    cluster = next(c for c in res.clusters if c.label_pairs[0].labels == ("billing", "refund"))
    assert cluster.reliable.label == "billing" and cluster.reliable.clarity == "clear"
    assert not cluster.decision_needed
    assert cluster.draft_rule.endswith("label it billing, not refund.")
    assert set(cluster.reliable.annotators) <= {"r0", "r1", "r2"}


def test_item_showing_a_pair_joins_its_cluster_by_text_and_a_stray_member_leaves():
    """A question's item whose votes also name a third label (scattered) joins the pair's
    cluster when its text is close; a far one does not. A clear-ish item of the pair whose
    text is unlike the cluster's leaves it."""
    rng = np.random.default_rng(0)
    votes, vectors = {}, {}
    for i in range(10):  # the question: 3-2 splits between a and b, texts near e0
        votes[f"q{i}"] = ["a", "b", "a", "b", "a"]
        vectors[f"q{i}"] = np.r_[1.0, 0.05 * rng.standard_normal(7)]
    votes["near"] = ["a", "b", "c"]  # scattered over three labels, text like the question's
    vectors["near"] = np.r_[1.0, 0.05 * rng.standard_normal(7)]
    votes["far"] = ["a", "b", "c"]  # same votes, unrelated text
    vectors["far"] = np.r_[0.0, 1.0, np.zeros(6)]
    votes["stray"] = ["a", "a", "a", "b", "b"]  # in the pair, unlike the question's texts
    vectors["stray"] = np.r_[0.2, 0.0, 1.0, np.zeros(5)]
    for i in range(20):  # the items everybody agrees on, on all kinds of texts
        votes[f"clear{i}"] = ["c", "c", "c"]
        vectors[f"clear{i}"] = rng.standard_normal(8)
    rows = [(item, f"ann{k}", label, item) for item, labels in votes.items() for k, label in enumerate(labels)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    res = find_ambiguity_clusters(table, embeddings=vectors)
    (question,) = [c for c in res.clusters if "q0" in c.item_ids]
    assert set(question.item_ids) == {f"q{i}" for i in range(10)} | {"near"}
