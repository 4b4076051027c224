"""Diagnostics: suggested level, prevalence/bias indices, leniency, drift, camps, checks, verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from diagnostics_simulation import binary_camps_table, camps_table, ratings_table, skewed_table

from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import ReliabilityData
from analysis.diagnostics import (
    diagnose,
    find_camps,
    label_prevalence,
    leniency_table,
    level_reason,
    suggest_level,
)
from analysis.diagnostics.rater_effects import distance_sequences, distance_trends
from analysis.messages import join, note
from analysis.report import build_report, render_html, render_markdown
from analysis.report.verdict import verdict

ROOT = Path(__file__).resolve().parents[1]


def _report(table: pd.DataFrame, **options) -> dict:
    """The report's JSON contract (``build_report(...).to_dict()``)."""
    return build_report(table, **options).to_dict()


@pytest.mark.parametrize(
    ("labels", "level", "clear", "order"),
    [
        (["3", "0", "5", "1", "2", "4"], "interval", True, ("0", "1", "2", "3", "4", "5")),
        (["1.5", "0.5", "1.0"], "interval", True, ("0.5", "1.0", "1.5")),
        (["101", "205", "3", "7"], "interval", False, ("3", "7", "101", "205")),
        (["High", "low", "Medium"], "ordinal", True, ("low", "Medium", "High")),
        (["Agree", "Strongly agree", "Neutral", "Disagree", "Strongly disagree"], "ordinal", True,
         ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")),
        (["그렇다", "매우 그렇다", "보통이다", "그렇지 않다", "전혀 그렇지 않다"], "ordinal", True,
         ("전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다")),
        (["만족", "매우 만족", "보통", "불만족"], "ordinal", True, ("불만족", "보통", "만족", "매우 만족")),
        (["상", "하", "중"], "ordinal", True, ("하", "중", "상")),
        (["10 - best", "2 - poor", "1 - worst"], "ordinal", True, ("1 - worst", "2 - poor", "10 - best")),
        (["sports", "politics", "economy"], "nominal", True, None),
        (["경제", "사회", "스포츠"], "nominal", True, None),
        (["0", "1"], "nominal", True, None),
    ],
    ids=["0-5", "halves", "codes", "low-high", "likert-en", "likert-ko", "satisfaction-ko", "sang-jung-ha",
         "numbered", "topics", "topics-ko", "binary"],
)
def test_suggested_level(labels: list[str], level: str, clear: bool, order: tuple[str, ...] | None) -> None:
    suggestion = suggest_level(labels)
    assert (suggestion.level, suggestion.clear) == (level, clear)
    if order is not None:
        assert suggestion.order == order


@pytest.mark.parametrize(
    ("labels", "kind", "korean"),
    [
        (["3", "0", "5", "1", "2", "4"], "numeric", "0부터 5까지 고르게 떨어진 숫자 6개"),
        (["101", "205", "3", "7"], "numeric", "3부터 205까지의 숫자 4개"),
        (["10 - best", "2 - poor", "1 - worst"], "numbered_names", "'1 - worst' … '10 - best'"),
        (["상", "하", "중"], "ordered_names", "하 < 중 < 상"),
        (["sports", "politics", "economy"], "names", "정해진 순서가 없는 이름"),
        (["0", "1"], "binary", "라벨이 두 개"),
        (["yes"], "single", "하나뿐"),
        ([], "empty", "라벨이 없습니다"),
    ],
)
def test_the_level_reason_reads_in_korean_from_the_evidence(labels: list[str], kind: str, korean: str) -> None:
    suggestion = suggest_level(labels).to_dict()
    assert suggestion["kind"] == kind
    assert korean in level_reason(suggestion, "ko")
    assert level_reason(suggestion, "en") == suggestion["reason"]
    # No English sentence leaks into the Korean text (label names aside).
    assert not any(word in level_reason(suggestion, "ko") for word in ("the labels", "scale", "names"))


def _two_rater_table(a: int, b: int, c: int, d: int) -> pd.DataFrame:
    pairs = [("y", "y")] * a + [("y", "n")] * b + [("n", "y")] * c + [("n", "n")] * d
    n = len(pairs)
    return pd.DataFrame({"item_id": [str(i) for i in range(n) for _ in range(2)], "annotator": ["A", "B"] * n,
                         "label": [label for pair in pairs for label in pair]})


def test_prevalence_and_bias_indices_match_byrt_for_two_raters() -> None:
    a, b, c, d = 80, 12, 3, 5  # Byrt et al.: PI = |a - d| / n, BI = |b - c| / n
    n = a + b + c + d
    result = {p.label: p for p in label_prevalence(ReliabilityData.from_table(_two_rater_table(a, b, c, d)),
                                                  bootstrap_resamples=200)}
    y = result["y"]
    assert y.prevalence_index == pytest.approx(abs(a - d) / n)
    assert y.bias_index == pytest.approx(abs(b - c) / n)
    assert y.positive_agreement.value == pytest.approx(2 * a / (2 * a + b + c))
    assert y.negative_agreement.value == pytest.approx(2 * d / (2 * d + b + c))
    assert result["n"].positive_agreement.value == pytest.approx(y.negative_agreement.value)
    assert y.positive_agreement.ci_low < y.positive_agreement.value < y.positive_agreement.ci_high


def test_positive_agreement_equals_the_reports_specific_agreement() -> None:
    table = camps_table(kind="one", items=200, seed=3)
    report = _report(table, bootstrap=0)
    prevalence = label_prevalence(ReliabilityData.from_table(table), bootstrap_resamples=0)
    for p in prevalence:
        assert p.positive_agreement.value == pytest.approx(report["per_class"][p.label]["specific_agreement"]["value"])


def test_bias_index_many_raters_is_the_pair_average_of_byrt() -> None:
    table = camps_table(kind="careless", items=120, seed=1)
    data = ReliabilityData.from_table(table)
    indices = {p.label: p.bias_index for p in label_prevalence(data, bootstrap_resamples=0)}
    wide = table.pivot(index="item_id", columns="annotator", values="label")
    for label, index in indices.items():
        diffs, shared = [], []
        for i, first in enumerate(wide.columns):
            for second in wide.columns[i + 1:]:
                both = wide[[first, second]].dropna()
                diffs.append(abs((both[first] == label).sum() - (both[second] == label).sum()))
                shared.append(len(both))
        assert index == pytest.approx(sum(diffs) / sum(shared))


def test_leniency_finds_the_planted_offset_and_matches_pandas() -> None:
    table = ratings_table(lenient=1.0, seed=2)
    data = ReliabilityData.from_table(table)
    result = leniency_table(data, level="interval").set_index("annotator")
    assert result["flagged"].tolist().count(True) == 1
    assert result.loc["rater0", "direction"] == "lenient"
    assert 0.6 < result.loc["rater0", "leniency"] < 1.2
    numbers = table.assign(value=table["label"].astype(float))
    means = numbers.groupby("item_id")["value"].agg(["sum", "count"])
    joined = numbers.join(means, on="item_id")
    joined = joined[joined["count"] > 1]
    offsets = joined["value"] - (joined["sum"] - joined["value"]) / (joined["count"] - 1)
    expected = offsets.groupby(joined["annotator"]).mean()
    for name, value in expected.items():
        assert result.loc[name, "leniency"] == pytest.approx(value)
    low, high = result.loc["rater0", ["ci_low", "ci_high"]]
    sd = offsets[joined["annotator"] == "rater0"].std(ddof=1)
    n = int((joined["annotator"] == "rater0").sum())
    from scipy import stats
    assert high - low == pytest.approx(2 * stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n))


def test_no_leniency_flags_in_one_population() -> None:
    result = leniency_table(ReliabilityData.from_table(ratings_table(seed=4)), level="interval")
    assert not result["flagged"].any()


def test_distance_trend_flags_the_drifting_rater_and_matches_polyfit() -> None:
    table = ratings_table(drift=True, seed=5)
    data = ReliabilityData.from_table(table)
    dataset = AnnotationDataset.from_table(table, level="interval")
    trends = distance_trends(dataset).set_index("annotator")
    assert trends.index[trends["fatigue"]].tolist() == ["rater1"]
    frame = distance_sequences(dataset)
    one = frame[frame["annotator_index"] == list(data.annotators).index("rater1")]
    slope, intercept = np.polyfit(one["scaled"], one["distance"], 1)
    assert trends.loc["rater1", "slope"] == pytest.approx(slope)
    assert trends.loc["rater1", "intercept"] == pytest.approx(intercept)


def test_two_planted_camps_are_found_with_their_label() -> None:
    search = find_camps(ReliabilityData.from_table(camps_table(kind="camps", seed=0)), bootstrap=200)
    assert sorted(camp.annotators for camp in search.camps) == [("ann0", "ann1", "ann2"), ("ann3", "ann4", "ann5")]
    for camp in search.camps:
        assert camp.within.ci_low > camp.between.ci_high
        assert set(camp.split_labels[:2]) == {"0", "1"}
        assert camp.split_item_count > 0


@pytest.mark.parametrize("kind", ["one", "careless"], ids=["one-population", "one-careless-annotator"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_camps_without_them(kind: str, seed: int) -> None:
    search = find_camps(ReliabilityData.from_table(camps_table(kind=kind, seed=seed, items=300)), bootstrap=200)
    assert search.camps == ()
    assert search.note.startswith("no camps")


def test_camps_are_not_searched_in_crowds_or_tiny_teams() -> None:
    tiny = camps_table(kind="camps", annotators=3, items=100)
    assert "at least 4 annotators" in find_camps(ReliabilityData.from_table(tiny)).note


def test_skewed_labels_diagnostic_recommends_alpha_with_specific_agreement() -> None:
    report = _report(skewed_table(), bootstrap=200)
    by_code = {d["code"]: d for d in report["diagnostics"]}
    skew = by_code["skewed_labels"]
    assert skew["severity"] == "warning"
    evidence = skew["evidence"]
    assert evidence["dominant_label"] == "0" and evidence["dominant_share"] > 0.75
    assert evidence["recommended"] == "krippendorff_alpha"
    assert evidence["gwet_ac1"] - evidence["krippendorff_alpha"] >= 0.2
    assert evidence["rare_positive_agreement"]["ci_low"] is not None
    assert "Feinstein & Cicchetti 1990" in skew["message"] and "Gwet 2008" in skew["message"]
    assert {"code", "severity", "message", "evidence"} <= set(skew)


def test_level_mismatch_both_ways_and_ordered_names() -> None:
    ratings = ratings_table(seed=6)
    nominal = _report(ratings, bootstrap=50)
    mismatch = next(d for d in nominal["diagnostics"] if d["code"] == "level_mismatch")
    assert mismatch["evidence"]["suggested_level"] == "interval"
    interval = _report(ratings, level="interval", bootstrap=50)
    assert mismatch["evidence"]["alpha_suggested"]["value"] == pytest.approx(
        interval["overall"]["krippendorff_alpha"]["value"])
    assert "level_mismatch" not in {d["code"] for d in interval["diagnostics"]}
    assert interval["dataset"]["suggested_level"] == "interval"

    topics = camps_table(kind="one", items=100).replace({"label": {"0": "sports", "1": "economy", "2": "arts",
                                                                   "3": "science"}})
    codes = {d["code"] for d in _report(topics, level="ordinal", bootstrap=0)["diagnostics"]}
    assert "level_mismatch" in codes

    grades = camps_table(kind="one", items=100).replace({"label": {"0": "low", "1": "medium", "2": "high",
                                                                   "3": "very high"}})
    report = _report(grades, level="ordinal", bootstrap=0)
    assert report["dataset"]["label_order"] == ["low", "medium", "high", "very high"]
    ordered = grades.replace({"label": {"low": "a", "medium": "b", "high": "c", "very high": "d"}})
    assert report["overall"]["krippendorff_alpha"]["value"] == pytest.approx(
        _report(ordered, level="ordinal", bootstrap=0)["overall"]["krippendorff_alpha"]["value"])


def test_few_items_rare_label_and_low_overlap() -> None:
    small = camps_table(kind="one", items=30, annotators=3)
    codes = {d["code"]: d for d in _report(small, bootstrap=100)["diagnostics"]}
    assert codes["few_items"]["severity"] == "warning"
    assert codes["few_items"]["evidence"]["items_with_two_or_more"] == 30

    table = camps_table(kind="one", items=200, annotators=4)
    table.loc[table.index[:3], "label"] = "rare"
    left = table[table["annotator"].isin(["ann0", "ann1"]) & (table["item_id"] < "item0100")]
    right = table[table["annotator"].isin(["ann2", "ann3"]) & (table["item_id"] >= "item0100")]
    found = {d["code"]: d for d in _report(pd.concat([left, right]), bootstrap=0)["diagnostics"]}
    assert found["low_overlap"]["evidence"]["annotator_groups"] == 2
    assert found["low_overlap"]["severity"] == "warning"
    assert found["rare_label"]["evidence"]["labels"][0]["label"] == "rare"


def test_report_contract_keys_at_each_level() -> None:
    table = ratings_table(lenient=1.0, seed=7)
    nominal = _report(table, bootstrap=0)
    assert "leniency" not in nominal["per_annotator"]["rater0"]
    report = _report(table, level="interval", bootstrap=50)
    assert report["dataset"]["suggested_level"] == "interval"
    entry = report["per_annotator"]["rater0"]
    assert set(entry["leniency"]) == {"value", "ci_low", "ci_high", "n", "note"}
    assert entry["flags"]["bias"] is True and entry["leniency_direction"] == "lenient"
    assert sum(e["flags"]["bias"] for e in report["per_annotator"].values()) == 1
    assert "distance" in entry["fatigue_slope"]["note"]
    assert isinstance(report["annotator_camps"], list)
    json.dumps(report, allow_nan=False)

    camps = _report(camps_table(kind="camps"), bootstrap=100)
    assert len(camps["annotator_camps"]) == 2
    for camp in camps["annotator_camps"]:
        assert {"annotators", "within", "between", "split_labels"} <= set(camp)
        assert set(camp["within"]) == {"value", "ci_low", "ci_high", "n", "note"}
    assert "annotator_camps" in {d["code"] for d in camps["diagnostics"]}


def test_verdict_uses_numbers_from_the_report_in_both_languages() -> None:
    report = _report(camps_table(kind="camps"), bootstrap=100)
    alpha = f"{report['overall']['krippendorff_alpha']['value']:.3f}"
    for language in ("en", "ko"):
        sentences = verdict(report, language)
        assert len(sentences) == 3
        assert alpha in sentences[0]
        assert "ann0" in sentences[1]
    assert "camps" in verdict(report)[1]
    # counts read as on the dashboard's cards, with thousands separators
    report["dataset"] = report["dataset"] | {"items": 3304, "annotators": 1200}
    assert verdict(report)[0].startswith("Across 3,304 items and 1,200 annotators")
    assert verdict(report, "ko")[0].startswith("3,304개 항목, 작업자 1,200명")


def _binary_table(seed: int = 3) -> pd.DataFrame:
    """Four annotators, balanced labels 0/1, right 80% of the time: no diagnostic applies."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, 300)
    rows = [(f"i{i}", f"a{j}", str(truth[i] if rng.random() < 0.8 else 1 - truth[i]))
            for i in range(300) for j in range(4)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


def test_verdict_on_binary_data_names_both_labels_and_where_they_split() -> None:
    report = _report(_binary_table(), bootstrap=0)
    assert not [d for d in report["diagnostics"] if d["severity"] == "warning"]
    per_class = report["per_class"]
    english, korean = verdict(report), verdict(report, "ko")
    zero, one = (f"{per_class[label]['specific_agreement']['value']:.3f}" for label in ("0", "1"))
    assert english[1].startswith(f"Annotators split between '0' and '1' (specific agreement {zero}")
    assert f"{one}" in english[1]
    assert english[2].startswith("Next: write a guideline rule with examples that says when an item is '0' and "
                                 "when it is '1' (the Ambiguity clusters page")
    assert "rule with examples for '0'" not in " ".join(english)
    assert korean[2].startswith("다음 단계: 항목이 '0'일 때와 '1'일 때를 가르는")
    assert "'0'과 '1' 사이에서 갈립니다" in korean[1]  # 영 takes 과


def test_renderings_open_with_the_verdict_and_escape_labels() -> None:
    table = skewed_table().replace({"label": {"1": "<b>hate</b>"}})
    report = _report(table, bootstrap=50)
    page = render_html(report)
    assert "<b>hate</b>" not in page and "&lt;b&gt;hate&lt;/b&gt;" in page
    assert page.index("In three sentences") < page.index("Diagnostics")
    markdown = render_markdown(report, language="ko")
    assert markdown.startswith("# 어노테이션 일치도 보고서") and "세 문장 요약" in markdown


def test_diagnose_handles_degenerate_data() -> None:
    one = pd.DataFrame({"item_id": ["a", "b"], "annotator": ["x", "x"], "label": ["p", "q"]})
    found = diagnose(ReliabilityData.from_table(one), overall={}, bootstrap=10)
    assert found.camps.camps == ()
    same = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"), "label": ["p"] * 4})
    report = _report(same, bootstrap=10)
    json.dumps(report, allow_nan=False)
    assert verdict(report)[0].startswith("Agreement cannot be measured")
    assert verdict(report, "ko") == [
        "일치도를 잴 수 없습니다: 두 명 이상이 판정한 항목의 판정이 모두 'p'입니다: 우연 보정 일치도가 정의되지 않음."]



def test_cli_warns_on_level_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    ratings_table(seed=8, items=60).to_csv(path, index=False)
    completed = subprocess.run([sys.executable, "-m", "analysis", "report", str(path), "--bootstrap", "0"],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0
    assert "warning: level mismatch" in completed.stderr and "--level interval" in completed.stderr
    assert json.loads(completed.stdout)["dataset"]["suggested_level"] == "interval"


def test_rare_label_with_two_camps_gives_both_diagnostics_camps_first() -> None:
    report = _report(binary_camps_table(seed=1), bootstrap=200)
    codes = [d["code"] for d in report["diagnostics"]]
    assert codes[:2] == ["annotator_camps", "skewed_labels"]
    camps = report["annotator_camps"]
    assert sorted(c["annotators"] for c in camps) == [["ann0", "ann1", "ann2"], ["ann3", "ann4", "ann5"]]
    for camp in camps:
        assert camp["split_labels"][0] == "1"  # used equally often by both camps, on different items
        shares = camp["label_shares"]["1"]
        assert abs(shares["camp"] - shares["others"]) < 0.03
        within, between = camp["label_agreement"]["1"]["within"], camp["label_agreement"]["1"]["between"]
        assert within - between > 0.2
    assert "camps" in verdict(report)[2] or "camps" in verdict(report)[1]
    assert str(camps[0]["split_item_count"]) in verdict(report)[2]


def test_specific_agreement_sums_the_same_in_the_sparse_layout() -> None:
    # Crowd-shaped counts: 40 labels, 3-5 judgements per item spread over a few labels.
    from analysis.diagnostics.prevalence import SpecificSums
    from analysis.metrics.patterns import ItemPatterns, weight_batches

    rng = np.random.default_rng(5)
    counts = np.zeros((3000, 40))
    for row, m in enumerate(rng.integers(3, 6, 3000)):
        truth = rng.integers(0, 40)
        np.add.at(counts[row], np.where(rng.random(m) < 0.7, truth, rng.integers(0, 40, m)), 1)
    counts[:5] = 0
    counts[:5, 7] = 4  # a few items where only one label was used
    patterns = ItemPatterns.from_counts(counts.astype(np.int64))
    sparse, dense = (SpecificSums(patterns.counts.astype(float), sparse_layout=layout) for layout in (True, False))
    assert SpecificSums(patterns.counts.astype(float)).sparse  # chosen on its own for this shape
    weights = np.vstack(list(weight_batches(patterns.frequency, 64, seed=1, batch=32)))
    for w in (patterns.frequency.astype(float), weights):
        for got, expected in zip(sparse(w), dense(w), strict=True):
            np.testing.assert_array_equal(got, expected)  # whole-number sums: exactly equal
    positive, negative = dense(patterns.frequency.astype(float))
    assert np.isfinite(positive).all() and np.isfinite(negative).all()


def _banded(alpha: float, others: dict[str, tuple[float, str]], *, alpha_band: str = "unreliable: discard",
            level: str = "nominal", counts: dict[str, int] | None = None, fleiss_note: str = "") -> dict:
    overall = {"krippendorff_alpha": {"value": alpha}} | {name: {"value": v} for name, (v, _) in others.items()}
    overall.get("fleiss_kappa", {})["note"] = fleiss_note
    bands = {"krippendorff_alpha": {"label": alpha_band}} | {name: {"label": b} for name, (_, b) in others.items()}
    return {"overall": overall, "interpretation": {"overall": bands},
            "dataset": {"level": level, "load": {"label_counts": counts or {"a": 5, "b": 5}}}}


@pytest.mark.parametrize(("report", "reason"), [
    (_banded(0.477, {"fleiss_kappa": (0.479, "moderate")}), "scales"),
    (_banded(0.60, {"fleiss_kappa": (0.42, "moderate")}, alpha_band="unreliable: discard", level="ordinal"), "level"),
    (_banded(0.43, {"gwet_ac1": (0.77, "substantial")}, counts={"1": 79, "0": 21}), "prevalence"),
    (_banded(0.30, {"fleiss_kappa": (0.45, "moderate")}, fleiss_note=note("agreement.unequal_counts")),
     "missing"),
    (_banded(0.30, {"fleiss_kappa": (0.45, "moderate")},
             fleiss_note=join([note("agreement.unequal_counts"), note("interval.disabled")])), "missing"),
    # the cause is read from the note's code, never from its words
    (_banded(0.30, {"fleiss_kappa": (0.45, "moderate")}, fleiss_note=str(note("agreement.unequal_counts"))),
     "method"),
    (_banded(0.30, {"fleiss_kappa": (0.45, "moderate")}), "method"),
], ids=["scales", "level", "prevalence", "missing", "missing_joined", "words_only", "method"])

def test_bands_that_disagree_are_explained_by_their_cause(report: dict, reason: str) -> None:
    from analysis.diagnostics.coherence import band_differences, band_sentences

    (difference,) = band_differences(report)
    assert difference["reason"] == reason
    english, korean = band_sentences(report), band_sentences(report, "ko")
    assert len(english) == len(korean) == 1 and "Krippendorff's alpha" in english[0] and "크리펜도르프 알파" in korean[0]
    assert "(과)" not in korean[0] and "(는)" not in korean[0]


def test_bands_that_agree_need_no_sentence_and_reports_carry_the_sentence() -> None:
    from analysis.diagnostics.coherence import band_sentences

    assert band_sentences(_banded(0.70, {"fleiss_kappa": (0.71, "substantial")}, alpha_band="tentative conclusions only")) == []
    report = _report(skewed_table(), bootstrap=0)
    sentences = band_sentences(report)
    assert sentences and all(sentence in render_markdown(report).replace("\\&", "&") for sentence in sentences)
