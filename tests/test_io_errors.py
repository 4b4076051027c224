"""Bad input: every case is one AnnotationDataError naming file, place, problem and fix."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError, cli_option
from analysis.io import ColumnMapping, load_annotations

BAD_INPUTS = [
    ("empty.csv", b"", r"empty\.csv: the file is empty \(0 bytes\)"),
    ("blank.csv", b"  \n\n", "only whitespace"),
    ("header.csv", b"item,annotator,label\n", r"header\.csv, line 2: .*header but no rows"),
    ("cols.csv", b"item,person,verdict\n1,a,x\n",
     r"cols\.csv, header: no column for annotator and label .*'item', 'person', 'verdict'"
     r".*'annotator_col' option, 'label_col' option"),
    ("garbage.bin", bytes(range(256)) * 8, "binary data|cannot be decoded"),
    ("nul.csv", b"item,annotator,label\n1,a,\x00\x01\x02\x03\x04\x05\n", "binary data"),
    ("broken.jsonl", b'{"item": 1, "annotator": "a", "label": "x"}\n{"item": 2,\n',
     r"broken\.jsonl, line 2: malformed JSON line \(Expecting property name"),
    ("broken.json", b'[{"item": 1, "annotator": "a", "label": "x"},\n {"item": }]',
     r"broken\.json, line 2, column 11: malformed JSON \(Expecting value\)"),
    ("fake.xlsx", b"PK\x03\x04 not really a zip", r"fake\.xlsx: the workbook cannot be opened"),
    ("notexcel.xlsx", b"item,annotator,label\n1,a,x\n", "workbook cannot be opened"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, r"\.xls workbooks"),
    ("bad.parquet", b"PAR1 truncated", r"bad\.parquet: the Parquet file cannot be read"),
    ("latin.csv", "item,annotator,label\n1,a,caf\u00e9\n".encode("latin-1") + b"\xff\xfe\xff",
     r"latin\.csv, line 2.*cannot be decoded as utf-8, cp949.*'encoding' option"),
    ("quote.csv", b'item,annotator,label\n1,a,"x\n2,b,y\n',
     r"quote\.csv: the delimited text cannot be parsed"),
    ("scalar.json", b"42", "expected a JSON array"),
    ("none.json", b"[]", "holds no records"),
    ("ls.json", json.dumps([{"data": {"text": "x"}, "annotations": "oops"}]).encode(),
     r"ls\.json, task 1: 'annotations' is not a list"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS,
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_raises_one_line_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AnnotationDataError, match=message) as caught:
        load_annotations(path, name=name)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(name)
    assert "Fix:" in text


def test_unknown_format_lists_known_ones():
    with pytest.raises(AnnotationDataError, match=r"format 'tsv' is unknown.*label-studio"):
        load_annotations(b"a,b\n", name="x.csv", format="tsv")


def test_unknown_encoding():
    with pytest.raises(AnnotationDataError, match="unknown encoding 'klingon'"):
        load_annotations(b"a,b\n", name="x.csv", encoding="klingon")


def test_wrong_explicit_column_lists_columns():
    with pytest.raises(AnnotationDataError, match=r"'rater' given for annotator does not exist.*"
                                                  r"'item', 'who', 'label'.*'annotator_col' option") as caught:
        load_annotations(b"item,who,label\n1,a,x\n", name="x.csv",
                         mapping=ColumnMapping(annotator="rater"))
    # The option is data: each front end spells it its own way.
    assert caught.value.option == "annotator_col"
    assert caught.value.render(cli_option).endswith("pass one of the columns found with --annotator-col.")
    assert "--" not in str(caught.value)


def test_unknown_sheet_lists_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    pd.DataFrame({"item": [1], "annotator": ["a"], "label": ["x"]}).to_excel(
        path, sheet_name="labels", index=False)
    with pytest.raises(AnnotationDataError, match=r"no sheet 'round9'; sheets: labels.*'sheet' option") as caught:
        load_annotations(path, sheet="round9")
    assert caught.value.options == ("sheet",)
    assert "--sheet" in caught.value.render(cli_option)
    with pytest.raises(AnnotationDataError, match="sheet index 3 is out of range"):
        load_annotations(path, sheet=3)


def test_all_rows_dropped_is_an_error():
    with pytest.raises(AnnotationDataError, match=r"no judgement is left.*2 empty_label"):
        load_annotations(b"item,annotator,label\n1,a,\n2,a,\n", name="x.csv")


def test_random_bytes_never_escape_as_other_exceptions():
    for seed in range(20):
        content = os.urandom(200 + seed * 37)
        for name in ("x.csv", "x.json", "x.xlsx", "x.parquet", "upload"):
            with pytest.raises(AnnotationDataError):
                load_annotations(content, name=name)


ODD_STRUCTURES = [
    [{"data": "x", "annotations": [{"result": "x", "completed_by": [1]}]}],
    [{"data": {"text": 5}, "annotations": [None, 3, {"result": [None, {"value": None}]}]}],
    [{"_input_hash": {"a": 1}, "accept": [None], "_annotator_id": ["a"]}],
    [{"item": None, "annotator": None, "label": None}],
    [[1, 2], [3, 4]],
    {"a": [1, 2], "b": [3]},
]


@pytest.mark.parametrize("document", ODD_STRUCTURES, ids=lambda d: json.dumps(d)[:30])
@pytest.mark.parametrize("name", ["odd.json", "odd.jsonl"])
def test_odd_json_structures_are_input_errors(document, name):
    records = document if isinstance(document, list) else [document]
    content = json.dumps(document) if name.endswith(".json") else "\n".join(
        json.dumps(record) for record in records)
    with pytest.raises(AnnotationDataError, match=r"^odd\.json"):
        load_annotations(content.encode(), name=name)


def test_unhashable_json_values_become_text():
    content = json.dumps([{"item": 1, "annotator": "a", "label": {"x": [1]}},
                          {"item": 1, "annotator": "b", "label": ["y"]}])
    result = load_annotations(content.encode(), name="x.json")
    # an object stays its JSON text; a list of one label is that label (doccano's ["y"])
    assert result.table["label"].tolist() == ['{"x": [1]}', "y"]


def test_a_bug_in_own_code_is_not_reported_as_an_unreadable_file(monkeypatch):
    """KeyError/TypeError/... raised by this package's code surface as they are."""
    import analysis.io.readers.single_label as load_module

    def broken(*args, **kwargs):
        raise KeyError("a programming mistake")

    monkeypatch.setattr(load_module, "clean_table", broken)
    with pytest.raises(KeyError, match="a programming mistake"):
        load_annotations(b"item,annotator,label\n1,a,x\n1,b,y\n", name="x.csv")


def test_a_third_party_parse_error_becomes_cannot_be_read(monkeypatch):
    import analysis.io.readers.single_label as load_module

    def third_party(*args, **kwargs):
        return pd.DataFrame().loc["missing"]  # KeyError raised inside pandas

    monkeypatch.setattr(load_module, "clean_table", third_party)
    with pytest.raises(AnnotationDataError, match=r"x\.csv: the file cannot be read as .*KeyError"):
        load_annotations(b"item,annotator,label\n1,a,x\n1,b,y\n", name="x.csv")


def test_a_line_with_too_many_fields_is_named_with_its_counts(tmp_path):
    # The C parser's "Expected 3 fields in line 3, saw 5" in the loader's words.
    path = tmp_path / "ragged.csv"
    path.write_text("item_id,annotator,label\n1,a,x\n1,b,y,z,w\n2,a,x\n", encoding="utf-8")
    with pytest.raises(AnnotationDataError) as caught:
        load_annotations(path)
    error = caught.value
    assert error.location == "line 3"
    assert "5 fields where the header has 3" in str(error)
    assert "Error tokenizing" not in str(error)
