"""Containers of tables: delimited text, Excel, Parquet, JSON arrays and JSONL records.

Each reader returns a :class:`RawTable`: the source columns as they are, plus where each
row came from (line, row or record number) so later messages can point at it. Every
parser failure becomes an :class:`~analysis.base.errors.AnnotationDataError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

import analysis.io.json_guard as json_guard
from analysis.base.errors import AnnotationDataError, MalformedJsonError
from analysis.base.limits import MAX_CELLS, MAX_COLUMNS, MAX_UNPACKED_BYTES
from analysis.io.excel import open_workbook, stream_sheet, workbook_error
from analysis.messages import note

EXPORT_HINT = "export the annotations again as CSV, Excel, Parquet, JSON or JSONL"

_RAGGED_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")

PYARROW_MIN_CHARS = 1_000_000
"""Delimited text this long or longer is parsed by pyarrow's multithreaded reader first;
shorter text goes to the pandas C parser, which reads it 2-3x faster (pyarrow's first call
also starts its thread pool: 0.05 s against 0.02 s for the 260 KB bundled sample)."""


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
    warnings: tuple[str, ...] = ()
    """What the reader changed in cells (e.g. bytes that were not UTF-8), for the report."""

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


def _check_header_width(text: str, *, file: str, delimiter: str) -> None:
    """Refuse a header wider than :data:`MAX_COLUMNS` before pandas builds the columns
    (a million-column header took minutes and gigabytes).

    The width is that of the header as parsed, the first record: a quoted line break in
    its first cell does not hide the rest of it, and a file whose lines end in a bare
    carriage return (classic Mac) is not read as one long line.
    """
    limit = MAX_COLUMNS.value()
    if text.count(delimiter) < limit:  # the whole text cannot make a header that wide
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        width = len(next(reader, []))
    except csv.Error:
        width = text[:text.find("\n") if "\n" in text else len(text)].count(delimiter) + 1
    if width > limit:
        raise AnnotationDataError(
            f"the header has {width:,} columns, above the limit of {limit:,}",
            file=file, location="line 1",
            fix="check the delimiter ({delimiter}) and that line 1 is the header, or "
            + MAX_COLUMNS.raise_hint(),
        )


def _extra_fields_error(text: str, *, file: str, delimiter: str) -> AnnotationDataError:
    """The first line with more fields than the header (pandas would take the extra
    leading fields as an index and shift every column)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    width = len(next(reader, []))
    for row in reader:
        if len(row) > width and any(field.strip() for field in row[width:]):
            return AnnotationDataError(
                f"line {reader.line_num} has {len(row)} fields but the header has {width} "
                "(it would shift every column)",
                file=file, location=f"line {reader.line_num}",
                fix="remove the extra fields on that line, quote a field that contains the "
                "delimiter, or add the missing column names to the header",
            )
    return AnnotationDataError(
        f"some lines have more fields than the header's {width}", file=file,
        fix="remove the extra fields, or add the missing column names to the header",
    )


def read_delimited(text: str, *, file: str, delimiter: str, encoding: str) -> RawTable:
    """Read delimited text (CSV, TSV, ...) with every cell as a string.

    A line with more fields than the header is an error naming the line (never an
    index that shifts the columns); an empty trailing field on every line (a trailing
    delimiter) is ignored.
    """
    _check_header_width(text, file=file, delimiter=delimiter)
    fast = _read_delimited_fast(text, delimiter) if len(text) >= PYARROW_MIN_CHARS else None
    if fast is not None:
        return RawTable(fast, _header_positions(len(fast)), "line", "csv", encoding, delimiter)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=True,
                index_col=False,
            )
    except pd.errors.EmptyDataError:
        raise AnnotationDataError(
            "the file holds no header and no rows", file=file, fix=EXPORT_HINT
        ) from None
    except pd.errors.ParserWarning:
        raise _extra_fields_error(text, file=file, delimiter=delimiter) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as error:
        reason = " ".join(str(error).split())
        ragged = _RAGGED_LINE.search(reason)
        if ragged:  # the C parser's wording, in the loader's
            width, line, seen = (int(group) for group in ragged.groups())
            raise AnnotationDataError(
                f"{seen} fields where the header has {width}",
                file=file, location=f"line {line}",
                fix="quote a field that contains the delimiter, remove the extra fields on that "
                "line, or pass the delimiter with {delimiter}",
            ) from None
        raise AnnotationDataError(
            f"the delimited text cannot be parsed with delimiter {delimiter!r} ({reason})",
            file=file,
            fix="check the quoting on that line, or pass the delimiter with {delimiter}",
        ) from None
    return RawTable(frame, _header_positions(len(frame)), "line", "csv", encoding, delimiter)


def read_excel(data: bytes, *, file: str, sheet: str | int | None) -> RawTable:
    """Read one sheet of an .xlsx workbook; ``sheet`` is a name or 0-based index.

    Streams the sheet within the limits of :mod:`analysis.base.limits` (see
    :mod:`analysis.io.excel`); rows without a value are skipped, positions are the
    sheet's own row numbers.
    """
    workbook = open_workbook(data, file=file)
    try:
        names = [str(name) for name in workbook.sheetnames]
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
                    f"sheet index {chosen} is out of range; the workbook has {len(names)} "
                    "sheet(s)",
                    file=file,
                    fix="pass a 0-based index below the number of sheets with {sheet}",
                )
            chosen = names[chosen]
        worksheet = workbook[chosen]
        if not hasattr(worksheet, "_shared_strings"):
            raise AnnotationDataError(
                f"sheet {chosen!r} is a chart, not a table", file=file,
                fix="pick the sheet that holds the annotations with {sheet}",
            )
        try:
            frame, positions = stream_sheet(worksheet, file=file)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, OSError,
                IndexError, AttributeError, OverflowError) as error:
            if isinstance(error, AnnotationDataError):
                raise
            raise workbook_error(error, file=file) from None
    finally:
        workbook.close()
    return RawTable(frame, positions, "row", "excel", sheet=chosen)


def _parquet_limits(handle: Any, *, file: str) -> list[str]:
    """Check a Parquet file's metadata against the limits; return its text columns.

    Pages can compress a column a thousandfold (a run of one value), so the rows x
    columns and the unpacked size are checked from the footer, before any page is read.
    """
    import pyarrow as pa

    metadata = handle.metadata
    rows, width = int(metadata.num_rows), len(handle.schema_arrow)
    if width > MAX_COLUMNS.value():
        raise AnnotationDataError(
            f"the Parquet file has {width:,} columns, above the limit of "
            f"{MAX_COLUMNS.value():,}", file=file, fix=MAX_COLUMNS.raise_hint(),
        )
    if rows * width > MAX_CELLS.value():
        raise AnnotationDataError(
            f"the Parquet file holds {rows:,} rows x {width:,} columns, above the limit of "
            f"{MAX_CELLS.value():,} cells",
            file=file, fix="split the file, or " + MAX_CELLS.raise_hint(),
        )
    unpacked = sum(int(metadata.row_group(i).total_byte_size)
                   for i in range(metadata.num_row_groups))
    if unpacked > MAX_UNPACKED_BYTES.value():
        raise _unpacked_error(unpacked, file=file)
    return [field.name for field in handle.schema_arrow
            if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
            or pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type)]


def _unpacked_error(size: int, *, file: str) -> AnnotationDataError:
    limit = MAX_UNPACKED_BYTES.value()
    return AnnotationDataError(
        f"the Parquet file unpacks to {size / 2**20:,.0f} MiB, above the limit of "
        f"{limit / 2**20:,.0f} MiB",
        file=file, fix="split the file, or " + MAX_UNPACKED_BYTES.raise_hint(),
    )


def _decoded_size(table: Any) -> int:
    """Bytes the table's columns take once dictionary-encoded text is expanded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for column in table.columns:
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                lengths = pc.binary_length(chunk.dictionary).fill_null(0).to_numpy(
                    zero_copy_only=False)
                indices = chunk.indices.fill_null(0).to_numpy(zero_copy_only=False)
                total += int(lengths[indices].sum()) if len(lengths) else 0
            else:
                total += chunk.nbytes
    return total


def read_parquet(data: bytes, *, file: str) -> RawTable:
    """Read a Parquet file (columns keep their types), within the limits."""
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise AnnotationDataError(
            "reading Parquet needs the pyarrow package", file=file, fix="pip install pyarrow"
        ) from None
    try:
        handle = pq.ParquetFile(io.BytesIO(data))
        text_columns = _parquet_limits(handle, file=file)
        # Text is read dictionary-encoded, so its expanded size is known before it exists.
        table = pq.read_table(io.BytesIO(data), read_dictionary=text_columns)
        if _decoded_size(table) > MAX_UNPACKED_BYTES.value():
            raise _unpacked_error(_decoded_size(table), file=file)
        table = table.cast(pyarrow.schema([
            field.with_type(field.type.value_type) if pyarrow.types.is_dictionary(field.type)
            else field for field in table.schema
        ], metadata=table.schema.metadata))
        frame = table.to_pandas()
        warnings = _parquet_cells(frame, table.schema)
    except AnnotationDataError:
        raise
    except (OSError, ValueError, TypeError, pyarrow.ArrowException) as error:
        raise AnnotationDataError(
            f"the Parquet file cannot be read ({error})", file=file, fix=EXPORT_HINT
        ) from None
    frame = frame.reset_index(drop=frame.index.name is None)
    return RawTable(frame, _header_positions(len(frame)) - 1, "row", "parquet",
                    warnings=tuple(warnings))


def _parquet_cells(frame: pd.DataFrame, schema: Any) -> list[str]:
    """Cells of list and binary columns as the loaders read them, in place: a
    ``list<string>`` cell becomes a Python list of labels (not the text of a NumPy array),
    binary becomes text, with a warning where the bytes are not UTF-8."""
    import pyarrow as pa

    warnings = []
    for field in schema:
        if field.name not in frame.columns:
            continue
        kind = field.type
        if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
            frame[field.name] = frame[field.name].map(
                lambda cell: list(cell) if isinstance(cell, np.ndarray | list) else cell)
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            codes, uniques = pd.factorize(frame[field.name], use_na_sentinel=True)
            texts, bad = [], 0
            for value in uniques:
                try:
                    texts.append(bytes(value).decode("utf-8"))
                except UnicodeDecodeError:
                    texts.append(bytes(value).decode("utf-8", errors="replace"))
                    bad += int((codes == len(texts) - 1).sum())
            frame[field.name] = pd.Series(np.array([*texts, None], dtype=object)[codes],
                                          index=frame.index, dtype=object)
            if bad:
                warnings.append(note("load.binary_not_utf8", count=bad, column=field.name))
    return warnings


def parse_json_document(text: str, *, file: str) -> Any:
    """Parse a whole JSON document; errors name the line, column and parser reason."""
    try:
        return json_guard.loads(text, file=file)
    except json.JSONDecodeError as error:
        raise MalformedJsonError(
            f"malformed JSON ({error.msg})",
            file=file,
            location=f"line {error.lineno}, column {error.colno}",
            fix="repair the file or export it again",
        ) from None


def parse_json_lines(text: str, *, file: str) -> tuple[list[Any], list[int]]:
    """Parse JSONL: one JSON value per non-blank line; returns values and line numbers."""
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                if line.strip()]
    try:  # one parser call for the whole file; line by line only to locate an error
        records = json_guard.loads("[" + ",".join(line for _, line in numbered) + "]", file=file)
        if len(records) == len(numbered):
            return records, [number for number, _ in numbered]
    except (json.JSONDecodeError, AnnotationDataError):
        pass  # found again below, on its own line
    records = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json_guard.loads(line, file=file, where=f"line {number}"))
        except json.JSONDecodeError as error:
            raise MalformedJsonError(
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
    """Turn a list of JSON objects into a :class:`RawTable`.

    The union of the records' field names is the table's header: it is checked against
    :data:`MAX_COLUMNS`, and records x fields against :data:`MAX_CELLS`, before the
    table is built (records with a thousand distinct keys each would make a square).
    """
    fields: dict[str, None] = {}
    max_columns = MAX_COLUMNS.value()
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, dict):
            raise AnnotationDataError(
                f"expected a JSON object with named fields, found {type(record).__name__}",
                file=file,
                location=f"{unit} {position}",
                fix="export one object per judgement (e.g. item, annotator, label)",
            )
        fields.update(dict.fromkeys(record))
        if len(fields) > max_columns:
            raise AnnotationDataError(
                f"the records name more than {max_columns:,} distinct fields",
                file=file, location=f"{unit} {position}",
                fix="export one object per judgement with the same fields, or "
                + MAX_COLUMNS.raise_hint(),
            )
    cells = len(records) * len(fields)
    if cells > MAX_CELLS.value():
        raise AnnotationDataError(
            f"{len(records):,} records x {len(fields):,} distinct fields make {cells:,} cells, "
            f"above the limit of {MAX_CELLS.value():,}",
            file=file, fix="split the file, or " + MAX_CELLS.raise_hint(),
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
