"""Table columns of engine notes that keep each note's code.

pandas stores a column of strings as its string type, which keeps the text of a
:class:`~analysis.messages.Note` but not its code, so the Korean dashboard could no longer
write it in Korean. Tables that carry notes (rounds, fatigue, bias, rater effects) hold
them in an ``object`` column instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd


def note_column(notes: Iterable[str | None], index: pd.Index | None = None) -> pd.Series:
    """``notes`` as an ``object`` column: each note stays the object it was (code and all).

    Examples
    --------
    >>> from analysis.messages import note
    >>> note_column([note("interval.disabled"), None])[0].code
    'interval.disabled'
    """
    return pd.Series(list(notes), index=index, dtype=object)


def keep_note_columns(frame: pd.DataFrame, rows: Sequence[Mapping[str, Any]],
                      names: Iterable[str]) -> pd.DataFrame:
    """``frame`` (built from ``rows``, one per row) with its columns ``names`` as :func:`note_column`.

    Examples
    --------
    >>> from analysis.messages import note
    >>> rows = [{"n": 1, "note": note("interval.disabled")}]
    >>> keep_note_columns(pd.DataFrame(rows), rows, ["note"])["note"][0].code
    'interval.disabled'
    """
    for name in names:
        frame[name] = note_column((row.get(name) for row in rows), frame.index)
    return frame
