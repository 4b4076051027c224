"""CSV exports cannot smuggle spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.io.export import neutralise_formulas, safe_csv, write_safe_csv

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("cell", DANGEROUS, ids=["eq", "plus", "minus", "at", "tab", "cr", "hyperlink"])
def test_formula_cells_are_prefixed_with_a_quote(cell: str) -> None:
    frame = pd.DataFrame({"note": [cell, "fine"], "item_id": ["a", "b"]})
    rows = list(csv.reader(io.StringIO(safe_csv(frame), newline="")))
    assert rows[1][0] == "'" + cell
    assert rows[2] == ["fine", "b"]


def test_numbers_missing_values_and_safe_text_are_unchanged() -> None:
    frame = pd.DataFrame(
        {"score": [-0.5, 1.0], "count": [-3, 4], "label": pd.Series(["긍정", pd.NA], dtype="string"),
         "note": ["a=b", "x-y"]}
    )  # fmt: skip
    assert safe_csv(frame) == frame.to_csv(index=False, lineterminator="\r\n")
    assert neutralise_formulas(frame)["score"].dtype == frame["score"].dtype


def test_column_names_are_neutralised_too_and_the_input_is_untouched() -> None:
    frame = pd.DataFrame({"=evil": ["@x"]})
    assert safe_csv(frame).splitlines() == ["'=evil", "'@x"]
    assert frame.columns.tolist() == ["=evil"] and frame.iloc[0, 0] == "@x"


def test_line_breaks_inside_cells_stay_inside_one_quoted_cell() -> None:
    frame = pd.DataFrame({"note": ["a\rb", "c\nd"], "item_id": ["x", "y"]})
    rows = list(csv.reader(io.StringIO(safe_csv(frame), newline="")))
    assert rows == [["note", "item_id"], ["a\rb", "x"], ["c\nd", "y"]]


def test_written_file_reads_back_as_the_same_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"item_id": ["n1", "n2"], "note": ["=cmd", "한국어, \"quoted\"\nnew line"]})
    path = write_safe_csv(frame, tmp_path / "gold.csv")
    back = pd.read_csv(path, dtype="string")
    assert back["note"].tolist() == ["'=cmd", "한국어, \"quoted\"\nnew line"]
