"""Wide tables: one row per item, one column per annotator; and the long <-> wide round trip.

A table is read as wide when no annotator or label column is found but several columns
share one small label vocabulary (at most ``MAX_VOCABULARY`` labels). Empty cells mean
"this annotator did not label this item" and are not judgements, so they are not counted
as dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from analysis.errors import AnnotationDataError
from analysis.io.columns import SYNONYMS, ColumnMapping, describe_columns, find_column
from analysis.io.long import Mapped
from analysis.io.tabular import RawTable
from analysis.io.values import as_text
from analysis.schema import ANNOTATOR, BATCH, GROUP, ITEM, LABEL, TEXT, TEXT_B, TIMESTAMP

MAX_VOCABULARY: Final = 30


def _vocabulary(series: pd.Series) -> set[str]:
    values = as_text(series).str.strip()
    return set(values[values.notna() & (values != "")].unique())


def detect_annotator_columns(frame: pd.DataFrame, *, exclude: Sequence[str]) -> list[str]:
    """Columns that look like one annotator each: they share a small label vocabulary.

    Returns an empty list when fewer than two such columns exist.

    Examples
    --------
    >>> frame = pd.DataFrame({"item": ["1", "2", "3"], "ann1": ["pos", "neg", "pos"],
    ...                       "ann2": ["pos", "pos", "neg"], "note": ["a", "b", "c"]})
    >>> detect_annotator_columns(frame, exclude=["item"])
    ['ann1', 'ann2']
    """
    vocabularies = {
        str(column): _vocabulary(frame[column])
        for column in frame.columns
        if str(column) not in exclude
    }
    small = {name: vocab for name, vocab in vocabularies.items()
             if 0 < len(vocab) <= MAX_VOCABULARY}
    shared = [
        name for name, vocab in small.items()
        if any(vocab & other for other_name, other in small.items() if other_name != name)
    ]
    if len(shared) < 2:
        return []
    union = set().union(*(small[name] for name in shared))
    cells = int(sum(frame[name].notna().sum() for name in shared))
    if len(union) > MAX_VOCABULARY or len(union) >= cells:
        return []
    return shared


def from_wide(
    frame: pd.DataFrame,
    *,
    item_column: str,
    annotator_columns: Sequence[str],
    text_column: str | None = None,
) -> pd.DataFrame:
    """Long table (item_id, annotator, label[, text]) from a wide one, row-major order.

    Empty cells are skipped. Annotator names are the column names.

    Examples
    --------
    >>> wide = pd.DataFrame({"item_id": ["1", "2"], "ann": ["x", None], "bob": ["y", "x"]})
    >>> from_wide(wide, item_column="item_id", annotator_columns=["ann", "bob"]).to_dict("list")
    {'item_id': ['1', '1', '2'], 'annotator': ['ann', 'bob', 'bob'], 'label': ['x', 'y', 'x']}
    """
    long, _ = _stack(frame, item_column=item_column, annotator_columns=annotator_columns,
                     text_column=text_column)
    return long.reset_index(drop=True)


def _stack(
    frame: pd.DataFrame, *, item_column: str, annotator_columns: Sequence[str],
    text_column: str | None, extra: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    n_rows, n_columns = len(frame), len(annotator_columns)
    labels = np.column_stack(
        [as_text(frame[column]).to_numpy(dtype=object) for column in annotator_columns]
    ).ravel() if n_columns else np.array([], dtype=object)
    rows = np.repeat(np.arange(n_rows), n_columns)
    columns = {
        ITEM: as_text(frame[item_column]).to_numpy(dtype=object)[rows],
        ANNOTATOR: np.tile(np.asarray([str(c) for c in annotator_columns], dtype=object), n_rows),
        LABEL: labels,
    }
    if text_column is not None:
        columns[TEXT] = as_text(frame[text_column]).to_numpy(dtype=object)[rows]
    for canonical, source in (extra or {}).items():
        columns[canonical] = frame[source].to_numpy(dtype=object)[rows]
    long = pd.DataFrame(columns)
    label_text = long[LABEL].astype("string").str.strip()
    keep = (label_text.notna() & (label_text != "")).to_numpy()
    return long.loc[keep], rows[keep]


def to_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Wide table from a canonical one: ``item_id``, ``text`` (when present), one column
    per annotator, both in order of first appearance.

    Raises
    ------
    AnnotationDataError
        When an (item, annotator) pair has more than one row, or an annotator is named
        like the item or text column.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["1", "1", "2"], "annotator": ["a", "b", "a"],
    ...                       "label": ["x", "y", "x"]})
    >>> to_wide(table).to_dict("list")
    {'item_id': ['1', '2'], 'a': ['x', 'x'], 'b': ['y', nan]}
    """
    annotators = list(pd.unique(table[ANNOTATOR]))
    clashes = sorted({ITEM, TEXT} & {str(a) for a in annotators})
    if clashes:
        raise AnnotationDataError(
            f"annotator(s) {clashes} are named like a column of the wide table",
            fix="rename those annotators before converting",
        )
    if table.duplicated([ITEM, ANNOTATOR]).any():
        raise AnnotationDataError(
            "the table holds more than one label for the same item and annotator",
            fix="load it with analysis.io.load_annotations, which resolves duplicates",
        )
    items = pd.unique(table[ITEM])
    grid = table.pivot(index=ITEM, columns=ANNOTATOR, values=LABEL)
    grid = grid.reindex(index=items, columns=annotators).astype(object)
    grid = grid.where(grid.notna(), np.nan)
    wide = grid.reset_index(drop=True)
    wide.columns = [str(a) for a in annotators]
    wide.insert(0, ITEM, list(items))
    if TEXT in table.columns and table[TEXT].notna().any():
        texts = table.groupby(ITEM, sort=False)[TEXT].first().reindex(items)
        wide.insert(1, TEXT, texts.to_numpy())
    return wide


def map_wide(raw: RawTable, mapping: ColumnMapping | None, *, file: str) -> Mapped:
    """Read a wide source table into canonical columns."""
    frame = raw.frame
    names = [str(column) for column in frame.columns]
    given = mapping or ColumnMapping()
    item = given.item_id or find_column(names, SYNONYMS[ITEM]) or (names[0] if names else None)
    optional = {}
    for canonical, explicit in ((TEXT, given.text), (TIMESTAMP, given.timestamp),
                                (BATCH, given.batch), (GROUP, given.annotator_group),
                                (TEXT_B, given.text_b)):
        source = explicit or find_column([n for n in names if n != item], SYNONYMS[canonical])
        if source is not None:
            optional[canonical] = source
    for source in [item, *optional.values()]:
        if source not in names:
            raise AnnotationDataError(
                f"the column {source!r} does not exist; columns found: {describe_columns(names)}",
                file=file, location="header", fix="name an existing column",
            )
    if given.annotator_columns:
        annotator_columns = list(given.annotator_columns)
        missing = [column for column in annotator_columns if column not in names]
        if missing:
            raise AnnotationDataError(
                f"annotator column(s) {missing} do not exist; columns found: "
                f"{describe_columns(names)}",
                file=file, location="header", fix="pass existing columns with {annotator_cols}",
            )
    else:
        annotator_columns = detect_annotator_columns(frame, exclude=[item, *optional.values()])
    if len(annotator_columns) < 1:
        raise AnnotationDataError(
            f"no annotator columns were found in this wide table; columns found: "
            f"{describe_columns(names)}",
            file=file, location="header",
            fix="list them with {annotator_cols} (A,B,C), or for a long table name the "
            "columns with {annotator_col} and {label_col}",
        )
    text = optional.pop(TEXT, None)
    long, rows = _stack(frame, item_column=item, annotator_columns=annotator_columns,
                        text_column=text, extra=optional)
    used = {ITEM: item, ANNOTATOR: "(column names)", LABEL: list(annotator_columns)}
    if text is not None:
        used[TEXT] = text
    used.update(optional)
    return Mapped(long.reset_index(drop=True), raw.positions[rows], raw.unit, used, len(long))
