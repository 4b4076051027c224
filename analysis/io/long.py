"""Long tables (one row per judgement): map the source columns to the canonical ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import SeveralLabelsError
from analysis.data.schema import LABEL
from analysis.io.columns import ColumnMapping, resolve_columns
from analysis.io.label_lists import label_list
from analysis.io.tabular import RawTable
from analysis.messages import note


@dataclass(frozen=True, eq=False)
class Mapped:
    """Judgements in canonical columns (values still raw), before hygiene.

    Attributes
    ----------
    frame : DataFrame
        Canonical columns that the source has.
    positions : ndarray of int
        Source place of each row, in ``unit``.
    unit : str
        ``"line"``, ``"row"``, ``"record"`` or ``"task"``.
    mapping : dict
        ``{canonical: source column or field}`` used, for the report.
    rows_read : int
        Source judgements seen, including any the format reader already dropped.
    dropped : dict
        Judgements the format reader dropped, per reason (e.g. ``cancelled``).
    warnings : tuple of str
        Format-specific warnings.
    unused : tuple of str
        Source columns that no canonical field reads (a long table's), for the report.
    """

    frame: pd.DataFrame
    positions: npt.NDArray[np.int64]
    unit: str
    mapping: dict[str, Any]
    rows_read: int
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()


def map_long(raw: RawTable, mapping: ColumnMapping | None, *, file: str,
             one_label: bool = True) -> Mapped:
    """Select and rename the canonical columns of a long table.

    With ``one_label`` (the single-label loader) a JSON or Parquet label list of one label
    is that label, and a list of several is an error; the multi-label reader keeps lists.

    Examples
    --------
    >>> raw = RawTable(pd.DataFrame({"Task": ["1"], "Rater": ["a"], "Intent": ["x"]}),
    ...                np.array([2]), "line", "csv")
    >>> map_long(raw, None, file="x.csv").frame.columns.tolist()
    ['item_id', 'annotator', 'label']
    """
    columns = resolve_columns(list(raw.frame.columns), mapping, file=file)
    frame = raw.frame.loc[:, list(columns.values())].reset_index(drop=True)
    frame.columns = list(columns)
    if one_label and raw.container in ("json", "jsonl", "parquet") and frame[LABEL].dtype == object:
        frame[LABEL] = _one_label_each(frame[LABEL], raw, column=columns[LABEL], file=file)
    unused = tuple(str(c) for c in raw.frame.columns if str(c) not in set(columns.values()))
    return Mapped(frame, raw.positions, raw.unit, dict(columns), len(frame),
                  warnings=_repeated_names(list(raw.frame.columns), columns), unused=unused)


def _repeated_names(names: list[object], used: dict[str, str]) -> tuple[str, ...]:
    """A warning for each column that repeats the name of a column read (the reader
    renames the second ``label`` to ``label.1``): only the first is read.

    Examples
    --------
    >>> _repeated_names(["item", "label", "label.1"], {"label": "label"})
    ("the header names 'label' twice (the second is read as 'label.1'): only the first 'label' column is read as label; rename the other if it holds judgements",)
    """
    present = {str(name) for name in names}
    out = []
    for canonical, source in used.items():
        again = sorted(name for name in present
                       if name.startswith(f"{source}.") and name[len(source) + 1:].isdigit())
        if len(again) > 1:
            out.append(note("load.header_times", source=source, times=len(again) + 1, second=again[0],
                            canonical=canonical))
        elif again:
            out.append(note("load.header_twice", source=source, second=again[0], canonical=canonical))
    return tuple(out)


def _one_label_each(labels: pd.Series, raw: RawTable, *, column: str, file: str) -> pd.Series:
    """JSON label lists (doccano's ``["positive"]``, Label Studio JSON-MIN's
    ``{"choices": [...]}``) as their one label, an empty list as no label; a list of several
    is an error here (one label per judgement), read as multi-label by the task loader."""
    listed = labels.map(lambda value: isinstance(value, list | dict))
    if not listed.any():
        return labels
    unwrapped = labels.copy()
    for index in np.flatnonzero(listed.to_numpy()):
        chosen = label_list(labels.iat[index])
        if chosen is not None and len(chosen) > 1:
            raise SeveralLabelsError(
                f"a judgement holds several labels in {column!r} ({', '.join(chosen)}), so "
                "one label per item would lose some", file=file, location=raw.where(int(index)),
                fix="leave the task to detection, or set it to multi_label")
        if chosen is not None:
            unwrapped.iat[index] = chosen[0] if chosen else None
    return unwrapped
