"""``python -m analysis validate`` and the shared input flags."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.io.load_task import load_task

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "validate", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text("item,annotator,label\n1,a,Yes\n1,b,yes\n2,a,no\n2,b,no\n", encoding="utf-8")
    return path


def test_validate_subprocess_ok_text_and_json(good_csv):
    text = _run(str(good_csv))
    assert text.returncode == 0, text.stderr
    assert "Kept:        4 judgements on 2 items by 2 annotators" in text.stdout
    as_json = _run(str(good_csv), "--format", "json")
    assert as_json.returncode == 0
    report = json.loads(as_json.stdout)
    assert report["judgements"] == 4 and report["format"] == "csv"
    assert report["label_variants"][0]["suggested"] == "yes"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b'{"item": 1,\n', "malformed JSON")],
    ids=["empty", "broken-json"],
)
def test_validate_subprocess_bad_input_exit_2_one_line(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = _run(str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_path_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_column_flags_delimiter_and_merges(tmp_path, capsys):
    path = tmp_path / "odd.txt"
    path.write_text("sid;who;verdict\n1;a;Yes\n1;b;yes\n", encoding="utf-8")
    code = main(["validate", str(path), "--format", "json", "--delimiter", ";",
                 "--item-col", "sid", "--annotator-col", "who", "--label-col", "verdict",
                 "--merge-labels", "Yes=yes"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["mapping"] == {"item_id": "sid", "annotator": "who", "label": "verdict"}
    assert report["label_counts"] == {"yes": 2}
    assert report["changes"]["labels_merged"] == 1


def test_wide_flags_and_input_format(tmp_path, capsys):
    path = tmp_path / "w.csv"
    path.write_text("id,r1,r2,r3\n1,x,y,q\n2,x,x,q\n", encoding="utf-8")
    code = main(["validate", str(path), "--format", "json", "--input-format", "wide",
                 "--annotator-cols", "r1,r2"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["format"] == "wide"
    assert report["judgements"] == 4 and report["annotators"] == 2


def test_bad_flag_values_are_input_errors(good_csv, capsys):
    assert main(["validate", str(good_csv), "--delimiter", ";;"]) == 2
    assert "one character" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["validate", str(good_csv), "--merge-labels", "no-equals-sign"])
    assert caught.value.code == 2


def test_report_refuses_a_long_delimiter_in_one_line(good_csv, capsys):
    assert main(["report", str(good_csv), "--delimiter", ";;", "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err
    assert "the delimiter must be one character, got ';;'" in err and "Traceback" not in err


def test_validate_reads_span_and_multi_label_exports(capsys):
    tasks = ROOT / "sample_data" / "tasks"
    assert main(["validate", str(tasks / "en_trial_spans.conll")]) == 0
    text = capsys.readouterr().out
    data = load_task(tasks / "en_trial_spans.conll").data
    assert "Task:        spans" in text
    assert (f"Kept:        {len(data.spans)} spans in {len(data.judgements)} judgements on "
            f"{len(data.item_ids)} documents by {len(data.annotators)} annotators") in text
    assert main(["validate", str(tasks / "en_support_tags.csv"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    tags = pd.read_csv(tasks / "en_support_tags.csv")
    assert report["task"] == "multi_label" and report["items"] == tags["item_id"].nunique()
    urgent = tags["tags"].str.split("|").map(lambda cell: "urgent" in cell).sum()
    assert report["label_counts"]["urgent"] == urgent


@pytest.mark.parametrize("command", ["clusters", "label-issues"])
def test_single_label_commands_point_task_exports_to_the_report(command, capsys):
    tasks = ROOT / "sample_data" / "tasks"
    for name, holds in (("en_trial_spans_labelstudio.json", "span (NER) annotations"),
                        ("en_support_tags.csv", "multi-label judgements")):
        assert main([command, str(tasks / name)]) == 2
        err = capsys.readouterr().err
        assert f"'{command}' reads exports with one label per item; this one holds {holds}" in err
        assert "python -m analysis report PATH --consensus" in err and "--task" not in err
