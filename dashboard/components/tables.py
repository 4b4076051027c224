"""Tables as the dashboard shows them."""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import streamlit as st

#: What a table shows for a missing value: the em dash the metric cards use for "undefined",
#: not Streamlit's default "None", which reads like a label or a program's word.
MISSING = "—"

#: Whole-number columns that are names, not amounts: shown as they are (no separators).
PLAIN_COLUMNS: Final = frozenset({"item_id", "batch", "docid", "doc", "df", "start", "end"})


def with_separators(frame: pd.DataFrame, config: dict[str, Any] | None) -> dict[str, Any]:
    """``config`` with every whole-number amount shown with thousands separators (1,120).

    A column configured with a type of its own (a number format, a checkbox...) keeps it;
    a plain header keeps its label.

    Examples
    --------
    >>> frame = pd.DataFrame({"items": [11996], "item_id": [7], "share": [0.5]})
    >>> config = with_separators(frame, {"items": "Items"})
    >>> config["items"]["label"], config["items"]["type_config"]["format"], "item_id" in config
    ('Items', 'localized', False)
    """
    config = dict(config or {})
    for column in frame.columns:
        series = frame[column]
        if (column in PLAIN_COLUMNS or pd.api.types.is_bool_dtype(series)
                or not pd.api.types.is_integer_dtype(series)):
            continue
        current = config.get(column)
        if isinstance(current, dict) and current.get("type_config"):
            continue
        label = current.get("label") if isinstance(current, dict) else current
        config[column] = st.column_config.NumberColumn(label, format="localized")
    return config


def data_table(data: Any, **options: Any) -> Any:
    """``st.dataframe`` with the dashboard's mark for a missing value and thousands
    separators in whole-number amounts.

    Parameters
    ----------
    data : DataFrame or any table ``st.dataframe`` takes
    **options
        Passed to ``st.dataframe``; ``placeholder`` defaults to :data:`MISSING`.

    Returns
    -------
    Whatever ``st.dataframe`` returns (the selection state when ``on_select`` is set).
    """
    options.setdefault("placeholder", MISSING)
    if isinstance(data, pd.DataFrame):
        options["column_config"] = with_separators(data, options.get("column_config"))
    return st.dataframe(data, **options)
