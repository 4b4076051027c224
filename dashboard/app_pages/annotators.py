"""Annotators: who is flagged and why, who agrees with whom, who drifts, who leans toward a label."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.quality.bias import MIN_CONCENTRATION, MIN_EXCESS
from analysis.quality.explain import MIN_CLAIM_ITEMS, bias_reasons, rank_drivers
from analysis.report import AgreementReport
from analysis.schema import TIMESTAMP, has_values
from dashboard import charts, state, views
from dashboard.components.cards import column_labels, format_p, format_value, interval_cell
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
from dashboard.i18n import current_language, formatter, t

ANNOTATOR_KEY = "annotator"
SEARCH_KEY = "annotators_search"
FLAGGED_KEY = "annotators_flagged_only"
ALL_FLAGGED_KEY = "annotators_all_flagged"
FLAGGED_SEARCH_KEY = "annotators_flagged_search"
DEFAULT_BUSIEST = 25
FLAG_CARDS = 9
FATIGUE_FLAGGED = 10
FATIGUE_BUSIEST = 15
QUALITY_COLUMNS = (
    "rank", "annotator", "items", "loo_agreement", "loo_ci", "ds_accuracy", "ds_ci", "rank_score",
    "alpha_change", "low_quality", "rank_reason",
)
BIAS_COLUMNS = (
    "annotator", "items", "favoured_label", "favoured_excess", "cramers_v", "chi2", "df", "p_adjusted", "bias", "why",
    "note",
)


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
    dataset = state.current_dataset()
    params = st.session_state.get("clusters_params")
    if params is None or dataset is None or params[:2] != (dataset.digest, state.current_options()):
        return None
    return st.session_state.get("clusters_result")


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


def render_leniency(leniency: pd.DataFrame) -> None:
    """Leniency per annotator (ordinal and above): mean offset from the others, with its interval."""
    st.subheader(t("annotators.leniency"))
    shown = leniency.assign(
        leniency_ci=[interval_cell(a, b, digits=2) for a, b in zip(leniency["ci_low"], leniency["ci_high"], strict=True)],
        p_adjusted=leniency["p_adjusted"].map(format_p),
        direction=leniency["direction"].map(lambda d: t(f"annotators.direction.{d}")),
    )
    columns = ("annotator", "items", "leniency", "leniency_ci", "p_adjusted", "direction", "flagged", "note")
    shown = _with_notes(shown[[c for c in columns if c in shown]])
    data_table(shown, hide_index=True, column_config=column_labels(shown, number_format="%+.2f"))
    st.caption(t("annotators.leniency_help"))


def rank_reasons(drivers: pd.DataFrame) -> list[str]:
    """What drives each rank of :func:`analysis.quality.explain.rank_drivers`, in words."""
    total = len(drivers)
    place = formatter("annotators.place")
    words = {driver: formatter(f"annotators.rank.{driver}") for driver in ("accuracy", "few_items", "model")}
    thin = t("annotators.rank.thin", minimum=MIN_CLAIM_ITEMS)

    def where(rank: float) -> str:
        return "—" if rank != rank else place(rank=f"{int(rank):,}", total=f"{total:,}")

    return [words[row.driver](accuracy=where(row.accuracy_rank), agreement=where(row.agreement_rank))
            if row.claim else thin for row in drivers.itertuples(index=False)]


def render_quality(quality: pd.DataFrame) -> None:
    """The ranked quality table, with the agreement interval in one column and what drives
    each rank."""
    st.subheader(t("annotators.quality"))
    left, right = st.columns([3, 1])
    query = left.text_input(t("annotators.search"), key=SEARCH_KEY)
    flagged_only = right.checkbox(t("annotators.flagged_only"), key=FLAGGED_KEY)
    drivers = rank_drivers(quality)
    reasons = rank_reasons(drivers)
    rows = views.filter_annotators(quality.assign(rank_reason=reasons), query)
    if flagged_only:
        rows = rows[rows["low_quality"].astype(bool)]
    intervals = zip(rows["loo_ci_low"], rows["loo_ci_high"], strict=True)
    shown = rows.assign(loo_ci=[interval_cell(low, high) for low, high in intervals])
    if "ds_ci_low" in rows:
        ds = zip(rows["ds_ci_low"], rows["ds_ci_high"], strict=True)
        shown = shown.assign(ds_ci=[interval_cell(low, high) for low, high in ds])
    columns = QUALITY_COLUMNS
    shown = shown[[c for c in columns if c in shown]]
    config = column_labels(shown)
    config["rank_score"] = st.column_config.NumberColumn(t("col.rank_score"), help=t("col.rank_score_help"),
                                                         format="%.3f", width="small")
    config["rank_reason"] = st.column_config.TextColumn(t("col.rank_reason"), width="large")
    data_table(shown, hide_index=True, column_config=config)
    st.caption(t("annotators.rows_shown", shown=f"{len(shown):,}", total=f"{len(quality):,}"))
    last = drivers[drivers["claim"]].sort_values("rank").tail(1)
    if len(last) and len(quality) > 2:
        row = last.iloc[0]
        why = reasons[int(last.index[0])]
        entry = quality.loc[quality["annotator"].astype(str) == row["annotator"]].iloc[0]
        st.markdown(t("annotators.last", annotator=md(row["annotator"]), rank=f"{int(row['rank']):,}",
                      total=f"{len(quality):,}", minimum=MIN_CLAIM_ITEMS,
                      score=format_value(entry["rank_score"]), accuracy=format_value(entry["ds_accuracy"]),
                      agreement=format_value(entry["loo_agreement"]), items=f"{int(entry['loo_items']):,}",
                      why=why))
    st.caption(t("annotators.quality_help"))


def render_confusion(result: AgreementReport, annotators: list[str], *, first: str | None = None,
                     order: list[str] | None = None) -> None:
    """One annotator's labels against the consensus of the others (``first`` shown first)."""
    st.subheader(t("annotators.confusion"))
    index = annotators.index(first) if first in annotators else 0
    annotator = st.selectbox(t("annotators.pick"), annotators, index=index, key=ANNOTATOR_KEY)
    if annotator is None:
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


def _with_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its note column when no row has a note."""
    if "note" in frame and frame["note"].isna().all():
        return frame.drop(columns="note")
    return frame


def bias_whys(bias: pd.DataFrame) -> list[str]:
    """The flag rule's verdict on each row of the bias table, with the number that decided it."""
    words = {reason: formatter(f"annotators.bias_why.{reason}")
             for reason in ("flagged", "not_significant", "small_excess", "spread")}
    untested = t("annotators.bias_why.untested")
    out = []
    for reason, row in zip(bias_reasons(bias), bias.itertuples(index=False), strict=True):
        if reason == "untested":
            out.append(untested)
            continue
        out.append(words[reason](p=format_p(row.p_adjusted), excess=f"{100 * row.favoured_excess:+.1f}",
                                 minimum=round(100 * MIN_EXCESS), share=f"{row.concentration:.0%}",
                                 needed=f"{MIN_CONCENTRATION:.0%}"))
    return out


def render_bias(bias: pd.DataFrame) -> None:
    """Label-distribution bias per annotator."""
    st.subheader(t("annotators.bias"))
    shown = bias.assign(
        favoured_excess=100 * bias["favoured_excess"], p_adjusted=bias["p_adjusted"].map(format_p),
        why=bias_whys(bias),
    )
    columns = BIAS_COLUMNS
    shown = _with_notes(shown[[c for c in columns if c in shown]])
    config = column_labels(shown)
    if "favoured_excess" in config:
        config["favoured_excess"] = st.column_config.NumberColumn(t("col.favoured_excess_pp"), format="%+.1f")
    data_table(shown, hide_index=True, column_config=config)
    st.caption(t("annotators.bias_help"))


def render_fatigue(fatigue: Fatigue, *, scale: bool = False) -> None:
    """Rolling agreement (on a scale: distance to the others) along each annotator's own
    sequence, with the fitted trend."""
    st.subheader(t("annotators.fatigue"))
    curves, trends, lines = fatigue
    flagged = [str(a) for a in trends.loc[trends["fatigue"].astype(bool), "annotator"]]
    if trends["annotator"].nunique() > DEFAULT_BUSIEST:  # crowd data: the steepest flagged plus the busiest
        steepest = trends[trends["fatigue"].astype(bool)].sort_values("p_adjusted", kind="stable")["annotator"]
        busiest = trends.sort_values("items", ascending=False, kind="stable")["annotator"]
        keep = {str(a) for a in steepest.head(FATIGUE_FLAGGED)} | {str(a) for a in busiest.head(FATIGUE_BUSIEST)}
        curves = curves[curves["annotator"].astype(str).isin(keep)]
        lines = lines[lines["annotator"].astype(str).isin(keep)]
        st.caption(t("annotators.fatigue_subset" if flagged else "annotators.fatigue_subset_busiest",
                     shown=f"{len(keep):,}", total=f"{trends['annotator'].nunique():,}", flagged=f"{len(flagged):,}"))
    y, fitted = ("rolling_distance", "fitted_distance") if scale else ("rolling_agreement", "fitted_agreement")
    st.plotly_chart(
        charts.fatigue_chart(
            curves.dropna(subset=[y]),
            lines,
            flagged=flagged,
            title=t("annotators.distance_curve" if scale else "annotators.fatigue_curve"),
            x_title=t("annotators.position"),
            y_title=t("annotators.rolling_distance" if scale else "annotators.rolling_agreement"),
            trend_name=t("annotators.trend"),
            flagged_suffix=t("annotators.flagged_suffix"),
            others_name=t("annotators.others"),
            y=y,
            fitted=fitted,
            share=not scale,
        ),
        config=charts.CONFIG,
    )
    shown = trends.assign(
        slope_ci=[interval_cell(a, b, digits=2) for a, b in zip(trends["ci_low"], trends["ci_high"], strict=True)],
        p_adjusted=trends["p_adjusted"].map(format_p),
    )
    columns = ("annotator", "items", "slope", "slope_ci", "p_adjusted", "fatigue", "note")
    shown = _with_notes(shown[[c for c in columns if c in shown]])
    data_table(shown, hide_index=True, column_config=column_labels(shown, number_format="%.2f"))
    st.caption(t("annotators.distance_help" if scale else "annotators.fatigue_help"))
    table = state.current_table()
    if table is not None and not has_values(table, TIMESTAMP):
        st.caption(t("annotators.fatigue_no_time"))


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
    return _with_notes(frame)


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
    if state.current_table() is None:
        no_dataset()
        return
    result, report = state.analysis_report(), state.report()
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
    with right:
        drivers = rank_drivers(quality) if not quality.empty else None
        claims = None if drivers is None else drivers[drivers["claim"]].sort_values("rank")
        weakest = None if claims is None or claims.empty else str(claims["annotator"].iloc[-1])
        render_confusion(result, annotators, first=weakest,
                         order=report["dataset"].get("label_order") if scale else None)
    render_camps(camps)
    render_quality(quality)
    render_fatigue(fatigue, scale=scale)
    if scale:
        render_leniency(bias)
    else:
        render_bias(bias)
    render_groups(report)


render()
