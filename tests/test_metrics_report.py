"""The report contract (JSON keys, strict JSON, renderings) and the ``report`` command."""

from __future__ import annotations

import json
import re

import pytest
from metrics_data import FLEISS_1971, table_from_matrix

import analysis.tasks.single_label as builder  # the single-label measures
from analysis.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_THRESHOLD, main
from analysis.report import build_report, render_html, render_markdown

METRIC_KEYS = {"value", "ci_low", "ci_high", "n", "note"}


@pytest.fixture(scope="module")
def report():
    return build_report(table_from_matrix(FLEISS_1971), bootstrap=200, seed=1).to_dict()


def test_contract_keys(report):
    assert {"items", "annotators", "annotations", "labels", "warnings"} <= set(report["dataset"])
    assert report["dataset"]["items"] == 30 and report["dataset"]["annotations"] == 180
    assert set(report["overall"]) >= {"percent_agreement", "cohen_kappa",
                                      "mean_pairwise_cohen_kappa", "fleiss_kappa",
                                      "krippendorff_alpha", "gwet_ac1"}
    for metric in report["overall"].values():
        assert set(metric) == METRIC_KEYS
    for label in report["dataset"]["labels"]:
        assert set(report["per_class"][label]) >= {"fleiss_kappa", "krippendorff_alpha",
                                                   "specific_agreement"}
    for entry in report["per_annotator"].values():
        assert isinstance(entry["items"], int)
        assert set(entry["kappa_vs_consensus"]) == METRIC_KEYS
        assert set(entry["alpha_without"]) == METRIC_KEYS
    assert len(report["pairwise"]) == 15
    assert set(report["pairwise"][0]) == {"annotator_a", "annotator_b", "items", "cohen_kappa"}
    assert report["interpretation"]["overall"]["fleiss_kappa"]["label"] == "moderate"
    assert "Landis" in report["interpretation"]["overall"]["fleiss_kappa"]["source"]


def test_strict_json(report):
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text)["overall"]["cohen_kappa"]["value"] is None


def test_renderings_show_the_json_numbers(report):
    markdown, page = render_markdown(report), render_html(report)
    fleiss = report["overall"]["fleiss_kappa"]
    for text in (markdown, page):
        assert f"{fleiss['value']:.3f}" in text
        assert f"[{fleiss['ci_low']:.3f}, {fleiss['ci_high']:.3f}]" in text
        assert "moderate" in text


def test_html_escapes_user_text():
    table = table_from_matrix(FLEISS_1971[:12], prefix="<script>alert(1)</script>")
    page = render_html(build_report(table, bootstrap=0))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_quality_sections_are_merged(monkeypatch):
    class Sections:
        rounds = None  # no round table: the JSON's rounds stay as the sections wrote them

        def __init__(self, include_consensus):
            self.include_consensus = include_consensus

        def annotator_sections(self):
            return {"r0": {"rank": 7, "rank_score": 0.25, "items": 3, "ds_accuracy": {"value": 0.5},
                           "loo_agreement": {"value": 0.4}, "alpha_without": {"value": 0.3},
                           "fatigue_slope": {"value": 0.1}, "bias_chi2": {"value": None},
                           "favoured_label": "x", "cramers_v": 0.2,
                           "flags": {"fatigue": True, "bias": False, "low_quality": False}}}

        def table_sections(self):
            return {"rounds": [1], "consensus": {"on": self.include_consensus}}

        def to_dict(self):
            return {"per_annotator": self.annotator_sections(), **self.table_sections()}

    def sections(dataset, *, seed, bootstrap, include_consensus):
        return Sections(include_consensus)

    monkeypatch.setattr(builder, "compute_quality", sections)
    result = build_report(table_from_matrix(FLEISS_1971), bootstrap=0, consensus=True).to_dict()
    entry = result["per_annotator"]["r0"]
    assert entry["fatigue_slope"] == {"value": 0.1} and entry["rank"] == 7
    assert entry["favoured_label"] == "x" and entry["flags"]["fatigue"] is True
    assert "kappa_vs_consensus" in result["per_annotator"]["r0"]
    assert result["rounds"] == [1] and result["consensus"] == {"on": True}


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "labels.csv"
    table_from_matrix(FLEISS_1971).to_csv(path, index=False)
    return path


def test_cli_json_and_threshold_pass(csv_path, capsys):
    code = main(["report", str(csv_path), "--bootstrap", "50",
                 "--fail-under", "fleiss_kappa=0.4"])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert json.loads(out)["overall"]["fleiss_kappa"]["value"] == pytest.approx(0.4302445, abs=1e-7)


def test_cli_threshold_failures(csv_path, capsys):
    code = main(["report", str(csv_path), "--bootstrap", "0", "--format", "markdown",
                 "--fail-under", "krippendorff_alpha=0.8", "--fail-under", "cohen_kappa=0.1"])
    err = capsys.readouterr().err
    assert code == EXIT_THRESHOLD
    assert re.search(r"krippendorff_alpha = 0\.4\d\d < 0\.8", err)
    assert "cohen_kappa is undefined" in err and "exactly two annotators" in err


@pytest.mark.parametrize("flag", ["nonsense=0.5", "fleiss_kappa", "fleiss_kappa=high"],
                         ids=["unknown", "no-equals", "not-a-number"])
def test_cli_bad_threshold_is_bad_input(csv_path, capsys, flag):
    assert main(["report", str(csv_path), "--fail-under", flag]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_cli_html_output_file(csv_path, tmp_path):
    target = tmp_path / "report.html"
    assert main(["report", str(csv_path), "--bootstrap", "0", "--format", "html",
                 "--output", str(target)]) == EXIT_OK
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
