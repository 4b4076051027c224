"""Span annotations in text formats (brat standoff, CoNLL/BIO columns) and the texts files
that go with span exports keeping only offsets.

* brat: one folder per annotator, each holding ``<doc>.txt`` and ``<doc>.ann`` (a folder
  of ``.txt``/``.ann`` pairs directly is one annotator). Text-bound annotations
  ``T1<TAB>TYPE START END[;START END...]<TAB>text``; a discontinuous annotation gives
  one span per fragment, with the same type (and a warning). Other lines (relations,
  events, notes) are skipped.
* CoNLL/BIO: one token per line, the token first, then one tag column per annotator
  (BIO/IOB2, IOB1 or BIOES); a blank line ends a sentence, the item; ``-DOCSTART-``
  lines start a new document (then a document is the item). An optional first line
  names the columns (``token ann1 ann2``): it is a header only when none of its cells
  after the first is a tag, so a first token line is never taken for one. The item text is the tokens joined by one
  space, so offsets count code points in that text. ``?`` on every token of a sentence
  means the annotator was not given it (crowd corpora with one column per worker).
* Texts files (crowd research exports such as PICO keep only offsets): one document per
  record or row, an id and its text. JSON (a list of records), JSON lines, or a delimited
  table (CSV/TSV) with a header; the id and text columns are found by name as in every
  other loader (``docid``, ``id``, ``item_id``...; ``text``, ``sentence``...).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import SpanData, span_offset
from analysis.data.schema import ITEM, TEXT
from analysis.io.columns import SYNONYMS, describe_columns, find_column
from analysis.io.decode import decode_text, read_source, sniff_delimiter
from analysis.io.json_export import read_json_export
from analysis.io.spans_json import Span, SpanRead
from analysis.io.tabular import read_delimited
from analysis.messages import note

BRAT_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")
TAG = re.compile(r"^(?:O|[BIES][-_].+)$")
NOT_JUDGED = "?"
"""A tag column's mark for a sentence the annotator was not given, as crowd corpora write
it (one column per worker, ``?`` on every token of the sentences a worker did not label)."""


def read_brat(files: Mapping[str, str], *, file: str) -> SpanRead:
    """Spans of a brat collection, given ``{relative path: text}`` of its files.

    Examples
    --------
    >>> files = {"ann1/d.txt": "Kim ran", "ann1/d.ann": "T1\\tPER 0 3\\tKim",
    ...          "ann2/d.txt": "Kim ran", "ann2/d.ann": "T1\\tPER 0 3;4 7\\tKim ran"}
    >>> read = read_brat(files, file="corpus")
    >>> read.data.spans.values.tolist()
    [['d', 'ann1', 0, 3, 'PER'], ['d', 'ann2', 0, 3, 'PER'], ['d', 'ann2', 4, 7, 'PER']]
    """
    spans: list[Span] = []
    judged: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    fragments = 0
    anns = sorted(path for path in files if path.endswith(".ann"))
    if not anns:
        raise AnnotationDataError("no .ann file was found", file=file,
                                  fix="point to a brat folder with <doc>.txt and <doc>.ann files")
    names = _annotator_names({str(PurePosixPath(path).parent) for path in anns})
    for path in anns:
        pure = PurePosixPath(path)
        who = names[str(pure.parent)] or PurePosixPath(file).name or "annotator"
        doc = pure.stem
        text_path = str(pure.with_suffix(".txt"))
        if text_path in files:
            text = files[text_path]
            if doc in texts and texts[doc] != text:
                raise AnnotationDataError(
                    f"document {doc!r} has different texts for different annotators",
                    file=file, location=text_path,
                    fix="give every annotator the same .txt file")
            texts[doc] = text
        judged.append((doc, who))
        for number, line in enumerate(files[path].splitlines(), start=1):
            if not line.startswith("T"):
                continue
            match = BRAT_LINE.match(line)
            if match is None:
                raise AnnotationDataError(
                    "this text-bound annotation is not 'T<n><TAB>TYPE START END<TAB>text'",
                    file=file, location=f"{path} line {number}",
                    fix="repair the line or export the collection from brat again")
            parts = [p.split() for p in match.group(3).split(";")]
            if any(len(p) != 2 for p in parts):
                raise AnnotationDataError(
                    "a fragment is not 'START END'", file=file, location=f"{path} line {number}",
                    fix="write fragments as 'START END;START END'")
            fragments += len(parts) > 1
            where = f"{path} line {number}"
            spans.extend((doc, who, span_offset(s, file=file, where=where, digits=True),
                          span_offset(e, file=file, where=where, digits=True), match.group(2)) for s, e in parts)
    read = SpanRead(SpanData.build(spans, judged, texts, file=file, unit="document"), "brat")
    if fragments:
        read.warnings.append(note("load.discontinuous_split", count=fragments))
    return read


def _annotator_names(folders: set[str]) -> dict[str, str]:
    """Each annotator folder's name: its last part, or as many trailing parts as keep two
    folders apart (``team1/carol`` and ``team2/carol`` are two annotators).

    Examples
    --------
    >>> sorted(_annotator_names({"x/team1/carol", "x/team2/carol", "x/team1/dave"}).values())
    ['dave', 'team1/carol', 'team2/carol']
    """
    parts = {folder: PurePosixPath(folder).parts if folder not in ("", ".") else ()
             for folder in folders}
    depth = dict.fromkeys(folders, 1)
    while True:  # lengthen the names that two folders share, until none is shared
        shared = Counter(parts[f][-depth[f]:] for f in folders)
        longer = [f for f in folders
                  if shared[parts[f][-depth[f]:]] > 1 and depth[f] < len(parts[f])]
        if not longer:
            return {f: "/".join(parts[f][-depth[f]:]) for f in folders}
        for folder in longer:
            depth[folder] += 1


def _tag_spans(tags: list[str], starts: list[int], ends: list[int]) -> list[tuple[int, int, str]]:
    """Spans of one tag sequence (BIO, IOB1 or BIOES) as character offsets.

    Examples
    --------
    >>> _tag_spans(["B-P", "I-P", "O", "I-X", "S-Y"], [0, 2, 4, 6, 8], [1, 3, 5, 7, 9])
    [(0, 3, 'P'), (6, 7, 'X'), (8, 9, 'Y')]
    """
    out: list[tuple[int, int, str]] = []
    current: list[object] | None = None
    for tag, start, end in zip(tags, starts, ends, strict=True):
        prefix, kind = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        continues = (current is not None and prefix in ("I", "E") and current[2] == kind)
        if continues:
            current[1] = end  # type: ignore[index]
        else:
            if current is not None:
                out.append((current[0], current[1], current[2]))  # type: ignore[arg-type]
            current = None if prefix == "O" else [start, end, kind]
        if prefix in ("E", "S") and current is not None:
            out.append((current[0], current[1], current[2]))  # type: ignore[arg-type]
            current = None
    if current is not None:
        out.append((current[0], current[1], current[2]))  # type: ignore[arg-type]
    return out


def read_conll(text: str, *, file: str) -> SpanRead:
    """Spans of a CoNLL/BIO file with one tag column per annotator.

    Examples
    --------
    >>> read = read_conll("token a b\\nKim B-PER B-PER\\nran O B-PER\\n", file="x.conll")
    >>> read.data.spans.values.tolist()
    [['1', 'a', 0, 3, 'PER'], ['1', 'b', 0, 3, 'PER'], ['1', 'b', 4, 7, 'PER']]
    """
    lines = text.splitlines()
    rows = [(n, line.split()) for n, line in enumerate(lines, start=1)]
    first = next(((n, cells) for n, cells in rows if cells), None)
    if first is None:
        raise AnnotationDataError("the file holds no tokens", file=file,
                                  fix="export one token per line with one tag column per annotator")
    width = len(first[1])
    if width < 2:
        raise AnnotationDataError("a line has no tag column", file=file, location=f"line {first[0]}",
                                  fix="write the token, then one tag column per annotator")
    # a header names the columns: none of its cells is a tag (a first token line with one
    # odd tag among tags is a token line, whose odd tag is reported below, not a header)
    header = first[1][0] != "-DOCSTART-" and not any(
        TAG.match(cell) or cell == NOT_JUDGED for cell in first[1][1:])
    names = first[1][1:] if header else [f"annotator_{k}" for k in range(1, width)]
    doc_mode = any(cells and cells[0] == "-DOCSTART-" for _, cells in rows)
    spans: list[Span] = []
    judged: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    tokens: list[tuple[int, list[str]]] = []
    valid: set[str] = {NOT_JUDGED}

    def flush() -> None:
        if not tokens:
            return
        item = str(len(texts) + 1)
        starts, ends, position = [], [], 0
        for _, cells in tokens:
            starts.append(position)
            position += len(cells[0])
            ends.append(position)
            position += 1
        texts[item] = " ".join(cells[0] for _, cells in tokens)
        columns = list(zip(*(cells for _, cells in tokens), strict=True))  # one tuple per column
        for k, name in enumerate(names, start=1):
            tags = columns[k]
            unjudged = tags.count(NOT_JUDGED)
            if unjudged == len(tags):
                continue  # this annotator was not given the sentence
            if unjudged:
                line = tokens[tags.index(NOT_JUDGED)][0]
                raise AnnotationDataError(
                    f"annotator {name!r} tagged some tokens of the sentence and left others "
                    f"{NOT_JUDGED!r} (not annotated)", file=file, location=f"line {line}",
                    fix=f"give {NOT_JUDGED!r} to every token of a sentence the annotator did not see, "
                    "else a tag")
            judged.append((item, name))
            found = _tag_spans(tags, starts, ends)
            spans.extend((item, name, s, e, kind) for s, e, kind in found)
        tokens.clear()

    for n, cells in rows[first[0]:] if header else rows:
        if not cells:
            if not doc_mode:
                flush()
            continue
        if cells[0] == "-DOCSTART-":
            flush()
            continue
        if len(cells) != width:
            raise AnnotationDataError(
                f"the line has {len(cells)} columns, the file {width}", file=file,
                location=f"line {n}", fix="give every token line one tag per annotator")
        unseen = set(cells[1:]) - valid  # each distinct tag is matched once, not every cell
        bad = next((c for c in cells[1:] if c in unseen and not TAG.match(c)), None) if unseen else None
        valid |= unseen
        if bad is not None:
            raise AnnotationDataError(
                f"{bad!r} is not a BIO tag (O, B-TYPE, I-TYPE, E-TYPE, S-TYPE) nor "
                f"{NOT_JUDGED!r} (not annotated)", file=file,
                location=f"line {n}", fix="write one tag per annotator after the token")
        tokens.append((n, cells))
    flush()
    if not texts:  # e.g. the only line was read as a header (a cell in it is no tag)
        named = next((c for c in first[1][1:] if not TAG.match(c) and c != NOT_JUDGED), None)
        why = f", read as a header because {named!r} is no BIO tag" if header else ""
        raise AnnotationDataError(
            f"no token line follows line {first[0]}{why}", file=file, location=f"line {first[0]}",
            fix="write one token per line with one tag per annotator (O, B-TYPE, I-TYPE, ...)")
    return SpanRead(SpanData.build(spans, judged, texts, file=file, unit="sentence"), "conll")


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
