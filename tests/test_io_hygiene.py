"""Decoding, normalisation, variants, merges and duplicate resolution."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.base.errors import AnnotationDataError
from analysis.io import from_wide, load_annotations, merge_labels, to_wide

NFC_SPORTS = unicodedata.normalize("NFC", "스포츠")
NFD_SPORTS = unicodedata.normalize("NFD", "스포츠")


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_cp949_korean_file_decoded():
    content = "문항,작업자,분류,문장\n1,김,정치,국회 소식\n1,이,경제,국회 소식\n"
    result = load_annotations(content.encode("cp949"), name="ko.csv")
    assert result.report.encoding == "cp949"
    assert result.table["label"].tolist() == ["정치", "경제"]
    assert result.table["text"].iloc[0] == "국회 소식"
    assert result.report.mapping == {"item_id": "문항", "annotator": "작업자", "label": "분류",
                                     "text": "문장"}


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")],
    ids=["utf8-bom", "utf16-bom"],
)
def test_byte_order_marks(encoding, reported):
    content = "item_id,annotator,label\n1,a,스포츠\n"
    result = load_annotations(content.encode(encoding), name="x.csv")
    assert result.report.encoding == reported
    assert result.report.mapping["item_id"] == "item_id"
    assert result.table["label"].tolist() == ["스포츠"]


def test_nfd_korean_is_normalised_and_counted():
    assert NFC_SPORTS != NFD_SPORTS
    content = f"item,annotator,label\n1,a,{NFC_SPORTS}\n1,b,{NFD_SPORTS}\n2,a,{NFD_SPORTS}\n"
    result = load_annotations(_csv(content), name="x.csv")
    assert result.table["label"].tolist() == [NFC_SPORTS] * 3
    assert result.report.changes["nfc_normalised"] == 2
    assert result.report.label_counts == {NFC_SPORTS: 3}


def test_case_and_width_variants_offered_not_merged():
    content = ("item,annotator,label\n1,a,Sports\n1,b,sports\n2,a,sports\n2,b,ＳＰＯＲＴＳ\n"
               "3,a,politics\n3,b, politics \n")
    result = load_annotations(_csv(content), name="x.csv")
    assert set(result.table["label"]) == {"Sports", "sports", "ＳＰＯＲＴＳ", "politics"}
    assert result.report.changes["whitespace_stripped"] == 1
    (variant,) = result.report.label_variants
    assert variant.suggested == "sports"
    assert variant.labels == ("sports", "Sports", "ＳＰＯＲＴＳ")
    assert variant.counts == (2, 1, 1)
    merged = load_annotations(_csv(content), name="x.csv", label_merges=variant.merges())
    assert merged.report.label_counts == {"sports": 4, "politics": 2}
    assert merged.report.changes["labels_merged"] == 2
    assert merged.report.label_variants == ()


def test_merge_labels_function_leaves_input_unchanged():
    table = pd.DataFrame({"item_id": ["1"], "annotator": ["a"], "label": [NFD_SPORTS]})
    merged = merge_labels(table, {NFC_SPORTS: "sports"})
    assert merged["label"].tolist() == ["sports"]
    assert table["label"].tolist() == [NFD_SPORTS]


def test_exact_duplicates_dropped_and_counted():
    content = "item,annotator,label\n1,a,x\n1,a,x\n1,b,y\n1,a,x\n"
    result = load_annotations(_csv(content), name="x.csv")
    assert result.report.dropped["exact_duplicate"] == 2
    assert result.table[["annotator", "label"]].values.tolist() == [["a", "x"], ["b", "y"]]


def test_conflicting_duplicates_resolved_by_latest_timestamp():
    content = ("item,annotator,label,timestamp\n"
               "1,a,x,2024-01-01T10:00:00Z\n"
               "1,a,y,2024-01-03T10:00:00Z\n"
               "1,a,x,2024-01-02T10:00:00Z\n"
               "1,b,y,2024-01-01T10:00:00Z\n")
    result = load_annotations(_csv(content), name="x.csv")
    assert result.report.dropped["conflicting_duplicate"] == 2
    assert result.table[["annotator", "label"]].values.tolist() == [["a", "y"], ["b", "y"]]
    assert result.table["timestamp"].iloc[0] == pd.Timestamp("2024-01-03T10:00:00Z")


def test_conflicting_duplicates_without_timestamp_raise_with_rows():
    content = "item,annotator,label\n1,a,x\n2,a,z\n1,a,y\n"
    with pytest.raises(AnnotationDataError, match=r"x\.csv.*item '1' by 'a'.*'x', 'y'.*lines 2, 4"):
        load_annotations(_csv(content), name="x.csv")


def test_conflict_tied_on_latest_timestamp_raises():
    content = "item,annotator,label,time\n1,a,x,2024-01-01\n1,a,y,2024-01-01\n"
    with pytest.raises(AnnotationDataError, match="conflicting labels"):
        load_annotations(_csv(content), name="x.csv")


def test_empty_labels_and_missing_ids_dropped():
    content = "item,annotator,label\n1,a,\n1,b,  \n,c,x\n2,,x\n2,d,x\n"
    result = load_annotations(_csv(content), name="x.csv")
    assert result.report.dropped["empty_label"] == 2
    assert result.report.dropped["missing_item_id"] == 1
    assert result.report.dropped["missing_annotator"] == 1
    assert result.report.judgements == 1


def test_unparsable_timestamp_warns_with_row_and_keeps_judgement():
    content = "item,annotator,label,timestamp\n1,a,x,2024-02-30\n1,b,x,2024-02-01 09:00\n"
    result = load_annotations(_csv(content), name="x.csv")
    assert result.report.judgements == 2
    assert pd.isna(result.table["timestamp"].iloc[0])
    assert any("line 2" in warning and "2024-02-30" in warning
               for warning in result.report.warnings)


def test_report_is_json_safe_and_text_mentions_drops():
    import json

    content = "item,annotator,label\n1,a,x\n1,a,x\n1,b,X\n"
    report = load_annotations(_csv(content), name="x.csv").report
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["dropped"]["exact_duplicate"] == 1
    assert as_json["label_variants"] == [{"labels": ["x", "X"], "counts": [1, 1],
                                          "suggested": "x"}]
    text = report.to_text()
    assert "1 exact duplicate" in text and "'X' (1)" in text


LABEL_ALPHABET = ["pos", "neg", "neu", "정치", "스포츠", "a b", "x;y", 'q"uote']


@settings(max_examples=25, deadline=None)
@given(
    cells=st.dictionaries(
        keys=st.tuples(st.integers(0, 8), st.integers(0, 4)),
        values=st.sampled_from(LABEL_ALPHABET), min_size=1, max_size=30,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_round_trip_keeps_every_judgement(cells, delimiter):
    table = pd.DataFrame(
        [(f"i{item}", f"ann{annotator}", label) for (item, annotator), label in cells.items()],
        columns=["item_id", "annotator", "label"],
    )
    content = table.to_csv(index=False, sep=delimiter).encode("utf-8")
    result = load_annotations(content, name="x.csv")
    got = list(result.table[["item_id", "annotator", "label"]].itertuples(index=False, name=None))
    assert got == list(table.itertuples(index=False, name=None))
    assert result.report.dropped_total == 0
    wide = to_wide(result.table)
    annotators = [c for c in wide.columns if c not in ("item_id", "text")]
    back = from_wide(wide, item_column="item_id", annotator_columns=annotators)
    assert sorted(back.itertuples(index=False, name=None)) == sorted(got)
