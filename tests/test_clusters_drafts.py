"""Rule drafts follow the evidence: consistent reliable annotators, camps, unanimous items."""

from __future__ import annotations

import numpy as np
import pandas as pd
from synthetic_annotations import HashEmbedder

from analysis.clusters import find_ambiguity_clusters

SIX = [f"r{j}" for j in range(6)]


def _theme_text(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(["deport", "border", "migrants", "asylum", "visa", "refugees"], 4, replace=False))


def _filler(rng: np.random.Generator, k: int) -> str:
    return " ".join(rng.choice([f"w{n}" for n in range(300)], 5, replace=False)) + f" n{k}"


def test_annotator_camps_that_read_a_theme_apart_make_a_decision_not_a_rule():
    """r0-r2 read the theme as hate, r3-r5 as ok; elsewhere everybody agrees (with slips)."""
    rng = np.random.default_rng(0)
    rows = []
    for k in range(40):
        rows += [(f"t{k}", a, "hate" if j < 3 else "ok", _theme_text(rng)) for j, a in enumerate(SIX)]
    for k in range(120):
        truth = "ok" if k % 3 else "hate"
        text = _filler(rng, k)
        rows += [(f"c{k}", a, truth if rng.random() > 0.05 else ("ok" if truth == "hate" else "hate"), text)
                 for a in SIX]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    result = find_ambiguity_clusters(table, embedder=HashEmbedder(), use_cache=False)
    theme = max(result.clusters, key=lambda c: sum(i.startswith("t") for i in c.item_ids))
    assert theme.draft_basis == "camps_split" and theme.decision_needed
    assert {side.label for side in theme.camp_sides} == {"hate", "ok"}
    assert set(theme.camp_sides[0].annotators) in ({"r0", "r1", "r2"}, {"r3", "r4", "r5"})
    assert theme.draft_rule.startswith("Decision needed: annotator camps read items about ")
    assert set(theme.side_examples) == {"hate", "ok"} and all(theme.side_examples.values())
    doc = theme.to_dict()
    assert doc["draft_basis"] == "camps_split" and len(doc["camp_sides"]) == 2


def _reliable_side_table(*, contradict: bool) -> pd.DataFrame:
    """Three careful annotators say billing on the theme, two sloppy ones refund at random; with
    ``contradict``, unanimous items with the theme's words are labelled refund."""
    rng = np.random.default_rng(1)
    words = ["refund", "money", "back", "charge", "card"]
    rows = []
    for k in range(30):
        text = " ".join(rng.choice(words, 4, replace=False)) + f" case{k}"
        labels = ["billing"] * 3 + ["refund" if rng.random() < 0.5 else "billing" for _ in range(2)]
        if "refund" not in labels:
            labels[3 + k % 2] = "refund"  # every theme item shows the pair
        rows += [(f"t{k}", f"r{j}", lab, text) for j, lab in enumerate(labels)]
    for k in range(40):  # clear items; the sloppy annotators are right here, so they are not slips
        text = _filler(rng, k)
        truth = "admin" if k % 2 else "billing"
        rows += [(f"c{k}", f"r{j}", truth, text) for j in range(5)]
    if contradict:
        for k in range(4):
            text = " ".join(rng.choice(words, 3, replace=False)) + f" unanimous{k}"
            rows += [(f"u{k}", f"r{j}", "refund", text) for j in range(5)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])


def test_consistent_reliable_annotators_and_no_contradiction_give_a_rule():
    result = find_ambiguity_clusters(_reliable_side_table(contradict=False), embedder=HashEmbedder(),
                                     use_cache=False)
    theme = next(c for c in result.clusters if c.label_pairs[0].labels == ("billing", "refund"))
    assert theme.reliable.clarity == "clear" and theme.reliable.share >= 0.75
    assert theme.draft_basis == "consistent" and not theme.decision_needed
    assert theme.draft_rule.endswith("label it billing, not refund.")
    assert theme.n_contradicting == 0


def test_a_rule_that_unanimous_labels_contradict_is_not_drafted():
    result = find_ambiguity_clusters(_reliable_side_table(contradict=True), embedder=HashEmbedder(),
                                     use_cache=False)
    theme = next(c for c in result.clusters if c.label_pairs[0].labels == ("billing", "refund"))
    assert theme.reliable.clarity == "clear"
    assert theme.draft_basis == "contradicted" and theme.decision_needed
    assert theme.n_contradicting >= 1 and theme.contradicting[0].item_id.startswith("u")
    assert not theme.draft_rule.startswith("When ") and ", not refund." not in theme.draft_rule
    assert "every annotator labelled refund" in theme.draft_rule
    assert theme.to_dict()["contradicting"][0]["item_id"].startswith("u")


def test_a_lean_is_not_consistent_enough_for_a_rule():
    """The reliable annotators choose billing 60-70% of the time: a decision, not a rule."""
    rng = np.random.default_rng(2)
    rows = []
    for k in range(60):
        text = " ".join(rng.choice(["refund", "money", "back", "charge", "card"], 4, replace=False)) + f" x{k}"
        labels = ["billing" if rng.random() < 0.65 else "refund" for _ in range(5)]
        labels[k % 5] = "refund" if labels.count("refund") == 0 else labels[k % 5]
        rows += [(f"t{k}", f"r{j}", lab, text) for j, lab in enumerate(labels)]
    for k in range(60):
        rows += [(f"c{k}", f"r{j}", "admin", _filler(rng, k)) for j in range(5)]
    result = find_ambiguity_clusters(pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"]),
                                     embedder=HashEmbedder(), use_cache=False)
    theme = next(c for c in result.clusters if c.label_pairs[0].labels == ("billing", "refund"))
    assert theme.reliable.clarity in ("lean", "split") and theme.decision_needed
    assert theme.draft_basis == "reliable_split"
