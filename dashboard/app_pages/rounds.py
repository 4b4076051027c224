"""Rounds: agreement per annotation round, and what each guideline version changed."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.report import AgreementReport
from analysis.workspace import WorkspaceError, guideline_rounds
from dashboard import charts, views
from dashboard.components.cards import column_labels, format_value, interval_cell
from dashboard.components.feedback import error_message, no_dataset
from dashboard.components.notes import metric_note
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, resources, session

SEED = re.compile(r" \(seed (\d+)\)")


def _display(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The per-round table as shown: one interval column per number."""
    shown = pd.DataFrame(
        {
            "batch": frame["batch"],
            "items": frame["items"],
            "alpha": frame["alpha"],
            "alpha_ci": [interval_cell(a, b) for a, b in zip(frame["ci_low"], frame["ci_high"], strict=True)],
            "change": frame["change"],
            "change_ci": [
                interval_cell(a, b) for a, b in zip(frame["change_ci_low"], frame["change_ci_high"], strict=True)
            ],
        }
    )
    config = column_labels(shown)
    config["batch"] = st.column_config.TextColumn(t("rounds.batch"))
    config["change"] = st.column_config.NumberColumn(t("col.change"), format="%+.3f")
    return shown, {"hide_index": True, "column_config": config}


def _figure(frame: pd.DataFrame, guideline: pd.DataFrame) -> go.Figure:
    error_plus = (frame["ci_high"] - frame["alpha"]).to_numpy(dtype=float)
    error_minus = (frame["alpha"] - frame["ci_low"]).to_numpy(dtype=float)
    figure = go.Figure(
        go.Scatter(
            x=frame["batch"].astype(str),
            y=frame["alpha"],
            mode="lines+markers",
            error_y={"type": "data", "array": error_plus, "arrayminus": error_minus},
            customdata=frame["items"],
            hovertemplate="%{x}<br>α = %{y:.3f}<br>n = %{customdata}<extra></extra>",
            name=t("metric.krippendorff_alpha"),
        )
    )
    batches = set(frame["batch"].astype(str))
    for rule in guideline.itertuples(index=False):
        if str(rule.batch) in batches:
            figure.add_vline(x=str(rule.batch), line_dash="dot", line_color="#888888")
            figure.add_annotation(
                x=str(rule.batch), y=1.0, yref="paper", showarrow=False,
                text=html.escape(str(rule.title)[:40]), textangle=-90, xanchor="right",
            )  # fmt: skip
    figure.update_layout(
        title=t("rounds.chart"), xaxis_title=t("rounds.batch"), yaxis_title=t("metric.krippendorff_alpha")
    )
    # round names such as "1", "2" stay categories in round order, never a numeric axis
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=list(frame["batch"].astype(str)))
    return charts.styled(figure, height=420)


def _guideline_versions() -> pd.DataFrame | None:
    workspace = resources.workspace()
    if workspace is None:
        return None
    try:
        return guideline_rounds(workspace)
    except WorkspaceError as error:
        st.warning(md(error_message(error)))
        return None


def _verdict(verdict: str | None) -> str:
    """The library's change verdict (``analysis.quality.rounds``) in words."""
    return t("rounds.clear_change" if verdict in ("increase", "decrease") else "rounds.unclear_change")


def render_changes(frame: pd.DataFrame) -> None:
    """One line per round after the first: the change in alpha and whether it is clear."""
    st.subheader(t("rounds.changes"))
    for row in frame.itertuples(index=False):
        if pd.isna(row.change):
            continue
        st.markdown(
            t(
                "rounds.change_line",
                batch=md(row.batch),
                change=f"{row.change:+.3f}",
                low=format_value(row.change_ci_low),
                high=format_value(row.change_ci_high),
            )
            + " · "
            + _verdict(row.change_verdict)
        )


def render_before_after(result: AgreementReport, guideline: pd.DataFrame) -> None:
    """For each accepted guideline version tied to a round: alpha before, after, and the change."""
    st.subheader(t("rounds.guidelines"))
    if guideline.empty:
        st.caption(t("rounds.no_guidelines"))
        return
    st.caption(t("rounds.before_after_help"))
    for row in result.guideline_before_after(guideline).itertuples(index=False):
        with st.container(border=True):
            st.markdown(
                t("rounds.rule_heading", rule_id=row.rule_id, version=row.version, title=md(row.title), batch=md(row.batch))
            )
            st.caption(md(row.decision))
            if row.status == "not_in_data":
                st.info(t("rounds.not_in_data", batch=md(row.batch)))
                continue
            before, after, change = st.columns(3)
            if row.status == "compared":
                before.metric(t("rounds.before", batch=md(row.previous_batch)), format_value(row.alpha_before))
                before.caption(interval_cell(row.before_ci_low, row.before_ci_high) or t("rounds.no_interval"))
            else:
                before.metric(t("rounds.before_none"), "—")
                before.caption(t("rounds.first_round"))
            after.metric(t("rounds.after", batch=md(row.batch)), format_value(row.alpha_after))
            after.caption(interval_cell(row.after_ci_low, row.after_ci_high) or t("rounds.no_interval"))
            if row.status == "compared" and pd.notna(row.change):
                change.metric(t("col.change"), f"{row.change:+.3f}")
                change.caption(
                    (interval_cell(row.change_ci_low, row.change_ci_high) or t("rounds.no_interval"))
                    + " · "
                    + _verdict(row.change_verdict)
                )


def _source_columns() -> list[str]:
    """The open file's columns (a table's header, a JSON export's first record's fields)."""
    from analysis.io.spans_table import table_columns

    dataset = session.current_file()
    if dataset is None:
        return []
    columns = table_columns(dataset.data, name=dataset.name)
    if columns is not None:
        return columns
    parsed = pipeline.parsed_json()
    first = parsed.records[0] if parsed is not None and parsed.records else None
    return [str(key) for key in first] if isinstance(first, dict) else []


def render_round_suggestions() -> None:
    """Columns that look like rounds (``split``, ``batch``, ``phase``...), each with a
    button that reads it as the round column."""
    loaded = pipeline.load_result()
    mapped = [str(v) for v in (loaded.report.to_dict().get("mapping") or {}).values()] if loaded else []
    candidates = views.round_like_columns(_source_columns(), mapped)
    if not candidates:
        st.caption(t("rounds.no_candidates"))
        return
    st.markdown(t("rounds.candidates", columns=", ".join(f"`{md(c)}`" for c in candidates)))
    for column in candidates[:4]:
        if st.button(t("rounds.use_column", column=md(column)), key=f"rounds_use_{column}"):
            options = session.load_options()
            mapping = dict(options.mapping) | {"batch": column}
            session.set_load_options(replace(options, mapping=tuple(sorted(mapping.items()))))
            st.rerun()


def _notes(frame: pd.DataFrame) -> str:
    """The rounds' interval notes once: notes that differ only in their seed are one,
    with the seeds named."""
    notes: dict[str, tuple[str, list[str]]] = {}  # note without seed -> (first note, seeds)
    for note in frame["note"].dropna():  # Notes kept as they are: their code gives the Korean
        match = SEED.search(str(note))
        first, seeds = notes.setdefault(SEED.sub("", str(note)), (note, []))
        if match and match.group(1) not in seeds:
            seeds.append(match.group(1))
    language = current_language()
    texts = []
    for first, seeds in notes.values():
        shown = metric_note(first, language) or first
        if len(seeds) > 1:
            shown += t("rounds.seeds", seeds=", ".join(seeds))
        texts.append(shown)
    return "; ".join(texts)


def render() -> None:
    """Draw the page."""
    st.title(t("rounds.title"))
    if pipeline.current_table() is None:
        no_dataset()
        return
    result = pipeline.current_report()
    if result is None:
        return
    frame = result.rounds
    if frame is None or frame.empty:
        st.info(t("rounds.no_batches"))
        render_round_suggestions()
        return
    guideline = _guideline_versions()
    if guideline is None:
        guideline = pd.DataFrame(columns=["batch", "rule_id", "version", "title", "decision"])
    st.plotly_chart(_figure(frame, guideline), config=charts.CONFIG)
    render_before_after(result, guideline)
    render_changes(frame)
    shown, options = _display(frame)
    data_table(shown, **options)
    notes = _notes(frame)
    if notes:
        st.caption(md(notes))


render()
