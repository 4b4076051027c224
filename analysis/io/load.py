"""``load_annotations``: any supported single-label export in, the canonical table and its
report out; the single-label reader of :mod:`analysis.io.readers` reads it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import BinaryIO

from analysis.data.loaded import LoadResult
from analysis.io.columns import ColumnMapping
from analysis.io.decode import read_source
from analysis.io.json_export import ParsedJson
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.single_label import read_single


def load_annotations(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    format: str | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    label_merges: Mapping[str, str] | None = None,
    parsed: ParsedJson | None = None,
) -> LoadResult:
    """Read a multi-annotator label export into the canonical table, with a report.

    Parameters
    ----------
    source : path, bytes or binary file-like
        The export; for an upload pass its bytes and ``name``.
    name : str, optional
        File name for messages and extension hints (defaults to the path).
    format : str, optional
        One of ``FORMATS`` (or ``"auto"``); detected when not given.
    mapping : ColumnMapping, optional
        Source column names that override detection.
    encoding : str, optional
        Text encoding; by default UTF-16 (BOM), UTF-8 (BOM), UTF-8, CP949 are tried.
    delimiter : str, optional
        Delimiter of delimited text; sniffed among ``, ; TAB |`` by default.
    sheet : str or int, optional
        Excel sheet name or 0-based index; the first sheet by default.
    label_merges : mapping, optional
        ``{variant: target}`` label renames, e.g. the merges the report offered.
    parsed : ParsedJson, optional
        The records of this JSON/JSONL export when a caller has parsed them already
        (:func:`analysis.io.json_export.parse_json_export`); they are read instead of
        parsing ``source`` again.

    Returns
    -------
    LoadResult

    Raises
    ------
    AnnotationDataError
        For any file that cannot be read as annotations; the message names the file,
        the place, the problem and the fix.

    Examples
    --------
    >>> csv = "item,annotator,label\\n1,ann,Pos\\n1,bob,pos\\n2,ann,neg\\n".encode()
    >>> result = load_annotations(csv, name="labels.csv")
    >>> result.format, result.report.judgements, result.report.items
    ('csv', 3, 2)
    >>> result.report.label_variants[0].merges()
    {'Pos': 'pos'}
    >>> load_annotations(csv, name="labels.csv", label_merges={"Pos": "pos"}).report.labels
    ('pos', 'neg')
    """
    data, file = read_source(source, name=name)
    options = LoadOptions(format=format, mapping=mapping, encoding=encoding, delimiter=delimiter,
                          sheet=sheet, label_merges=label_merges)
    return read_single(Parsed(data, file=file, options=options, json=parsed), mapping=mapping)
