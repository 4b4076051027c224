"""Safe table exports: CSV that spreadsheet programs cannot execute.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel, LibreOffice and Google Sheets (CSV/formula injection). Every CSV
the product writes goes through :func:`safe_csv`, which prefixes such cells with a
single quote so they are shown as text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

import pandas as pd

FORMULA_PREFIXES: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")

_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
"""A cell that is only a number (``-1``, ``+1``, ``-0.5``, ``1e-3``, ``-5%``): a
spreadsheet reads it as that number, never as a formula, so it is written unchanged."""


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a number and nothing else (no formula can hide in it).

    Examples
    --------
    >>> is_plain_number("-1"), is_plain_number("+1"), is_plain_number("-1+1"), is_plain_number("-A1")
    (True, True, False, False)
    """
    return _NUMBER.fullmatch(text) is not None


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Numbers are left alone, also when written as text (``-3``, ``"+1"``: a sentiment
    label is a number, not a formula), so the exported value is the value.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell("ok"), neutralise_cell(-3)
    ('\\'=HYPERLINK("http://x")', 'ok', -3)
    >>> neutralise_cell("-1"), neutralise_cell("+1"), neutralise_cell("-1+cmd|' /C calc'!A0")
    ('-1', '+1', "'-1+cmd|' /C calc'!A0")
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not is_plain_number(value):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            text = values.astype("string")
            risky = (text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
                     & ~text.str.fullmatch(_NUMBER.pattern).fillna(False).astype(bool))
            if risky.any():
                safe[column] = text.mask(risky, "'" + text)
    safe.columns = [neutralise_cell(str(column)) for column in safe.columns]
    return safe


def safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no index) with formula cells neutralised.

    Lines end in CRLF (RFC 4180), so a cell holding a line break of either kind is
    quoted and stays one cell in every spreadsheet program.

    Examples
    --------
    >>> safe_csv(pd.DataFrame({"item_id": ["a", "b"], "note": ["=1+1", "@SUM(A1)"]})).splitlines()
    ['item_id,note', "a,'=1+1", "b,'@SUM(A1)"]
    """
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\r\n")


def write_safe_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write :func:`safe_csv` to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(safe_csv(frame), encoding="utf-8", newline="")
    return target
