"""Span exports that keep each annotator's offsets under a span type, with the texts in
a companion file (the layout of crowd research corpora such as PICO): read alone, with
``--texts``, or zipped or in a folder with the texts file (data written by the tests)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError
from analysis.cli import main
from analysis.io.load_task import load_task
from analysis.io.spans_text import read_texts

TEXTS = {"101": "Adults with asthma were enrolled.", "102": "Forty children aged 6 to 12 took part."}
CROWD = [
    {"docid": "101", "Participants": {"w1": [[0, 18]], "w2": [[0, 6], [12, 18]], "w3": []}},
    {"docid": "102", "Participants": {"w1": [[0, 23]], "w2": [[6, 23]]},
     "Interventions": {"w3": [[6, 14, "Population"]]}},
]


def jsonl(records: list[dict]) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def docs_jsonl() -> bytes:
    return jsonl([{"docid": k, "text": v} for k, v in TEXTS.items()])


def spans(loaded) -> list[list[object]]:
    return loaded.data.spans.values.tolist()


EXPECTED = [
    ["101", "w1", 0, 18, "Participants"], ["101", "w2", 0, 6, "Participants"],
    ["101", "w2", 12, 18, "Participants"], ["102", "w1", 0, 23, "Participants"],
    ["102", "w2", 6, 23, "Participants"], ["102", "w3", 6, 14, "Population"],
]


def test_offsets_with_a_texts_mapping_are_read_and_checked() -> None:
    loaded = load_task(jsonl(CROWD), name="train_crowd.jsonl", texts=TEXTS)
    assert loaded.task == "spans" and loaded.report["format"] == "annotator-spans"
    assert spans(loaded) == EXPECTED  # the field names the type; a third element overrides it
    judged = set(map(tuple, loaded.data.judgements.values.tolist()))
    assert ("101", "w3") in judged  # an annotator who marked nothing still judged the document
    assert loaded.data.texts == TEXTS and loaded.report["items_with_text"] == 2
    assert loaded.report["warnings"] == []


def test_without_texts_it_loads_and_says_what_is_lost() -> None:
    loaded = load_task(jsonl(CROWD), name="train_crowd.jsonl")
    assert spans(loaded) == EXPECTED and loaded.data.texts == {}
    (warning,) = loaded.report["warnings"]
    assert warning.startswith("2 of 2 documents have no text") and "--texts" in warning


def test_a_span_past_its_text_names_the_file_and_document() -> None:
    bad = [{"docid": "101", "Participants": {"w1": [[0, 99]]}}]
    with pytest.raises(AnnotationDataError) as error:
        load_task(jsonl(bad), name="crowd.jsonl", texts=TEXTS)
    assert "crowd.jsonl" in str(error.value) and "'101'" in str(error.value)
    assert "ends after the text (33 characters)" in str(error.value)


def test_zip_of_both_files_matches_the_mapping(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pico/train_crowd.jsonl", jsonl(CROWD[:1]))
        archive.writestr("pico/dev_crowd.jsonl", jsonl(CROWD[1:]))
        archive.writestr("pico/docs.jsonl", docs_jsonl())
        archive.writestr("__MACOSX/pico/._docs.jsonl", b"\x00\x05\x16\x07 not data")
    zipped = load_task(buffer.getvalue(), name="pico.zip")
    expected = load_task(jsonl(CROWD), name="crowd.jsonl", texts=TEXTS)
    assert spans(zipped) == spans(expected) and zipped.data.texts == TEXTS
    folder = tmp_path / "pico"
    folder.mkdir()
    (folder / "crowd.jsonl").write_bytes(jsonl(CROWD))
    (folder / "docs.jsonl").write_bytes(docs_jsonl())
    assert spans(load_task(folder)) == EXPECTED


def test_an_archive_with_neither_layout_says_what_it_expects() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(AnnotationDataError, match=r"no brat \.ann file and no JSON file of spans"):
        load_task(buffer.getvalue(), name="mixed.zip")


def test_texts_files_as_json_csv_and_a_record_without_text() -> None:
    assert read_texts(docs_jsonl(), name="docs.jsonl") == TEXTS
    assert read_texts(json.dumps([{"id": 7, "sentence": "Kim ran"}]).encode(), name="d.json") == {"7": "Kim ran"}
    csv = b"doc_id,text\n101,\"Adults, with asthma\"\n"
    assert read_texts(csv, name="docs.csv") == {"101": "Adults, with asthma"}
    with pytest.raises(AnnotationDataError) as error:
        read_texts(jsonl([{"docid": "1", "text": "a"}, {"docid": "2", "body": "b"}]), name="docs.jsonl")
    message = str(error.value)
    assert "docs.jsonl" in message and "line 2" in message and "has no text field" in message


def test_cli_reads_the_texts_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crowd = tmp_path / "crowd.jsonl"
    crowd.write_bytes(jsonl(CROWD))
    docs = tmp_path / "docs.jsonl"
    docs.write_bytes(docs_jsonl())
    code = main(["report", str(crowd), "--texts", str(docs), "--bootstrap", "0"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["dataset"]["task"] == "spans"
    assert report["dataset"]["load"]["items_with_text"] == 2
    assert set(report["per_class"]) == {"Participants", "Population"}
    code = main(["report", str(crowd), "--texts", str(docs), "--task", "single_label"])
    err = capsys.readouterr().err
    assert code == 2 and "--texts gives the texts of a span export" in err


def test_an_export_and_its_texts_upload_as_one() -> None:
    from analysis.io.bundle import with_texts

    name, data = with_texts(("train_crowd.jsonl", jsonl(CROWD)), ("docs.jsonl", docs_jsonl()))
    assert name == "train_crowd.jsonl + docs.jsonl.zip"
    loaded = load_task(data, name=name)
    assert spans(loaded) == EXPECTED and loaded.data.texts == TEXTS
    csv_texts = "docid,text\n" + "".join(f'{k},"{v}"\n' for k, v in TEXTS.items())
    _, data = with_texts(("crowd.jsonl", jsonl(CROWD)), ("docs.csv", csv_texts.encode()))
    assert load_task(data, name="both.zip").data.texts == TEXTS  # CSV texts too
    with pytest.raises(AnnotationDataError, match="goes with a span export that holds offsets only"):
        with_texts(("labels.csv", b"item,annotator,label"), ("docs.jsonl", docs_jsonl()))
    with pytest.raises(AnnotationDataError) as error:
        with_texts(("crowd.jsonl", jsonl(CROWD)), ("docs.jsonl", b""))
    assert "docs.jsonl" in str(error.value) and "the file is empty" in str(error.value)
