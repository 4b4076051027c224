"""A span export of offsets and the file of its texts, read as one upload.

Crowd span corpora keep each annotator's offsets in one file and the documents' texts in
another. The dashboard takes the texts file in a second upload; the two are packed into
one in-memory zip, which :func:`analysis.io.load_task.load_task` reads as it reads a zip
the visitor made (stored, not compressed: nothing is gained in memory).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from analysis.base.errors import AnnotationDataError
from analysis.io.spans_table import TABLE_SUFFIXES, looks_like_span_table

SPAN_EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt", ".parquet", ".pq")
TEXTS_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")


def with_texts(export: tuple[str, bytes], texts: tuple[str, bytes]) -> tuple[str, bytes]:
    """One upload from a span export of offsets and its texts file.

    Parameters
    ----------
    export, texts : (name, bytes)
        The span export (JSON or JSON lines of spans by annotator, or a CSV/TSV/Parquet
        table of one span per row) and the texts file
        (JSON, JSON lines or CSV/TSV: an id and a text per document).

    Returns
    -------
    name, data
        A zip holding both, named after them.

    Raises
    ------
    AnnotationDataError
        An export that is not JSON (texts go with offsets only), or an empty texts file.

    Examples
    --------
    >>> name, data = with_texts(("crowd.jsonl", b'{"docid": 1}'), ("docs.csv", b"docid,text"))
    >>> name, zipfile.ZipFile(io.BytesIO(data)).namelist()
    ('crowd.jsonl + docs.csv.zip', ['crowd.jsonl', 'texts/docs.csv'])
    """
    export_name, texts_name = PurePath(export[0]).name, PurePath(texts[0]).name
    together = f"{export_name} + {texts_name}"

    is_table = export_name.lower().endswith(TABLE_SUFFIXES)
    if not export_name.lower().endswith(SPAN_EXPORT_SUFFIXES) or (
            is_table and not looks_like_span_table(export[1], name=export_name)):
        raise AnnotationDataError(
            "a texts file goes with a span export that holds offsets only (JSON or JSON lines "
            "of spans by annotator, or a CSV/Parquet table of one span per row); "
            f"{export_name!r} is not one", file=together,
            fix="remove the texts file, or upload the span export it belongs to")
    if not texts_name.lower().endswith(TEXTS_SUFFIXES):
        raise AnnotationDataError(
            f"the texts file must be JSON, JSON lines or CSV/TSV; got {texts_name!r}",
            file=together, fix="export the texts with an id and a text per document")
    if not texts[1]:
        raise AnnotationDataError("the file is empty", file=texts_name,
                                  fix="export the texts again, or remove the texts file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(export_name, export[1])
        archive.writestr(f"texts/{texts_name}", texts[1])  # its own folder: never a second export
    return f"{together}.zip", buffer.getvalue()


def shown_name(name: str) -> str:
    """The name a visitor recognises: the two files of :func:`with_texts`, not the zip.

    Examples
    --------
    >>> shown_name("crowd.jsonl + docs.csv.zip"), shown_name("brat.zip")
    ('crowd.jsonl + docs.csv', 'brat.zip')
    """
    return name[: -len(".zip")] if " + " in name and name.endswith(".zip") else name
