"""The command line's contract under bad options and failing output: one line on
standard error, exit 2, no usage text and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
CSV = "item,annotator,label\n1,a,x\n1,b,x\n2,a,y\n2,b,y\n3,a,x\n3,b,y\n"


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err and "usage:" not in err
    return lines[0]


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "the following arguments are required: COMMAND"),
    (["report"], "the following arguments are required: PATH"),
    (["report", "{path}", "--level", "nomnal"], "argument --level: invalid choice: 'nomnal'"),
    (["report", "{path}", "--bootstrap", "many"], "argument --bootstrap: invalid int value"),
    (["report", "{path}", "--seed", "-1"], "argument --seed: must be between 0 and 4294967295, got -1"),
    (["clusters", "{path}", "--seed", "-1"], "argument --seed: must be between 0 and 4294967295, got -1"),
    (["report", "{path}", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
], ids=["no command", "no path", "bad level", "bad bootstrap", "negative seed",
        "negative seed (clusters)", "unknown flag", "unknown command"])
def test_argument_errors_are_one_line_with_exit_2(argv, expected, labels, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([part.format(path=labels) for part in argv])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert expected in line and "--help" in line
    assert captured.out == ""


def test_a_non_text_encoding_is_one_line(labels, capsys) -> None:
    assert main(["validate", str(labels), "--encoding", "rot13"]) == 2
    assert "'rot13' is not a text encoding" in _one_line(capsys.readouterr().err)


def test_fail_under_takes_several_thresholds_after_one_flag(labels, capsys) -> None:
    code = main(["report", str(labels), "--bootstrap", "0",
                 "--fail-under", "krippendorff_alpha=0.9", "gwet_ac1=-1", "percent_agreement=0.99"])
    assert code == 3
    err = capsys.readouterr().err.splitlines()
    assert [line.split(" = ")[0] for line in err] == [
        "threshold not met: krippendorff_alpha", "threshold not met: percent_agreement"]


def test_fail_under_flag_may_also_repeat(labels, capsys) -> None:
    assert main(["report", str(labels), "--bootstrap", "0", "--fail-under", "gwet_ac1=-1",
                 "--fail-under", "percent_agreement=0.5"]) == 0


def test_bootstrap_above_the_limit_is_refused_and_the_limit_can_be_raised(
        labels, capsys, monkeypatch) -> None:
    assert main(["report", str(labels), "--bootstrap", "10000000"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "--bootstrap 10,000,000 is above the limit of 100,000" in line
    assert "LABEL_AGREEMENT_MAX_BOOTSTRAP" in line
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_BOOTSTRAP", "10")
    assert main(["report", str(labels), "--bootstrap", "11"]) == 2
    assert "above the limit of 10 resamples" in capsys.readouterr().err
    assert main(["report", str(labels), "--bootstrap", "10"]) == 0


def test_dashboard_bootstrap_setting_is_held_to_the_same_limit(monkeypatch) -> None:
    from dashboard.state import session

    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "10000000")
    assert session.bootstrap_resamples() == 100_000
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_BOOTSTRAP", "500")
    assert session.bootstrap_resamples() == 500


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_output_file_on_a_full_disk_is_one_line(labels, capsys) -> None:
    assert main(["report", str(labels), "--bootstrap", "0", "--output", "/dev/full"]) == 2
    assert "/dev/full: cannot write the output (No space left on device)" in _one_line(
        capsys.readouterr().err)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [["validate"], ["report", "--bootstrap", "0"]])
def test_standard_output_on_a_full_disk_is_one_line(command, labels) -> None:
    argv = [sys.executable, "-m", "analysis", command[0], str(labels), *command[1:]]
    with open("/dev/full", "w") as full:
        done = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 2
    assert "cannot write the output (No space left on device)" in _one_line(done.stderr)


def test_running_out_of_memory_is_one_line(labels, capsys, monkeypatch) -> None:
    import analysis.cli.validate as validate

    def exhausted(args):
        raise MemoryError

    monkeypatch.setattr(validate, "run", exhausted)
    assert main(["validate", str(labels)]) == 2
    assert "needs more memory than this machine has" in _one_line(capsys.readouterr().err)


def test_a_fifo_given_as_input_is_one_line(tmp_path, capsys) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert main(["validate", str(fifo)]) == 2
    assert "named pipe (FIFO), not a regular file" in _one_line(capsys.readouterr().err)


def test_an_unwritable_output_folder_is_named(labels, tmp_path, capsys) -> None:
    target = tmp_path / "missing" / "report.json"
    assert main(["report", str(labels), "--bootstrap", "0", "--output", str(target)]) == 2
    assert f"{target}: cannot write the output" in _one_line(capsys.readouterr().err)
