"""Multi-label exports: every judgement is a set of labels.

* Label Studio: the ``choices`` of one control (``from_name``), all of them.
* Prodigy choice interfaces: the ``accept`` list.
* Tables (CSV, Excel, Parquet, JSON records), long or wide: a cell holding several labels
  joined by ``label_sep`` (``--label-sep``), and/or a long table with one row per chosen
  label (rows repeating the same item and annotator).

A judgement whose label cell is empty is not a judgement (counted as ``empty_label``);
a Label Studio annotation with no choice for the question is an empty set.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import PurePath
from typing import Any

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import MultiLabelData
from analysis.data.schema import ANNOTATOR, ITEM, LABEL, TEXT
from analysis.io.columns import SYNONYMS, ColumnMapping, find_column
from analysis.io.label_lists import label_list
from analysis.io.label_studio import kept_annotations
from analysis.io.long import Mapped, map_long
from analysis.io.prodigy import kept_answers
from analysis.io.tabular import RawTable
from analysis.io.wide import detect_annotator_columns, map_wide
from analysis.messages import note

MULTI_LABEL_COLUMNS = ("labels", "tags", "categories", "classes", "choices", "accept")
"""Column names that hold a label set in a multi-label table (besides the label synonyms)."""


@dataclass
class MultiLabelRead:
    """Label sets read from one export."""

    data: MultiLabelData
    format: str
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _clean(value: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def label_studio_sets(tasks: list[Any], *, question: str | None) -> MultiLabelRead:
    """Label sets of one ``choices`` control of a Label Studio export."""
    records: list[tuple[str, str, list[str]]] = []
    texts: dict[str, str] = {}
    kept, cancelled = kept_annotations(tasks)
    for annotation in kept:
        if annotation.text is not None:
            texts[annotation.item] = annotation.text
        chosen: list[str] = []
        for result in annotation.results:
            value = result.get("value")
            choices = value.get("choices") if isinstance(value, Mapping) else None
            choices = [choices] if isinstance(choices, str) else choices  # one, as text
            if not isinstance(choices, list):
                continue
            if question is None or result.get("from_name") == question:
                chosen.extend(_clean(c) for c in choices if c not in (None, ""))
        records.append((annotation.item, annotation.annotator, chosen))
    return MultiLabelRead(MultiLabelData.from_records(records, texts), "label-studio",
                          {"cancelled": cancelled})


def prodigy_sets(records: list[Any]) -> MultiLabelRead:
    """Label sets of Prodigy choice answers (``accept`` lists)."""
    rows: list[tuple[str, str, list[str]]] = []
    texts: dict[str, str] = {}
    answers, dropped, answer_warnings = kept_answers(records, list(range(1, len(records) + 1)))
    for record, _, item, who in answers:
        accepted = record.get("accept") or []
        accepted = accepted if isinstance(accepted, list) else [accepted]
        if isinstance(record.get("text"), str):
            texts[item] = record["text"]
        rows.append((item, who, [_clean(a) for a in accepted if a not in (None, "")]))
    return MultiLabelRead(MultiLabelData.from_records(rows, texts), "prodigy", dropped,
                          answer_warnings)


def map_label_sets(raw: RawTable, *, file: str, mapping: ColumnMapping | None,
                   label_sep: str | None = None) -> tuple[Mapped, str]:
    """Map a table (long or wide) to canonical columns for label sets, without hygiene.

    A plural label column (``tags``, ``labels``...) is the label column when no column
    has a label name; label lists are kept as lists.
    """
    if raw.frame.empty:
        raise AnnotationDataError("the file has a header but no rows", file=file,
                                  fix="export the annotations again, with the judgements")
    if mapping is not None and mapping.annotator_columns:
        return map_wide(raw, mapping, file=file), "wide"
    if mapping is None or mapping.label is None:
        plural = find_column(raw.frame.columns, MULTI_LABEL_COLUMNS)
        if plural is not None and find_column(raw.frame.columns, SYNONYMS[LABEL]) is None:
            mapping = replace(mapping or ColumnMapping(), label=plural)
    try:
        return map_long(raw, mapping, file=file, one_label=False), raw.container
    except AnnotationDataError:
        if mapping is not None and (mapping.annotator or mapping.label):
            raise
        if label_sep:
            split = raw.frame.map(lambda cell: str(cell).split(label_sep)[0]
                                  if isinstance(cell, str) else cell)
            item = find_column(raw.frame.columns, SYNONYMS[ITEM])
            columns = detect_annotator_columns(split, exclude=[item] if item else [])
            if columns:
                mapping = replace(mapping or ColumnMapping(), annotator_columns=tuple(columns))
        return map_wide(raw, mapping, file=file), "wide"


def table_sets(mapped: Mapped, layout: str, *, label_sep: str | None, file: str) -> MultiLabelRead:
    """Label sets of a mapped table: split cells on ``label_sep``, gather repeated rows."""
    frame = mapped.frame
    if not {ITEM, ANNOTATOR, LABEL} <= set(frame.columns):
        raise AnnotationDataError("the table has no item, annotator and label columns",
                                  file=file, fix="name them with {item_col}, {annotator_col} "
                                  "and {label_col}, or {annotator_cols} for a wide table")
    frame = frame.assign(**{ITEM: frame[ITEM].map(_clean, na_action="ignore"),
                            ANNOTATOR: frame[ANNOTATOR].map(_clean, na_action="ignore")})
    missing = frame[ITEM].isna() | frame[ANNOTATOR].isna() | (frame[ITEM] == "") | (
        frame[ANNOTATOR] == "")
    rows = frame  # as in the file, before label lists become one row per label
    listed = frame[LABEL].map(lambda cell: isinstance(cell, list | tuple))
    if listed.any():  # typed label lists (Parquet list<string>): one row per chosen label
        frame = frame.assign(**{LABEL: frame[LABEL].map(
            lambda cell: list(cell) if isinstance(cell, list | tuple) and cell else
            ("" if isinstance(cell, list | tuple) else cell))}).explode(LABEL)
    labels = frame[LABEL].map(_clean, na_action="ignore")
    empty = labels.isna() | (labels == "")
    keep = frame.loc[~missing & ~empty].assign(**{LABEL: labels[~missing & ~empty]})
    repeated = int(keep.duplicated([ITEM, ANNOTATOR]).sum()) if rows is frame else int(
        rows.dropna(subset=[ITEM, ANNOTATOR]).duplicated([ITEM, ANNOTATOR]).sum())
    only_separators = 0
    if label_sep:
        parts = keep[LABEL].map(lambda cell: [x for x in map(_clean, cell.split(label_sep)) if x])
        only_separators = int((parts.str.len() == 0).sum())
        keep = keep.assign(**{LABEL: parts})
        # a cell of separators only is a judgement that chose no label: an empty set, kept
        grouped = keep.groupby([ITEM, ANNOTATOR], sort=False)[LABEL].agg(
            lambda cells: [x for cell in cells for x in cell])
    else:
        grouped = keep.groupby([ITEM, ANNOTATOR], sort=False)[LABEL].agg(list)
    texts: dict[str, str] = {}
    if TEXT in keep.columns:
        first = keep.dropna(subset=[TEXT]).drop_duplicates(ITEM)
        texts = dict(zip(first[ITEM], first[TEXT].astype(str), strict=True))
    records = [(i, a, chosen) for (i, a), chosen in grouped.items()]
    read = MultiLabelRead(MultiLabelData.from_records(records, texts), layout,
                          {"missing_id": int(missing.sum()), "empty_label": int((empty & ~missing).sum())})
    if repeated:
        read.warnings.append(note("load.rows_repeat", count=repeated))
    if only_separators:
        read.warnings.append(note("load.only_separator", count=only_separators, separator=label_sep))
    return read


MIN_SET_JUDGEMENTS = 3
MIN_SET_SHARE = 0.1
"""Evidence that a long table holds one row per chosen label: at least this many (item,
annotator) pairs, and this share of all pairs, have rows with different labels. Fewer are
conflicting duplicates of a single-label export (an annotator who changed their mind),
which the single-label loader reports, not a reason to read every judgement as a set."""


def has_label_sets(frame: pd.DataFrame) -> bool:
    """Whether a mapped long table repeats (item, annotator) with different labels often
    enough to be one row per chosen label (:data:`MIN_SET_JUDGEMENTS`, :data:`MIN_SET_SHARE`).

    Examples
    --------
    >>> one = pd.DataFrame({"item_id": ["1", "1", "1", "2"], "annotator": ["a", "a", "b", "a"],
    ...                     "label": ["x", "y", "x", "y"]})
    >>> has_label_sets(one)
    False
    >>> spaced = pd.DataFrame({"item_id": list("112233"), "annotator": "a",
    ...                        "label": ["x", "x ", "y", " y", "x", "x"]})
    >>> has_label_sets(spaced), has_label_sets(spaced.assign(label=list("xyxyxy")))
    (False, True)
    """
    if not {ITEM, ANNOTATOR, LABEL} <= set(frame.columns):
        return False
    # labels as the single-label reader keeps them: "pos" and "pos " are one label repeated
    labels = frame[LABEL].astype("string").str.normalize("NFC").str.strip()
    subset = frame.assign(**{LABEL: labels.mask(labels == "")}).dropna(
        subset=[ITEM, ANNOTATOR, LABEL])
    several = subset.groupby([ITEM, ANNOTATOR], sort=False)[LABEL].nunique() > 1
    return int(several.sum()) >= MIN_SET_JUDGEMENTS and float(several.mean()) >= MIN_SET_SHARE


def label_list_field(records: list[Any]) -> str | None:
    """The label field of JSON records that give judgements' labels as lists (doccano text
    classification: ``"label": ["positive"]``; Label Studio JSON-MIN: ``"topic":
    {"choices": [...]}`` beside plain strings), or None.

    The field is a label synonym or a plural label name (``labels``, ``tags``...) that holds
    labels only in every record, at least once as a list (a list may first appear after
    any number of plain labels).

    Examples
    --------
    >>> label_list_field([{"id": 1, "text": "x", "label": ["pos"], "user": "kim"}])
    'label'
    >>> label_list_field([{"id": 1, "label": "pos"}]) is None
    True
    """
    if not records or not all(type(r) is dict or isinstance(r, Mapping) for r in records):
        return None
    keys = list(dict.fromkeys(chain.from_iterable(records)))
    column = find_column(keys, (*SYNONYMS[LABEL], *MULTI_LABEL_COLUMNS))
    if column is None:
        others = [k for k in keys if any(isinstance(r.get(k), Mapping) and set(r[k]) == {"choices"}
                                         for r in records)]
        column = others[0] if len(others) == 1 else None  # JSON-MIN names it after the question
    if column is None:
        return None
    values = [value for r in records if (value := r.get(column)) is not None]
    listed = [v for v in values if type(v) not in (str, int)]
    if not listed or any(label_list(v) is None for v in listed):
        return None
    return column


def record_sets(records: list[Any], column: str, *, file: str) -> MultiLabelRead:
    """Label sets of JSON records with a label list per judgement (see :func:`label_list_field`).

    The item is the record's id field, the annotator its annotator field (``user``,
    ``annotator``...) or else the file's name (doccano writes one file per user).
    """
    keys = list(dict.fromkeys(k for r in records if isinstance(r, Mapping) for k in r))
    item_key = find_column(keys, SYNONYMS[ITEM])
    who_key = find_column(keys, SYNONYMS[ANNOTATOR])
    text_key = find_column(keys, SYNONYMS[TEXT])
    default_annotator = PurePath(file).stem or "annotator"
    rows: list[tuple[str, str, list[str]]] = []
    texts: dict[str, str] = {}
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            continue
        item = str(record[item_key]) if item_key and record.get(item_key) is not None else f"record {position}"
        who = str(record[who_key]) if who_key and record.get(who_key) is not None else default_annotator
        if text_key and isinstance(record.get(text_key), str):
            texts[item] = record[text_key]
        chosen = label_list(record.get(column)) or []
        rows.append((item, who, [_clean(x) for x in chosen if _clean(x)]))
    warnings = [] if who_key else [note("load.no_annotator_field", annotator=default_annotator)]
    return MultiLabelRead(MultiLabelData.from_records(rows, texts), "json-label-lists",
                          warnings=warnings)
