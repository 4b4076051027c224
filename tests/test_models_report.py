"""The ``models_vs_humans`` report section and the CLI around it: the people's figures are the
ones they were without the models, the comparison's numbers agree with independent
implementations, the planted sample reads as planted, and the gate exits 3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.report import build_report, render_html, render_markdown

ROOT = Path(__file__).resolve().parents[1]
LLM_SAMPLE = ROOT / "sample_data" / "models" / "en_support_intents_llm.csv"
PEOPLE_SAMPLE = ROOT / "sample_data" / "en_support_intents.csv"
BOOTSTRAP = 100


@pytest.fixture(scope="module")
def llm_report():
    dataset = AnnotationDataset.from_load_result(load_annotations(LLM_SAMPLE))
    return build_report(dataset, bootstrap=BOOTSTRAP, seed=0)


@pytest.fixture(scope="module")
def llm_json(llm_report) -> dict:
    return llm_report.to_dict()


def test_the_people_figures_are_those_without_the_models(llm_json: dict) -> None:
    alone = build_report(AnnotationDataset.from_load_result(load_annotations(PEOPLE_SAMPLE)),
                         bootstrap=BOOTSTRAP, seed=0).to_dict()
    for key in ("overall", "per_class", "per_annotator", "pairwise", "interpretation",
                "diagnostics", "annotator_camps", "most_confused_pair"):
        assert llm_json[key] == alone[key], key
    assert llm_json["dataset"]["annotators"] == 5
    assert "models_vs_humans" not in alone
    assert any("2 model annotator(s) (assistant-large, intent-classifier) are not counted"
               in w for w in llm_json["dataset"]["warnings"])


def test_include_models_counts_them_as_annotators() -> None:
    result = load_annotations(LLM_SAMPLE)
    counted = build_report(AnnotationDataset.from_load_result(result, include_models=True),
                           bootstrap=0).to_dict()
    table = build_report(result.table, bootstrap=0).to_dict()  # a bare table knows no kinds
    assert counted["overall"] == table["overall"] and counted["dataset"]["annotators"] == 7
    assert counted["models_vs_humans"]["models_counted_with_humans"] is True
    assert counted["models_vs_humans"]["humans"] == 5


def test_the_planted_sample_reads_as_planted(llm_json: dict) -> None:
    section = llm_json["models_vs_humans"]
    models = {m["annotator"]: m for m in section["models"]}
    llm, classifier = models["assistant-large"], models["intent-classifier"]
    assert llm["identified_by"] == "kind_column" and llm["detail"] == "annotator_type"
    assert llm["alt_test"]["passed"] is True and llm["alt_test"]["winning_rate"] >= 0.8
    assert classifier["alt_test"]["passed"] is False
    assert llm["alt_test"]["advantage_probability"] > classifier["alt_test"]["advantage_probability"]
    assert llm["per_class"]["account_access"]["verdict"] == "worse"  # its planted weakness
    assert llm["per_class"]["billing"]["verdict"] == "better"
    assert "worse on 'account_access'" in llm["per_class_summary"]
    assert llm["meaning"].startswith("assistant-large may replace a human annotator")


def test_agreement_matches_independent_implementations(llm_report, llm_json: dict) -> None:
    model = next(m for m in llm_json["models_vs_humans"]["models"] if m["annotator"] == "assistant-large")
    agreement = model["agreement"]
    # every item was labelled by the model, so the people's alpha is the report's own
    assert agreement["human_alpha"]["value"] == pytest.approx(llm_json["overall"]["krippendorff_alpha"]["value"])
    table = load_annotations(LLM_SAMPLE).table
    mine = table[table["annotator"] != "intent-classifier"]
    wide = mine.pivot(index="annotator", columns="item_id", values="label")
    codes = wide.apply(lambda column: column.map({label: i for i, label in enumerate(sorted(mine["label"].unique()))}))
    alpha = krippendorff.alpha(reliability_data=codes.to_numpy(dtype=float), level_of_measurement="nominal")
    assert agreement["alpha_with_model"]["value"] == pytest.approx(alpha)
    kappas = {}
    for human in wide.index.drop("assistant-large"):
        both = wide.loc[[human, "assistant-large"]].dropna(axis=1)
        kappas[human] = cohen_kappa_score(both.iloc[0], both.iloc[1])
        assert agreement["kappa_with_each_human"][human]["value"] == pytest.approx(kappas[human])
    assert agreement["model_mean_kappa"]["value"] == pytest.approx(np.mean(list(kappas.values())))
    people = [wide.loc[[a, b]].dropna(axis=1) for i, a in enumerate(wide.index) for b in wide.index[i + 1:]
              if "assistant-large" not in (a, b)]
    light = np.mean([cohen_kappa_score(pair.iloc[0], pair.iloc[1]) for pair in people])
    assert agreement["human_mean_kappa"]["value"] == pytest.approx(light)
    assert agreement["kappa_difference"]["value"] == pytest.approx(np.mean(list(kappas.values())) - light)
    # specific agreement of 'refund' over the model-human pairs, counted pair by pair
    both = first = 0
    for human in kappas:
        pair = wide.loc[[human, "assistant-large"]].dropna(axis=1)
        both += int(((pair.iloc[0] == "refund") & (pair.iloc[1] == "refund")).sum())
        first += int((pair.iloc[0] == "refund").sum() + (pair.iloc[1] == "refund").sum())
    assert model["per_class"]["refund"]["model_specific_agreement"]["value"] == pytest.approx(2 * both / first)
    for label, comparison in model["per_class"].items():  # the people's: the report's own
        assert comparison["human_specific_agreement"]["value"] == pytest.approx(
            llm_json["per_class"][label]["specific_agreement"]["value"])
    for value in agreement.values():
        if isinstance(value, dict) and "value" in value and value["ci_low"] is not None:
            assert value["ci_low"] <= value["value"] <= value["ci_high"]


def test_the_section_keys(llm_json: dict) -> None:
    section = llm_json["models_vs_humans"]
    assert set(section) == {"humans", "human_annotators", "models_counted_with_humans", "level",
                            "epsilon", "epsilon_note", "source", "models"}
    model = section["models"][0]
    assert set(model) == {"annotator", "identified_by", "detail", "judgements", "shared_items",
                          "alt_test", "agreement", "per_class", "meaning", "per_class_summary"}
    assert set(model["alt_test"]) == {
        "defined", "note", "winning_rate", "advantage_probability", "passed", "humans_tested",
        "humans_won", "scoring", "epsilon", "fdr_q", "min_items_per_human", "min_humans", "source",
        "per_human"}
    assert set(model["alt_test"]["per_human"][0]) == {
        "annotator", "items", "model_advantage", "human_advantage", "mean_difference", "t_statistic",
        "p_value", "p_adjusted", "model_wins", "tested", "note"}
    assert set(model["agreement"]) == {
        "items", "human_alpha", "alpha_with_model", "alpha_change", "human_mean_kappa",
        "model_mean_kappa", "kappa_difference", "kappa_with_each_human", "human_kappa_with_other_humans"}
    assert set(next(iter(model["per_class"].values()))) == {
        "human_specific_agreement", "model_specific_agreement", "difference", "verdict",
        "model_uses", "human_uses"}
    json.dumps(llm_json, allow_nan=False)  # strict JSON


def test_markdown_and_html_show_the_section(llm_report) -> None:
    markdown = render_markdown(llm_report)
    assert "## Models vs humans: the Alternative Annotator Test" in markdown
    assert "| assistant-large | kind\\_column annotator\\_type | 662 |" in markdown
    assert "models_vs_humans" not in markdown  # rendered as tables, not dumped as JSON
    page = render_html(llm_report, language="ko")
    assert "Models vs humans: intent-classifier, per label" in page
    assert "assistant-large은(는) 사람 작업자를 대신할 수 있습니다" in page


def test_user_text_in_model_names_is_escaped() -> None:
    rows = [(i, who, "a" if (i + k) % 3 else "b") for i in range(12)
            for k, who in enumerate(["ann", "bob", "cho", "llm:<img src=x onerror=alert(1)>"])]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode()
    report = build_report(AnnotationDataset.from_load_result(load_annotations(table, name="x.csv")),
                          bootstrap=0)
    assert "<img" not in render_html(report) and "&lt;img" in render_html(report)
    assert "\\<img" in render_markdown(report)


def test_ratings_use_negative_rmse_at_scale_levels(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(1, 6, 60)
    rows = [(i, f"h{j}", int(np.clip(t + rng.integers(-1, 2), 1, 5))) for j in range(3) for i, t in enumerate(truth)]
    rows += [(i, "model:rater", int(t)) for i, t in enumerate(truth)]
    data = pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode()
    dataset = AnnotationDataset.from_load_result(load_annotations(data, name="r.csv"), level="interval")
    model = build_report(dataset, bootstrap=0).to_dict()["models_vs_humans"]["models"][0]
    assert model["alt_test"]["scoring"] == "neg_rmse" and model["alt_test"]["passed"] is True


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_the_gate_exits_3_for_a_model_that_fails() -> None:
    done = _cli("report", str(LLM_SAMPLE), "--bootstrap", "0", "--output", "/dev/null",
                "--fail-under", "alt_test_pass=1", "alt_test_winning_rate=0.5")
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "threshold not met: alt_test_pass of intent-classifier = 0.000 < 1"
    assert lines[1].startswith("threshold not met: alt_test_winning_rate of intent-classifier = 0.")
    assert len(lines) == 2  # the LLM passes both


def test_the_gate_passes_and_epsilon_takes_the_papers_words(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    done = _cli("report", str(LLM_SAMPLE), "--bootstrap", "0", "--output", str(out), "--alt-epsilon",
                "crowd", "--model-annotators", "assistant-large", "--model-prefix", "",
                "--fail-under", "alt_test_advantage_probability=0.5")
    assert done.returncode == 0, done.stderr
    section = json.loads(out.read_text())["models_vs_humans"]
    assert section["epsilon"] == 0.1
    # the kind column still marks the classifier; --model-annotators adds nothing new here
    assert [m["annotator"] for m in section["models"]] == ["assistant-large", "intent-classifier"]


@pytest.mark.parametrize(("args", "message"), [
    (("--alt-epsilon", "1.5"), "argument --alt-epsilon: must be at least 0 and below 1, got 1.5"),
    (("--alt-epsilon", "experts"), "expected a number from 0 to 1 or expert, skilled, crowd"),
], ids=["range", "word"])
def test_bad_epsilon_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    done = _cli("report", str(LLM_SAMPLE), *args)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.splitlines()) == 1


def test_a_model_gate_without_models_is_bad_input() -> None:
    done = _cli("report", str(PEOPLE_SAMPLE), "--bootstrap", "0", "--output", "/dev/null",
                "--fail-under", "alt_test_pass=1")
    assert done.returncode == 2
    assert done.stderr.startswith("error: --fail-under alt_test_pass: the report has no model annotators")


def test_an_undefined_test_fails_its_gate_and_says_why(tmp_path: Path) -> None:
    rows = [(i, who, "a" if (i + k) % 3 else "b") for i in range(40) for k, who in enumerate(["ann", "bob", "llm:x"])]
    path = tmp_path / "two.csv"
    pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(path, index=False)
    done = _cli("report", str(path), "--bootstrap", "0", "--output", str(tmp_path / "r.json"),
                "--fail-under", "alt_test_pass=1")
    assert done.returncode == 3
    assert "alt_test_pass of llm:x is undefined (only 2 human annotator(s) share 30" in done.stderr
    test = json.loads((tmp_path / "r.json").read_text())["models_vs_humans"]["models"][0]["alt_test"]
    assert test["defined"] is False and test["winning_rate"] is None


def test_validate_names_the_models() -> None:
    done = _cli("validate", str(LLM_SAMPLE), "--format", "json")
    assert done.returncode == 0
    models = json.loads(done.stdout)["model_annotators"]
    assert [(m["annotator"], m["identified_by"]) for m in models] == [
        ("assistant-large", "kind_column"), ("intent-classifier", "kind_column")]
    people = _cli("validate", str(LLM_SAMPLE), "--format", "json", "--model-prefix", "", "--kind-col", "batch")
    assert people.returncode == 2 and "kind column 'batch' holds values" in people.stderr


def test_a_model_on_other_items_is_explained_not_computed() -> None:
    rows = [(i, who, "a" if (i + k) % 3 else "b") for i in range(40) for k, who in enumerate(["ann", "bob", "cho"])]
    rows += [(100 + i, "llm:elsewhere", "a") for i in range(5)]
    data = pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode()
    report = build_report(AnnotationDataset.from_load_result(load_annotations(data, name="x.csv")), bootstrap=0)
    model = report.to_dict()["models_vs_humans"]["models"][0]
    assert model["shared_items"] == 0 and model["agreement"] is None and model["per_class"] == {}
    assert model["alt_test"]["defined"] is False
    assert model["meaning"] == ("Whether llm:elsewhere can replace a human annotator cannot be told: "
                                "it labelled none of the items two or more humans labelled.")
    assert "Models vs humans: llm:elsewhere against each human left out" in render_markdown(report)
