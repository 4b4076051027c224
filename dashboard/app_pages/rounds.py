"""Rounds: agreement per annotation round, and what each guideline version changed."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, state
from dashboard.components.cards import column_labels, format_value, interval_cell
from dashboard.components.feedback import needs, no_dataset
from dashboard.components.text import md
from dashboard.i18n import t


def _round_frame(rounds: list[dict]) -> pd.DataFrame:
    records = []
    for entry in rounds:
        alpha = entry.get("krippendorff_alpha") or {}
        change = entry.get("change_from_previous") or {}
        records.append(
            {
                "batch": str(entry.get("batch")),
                "items": entry.get("items"),
                "alpha": alpha.get("value"),
                "ci_low": alpha.get("ci_low"),
                "ci_high": alpha.get("ci_high"),
                "change": change.get("value"),
                "change_low": change.get("ci_low"),
                "change_high": change.get("ci_high"),
                "note": alpha.get("note") or change.get("note"),
            }
        )
    return pd.DataFrame.from_records(records)


def _display(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The per-round table as shown: one interval column per number, notes only when there are any."""
    shown = pd.DataFrame(
        {
            "batch": frame["batch"],
            "items": frame["items"],
            "alpha": frame["alpha"],
            "alpha_ci": [interval_cell(a, b) for a, b in zip(frame["ci_low"], frame["ci_high"], strict=True)],
            "change": frame["change"],
            "change_ci": [interval_cell(a, b) for a, b in zip(frame["change_low"], frame["change_high"], strict=True)],
        }
    )
    config = column_labels(shown)
    config["batch"] = st.column_config.TextColumn(t("rounds.batch"))
    config["change"] = st.column_config.NumberColumn(t("col.change"), format="%+.3f")
    return shown, {"hide_index": True, "column_config": config}


def _figure(frame: pd.DataFrame, guideline: pd.DataFrame | None) -> go.Figure:
    error_plus = (frame["ci_high"] - frame["alpha"]).to_numpy(dtype=float)
    error_minus = (frame["alpha"] - frame["ci_low"]).to_numpy(dtype=float)
    figure = go.Figure(
        go.Scatter(
            x=frame["batch"],
            y=frame["alpha"],
            mode="lines+markers",
            error_y={"type": "data", "array": error_plus, "arrayminus": error_minus},
            customdata=frame["items"],
            hovertemplate="%{x}<br>α = %{y:.3f}<br>n = %{customdata}<extra></extra>",
            name=t("metric.krippendorff_alpha"),
        )
    )
    if guideline is not None and not guideline.empty and "batch" in guideline.columns:
        for _, rule in guideline.iterrows():
            if str(rule["batch"]) in set(frame["batch"]):
                figure.add_vline(x=str(rule["batch"]), line_dash="dot", line_color="#888888")
                figure.add_annotation(
                    x=str(rule["batch"]), y=1.0, yref="paper", showarrow=False,
                    text=html.escape(str(rule.get("title", ""))[:40]), textangle=-90, xanchor="right",
                )
    figure.update_layout(
        title=t("rounds.chart"), xaxis_title=t("rounds.batch"), yaxis_title=t("metric.krippendorff_alpha")
    )
    return charts.styled(figure, height=420)


def _guideline_versions() -> pd.DataFrame | None:
    guideline_rounds = state.optional("analysis.workspace", "guideline_rounds")
    workspace = state.workspace()
    if guideline_rounds is None or workspace is None:
        return None
    return guideline_rounds(workspace)


def render() -> None:
    """Draw the page."""
    st.title(t("rounds.title"))
    if state.current_table() is None:
        no_dataset()
        return
    report = state.report()
    if report is None:
        needs(t("needs.report"))
        return
    rounds = report.get("rounds")
    if rounds is None:
        needs(t("needs.rounds"))
        return
    if not rounds:
        st.info(t("rounds.no_batches"))
        return
    frame = _round_frame(rounds)
    guideline = _guideline_versions()
    st.plotly_chart(_figure(frame, guideline), config=charts.CONFIG)
    st.subheader(t("rounds.changes"))
    for row in frame.itertuples():
        if row.change is None or pd.isna(row.change):
            continue
        clear = pd.notna(row.change_low) and pd.notna(row.change_high) and (row.change_low > 0 or row.change_high < 0)
        st.markdown(
            t(
                "rounds.change_line",
                batch=md(row.batch),
                change=f"{row.change:+.3f}",
                low=format_value(row.change_low),
                high=format_value(row.change_high),
            )
            + " · "
            + t("rounds.clear_change" if clear else "rounds.unclear_change")
        )
    shown, options = _display(frame)
    st.dataframe(shown, **options)
    notes = [str(note) for note in frame["note"].dropna().unique()]
    if notes:
        st.caption(md("; ".join(notes)))
    if guideline is not None and not guideline.empty:
        st.subheader(t("rounds.guidelines"))
        st.dataframe(guideline, hide_index=True)
    else:
        st.caption(t("rounds.no_guidelines"))


render()
