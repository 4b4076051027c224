"""Engine notes as codes with params (analysis.messages): catalogues, engine notes, Korean."""

from __future__ import annotations

import pickle
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.io.load_task import load_task
from analysis.messages import JOINED, Note, join, note, render
from analysis.messages.english import ENGLISH
from analysis.messages.korean import KOREAN
from analysis.metrics.result import Metric
from analysis.report import build_report

ROOT = Path(__file__).resolve().parents[1]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_code_has_an_english_and_a_korean_template_with_the_same_placeholders() -> None:
    assert set(ENGLISH) == set(KOREAN)
    for code in ENGLISH:
        assert _fields(ENGLISH[code]) == _fields(KOREAN[code]), code


def _walk(value: Any) -> Iterator[Note]:
    if isinstance(value, Note):
        yield value
        for param in value.params.values():
            yield from _walk(param)
    elif isinstance(value, Metric):
        yield from _walk(value.note)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, pd.DataFrame):
        for column in value.columns:
            if value[column].dtype == object:
                yield from _walk(list(value[column]))


def _dataset(name: str) -> AnnotationDataset:
    path = ROOT / "sample_data" / name
    return AnnotationDataset.from_load_result(load_annotations(path.read_bytes(), name=path.name))


def _engine_notes() -> list[Note]:
    one_rater = pd.DataFrame({"item_id": list("abc"), "annotator": ["x"] * 3, "label": list("pqp")})
    lone = pd.DataFrame({"item_id": list("aabbccd"), "annotator": ["x", "y"] * 3 + ["x"],
                         "label": list("ppqpqqr")})
    rng = np.random.default_rng(2)
    crowd = pd.DataFrame([(f"i{i}", f"w{w}", str(rng.integers(0, 3))) for i in range(300)
                          for w in rng.choice(100, 3, replace=False)],
                         columns=["item_id", "annotator", "label"])
    reports = [build_report(_dataset("ko_news_topics.csv"), bootstrap=30, consensus=True),
               build_report(_dataset("en_support_intents.csv"), level="ordinal", bootstrap=30),
               build_report(AnnotationDataset.from_table(one_rater), bootstrap=20),
               build_report(AnnotationDataset.from_table(lone), bootstrap=20),
               build_report(AnnotationDataset.from_table(crowd), bootstrap=0),
               build_report(AnnotationDataset.from_task_load(
                   load_task(ROOT / "sample_data" / "tasks" / "en_support_tags_labelstudio.json")), bootstrap=20)]
    notes = []
    for report in reports:
        notes += _walk(report.to_dict())
        if getattr(report, "rounds", None) is not None:
            notes += _walk(report.rounds)
    return notes


@pytest.fixture(scope="module")
def engine_notes() -> list[Note]:
    return _engine_notes()


def test_every_engine_note_is_its_english_template_filled_in(engine_notes: list[Note]) -> None:
    codes = {n.code for n in engine_notes}
    assert len(codes) >= 25, codes
    for n in engine_notes:
        assert n.code == JOINED or n.code in ENGLISH, n.code
        assert render(n, "en") == str(n), n.code
        korean = render(n, "ko")
        assert korean != str(n) or not any(c.isalpha() and c.isascii() for c in korean), (n, korean)


def test_korean_does_not_depend_on_the_english_wording(monkeypatch: pytest.MonkeyPatch) -> None:
    made = join([note("interval.percentile", resamples=200, seed=3), note("weighting.nominal"),
                 note("class.label_absent", label="spam")])
    before = render(made, "ko")
    monkeypatch.setitem(ENGLISH, "interval.percentile", "bootstrap interval ({resamples} draws, seed {seed})")
    monkeypatch.setitem(ENGLISH, "weighting.nominal", "no weights")
    reworded = join([note("interval.percentile", resamples=200, seed=3), note("weighting.nominal"),
                     note("class.label_absent", label="spam")])
    assert str(reworded).startswith("bootstrap interval (200 draws, seed 3); no weights")
    assert render(reworded, "ko") == before == (
        "95% 부트스트랩 백분위 구간, 항목 재표집 200회(시드 3); 가중치 없음; "
        "두 명 이상이 판정한 항목 중 레이블 'spam'이 붙은 항목이 없습니다")


def test_notes_the_phrase_table_missed_read_in_korean() -> None:
    assert render(note("agreement.expected_one"), "ko") == "기대 일치가 1입니다: 계수가 정의되지 않음"
    assert render(note("metric.level", level=note("level.ordinal")), "ko") == "서열 수준"


def test_a_note_is_its_english_text_and_survives_pickling_and_joining() -> None:
    made = join([note("weighting.ordinal"), note("interval.kappa_se", se=0.01234), "plain"])
    assert made == "linear weights on label ranks; 95% interval kappa +/- 1.96 SE, statsmodels asymptotic SE 0.0123; plain"
    copy = pickle.loads(pickle.dumps(made))  # noqa: S301 (our own bytes)
    assert isinstance(copy, Note) and copy == made and render(copy, "ko") == render(made, "ko")
    assert [p.code if isinstance(p, Note) else p for p in join([made, note("interval.disabled")]).parts] == [
        "weighting.ordinal", "interval.kappa_se", "plain", "interval.disabled"]
    assert render("a plain note", "ko") == "a plain note" and render(None, "ko") is None
