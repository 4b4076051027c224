"""Each supported format read from a small inline fixture."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.data.schema import CANONICAL_COLUMNS
from analysis.io import FORMATS, ColumnMapping, from_wide, load_annotations, to_wide

LONG_ROWS = [
    ("t1", "ann", "pos", "good film"),
    ("t1", "bob", "neg", "good film"),
    ("t2", "ann", "neg", "dull"),
    ("t2", "bob", "neg", "dull"),
    ("t3", "ann", "pos", "fine"),
]


def _triples(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(table[["item_id", "annotator", "label"]].itertuples(index=False, name=None))


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("delimiter", "header"),
    [(",", "item_id,annotator,label,text"), (";", "Task;Rater;Intent;Sentence"),
     ("\t", "doc_id\tcoder\tcategory\tcontent"), ("|", "id|worker|class|message")],
    ids=["comma", "semicolon", "tab", "pipe"],
)
def test_long_delimited_any_delimiter_and_synonyms(tmp_path, delimiter, header):
    body = "\n".join(delimiter.join(row) for row in LONG_ROWS)
    path = _write(tmp_path, "labels.txt", f"{header}\n{body}\n")
    result = load_annotations(path)
    assert result.format == "csv"
    assert result.report.delimiter == delimiter
    assert result.report.encoding == "utf-8"
    assert _triples(result.table) == [row[:3] for row in LONG_ROWS]
    assert result.table["text"].tolist() == [row[3] for row in LONG_ROWS]
    assert list(result.table.columns) == list(CANONICAL_COLUMNS)
    assert str(result.table["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert result.report.single_judgement_item_ids == ("t3",)


def test_explicit_mapping_overrides_detection(tmp_path):
    path = _write(tmp_path, "x.csv", "item_id,who,annotator,verdict\n1,a,zzz,yes\n1,b,zzz,no\n")
    result = load_annotations(path, mapping=ColumnMapping(annotator="who", label="verdict"))
    assert _triples(result.table) == [("1", "a", "yes"), ("1", "b", "no")]
    assert result.report.mapping["annotator"] == "who"


def test_excel_sheet_choice(tmp_path):
    path = tmp_path / "labels.xlsx"
    first = pd.DataFrame({"item": [1, 2], "rater": ["a", "a"], "label": ["x", "y"]})
    second = pd.DataFrame({"item": [7, 7], "rater": ["a", "b"], "label": ["z", "z"],
                           "time": pd.to_datetime(["2024-05-01 10:00", "2024-05-01 11:00"])})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        first.to_excel(writer, sheet_name="round1", index=False)
        second.to_excel(writer, sheet_name="round2", index=False)
    default = load_annotations(path)
    assert default.format == "excel" and default.report.sheet == "round1"
    assert _triples(default.table) == [("1", "a", "x"), ("2", "a", "y")]
    named = load_annotations(path, sheet="round2")
    assert _triples(named.table) == [("7", "a", "z"), ("7", "b", "z")]
    assert named.table["timestamp"].iloc[1] == pd.Timestamp("2024-05-01 11:00", tz="UTC")
    assert _triples(load_annotations(path, sheet=1).table) == _triples(named.table)


def test_parquet_keeps_types(tmp_path):
    frame = pd.DataFrame({"item_id": [10, 11], "annotator": ["a", "b"], "label": [1, 2],
                          "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    path = tmp_path / "labels.parquet"
    frame.to_parquet(path)
    result = load_annotations(path.read_bytes(), name="upload")  # detected by magic bytes
    assert result.format == "parquet"
    assert _triples(result.table) == [("10", "a", "1"), ("11", "b", "2")]
    assert result.table["timestamp"].iloc[0] == pd.Timestamp("2024-01-01", tz="UTC")


def test_json_array_and_jsonl(tmp_path):
    records = [{"item": r[0], "annotator": r[1], "label": r[2], "text": r[3]} for r in LONG_ROWS]
    array = load_annotations(json.dumps(records).encode(), name="labels.json")
    lines = load_annotations(
        io.BytesIO("\n".join(json.dumps(r) for r in records).encode()), name="labels.jsonl"
    )
    assert array.format == "json" and lines.format == "jsonl"
    assert _triples(array.table) == _triples(lines.table) == [r[:3] for r in LONG_ROWS]


def test_wide_detected_with_text_column(tmp_path):
    content = "item,text,ann1,ann2,ann3\n1,good,pos,pos,neg\n2,bad,neg,,neg\n3,ok,pos,pos,pos\n"
    result = load_annotations(_write(tmp_path, "wide.csv", content))
    assert result.format == "wide"
    assert result.report.judgements == 8
    assert _triples(result.table)[:4] == [("1", "ann1", "pos"), ("1", "ann2", "pos"),
                                          ("1", "ann3", "neg"), ("2", "ann1", "neg")]
    assert result.table.loc[result.table["item_id"] == "2", "text"].unique().tolist() == ["bad"]
    assert result.report.dropped_total == 0  # empty wide cells are not judgements


def test_wide_explicit_columns(tmp_path):
    content = "sid,r1,r2,notes\n1,a,b,x\n2,b,b,y\n"
    result = load_annotations(_write(tmp_path, "w.csv", content),
                              mapping=ColumnMapping(item_id="sid", annotator_columns=("r1", "r2")))
    assert _triples(result.table) == [("1", "r1", "a"), ("1", "r2", "b"),
                                      ("2", "r1", "b"), ("2", "r2", "b")]


def test_long_wide_round_trip():
    table = pd.DataFrame({"item_id": ["1", "1", "2", "3", "3"],
                          "annotator": ["a", "b", "b", "a", "c"],
                          "label": ["x", "y", "x", "z", "z"],
                          "text": ["one", "one", "two", "three", "three"]})
    wide = to_wide(table)
    assert list(wide.columns) == ["item_id", "text", "a", "b", "c"]
    back = from_wide(wide, item_column="item_id", annotator_columns=["a", "b", "c"],
                     text_column="text")
    key = ["item_id", "annotator"]
    expected = table.sort_values(key).reset_index(drop=True)
    got = back.sort_values(key).reset_index(drop=True).astype(object)
    pd.testing.assert_frame_equal(got[expected.columns], expected.astype(object))


LABEL_STUDIO = [
    {"id": 1, "data": {"text": "Great phone"},
     "annotations": [
         {"completed_by": 3, "was_cancelled": False, "updated_at": "2024-02-01T10:00:00Z",
          "result": [{"from_name": "sentiment", "value": {"choices": ["Positive"]}}]},
         {"completed_by": {"id": 4, "email": "kim@example.org"}, "was_cancelled": False,
          "created_at": "2024-02-01T11:00:00+09:00",
          "result": [{"from_name": "sentiment", "value": {"choices": ["Negative"]}}]},
         {"completed_by": 5, "was_cancelled": True, "result": []},
     ],
     "predictions": [{"result": [{"value": {"choices": ["Positive"]}}]}]},
    {"id": 2, "data": {"review": "Broke in a day"},
     "annotations": [{"completed_by": 3, "result": [{"value": {"choices": ["Negative"]}}]}]},
]


def test_label_studio(tmp_path):
    from analysis.data.dataset import AnnotationDataset

    result = load_annotations(_write(tmp_path, "export.json", json.dumps(LABEL_STUDIO)))
    assert result.format == "label-studio"
    # the prediction is a model's judgement, kept apart from the humans' (load report: models)
    assert [m.annotator for m in result.report.model_annotators] == ["prediction 1"]
    humans = AnnotationDataset.from_load_result(result).table
    assert _triples(humans) == [("1", "3", "Positive"), ("1", "kim@example.org", "Negative"),
                                ("2", "3", "Negative")]
    assert result.report.dropped["cancelled"] == 1
    assert result.report.rows_read == 5
    assert humans["text"].tolist() == ["Great phone", "Great phone", "Broke in a day"]
    assert humans["timestamp"].iloc[1] == pd.Timestamp("2024-02-01T02:00:00Z")


PRODIGY_CHOICE = [
    {"text": "Reset my password", "options": [{"id": "ACCOUNT"}, {"id": "BILLING"}],
     "accept": ["ACCOUNT"], "answer": "accept", "_input_hash": 11, "_annotator_id": "ds-ann",
     "_timestamp": 1700000000},
    {"text": "Reset my password", "options": [], "accept": ["BILLING"], "answer": "accept",
     "_input_hash": 11, "_session_id": "ds-bob", "_timestamp": 1700000100},
    {"text": "Refund please", "accept": [], "answer": "reject", "_input_hash": 12,
     "_annotator_id": "ds-ann"},
    {"text": "Refund please", "accept": ["BILLING"], "answer": "ignore", "_input_hash": 12,
     "_annotator_id": "ds-bob"},
    {"text": "Refund please", "accept": ["BILLING"], "answer": "accept", "_input_hash": 12,
     "_annotator_id": "ds-cy"},
]


def test_prodigy_choice(tmp_path):
    content = "\n".join(json.dumps(record) for record in PRODIGY_CHOICE)
    result = load_annotations(_write(tmp_path, "db.jsonl", content))
    assert result.format == "prodigy"
    # the "<dataset>-" prefix of named sessions is removed when every annotator has it
    assert _triples(result.table) == [("11", "ann", "ACCOUNT"), ("11", "bob", "BILLING"),
                                      ("12", "cy", "BILLING")]
    assert "'ds-'" in result.report.mapping["annotator"]
    assert result.report.dropped["rejected"] == 1
    assert result.report.dropped["ignored"] == 1
    assert result.table["timestamp"].iloc[0] == pd.Timestamp(1700000000, unit="s", tz="UTC")


def test_prodigy_binary(tmp_path):
    records = [
        {"text": "hello", "label": "GREETING", "answer": "accept", "_input_hash": 1,
         "_annotator_id": "a"},
        {"text": "hello", "label": "GREETING", "answer": "reject", "_input_hash": 1,
         "_annotator_id": "b"},
        {"text": "bye", "label": "GREETING", "answer": "ignore", "_input_hash": 2,
         "_annotator_id": "a"},
    ]
    content = "\n".join(json.dumps(record) for record in records)
    result = load_annotations(_write(tmp_path, "binary.jsonl", content))
    assert _triples(result.table) == [("1", "a", "GREETING"), ("1", "b", "not GREETING")]
    assert result.report.dropped["ignored"] == 1


def test_mturk_single_answer_column(tmp_path):
    content = (
        "HITId,WorkerId,AssignmentStatus,SubmitTime,Input.text,Answer.sentiment\n"
        "H1,W1,Approved,Wed Jan 10 10:00:00 PST 2024,nice,positive\n"
        "H1,W2,Approved,Wed Jan 10 11:00:00 PST 2024,nice,negative\n"
        "H2,W1,Rejected,Wed Jan 10 12:00:00 PST 2024,meh,neutral\n"
    )
    result = load_annotations(_write(tmp_path, "Batch_1_results.csv", content))
    assert result.format == "mturk"
    assert _triples(result.table) == [("H1", "W1", "positive"), ("H1", "W2", "negative")]
    assert result.report.dropped["rejected"] == 1
    assert result.table["timestamp"].iloc[0] == pd.Timestamp("2024-01-10T18:00:00Z")
    assert result.table["text"].iloc[0] == "nice"


def test_mturk_checkbox_answers(tmp_path):
    content = (
        "HITId,WorkerId,Input.id,Input.text,Answer.topic.sports.on,Answer.topic.politics.on\n"
        "H1,W1,n1,goal,true,false\n"
        "H1,W2,n1,goal,false,true\n"
        "H1,W3,n1,goal,false,false\n"
    )
    result = load_annotations(_write(tmp_path, "batch.csv", content))
    assert _triples(result.table) == [("n1", "W1", "sports"), ("n1", "W2", "politics")]
    assert result.report.dropped["empty_label"] == 1


def test_every_format_name_is_accepted(tmp_path):
    path = _write(tmp_path, "x.csv", "item,annotator,label\n1,a,x\n")
    assert load_annotations(path, format="auto").format == "csv"
    assert load_annotations(path, format="csv").format == "csv"
    assert "label-studio" in FORMATS and len(FORMATS) == 9


def test_csv_starting_with_bracket_falls_back_to_delimited():
    result = load_annotations(b"[item],annotator,label\n1,a,x\n1,b,y\n", name="upload",
                              mapping=ColumnMapping(item_id="[item]"))
    assert result.format == "csv" and result.report.judgements == 2


def test_wide_json_records_with_explicit_format():
    content = json.dumps([{"item": "1", "r1": "x", "r2": "y"}, {"item": "2", "r1": "y", "r2": "y"}])
    result = load_annotations(content.encode(), name="w.json", format="wide")
    assert result.format == "wide" and result.report.judgements == 4
    assert result.report.container == "json"
