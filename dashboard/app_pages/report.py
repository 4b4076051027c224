"""Report: everything on the other pages, as files to share or to feed a pipeline."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.data.schema import ITEM
from analysis.io.export import safe_csv
from analysis.report import render_html, render_markdown
from analysis.workspace import Workspace, WorkspaceError, gold_labels, majority_labels
from dashboard import views
from dashboard.components.adjudication import render_review_progress
from dashboard.components.feedback import error_message, no_dataset
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, resources, session


def _stem() -> str:
    dataset = session.current_file()
    return Path(dataset.name).stem if dataset else "dataset"


def render_reports(report: dict) -> None:
    """Markdown, HTML and JSON versions of the agreement report.

    The files are written when a button is clicked (a callable ``data``): at crowd scale
    each takes a second or more, which the page would otherwise spend on every run.
    """
    st.subheader(t("report.documents"))
    result = pipeline.current_report()  # the typed report adds round verdicts and confused labels
    stem = _stem()
    language = current_language()  # the callables run outside the page's session
    typed = result or report
    columns = st.columns(3)
    columns[0].download_button(
        t("report.json"), lambda: json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8"),
        file_name=f"{stem}_report.json", mime="application/json", key="download_json",
    )  # fmt: skip
    columns[1].download_button(
        t("report.markdown"), lambda: render_markdown(typed, language=language).encode("utf-8"),
        file_name=f"{stem}_report.md", mime="text/markdown", key="download_markdown",
    )  # fmt: skip
    columns[2].download_button(
        t("report.html"), lambda: render_html(typed, language=language).encode("utf-8"),
        file_name=f"{stem}_report.html", mime="text/html", key="download_html",
    )  # fmt: skip
    dataset = session.current_file()
    name = dataset.name if dataset else "FILE"
    if " " in name or "`" in name:
        name = "FILE"  # keep the command copyable
    st.caption(
        t("report.same_as_cli", name=name, level=pipeline.current_level(), bootstrap=session.bootstrap_resamples(), seed=session.seed())
    )


def _csv_button(label: str, frame: Callable[[], pd.DataFrame] | pd.DataFrame, rows: int, name: str, key: str) -> None:
    """A CSV download, written on click when ``frame`` is a function."""
    data = (lambda: safe_csv(frame()).encode("utf-8")) if callable(frame) else safe_csv(frame).encode("utf-8")
    st.download_button(
        t("report.csv", what=label, rows=rows), data,
        file_name=f"{_stem()}_{name}.csv", mime="text/csv", key=key,
    )  # fmt: skip


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def render_gold(table: pd.DataFrame, consensus: pd.DataFrame, workspace: Workspace, fingerprint: str) -> None:
    """Review progress over the disagreed items, and the gold labels as CSV and Parquet.

    The gold labels are those of ``python -m analysis gold export``: the latest adjudicated
    label where there is one, else the strict-majority label; tied items without an
    adjudication are left out.
    """
    st.subheader(t("report.gold"))
    disagreed = consensus.loc[consensus["vote_entropy"] > 0, ITEM].astype(str)
    st.markdown(f"**{t('report.review_progress')}**")
    render_review_progress(workspace, fingerprint, disagreed, kind="adjudication")
    try:
        gold = gold_labels(table, workspace, fingerprint, majority_labels(table))
    except WorkspaceError as error:
        st.warning(md(error_message(error)))
        return
    adjudicated = int((gold["source"] == "adjudicated").sum())
    unresolved = table[ITEM].astype(str).nunique() - len(gold)
    st.caption(t("report.gold_counts", total=len(gold), adjudicated=adjudicated, consensus=len(gold) - adjudicated))
    if unresolved:
        st.caption(t("report.gold_ties", count=unresolved))
    left, right = st.columns(2)
    left.download_button(  # both files written on click: at crowd scale a tenth of a second each run
        t("report.gold_csv", rows=len(gold)), lambda: safe_csv(gold).encode("utf-8"),
        file_name=f"{_stem()}_gold.csv", mime="text/csv", key="download_gold_csv",
    )  # fmt: skip
    right.download_button(
        t("report.gold_parquet", rows=len(gold)), lambda: _parquet(gold),
        file_name=f"{_stem()}_gold.parquet", mime="application/vnd.apache.parquet", key="download_gold_parquet",
    )  # fmt: skip
    st.caption(t("report.gold_help"))
    from dashboard.components.label_studio_write import render_gold_write_back

    render_gold_write_back(gold)  # only for a pulled Label Studio project


def render_tables(table: pd.DataFrame, consensus: pd.DataFrame) -> None:
    """CSV downloads of the disagreements, the consensus and the annotator table (each
    written when its button is clicked)."""
    st.subheader(t("report.tables"))
    st.caption(t("report.csv_safety"))

    def with_votes() -> pd.DataFrame:
        return consensus.assign(votes=consensus[ITEM].astype(str).map(views.votes_by_item(table)))

    def disagreements() -> pd.DataFrame:
        frame = with_votes()
        return frame[frame["vote_entropy"] > 0].sort_values("vote_entropy", ascending=False)

    disagreed = int((consensus["vote_entropy"] > 0).sum())
    _csv_button(t("report.disagreements"), disagreements, disagreed, "disagreements", "download_disagreements")
    _csv_button(t("report.consensus"), with_votes, len(consensus), "consensus", "download_consensus")
    result = pipeline.current_report()
    quality = None if result is None else result.quality.annotators
    if quality is not None:
        _csv_button(t("report.annotators"), quality, len(quality), "annotators", "download_annotators")


def render() -> None:
    """Draw the page."""
    st.title(t("report.title"))
    table = pipeline.current_table()
    report = pipeline.report_dict()
    consensus = pipeline.consensus_table()
    if table is None or report is None or consensus is None:
        no_dataset()
        return
    render_reports(report)
    workspace, fingerprint = resources.workspace(), pipeline.fingerprint()
    if workspace is None or fingerprint is None:
        st.info(t("note.no_workspace"))
    else:
        render_gold(table, consensus, workspace, fingerprint)
    render_tables(table, consensus)


render()
