"""Classes: which labels annotators agree on, which they confuse, and the items behind it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import charts, views
from dashboard.components.adjudication import render_adjudication_form, render_review_progress
from dashboard.components.cards import column_labels, metrics_frame
from dashboard.components.feedback import no_dataset
from dashboard.components.tables import data_table
from dashboard.i18n import t
from dashboard.state import pipeline, resources

PER_CLASS_COLUMNS = ("fleiss_kappa", "krippendorff_alpha", "specific_agreement")
CLASS_KEY = "class_label"
ITEMS_KEY = "class_items"


def render_per_class(report: dict) -> None:
    """Per-class agreement with intervals."""
    per_class = report.get("per_class", {})
    if not per_class:
        st.info(t("classes.none"))
        return
    frame = metrics_frame(
        per_class, {key: t(f"metric.{key}") for key in PER_CLASS_COLUMNS}, index_name=t("classes.label")
    )
    data_table(frame, hide_index=True, column_config=_number_columns(PER_CLASS_COLUMNS))
    st.caption(t("classes.per_class_help"))


def _number_columns(keys: tuple[str, ...]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for key in keys:
        title = t(f"metric.{key}")
        config[title] = st.column_config.NumberColumn(format="%.3f")
        # The interval's column is named after its metric (names must be unique); its header is short.
        config[f"{title} · {t('metric.ci_short')}"] = st.column_config.TextColumn(t("metric.ci_short"))
    return config


def render_top_pairs(matrix: pd.DataFrame, *, top: int = 6) -> None:
    """The label pairs most often confused, with their share of all disagreeing pairs."""
    values = matrix.to_numpy(dtype=float)
    rows, columns = np.triu_indices(len(values), k=1)
    counts = values[rows, columns]
    total = counts.sum()
    if not total > 0:
        return
    order = np.argsort(-counts, kind="stable")[:top]
    frame = pd.DataFrame(
        {
            "pair": [f"{matrix.index[rows[i]]} ↔ {matrix.columns[columns[i]]}" for i in order],
            "pairs": counts[order],
            "share": 100 * counts[order] / total,
        }
    )
    st.markdown(f"**{t('classes.top_pairs')}**")
    data_table(
        frame,
        hide_index=True,
        column_config={
            "pair": st.column_config.TextColumn(t("classes.col.pair")),
            "pairs": st.column_config.NumberColumn(t("classes.col.pairs"), format="%.1f"),
            "share": st.column_config.ProgressColumn(
                t("classes.col.share"), format="%.0f%%", min_value=0, max_value=float(frame["share"].max())
            ),
        },
    )
    st.caption(t("classes.top_pairs_help"))


def render_coincidence() -> pd.DataFrame | None:
    """The label coincidence matrix as a heatmap (returned for the pairs table)."""
    result = pipeline.current_report()
    if result is None:
        return None
    matrix = result.coincidence
    values = matrix.to_numpy(dtype=float)
    off_diagonal = values[~np.eye(len(values), dtype=bool)] if len(values) > 1 else values.ravel()
    # The diagonal (agreement) dwarfs the confusions; scaling to the largest confusion lets
    # the off-diagonal cells show their differences, the diagonal simply saturates.
    top = float(off_diagonal.max()) if off_diagonal.size and off_diagonal.max() > 0 else None
    st.plotly_chart(
        charts.heatmap(
            matrix,
            title=t("classes.coincidence"),
            x_title=t("classes.label_other"),
            y_title=t("classes.label_one"),
            value_format=".1f",
            zmin=None if top is None else 0.0,
            zmax=top,
        ),
        config=charts.CONFIG,
    )
    st.caption(t("classes.coincidence_help"))
    return matrix


def render_items(labels: list[str]) -> None:
    """The disagreed items of the chosen class, how many are adjudicated, and the form."""
    st.subheader(t("classes.items"))
    label = st.selectbox(t("classes.pick"), labels, key=CLASS_KEY)
    consensus = pipeline.consensus_table()
    table = pipeline.current_table()
    if consensus is None or table is None or label is None:
        return
    items = views.disagreed_items_for_label(table, consensus, label)
    st.caption(t("classes.items_count", count=len(items)))
    workspace, fingerprint = resources.workspace(), pipeline.fingerprint()
    progress = st.empty()  # filled last, so a decision saved in this run is already counted
    majority = items["majority_label"].astype("object")
    shown = items.assign(majority_label=majority.where(majority.notna(), t("classes.tie")))
    config = column_labels(shown, number_format="%.2f")
    for column in ("text", "votes"):
        if column in config:
            config[column] = st.column_config.TextColumn(t(f"col.{column}"), width="large")
    selection = data_table(
        shown,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=ITEMS_KEY,
        column_config=config,
    )
    rows = selection.selection.rows if selection is not None else []
    if workspace is None or fingerprint is None:
        st.info(t("note.no_workspace"))
        return
    if rows:
        item_id = str(items.iloc[rows[0]]["item_id"])
        render_adjudication_form(item_id, labels, workspace, fingerprint, key_prefix=f"classes_{item_id}")
    else:
        st.caption(t("classes.select_item"))
    with progress:
        render_review_progress(workspace, fingerprint, items["item_id"], kind="adjudication")


def render() -> None:
    """Draw the page."""
    st.title(t("classes.title"))
    if pipeline.current_table() is None:
        no_dataset()
        return
    report = pipeline.report_dict()
    if report is None:
        return
    st.subheader(t("classes.per_class"))
    render_per_class(report)
    left, right = st.columns([3, 2])
    with left:
        matrix = render_coincidence()
    with right:
        if matrix is not None:
            render_top_pairs(matrix)
    labels = [str(label) for label in report.get("dataset", {}).get("labels", [])]
    if labels:
        render_items(labels)


render()

