"""One export as read: its bytes once, its text decoded once, its JSON and its table
parsed at most once, on first use, for every reader that sniffs or reads it."""

from __future__ import annotations

import re
import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypeVar

from analysis.base.errors import AnnotationDataError, MalformedJsonError
from analysis.io.columns import ColumnMapping
from analysis.io.decode import decode_text, sniff_delimiter
from analysis.io.detect import check_format, detect_container
from analysis.io.json_export import ParsedJson, parse_json_export
from analysis.io.label_studio import looks_like_label_studio
from analysis.io.prodigy import looks_like_prodigy
from analysis.io.tabular import RawTable, read_delimited, read_excel, read_parquet, records_table

JSON_FORMATS = (None, "auto", "label-studio", "prodigy", "json", "jsonl")
"""Formats under which a JSON export's parsed records are read as records."""
CONTAINER_FORMATS = ("csv", "excel", "parquet", "json", "jsonl")
SNIFF_LINES = 50  # sniff_delimiter reads the first 50 lines; do not split the whole file
# Errors that malformed content raises in a parser (ours calling a builtin, or a
# third-party one); they become one-line AnnotationDataErrors instead of tracebacks.
PARSER_ERRORS = (ValueError, OverflowError, UnicodeError, RecursionError)
# Errors that mean a programming mistake when our own code raises them, and malformed
# content only when a third-party parser (pandas, openpyxl, pyarrow) raises them.
THIRD_PARTY_ERRORS = (TypeError, KeyError, IndexError, AttributeError)
_LIBRARY_DIRS = tuple(
    str(Path(path).resolve())
    for path in {sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib", "platstdlib")}
)
_LINE_BREAK = re.compile(r"\r\n?|\n")
T = TypeVar("T")


@dataclass(frozen=True)
class LoadOptions:
    """What the caller asked for: the task, the format and how to read the columns.

    Attributes
    ----------
    task : {"single_label", "multi_label", "spans"} or None
        The task asked for; None leaves it to detection.
    question : str or None
        Label Studio control (``from_name``) to analyse.
    label_sep : str or None
        Separator of several labels in one cell.
    format, mapping, encoding, delimiter, sheet, label_merges
        As for :func:`analysis.io.load_annotations` (``format`` as given, ``"auto"`` too).
    texts : mapping or None
        Item id -> text for span exports that keep only offsets.
    """

    task: str | None = None
    question: str | None = None
    label_sep: str | None = None
    format: str | None = None
    mapping: ColumnMapping | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    label_merges: Mapping[str, str] | None = None
    texts: Mapping[str, str] | None = None


def raised_by_third_party(error: BaseException) -> bool:
    """Whether ``error`` was raised inside an installed or compiled library.

    The innermost frame decides: a file of the standard library or site-packages, or a
    compiled module (Cython frames carry a relative ``.pyx``/``.pxi`` name).
    """
    tb = error.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename
    if not Path(filename).is_absolute():
        return True
    return str(Path(filename).resolve()).startswith(_LIBRARY_DIRS)


def unreadable(error: Exception, *, file: str, format: str | None) -> AnnotationDataError:
    """The one-line error for content a parser refused; re-raises a bug of this package."""
    if isinstance(error, THIRD_PARTY_ERRORS) and not isinstance(error, PARSER_ERRORS) \
            and not raised_by_third_party(error):
        raise error  # a bug in this package: let it surface instead of blaming the file
    return AnnotationDataError(
        f"the file cannot be read as {format or 'any supported format'} "
        f"({type(error).__name__}: {' '.join(str(error).split())[:200]})",
        file=file,
        fix="check the export, or name the format with {input_format}",
    )


def head(text: str, n_lines: int) -> str:
    r"""The text up to its ``n_lines``-th line break (the whole text when it has fewer);
    a bare carriage return (classic Mac line ends) counts as one.

    Examples
    --------
    >>> head("a\nb\nc\n", 2), head("a\rb\rc\r", 2)
    ('a\nb', 'a\rb')
    """
    breaks = _LINE_BREAK.finditer(text)
    for _ in range(n_lines):
        found = next(breaks, None)
        if found is None:
            return text
    return text[:found.start()]


@dataclass(frozen=True, eq=False)
class Table:
    """An export parsed as a table, with how its container was read (for the report).

    Attributes
    ----------
    raw : RawTable or None
        The cells as read, before any column is mapped; None for Label Studio and
        Prodigy records, which their own readers map.
    container : str
        ``"csv"``, ``"excel"``, ``"parquet"``, ``"json"`` or ``"jsonl"``.
    encoding, delimiter, sheet : str or None
        What the container's reader used.
    """

    raw: RawTable | None
    container: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    json: ParsedJson | None = None


def no_rows(file: str, container: str) -> AnnotationDataError:
    """The error for an export whose table or records hold no judgement."""
    return AnnotationDataError(
        "the file has a header but no rows" if container in ("csv", "excel", "parquet")
        else "the file holds no records",
        file=file,
        location="line 2" if container == "csv" else None,
        fix="export the annotations again, with the judgements",
    )


class Parsed:
    """One export, read once; every reader's sniff and read works from it.

    The text, the JSON and the table are computed on first use and kept, failures
    included (a failure is raised again to the reader that needs the value).

    Parameters
    ----------
    data : bytes
        The export's bytes (empty for a folder).
    file : str
        Its name, for messages and extension hints.
    options : LoadOptions
        What the caller asked for.
    folder : Path, optional
        The folder, when the source is one (brat, spans by annotator).
    json : ParsedJson, optional
        The records when the caller parsed them already.

    Examples
    --------
    >>> parsed = Parsed(b'[{"item": 1}]', file="x.json", options=LoadOptions())
    >>> parsed.json().records, parsed.json() is parsed.json()
    ([{'item': 1}], True)
    """

    def __init__(self, data: bytes, *, file: str, options: LoadOptions,
                 folder: Path | None = None, json: ParsedJson | None = None) -> None:
        self.data = data
        self.file = file
        self.options = options
        self.folder = folder
        self.suffix = PurePath(file).suffix.casefold()
        self.given_json = json
        self._memo: dict[str, tuple[Any, BaseException | None]] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked, its value (or error) after."""
        if key not in self._memo:
            try:
                self._memo[key] = (compute(), None)
            except AnnotationDataError as error:
                self._memo[key] = (None, error)
        value, error = self._memo[key]
        if error is not None:
            raise error
        return value  # type: ignore[no-any-return]

    @property
    def format(self) -> str | None:
        """The format asked for, checked (``"auto"`` is None)."""
        return self.memo("format", lambda: check_format(self.options.format, file=self.file))

    def text(self) -> tuple[str, str]:
        """The decoded text and the encoding used."""
        return self.memo("text", lambda: decode_text(self.data, file=self.file,
                                                     encoding=self.options.encoding))

    def json_export(self) -> ParsedJson:
        """The export parsed as JSON or JSON lines; raises when it is neither."""
        if self.given_json is not None:
            return self.given_json

        def parse() -> ParsedJson:
            text, used = self.text()
            return parse_json_export(text, file=self.file, encoding=used,
                                     format="jsonl" if self.options.format == "jsonl" else None)
        return self.memo("json", parse)

    def json(self) -> ParsedJson | None:
        """The records when the export opens like JSON and parses as records, else None."""
        if self.given_json is not None:
            return self.given_json
        start = self.data[:64].lstrip()
        if start[:3] == b"\xef\xbb\xbf":
            start = start[3:].lstrip()
        if start[:1] not in (b"[", b"{") or self.text()[0].lstrip()[:1] not in ("[", "{"):
            return None
        try:
            return self.json_export()
        except AnnotationDataError:
            return None

    def records(self) -> list[Any]:
        """The JSON records that record readers read (none when not JSON, or another
        format was asked for)."""
        if self.options.format not in JSON_FORMATS:
            return []
        found = self.json()
        return found.records if found is not None else []

    def table(self) -> Table:
        """The export as a table (CSV/TSV, Excel, Parquet, JSON records), parsed once.

        Raises
        ------
        AnnotationDataError
            The container cannot be read (parser failures named in one line).
        """
        return self.memo("table", self._read_table)

    def _read_table(self) -> Table:
        try:
            return self._table()
        except AnnotationDataError:
            raise
        except PARSER_ERRORS + THIRD_PARTY_ERRORS as error:
            raise unreadable(error, file=self.file, format=self.format) from None

    def _table(self) -> Table:
        file, format = self.file, self.format
        if self.options.format in (*JSON_FORMATS, "wide") and (found := self.json()) is not None:
            return self._records_table(found)
        container = detect_container(self.data, file=file, format=format)
        if container == "excel":
            raw = read_excel(self.data, file=file, sheet=self.options.sheet)
            return Table(raw, "excel", sheet=raw.sheet)
        if container == "parquet":
            return Table(read_parquet(self.data, file=file), "parquet")
        text, used = self.text()
        if not text.strip():
            raise AnnotationDataError("the file holds only whitespace", file=file,
                                      fix="export the annotations again")
        json_name = self.suffix in (".json", ".jsonl", ".ndjson")
        if format in ("json", "jsonl", "label-studio", "prodigy") or (
                format in (None, "wide") and (json_name or text.lstrip()[:1] in ("[", "{"))):
            try:
                return self._records_table(self.json_export())
            except MalformedJsonError:
                # A delimited file whose first header cell starts with a bracket.
                if format is not None or json_name:
                    raise
        delimiter = self.options.delimiter or sniff_delimiter(head(text, SNIFF_LINES))
        raw = read_delimited(text, file=file, delimiter=delimiter, encoding=used)
        return Table(raw, "csv", used, delimiter)

    def _records_table(self, parsed: ParsedJson) -> Table:
        if not parsed.records:
            raise no_rows(self.file, parsed.container)
        format, first = self.format, parsed.records[0]
        if format in ("label-studio", "prodigy") or (format is None and (
                looks_like_label_studio(first) or looks_like_prodigy(first))):
            return Table(None, parsed.container, parsed.encoding, json=parsed)
        raw = records_table(parsed.records, parsed.positions, file=self.file, unit=parsed.unit,
                            container=parsed.container)
        return Table(raw, parsed.container, parsed.encoding, json=parsed)
