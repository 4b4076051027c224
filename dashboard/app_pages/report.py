"""Report: everything on the other pages, as files to share or to feed a pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.export import safe_csv
from dashboard import state, views
from dashboard.components.feedback import needs, no_dataset
from dashboard.i18n import t


def _stem() -> str:
    dataset = state.current_dataset()
    return Path(dataset.name).stem if dataset else "dataset"


def render_reports(report: dict) -> None:
    """Markdown, HTML and JSON versions of the agreement report."""
    st.subheader(t("report.documents"))
    stem = _stem()
    columns = st.columns(3)
    columns[0].download_button(
        t("report.json"), json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8"),
        file_name=f"{stem}_report.json", mime="application/json", key="download_json",
    )
    render_markdown = state.optional("analysis.report", "render_markdown")
    render_html = state.optional("analysis.report", "render_html")
    if render_markdown is not None:
        columns[1].download_button(
            t("report.markdown"), render_markdown(report).encode("utf-8"),
            file_name=f"{stem}_report.md", mime="text/markdown", key="download_markdown",
        )
    if render_html is not None:
        columns[2].download_button(
            t("report.html"), render_html(report).encode("utf-8"),
            file_name=f"{stem}_report.html", mime="text/html", key="download_html",
        )
    dataset = state.current_dataset()
    name = dataset.name if dataset else "FILE"
    if " " in name or "`" in name:
        name = "FILE"  # keep the command copyable
    st.caption(
        t("report.same_as_cli", name=name, level=state.current_level(), bootstrap=state.bootstrap_resamples(), seed=state.seed())
    )


def _csv_button(label: str, frame: pd.DataFrame | None, name: str, key: str) -> None:
    if frame is None:
        needs(label)
        return
    st.download_button(
        t("report.csv", what=label, rows=len(frame)), safe_csv(frame).encode("utf-8"),
        file_name=f"{_stem()}_{name}.csv", mime="text/csv", key=key,
    )


def render_tables() -> None:
    """CSV downloads of the disagreements, the consensus and the annotator table."""
    st.subheader(t("report.tables"))
    st.caption(t("report.csv_safety"))
    table = state.current_table()
    consensus = state.computed("analysis.consensus", "consensus_table")
    disagreements = None
    if consensus is not None and table is not None:
        votes = views.votes_by_item(table)
        consensus = consensus.assign(votes=consensus["item_id"].astype(str).map(votes))
        disagreements = consensus[consensus["vote_entropy"] > 0].sort_values("vote_entropy", ascending=False)
    _csv_button(t("report.disagreements"), disagreements, "disagreements", "download_disagreements")
    _csv_button(t("report.consensus"), consensus, "consensus", "download_consensus")
    quality = state.computed(
        "analysis.quality", "annotator_quality_table", bootstrap=state.bootstrap_resamples(), seed=state.seed()
    )
    _csv_button(t("report.annotators"), quality, "annotators", "download_annotators")


def render() -> None:
    """Draw the page."""
    st.title(t("report.title"))
    if state.current_table() is None:
        no_dataset()
        return
    report = state.report()
    if report is None:
        needs(t("needs.report"))
    else:
        render_reports(report)
    render_tables()


render()
