"""Annotators: who agrees with whom, who drifts, who leans toward a label."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, state, views
from dashboard.components.cards import column_labels
from dashboard.components.feedback import needs, no_dataset
from dashboard.components.text import md
from dashboard.i18n import t

ANNOTATOR_KEY = "annotator"


def render_pairwise(report: dict) -> None:
    """Pairwise Cohen's kappa heatmap with the shared items in the hover."""
    annotators = [str(a) for a in report.get("per_annotator", {})]
    pairwise = report.get("pairwise", [])
    if not pairwise or len(annotators) < 2:
        st.info(t("annotators.no_pairs"))
        return
    kappa, overlap = views.pairwise_matrices(pairwise, annotators)
    st.plotly_chart(
        charts.heatmap(
            kappa,
            title=t("annotators.pairwise"),
            x_title=t("annotators.annotator"),
            y_title=t("annotators.annotator"),
            hover=overlap,
            hover_name=t("annotators.overlap"),
            zmin=-1.0,
            zmax=1.0,
            colorscale=charts.DIVERGING,
        ),
        config=charts.CONFIG,
    )


def render_quality() -> None:
    """The ranked quality table."""
    st.subheader(t("annotators.quality"))
    quality = state.computed(
        "analysis.quality", "annotator_quality_table", bootstrap=state.bootstrap_resamples(), seed=state.seed()
    )
    if quality is None:
        needs(t("needs.quality"))
        return
    st.dataframe(quality, hide_index=True, column_config=column_labels(quality))
    st.caption(t("annotators.quality_help"))


def render_confusion(annotators: list[str]) -> None:
    """One annotator's labels against the consensus of the others."""
    st.subheader(t("annotators.confusion"))
    annotator = st.selectbox(t("annotators.pick"), annotators, key=ANNOTATOR_KEY)
    if annotator is None:
        return
    confusion = state.computed("analysis.quality", "annotator_confusion", annotator=annotator)
    if confusion is None:
        needs(t("needs.quality"))
        return
    st.plotly_chart(
        charts.heatmap(
            confusion,
            title=t("annotators.confusion_of", annotator=annotator),
            x_title=t("annotators.their_label"),
            y_title=t("annotators.consensus_label"),
            value_format=".0f",
        ),
        config=charts.CONFIG,
    )


def render_bias() -> None:
    """Label-distribution bias per annotator."""
    st.subheader(t("annotators.bias"))
    bias = state.computed("analysis.quality", "bias_table")
    if bias is None:
        needs(t("needs.quality"))
        return
    st.dataframe(bias, hide_index=True, column_config=column_labels(bias))
    st.caption(t("annotators.bias_help"))


def render_fatigue() -> None:
    """Rolling agreement along each annotator's own sequence, with the fitted trend."""
    st.subheader(t("annotators.fatigue"))
    curves = state.computed("analysis.quality", "fatigue_curves")
    trends = state.computed("analysis.quality", "fatigue_trends")
    if curves is None or trends is None:
        needs(t("needs.quality"))
        return
    shown = curves.dropna(subset=["rolling_agreement"])
    st.plotly_chart(
        charts.line_chart(
            shown,
            x="position",
            y="rolling_agreement",
            series="annotator",
            title=t("annotators.fatigue_curve"),
            x_title=t("annotators.position"),
            y_title=t("annotators.rolling_agreement"),
        ),
        config=charts.CONFIG,
    )
    st.dataframe(trends, hide_index=True, column_config=column_labels(trends, number_format="%.3g"))
    st.caption(t("annotators.fatigue_help"))


def render_groups(report: dict) -> None:
    """Agreement within and between annotator groups, when the data has groups."""
    groups = report.get("groups")
    if not groups:
        return
    st.subheader(t("annotators.groups"))
    for part in ("within", "between"):
        rows = groups.get(part) or []
        if rows:
            st.markdown(f"**{t(f'annotators.groups_{part}')}**")
            st.dataframe(views.flatten_metrics(rows), hide_index=True)
    if groups.get("note"):
        st.caption(md(groups["note"]))


def render() -> None:
    """Draw the page."""
    st.title(t("annotators.title"))
    if state.current_table() is None:
        no_dataset()
        return
    report = state.report()
    if report is None:
        needs(t("needs.report"))
        return
    annotators = [str(a) for a in report.get("per_annotator", {})]
    left, right = st.columns([1, 1])
    with left:
        render_pairwise(report)
    with right:
        render_confusion(annotators)
    render_quality()
    render_fatigue()
    render_bias()
    render_groups(report)


render()
