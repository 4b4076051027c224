"""Consensus spans are whole phrases: no first word cut off into a span of its own, no
one-token gap inside a span most annotators drew, no lone word where most annotators drew
a longer span (analysis.tasks.spans.phrases). Shapes taken from the PICO crowd corpus."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.data.judgements import SpanData
from analysis.tasks.spans.agreement import f1_against_tokens, span_agreement, span_consensus
from analysis.tasks.spans.consensus import heldout_comparison
from analysis.tasks.spans.grid import TokenGrid
from analysis.tasks.spans.phrases import begin_votes, fill_gaps, phrase_spans


def _grid(spans: list[tuple[str, int, int]], text: str, *, judged: tuple[str, ...] = (),
          label: str = "P") -> TokenGrid:
    rows = [("d", who, start, end, label) for who, start, end in spans]
    return TokenGrid.from_spans(SpanData.build(rows, [("d", who) for who in judged], {"d": text}))


def _phrases(grid: TokenGrid, token_type: list[int], text: str) -> list[str]:
    spans, _ = phrase_spans(grid, np.array(token_type))
    return [text[r.start:r.end] for r in spans.itertuples()]


def _consensus(spans: list[tuple[str, int, int]], text: str, *, judged: tuple[str, ...] = ()) -> list[str]:
    rows = [("d", who, start, end, "P") for who, start, end in spans]
    data = SpanData.build(rows, [("d", who) for who in judged], {"d": text})
    return [text[r["start"]:r["end"]] for r in span_consensus(data)]


OF = "Of 12 men with asthma were seen"  # tokens: Of 12 men with asthma were seen


def test_a_later_start_by_some_does_not_cut_the_first_word_off() -> None:
    # a, b, c took "Of" in; d, e began at "12": before, most of those who marked "12" began
    # there, so "Of" became a span of its own
    spans = [(w, 0, 21) for w in "abc"] + [(w, 3, 21) for w in "de"]
    grid = _grid(spans, OF)
    assert begin_votes(grid, np.array([1, 1, 1, 1, 1, 0, 0])).tolist()[:5] == [True, False, False, False, False]
    assert _phrases(grid, [1, 1, 1, 1, 1, 0, 0], OF) == ["Of 12 men with asthma"]


def test_two_spans_side_by_side_stay_two() -> None:
    # most of those who mark across "men|with" drew two spans there
    spans = [(w, 0, 9) for w in "abc"] + [(w, 10, 21) for w in "abc"] + [("d", 0, 21)]
    grid = _grid(spans, OF)
    assert _phrases(grid, [1, 1, 1, 1, 1, 0, 0], OF) == ["Of 12 men", "with asthma"]


def test_spans_of_different_annotators_that_touch_are_two() -> None:
    grid = _grid([("a", 0, 9), ("b", 0, 9), ("c", 10, 21), ("d", 10, 21)], OF)
    assert _phrases(grid, [1, 1, 1, 1, 1, 0, 0], OF) == ["Of 12 men", "with asthma"]


GAP = "adults , children .\nMETHODS Sixty men"  # adults , children . METHODS Sixty men


def test_a_gap_inside_the_span_most_drew_is_closed() -> None:
    # a and b drew one span over the comma, c two spans around it
    grid = _grid([("a", 0, 17), ("b", 0, 17), ("c", 0, 6), ("c", 9, 17)], GAP)
    assert fill_gaps(grid, np.array([1, 0, 1, 0, 0, 0, 0])).tolist() == [1, 1, 1, 0, 0, 0, 0]
    assert _phrases(grid, [1, 0, 1, 0, 0, 0, 0], GAP) == ["adults , children"]


def test_a_heading_between_two_marked_sentences_stays_a_gap() -> None:
    # everyone marks the sentence before and after the heading, nobody the heading
    spans = [(w, 0, 19) for w in "abc"] + [(w, 28, 37) for w in "abc"]
    grid = _grid(spans, GAP)
    tokens = [1, 1, 1, 1, 0, 1, 1]
    assert fill_gaps(grid, np.array(tokens)).tolist() == tokens
    assert _phrases(grid, tokens, GAP) == ["adults , children .", "Sixty men"]


ASTHMA = "Outpatient management of asthma with nebulized agonists"


def test_a_lone_word_most_drew_inside_a_longer_span_becomes_that_span() -> None:
    # PICO 3300436: the token majority is "asthma" alone, a span nobody drew
    grid = _grid([("a", 0, 31), ("b", 0, 55), ("c", 25, 55)], ASTHMA, judged=("e",))
    runs, tokens = phrase_spans(grid, np.array([0, 0, 0, 1, 0, 0, 0]))
    assert [ASTHMA[r.start:r.end] for r in runs.itertuples()] == ["Outpatient management of asthma with nebulized agonists"]
    assert tokens.tolist() == [1] * 7


def test_a_word_most_marked_alone_stays_one_word() -> None:
    text = "Patients were randomly enrolled"
    spans = [("a", 0, 8), ("b", 0, 8), ("c", 0, 8), ("d", 0, 31), ("e", 0, 31)]
    assert _consensus(spans, text) == ["Patients"]


def test_a_lone_word_is_not_widened_over_another_consensus_span() -> None:
    # "asthma" and "agonists" are lone words; the longer span most drew over either one
    # takes in the other, so both stay as they are
    spans = [("a", 25, 55), ("b", 25, 55), ("c", 25, 31), ("d", 47, 55)]
    grid = _grid(spans, ASTHMA)
    tokens = np.array([0, 0, 0, 1, 0, 0, 1])
    widened, out = phrase_spans(grid, tokens)
    assert widened["first_token"].tolist() == [3, 6] and widened["last_token"].tolist() == [3, 6]
    assert out.tolist() == tokens.tolist()


def test_the_span_drawn_most_often_wins_over_a_wider_one() -> None:
    # a and b drew the same phrase; d's wider span overlaps everyone's more, but two drew
    # the phrase itself
    spans = [("a", 0, 31), ("b", 0, 31), ("c", 25, 55), ("d", 0, 55)]
    grid = _grid(spans, ASTHMA, judged=("e", "f", "g"))
    runs, tokens = phrase_spans(grid, np.array([0, 0, 0, 1, 0, 0, 0]))
    assert (runs["first_token"].tolist(), runs["last_token"].tolist()) == ([0], [3])
    assert tokens.tolist() == [1, 1, 1, 1, 0, 0, 0]
    # without the pair, the span that agrees best with the others: d's
    runs, _ = phrase_spans(_grid(spans[1:], ASTHMA), np.array([0, 0, 0, 1, 0, 0, 0]))
    assert (runs["first_token"].tolist(), runs["last_token"].tolist()) == ([0], [6])


def test_phrases_read_only_the_judgements_in_use() -> None:
    spans = [(w, 0, 21) for w in "abc"] + [(w, 3, 21) for w in "de"]
    grid = _grid(spans, OF)
    use = np.isin(np.asarray(grid.annotators)[grid.judgement_annotator], ["d", "e"])
    tokens = np.array([1, 1, 1, 1, 1, 0, 0])
    # only d and e: nobody marks across "Of|12", so the span is cut there
    assert begin_votes(grid, tokens, use).tolist()[:2] == [True, True]


def test_f1_vs_dawid_skene_is_measured_against_the_listed_consensus_spans() -> None:
    spans = [("d", "a", 0, 31, "P"), ("d", "b", 0, 31, "P"), ("d", "c", 25, 55, "P"), ("d", "d", 0, 55, "P")]
    data = SpanData.build(spans, [("d", w) for w in "efg"], {"d": ASTHMA})
    out = span_agreement(data, n_replicates=0, consensus=True)
    grid = TokenGrid.from_spans(data)
    listed = np.zeros(len(grid.token_start), dtype=np.int64)
    for row in out["consensus"]:
        listed[(grid.token_start >= row["start"]) & (grid.token_end <= row["end"])] = 1
    expected = f1_against_tokens(grid, listed)
    found = [out["per_annotator"][name].f1_vs_dawid_skene.value for name in grid.annotators]
    assert found == pytest.approx(expected.tolist())
    assert out["per_annotator"]["a"].f1_vs_dawid_skene.value == pytest.approx(1.0)  # drew the phrase
    assert [(r["start"], r["end"]) for r in out["consensus"]] == [(0, 31)]
    assert out["consensus"][0]["support"] == pytest.approx(4 / 7)


def test_the_english_sample_consensus_spans_are_spans_annotators_drew(sample_dir) -> None:
    """Samples whose one-word spans are names annotators marked alone keep them."""
    from analysis.io.load_task import load_task

    data = load_task(sample_dir / "tasks" / "en_trial_spans_labelstudio.json").data
    grid = TokenGrid.from_spans(data)
    check = heldout_comparison(grid, seed=0)
    assert check["dawid_skene"]["token_f1"] > 0.9
    consensus = span_consensus(data)
    drawn = set(zip(data.spans["item_id"], data.spans["start"], data.spans["end"], strict=True))
    assert len(consensus) == 240
    assert all((r["item_id"], r["start"], r["end"]) in drawn for r in consensus)
