"""Multi-label and span agreement: hand-computed cases and nltk as the independent reference."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, jaccard_distance, masi_distance

from analysis.data.judgements import MultiLabelData, SpanData
from analysis.tasks.multilabel import multilabel_agreement
from analysis.tasks.multilabel_ambiguity import label_pair_confusions
from analysis.tasks.spans.agreement import span_agreement
from analysis.tasks.spans.consensus import TokenDawidSkene, majority_tokens, token_f1
from analysis.tasks.spans.grid import TokenGrid

# ----------------------------------------------------------------- multi-label

HAND = MultiLabelData.from_records([("1", "a", "xy"), ("1", "b", "x"), ("2", "a", "y"),
                                    ("2", "b", "y"), ("3", "a", "x"), ("3", "b", "y")])


def test_multilabel_hand_computed() -> None:
    out = multilabel_agreement(HAND, n_replicates=0)
    assert out["overall"]["exact_set_agreement"].value == pytest.approx(1 / 3)
    x = out["per_class"]["x"]
    assert x.fleiss_kappa.value == pytest.approx(1 / 3)
    assert x.krippendorff_alpha.value == pytest.approx(1 - 10 / 18)
    assert x.specific_agreement.value == pytest.approx(2 / 3)
    assert x.specific_agreement_absent.value == pytest.approx(2 / 3)
    assert x.cohen_kappa.value == pytest.approx(0.4)
    assert list(x.to_dict()) == ["fleiss_kappa", "krippendorff_alpha", "specific_agreement",
                                 "specific_agreement_absent", "prevalence", "cohen_kappa"]
    assert out["per_annotator"]["a"].label_rate_bias.value == pytest.approx(1 / 3)
    assert out["per_annotator"]["b"].label_rate_bias.value == pytest.approx(-1 / 3)
    assert out["per_annotator"]["a"].labels_per_item.value == pytest.approx(4 / 3)
    assert out["per_annotator"]["a"].to_dict()["label_rate_bias_per_label"] == {"x": 0.333333, "y": 0.0}
    pair = out["pairwise"][0]
    assert (pair.annotator_a, pair.annotator_b, pair.items) == ("a", "b", 3)
    assert pair.mean_jaccard.value == pytest.approx((0.5 + 1 + 0) / 3)
    assert list(pair.to_dict()) == ["annotator_a", "annotator_b", "items", "exact_set_agreement",
                                    "mean_jaccard"]


def random_sets(seed: int, *, empty: bool = False) -> list[tuple[str, str, set[str]]]:
    rng = random.Random(seed)
    records = []
    for item in range(50):
        base = set(rng.sample("ABCDEF", rng.randint(1, 3)))
        for annotator in "pqrs":
            if rng.random() < 0.2:
                continue
            chosen = set(base)
            if rng.random() < 0.5:
                chosen ^= {rng.choice("ABCDEF")}
            if not chosen and not empty:
                chosen = {"A"}
            records.append((str(item), annotator, chosen))
    return records


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed0", "seed1", "seed2"])
def test_set_alpha_matches_nltk(seed: int) -> None:
    records = random_sets(seed)
    out = multilabel_agreement(MultiLabelData.from_records(records), n_replicates=200, seed=seed)
    triples = [(a, i, frozenset(s)) for i, a, s in records]
    masi = out["overall"]["krippendorff_alpha_masi"]
    jaccard = out["overall"]["krippendorff_alpha_jaccard"]
    assert masi.value == pytest.approx(AnnotationTask(triples, distance=masi_distance).alpha())
    assert jaccard.value == pytest.approx(
        AnnotationTask(triples, distance=jaccard_distance).alpha())
    per_item = {}
    for item, _, _ in records:
        per_item[item] = per_item.get(item, 0) + 1
    assert masi.ci_low < masi.value < masi.ci_high
    assert masi.n == sum(count >= 2 for count in per_item.values())


def test_per_label_alpha_matches_nltk_on_present_absent() -> None:
    records = random_sets(3)
    out = multilabel_agreement(MultiLabelData.from_records(records), n_replicates=0)
    for label in "ABC":
        triples = [(a, i, label in s) for i, a, s in records]
        expected = AnnotationTask(triples, distance=binary_distance).alpha()
        assert out["per_class"][label].krippendorff_alpha.value == pytest.approx(expected)


def test_multilabel_undefined_is_explained() -> None:
    data = MultiLabelData.from_records([("1", "a", "x"), ("2", "b", "x")])
    out = multilabel_agreement(data, n_replicates=0)
    alpha = out["overall"]["krippendorff_alpha_masi"]
    assert alpha.value is None and "two or more annotators" in alpha.note
    same = multilabel_agreement(MultiLabelData.from_records(
        [("1", "a", "x"), ("1", "b", "x")]), n_replicates=0)
    assert same["per_class"]["x"].fleiss_kappa.value is None
    assert "always present" in same["per_class"]["x"].fleiss_kappa.note
    assert out["per_class"]["x"].to_dict() == {}  # no item labelled twice: nothing to measure


def test_label_pairs_traded_in_disagreement() -> None:
    out = label_pair_confusions(HAND)
    assert out["label_pairs"] == [{"label_a": "x", "label_b": "y", "count": 1, "items": 1,
                                   "example_items": ["3"]}]
    assert out["omitted_labels"] == {"y": 1}


# ----------------------------------------------------------------------- spans

TEXT = "aaaa bbbb cccc dddd"
HAND_SPANS = SpanData.build(
    [("d", "a", 0, 4, "P"), ("d", "a", 5, 14, "P"), ("d", "a", 15, 19, "I"),
     ("d", "b", 0, 4, "P"), ("d", "b", 5, 9, "P"), ("d", "b", 15, 19, "P"),
     ("d", "c", 0, 4, "P")], texts={"d": TEXT})


def test_span_agreement_hand_computed() -> None:
    out = span_agreement(HAND_SPANS, n_replicates=0)
    assert out["overall"]["span_f1_strict"].value == pytest.approx(6 / 14)
    assert out["overall"]["span_f1_overlap"].value == pytest.approx(8 / 14)
    assert out["per_class"]["I"].span_f1_strict.value == 0.0
    kinds = out["disagreements"].overall
    assert (kinds.agreed, kinds.boundary, kinds.type, kinds.missed) == (6, 2, 2, 4)
    assert kinds.to_dict() == {"agreed": 6, "boundary": 2, "type": 2, "missed": 4,
                               "boundary_share": 0.25, "type_share": 0.25, "missed_share": 0.5}
    assert [c.to_dict() for c in out["disagreements"].type_confusions] == [
        {"label_a": "I", "label_b": "P", "count": 1}, {"label_a": "P", "label_b": "I", "count": 1}]
    assert list(out["disagreements"].to_dict()) == ["note", "overall", "per_class", "type_confusions",
                                                    "disputed_items"]
    pairs = {(p.annotator_a, p.annotator_b): p for p in out["pairwise"]}
    assert pairs[("a", "b")].span_f1_strict.value == pytest.approx(1 / 3)
    assert pairs[("a", "b")].span_f1_overlap.value == pytest.approx(2 / 3)
    assert pairs[("a", "c")].span_f1_strict.value == pytest.approx(0.5)
    f1 = {name: entry.f1_vs_consensus.value for name, entry in out["per_annotator"].items()}
    assert f1 == pytest.approx({"a": 0.4, "b": 0.5, "c": 2 / 3})
    assert all(0 <= e.quality.value <= 1 for e in out["per_annotator"].values())


def iob(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """Independent IOB tagging of regex tokens (non-overlapping spans)."""
    tags = []
    for match in re.finditer(r"\w+|[^\w\s]", text):
        tag = "O"
        for start, end, label in spans:
            if match.start() < end and start < match.end():
                tag = ("B-" if match.start() <= start else "I-") + label
        tags.append(tag)
    return tags


def random_spans(seed: int, n_docs: int = 30) -> tuple[SpanData, dict, list]:
    rng = random.Random(seed)
    words = ["the", "patients", "aged", "18", "to", "65", "with", "asthma", "were", "randomised", ",", "환자", "120", "명"]
    spans, judged, texts = [], [], {}
    for d in range(n_docs):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14)))
        texts[str(d)] = text
        bounds = [m.span() for m in re.finditer(r"\S+", text)]
        truth = sorted(rng.sample(range(len(bounds)), 2))
        for annotator in "pqrst":
            if rng.random() < 0.2:
                continue
            judged.append((str(d), annotator))
            for t in truth:
                if rng.random() < 0.75:
                    stop = min(t + rng.choice([0, 0, 1]), len(bounds) - 1)
                    if t == truth[0] and stop >= truth[1]:
                        stop = t
                    spans.append((str(d), annotator, bounds[t][0], bounds[stop][1],
                                  rng.choice("PPI")))
    return SpanData.build(spans, judged, texts), texts, spans


@pytest.mark.parametrize("seed", [0, 1], ids=["seed0", "seed1"])
def test_token_alpha_matches_nltk_on_iob_tags(seed: int) -> None:
    data, texts, spans = random_spans(seed)
    out = span_agreement(data, n_replicates=100, seed=seed)
    triples = []
    for item, annotator in data.judgements.itertuples(index=False):
        own = [(s, e, label) for i, a, s, e, label in spans if i == item and a == annotator]
        triples += [(annotator, f"{item}:{k}", tag) for k, tag in enumerate(iob(texts[item], own))]
    expected = AnnotationTask(triples, distance=binary_distance).alpha()
    alpha = out["overall"]["token_krippendorff_alpha"]
    assert alpha.value == pytest.approx(expected)
    assert alpha.ci_low < alpha.value < alpha.ci_high and alpha.n == 30
    for label in ("P", "I"):
        typed = [(a, i, t if t.endswith(label) else "O") for a, i, t in triples]
        assert out["per_class"][label].token_krippendorff_alpha.value == pytest.approx(
            AnnotationTask(typed, distance=binary_distance).alpha())


def test_dawid_skene_beats_majority_with_spammers() -> None:
    rng = np.random.default_rng(0)
    spans, judged, texts, truth_spans = [], [], {}, []
    for d in range(80):
        text = " ".join(["word"] * 30)
        texts[str(d)] = text
        start = int(rng.integers(0, 25))
        truth_spans.append((str(d), start * 5, (start + 3) * 5 - 1))
        for annotator in ("good1", "good2", "spam1", "spam2", "spam3"):
            judged.append((str(d), annotator))
            if annotator.startswith("good"):
                spans.append((str(d), annotator, start * 5, (start + 3) * 5 - 1, "E"))
            else:
                for s in rng.choice(30, size=4, replace=False):
                    spans.append((str(d), annotator, int(s) * 5, int(s) * 5 + 4, "E"))
    data = SpanData.build(spans, judged, texts)
    grid = TokenGrid.from_spans(data)
    truth = np.zeros(len(grid.token_start), dtype=np.int64)
    for item, s, e in truth_spans:
        d = grid.item_ids.index(item)
        tokens = np.arange(grid.doc_token_start[d], grid.doc_token_start[d + 1])
        inside = tokens[(grid.token_start[tokens] < e) & (grid.token_end[tokens] > s)]
        truth[inside] = 1
    model = TokenDawidSkene().fit(grid)
    ds = token_f1(truth, model.posterior_.argmax(axis=1))
    mv = token_f1(truth, majority_tokens(grid))
    assert ds > 0.95 and ds > mv + 0.2
    quality = dict(zip(grid.annotators, model.quality(), strict=True))
    assert quality["good1"] > quality["spam1"] + 0.2


def test_consensus_section_lists_spans_with_support() -> None:
    out = span_agreement(HAND_SPANS, n_replicates=0, consensus=True)
    first = out["consensus"][0]
    assert (first["item_id"], first["start"], first["end"], first["label"]) == ("d", 0, 4, "P")
    assert first["support"] == 1.0
    check = out["consensus_check"]["heldout"]
    assert check["documents"] == 1


def test_spans_without_texts_use_boundary_segments() -> None:
    data = SpanData.build([("d", "a", 0, 4, "P"), ("d", "b", 0, 2, "P")])
    out = span_agreement(data, n_replicates=0)
    assert "character segments" in out["overall"]["token_krippendorff_alpha"].note
    assert out["overall"]["span_f1_overlap"].value == 1.0
    assert out["overall"]["span_f1_strict"].value == 0.0


# --- spans that start or end inside a word (Korean particles) ------------------------------


def _consensus(spans: list[tuple[str, str, int, int, str]], text: str) -> list[tuple[int, int, str]]:
    from analysis.data.judgements import SpanData
    from analysis.tasks.spans.agreement import span_agreement

    out = span_agreement(SpanData.build(spans, texts={"d": text}), n_replicates=0, consensus=True)
    return [(r["start"], r["end"], r["label"]) for r in out["consensus"]]


KO_TEXT = "서울시에서 김민수 씨가 발표했다"


@pytest.mark.parametrize(("ends", "expected"), [
    ((3, 3, 3), (0, 3)),  # everyone left the particle 에서 out: so does the consensus
    ((3, 5, 3), (0, 3)),  # one included it: the majority boundary wins, inside the word
    ((5, 5, 3), (0, 5)),
], ids=["all-without-particle", "one-with-particle", "two-with-particle"])
def test_consensus_keeps_boundaries_inside_korean_words(ends: tuple[int, ...],
                                                        expected: tuple[int, int]) -> None:
    spans = [("d", who, 0, end, "LOC") for who, end in zip("abc", ends, strict=True)]
    assert _consensus(spans, KO_TEXT) == [(*expected, "LOC")]
    assert KO_TEXT[slice(*expected)] in ("서울시", "서울시에서")


def test_token_alpha_is_perfect_when_annotators_agree_inside_a_word() -> None:
    from analysis.data.judgements import SpanData
    from analysis.tasks.spans.agreement import span_agreement

    data = SpanData.build([(("d", who, 0, 3, "LOC")) for who in "abc"]
                          + [("d", who, 6, 9, "PER") for who in "abc"], texts={"d": KO_TEXT})
    overall = span_agreement(data, n_replicates=0)["overall"]
    assert overall["token_krippendorff_alpha"].value == pytest.approx(1.0)
    assert overall["span_f1_strict"].value == pytest.approx(1.0)


def test_every_consensus_span_on_the_korean_sample_uses_offsets_annotators_gave(
        sample_dir) -> None:
    from analysis.io.load_task import load_task
    from analysis.tasks.spans.agreement import span_consensus

    data = load_task(sample_dir / "tasks" / "ko_trial_spans_doccano.jsonl").data
    starts = set(zip(data.spans["item_id"], data.spans["start"], strict=True))
    ends = set(zip(data.spans["item_id"], data.spans["end"], strict=True))
    consensus = span_consensus(data)
    assert len(consensus) > 100
    assert all((r["item_id"], r["start"]) in starts and (r["item_id"], r["end"]) in ends
               for r in consensus)


@pytest.mark.parametrize("held_out", [False, True])
def test_token_dawid_skene_is_the_one_em_on_every_token(sample_dir, held_out: bool) -> None:
    # Patterns are lossless: fitting the shared Dawid-Skene EM with one item per token
    # (every judgement of the document gives the token a class) gives the same model.
    from analysis.consensus import DawidSkene
    from analysis.io.load_task import load_task

    grid = TokenGrid.from_spans(load_task(sample_dir / "tasks" / "ko_trial_spans_doccano.jsonl").data)
    use = np.ones(len(grid.judgement_doc), dtype=bool)
    if held_out:  # a mask of judgements, as the held-out comparison fits
        use[::3] = False
    marked = {(t, j): c for t, j, c in zip(grid.mark_token, grid.mark_judgement, grid.mark_type,
                                           strict=True)}
    token, judgement, value = [], [], []
    for j in np.nonzero(use)[0]:
        d = grid.judgement_doc[j]
        for t in range(grid.doc_token_start[d], grid.doc_token_start[d + 1]):
            token.append(t)
            judgement.append(j)
            value.append(marked.get((t, j), 0))
    tokens = np.asarray(token)
    weights = np.zeros(len(grid.token_start))
    weights[tokens] = 1.0  # a token of a document nobody judged stays out of the prior
    reference = DawidSkene(max_iter=50, stop="likelihood", accelerate=False).fit_judgements(
        tokens, grid.judgement_annotator[np.asarray(judgement)], np.asarray(value),
        n_items=len(grid.token_start), n_annotators=len(grid.annotators),
        n_labels=1 + len(grid.labels), weights=weights, warn=False)
    model = TokenDawidSkene().fit(grid, use=use)
    assert model.n_iter_ == reference.n_iter_ > 2
    np.testing.assert_allclose(model.posterior_, reference.posteriors_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.confusion_, reference.confusions_, rtol=1e-9)
    np.testing.assert_allclose(model.prior_, reference.priors_, rtol=1e-9)
