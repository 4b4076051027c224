"""Metric notes read in Korean on the Korean dashboard (dashboard/components/notes.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.messages import join
from analysis.metrics.intervals import interval_note
from analysis.metrics.overall import agreement_summary
from dashboard.components.notes import metric_note

ROOT = Path(__file__).resolve().parents[1]
# An English word left in a Korean note; the authors' names of the coefficients stay.
ENGLISH_WORD = re.compile(r"(?!(?:Light|Cohen|Fleiss|Everitt|Krippendorff|statsmodels)\b)\b[A-Za-z]{3,}")


def _sample() -> AnnotationDataset:
    path = ROOT / "sample_data" / "ko_news_topics.csv"
    return AnnotationDataset.from_load_result(load_annotations(path.read_bytes(), name=path.name))


def _notes(summary) -> list[str]:
    metrics = [*summary.overall.values(), *(m for per in summary.per_class.values() for m in per.values())]
    return sorted({m.note for m in metrics if m.note})


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_every_note_of_the_sample_summary_reads_in_korean(level: str) -> None:
    notes = _notes(agreement_summary(_sample(), level=level, bootstrap_resamples=50))
    assert any("bootstrap percentile interval" in note for note in notes)
    for note in notes:
        korean = metric_note(note, "ko")
        assert not ENGLISH_WORD.search(korean), (note, korean)
        assert metric_note(note, "en") == note


def test_undefined_and_missing_interval_notes_read_in_korean() -> None:
    one_rater = pd.DataFrame({"item_id": ["a", "b", "c"], "annotator": ["x", "x", "x"], "label": ["p", "q", "p"]})
    few = pd.DataFrame({"item_id": ["a", "a", "b", "b"], "annotator": ["x", "y", "x", "y"],
                        "label": ["p", "p", "q", "p"]})
    cases = [agreement_summary(AnnotationDataset.from_table(one_rater), bootstrap_resamples=20),
             agreement_summary(AnnotationDataset.from_table(few), bootstrap_resamples=20),
             agreement_summary(_sample(), bootstrap_resamples=0)]
    translated = 0
    for summary in cases:
        for note in _notes(summary):
            korean = metric_note(note, "ko")
            translated += korean != note
            assert not ENGLISH_WORD.search(korean), (note, korean)
    assert translated >= 3


def test_an_unknown_part_stays_in_english_beside_the_known_ones() -> None:
    note = join([interval_note(200, 3, 196), "something new"])
    assert note == ("95% bootstrap percentile interval, 200 resamples of items (seed 3); 4 resamples where the "
                    "value is undefined left out; something new")
    assert metric_note(note, "ko") == ("95% 부트스트랩 백분위 구간, 항목 재표집 200회(시드 3); "
                                       "값이 정의되지 않은 재표집 4회 제외; something new")
    assert metric_note(None, "ko") is None


def test_crowd_and_per_label_undefined_notes_read_in_korean() -> None:
    # 300 items, 3 judgements each from 100 workers: no pair shares 10 items, so Light's
    # kappa is not given.
    rng = np.random.default_rng(2)
    rows = [(f"i{i}", f"w{w}", str(rng.integers(0, 3))) for i in range(300)
            for w in rng.choice(100, 3, replace=False)]
    crowd = pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
    summary = agreement_summary(AnnotationDataset.from_table(crowd), bootstrap_resamples=20)
    light = summary.overall["mean_pairwise_cohen_kappa"]
    assert light.value is None and "no pair of annotators shares" in light.note
    # 'r' only on single-rated items: its per-label agreement is undefined
    lone = pd.DataFrame({"item_id": ["a", "a", "b", "b", "c", "c", "d"], "annotator": ["x", "y"] * 3 + ["x"],
                         "label": ["p", "p", "q", "p", "q", "q", "r"]})
    per_label = agreement_summary(AnnotationDataset.from_table(lone), bootstrap_resamples=20)
    assert "is used in every or in no pairable judgement" in per_label.per_class["r"]["krippendorff_alpha"].note
    for note in [*_notes(summary), *_notes(per_label)]:
        assert not ENGLISH_WORD.search(metric_note(note, "ko")), (note, metric_note(note, "ko"))


def test_annotator_tables_show_their_notes_in_the_page_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.quality.fatigue import fatigue_trends
    from dashboard.components import annotator_tables

    table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xy") * 3, "label": list("ppnnpn")})
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    monkeypatch.setattr(annotator_tables, "current_language", lambda: "ko")
    shown = annotator_tables.without_empty_notes(trends[["annotator", "note"]])
    assert list(shown["note"]) == ["비교한 판정이 3개뿐입니다(최소 30개 필요)"] * 2
    monkeypatch.setattr(annotator_tables, "current_language", lambda: "en")
    shown = annotator_tables.without_empty_notes(trends[["annotator", "note"]])
    assert list(shown["note"]) == ["only 3 compared judgements (at least 30 needed)"] * 2
    assert "note" not in annotator_tables.without_empty_notes(trends[["annotator"]].assign(note=None))
