"""Long tables (one row per judgement): map the source columns to the canonical ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.io.columns import ColumnMapping, resolve_columns
from analysis.io.tabular import RawTable


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
    """

    frame: pd.DataFrame
    positions: npt.NDArray[np.int64]
    unit: str
    mapping: dict[str, Any]
    rows_read: int
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def map_long(raw: RawTable, mapping: ColumnMapping | None, *, file: str) -> Mapped:
    """Select and rename the canonical columns of a long table.

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
    return Mapped(frame, raw.positions, raw.unit, dict(columns), len(frame))
