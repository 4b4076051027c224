"""Hostile inputs that used to be changed or lost without a word: every case is now read
correctly with a line in the load report, or refused in one line (exit 2).
Files come from ``tests/hostile_files.py``."""

from __future__ import annotations

import io
import os
from pathlib import Path

import hostile_files as hostile
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.cli import main
from analysis.io import load_annotations
from analysis.io.load_task import load_task

SMALL = b"item,annotator,label\n1,a,x\n1,b,y\n2,a,x\n2,b,x\n"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err.strip()


# --- output and workspace -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
@pytest.mark.parametrize("command", [["report"], ["gold", "export"]])
def test_output_naming_a_fifo_is_refused_without_waiting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    source, fifo = tmp_path / "labels.csv", tmp_path / "out.json"
    source.write_bytes(SMALL)
    os.mkfifo(fifo)
    code, err = _cli(capsys, *command, str(source), "--output", str(fifo))
    assert code == 2 and err.count("\n") == 0
    assert "the output is a named pipe (FIFO)" in err and "Fix:" in err


@pytest.mark.parametrize("command", [["report"], ["gold", "export"]])
def test_output_that_is_the_source_is_refused_and_the_source_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    source = tmp_path / "labels.csv"
    source.write_bytes(SMALL)
    (tmp_path / "link.csv").symlink_to(source)
    for output in (source, tmp_path / "." / "labels.csv", tmp_path / "link.csv"):
        code, err = _cli(capsys, *command, str(source), "--output", str(output))
        assert code == 2 and f"the output is the input file {source}" in err
    assert source.read_bytes() == SMALL


def test_texts_file_is_an_input_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, texts = tmp_path / "spans.jsonl", tmp_path / "texts.csv"
    source.write_bytes(hostile.annotator_spans_crowd(3, 1))
    texts.write_bytes(b"docid,text\n0,Adults aged 18 to 65 with asthma\n")
    code, err = _cli(capsys, "report", str(source), "--texts", str(texts), "--output", str(texts))
    assert code == 2 and "the output is the input file" in err


@pytest.mark.parametrize("damage", [b"garbage, not a database", b"SQLite format 3\x00" + b"\x00" * 50])
def test_gold_export_stops_at_a_damaged_default_workspace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        damage: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE", raising=False)
    (tmp_path / "labels.csv").write_bytes(SMALL)
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "workspace.sqlite3").write_bytes(damage)
    code, err = _cli(capsys, "gold", "export", "labels.csv", "--output", "gold.csv")
    assert code == 2 and err.startswith("error: workspace/workspace.sqlite3") and "\n" not in err
    assert not (tmp_path / "gold.csv").exists()


def test_gold_export_without_a_workspace_notes_it_after_writing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE", raising=False)
    (tmp_path / "labels.csv").write_bytes(SMALL)
    code, err = _cli(capsys, "gold", "export", "labels.csv", "--output", "gold.csv")
    assert code == 0
    lines = err.splitlines()
    assert lines[0].startswith("wrote 1 gold labels") and lines[1].startswith("note: no workspace here")
    code, err = _cli(capsys, "gold", "export", "missing.csv", "--output", "gold.csv")
    assert code == 2 and "note:" not in err  # no note before an error line


# --- Prodigy answers --------------------------------------------------------------------


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "choice"])
def test_prodigy_answer_variants_are_explicit_and_counted(binary: bool) -> None:
    answers = ["accept", "Reject", "REJECT", "reject ", "maybe", None, "ignore", 1]
    report = load_annotations(hostile.prodigy_answers(answers, binary=binary), name="p.jsonl").report
    assert report.dropped["unknown_answer"] == 3 and report.dropped["ignored"] == 1
    assert "answers written 'REJECT', 'Reject', 'reject ' were read as 'reject'" in report.warnings
    assert any("3 answer(s) are neither accept, reject nor ignore" in w and "None (1)" in w
               for w in report.warnings)
    if binary:  # a reject is a decision about the label asked
        assert report.label_counts == {"POS": 9, "not POS": 3}
    else:  # a reject rejects the whole question
        assert report.dropped["rejected"] == 3 and report.label_counts == {"x": 9}


def test_prodigy_span_answers_drop_unknown_answers() -> None:
    import json

    lines = [json.dumps({"text": "Kim ran", "_input_hash": 1, "_annotator_id": who, "answer": answer,
                         "spans": [{"start": 0, "end": 3, "label": "PER"}]})
             for who, answer in (("a", "accept"), ("b", "maybe"), ("c", "Accept"))]
    loaded = load_task("\n".join(lines).encode(), name="spans.jsonl")
    assert loaded.report["dropped"] == {"unknown_answer": 1}
    assert loaded.data.annotators == ("a", "c")


# --- labels and ids ---------------------------------------------------------------------


def test_invisible_characters_are_offered_counted_or_removed() -> None:
    report = load_annotations(hostile.invisible_labels_csv(), name="labels.csv").report
    (variant,) = report.label_variants
    assert variant.suggested == "pos" and set(variant.labels) == {
        "pos", "pos\u200b", "po\u200bs", "\u3164pos", "pos\u115f"}
    assert report.dropped["empty_label"] == 3
    assert any("3 label(s) held only invisible characters" in w for w in report.warnings)
    assert report.changes["invisible_removed"] == 2  # one item id, one annotator
    assert report.items == 10 and report.annotators == 2  # the BOM did not split item 8


def test_whitespace_only_labels_are_empty_and_counted() -> None:
    data = "item,annotator,label\n1,a, \n1,b,\u3000\n2,a,\u00a0\n2,b,x\n3,a,x\n3,b,x\n".encode()
    report = load_annotations(data, name="w.csv").report
    assert report.dropped["empty_label"] == 3 and report.label_counts == {"x": 3}


def test_signed_numbers_are_not_variants_of_each_other() -> None:
    data = b"item,annotator,label\n1,a,inf\n1,b,-inf\n2,a,1\n2,b,-1\n3,a,1.0\n3,b,1\n"
    variants = load_annotations(data, name="n.csv").report.label_variants
    assert [sorted(v.labels) for v in variants] == [["1", "1.0"]]


# --- single or multi label --------------------------------------------------------------


def test_one_conflicting_duplicate_keeps_a_single_label_export_single_label(tmp_path: Path) -> None:
    rows = "item,annotator,label\n" + "".join(f"{i},{a},{'xy'[(i + j) % 2]}\n"
                                              for i in range(30) for j, a in enumerate("abc"))
    rows += "7,a,z\n"  # annotator a labelled item 7 twice, differently
    with pytest.raises(AnnotationDataError,
                       match=r"1 item/annotator pair\(s\) have conflicting labels .* item '7' by 'a'"):
        load_task(rows.encode(), name="labels.csv")
    with pytest.raises(AnnotationDataError, match="conflicting labels"):
        load_task((rows + "8,b,z\n9,c,z\n").encode(), name="labels.csv")  # 3 of 90: too few
    many = rows + "".join(f"{i},b,z\n" for i in range(10))
    assert load_task(many.encode(), name="labels.csv").task == "multi_label"  # 11 of 90


def test_separator_only_cells_are_empty_sets() -> None:
    data = b"item,annotator,labels\n1,a,x|y\n1,b,|\n2,a,||\n2,b,y\n"
    loaded = load_task(data, name="tags.csv", label_sep="|")
    assert [sorted(s) for s in loaded.data.label_sets()] == [["x", "y"], [], [], ["y"]]
    assert loaded.report["empty_sets"] == 2
    assert "2 cell(s) hold only the separator '|'" in loaded.report["warnings"][0]


# --- columns ------------------------------------------------------------------------------


def test_one_column_for_two_fields_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes(SMALL)
    code, err = _cli(capsys, "validate", str(path), "--item-col", "annotator", "--annotator-col", "annotator")
    assert code == 2 and "the column 'annotator' is given for both item_id and annotator" in err
    code, err = _cli(capsys, "validate", str(path), "--item-col", "label")
    assert code == 2 and "no column for label was found ('label' would be the label column but is given for item_id)" in err
    code, err = _cli(capsys, "validate", str(path), "--annotator-cols", "item,label")
    assert code == 2 and "the column 'item' is given both as an annotator column and for item_id" in err


def test_a_second_label_column_is_warned_about() -> None:
    data = b"item,annotator,label,label\n1,a,x,y\n1,b,x,x\n"
    report = load_annotations(data, name="two.csv").report
    assert report.label_counts == {"x": 2}
    assert any("the header names 'label' twice" in w and "'label.1'" in w for w in report.warnings)


# --- Parquet ------------------------------------------------------------------------------


def _parquet(label: object) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"item": ["1", "1", "2", "2"], "annotator": ["a", "b", "a", "b"],
                             "label": label}), buffer)
    return buffer.getvalue()


def test_parquet_label_lists_are_labels_or_label_sets() -> None:
    one = load_annotations(_parquet([["pos"], ["pos"], ["neg"], []]), name="one.parquet").report
    assert one.label_counts == {"pos": 2, "neg": 1} and one.dropped["empty_label"] == 1
    several = load_task(_parquet([["neg", "pos"], ["pos"], ["neg"], ["neg"]]), name="sets.parquet")
    assert several.task == "multi_label"
    assert [sorted(s) for s in several.data.label_sets()] == [["neg", "pos"], ["pos"], ["neg"], ["neg"]]
    assert "lists of labels" in several.report["warnings"][0]


def test_binary_labels_that_are_not_utf8_are_warned_about() -> None:
    import pyarrow as pa

    labels = pa.array([b"pos", b"\xff\xfepos", b"neg", b"neg"], pa.binary())
    report = load_annotations(_parquet(labels), name="bin.parquet").report
    assert report.label_counts["neg"] == 2 and report.label_counts["pos"] == 1
    assert any("1 value(s) of the binary column 'label' are not UTF-8" in w for w in report.warnings)


# --- spans --------------------------------------------------------------------------------


def test_brat_annotators_of_the_same_name_in_two_teams_stay_apart(tmp_path: Path) -> None:
    for team, span in (("team1", "0 5"), ("team2", "6 11")):
        folder = tmp_path / team / "carol"
        folder.mkdir(parents=True)
        (folder / "doc.txt").write_text("hello world")
        (folder / "doc.ann").write_text(f"T1\tA {span}\tx\n")
    (tmp_path / "team1" / "dave").mkdir()
    (tmp_path / "team1" / "dave" / "doc.txt").write_text("hello world")
    (tmp_path / "team1" / "dave" / "doc.ann").write_text("T1\tA 0 5\thello\n")
    loaded = load_task(tmp_path)
    assert sorted(loaded.data.annotators) == ["dave", "team1/carol", "team2/carol"]


def test_a_folder_input_does_not_follow_links_out_of_the_folder(tmp_path: Path) -> None:
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    for folder in (corpus / "ann1", elsewhere / "ann9"):
        folder.mkdir(parents=True)
        (folder / "doc.txt").write_text("hello world")
        (folder / "doc.ann").write_text("T1\tA 0 5\thello\n")
    (corpus / "ann9").symlink_to(elsewhere / "ann9")
    (corpus / "ann2").mkdir()
    (corpus / "ann2" / "doc.ann").symlink_to(elsewhere / "ann9" / "doc.ann")
    (corpus / "ann2" / "doc.txt").symlink_to(Path("..") / "ann1" / "doc.txt")  # inside: read
    loaded = load_task(corpus)
    assert loaded.data.annotators == ("ann1",)
    assert loaded.report["warnings"] == [
        "2 link(s) lead out of the folder and were not followed: ann2/doc.ann, ann9"]


def test_label_studio_choices_written_as_text_are_that_choice() -> None:
    import json

    tasks = [{"id": i, "data": {"text": "t"}, "annotations": [
        {"completed_by": a, "result": [{"from_name": "s", "to_name": "t", "type": "choices",
                                        "value": {"choices": "pos" if a == 1 else ["neg"]}}]}
        for a in (1, 2)]} for i in range(3)]
    report = load_annotations(json.dumps(tasks).encode(), name="ls.json").report
    assert report.label_counts == {"pos": 3, "neg": 3} and report.dropped["empty_label"] == 0
