"""Span annotations as a table: one row per span (CSV, TSV or Parquet).

Many teams keep spans as a long table, ``item_id, annotator, start, end, label``, one row
per span, with the document texts in another file (or beside the spans). The columns are
found by name, as in every other loader:

* document: the item synonyms (``item_id``, ``doc_id``, ``docid``, ``doc``...);
* annotator: the annotator synonyms (``annotator``, ``worker``...);
* offsets: ``start``/``end`` (or ``start_offset``/``end_offset``, ``begin``/``stop``,
  ``char_start``/``char_end``), character offsets into the text, end exclusive;
* type (optional): the label synonyms or ``type``, ``span_type``, ``entity``, ``tag``;
  without one, every span has the type ``span``;
* text (optional): a column that is the same on every row of a document is the document's
  text; one that varies within a document is the span's own text, which is checked against
  the document text at the span's offsets (mismatches are counted in a warning: offsets in
  another unit, or texts of another version).

A row with neither start nor end is a document the annotator read without marking
anything (a judgement with no span). Rows without a document or an annotator, and span
rows without a type when the table has a type column, are dropped and counted; a row
repeating a span exactly is counted and read once. An offset that is not a whole number
is an error naming the line.

:func:`table_columns` reads only the header (the first line of a delimited file, the
schema of a Parquet file), so detection costs nothing on a table of another kind. The
loader's span-table reader works from the table it parsed once for every reader
(:func:`spans_of_table`).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Final

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import MAX_ARCHIVE_TEXT_BYTES
from analysis.data.judgements import SpanData
from analysis.data.schema import ANNOTATOR, ITEM, LABEL, TEXT
from analysis.io.archive import check_members
from analysis.io.columns import SYNONYMS, find_column
from analysis.io.decode import decode_text, sniff_delimiter
from analysis.io.spans_json import SpanRead
from analysis.io.spans_text import read_texts
from analysis.io.tabular import RawTable, read_delimited, read_parquet
from analysis.messages import note

START: Final = ("start", "start_offset", "begin", "span_start", "char_start", "start_char", "begin_offset")
END: Final = ("end", "end_offset", "stop", "span_end", "char_end", "end_char")
TYPE: Final = (*SYNONYMS[LABEL], "type", "span_type", "entity", "entity_type", "tag", "ner")
DOCUMENT: Final = ("item_id", "doc_id", "docid", "document_id", "doc", "document", *SYNONYMS[ITEM], "pmid")
TABLE_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".parquet", ".pq")
DEFAULT_TYPE: Final = "span"
HEADER_BYTES: Final = 65536
FIX: Final = ("give one row per span with a document id, an annotator, start and end "
              "(character offsets, end exclusive) and optionally a type")


def table_columns(data: bytes, *, name: str) -> list[str] | None:
    """The column names of a delimited or Parquet table from its header alone, or None
    for anything else (JSON, Excel, archives, binary data).

    Examples
    --------
    >>> table_columns(b"doc_id;annotator;start;end\\n1;a;0;3\\n", name="spans.csv")
    ['doc_id', 'annotator', 'start', 'end']
    >>> table_columns(b'[{"id": 1}]', name="x.json") is None
    True
    """
    suffix = PurePath(name).suffix.casefold()
    if data.startswith(b"PAR1") or suffix in (".parquet", ".pq"):
        try:
            import pyarrow
            import pyarrow.parquet as pq
        except ImportError:
            return None
        try:
            return [str(n) for n in pq.ParquetFile(io.BytesIO(data)).schema_arrow.names]
        except (OSError, ValueError, pyarrow.ArrowException):  # not readable: the loader says why
            return None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or suffix in (".json", ".jsonl", ".ndjson", ".xlsx"):
        return None
    head = data[:HEADER_BYTES]
    for encoding in ("utf-8-sig", "cp949", "utf-16"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    text = text.lstrip()
    if not text or text[0] in "[{" or "\x00" in text:
        return None
    first = text.splitlines()[0] if text.splitlines() else ""
    try:
        return next(csv.reader([first], delimiter=sniff_delimiter(text[:20000])))
    except (csv.Error, StopIteration):
        return None


def span_columns(columns: Sequence[object]) -> dict[str, str] | None:
    """Which column holds what in a span table, or None when ``columns`` are not one
    (a document, an annotator, a start and an end are needed).

    Examples
    --------
    >>> span_columns(["docid", "worker", "start", "end", "type", "text"])
    {'item_id': 'docid', 'annotator': 'worker', 'start': 'start', 'end': 'end', 'label': 'type', 'text': 'text'}
    >>> span_columns(["item_id", "annotator", "label"]) is None
    True
    """
    found = {ITEM: find_column(columns, DOCUMENT), ANNOTATOR: find_column(columns, SYNONYMS[ANNOTATOR]),
             "start": find_column(columns, START), "end": find_column(columns, END)}
    if any(value is None for value in found.values()) or found["start"] == found["end"]:
        return None
    optional = {LABEL: find_column(columns, TYPE), TEXT: find_column(columns, SYNONYMS[TEXT])}
    return {**found, **{key: value for key, value in optional.items() if value is not None}}  # type: ignore[dict-item]


def looks_like_span_table(data: bytes, *, name: str) -> bool:
    """Whether ``data`` is a table of one span per row (see the module notes)."""
    columns = table_columns(data, name=name)
    return columns is not None and span_columns(columns) is not None


def _raw(data: bytes, *, file: str, encoding: str | None, delimiter: str | None) -> RawTable:
    if data.startswith(b"PAR1") or PurePath(file).suffix.casefold() in (".parquet", ".pq"):
        return read_parquet(data, file=file)
    text, used = decode_text(data, file=file, encoding=encoding)
    return read_delimited(text, file=file, delimiter=delimiter or sniff_delimiter(text[:20000]), encoding=used)


def _offsets(values: pd.Series, raw: RawTable, *, file: str, which: str) -> np.ndarray:
    """Whole-number offsets (NaN where empty); an error names the first line that is not."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (values.astype(str).str.strip() != "") & (
        numbers.isna() | (numbers != np.floor(numbers)))
    if bad.any():
        index = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnnotationDataError(
            f"the span {which} offset {values.iloc[index]!r} is not a whole number", file=file,
            location=raw.where(index), fix="export character offsets (start, end) as integers")
    return numbers.to_numpy(dtype=float)


def _is_document_text(frame: pd.DataFrame, column: str) -> bool:
    """A text column that never varies within a document holds the documents' texts."""
    present = frame[[ITEM, column]].dropna()
    return bool(len(present)) and bool((present.groupby(ITEM)[column].nunique() <= 1).all())


def read_span_table(data: bytes, *, file: str, texts: Mapping[str, str] | None = None,
                    encoding: str | None = None, delimiter: str | None = None) -> SpanRead:
    """Spans of a table of one span per row (see the module notes).

    Parameters
    ----------
    data : bytes
        A CSV/TSV (any delimiter the loader sniffs) or Parquet file.
    file : str
        For messages.
    texts : mapping, optional
        Document id -> text from a companion file; a document text in the table wins.

    Examples
    --------
    >>> csv = b"doc_id,annotator,start,end,type\\nd1,a,0,3,PER\\nd1,b,0,3,PER\\nd1,c,,,\\n"
    >>> read = read_span_table(csv, file="spans.csv", texts={"d1": "Kim ran"})
    >>> read.data.spans[["annotator", "start", "end", "label"]].values.tolist()
    [['a', 0, 3, 'PER'], ['b', 0, 3, 'PER']]
    >>> sorted(read.data.judgements["annotator"])
    ['a', 'b', 'c']
    """
    return spans_of_table(_raw(data, file=file, encoding=encoding, delimiter=delimiter),
                          file=file, texts=texts)


def spans_of_table(raw: RawTable, *, file: str,
                   texts: Mapping[str, str] | None = None) -> SpanRead:
    """Spans of a table already read (see :func:`read_span_table`, which reads the bytes).

    Parameters
    ----------
    raw : RawTable
        The table as read, its columns as found.
    file : str
        For messages.
    texts : mapping, optional
        Document id -> text from a companion file; a document text in the table wins.
    """
    columns = span_columns(list(raw.frame.columns))
    if columns is None:
        raise AnnotationDataError("the table has no document, annotator, start and end columns",
                                  file=file, location="header", fix=FIX)
    frame = pd.DataFrame({key: raw.frame[source] for key, source in columns.items()})
    for key in (ITEM, ANNOTATOR, *((LABEL,) if LABEL in frame else ())):
        cleaned = frame[key].astype("string").str.strip()
        frame[key] = cleaned.mask(cleaned == "")
    start = _offsets(frame["start"], raw, file=file, which="start")
    end = _offsets(frame["end"], raw, file=file, which="end")
    missing_id = (frame[ITEM].isna() | frame[ANNOTATOR].isna()).to_numpy()
    no_span = np.isnan(start) & np.isnan(end)
    half = np.isnan(start) ^ np.isnan(end)
    if (half & ~missing_id).any():
        index = int(np.flatnonzero(half & ~missing_id)[0])
        raise AnnotationDataError("the row has a start offset or an end offset, not both", file=file,
                                  location=raw.where(index), fix=FIX)
    has_type = LABEL in frame
    untyped = ~no_span & ~missing_id & (frame[LABEL].isna().to_numpy() if has_type else False)
    labels = (frame[LABEL].fillna(DEFAULT_TYPE) if has_type else pd.Series(DEFAULT_TYPE, index=frame.index))
    spans_mask = ~no_span & ~missing_id & ~untyped
    items = frame[ITEM].astype(str).to_numpy(dtype=object)
    who = frame[ANNOTATOR].astype(str).to_numpy(dtype=object)
    span_rows = pd.DataFrame({"item_id": items[spans_mask], "annotator": who[spans_mask],
                              "start": start[spans_mask].astype(np.int64), "end": end[spans_mask].astype(np.int64),
                              "label": labels.astype(str).to_numpy(dtype=object)[spans_mask]})
    duplicates = int(span_rows.duplicated().sum())
    document_texts = {str(k): v for k, v in (texts or {}).items()}
    span_texts = None
    warnings: list[str] = []
    if TEXT in frame:
        if _is_document_text(frame.assign(**{ITEM: frame[ITEM].astype(str)}), TEXT):
            kept = frame.loc[~missing_id, [ITEM, TEXT]].dropna().drop_duplicates(ITEM)
            document_texts |= dict(zip(kept[ITEM].astype(str), kept[TEXT].astype(str), strict=True))
        else:
            span_texts = frame[TEXT].to_numpy(dtype=object)[spans_mask]
    judged = list(zip(items[~missing_id], who[~missing_id], strict=True))
    data_ = SpanData.build(span_rows.itertuples(index=False, name=None), judged, document_texts,
                           file=file, unit="document")
    if span_texts is not None:
        warnings += _check_span_texts(span_rows, span_texts, data_.texts)
    dropped = {"missing_id": int(missing_id.sum()), "empty_label": int(untyped.sum()),
               "exact_duplicate": duplicates}
    read = SpanRead(data_, "span-table", dropped, warnings)
    without = len(data_.item_ids) - sum(1 for item in data_.item_ids if item in data_.texts)
    if without:
        read.warnings.append(note("load.documents_without_text", missing=without, documents=len(data_.item_ids)))
    return read


def _check_span_texts(spans: pd.DataFrame, span_texts: np.ndarray, texts: Mapping[str, str]) -> list[str]:
    """A warning when spans' own texts differ from the document text at their offsets."""
    compared = differ = 0
    first = None
    for item, start, end, own in zip(spans["item_id"], spans["start"], spans["end"], span_texts, strict=True):
        document = texts.get(item)
        if document is None or own is None or own != own:
            continue
        compared += 1
        if document[start:end] != str(own):
            differ += 1
            first = first or (item, start, end, str(own), document[start:end])
    if not differ:
        return []
    item, start, end, own, found = first  # type: ignore[misc]
    return [note("load.span_texts_differ", differ=differ, compared=compared, item=item, start=start, end=end,
                 found=found, own=own)]


def archive_span_table(data: bytes, *, file: str, texts: Mapping[str, str] | None = None) -> SpanRead | None:
    """A zip holding one span table and its texts files (``texts/...``, as the dashboard
    packs an upload and its texts; any other JSON, JSON lines or CSV member with an id and a
    text per record is a texts file too), or None when no member is a span table."""

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        members = [info for info in archive.infolist()
                   if not info.is_dir() and "__MACOSX" not in PurePath(info.filename).parts]
        check_members(members, file=file, fix="pass the folder")
        declared = sum(info.file_size for info in members)
        limit = MAX_ARCHIVE_TEXT_BYTES.value()
        if declared > limit:
            raise AnnotationDataError(
                f"the archive's files unpack to {declared / 2**20:,.1f} MiB, above the limit of "
                f"{limit / 2**20:,.0f} MiB", file=file,
                fix="split the documents into several archives, or " + MAX_ARCHIVE_TEXT_BYTES.raise_hint())
        tables = [info for info in members if info.filename.casefold().endswith(TABLE_SUFFIXES)
                  and not info.filename.startswith("texts/")]
        found = None
        try:
            for info in tables:
                head = archive.read(info)
                if looks_like_span_table(head, name=info.filename):
                    found = (info.filename, head)
                    break
            if found is None:
                return None
            companion: dict[str, str] = {}
            for info in members:
                if info.filename == found[0]:
                    continue
                companion |= read_texts(archive.read(info), name=f"{file}:{info.filename}")
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise AnnotationDataError(f"the zip archive is damaged ({error})", file=file,
                                      fix="zip the files again, or pass the folder") from None
    companion |= {str(k): v for k, v in (texts or {}).items()}
    return read_span_table(found[1], file=f"{file}:{found[0]}", texts=companion)
