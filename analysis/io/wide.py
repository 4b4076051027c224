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

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ANNOTATOR, BATCH, GROUP, ITEM, LABEL, TEXT, TEXT_B, TIMESTAMP
from analysis.io.columns import SYNONYMS, ColumnMapping, describe_columns, find_column
from analysis.io.long import Mapped
from analysis.io.tabular import RawTable
from analysis.io.values import _cell_text, as_text

MAX_VOCABULARY: Final = 30


def _text_codes(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``as_text`` of each of ``columns``, stripped, as codes into distinct texts: codes of
    shape (rows, columns), ``-1`` where a cell is empty, and the texts.

    All columns are converted together (Arrow text columns in one Arrow call, the others in
    one factorisation), once per distinct value: one pandas pass per column made a wide
    table of 9,000 annotator columns take minutes.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    by_name = {str(name): series.array for name, series in frame.items()}
    arrays = [by_name[str(column)] for column in columns]
    n_rows = len(frame)
    arrow = [k for k, a in enumerate(arrays)
             if isinstance(a.dtype, pd.StringDtype) and a.dtype.storage == "pyarrow"]
    other = sorted(set(range(len(arrays))) - set(arrow))
    pieces: list[np.ndarray] = []
    codes = np.full((n_rows, len(arrays)), -1, dtype=np.int64)
    if arrow:
        # a long column is read in several chunks: concatenate the chunks, column after column
        joined = pa.chunked_array([pa.array(arrays[k], type=pa.large_string()) for k in arrow],
                                  type=pa.large_string()).combine_chunks()
        trimmed = pc.utf8_trim_whitespace(joined)
        encoded = pc.if_else(pc.equal(trimmed, ""), None, trimmed).dictionary_encode()
        indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        codes[:, arrow] = indices.reshape(len(arrow), n_rows).T
        pieces.append(np.asarray(encoded.dictionary.to_pylist(), dtype=object))
    if other:
        block = np.column_stack([np.asarray(arrays[k], dtype=object) for k in other])
        try:
            found, uniques = pd.factorize(block.ravel(), use_na_sentinel=True)
            texts = [_cell_text(value) for value in uniques]
        except TypeError:  # unhashable cells (lists from JSON): column by column
            texts = [as_text(pd.Series(arrays[k])) for k in other]
            found, uniques = pd.factorize(pd.concat(texts, ignore_index=True).to_numpy(dtype=object))
            texts = list(uniques)
            found = found.reshape(len(other), n_rows).T.ravel()
        stripped = [None if t is pd.NA or t is None or not str(t).strip() else str(t).strip()
                    for t in texts]
        distinct, renumber = pd.factorize(pd.Series(stripped, dtype=object), use_na_sentinel=True)
        offset = sum(len(piece) for piece in pieces)
        mapped = np.where(distinct >= 0, distinct + offset, -1)
        codes[:, other] = np.append(mapped, -1)[found].reshape(n_rows, len(other))
        pieces.append(np.asarray(renumber, dtype=object))
    texts = np.concatenate(pieces) if pieces else np.empty(0, dtype=object)
    if len(pieces) > 1:  # the same text from both kinds of column: one code
        merged, texts = pd.factorize(texts)
        codes = np.where(codes >= 0, merged[np.maximum(codes, 0)], -1)
        texts = np.asarray(texts, dtype=object)
    return codes, texts


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
    candidates = [str(column) for column in frame.columns if str(column) not in exclude]
    if len(candidates) < 2:
        return []
    block, values = _text_codes(frame, candidates)
    present = block >= 0
    if len(values) == 0:
        return []
    column = np.broadcast_to(np.arange(len(candidates), dtype=np.int64), block.shape)[present]
    pairs = np.unique(column * len(values) + block[present])  # (column, value), distinct
    pair_column, pair_value = pairs // len(values), pairs % len(values)
    size = np.bincount(pair_column, minlength=len(candidates))
    small = (size > 0) & (size <= MAX_VOCABULARY)
    in_small = small[pair_column]
    columns_with_value = np.bincount(pair_value[in_small], minlength=len(values))
    shares = np.zeros(len(candidates), dtype=bool)
    shares[pair_column[in_small & (columns_with_value[pair_value] >= 2)]] = True
    if int(shares.sum()) < 2:
        return []
    union = np.unique(pair_value[shares[pair_column]]).size
    cells = int(present[:, shares].sum())
    if union > MAX_VOCABULARY or union >= cells:
        return []
    return [name for name, chosen in zip(candidates, shares, strict=True) if chosen]


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
    if n_columns:
        codes, texts = _text_codes(frame, annotator_columns)
        labels = np.append(texts, None)[codes.ravel()]
    else:
        labels = np.array([], dtype=object)
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
    keep = labels != None  # noqa: E711 - elementwise: empty cells are not judgements
    long = pd.DataFrame({name: values[keep] for name, values in columns.items()})
    return long, rows[keep]


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
        both = [column for column in annotator_columns if column in (item, *optional.values())]
        if both:
            raise AnnotationDataError(
                f"the column {both[0]!r} is given both as an annotator column and for "
                f"{'item_id' if both[0] == item else 'another field'}", file=file,
                location="header", fix="leave it out of {annotator_cols}, or name another column")
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
