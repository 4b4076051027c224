"""Single-label exports (long, wide, MTurk tables in CSV/TSV, Excel, Parquet or JSON;
Label Studio and Prodigy records): the canonical table, its hygiene and its report."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import check_task
from analysis.data.load_report import ID_LIMIT, LoadReport
from analysis.data.loaded import LoadResult, TaskLoad
from analysis.data.schema import ANNOTATOR, ITEM, LABEL
from analysis.io.annotator_kinds import AnnotatorKinds, judgements_per_annotator, read_kinds
from analysis.io.columns import ANNOTATOR_KIND, ColumnMapping
from analysis.io.hygiene import Tally, clean_table, label_variants, normalise_text
from analysis.io.json_export import ParsedJson
from analysis.io.label_studio import looks_like_label_studio, read_label_studio
from analysis.io.long import Mapped, map_long
from analysis.io.mturk import looks_like_mturk, map_mturk
from analysis.io.prodigy import looks_like_prodigy, read_prodigy
from analysis.io.readers.parsed import (
    CONTAINER_FORMATS,
    PARSER_ERRORS,
    THIRD_PARTY_ERRORS,
    LoadOptions,
    Parsed,
    no_rows,
    unreadable,
)
from analysis.io.tabular import RawTable, records_table
from analysis.io.wide import detect_annotator_columns, map_wide


@dataclass(frozen=True, eq=False)
class _Source:
    mapped: Mapped
    format: str
    container: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def map_table(raw: RawTable, format: str | None, mapping: ColumnMapping | None,
              file: str) -> tuple[Mapped, str]:
    """Map a table's columns to the canonical ones: MTurk, wide or long layout."""
    mapped, layout = _map_layout(raw, format, mapping, file)
    if raw.warnings:  # what the container's reader changed in cells
        mapped = replace(mapped, warnings=(*raw.warnings, *mapped.warnings))
    return mapped, layout


def wide_fallback(raw: RawTable, format: str | None, mapping: ColumnMapping | None) -> bool:
    """Whether a table without long columns is read as wide: two annotator columns or
    more, and no format or column named that says otherwise."""
    explicit = (mapping or ColumnMapping()).explicit()
    if format is not None or ANNOTATOR in explicit or LABEL in explicit:
        return False
    exclude = [explicit[ITEM]] if ITEM in explicit else []
    return len(detect_annotator_columns(raw.frame, exclude=exclude)) >= 2


def _map_layout(raw: RawTable, format: str | None, mapping: ColumnMapping | None,
                file: str) -> tuple[Mapped, str]:
    if raw.frame.empty:
        raise no_rows(file, raw.container)
    columns = [str(column) for column in raw.frame.columns]
    if format == "mturk" or (format is None and looks_like_mturk(columns)):
        return map_mturk(raw, mapping, file=file), "mturk"
    if format == "wide" or (mapping is not None and mapping.annotator_columns):
        return map_wide(raw, mapping, file=file), "wide"
    try:
        return map_long(raw, mapping, file=file), raw.container
    except AnnotationDataError:
        if not wide_fallback(raw, format, mapping):
            raise
    return map_wide(raw, mapping, file=file), "wide"


def _records_reader(parsed: ParsedJson, format: str | None) -> str | None:
    """``"label-studio"`` or ``"prodigy"`` when that reader maps these records, else None
    (records of a table)."""
    first = parsed.records[0]
    if format == "label-studio" or (format is None and looks_like_label_studio(first)):
        return "label-studio"
    if format == "prodigy" or (format is None and looks_like_prodigy(first)):
        return "prodigy"
    return None


def _mapped_json(parsed: ParsedJson, *, file: str, format: str | None,
                 mapping: ColumnMapping | None) -> tuple[Mapped, str]:
    """JSON records in canonical columns: Label Studio tasks, Prodigy answers, or rows."""
    kind = _records_reader(parsed, format)
    if kind == "label-studio":
        unit = "task" if parsed.container == "json" else parsed.unit
        return read_label_studio(parsed.records, parsed.positions, file=file, unit=unit), kind
    if kind == "prodigy":
        return read_prodigy(parsed.records, parsed.positions, file=file, unit=parsed.unit), kind
    raw = records_table(parsed.records, parsed.positions, file=file, unit=parsed.unit,
                        container=parsed.container)
    return map_table(raw, format if format != parsed.container else None, mapping, file)


def _read(parsed: Parsed, *, mapping: ColumnMapping | None, json: ParsedJson | None) -> _Source:
    file, format = parsed.file, parsed.format
    if json is not None:  # records handed over (a Label Studio question's)
        if not json.records:
            raise no_rows(file, json.container)
        mapped, layout = _mapped_json(json, file=file, format=format, mapping=mapping)
        return _Source(mapped, layout, json.container, json.encoding)
    table = parsed.table()
    if table.raw is None:
        assert table.json is not None
        mapped, layout = _mapped_json(table.json, file=file, format=format, mapping=mapping)
        return _Source(mapped, layout, table.container, table.encoding)
    layout_format = None if format in CONTAINER_FORMATS else format
    if table.json is not None:  # records: a format naming the container is no layout
        layout_format = format if format != table.container else None
    mapped, layout = map_table(table.raw, layout_format, mapping, file)
    return _Source(mapped, layout, table.container, table.encoding, table.delimiter, table.sheet)


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


def read_single(parsed: Parsed, *, mapping: ColumnMapping | None,
                json: ParsedJson | None = None) -> LoadResult:
    """Read a single-label export into the canonical table, with its report.

    Parameters
    ----------
    parsed : Parsed
    mapping : ColumnMapping or None
        Source column names that override detection.
    json : ParsedJson, optional
        Records to read instead of the export's own (one Label Studio question's).

    Raises
    ------
    AnnotationDataError
        For any file that cannot be read as annotations.
    """
    file = parsed.file
    chosen = parsed.format
    if not parsed.data:
        raise AnnotationDataError("the file is empty (0 bytes)", file=file,
                                  fix="export the annotations again")
    tally = Tally()
    label_merges = parsed.options.label_merges
    try:
        read = _read(parsed, mapping=mapping, json=json)
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
        raise unreadable(error, file=file, format=chosen) from None
    if table.empty:
        reasons = ", ".join(f"{count} {reason}" for reason, count in tally.dropped.items()
                            if count)
        spans = read.format in ("label-studio", "prodigy") and b'"start"' in parsed.data
        raise AnnotationDataError(
            f"no judgement is left after reading {mapped.rows_read} ({reasons or 'none'})",
            file=file, fix="these look like span (NER) annotations: set {task} to spans "
            "(analysis.io.load_task)" if spans
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


class SingleLabelReader:
    """Any table or record export, one label per judgement: the reader of last resort."""

    name = "single-label"
    task = "single_label"

    def sniff(self, parsed: Parsed) -> float:
        """Every export but a span export asked for; below every positive sniff."""
        return 0.0 if check_task(parsed.options.task) == "spans" else 0.1

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The canonical table and its report."""
        single = read_single(parsed, mapping=options.mapping)
        return TaskLoad("single_label", single, None,
                        {**single.report.to_dict(), "task": "single_label"})


PRIORITY = 100
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (SingleLabelReader(),)
