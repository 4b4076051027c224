"""Span adjudications persist in the workspace (schema step 3, older workspaces kept working)
and ``gold export`` writes gold spans as Label Studio JSON and JSONL that read back to the
same spans."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError
from analysis.cli import main
from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.report import build_report
from analysis.workspace import (
    DATABASE_NAME,
    dataset_fingerprint,
    gold_labels,
    latest_adjudications,
    latest_span_adjudications,
    open_workspace,
    set_final_label,
    set_final_spans,
    span_adjudication_history,
)
from analysis.workspace.migrations import MIGRATIONS, SCHEMA_VERSION, statements


@pytest.fixture(scope="module")
def ko_spans(sample_dir: Path) -> tuple[Path, AnnotationDataset]:
    path = sample_dir / "tasks" / "ko_trial_spans_doccano.jsonl"
    return path, AnnotationDataset.from_task_load(load_task(path))


def test_span_decisions_append_and_the_latest_wins(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    set_final_spans(ws, "fp", "d1", [(4, 7, "LOC"), (0, 3, "PER")], text="Kim ran", author="민지")
    set_final_spans(ws, "fp", "d1", [(0, 3, "PER")], note="only the name")
    set_final_spans(ws, "fp", "d2", [], note="nothing to mark")  # a decision: no span
    set_final_spans(ws, "fp", "d3", [(0, 1, "X")])
    set_final_spans(ws, "fp", "d3", None)  # cleared: back to the consensus
    assert latest_span_adjudications(ws, "fp") == {"d1": [(0, 3, "PER")], "d2": []}
    history = span_adjudication_history(ws, "fp", "d1")
    assert history["spans"].tolist() == [[(0, 3, "PER"), (4, 7, "LOC")], [(0, 3, "PER")]]
    assert history["author"].iloc[0] == "민지" and history["author"].isna().tolist() == [False, True]
    assert latest_span_adjudications(ws, "other") == {}
    # a restart: a new handle on the same folder sees every decision
    assert latest_span_adjudications(open_workspace(tmp_path), "fp")["d1"] == [(0, 3, "PER")]


@pytest.mark.parametrize(("spans", "message"), [
    ([(0, 9, "PER")], r"document 'd1', span 1 \(0-9\): the span is outside the text \(7 characters\)"),
    ([(3, 3, "PER")], r"span 1 \(3-3\): the span is outside the text .* or empty"),
    ([(0, 3, " ")], r"span 1 \(0-3\) has no label"),
    ([("a", 3, "PER")], r"span 1: start and end must be whole numbers"),
], ids=["past-the-end", "empty", "no-label", "not-a-number"])
def test_bad_spans_are_refused_and_nothing_is_saved(tmp_path: Path, spans: list,
                                                    message: str) -> None:
    ws = open_workspace(tmp_path)
    with pytest.raises(AnnotationDataError, match=message):
        set_final_spans(ws, "fp", "d1", spans, text="Kim ran")
    assert span_adjudication_history(ws, "fp").empty


def _workspace_at_step_2(folder: Path) -> None:
    with sqlite3.connect(folder / DATABASE_NAME) as conn:  # the previous release
        for script in MIGRATIONS[:2]:
            for statement in statements(script):
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 2")
    conn.close()


def test_a_workspace_of_the_previous_release_keeps_working(tmp_path: Path) -> None:
    _workspace_at_step_2(tmp_path)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        conn.execute("INSERT INTO datasets VALUES ('fp', 'news', 4, '2026-01-01T00:00:00+00:00')")
        conn.execute("INSERT INTO adjudications (fingerprint, item_id, label, note, author, "
                     "decided_at) VALUES ('fp', 'b', 'n', 'kept', '민지', '2026-01-02T00:00:00+00:00')")
    conn.close()
    # read-only (gold export, a viewer) reads it as it is: no span decisions yet
    reader = open_workspace(tmp_path, create=False, read_only=True)
    assert latest_span_adjudications(reader, "fp") == {}
    assert latest_adjudications(reader, "fp")["label"].tolist() == ["n"]
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2  # left unchanged
    conn.close()
    # opened for writing it is upgraded, every row kept, and span decisions are saved
    ws = open_workspace(tmp_path)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    conn.close()
    set_final_label(ws, "fp", "c", "p")
    set_final_spans(ws, "fp", "d1", [(0, 3, "PER")])
    assert latest_span_adjudications(ws, "fp") == {"d1": [(0, 3, "PER")]}
    import pandas as pd

    table = pd.DataFrame({"item_id": list("bbcc"), "annotator": list("xyxy"), "label": list("pnpn")})
    assert gold_labels(table, ws, "fp", {})[["item_id", "label"]].values.tolist() == [
        ["b", "n"], ["c", "p"]]


def test_span_fingerprint_follows_the_spans(ko_spans: tuple[Path, AnnotationDataset]) -> None:
    path, dataset = ko_spans
    again = AnnotationDataset.from_task_load(load_task(path.read_bytes(), name="copy.jsonl"))
    assert dataset_fingerprint(again.table) == dataset_fingerprint(dataset.table)
    data = dataset.task_data
    moved = data.spans.copy()
    moved.loc[0, "end"] -= 1
    changed = type(data)(data.judgements, moved, data.texts)
    assert dataset_fingerprint(changed.judgement_table()) != dataset_fingerprint(dataset.table)


@pytest.mark.parametrize(("suffix", "fmt"), [(".json", "label-studio"), (".jsonl", "jsonl")])
def test_gold_export_writes_spans_that_read_back(
    ko_spans: tuple[Path, AnnotationDataset], tmp_path: Path, suffix: str, fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, dataset = ko_spans
    data = dataset.task_data
    report = build_report(dataset, bootstrap=0, consensus=True)
    consensus: dict[str, set] = {}
    for row in report.sections.consensus:
        consensus.setdefault(row["item_id"], set()).add((row["start"], row["end"], row["label"]))
    first, second = data.item_ids[:2]
    text = data.texts[first]
    decided = [(0, 2, "PARTICIPANTS"), (3, len(text), "OUTCOME")]
    workspace = tmp_path / "ws"
    ws = open_workspace(workspace)
    fingerprint = dataset_fingerprint(dataset.table)
    set_final_spans(ws, fingerprint, first, decided, text=text, author="민지")
    set_final_spans(ws, fingerprint, second, [])
    output = tmp_path / f"gold{suffix}"
    assert main(["gold", "export", str(path), "--workspace", str(workspace),
                 "--output", str(output)]) == 0
    err = capsys.readouterr().err
    assert f"gold spans of {len(data.item_ids)} documents" in err
    assert "documents: 2 adjudicated, " in err
    back = load_task(output)  # the project's own span reader
    assert back.task == "spans" and back.report["format"] == ("label-studio" if fmt == "label-studio" else "doccano")
    got: dict[str, set] = {}
    for row in back.data.spans.itertuples():
        got.setdefault(row.item_id, set()).add((row.start, row.end, row.label))
    expected = {item: set(spans) for item, spans in consensus.items()}
    expected[first] = set(decided)
    expected.pop(second, None)  # adjudicated: no span
    assert got == expected
    assert set(back.data.item_ids) == set(data.item_ids)  # documents without spans too
    assert back.data.texts == data.texts
    records = (json.loads(output.read_text(encoding="utf-8")) if fmt == "label-studio" else
               [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()])
    sources = {(r["data"] if fmt == "label-studio" else r)["item_id"]:
               (r["data"]["gold_source"] if fmt == "label-studio" else r["source"]) for r in records}
    assert sources[first] == sources[second] == "adjudicated"
    assert sum(v == "consensus" for v in sources.values()) == len(data.item_ids) - 2


def test_gold_export_of_spans_refuses_a_table_format(
    ko_spans: tuple[Path, AnnotationDataset], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path, _ = ko_spans
    open_workspace(tmp_path / "ws")
    code = main(["gold", "export", str(path), "--workspace", str(tmp_path / "ws"),
                 "--output", str(tmp_path / "gold.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "span gold is written as Label Studio JSON or JSONL, not csv" in err
    assert "Traceback" not in err and not (tmp_path / "gold.csv").exists()


def test_gold_export_reads_a_workspace_of_the_previous_release(
    ko_spans: tuple[Path, AnnotationDataset], tmp_path: Path,
) -> None:
    path, dataset = ko_spans
    _workspace_at_step_2(tmp_path)
    output = tmp_path / "gold.jsonl"
    assert main(["gold", "export", str(path), "--workspace", str(tmp_path),
                 "--output", str(output)]) == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(dataset.task_data.item_ids)
    assert {json.loads(line)["source"] for line in lines} == {"consensus"}
