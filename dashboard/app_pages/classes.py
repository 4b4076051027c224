"""Classes: which labels annotators agree on, which they confuse, and the items behind it."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, state, views
from dashboard.components.adjudication_slot import render_adjudication
from dashboard.components.cards import metrics_frame
from dashboard.components.feedback import needs, no_dataset
from dashboard.i18n import t

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
    st.dataframe(frame, hide_index=True, column_config=_number_columns(PER_CLASS_COLUMNS))


def _number_columns(keys: tuple[str, ...]) -> dict[str, st.column_config.NumberColumn]:
    return {t(f"metric.{key}"): st.column_config.NumberColumn(format="%.3f") for key in keys}


def render_coincidence() -> None:
    """The label coincidence matrix as a heatmap."""
    matrix = state.computed("analysis.metrics", "coincidence_matrix")
    if matrix is None:
        needs(t("needs.metrics"))
        return
    st.plotly_chart(
        charts.heatmap(
            matrix,
            title=t("classes.coincidence"),
            x_title=t("classes.label"),
            y_title=t("classes.label"),
            value_format=".1f",
        ),
        config=charts.CONFIG,
    )
    st.caption(t("classes.coincidence_help"))


def render_items(labels: list[str]) -> None:
    """The disagreed items of the chosen class, with the adjudication form."""
    st.subheader(t("classes.items"))
    label = st.selectbox(t("classes.pick"), labels, key=CLASS_KEY)
    consensus = state.computed("analysis.consensus", "consensus_table")
    table = state.current_table()
    if consensus is None or table is None or label is None:
        needs(t("needs.consensus"))
        return
    items = views.disagreed_items_for_label(table, consensus, label)
    st.caption(t("classes.items_count", count=len(items)))
    selection = st.dataframe(
        items,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=ITEMS_KEY,
        column_config={"vote_entropy": st.column_config.NumberColumn(format="%.2f")},
    )
    rows = selection.selection.rows if selection is not None else []
    if rows:
        item_id = str(items.iloc[rows[0]]["item_id"])
        render_adjudication(item_id, labels, key_prefix=f"classes_{item_id}")
    else:
        st.caption(t("classes.select_item"))


def render() -> None:
    """Draw the page."""
    st.title(t("classes.title"))
    if state.current_table() is None:
        no_dataset()
        return
    report = state.report()
    if report is None:
        needs(t("needs.report"))
        return
    left, right = st.columns([1, 1])
    with left:
        st.subheader(t("classes.per_class"))
        render_per_class(report)
    with right:
        render_coincidence()
    labels = [str(label) for label in report.get("dataset", {}).get("labels", [])]
    if labels:
        render_items(labels)


render()

