"""Engine notes as codes with params (analysis.messages): catalogues, engine notes, Korean."""

from __future__ import annotations

import pickle
import re
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
# A sentence left in English: four or more ASCII words in a row.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'\-]*(?:[\s,;:()]+[A-Za-z][A-Za-z'\-]*){3,}")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_code_has_an_english_and_a_korean_template_with_the_same_placeholders() -> None:
    assert set(ENGLISH) == set(KOREAN)
    for code in ENGLISH:
        assert _fields(ENGLISH[code]) == _fields(KOREAN[code]), code


def test_every_korean_template_is_korean() -> None:
    for code, template in KOREAN.items():
        words = re.sub(r"\{[^}]*\}", "0", template)  # placeholders out: a value is not a word
        assert any("\uac00" <= c <= "\ud7a3" for c in words), code
        assert not ENGLISH_RUN.search(words), (code, template)


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
        "두 명 이상이 판정한 항목 중 라벨 'spam'이 붙은 항목이 없습니다")


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



def _task(path: str) -> AnnotationDataset:
    return AnnotationDataset.from_task_load(load_task(ROOT / "sample_data" / path))


def _report_notes(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every note of a report's dictionary (a ``note`` or ``*_note`` key, a metric's note), by path."""
    if isinstance(value, Metric):
        yield f"{path}.note", value.note
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (key == "note" or key.endswith("_note")):
                yield f"{path}.{key}", item
            else:
                yield from _report_notes(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _report_notes(item, f"{path}[]")


SAMPLE_REPORTS = {
    "single_label": lambda: build_report(_dataset("ko_news_topics.csv"), bootstrap=20, consensus=True),
    "single_label_ordinal": lambda: build_report(_dataset("ko_news_topics.csv"), level="ordinal", bootstrap=20),
    "single_label_models": lambda: build_report(_dataset("models/en_support_intents_llm.csv"), bootstrap=20),
    "multi_label": lambda: build_report(_task("tasks/en_support_tags.csv"), bootstrap=20, consensus=True),
    "spans": lambda: build_report(_task("tasks/en_trial_spans.conll"), bootstrap=20, consensus=True),
    "spans_korean": lambda: build_report(_task("tasks/ko_trial_spans_doccano.jsonl"), bootstrap=20),
}


@pytest.mark.parametrize("name", SAMPLE_REPORTS)
def test_every_note_of_a_sample_report_is_coded_and_reads_in_korean(name: str) -> None:
    report = SAMPLE_REPORTS[name]()
    notes = [(path, n) for path, n in _report_notes(report.to_dict()) if n is not None]
    assert len(notes) >= 20, notes
    for path, n in notes:
        assert isinstance(n, Note), (path, n)
        assert n.code == JOINED or n.code in ENGLISH, (path, n.code)
        assert render(n, "en") == str(n), path
        korean = render(n, "ko")
        assert not ENGLISH_RUN.search(korean), (path, n.code, korean)
        assert any("\uac00" <= c <= "\ud7a3" for c in korean), (path, korean)


def test_the_task_types_have_their_own_notes_in_the_sample_reports() -> None:
    codes = {name: {p.code for _, n in _report_notes(SAMPLE_REPORTS[name]().to_dict()) if isinstance(n, Note)
                    for p in n.parts if isinstance(p, Note)}
             for name in ("single_label_models", "multi_label", "spans")}
    assert {"model.human_alpha", "model.alpha_change", "model.epsilon", "model.human_specific"} <= codes[
        "single_label_models"]
    assert {"multilabel.exact_set", "multilabel.set_distance", "multilabel.ambiguity", "pair.no_interval"} <= codes[
        "multi_label"]
    assert {"spans.f1_strict", "spans.token_alpha_tokens", "spans.disagreements", "spans.quality"} <= codes["spans"]


def test_notes_in_tables_keep_their_codes() -> None:
    from analysis.quality.fatigue import fatigue_trends
    from analysis.quality.groups import round_agreement

    table = pd.DataFrame({"item_id": list("aabbccdd"), "annotator": list("xy") * 4,
                          "label": list("ppnnpnnp"), "batch": ["r1"] * 4 + ["r2"] * 4})
    rounds = round_agreement(AnnotationDataset.from_table(table), bootstrap=0)
    assert [n.code for n in rounds["note"]] == ["interval.too_few_pairable"] * 2
    assert rounds["change_note"][1].code == "round.change_no_interval"
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    assert {n.code for n in trends["note"]} == {"fatigue.too_few"}
    assert render(trends["note"][0], "ko") == "비교한 판정이 4개뿐입니다(최소 30개 필요)"


def test_pair_sample_notes_read_in_korean_with_their_numbers() -> None:
    from analysis.data.pair_sample import PairSample

    made = PairSample(np.array([True, False, True]), True, 3, 12_000, 4, 5_000, 3).note()
    assert made.code == "pair_sample.sampled"
    assert str(made).startswith("estimated on every pair among a random sample of 2 of 3 annotators: their 12,000")
    assert render(made, "ko").startswith("작업자 3명 중 무작위로 뽑은 2명의 모든 쌍으로 추정: 공유 항목의 판정 쌍 "
                                         "12,000개는 전부 계산하는 한도(판정 쌍 5,000개")


# --- load and dataset warnings ------------------------------------------------------------


def _warning_notes(warnings: Any) -> list[str]:
    return list(warnings or [])


def _parquet(labels: Any) -> bytes:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"item": ["1", "1", "2", "2"], "annotator": ["a", "b", "a", "b"], "label": labels}),
                   buffer)
    return buffer.getvalue()


def _prodigy() -> bytes:
    import hostile_files as hostile

    return hostile.prodigy_answers(["accept", "Reject", "REJECT", "maybe", None, "ignore", 1], binary=False)


def _brat(tmp_path: Path) -> Path:
    for who, ann in (("ann1", "T1\tPER 0 3\tKim\n"), ("ann2", "T1\tPER 0 3;8 11\tKim far\n")):
        (tmp_path / "corpus" / who).mkdir(parents=True)
        (tmp_path / "corpus" / who / "doc1.txt").write_text("Kim ran far", encoding="utf-8")
        (tmp_path / "corpus" / who / "doc1.ann").write_text(ann, encoding="utf-8")
    return tmp_path / "corpus"


# name -> (what load_task reads, its options, codes its warnings must include)
ODD_INPUTS: dict[str, tuple[Any, dict[str, Any], set[str]]] = {
    "texts_and_timestamps": (
        b"item_id,annotator,label,text,timestamp\na,x,p,hello,2024-01-01\na,y,q,other,not a time\n"
        b"b,x,p,t,1500-01-01\nb,y,p,t,2024-01-02\nc,x,q,u,2024-01-03\n",
        {"label_merges": {"zzz": "p"}},
        {"load.item_texts_differ", "load.timestamps_unparsable", "load.timestamps_outside", "load.unknown_merges"}),
    "invisible_label": ("item_id,annotator,label\na,x,\u200b\na,y,p\nb,x,p\nb,y,q\n".encode(), {},
                        {"load.invisible_labels"}),
    "numbers_and_text": (b'[{"item_id": "a", "annotator": "x", "label": 1}, '
                         b'{"item_id": "a", "annotator": "y", "label": "1"}, '
                         b'{"item_id": "b", "annotator": "x", "label": 2}, '
                         b'{"item_id": "b", "annotator": "y", "label": 2}]', {"name": "labels.json"},
                         {"load.number_text_labels"}),
    "second_label_column": (b"item,annotator,label,label\n1,a,x,y\n1,b,x,x\n", {"name": "two.csv"},
                            {"load.header_twice"}),
    "separator_only": (b"item,annotator,labels\n1,a,x|y\n1,b,|\n2,a,||\n2,b,y\n", {"name": "tags.csv", "label_sep": "|"},
                       {"load.only_separator"}),
    "label_lists": (lambda _: _parquet([["neg", "pos"], ["pos"], ["neg"], ["neg"]]), {"name": "sets.parquet"},
                    {"load.label_lists"}),
    "binary_not_utf8": (lambda _: _parquet(__import__("pyarrow").array([b"pos", b"\xff\xfepos", b"neg", b"neg"])),
                        {"name": "bin.parquet"}, {"load.binary_not_utf8"}),
    "prodigy": (lambda _: _prodigy(), {"name": "p.jsonl"}, {"load.answers_respelled", "load.answers_unknown"}),
    "brat": (_brat, {}, {"load.discontinuous_split"}),
    "multi_label_sample": (ROOT / "sample_data" / "tasks" / "en_support_tags.csv", {}, {"load.label_separated"}),
    "label_studio_questions": (lambda _: _label_studio_two_questions(), {"name": "ls.json"}, {"load.several_questions"}),
    "span_records_without_id": (b'{"P": {"w1": [[0, 5]], "w2": [[0, 5]]}}\n{"P": {"w1": [[1, 3]], "w2": [[0, 3]]}}\n',
                                {"name": "s.jsonl"}, {"load.records_without_id", "load.documents_without_text_tokens"}),
    "span_table_without_texts": (b"doc_id,annotator,start,end,type\nd1,w1,0,5,P\nd1,w2,0,4,P\n", {"name": "spans.csv"},
                                 {"load.documents_without_text"}),
    "mturk_checkboxes": (b"HITId,WorkerId,AssignmentStatus,Input.text,Answer.pos.on,Answer.neg.on\n"
                         b"h1,w1,Approved,t,true,true\nh1,w2,Approved,t,true,false\nh2,w1,Approved,u,false,true\n"
                         b"h2,w2,Approved,u,false,true\n", {"name": "mturk.csv"}, {"load.multi_checked"}),
    "repeated_rows": (b"item,annotator,label\n" + b"".join(f"{i},a,x\n{i},a,y\n{i},b,x\n".encode() for i in range(12)),
                      {"name": "rows.csv"}, {"load.label_rows", "load.rows_repeat"}),
    "no_annotator_field": (b'[{"id": 1, "labels": ["a", "b"]}, {"id": 2, "labels": ["a"]}]', {"name": "nowho.json"},
                           {"load.no_annotator_field"}),
    "label_column_three_times": (b"item,annotator,label,label,label\n1,a,x,y,z\n1,b,x,x,x\n", {"name": "hdr.csv"},
                                 {"load.header_times"}),
}


def _label_studio_two_questions() -> bytes:
    import json

    def result(first: list[str]) -> list[dict[str, Any]]:
        return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": first}},
                {"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}}]

    return json.dumps([{"id": i, "data": {"text": f"t{i}"},
                        "annotations": [{"completed_by": who, "result": result(["pos", "neg"] if i == 0 else ["pos"])}
                                        for who in (1, 2)]} for i in range(3)]).encode()


def _assert_coded_and_korean(warnings: list[str], where: str) -> None:
    for warning in warnings:
        assert isinstance(warning, Note), (where, warning)
        assert warning.code == JOINED or warning.code in ENGLISH, (where, warning.code)
        assert render(warning, "en") == str(warning), where
        korean = render(warning, "ko")
        assert any("\uac00" <= c <= "\ud7a3" for c in korean), (where, korean)
        assert not ENGLISH_RUN.search(korean), (where, warning.code, korean)


@pytest.mark.parametrize("name", ODD_INPUTS)
def test_every_load_warning_is_coded_and_reads_in_korean(name: str, tmp_path: Path) -> None:
    source, options, codes = ODD_INPUTS[name]
    loaded = load_task(source(tmp_path) if callable(source) else source, **options)
    warnings = _warning_notes(loaded.report.get("warnings"))
    assert codes <= {getattr(w, "code", None) for w in warnings}, warnings
    _assert_coded_and_korean(warnings, name)
    report = build_report(AnnotationDataset.from_task_load(loaded), bootstrap=0)
    _assert_coded_and_korean(_warning_notes(report.to_dict()["dataset"]["warnings"]), name)


@pytest.mark.parametrize("name", SAMPLE_REPORTS)
def test_the_dataset_warnings_of_every_sample_report_are_coded(name: str) -> None:
    _assert_coded_and_korean(_warning_notes(SAMPLE_REPORTS[name]().to_dict()["dataset"]["warnings"]), name)


def test_the_summary_warnings_read_whole_in_korean() -> None:
    one = build_report(AnnotationDataset.from_table(pd.DataFrame(
        {"item_id": list("abc"), "annotator": ["x", "x", "x"], "label": list("pqp")})), bootstrap=0)
    codes = [w.code for w in one.to_dict()["dataset"]["warnings"]]
    assert "summary.single_judgement" in codes and "summary.one_annotator" in codes
    from analysis.data.pair_sample import PairSample

    sample = PairSample(np.array([True, False, True]), True, 3, 12_000, 4, 5_000, 3).note()
    made = note("summary.pairs_sampled", sample=sample)
    assert str(made) == ("the measures of annotator pairs (mean_pairwise_cohen_kappa, pairwise, the bias index, "
                         "the pairwise homogeneity tests) are " + str(sample))
    assert render(made, "ko") == ("작업자 쌍의 측정값(mean_pairwise_cohen_kappa, pairwise, 편향 지수, 쌍별 동질성 "
                                  "검정)은 다음과 같이 구했습니다: " + render(sample, "ko"))


def test_a_warning_keeps_its_code_through_pickling_and_a_string_column() -> None:
    from analysis.data.note_columns import note_column

    loaded = load_task(ODD_INPUTS["texts_and_timestamps"][0], label_merges={"zzz": "p"})
    copy = pickle.loads(pickle.dumps(loaded.report))  # noqa: S301 (our own bytes)
    assert [w.code for w in copy["warnings"]] == [w.code for w in loaded.report["warnings"]]
    assert [render(w, "ko") for w in copy["warnings"]] == [render(w, "ko") for w in loaded.report["warnings"]]
    column = note_column(list(copy["warnings"]))
    assert all(isinstance(w, Note) for w in column)
    assert not isinstance(pd.Series(list(copy["warnings"]), dtype="string")[0], Note)  # why note_column exists


def test_a_where_note_names_the_rows_in_the_readers_language() -> None:
    from analysis.io.hygiene import _where

    many = _where(pd.Series([3, 5, 7, 9, 11, 13, 15]), "row")
    assert str(many) == "rows 3, 5, 7, 9, 11 and 2 more"
    assert render(many, "ko") == "행 번호 3, 5, 7, 9, 11 외 2개"
    assert str(_where(pd.Series([4]), "line")) == "line 4" and render(_where(pd.Series([4]), "line"), "ko") == "줄 번호 4"
    assert str(_where(pd.Series([1, 2]), "sheet row")) == "sheet rows 1, 2"  # a unit the catalogue lacks


class _SyllableTokenizer:
    """A tokenizer that knows no Hangul: every syllable is an unknown token."""

    unk_token_id = 0

    def __call__(self, texts: list[str], **_: Any) -> dict[str, list[list[int]]]:
        return {"input_ids": [[0 if "\uac00" <= c <= "\ud7a3" else 1 for c in t if not c.isspace()] for t in texts]}


def test_a_coverage_warning_reads_in_korean_and_keeps_its_code_through_the_cache(tmp_path: Path) -> None:
    from analysis.embeddings.cache import EmbeddingCache
    from analysis.embeddings.coverage import LanguageCoverage, measure_coverage

    coverage = measure_coverage(_SyllableTokenizer(), ["정부는 부동산 정책을", "발표했다"], model_name="en-model")
    (warning,) = coverage.warnings
    assert warning.code == "coverage.poor"
    assert str(warning).startswith("en-model covers Korean texts poorly (100.0% unknown tokens, 1.00 tokens per "
                                   "character): the embeddings and clusters will be unreliable.")
    assert render(warning, "ko").startswith("en-model은 한국어 텍스트를 잘 다루지 못합니다(알 수 없는 토큰 100.0%")
    _assert_coded_and_korean([warning], "coverage")
    cache = EmbeddingCache(tmp_path, "en-model")
    cache.save_coverage("k", coverage.to_dict())
    (cached,) = LanguageCoverage.from_dict(cache.load_coverage("k")).warnings
    assert isinstance(cached, Note) and cached == warning and render(cached, "ko") == render(warning, "ko")
    older = {**coverage.to_dict(), "warnings": ["an older wording"]}  # stored text wins over a stale code
    assert LanguageCoverage.from_dict(older).warnings == ("an older wording",)


def test_the_pair_sample_warnings_of_every_task_type_are_coded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "1000")
    rng = np.random.default_rng(5)
    who = [f"w{k}" for k in range(60)]
    single = pd.DataFrame([(f"i{i}", w, str(rng.integers(0, 3))) for i in range(30) for w in who],
                          columns=["item_id", "annotator", "label"])
    tags = "item,annotator,labels\n" + "".join(f"i{i},{w},{'a|b' if rng.random() < 0.5 else 'a'}\n"
                                               for i in range(30) for w in who)
    spans = "doc_id,annotator,start,end,type\n" + "".join(f"d{i},{w},0,{int(rng.integers(3, 6))},P\n"
                                                          for i in range(30) for w in who)
    reports = {"summary.pairs_sampled": build_report(AnnotationDataset.from_table(single), bootstrap=0),
               "summary.pairwise_sampled": build_report(AnnotationDataset.from_task_load(
                   load_task(tags.encode(), name="tags.csv", label_sep="|")), bootstrap=0),
               "summary.span_pairs_sampled": build_report(AnnotationDataset.from_task_load(
                   load_task(spans.encode(), name="spans.csv")), bootstrap=0)}
    for code, report in reports.items():
        warnings = report.to_dict()["dataset"]["warnings"]
        assert code in [w.code for w in warnings], (code, warnings)
        _assert_coded_and_korean(warnings, code)
        made = next(w for w in warnings if w.code == code)
        assert render(made, "ko").endswith(render(made.params["sample"], "ko"))


def test_per_annotator_flags_of_label_sets_are_coded_and_read_in_korean() -> None:
    from analysis.data.judgements import MultiLabelData
    from analysis.tasks.multilabel import multilabel_agreement

    # 'max' picks every label on 40 items where the others pick one
    records = [(f"i{n}", who, ["a", "b", "c"] if who == "max" else ["a"])
               for n in range(40) for who in ("max", "kim", "lee")]
    entry = multilabel_agreement(MultiLabelData.from_records(records), n_replicates=50,
                                 seed=0)["per_annotator"]["max"]
    assert [flag.code for flag in entry.flags] == ["multilabel.flag_more_labels"]
    assert entry.to_dict()["flags"] == ["chooses more labels than the others"]
    assert render(entry.flags[0], "ko") == "다른 작업자보다 라벨을 더 많이 고름"
