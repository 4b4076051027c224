"""``load_task``: any export in, its task type and the task's canonical data out.

The export is read once (:class:`analysis.io.readers.parsed.Parsed`), the registered
reader with the highest sniff reads it (:mod:`analysis.io.readers.registry`); the formats
and what each gives are in docs/readers.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.columns import ColumnMapping
from analysis.io.decode import read_source
from analysis.io.json_export import ParsedJson
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.registry import choose


def load_task(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    task: str | None = None,
    question: str | None = None,
    label_sep: str | None = None,
    format: str | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    label_merges: Mapping[str, str] | None = None,
    parsed: ParsedJson | None = None,
    texts: Mapping[str, str] | None = None,
) -> TaskLoad:
    """Read an export of any task type; the reader whose sniff scores highest reads it.

    Parameters
    ----------
    source : path (file or brat folder), bytes or binary file-like
    name : str, optional
        File name for messages and extension hints.
    task : {"single_label", "multi_label", "spans"}, optional
        Override detection.
    question : str, optional
        Label Studio control (``from_name``) to analyse.
    label_sep : str, optional
        Separator of several labels in one cell (multi-label tables).
    format, mapping, encoding, delimiter, sheet, label_merges
        As for :func:`analysis.io.load_annotations`.
    parsed : ParsedJson, optional
        The export's records when the caller parsed them already
        (:func:`analysis.io.json_export.read_json_export`); a JSON export is otherwise
        parsed here, once.
    texts : mapping, optional
        Item id -> text for span exports that keep only offsets (spans by annotator; see
        :func:`analysis.io.spans_text.read_texts`); a text in the export itself wins.

    Returns
    -------
    TaskLoad

    Examples
    --------
    >>> csv = "item,annotator,labels\\n1,a,x|y\\n1,b,x\\n".encode()
    >>> loaded = load_task(csv, name="tags.csv", label_sep="|")
    >>> loaded.task, loaded.data.labels
    ('multi_label', ('x', 'y'))
    """
    options = LoadOptions(task=check_task(task), question=question, label_sep=label_sep,
                          format=format, mapping=mapping, encoding=encoding,
                          delimiter=delimiter, sheet=sheet, label_merges=label_merges,
                          texts=texts)
    if isinstance(source, str | os.PathLike) and Path(source).is_dir():
        export = Parsed(b"", file=name or str(source), options=options, folder=Path(source))
    else:
        data, file = read_source(source, name=name)
        export = Parsed(data, file=file, options=options, json=parsed)
    reader = choose(export)
    if reader is None:  # only a span export asked for leaves every reader out
        raise AnnotationDataError(
            "spans are read from Label Studio, Prodigy and doccano JSON, JSON of spans by "
            "annotator, tables of one span per row (document, annotator, start, end), brat "
            "folders or zips, and CoNLL/BIO files; this export is none of them",
            file=export.file,
            fix="export the spans in one of those formats")
    return reader.read(export, options)
