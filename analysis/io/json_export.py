"""A JSON or JSONL export parsed once: the records every reader of JSON works from.

:func:`parse_json_export` turns the text into :class:`ParsedJson` (records, their line or
record numbers, the container); :func:`analysis.io.load_task.load_task` and :func:`analysis.io.load_annotations` accept it
(``parsed=``), so the dashboard parses an upload once for every read of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import analysis.io.json_guard as json_guard
import analysis.io.tabular as tabular
from analysis.base.errors import AnnotationDataError, MalformedJsonError
from analysis.io.decode import decode_text
from analysis.io.label_studio import looks_like_label_studio
from analysis.io.prodigy import looks_like_prodigy


@dataclass(frozen=True, eq=False)
class ParsedJson:
    """The records of a JSON or JSONL export, parsed once (never modified by readers).

    Attributes
    ----------
    records : list
        One entry per task, answer or row.
    positions : list of int
        Record numbers (JSON) or line numbers (JSONL), for messages.
    container : {"json", "jsonl"}
    unit : {"record", "line"}
        What a position counts.
    encoding : str or None
        The text encoding the bytes were decoded with.
    """

    records: list[Any]
    positions: list[int]
    container: str
    unit: str
    encoding: str | None = None

    def with_records(self, records: Sequence[Any]) -> ParsedJson:
        """The same export with its records replaced one for one (e.g. restricted)."""
        return replace(self, records=list(records))


def parse_json_export(text: str, *, file: str, format: str | None = None,
                      encoding: str | None = None) -> ParsedJson:
    """Parse a JSON document (a list of records, one Label Studio task or Prodigy answer, or
    an object holding a list) or JSON lines.

    Raises
    ------
    AnnotationDataError
        Malformed JSON (line and column named), or a document that holds no records.

    Examples
    --------
    >>> parse_json_export('[{"a": 1}, {"a": 2}]', file="x.json").positions
    [1, 2]
    >>> parse_json_export('{"a": 1}\\n\\n{"a": 2}\\n', file="x.jsonl").positions
    [1, 3]
    """
    if format == "jsonl":
        records, positions = tabular.parse_json_lines(text, file=file)
        return ParsedJson(records, positions, "jsonl", "line", encoding)
    try:
        document = tabular.parse_json_document(text, file=file)
    except MalformedJsonError as whole:
        first = next(line for line in text.splitlines() if line.strip())
        try:
            json_guard.loads(first, file=file, where="line 1")  # one line only: is this JSONL?
        except (json.JSONDecodeError, AnnotationDataError):
            raise whole from None
        records, positions = tabular.parse_json_lines(text, file=file)
        return ParsedJson(records, positions, "jsonl", "line", encoding)
    single = looks_like_label_studio(document) or looks_like_prodigy(document)
    records = [document] if single else tabular.json_records(document, file=file)
    return ParsedJson(records, list(range(1, len(records) + 1)), "json", "record", encoding)


def read_json_export(data: bytes, *, file: str, format: str | None = None,
                     encoding: str | None = None) -> ParsedJson | None:
    """:func:`parse_json_export` of an export's bytes, or None when they are not JSON
    (they do not open with ``[`` or ``{``, or do not parse as records)."""
    head = data[:64].lstrip()
    if head[:3] == b"\xef\xbb\xbf":
        head = head[3:].lstrip()
    if head[:1] not in (b"[", b"{"):
        return None
    text, used = decode_text(data, file=file, encoding=encoding)
    if text.lstrip()[:1] not in ("[", "{"):
        return None
    try:
        return parse_json_export(text, file=file, format=format, encoding=used)
    except AnnotationDataError:
        return None
