"""Hostile and broken inputs: refused in one line within the limits, memory bounded,
never misread. The files are generated in memory by ``tests/hostile_files.py``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import hostile_files as hostile
import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import MAX_CELLS, MAX_COLUMNS
from analysis.io import load_annotations
from analysis.report import build_report


def _one_line_error(excinfo: pytest.ExceptionInfo[AnnotationDataError]) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and "Fix:" in message
    return message


# --- spreadsheets -------------------------------------------------------------------


def test_cells_at_the_far_corners_are_refused_by_width_not_padded() -> None:
    data = hostile.far_corners()
    assert len(data) < 10_000
    with pytest.raises(AnnotationDataError, match=r"XFD1 makes the sheet 16,384 columns wide") as info:
        load_annotations(data, name="corners.xlsx")
    assert "LABEL_AGREEMENT_MAX_COLUMNS" in _one_line_error(info)


def test_one_huge_cell_is_refused_before_it_is_parsed() -> None:
    data = hostile.one_huge_cell(4 << 20)  # 4 MiB cell: over the 1 MiB token limit
    with pytest.raises(AnnotationDataError, match=r"cell or attribute of 4\.0 MiB"):
        load_annotations(data, name="cell.xlsx")


def test_unpacked_size_limit_and_how_to_raise_it(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile.one_huge_cell(0)
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_UNPACKED_BYTES", "1000")
    with pytest.raises(AnnotationDataError, match="LABEL_AGREEMENT_MAX_UNPACKED_BYTES"):
        load_annotations(data, name="small.xlsx")
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_UNPACKED_BYTES", "1_000_000")
    report = load_annotations(data, name="small.xlsx").report
    assert (report.judgements, report.dropped["empty_label"]) == (3, 1)  # the cell is empty


def test_formatted_empty_cells_far_right_do_not_pad_or_shift() -> None:
    result = load_annotations(hostile.many_rows_styled(2000), name="styled.xlsx")
    assert result.report.judgements == 4 and result.report.label_counts == {"x": 3, "y": 1}
    assert list(result.table["item_id"]) == ["1", "1", "2", "2"]


def test_cell_limit_counts_rows_times_width(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile.xlsx(hostile.table_rows(hostile.JUDGEMENTS))
    monkeypatch.setenv(MAX_CELLS.env, "9")
    with pytest.raises(AnnotationDataError, match=r"4 rows x 3 columns by row 5, above the limit of 9 cells"):
        load_annotations(data, name="t.xlsx")
    monkeypatch.setenv(MAX_CELLS.env, "12")
    assert load_annotations(data, name="t.xlsx").report.judgements == 4


def test_sheet_rows_keep_their_sheet_numbers() -> None:
    rows = hostile.table_rows(hostile.JUDGEMENTS[:1]) + hostile.table_rows(
        [["1", "a", "x"], ["1", "a", "y"]], first_row=7)
    with pytest.raises(AnnotationDataError, match=r"rows 7, 8"):
        load_annotations(hostile.xlsx(rows), name="dup.xlsx")


def test_malformed_xml_inside_a_workbook_is_one_line() -> None:
    with pytest.raises(AnnotationDataError, match=r"workbook cannot be read \(malformed XML") as info:
        load_annotations(hostile.malformed_xml(), name="broken.xlsx")
    _one_line_error(info)


def test_a_bad_limit_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_COLUMNS.env, "lots")
    with pytest.raises(AnnotationDataError, match=r"LABEL_AGREEMENT_MAX_COLUMNS must be a positive whole number"):
        load_annotations(b"item,annotator,label\n1,a,x\n", name="x.csv")


# --- delimited text, JSON, Parquet ---------------------------------------------------


def test_a_header_wider_than_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(AnnotationDataError, match=r"line 1: the header has 20,001 columns, above the limit of 10,000"):
        load_annotations(hostile.wide_header_csv(20_001), name="wide.csv")


def test_records_with_ever_new_fields_are_refused() -> None:
    with pytest.raises(AnnotationDataError, match=r"record 9998: the records name more than 10,000 distinct fields"):
        load_annotations(hostile.json_square(12_000), name="square.json")


def test_parquet_rows_are_checked_from_the_footer() -> None:
    data = hostile.parquet_rows(6_000_000)
    assert len(data) < 200_000
    with pytest.raises(AnnotationDataError, match=r"6,000,000 rows x 3 columns, above the limit"):
        load_annotations(data, name="runs.parquet")


def test_parquet_text_is_checked_before_it_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile.parquet_rows(200_000, label_bytes=5_000)  # 1 GB of text once expanded
    with pytest.raises(AnnotationDataError, match=r"unpacks to 954 MiB, above the limit of 256 MiB"):
        load_annotations(data, name="text.parquet")
    small = hostile.parquet_rows(4)
    table = load_annotations(small, name="ok.parquet", label_merges=None).table
    assert table["label"].tolist() == ["x"]  # four exact duplicates of one judgement


@pytest.mark.parametrize("builder", [
    pytest.param(hostile.far_corners, id="xlsx far corners"),
    pytest.param(lambda: hostile.one_huge_cell(300 << 20), id="xlsx one 300 MB cell"),
    pytest.param(lambda: hostile.many_rows_styled(30_000), id="xlsx formatted rows"),
    pytest.param(lambda: hostile.wide_header_csv(1_000_000), id="csv 1e6-column header"),
    pytest.param(lambda: hostile.json_square(100_000), id="json ever-new fields"),
    pytest.param(lambda: hostile.parquet_rows(20_000_000), id="parquet 2e7 rows"),
    pytest.param(lambda: hostile.parquet_rows(2_000_000, label_bytes=2_000), id="parquet 4 GB text"),
])
def test_any_input_under_10_mb_loads_or_is_refused_within_1_gb(builder, tmp_path: Path) -> None:
    path = tmp_path / "hostile.bin"
    data = builder()
    assert len(data) < 10 * 2**20
    suffix = {b"PK": ".xlsx", b"PA": ".parquet", b"[{": ".json"}.get(data[:2], ".csv")
    path = path.with_suffix(suffix)
    path.write_bytes(data)
    peak_mb, outcome = hostile.load_in_subprocess(str(path))
    assert peak_mb < hostile.MEMORY_BUDGET_MB, (peak_mb, outcome)
    assert outcome.startswith(("refused", "loaded")), outcome
    assert "\n" not in outcome


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "labels.csv"
    os.mkfifo(fifo)
    with pytest.raises(AnnotationDataError, match=r"labels.csv: this is a named pipe \(FIFO\), not a regular file"):
        load_annotations(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading() -> None:
    with pytest.raises(AnnotationDataError, match=r"character device, not a regular file"):
        load_annotations("/dev/zero")


# --- silent misreads -------------------------------------------------------------------


def test_extra_leading_fields_on_the_first_row_are_an_error_not_a_shift() -> None:
    text = b"item,annotator,label\nx,extra,cols,1,2\n1,a,p\n1,b,q\n2,a,p\n"
    with pytest.raises(AnnotationDataError, match=r"line 2 has 5 fields but the header has 3"):
        load_annotations(text, name="shift.csv")


def test_a_trailing_comma_on_every_row_is_ignored() -> None:
    text = b"item,annotator,label\n1,a,p,\n1,b,q,\n2,a,p,\n2,b,p,\n"
    result = load_annotations(text, name="trailing.csv")
    assert result.report.judgements == 4
    assert result.table[["item_id", "annotator", "label"]].values.tolist() == [
        ["1", "a", "p"], ["1", "b", "q"], ["2", "a", "p"], ["2", "b", "p"]]


def test_a_timestamp_past_2262_is_blanked_with_a_warning_naming_the_line() -> None:
    text = b"item,annotator,label,timestamp\n1,a,p,2024-01-01\n1,b,q,2300-01-01\n2,a,p,9999-12-31\n"
    result = load_annotations(text, name="times.csv")
    assert result.report.judgements == 3
    assert result.table["timestamp"].isna().tolist() == [False, True, True]
    assert any("2 timestamp(s) lie outside the years 1677-2262" in w and "lines 3, 4" in w
               for w in result.report.warnings), result.report.warnings


@pytest.mark.parametrize(("labels", "named"), [
    (["low", "high", "low", "mid"], "'high', 'low', 'mid' are not"),
    (["inf", "1", "2", "2"], "'inf' is not"),
    (["1", "nan", "2", "2"], "'nan' is not"),
], ids=["words", "inf", "nan"])
@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_labels_that_are_not_finite_numbers_are_refused_at_interval_and_ratio(
        labels: list[str], named: str, level: str) -> None:
    table = pd.DataFrame({"item_id": ["1", "1", "2", "2"], "annotator": ["a", "b", "a", "b"],
                          "label": labels})
    with pytest.raises(AnnotationDataError, match=f"at the {level} level every label must be a finite number; {named}"):
        build_report(table, level=level, bootstrap=0)
    build_report(table, level="ordinal", bootstrap=0)  # ranks are fine


def test_json_labels_1_text_1_and_1_0_are_reported_not_merged_silently() -> None:
    records = [{"item": 1, "annotator": "a", "label": 1}, {"item": 1, "annotator": "b", "label": "1"},
               {"item": 2, "annotator": "a", "label": 1.0}, {"item": 2, "annotator": "b", "label": 2}]
    report = load_annotations(json.dumps(records).encode(), name="typed.json").report
    assert report.label_counts == {"1": 2, "1.0": 1, "2": 1}
    assert [variant.merges() for variant in report.label_variants] == [{"1.0": "1"}]
    assert any("'1' (text), 1 (number) -> '1'" in warning for warning in report.warnings)


def test_labels_of_one_json_type_are_read_as_before() -> None:
    records = [{"item": i, "annotator": a, "label": float(i % 2)} for i in range(3) for a in "ab"]
    report = load_annotations(json.dumps(records).encode(), name="floats.json").report
    assert report.label_counts == {"0": 4, "1": 2}  # items 0 and 2 are 0.0, item 1 is 1.0
    assert report.label_variants == () and report.warnings == ()


def _brat_zip(text: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ann1/doc.txt", text)
        archive.writestr("ann1/doc.ann", "T1\tX 0 1\ta\n")
    return buffer.getvalue()


def test_a_zipped_brat_export_that_inflates_past_the_limit_is_refused_before_inflating(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.io.load_task import load_task

    bomb = _brat_zip("a" * (40 << 20))
    assert len(bomb) < 100_000  # 40 MiB of text in under 100 KB
    with pytest.raises(AnnotationDataError,
                       match=r"unpack to 40\.0 MiB.*LABEL_AGREEMENT_MAX_ARCHIVE_TEXT_BYTES"):
        load_task(bomb, name="bomb.zip")
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_ARCHIVE_TEXT_BYTES", "10")
    with pytest.raises(AnnotationDataError, match="above the limit of 0 MiB"):
        load_task(_brat_zip("abc"), name="small.zip")
    monkeypatch.delenv("LABEL_AGREEMENT_MAX_ARCHIVE_TEXT_BYTES")
    loaded = load_task(_brat_zip("abc"), name="small.zip")
    assert loaded.task == "spans"
    assert loaded.data.spans["label"].tolist() == ["X"]
