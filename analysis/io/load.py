"""``load_annotations``: any supported export in, the canonical table and its report out."""

from __future__ import annotations

import os
import re
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.kinds import AnnotatorKinds
from analysis.data.load_report import ID_LIMIT, LoadReport
from analysis.data.schema import ANNOTATOR, ITEM, LABEL
from analysis.io.annotator_kinds import judgements_per_annotator, read_kinds
from analysis.io.columns import ANNOTATOR_KIND, ColumnMapping
from analysis.io.decode import decode_text, read_source, sniff_delimiter
from analysis.io.detect import check_format, detect_container
from analysis.io.hygiene import Tally, clean_table, label_variants, normalise_text
from analysis.io.json_export import ParsedJson, parse_json_export
from analysis.io.label_studio import looks_like_label_studio, read_label_studio
from analysis.io.long import Mapped, map_long
from analysis.io.mturk import looks_like_mturk, map_mturk
from analysis.io.prodigy import looks_like_prodigy, read_prodigy
from analysis.io.tabular import (
    RawTable,
    read_delimited,
    read_excel,
    read_parquet,
    records_table,
)
from analysis.io.wide import detect_annotator_columns, map_wide

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


def _raised_by_third_party(error: BaseException) -> bool:
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


def _head(text: str, n_lines: int) -> str:
    r"""The text up to its ``n_lines``-th line break (the whole text when it has fewer);
    a bare carriage return (classic Mac line ends) counts as one.

    Examples
    --------
    >>> _head("a\nb\nc\n", 2), _head("a\rb\rc\r", 2)
    ('a\nb', 'a\rb')
    """
    breaks = _LINE_BREAK.finditer(text)
    for _ in range(n_lines):
        found = next(breaks, None)
        if found is None:
            return text
    return text[:found.start()]


_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True, eq=False)
class LoadResult:
    """A loaded file.

    Attributes
    ----------
    table : DataFrame
        The canonical table (every column of ``analysis.data.schema.CANONICAL_COLUMNS``),
        rows in file order.
    report : LoadReport
        What was kept, dropped and changed.
    format : str
        The format read, one of ``FORMATS``.
    kinds : AnnotatorKinds
        What decides which annotators are models (``report.model_annotators`` lists
        them); :func:`analysis.io.annotator_kinds.mark_models` changes it.
    """

    table: pd.DataFrame
    report: LoadReport
    format: str
    kinds: AnnotatorKinds = field(default_factory=AnnotatorKinds)


@dataclass(frozen=True, eq=False)
class _Source:
    mapped: Mapped
    format: str
    container: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def _no_rows(file: str, container: str) -> AnnotationDataError:
    return AnnotationDataError(
        "the file has a header but no rows" if container in ("csv", "excel", "parquet")
        else "the file holds no records",
        file=file,
        location="line 2" if container == "csv" else None,
        fix="export the annotations again, with the judgements",
    )


def _map_table(raw: RawTable, format: str | None, mapping: ColumnMapping | None,
               file: str) -> tuple[Mapped, str]:
    mapped, layout = _map_layout(raw, format, mapping, file)
    if raw.warnings:  # what the container's reader changed in cells
        mapped = replace(mapped, warnings=(*raw.warnings, *mapped.warnings))
    return mapped, layout


def _map_layout(raw: RawTable, format: str | None, mapping: ColumnMapping | None,
                file: str) -> tuple[Mapped, str]:
    if raw.frame.empty:
        raise _no_rows(file, raw.container)
    columns = [str(column) for column in raw.frame.columns]
    if format == "mturk" or (format is None and looks_like_mturk(columns)):
        return map_mturk(raw, mapping, file=file), "mturk"
    if format == "wide" or (mapping is not None and mapping.annotator_columns):
        return map_wide(raw, mapping, file=file), "wide"
    try:
        return map_long(raw, mapping, file=file), raw.container
    except AnnotationDataError:
        explicit = (mapping or ColumnMapping()).explicit()
        if format is not None or ANNOTATOR in explicit or LABEL in explicit:
            raise
        exclude = [explicit[ITEM]] if ITEM in explicit else []
        if len(detect_annotator_columns(raw.frame, exclude=exclude)) < 2:
            raise
    return map_wide(raw, mapping, file=file), "wide"


def _mapped_json(parsed: ParsedJson, *, file: str, format: str | None,
                 mapping: ColumnMapping | None) -> tuple[Mapped, str, str]:
    records, positions = parsed.records, parsed.positions
    container, unit = parsed.container, parsed.unit
    if not records:
        raise _no_rows(file, container)
    first_record = records[0]
    if format == "label-studio" or (format is None and looks_like_label_studio(first_record)):
        unit = "task" if container == "json" else unit
        return read_label_studio(records, positions, file=file, unit=unit), "label-studio", \
            container
    if format == "prodigy" or (format is None and looks_like_prodigy(first_record)):
        return read_prodigy(records, positions, file=file, unit=unit), "prodigy", container
    raw = records_table(records, positions, file=file, unit=unit, container=container)
    mapped, layout = _map_table(raw, format if format != container else None, mapping, file)
    return mapped, layout, container


def _read(data: bytes, *, file: str, format: str | None, mapping: ColumnMapping | None,
          encoding: str | None, delimiter: str | None, sheet: str | int | None,
          parsed: ParsedJson | None = None) -> _Source:
    if parsed is not None:  # parsed once already (analysis.tasks.load_task, the dashboard)
        mapped, layout, container_name = _mapped_json(parsed, file=file, format=format,
                                                      mapping=mapping)
        return _Source(mapped, layout, container_name, parsed.encoding)
    container = detect_container(data, file=file, format=format)
    layout_format = None if format in CONTAINER_FORMATS else format
    if container == "excel":
        raw = read_excel(data, file=file, sheet=sheet)
        mapped, layout = _map_table(raw, layout_format, mapping, file)
        return _Source(mapped, layout, "excel", sheet=raw.sheet)
    if container == "parquet":
        raw = read_parquet(data, file=file)
        mapped, layout = _map_table(raw, layout_format, mapping, file)
        return _Source(mapped, layout, "parquet")
    text, used_encoding = decode_text(data, file=file, encoding=encoding)
    if not text.strip():
        raise AnnotationDataError("the file holds only whitespace", file=file,
                                  fix="export the annotations again")
    json_name = PurePath(file).suffix.casefold() in (".json", ".jsonl", ".ndjson")
    json_start = text.lstrip()[:1] in ("[", "{")
    if format in ("json", "jsonl", "label-studio", "prodigy") or (
            format in (None, "wide") and (json_name or json_start)):
        try:
            parsed = parse_json_export(text, file=file, format=format)
            mapped, layout, container_name = _mapped_json(parsed, file=file, format=format,
                                                          mapping=mapping)
            return _Source(mapped, layout, container_name, used_encoding)
        except AnnotationDataError as error:
            # A delimited file whose first header cell starts with a bracket.
            if format is not None or json_name or "malformed JSON" not in error.problem:
                raise
    used_delimiter = delimiter or sniff_delimiter(_head(text, SNIFF_LINES))
    raw = read_delimited(text, file=file, delimiter=used_delimiter, encoding=used_encoding)
    mapped, layout = _map_table(raw, layout_format, mapping, file)
    return _Source(mapped, layout, "csv", used_encoding, used_delimiter)


def _kinds(mapped: Mapped, mapping: ColumnMapping | None, *, file: str) -> AnnotatorKinds:
    """The kinds the kind column gives (:mod:`analysis.io.annotator_kinds`), else none."""
    frame = mapped.frame
    if ANNOTATOR_KIND not in frame.columns or ANNOTATOR not in frame.columns:
        return AnnotatorKinds()
    explicit = mapping is not None and mapping.annotator_kind is not None
    annotators = normalise_text(frame[ANNOTATOR], strip=True)[0]
    found = read_kinds(frame, annotators, mapped.positions, unit=mapped.unit, file=file,
                       column=str(mapped.mapping.get(ANNOTATOR_KIND)), explicit=explicit)
    return found or AnnotatorKinds()


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
    chosen = check_format(format, file=file)
    if not data:
        raise AnnotationDataError("the file is empty (0 bytes)", file=file,
                                  fix="export the annotations again")
    tally = Tally()
    try:
        read = _read(data, file=file, format=chosen, mapping=mapping, encoding=encoding,
                     delimiter=delimiter, sheet=sheet, parsed=parsed)
        mapped = read.mapped
        for reason, count in mapped.dropped.items():
            tally.dropped[reason] += count
        tally.warnings.extend(mapped.warnings)
        kinds = _kinds(mapped, mapping, file=file)
        table = clean_table(mapped.frame, positions=mapped.positions, unit=mapped.unit,
                            file=file, label_merges=label_merges, tally=tally)
    except AnnotationDataError:
        raise
    except PARSER_ERRORS + THIRD_PARTY_ERRORS as error:
        if isinstance(error, THIRD_PARTY_ERRORS) and not isinstance(error, PARSER_ERRORS) \
                and not _raised_by_third_party(error):
            raise  # a bug in this package: let it surface instead of blaming the file
        raise AnnotationDataError(
            f"the file cannot be read as {chosen or 'any supported format'} "
            f"({type(error).__name__}: {' '.join(str(error).split())[:200]})",
            file=file,
            fix="check the export, or name the format with {input_format}",
        ) from None
    if table.empty:
        reasons = ", ".join(f"{count} {reason}" for reason, count in tally.dropped.items()
                            if count)
        spans = read.format in ("label-studio", "prodigy") and b'"start"' in data
        raise AnnotationDataError(
            f"no judgement is left after reading {mapped.rows_read} ({reasons or 'none'})",
            file=file, fix="these look like span (NER) annotations: set {task} to spans "
            "(analysis.tasks.load_task)" if spans
            else "check that the label column holds the labels",
        )
    item_codes, item_ids = pd.factorize(table[ITEM])
    per_item = np.bincount(item_codes, minlength=len(item_ids))
    single = item_ids[per_item == 1]
    used = {key: value for key, value in mapped.mapping.items()
            if key != ANNOTATOR_KIND or kinds.marked_by is not None}  # a "source" of texts is not a kind
    unused = mapped.unused + tuple(str(value) for key, value in mapped.mapping.items()
                                   if key not in used and isinstance(value, str))
    report = LoadReport(
        file=file, format=read.format, container=read.container, encoding=read.encoding,
        delimiter=read.delimiter, sheet=read.sheet, mapping=used,
        rows_read=mapped.rows_read, judgements=len(table), items=len(per_item),
        annotators=int(table[ANNOTATOR].nunique()),
        label_counts={str(k): int(v) for k, v in table[LABEL].value_counts().items()},
        dropped=tally.dropped, label_variants=label_variants(table[LABEL]),
        single_judgement_items=len(single),
        single_judgement_item_ids=tuple(str(item) for item in single[:ID_LIMIT]),
        changes=tally.changes, warnings=tuple(tally.warnings), unused_columns=unused,
        model_annotators=kinds.classify(judgements_per_annotator(table)),
    )
    return LoadResult(table=table, report=report, format=read.format, kinds=kinds)
