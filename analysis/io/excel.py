"""Excel ``.xlsx`` workbooks, read within fixed memory limits.

``pandas.read_excel`` pads a sheet to its full rectangle: one stray cell at ``XFD1`` and
another at ``A1048576`` make it build 17 billion cells from a 5 KB file. This reader
checks the zip before it inflates anything (total unpacked size, :data:`MAX_UNPACKED_BYTES`),
scans the XML for a single oversized cell (one 400 MB string compresses to 400 KB), then
streams the sheet with openpyxl in read-only mode: rows without a value are skipped, and
the width and the rows x columns of what is kept are checked as they grow
(:data:`MAX_COLUMNS`, :data:`MAX_CELLS`), so nothing is allocated past a limit.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import MAX_CELLS, MAX_COLUMNS, MAX_UNPACKED_BYTES, MAX_XML_TOKEN_BYTES
from analysis.io.archive import check_members

_RESAVE = "save it again as .xlsx from the spreadsheet program, or export CSV"
_CHUNK = 4 << 20
MAX_OTHER_PART_BYTES = 16 << 20
"""Unpacked size allowed for a workbook part other than a sheet or the shared strings
(styles, workbook, relationships): openpyxl parses those whole. Fixed, not configurable."""


def _column_letter(index: int) -> str:
    """1-based column index to its letters.

    Examples
    --------
    >>> _column_letter(1), _column_letter(16384)
    ('A', 'XFD')
    """
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _open_zip(data: bytes, *, file: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise AnnotationDataError(
            f"the workbook cannot be opened ({type(error).__name__}: {error})", file=file,
            fix=_RESAVE,
        ) from None
    check_members(archive.infolist(), file=file, fix=_RESAVE)
    unpacked = sum(info.file_size for info in archive.infolist())
    limit = MAX_UNPACKED_BYTES.value()
    if unpacked > limit:
        raise AnnotationDataError(
            f"the workbook unpacks to {unpacked / 2**20:,.0f} MiB, above the limit of "
            f"{limit / 2**20:,.0f} MiB",
            file=file,
            fix="export the sheet as CSV, delete unused sheets and formatting, or "
            + MAX_UNPACKED_BYTES.raise_hint(),
        )
    return archive


def _scan_xml(stream: io.BufferedIOBase) -> tuple[int, int]:
    """The longest run of bytes between two ``<`` in an XML stream, and its number of
    ``<si`` elements (shared strings); read in chunks, nothing kept."""
    longest, last, offset, strings = 0, 0, 0, 0
    while chunk := stream.read(_CHUNK):
        marks = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<")) + offset
        if len(marks):
            longest = max(longest, int(marks[0]) - last, int(np.diff(marks).max(initial=0)))
            last = int(marks[-1])
        offset += len(chunk)
        longest = max(longest, offset - last)
        strings += chunk.count(b"<si>") + chunk.count(b"<si ")
    return longest, strings


def _is_data_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") or name.endswith("sharedStrings.xml")


def _check_parts(archive: zipfile.ZipFile, *, file: str) -> None:
    """Refuse parts that would take more memory to parse than their use justifies."""
    for info in archive.infolist():
        name = info.filename
        if not name.endswith((".xml", ".rels")):
            continue
        if not _is_data_part(name) and info.file_size > MAX_OTHER_PART_BYTES:
            raise AnnotationDataError(
                f"the workbook part {name} unpacks to {info.file_size / 2**20:,.0f} MiB "
                f"(styles, names and settings are read whole; at most "
                f"{MAX_OTHER_PART_BYTES // 2**20} MiB)",
                file=file, fix=_RESAVE,
            )
        try:
            with archive.open(info) as stream:
                longest, strings = _scan_xml(stream)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError,
                ValueError, zlib.error) as error:
            raise AnnotationDataError(
                f"the workbook part {name} cannot be unpacked ({error})", file=file,
                fix=_RESAVE,
            ) from None
        if longest > MAX_XML_TOKEN_BYTES:
            raise AnnotationDataError(
                f"the workbook part {name} holds a cell or attribute of "
                f"{longest / 2**20:,.1f} MiB (Excel stores at most 32,767 characters per cell)",
                file=file, fix=_RESAVE,
            )
        limit = MAX_CELLS.value()
        if name.endswith("sharedStrings.xml") and strings > limit:
            raise AnnotationDataError(
                f"the workbook holds {strings:,} shared strings, above the limit of "
                f"{limit:,} cells",
                file=file, fix="export the sheet as CSV, or " + MAX_CELLS.raise_hint(),
            )


def _cell(value: Any) -> Any:
    """A cell as pandas' Excel reader gives it: integral floats become ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def _header_names(header: list[Any]) -> list[str]:
    """Column names as pandas makes them: ``Unnamed: i`` for blanks, ``a.1`` for repeats."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(header):
        name = f"Unnamed: {index}" if value is None or str(value).strip() == "" else str(_cell(value))
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _too_wide(width: int, row: int, *, file: str) -> AnnotationDataError:
    limit = MAX_COLUMNS.value()
    return AnnotationDataError(
        f"a cell at {_column_letter(width)}{row} makes the sheet {width:,} columns wide, "
        f"above the limit of {limit:,} columns",
        file=file,
        location=f"row {row}",
        fix="delete the stray cells right of the table (Ctrl+End shows the last used cell), "
        "or " + MAX_COLUMNS.raise_hint(),
    )


def _too_many_cells(rows: int, width: int, row: int, *, file: str) -> AnnotationDataError:
    limit = MAX_CELLS.value()
    return AnnotationDataError(
        f"the sheet holds {rows:,} rows x {width:,} columns by row {row}, above the limit "
        f"of {limit:,} cells",
        file=file,
        location=f"row {row}",
        fix="delete stray cells far from the table, split the sheet, or "
        + MAX_CELLS.raise_hint(),
    )


def _rows(worksheet: Any) -> Iterator[tuple[int, dict[int, Any]]]:
    """``(row number, {column: value})`` of each row holding a value, streamed.

    openpyxl's own row iterator pads every row to the sheet's declared width and keeps
    row formats, merged ranges and every parsed element in memory; this loop hands each
    ``<c>`` to openpyxl's cell parser (types, shared strings, dates) and drops every
    element once read, so memory does not grow with the sheet.
    """
    from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    workbook = worksheet.parent
    parser = WorkSheetParser(
        None, worksheet._shared_strings, data_only=True, epoch=workbook.epoch,
        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
    )
    stack: list[Any] = []
    row_depth = 0
    with worksheet._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if element.tag == ROW_TAG and not row_depth:
                    row_depth = len(stack)
                continue
            depth = len(stack)
            stack.pop()
            if row_depth and depth > row_depth:
                continue  # a cell of the current row: read with its row
            if depth == row_depth:
                row_depth = 0
                number = element.get("r")
                parser.row_counter = int(float(number)) if number else parser.row_counter + 1
                parser.col_counter = 0
                values = {}
                for cell in element:
                    if not len(cell):
                        continue  # <c r=".." s=".."/>: a formatted cell without a value
                    parsed = parser.parse_cell(cell)
                    value = parsed["value"]
                    if value is not None and value != "":
                        values[int(parsed["column"])] = value
                if values:
                    yield parser.row_counter, values
            if stack:
                stack[-1].clear()  # drop this element and its finished siblings


def stream_sheet(worksheet: Any, *, file: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a read-only openpyxl worksheet into a frame of object columns.

    The first row holding a value is the header; rows without a value are skipped.
    Returns the frame and each row's 1-based sheet row number.
    """
    max_columns, max_cells = MAX_COLUMNS.value(), MAX_CELLS.value()
    columns: list[list[Any]] = []
    positions: list[int] = []
    header: dict[int, Any] | None = None
    for number, values in _rows(worksheet):
        width = max(values)
        if width > max_columns:
            raise _too_wide(width, number, file=file)
        if header is None:
            header = values
            columns = [[] for _ in range(width)]
            continue
        n_rows = len(positions) + 1
        if width > len(columns):
            if n_rows * width > max_cells:
                raise _too_many_cells(n_rows, width, number, file=file)
            columns += [[None] * (n_rows - 1) for _ in range(width - len(columns))]
        elif n_rows * len(columns) > max_cells:
            raise _too_many_cells(n_rows, len(columns), number, file=file)
        for index, column in enumerate(columns, start=1):
            column.append(_cell(values.get(index)))
        positions.append(number)
    if header is None:
        return pd.DataFrame(), np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame(
        {index: pd.Series(column, dtype=object) for index, column in enumerate(columns)}
    )
    frame.columns = _header_names([header.get(index) for index in range(1, len(columns) + 1)])
    return frame, np.asarray(positions, dtype=np.int64)


def open_workbook(data: bytes, *, file: str) -> Any:
    """Check the zip against the limits and open it with openpyxl in read-only mode."""
    import openpyxl

    archive = _open_zip(data, file=file)
    _check_parts(archive, file=file)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError,
            IndexError, AttributeError) as error:
        raise workbook_error(error, file=file) from None


def workbook_error(error: BaseException, *, file: str) -> AnnotationDataError:
    """A parser failure inside a workbook as one line (``SyntaxError`` covers
    ``xml.etree``'s ``ParseError``: malformed XML in a part)."""
    what = "malformed XML" if isinstance(error, SyntaxError) else type(error).__name__
    return AnnotationDataError(
        f"the workbook cannot be read ({what}: {' '.join(str(error).split())[:200]})",
        file=file, fix=_RESAVE,
    )
