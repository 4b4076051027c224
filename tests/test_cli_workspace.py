"""``python -m analysis guidelines ...`` and ``python -m analysis gold export``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import EXIT_BAD_INPUT, EXIT_OK, main
from analysis.workspace import (
    RuleDraft,
    accept_rule,
    create_rule,
    dataset_fingerprint,
    open_workspace,
    set_final_label,
)

ROWS = [
    ("n1", "a", "경제"), ("n1", "b", "경제"), ("n1", "c", "정치"),
    ("n2", "a", "정치"), ("n2", "b", "경제"),
    ("n3", "a", "=cmd"), ("n3", "b", "=cmd"),
    ("n4", "a", "정치"), ("n4", "b", "사회"),
]  # fmt: skip


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    pd.DataFrame(ROWS, columns=["item_id", "annotator", "label"]).to_csv(path, index=False)
    return path


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    ws = open_workspace(tmp_path / "ws")
    rule = create_rule(ws, RuleDraft("금리 <b>발표</b>", body="정책은 정치", label_a="정치", label_b="경제"), author="민지")
    accept_rule(ws, rule.rule_id, batch="2차")
    create_rule(ws, RuleDraft("Draft only", label_a="사회", label_b="정치"))
    return tmp_path / "ws"


def test_guidelines_export_writes_the_accepted_document(workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "guideline.md"
    assert main(["guidelines", "export", "--workspace", str(workspace_dir), "--output", str(out)]) == EXIT_OK
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Annotation guideline\n")
    assert "### 금리 \\<b\\>발표\\</b\\>" in text and "Draft only" not in text
    assert main(["guidelines", "export", "--workspace", str(workspace_dir), "--include-drafts",
                 "--output", str(out)]) == EXIT_OK  # fmt: skip
    assert "### Draft only (draft)" in out.read_text(encoding="utf-8")


def test_guidelines_list_and_show(workspace_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines", "list", "--workspace", str(workspace_dir), "--json"]) == EXIT_OK
    rules = json.loads(capsys.readouterr().out)
    assert [(r["rule_id"], r["version"], r["status"], r["batch"]) for r in rules] == [(1, 2, "accepted", "2차"), (2, 1, "draft", None)]
    assert rules[0]["decision_text"] == "Use '정치', not '경제'."
    assert main(["guidelines", "show", "1", "--workspace", str(workspace_dir), "--diff", "1", "2"]) == EXIT_OK
    diff = capsys.readouterr().out
    assert "-Status: draft\n-Batch: -\n+Status: accepted\n+Batch: 2차" in diff
    assert main(["guidelines", "show", "1", "--workspace", str(workspace_dir)]) == EXIT_OK
    assert "v2\taccepted" in capsys.readouterr().out


def test_guidelines_on_a_missing_workspace_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines", "export", "--workspace", str(tmp_path / "nowhere")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no workspace found" in err and "Fix:" in err
    assert not (tmp_path / "nowhere").exists()


def test_guidelines_on_a_corrupt_workspace_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "workspace.sqlite3").write_bytes(b"garbage" * 100)
    assert main(["guidelines", "list", "--workspace", str(tmp_path)]) == EXIT_BAD_INPUT
    assert "not a readable workspace database" in capsys.readouterr().err


def test_gold_export_csv_uses_adjudications_and_reports_ties(
    export_file: Path, workspace_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = pd.read_csv(export_file, dtype="string")
    set_final_label(open_workspace(workspace_dir), dataset_fingerprint(table), "n2", "정치", note="@check")
    out = tmp_path / "gold.csv"
    code = main(["gold", "export", str(export_file), "--workspace", str(workspace_dir), "--output", str(out)])
    assert code == EXIT_OK
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["item_id"], r["label"], r["source"], r["note"]) for r in rows] == [
        ("n1", "경제", "consensus", ""),
        ("n2", "정치", "adjudicated", "'@check"),
        ("n3", "'=cmd", "consensus", ""),
    ]
    err = capsys.readouterr().err
    assert "wrote 3 gold labels" in err and "(1 adjudicated, 2 consensus)" in err
    assert "1 tied items have no gold label" in err and "n4" in err


def test_gold_export_parquet_round_trips(export_file: Path, workspace_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "gold.parquet"
    assert main(["gold", "export", str(export_file), "--workspace", str(workspace_dir), "--output", str(out)]) == EXIT_OK
    gold = pd.read_parquet(out)
    assert gold[["item_id", "label", "source"]].values.tolist() == [
        ["n1", "경제", "consensus"], ["n3", "=cmd", "consensus"]  # Parquet keeps values as they are
    ]  # fmt: skip


def test_gold_export_with_no_workspace_named_or_present_writes_the_consensus(
    export_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./workspace here
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE", raising=False)
    out = tmp_path / "gold.csv"
    assert main(["gold", "export", str(export_file), "--output", str(out)]) == EXIT_OK
    with out.open(encoding="utf-8", newline="") as handle:
        rows = [(r["item_id"], r["label"], r["source"]) for r in csv.DictReader(handle)]
    assert rows == [("n1", "경제", "consensus"), ("n3", "'=cmd", "consensus")]  # n2 and n4 are ties
    err = capsys.readouterr().err
    assert "no workspace here" in err and "(0 adjudicated, 2 consensus)" in err
    assert not (tmp_path / "workspace").exists()  # a read-only export creates nothing


def test_gold_export_with_a_named_workspace_from_the_environment_that_is_missing_exit_2(
    export_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "typo"))
    assert main(["gold", "export", str(export_file), "--output", str(tmp_path / "g.csv")]) == EXIT_BAD_INPUT
    assert "no workspace found" in capsys.readouterr().err


def test_gold_export_without_a_workspace_exit_2(export_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["gold", "export", str(export_file), "--workspace", str(tmp_path / "none"),
                 "--output", str(tmp_path / "g.csv")])  # fmt: skip
    assert code == EXIT_BAD_INPUT
    assert "no workspace found" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "ko_news_topics.csv"


def test_report_prints_what_the_rounds_page_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = open_workspace(tmp_path / "ws")
    rule = create_rule(ws, RuleDraft("경제 <b>vs</b> 정치", label_a="정치", label_b="경제"), author="민지")
    accept_rule(ws, rule.rule_id, batch="round-2")
    other = create_rule(ws, RuleDraft("Later", label_a="사회", label_b="정치"))
    accept_rule(ws, other.rule_id, batch="round-9")
    base = ["report", str(SAMPLE), "--bootstrap", "50", "--seed", "1"]

    assert main(base) == EXIT_OK
    plain = json.loads(capsys.readouterr().out)
    assert "guideline_before_after" not in plain  # only with --workspace
    assert plain["rounds"][0]["change_verdict"] is None
    assert {r["change_verdict"] for r in plain["rounds"][1:]} <= {"increase", "decrease", "unclear"}
    pair = plain["most_confused_pair"]
    assert set(pair) == {"label_a", "label_b", "share"} and 0 < pair["share"] <= 1

    assert main([*base, "--workspace", str(tmp_path / "ws")]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    rows = {row["batch"]: row for row in report["guideline_before_after"]}
    rounds = {r["batch"]: r for r in report["rounds"]}
    compared = rows["round-2"]
    assert compared["status"] == "compared" and compared["previous_batch"] == "round-1"
    assert compared["alpha_before"] == pytest.approx(rounds["round-1"]["krippendorff_alpha"]["value"])
    assert compared["alpha_after"] == pytest.approx(rounds["round-2"]["krippendorff_alpha"]["value"])
    assert compared["change"] == pytest.approx(rounds["round-2"]["change_from_previous"]["value"])
    assert compared["change_verdict"] == rounds["round-2"]["change_verdict"]
    assert rows["round-9"]["status"] == "not_in_data" and rows["round-9"]["alpha_after"] is None

    assert main([*base, "--workspace", str(tmp_path / "ws"), "--format", "markdown"]) == EXIT_OK
    text = capsys.readouterr().out
    section = text.split("## Guideline versions: before and after")[1]
    assert r"경제 \<b\>vs\</b\> 정치" in section and r"not\_in\_data" in section  # cells escaped
    assert f"{compared['alpha_before']:.3f}" in section and "## Round changes" in text
    assert "## Most confused labels" in text and "## most_confused_pair" not in text

    assert main([*base, "--workspace", str(tmp_path / "nowhere")]) == EXIT_BAD_INPUT
