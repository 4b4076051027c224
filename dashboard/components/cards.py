"""Metric cards and tables of metric objects (``{"value", "ci_low", "ci_high", "n", "note"}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components.notes import metric_note
from dashboard.components.text import md
from dashboard.i18n import current_language, t, t_or


def format_value(value: float | None, *, digits: int = 3) -> str:
    """A metric value as the dashboard prints it: 3 decimals, an em dash when undefined.

    Examples
    --------
    >>> format_value(0.71234), format_value(None)
    ('0.712', '—')
    """
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{value:.{digits}f}"


def format_p(value: float | None) -> str:
    """A p-value as a reader takes it in: 3 decimals, else ``< 0.001``; a dash when untested.

    Examples
    --------
    >>> format_p(0.0534), format_p(5.8e-11), format_p(float("nan"))
    ('0.053', '< 0.001', '—')
    """
    if value is None or value != value:
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def interval_cell(low: float | None, high: float | None, *, digits: int = 3) -> str:
    """A 95% interval as one table cell, ``[low, high]``; empty when there is none.

    Examples
    --------
    >>> interval_cell(0.4, 0.61), interval_cell(None, 0.5), interval_cell(-3.25, -1.8, digits=2)
    ('[0.400, 0.610]', '', '[-3.25, -1.80]')
    """
    if low is None or high is None or low != low or high != high:
        return ""
    return f"[{low:.{digits}f}, {high:.{digits}f}]"


def interval_text(metric: Mapping[str, Any]) -> str:
    """``95% CI [low, high] · n = N``, or the reason there is no interval."""
    low, high = metric.get("ci_low"), metric.get("ci_high")
    if low is None or high is None:
        return t("metric.no_ci", n=metric.get("n", 0))
    return t("metric.ci", low=format_value(low), high=format_value(high), n=metric.get("n", 0))


def band_text(interpretation: Mapping[str, Any] | None) -> str | None:
    """The interpretation band and its source, e.g. ``substantial (Landis & Koch 1977)``."""
    if not interpretation:
        return None
    band = interpretation.get("band") or interpretation.get("label")
    source = interpretation.get("source")
    if not band:
        return None
    band = t(f"band.{band}")  # every band of analysis.metrics.bands has a string (a test checks)
    # The short citation ("Landis & Koch (1977)"); the full one is in the report files.
    return t("metric.band", band=band, source=str(source).split(",")[0]) if source else str(band)


def render_metric_card(
    title: str,
    metric: Mapping[str, Any],
    *,
    interpretation: Mapping[str, Any] | None = None,
    help_text: str | None = None,
    no_band: str | None = None,
) -> None:
    """One headline number: value, 95% interval, support, band with its source, note.

    ``no_band`` is the caption shown instead of a band when the metric has none.
    """
    with st.container(border=True):
        st.metric(title, format_value(metric.get("value")), help=help_text)
        st.caption(interval_text(metric))
        band = band_text(interpretation)
        if band:
            st.caption(band)
        elif no_band and metric.get("value") is not None:
            st.caption(no_band)
        if metric.get("value") is None and metric.get("note"):
            st.caption(t("metric.undefined", note=md(metric_note(metric["note"], current_language()))))


def metrics_frame(rows: Mapping[str, Mapping[str, Any]], columns: Mapping[str, str], *, index_name: str) -> pd.DataFrame:
    """A table with one row per key of ``rows`` and value + interval columns per metric.

    Parameters
    ----------
    rows : mapping
        Row name -> {metric key -> metric object or plain value}.
    columns : mapping
        Metric key -> column title.
    """
    records = []
    for name, entry in rows.items():
        record: dict[str, Any] = {index_name: name}
        for key, title in columns.items():
            metric = entry.get(key)
            if isinstance(metric, Mapping):
                record[title] = metric.get("value")
                record[f"{title} · {t('metric.ci_short')}"] = _interval(metric)
            else:
                record[title] = metric
        records.append(record)
    return pd.DataFrame.from_records(records)


def _interval(metric: Mapping[str, Any]) -> str:
    return interval_cell(metric.get("ci_low"), metric.get("ci_high"))


def column_labels(frame: pd.DataFrame, *, number_format: str = "%.3f") -> dict[str, Any]:
    """``st.dataframe`` column settings: translated headers (``col.<name>``), 3 decimals."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        label = t_or(f"col.{column}", str(column))  # a column without a header string keeps its name
        if pd.api.types.is_float_dtype(frame[column]):
            config[column] = st.column_config.NumberColumn(label, format=number_format)
        else:
            config[column] = st.column_config.Column(label)
    return config


def render_verdict(report: Mapping[str, Any]) -> None:
    """The three-sentence verdict for a stakeholder, from the numbers below it (any task)."""
    from analysis.report.verdict import verdict

    with st.container(border=True):
        st.markdown(f"**{t('overview.verdict')}**")
        st.markdown(" ".join(md(sentence) for sentence in verdict(report, current_language())))
