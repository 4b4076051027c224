"""Multi-label tables (CSV/TSV, Excel, Parquet, JSON records): a cell of labels joined by a
separator, a typed list of labels, or one row per chosen label.

Asked for (``task="multi_label"`` or ``label_sep``) a table is read as label sets. Left to
detection, a table is one when its cells show it:

* ``lists``: the label column of a JSON or Parquet table holds lists of several labels;
* ``separated``: no column has a label name, a plural one (``tags``, ``labels``...) does,
  and its cells join labels with ``|`` or ``;``;
* ``rows``: rows repeat an item and annotator with different labels often enough
  (:func:`analysis.io.multilabel.has_label_sets`) and no timestamp says which is current.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.data.schema import ANNOTATOR, ITEM, LABEL
from analysis.io.columns import SYNONYMS, ColumnMapping, find_column, resolve_columns
from analysis.io.label_lists import label_list
from analysis.io.long import Mapped
from analysis.io.mturk import looks_like_mturk
from analysis.io.multilabel import MULTI_LABEL_COLUMNS, has_label_sets, map_label_sets, table_sets
from analysis.io.readers.parsed import CONTAINER_FORMATS, LoadOptions, Parsed
from analysis.io.readers.reports import task_report
from analysis.io.readers.single_label import wide_fallback
from analysis.io.tabular import RawTable, records_table
from analysis.messages import note

SET_SEPARATORS = ("|", ";")
"""Separators looked for, in order, when a plural label column joins several labels per cell."""
WARNINGS = {"lists": "load.label_lists", "separated": "load.label_separated", "rows": "load.label_rows"}


@dataclass(frozen=True)
class Evidence:
    """Why a table holds label sets: ``asked``, ``lists``, ``separated`` or ``rows``."""

    kind: str
    separator: str | None = None


def _raw(parsed: Parsed) -> RawTable | None:
    """The export's table; Label Studio and Prodigy records as rows. None when the export
    cannot be read as a table (the single-label reader then says why)."""
    try:
        table = parsed.table()
    except AnnotationDataError:
        return None
    if table.raw is not None:
        return table.raw
    assert table.json is not None
    found = table.json
    return parsed.memo("records-table", lambda: records_table(
        found.records, found.positions, file=parsed.file, unit=found.unit,
        container=found.container))


def _label_sets(parsed: Parsed, mapping: ColumnMapping | None) -> tuple[Mapped, str] | None:
    raw = _raw(parsed)
    if raw is None:
        return None
    try:
        return parsed.memo(f"label-sets {mapping!r}", lambda: map_label_sets(
            raw, file=parsed.file, mapping=mapping))
    except AnnotationDataError:
        return None


def _has_lists(parsed: Parsed, raw: RawTable, layout_format: str | None) -> bool:
    """A JSON or Parquet long table whose label cells list several labels."""
    mapping = parsed.options.mapping
    columns = [str(column) for column in raw.frame.columns]
    if raw.container not in ("json", "jsonl", "parquet") or raw.frame.empty or (
            layout_format == "mturk" or (layout_format is None and looks_like_mturk(columns))
            or layout_format == "wide" or (mapping is not None and mapping.annotator_columns)):
        return False
    try:
        column = resolve_columns(columns, mapping, file=parsed.file).get(LABEL)
    except AnnotationDataError:
        return False
    labels = raw.frame[column]
    if labels.dtype != object:
        return False
    return any(isinstance(cell, list | dict) and len(label_list(cell) or []) > 1
               for cell in labels)


def _separator(parsed: Parsed, raw: RawTable, layout_format: str | None) -> str | None:
    """The separator of a plural label column in a long table that has no label column."""
    columns = [str(column) for column in raw.frame.columns]
    if (parsed.options.mapping is not None or raw.frame.empty or layout_format is not None
            or looks_like_mturk(columns) or find_column(columns, SYNONYMS[LABEL]) is not None
            or find_column(columns, MULTI_LABEL_COLUMNS) is None
            or find_column(columns, SYNONYMS[ITEM]) is None
            or find_column(columns, SYNONYMS[ANNOTATOR]) is None
            or wide_fallback(raw, layout_format, None)):
        return None
    found = _label_sets(parsed, None)
    if found is None or found[1] == "wide" or LABEL not in found[0].frame.columns:
        return None
    cells = found[0].frame[LABEL].dropna().astype(str)
    return next((separator for separator in SET_SEPARATORS
                 if cells.str.contains(separator, regex=False).any()), None)


def evidence(parsed: Parsed) -> Evidence | None:
    """Why the export is read as a multi-label table, or None when it is not one."""
    return parsed.memo("label-set-table", lambda: _evidence(parsed))


def _evidence(parsed: Parsed) -> Evidence | None:
    options = parsed.options
    wanted = check_task(options.task)
    if wanted == "multi_label" or (options.label_sep and wanted != "spans"):
        return Evidence("asked")
    if wanted is not None or parsed.folder is not None:
        return None
    raw = _raw(parsed)
    if raw is None:
        return None
    table = parsed.table()
    if table.raw is None:  # Label Studio and Prodigy records are read as such
        return None
    format = parsed.format
    layout_format = None if format in CONTAINER_FORMATS else format
    if table.json is not None:
        layout_format = format if format != table.container else None
    if _has_lists(parsed, raw, layout_format):
        return Evidence("lists")
    separator = _separator(parsed, raw, layout_format)
    if separator is not None:
        return Evidence("separated", separator)
    found = _label_sets(parsed, options.mapping)
    if found is None or LABEL not in found[0].frame.columns or found[0].frame[LABEL].map(
            lambda cell: isinstance(cell, list | dict)).any():  # records of another format
        return None
    if "timestamp" not in found[0].frame.columns and has_label_sets(found[0].frame):
        return Evidence("rows")
    return None


class LabelSetTableReader:
    """Tables whose judgements are label sets."""

    name = "label-set-table"
    task = "multi_label"

    def sniff(self, parsed: Parsed) -> float:
        """0.3 for a table of label sets (asked for, or shown by its cells), else 0."""
        return 0.3 if evidence(parsed) is not None else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The label sets and their report."""
        why = evidence(parsed)
        assert why is not None
        file = parsed.file
        raw = _raw(parsed)
        if raw is None:
            parsed.table()  # raises what makes the export unreadable
        assert raw is not None
        if why.kind == "asked":
            mapped, layout = map_label_sets(raw, file=file, mapping=options.mapping,
                                            label_sep=options.label_sep)
            read = table_sets(mapped, layout, label_sep=options.label_sep, file=file)
            return TaskLoad("multi_label", None, read.data,
                            task_report(read, file=file, task="multi_label"))
        found = _label_sets(parsed, None if why.kind == "separated" else options.mapping)
        assert found is not None
        read = table_sets(*found, label_sep=why.separator, file=file)
        warning = (note(WARNINGS[why.kind], separator=why.separator) if why.kind == "separated"
                   else note(WARNINGS[why.kind]))
        return TaskLoad("multi_label", None, read.data,
                        task_report(read, file=file, task="multi_label", warnings=[warning]))


PRIORITY = 90
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (LabelSetTableReader(),)
