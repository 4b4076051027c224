"""Annotators: who is flagged and why, who agrees with whom, who drifts, who leans toward a label."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.quality.explain import rank_drivers
from analysis.report import AgreementReport
from dashboard import charts, views
from dashboard.components.annotator_tables import (
    CROWD,
    render_bias,
    render_fatigue,
    render_leniency,
    render_quality,
    without_empty_notes,
)
from dashboard.components.cards import column_labels, format_value, interval_cell
from dashboard.components.feedback import no_dataset
from dashboard.components.flags import (
    Fatigue,
    flag_cards,
    flag_counts,
    flag_rules,
    flagged_annotators,
    flagged_frame,
)
from dashboard.components.notes import metric_note
from dashboard.components.pairwise_view import render_pairwise
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, session

ANNOTATOR_KEY = "annotator"
ALL_FLAGGED_KEY = "annotators_all_flagged"
FLAGGED_SEARCH_KEY = "annotators_flagged_search"
FLAG_CARDS = 9


def _fatigue(result: AgreementReport, trends: pd.DataFrame, *, scale: bool) -> Fatigue:
    """The report's rolling curves and fitted trends with the lines to draw: agreement with
    the others' majority at nominal level, distance to the others' median on a scale."""
    if scale:
        return result.distance_curves(), trends, result.distance_trend_lines()
    return result.fatigue_curves(), trends, result.fatigue_trend_lines()


def render_flags(report: dict, quality: pd.DataFrame, bias: pd.DataFrame, fatigue: Fatigue, *,
                 scale: bool = False) -> None:
    """Who needs attention: a count per reason, the rules behind the flags, a card for the
    first few flagged annotators (most reasons, then the busiest) and all of them as a
    searchable table on request."""
    st.subheader(t("annotators.flags"))
    flagged = flagged_annotators(report)
    if not flagged:
        st.success(t("annotators.no_flags"), icon=":material/check_circle:")
        st.caption(flag_rules(scale=scale))
        return
    st.markdown(t("annotators.flags_summary", total=f"{len(flagged):,}", annotators=f"{len(quality):,}",
                  counts=flag_counts(report)))
    st.caption(flag_rules(scale=scale))
    first = [name for name, _, _ in flagged[:FLAG_CARDS]]
    wanted = set(first)
    cards = flag_cards(quality, bias, fatigue, wanted, scale=scale)
    items = {name: count for name, count, _ in flagged}
    per_row = 3
    for start in range(0, len(first), per_row):
        for column, annotator in zip(st.columns(per_row), first[start : start + per_row], strict=False):
            with column.container(border=True, height="stretch"):
                st.markdown(t("annotators.card_title", annotator=md(annotator), items=f"{items[annotator]:,}"))
                for line in cards.get(annotator, []):
                    st.markdown(line)
    if len(flagged) > FLAG_CARDS and st.toggle(t("annotators.all_flagged", total=f"{len(flagged):,}"),
                                               key=ALL_FLAGGED_KEY):
        query = st.text_input(t("annotators.search"), key=FLAGGED_SEARCH_KEY)
        frame = views.filter_annotators(flagged_frame(flagged), query)
        data_table(frame, hide_index=True, column_config=column_labels(frame))
        st.caption(t("annotators.rows_shown", shown=f"{len(frame):,}", total=f"{len(flagged):,}"))


def _clusters_result() -> object | None:
    """The ambiguity clusters computed on the Clusters page for this dataset, if any."""
    saved = session.saved_clusters()
    return None if saved is None else saved[0]


def render_camps(camps: list[dict]) -> None:
    """Annotator camps: who, agreement within and between, the labels and items they split on."""
    st.subheader(t("annotators.camps"))
    if not camps:
        st.caption(t("annotators.no_camps"))
        return
    clusters = _clusters_result()
    for number, camp in enumerate(camps, start=1):
        with st.container(border=True):
            names = ", ".join(md(a) for a in camp["annotators"])
            st.markdown(f"**{t('annotators.camp_short', number=number)}**: {names}")
            st.markdown(t("annotators.camp_numbers", within=format_value(camp["within"]["value"]),
                          within_ci=interval_cell(camp["within"]["ci_low"], camp["within"]["ci_high"]),
                          between=format_value(camp["between"]["value"]),
                          between_ci=interval_cell(camp["between"]["ci_low"], camp["between"]["ci_high"])))
            agreement = camp.get("label_agreement") or {}
            split = [f"**{md(label)}** ({agreement[label]['within']:.2f} / {agreement[label]['between']:.2f})"
                     for label in camp.get("split_labels", [])[:5] if label in agreement]
            if split:
                st.markdown(t("annotators.camp_split", labels=", ".join(split)))
            st.markdown(t("annotators.camp_items", count=camp.get("split_item_count", 0)))
            if clusters is None:
                st.caption(t("annotators.camp_clusters_none"))
                continue
            linked = views.split_items_by_cluster(camp.get("split_items", []), clusters)
            if linked:
                st.markdown(t("annotators.camp_clusters", clusters=", ".join(
                    t("annotators.camp_cluster", id=cid, hits=hits, size=size) for cid, hits, size in linked[:5])))
            else:
                st.caption(t("annotators.camp_clusters_empty"))
    st.caption(t("annotators.camps_help"))


def render_confusion(result: AgreementReport, annotators: list[str], *, first: str | None = None,
                     order: list[str] | None = None) -> None:
    """One annotator's labels against the consensus of the others (``first`` shown first;
    at crowd scale, once one is picked: the chart costs the browser a good part of a second,
    and the page names whom to pick)."""
    st.subheader(t("annotators.confusion"))
    crowd = len(annotators) > CROWD
    index = None if crowd else annotators.index(first) if first in annotators else 0
    annotator = st.selectbox(t("annotators.pick"), annotators, index=index, key=ANNOTATOR_KEY,
                             placeholder=t("annotators.pick_placeholder"))
    if annotator is None:
        if crowd and first is not None:
            st.caption(t("annotators.pick_weakest", annotator=md(first)))
        return
    confusion = views.in_label_order(result.annotator_confusion(annotator), order)
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


def _group_frame(rows: list[dict], name_key: str) -> pd.DataFrame:
    records = []
    for row in rows:
        alpha = row.get("krippendorff_alpha") or {}
        name = row.get(name_key)
        note = None  # a defined value's note only names the interval method; an undefined one says why
        if alpha.get("value") is None:
            note = (t("annotators.group_single") if row.get("annotators") == 1
                    else metric_note(alpha.get("note"), current_language()))
        records.append(
            {
                "group": " ↔ ".join(map(str, name)) if isinstance(name, list | tuple) else str(name),
                "annotators": row.get("annotators"),
                "items": row.get("items"),
                "alpha": alpha.get("value"),
                "alpha_ci": interval_cell(alpha.get("ci_low"), alpha.get("ci_high")),
                "note": note,
            }
        )
    frame = pd.DataFrame.from_records(records)
    if frame["annotators"].isna().all():
        frame = frame.drop(columns="annotators")
    return without_empty_notes(frame)


def render_groups(report: dict) -> None:
    """Agreement within and between annotator groups, when the data has groups."""
    groups = report.get("groups")
    if not groups:
        return
    st.subheader(t("annotators.groups"))
    left, right = st.columns(2)
    for column, part, key in ((left, "within", "group"), (right, "between", "groups")):
        rows = groups.get(part) or []
        if rows:
            with column:
                st.markdown(f"**{t(f'annotators.groups_{part}')}**")
                frame = _group_frame(rows, key)
                data_table(frame, hide_index=True, column_config=column_labels(frame))
    st.caption(t("annotators.groups_help"))


def render() -> None:
    """Draw the page."""
    st.title(t("annotators.title"))
    if pipeline.current_table() is None:
        no_dataset()
        return
    result, report = pipeline.current_report(), pipeline.report_dict()
    if result is None or report is None:
        return
    effects = result.rater_effects  # ordinal and above: leniency and drift instead of label bias
    scale = effects is not None
    quality = result.quality.annotators
    bias = effects.leniency if scale else result.quality.bias
    trends = effects.trends if scale else result.quality.fatigue
    fatigue = None if trends is None else _fatigue(result, trends, scale=scale)
    if quality is None or bias is None or fatigue is None:
        return
    render_flags(report, quality, bias, fatigue, scale=scale)
    annotators = [str(a) for a in report.get("per_annotator", {})]
    camps = report.get("annotator_camps") or []
    left, right = st.columns([1, 1])
    with left:
        st.subheader(t("annotators.agreement_heading"))
        render_pairwise(result, camps)
    drivers = rank_drivers(quality)
    with right:
        claims = drivers[drivers["claim"]].sort_values("rank")
        weakest = None if claims.empty else str(claims["annotator"].iloc[-1])
        render_confusion(result, annotators, first=weakest,
                         order=report["dataset"].get("label_order") if scale else None)
    render_camps(camps)
    render_quality(quality, drivers)
    render_fatigue(fatigue, scale=scale)
    if scale:
        render_leniency(bias)
    else:
        render_bias(bias)
    render_groups(report)


render()
