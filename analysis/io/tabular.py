"""Containers of tables: delimited text, Excel, Parquet, JSON arrays and JSONL records.

Each reader returns a :class:`RawTable`: the source columns as they are, plus where each
row came from (line, row or record number) so later messages can point at it. Every
parser failure becomes an :class:`~analysis.errors.AnnotationDataError`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import AnnotationDataError

EXPORT_HINT = "export the annotations again as CSV, Excel, Parquet, JSON or JSONL"


@dataclass(frozen=True, eq=False)
class RawTable:
    """A source table before mapping: columns as found, rows as in the file.

    Attributes
    ----------
    frame : DataFrame
        The source columns, unchanged.
    positions : ndarray of int, shape (n_rows,)
        Where each row came from, counted in ``unit`` (1-based, header included).
    unit : str
        ``"line"``, ``"row"`` or ``"record"``.
    container : str
        ``"csv"``, ``"excel"``, ``"parquet"``, ``"json"`` or ``"jsonl"``.
    """

    frame: pd.DataFrame
    positions: npt.NDArray[np.int64]
    unit: str
    container: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def where(self, index: int) -> str:
        """Human location of row ``index`` (0-based position in ``frame``)."""
        return f"{self.unit} {int(self.positions[index])}"


def _header_positions(n_rows: int) -> npt.NDArray[np.int64]:
    return np.arange(2, n_rows + 2, dtype=np.int64)


def _read_delimited_fast(text: str, delimiter: str) -> pd.DataFrame | None:
    """Parse well-formed delimited text with pyarrow's multithreaded reader.

    Returns ``None`` for anything it rejects (ragged rows, odd quoting), and for
    quoted line breaks (pyarrow also accepts an unterminated quote that runs to the end
    of the file); the pandas C parser then reads the text as before and words any error.
    """
    try:
        frame = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            engine="pyarrow",
        )
    except (ValueError, TypeError, UnicodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if '"' in text:
        for column in frame.columns:
            if frame[column].str.contains("[\r\n]", regex=True).fillna(False).any():
                return None
    return frame


def read_delimited(text: str, *, file: str, delimiter: str, encoding: str) -> RawTable:
    """Read delimited text (CSV, TSV, ...) with every cell as a string."""
    fast = _read_delimited_fast(text, delimiter)
    if fast is not None:
        return RawTable(fast, _header_positions(len(fast)), "line", "csv", encoding, delimiter)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        raise AnnotationDataError(
            "the file holds no header and no rows", file=file, fix=EXPORT_HINT
        ) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as error:
        reason = " ".join(str(error).split())
        raise AnnotationDataError(
            f"the delimited text cannot be parsed with delimiter {delimiter!r} ({reason})",
            file=file,
            fix="check the quoting on that line, or pass the delimiter with {delimiter}",
        ) from None
    return RawTable(frame, _header_positions(len(frame)), "line", "csv", encoding, delimiter)


def read_excel(data: bytes, *, file: str, sheet: str | int | None) -> RawTable:
    """Read one sheet of an .xlsx workbook; ``sheet`` is a name or 0-based index."""
    try:
        workbook = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise AnnotationDataError(
            f"the workbook cannot be opened ({type(error).__name__}: {error})",
            file=file,
            fix="save it again as .xlsx from the spreadsheet program, or export CSV",
        ) from None
    names = [str(name) for name in workbook.sheet_names]
    chosen: str | int = 0 if sheet is None else sheet
    if isinstance(chosen, str) and chosen not in names:
        if chosen.strip().isdigit():
            chosen = int(chosen)
        else:
            raise AnnotationDataError(
                f"there is no sheet {chosen!r}; sheets: {', '.join(names)}",
                file=file,
                fix="pass one of those names (or a 0-based index) with {sheet}",
            )
    if isinstance(chosen, int):
        if not 0 <= chosen < len(names):
            raise AnnotationDataError(
                f"sheet index {chosen} is out of range; the workbook has {len(names)} sheet(s)",
                file=file,
                fix="pass a 0-based index below the number of sheets with {sheet}",
            )
        chosen = names[chosen]
    try:
        frame = pd.read_excel(workbook, sheet_name=chosen, dtype=object)
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise AnnotationDataError(
            f"sheet {chosen!r} cannot be read ({error})",
            file=file,
            fix="save it again as .xlsx from the spreadsheet program, or export CSV",
        ) from None
    frame = frame.dropna(how="all")
    positions = frame.index.to_numpy(dtype=np.int64) + 2
    frame = frame.reset_index(drop=True)
    return RawTable(frame, positions, "row", "excel", sheet=chosen)


def read_parquet(data: bytes, *, file: str) -> RawTable:
    """Read a Parquet file (columns keep their types)."""
    try:
        import pyarrow
    except ImportError:
        raise AnnotationDataError(
            "reading Parquet needs the pyarrow package", file=file, fix="pip install pyarrow"
        ) from None
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, TypeError, pyarrow.ArrowException) as error:
        raise AnnotationDataError(
            f"the Parquet file cannot be read ({error})", file=file, fix=EXPORT_HINT
        ) from None
    frame = frame.reset_index(drop=frame.index.name is None)
    return RawTable(frame, _header_positions(len(frame)) - 1, "row", "parquet")


def parse_json_document(text: str, *, file: str) -> Any:
    """Parse a whole JSON document; errors name the line, column and parser reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise AnnotationDataError(
            f"malformed JSON ({error.msg})",
            file=file,
            location=f"line {error.lineno}, column {error.colno}",
            fix="repair the file or export it again",
        ) from None
    except RecursionError:
        raise AnnotationDataError(
            "the JSON is nested too deeply", file=file, fix="export it again"
        ) from None


def parse_json_lines(text: str, *, file: str) -> tuple[list[Any], list[int]]:
    """Parse JSONL: one JSON value per non-blank line; returns values and line numbers."""
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                if line.strip()]
    try:  # one parser call for the whole file; line by line only to locate an error
        records = json.loads("[" + ",".join(line for _, line in numbered) + "]")
        if len(records) == len(numbered):
            return records, [number for number, _ in numbered]
    except (json.JSONDecodeError, RecursionError):
        pass
    records = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise AnnotationDataError(
                f"malformed JSON line ({error.msg} at column {error.colno})",
                file=file,
                location=f"line {number}",
                fix="repair or delete that line",
            ) from None
        lines.append(number)
    return records, lines


def records_table(
    records: list[Any], positions: list[int], *, file: str, unit: str, container: str
) -> RawTable:
    """Turn a list of JSON objects into a :class:`RawTable`."""
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, dict):
            raise AnnotationDataError(
                f"expected a JSON object with named fields, found {type(record).__name__}",
                file=file,
                location=f"{unit} {position}",
                fix="export one object per judgement (e.g. item, annotator, label)",
            )
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    return RawTable(frame, np.asarray(positions, dtype=np.int64), unit, container)


def json_records(document: Any, *, file: str) -> list[Any]:
    """The list of records of a JSON document: a top-level array, or the one array
    held by a top-level object (e.g. ``{"annotations": [...]}``)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        arrays = [value for value in document.values() if isinstance(value, list)]
        if len(arrays) == 1:
            return arrays[0]
        return [document]
    raise AnnotationDataError(
        f"expected a JSON array of records, found {type(document).__name__}",
        file=file,
        location="line 1",
        fix="export an array of objects, one per judgement",
    )
