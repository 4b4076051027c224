"""Hostile inputs that used to end in a traceback: JSON nested thousands of levels deep or
holding 5,000-digit integers, span offsets that are NaN, infinite or huge, zip members that
are encrypted or Deflate64, headers hidden by a quoted line break, classic-Mac line ends.

Every case goes through the command line (exit 2 and one line, or exit 0) and through
``load_task`` (the task detection every JSON path starts with). Files come from
``tests/hostile_files.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import hostile_files as hostile
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.cli import main
from analysis.io import load_annotations
from analysis.io.json_guard import MAX_JSON_DEPTH, loads, nesting_depth
from analysis.io.load_task import load_task


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err.strip()
    return code, err


def _one_line(code: int, err: str, pattern: str) -> None:
    import re

    assert code == 2, err
    assert err.count("\n") == 0 and "Traceback" not in err and "Fix:" in err, err
    assert re.search(pattern, err), err


# --- JSON: depth and size -------------------------------------------------------------


@pytest.mark.parametrize(("lines", "name", "where"), [
    (False, "deep.json", r"line 1, column 3,0\d\d"),
    (True, "deep.jsonl", r"deep.jsonl, line 2:"),
])
def test_deeply_nested_json_is_one_line_on_every_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: bool, name: str, where: str) -> None:
    path = tmp_path / name
    path.write_bytes(hostile.deep_json(3_000, lines=lines))
    for command in ("validate", "report"):
        code, err = _cli(capsys, command, str(path))
        _one_line(code, err, where + r".*nests arrays and objects 3,00\d levels deep, above the limit of 200")
    with pytest.raises(AnnotationDataError, match="levels deep"):
        load_task(path)
    with pytest.raises(AnnotationDataError, match="levels deep"):
        load_annotations(path)


def test_nesting_the_parser_follows_but_no_export_needs_is_refused_too() -> None:
    # 500 levels parse without a RecursionError, then would break whatever walks them
    data = hostile.deep_json(500)
    with pytest.raises(AnnotationDataError, match=r"502 levels deep"):
        load_task(data, name="d.json")
    shallow = hostile.deep_json(MAX_JSON_DEPTH - 3)
    assert load_annotations(shallow, name="ok.json").report.judgements == 2


def test_nesting_depth_ignores_brackets_in_strings_and_escaped_quotes() -> None:
    assert nesting_depth(r'["a\"[[[", {"b": "\\"}, [[1]]]') == (3, 25)
    assert nesting_depth('{"표": [[1]]}') == (3, 7)  # character, not byte, offset
    assert loads('{"a": "[[[[[[[[[["}', file="x") == {"a": "[[[[[[[[[["}


@pytest.mark.parametrize("lines", [False, True], ids=["json", "jsonl"])
def test_a_5000_digit_integer_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          lines: bool) -> None:
    path = tmp_path / ("big.jsonl" if lines else "big.json")
    path.write_bytes(hostile.long_number_json(5_000, lines=lines))
    code, err = _cli(capsys, "report", str(path))
    _one_line(code, err, (r"line 2:" if lines else r"line 1, column 56:")
              + r" a JSON number has 5,000 digits, above the limit of 4,300")
    with pytest.raises(AnnotationDataError, match="5,000 digits"):
        load_task(path)


def test_a_long_number_inside_a_string_is_text() -> None:
    record = [{"item": "9" * 5_000, "annotator": a, "label": "x"} for a in "ab"]
    result = load_annotations(json.dumps(record).encode(), name="ok.json")
    assert result.table["item_id"].str.len().tolist() == [5_000, 5_000]


# --- span offsets ---------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "problem"), [
    ("NaN", r"a span offset is not a whole number \(nan\)"),
    ("Infinity", r"not a whole number \(inf\)"),
    ("-Infinity", r"not a whole number \(-inf\)"),
    ("1e400", r"not a whole number \(inf\)"),
    ("5.5", r"not a whole number \(5\.5\)"),
    ("true", r"not a whole number \(True\)"),
    ("9" * 30, r"a span offset is a whole number of 30 digits, above the limit of 2,147,483,647"),
    ("9" * 3_000, r"a whole number of 3,000 digits"),
    ("9" * 5_000, r"a JSON number has 5,000 digits"),
])
@pytest.mark.parametrize("export", ["doccano", "label-studio"])
def test_span_offsets_are_checked_as_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             offset: str, problem: str, export: str) -> None:
    data, name, where = ((hostile.doccano_offset(offset), "spans.jsonl", "line 2") if export == "doccano"
                         else (hostile.label_studio_offset(offset), "tasks.json", r"line 1|task 1"))
    path = tmp_path / name
    path.write_bytes(data)
    for command in ("validate", "report"):
        code, err = _cli(capsys, command, str(path))
        _one_line(code, err, rf"({where}).*{problem}")


def test_a_whole_float_offset_is_its_number() -> None:
    loaded = load_task(hostile.doccano_offset("5.0"), name="spans.jsonl")
    assert loaded.data.spans[["start", "end"]].values.tolist() == [[0, 5], [0, 5]]


@pytest.mark.parametrize("texts", [True, False], ids=["with texts", "offsets only"])
@pytest.mark.parametrize(("offset", "problem"), [
    (str(2**63), r"a span offset has 19 digits, above the limit"),
    ("9" * 5_000, r"a span offset has 5,000 digits, above the limit"),
])
def test_brat_offsets_above_int64_fail_alike_at_validate_and_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], texts: bool, offset: str, problem: str) -> None:
    for path, text in hostile.brat_files(offset, texts=texts).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    for command in ("validate", "report"):
        code, err = _cli(capsys, command, str(tmp_path))
        _one_line(code, err, r"ann2/doc\.ann line 1: " + problem)


# --- zip members ----------------------------------------------------------------------

BRAT = hostile.brat_files("5")


@pytest.mark.parametrize(("patch", "problem"), [
    ({"flag_bits": 1}, r"the member ann1/doc\.ann is encrypted \(password-protected\)"),
    ({"method": 99}, r"the member ann1/doc\.ann is encrypted"),
    ({"method": 9}, r"the member ann1/doc\.ann is compressed with Deflate64 \(method 9\), which cannot be read"),
    ({"method": 93}, r"compressed with Zstandard \(method 93\)"),
    ({"method": 77}, r"compressed with an unknown method \(method 77\)"),
])
@pytest.mark.parametrize("suffix", [".zip", ".xlsx"])
def test_zip_members_that_cannot_be_read_are_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], patch: dict, problem: str, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_bytes(hostile.zip_with(BRAT, **patch))
    code, err = _cli(capsys, "validate", str(path))
    _one_line(code, err, problem)


def test_a_zip_with_damaged_deflate_data_is_one_line(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(hostile.zip_with({"ann1/doc.txt": "hello world " * 50, "ann1/doc.ann": "T1\tA 0 5\thello\n"}))
    start = data.find(b"ann1/doc.txt") + len("ann1/doc.txt")
    data[start:start + 3] = b"\xff\xff\xff"  # an invalid Deflate block type
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    code, err = _cli(capsys, "validate", str(path))
    _one_line(code, err, r"the zip archive is damaged \(Error -3 while decompressing")


# --- headers and line ends ------------------------------------------------------------


@pytest.mark.parametrize("n_columns", [20_000, 400_000])
def test_a_quoted_line_break_does_not_hide_the_header_width(n_columns: int) -> None:
    data = hostile.quoted_header_csv(n_columns, rows=1)
    with pytest.raises(AnnotationDataError,
                       match=rf"line 1: the header has {n_columns + 1:,} columns, above the limit of 10,000"):
        load_annotations(data, name="wide.csv")


def test_a_wide_table_under_the_limit_reads_every_annotator_column() -> None:
    data = hostile.quoted_header_csv(5_000, rows=3)
    result = load_annotations(data, name="wide.csv")
    assert result.format == "wide"
    # cell (r, i) holds "x" where (i + r) % 50 == 0: 100 columns per row
    assert result.report.judgements == 300 and result.report.annotators == 300
    assert result.report.mapping["item_id"] == "item\nid"


def test_a_classic_mac_csv_reads_every_row() -> None:
    result = load_annotations(hostile.classic_mac_csv(6_000), name="mac.csv")
    assert (result.report.judgements, result.report.items, result.report.annotators) == (6_000, 2_000, 3)
    assert result.report.mapping["timestamp"] == "time"
    assert result.table["timestamp"].notna().all()
    big = load_annotations(hostile.classic_mac_csv(90_000), name="mac.csv")  # the pyarrow path
    assert big.report.judgements == 90_000
