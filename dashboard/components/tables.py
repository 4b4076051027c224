"""Tables as the dashboard shows them."""

from __future__ import annotations

from typing import Any

import streamlit as st

#: What a table shows for a missing value: the em dash the metric cards use for "undefined",
#: not Streamlit's default "None", which reads like a label or a program's word.
MISSING = "—"


def data_table(data: Any, **options: Any) -> Any:
    """``st.dataframe`` with the dashboard's mark for a missing value.

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
    return st.dataframe(data, **options)
