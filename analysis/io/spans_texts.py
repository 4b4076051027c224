"""Companion texts for span exports that keep only offsets (crowd research exports).

A texts file holds one document per record or row: an id and its text. JSON (a list of
records), JSON lines, or a delimited table (CSV/TSV) with a header; the id and text
columns are found by name as in every other loader (``docid``, ``id``, ``item_id``...;
``text``, ``sentence``...).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, BinaryIO

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ITEM, TEXT
from analysis.io.columns import SYNONYMS, describe_columns, find_column
from analysis.io.decode import decode_text, read_source, sniff_delimiter
from analysis.io.json_export import read_json_export
from analysis.io.tabular import read_delimited

TEXTS_FIX = "give one record per document with an id (docid, id, item_id...) and a text field"


def texts_from_records(records: list[Any], positions: list[int], *, file: str,
                       unit: str) -> dict[str, str]:
    """Item id -> text of parsed records that each hold an id and a text.

    Examples
    --------
    >>> texts_from_records([{"docid": 7, "text": "Kim ran"}], [1], file="docs.jsonl", unit="line")
    {'7': 'Kim ran'}
    """
    texts: dict[str, str] = {}
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, Mapping):
            raise AnnotationDataError("a record is not a JSON object", file=file,
                                      location=f"{unit} {position}", fix=TEXTS_FIX)
        item_key = find_column([k for k, v in record.items() if isinstance(v, str | int)
                                and not isinstance(v, bool)], SYNONYMS[ITEM])
        text_key = find_column([k for k, v in record.items() if isinstance(v, str)],
                               SYNONYMS[TEXT])
        if item_key is None or text_key is None:
            missing = " and no ".join(name for name, key in (("id", item_key), ("text", text_key))
                                      if key is None)
            raise AnnotationDataError(
                f"the record has no {missing} field; fields found: {describe_columns(record)}",
                file=file, location=f"{unit} {position}", fix=TEXTS_FIX)
        texts[str(record[item_key])] = record[text_key]
    return texts


def read_texts(source: str | os.PathLike[str] | bytes | BinaryIO, *, name: str | None = None,
               encoding: str | None = None) -> dict[str, str]:
    """Item id -> text from a texts file (JSON, JSON lines, or a CSV/TSV with a header).

    Parameters
    ----------
    source : path, bytes or binary file-like
    name : str, optional
        File name for messages.
    encoding : str, optional
        Text encoding (default: UTF-8, then CP949).

    Raises
    ------
    AnnotationDataError
        A record or row without an id or a text, or a file that holds no documents.

    Examples
    --------
    >>> read_texts(b'docid,text\\n7,Kim ran\\n', name="docs.csv")
    {'7': 'Kim ran'}
    """
    data, file = read_source(source, name=name)
    parsed = read_json_export(data, file=file, encoding=encoding)
    if parsed is not None:
        texts = texts_from_records(parsed.records, parsed.positions, file=file, unit=parsed.unit)
    else:
        text, used = decode_text(data, file=file, encoding=encoding)
        table = read_delimited(text, file=file, delimiter=sniff_delimiter(text), encoding=used)
        frame = table.frame
        item_col = find_column(frame.columns, SYNONYMS[ITEM])
        text_col = find_column(frame.columns, SYNONYMS[TEXT])
        if item_col is None or text_col is None:
            raise AnnotationDataError(
                f"no id and text columns were found; columns found: "
                f"{describe_columns(frame.columns)}", file=file, location="header",
                fix="name the columns e.g. docid and text")
        kept = frame[[item_col, text_col]].dropna()
        texts = dict(zip(kept[item_col].astype(str), kept[text_col].astype(str), strict=True))
    if not texts:
        raise AnnotationDataError("the texts file holds no documents", file=file, fix=TEXTS_FIX)
    return texts
