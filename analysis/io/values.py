"""Cell values to canonical types: strings for ids and labels, UTC datetimes for time."""

from __future__ import annotations

import json
import math
import re
from typing import Final

import numpy as np
import pandas as pd

# Time-zone abbreviations that MTurk and some exports write; pandas does not parse them.
ZONE_ABBREVIATIONS: Final[dict[str, str]] = {
    "UTC": "+0000", "GMT": "+0000", "PST": "-0800", "PDT": "-0700", "MST": "-0700",
    "MDT": "-0600", "CST": "-0600", "CDT": "-0500", "EST": "-0500", "EDT": "-0400",
    "KST": "+0900", "JST": "+0900", "CET": "+0100", "CEST": "+0200",
}
_ZONE_PATTERN = re.compile(r"\b(" + "|".join(ZONE_ABBREVIATIONS) + r")\b")


def _cell_text(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return pd.NA
    if isinstance(value, float):
        if math.isnan(value):
            return pd.NA
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def as_text(series: pd.Series) -> pd.Series:
    """Any column as pandas ``string`` dtype; integral floats lose their ``.0``.

    Examples
    --------
    >>> as_text(pd.Series([1.0, 2.5, None, "x"])).tolist()
    ['1', '2.5', <NA>, 'x']
    """
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.na_value is pd.NA:
        return series
    if series.dtype == object or pd.api.types.is_float_dtype(series.dtype):
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # unhashable cells (lists, dicts from JSON): convert one by one
            return pd.Series([_cell_text(value) for value in series], index=series.index,
                             dtype="string")
        converted = np.array([_cell_text(value) for value in uniques] + [pd.NA], dtype=object)
        return pd.Series(converted[codes], index=series.index, dtype="string")
    return series.astype("string")


NS_RANGE: Final = (pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC"))
"""The times a ``datetime64[ns]`` column can hold: 1677-09-21 to 2262-04-11."""


def _to_ns(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``values`` (any datetime resolution, UTC) as nanoseconds; times outside
    :data:`NS_RANGE` become ``NaT`` and are flagged."""
    if str(values.dtype) == "datetime64[ns, UTC]":
        return values, pd.Series(False, index=values.index)
    outside = values.notna() & ((values < NS_RANGE[0]) | (values > NS_RANGE[1]))
    inside = values.mask(outside)
    return inside.astype("datetime64[ns, UTC]"), outside


def parse_timestamps(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column to ``datetime64[ns, UTC]``; naive times are taken as UTC.

    Returns
    -------
    parsed : Series of datetime64[ns, UTC]
    unparsable : Series of bool
        True where a non-empty value could not be parsed (it becomes ``NaT``).

    Examples
    --------
    >>> parsed, bad = parse_timestamps(pd.Series(["2024-03-01T09:00:00+09:00", "soon", None]))
    >>> parsed.dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-01 00:00', nan, nan]
    >>> bad.tolist()
    [False, True, False]
    """
    parsed, unparsable, outside = parse_timestamps_in_range(series)
    return parsed, unparsable | outside


def parse_timestamps_in_range(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`parse_timestamps` that tells times outside 1677-2262 apart.

    Returns
    -------
    parsed : Series of datetime64[ns, UTC]
    unparsable : Series of bool
        Non-empty values that are not a time.
    outside : Series of bool
        Times that parse but lie outside :data:`NS_RANGE` (e.g. the year 9999 that some
        tools write for "never"); they become ``NaT``.

    Examples
    --------
    >>> parsed, bad, outside = parse_timestamps_in_range(pd.Series(["2024-01-01", "2300-01-01"]))
    >>> parsed.isna().tolist(), bad.tolist(), outside.tolist()
    ([False, True], [False, False], [False, True])
    """
    no = pd.Series(False, index=series.index)
    present = series.notna()
    if not present.any():
        empty = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns, UTC]")
        return empty, no, no
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.dt.tz_localize("UTC") if series.dt.tz is None else series.dt.tz_convert("UTC")
        parsed, outside = _to_ns(values)
        return parsed, no, outside
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = pd.to_numeric(series, errors="coerce")
        unit = "ms" if numbers.abs().max() > 1e11 else "s"
        values = pd.to_datetime(numbers, unit=unit, utc=True, errors="coerce")
        parsed, outside = _to_ns(values)
        return parsed, present & values.isna(), outside
    text = as_text(series).str.strip()
    text = text.mask(text == "")
    text = text.str.replace(
        _ZONE_PATTERN, lambda match: ZONE_ABBREVIATIONS[match.group(1)], regex=True
    )
    plain = text.astype(object).where(text.notna(), None)
    values = pd.to_datetime(plain, utc=True, errors="coerce", format="ISO8601")
    retry = values.isna() & text.notna()
    if retry.any():
        values = values.astype("datetime64[us, UTC]") if values.dtype.unit == "ns" else values
        values[retry] = pd.to_datetime(plain[retry], utc=True, errors="coerce", format="mixed")
    parsed, outside = _to_ns(values)
    return parsed, text.notna() & values.isna(), outside
