"""Annotators: who is flagged and why, who agrees with whom, who drifts, who leans toward a label."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.report import AgreementReport
from analysis.schema import TIMESTAMP, has_values
from dashboard import charts, state, views
from dashboard.components.cards import column_labels, format_p, format_value, interval_cell
from dashboard.components.feedback import no_dataset
from dashboard.components.notes import metric_note
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t

ANNOTATOR_KEY = "annotator"
BUSIEST_KEY = "annotators_busiest"
ALSO_KEY = "annotators_also"
SEARCH_KEY = "annotators_search"
FLAGGED_KEY = "annotators_flagged_only"
DEFAULT_BUSIEST = 25
QUALITY_COLUMNS = (
    "rank", "annotator", "items", "loo_agreement", "loo_ci", "ds_accuracy", "ds_ci", "rank_score",
    "alpha_change", "low_quality",
)
BIAS_COLUMNS = (
    "annotator", "items", "favoured_label", "favoured_excess", "cramers_v", "chi2", "df", "p_adjusted", "bias", "note",
)


Fatigue = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]  # curves, trends, fitted trend lines


def _fatigue(result: AgreementReport, trends: pd.DataFrame, *, scale: bool) -> Fatigue:
    """The report's rolling curves and fitted trends with the lines to draw: agreement with
    the others' majority at nominal level, distance to the others' median on a scale."""
    if scale:
        return result.distance_curves(), trends, result.distance_trend_lines()
    return result.fatigue_curves(), trends, result.fatigue_trend_lines()


def _leniency_reason(row: pd.Series) -> str:
    return t("annotators.flag.leniency", offset=f"{row['leniency']:+.2f}", low=f"{row['ci_low']:+.2f}",
             high=f"{row['ci_high']:+.2f}", p=format_p(row["p_adjusted"]),
             direction=t(f"annotators.direction.{row['direction']}"))


def _distance_reason(row: pd.Series) -> str:
    return t("annotators.flag.drift", slope=f"{row['slope']:+.2f}", low=f"{row['ci_low']:+.2f}",
             high=f"{row['ci_high']:+.2f}", p=format_p(row["p_adjusted"]), items=int(row["items"]))


def _low_quality_reason(row: pd.Series, quality: pd.DataFrame) -> str:
    others = quality.loc[quality["annotator"] != row["annotator"], "loo_agreement"].dropna()
    return t(
        "annotators.flag.low_quality",
        agreement=f"{row['loo_agreement']:.0%}",
        low=f"{row['loo_ci_low']:.0%}",
        high=f"{row['loo_ci_high']:.0%}",
        median=f"{others.median():.0%}" if len(others) else "—",
        ds=format_value(row.get("ds_accuracy")),
    )


def _fatigue_reason(row: pd.Series, lines: pd.DataFrame) -> str:
    line = lines[lines["annotator"].astype(str) == str(row["annotator"])]
    start = f"{line['fitted_agreement'].iloc[0]:.0%}" if len(line) else "—"
    end = f"{line['fitted_agreement'].iloc[-1]:.0%}" if len(line) else "—"
    return t(
        "annotators.flag.fatigue",
        start=start, end=end, items=int(row["items"]), slope=f"{row['slope']:.2f}",
        low=f"{row['ci_low']:.2f}", high=f"{row['ci_high']:.2f}", p=format_p(row["p_adjusted"]),
    )  # fmt: skip


def _bias_reason(row: pd.Series) -> str:
    return t(
        "annotators.flag.bias",
        label=md(row["favoured_label"]), excess=f"{100 * row['favoured_excess']:+.1f}",
        v=f"{row['cramers_v']:.2f}", p=format_p(row["p_adjusted"]),
    )  # fmt: skip


def render_flags(quality: pd.DataFrame, bias: pd.DataFrame, fatigue: Fatigue, *, scale: bool = False) -> None:
    """One line per flagged annotator and reason: fatigue, label bias, low quality
    (on a scale: drift and leniency instead of fatigue and label bias)."""
    st.subheader(t("annotators.flags"))
    reasons: dict[str, list[str]] = {}
    for _, row in quality[quality["low_quality"].astype(bool)].iterrows():
        reasons.setdefault(str(row["annotator"]), []).append(_low_quality_reason(row, quality))
    _, trends, lines = fatigue
    for _, row in trends[trends["fatigue"].astype(bool)].iterrows():
        reason = _distance_reason(row) if scale else _fatigue_reason(row, lines)
        reasons.setdefault(str(row["annotator"]), []).append(reason)
    if scale:
        for _, row in bias[bias["flagged"].astype(bool)].iterrows():
            reasons.setdefault(str(row["annotator"]), []).append(_leniency_reason(row))
    else:
        for _, row in bias[bias["bias"].astype(bool)].iterrows():
            reasons.setdefault(str(row["annotator"]), []).append(_bias_reason(row))
    if not reasons:
        st.success(t("annotators.no_flags"), icon=":material/check_circle:")
        return
    per_row = 3
    names = list(reasons)
    for start in range(0, len(names), per_row):
        for column, annotator in zip(st.columns(per_row), names[start : start + per_row], strict=False):
            with column.container(border=True, height="stretch"):
                st.markdown(f"**{md(annotator)}**")
                for line in reasons[annotator]:
                    st.markdown(line)
    st.caption(t("annotators.flags_help"))


def shown_annotators(result: AgreementReport) -> list[str]:
    """The annotators the pairwise heatmap shows: the busiest N, plus any picked by name."""
    per_annotator = result.annotator_metrics
    everyone = [str(a) for a in per_annotator]
    if len(everyone) <= DEFAULT_BUSIEST:
        return everyone
    left, right = st.columns([1, 2])
    count = left.number_input(t("annotators.busiest"), min_value=2, max_value=len(everyone),
                              value=DEFAULT_BUSIEST, step=5, key=BUSIEST_KEY)
    busiest = views.busiest_annotators(per_annotator, int(count))
    also = right.multiselect(t("annotators.also_show"), everyone, key=ALSO_KEY)
    shown = busiest + [name for name in also if name not in busiest]
    st.caption(t("annotators.pairwise_subset", shown=len(shown), total=len(everyone)))
    return shown


def render_pairwise(result: AgreementReport, camps: list[dict]) -> None:
    """Pairwise Cohen's kappa heatmap with the shared items in the hover, ordered by camp.

    With many annotators (crowd data) the heatmap shows the busiest ones, plus any picked
    by name; the report lists only pairs that share items, so most cells of a crowd
    matrix would be blank anyway.
    """
    if not result.pairwise or result.dataset.reliability.n_annotators < 2:
        st.info(t("annotators.no_pairs"))
        return
    shown = shown_annotators(result)
    chosen = set(shown)
    pairs = [pair for pair in result.pairwise.records()
             if pair["annotator_a"] in chosen and pair["annotator_b"] in chosen]
    kappa, overlap = views.pairwise_matrices(pairs, shown)
    if camps:
        ordered, camp_of = views.camp_order([str(a) for a in kappa.index], camps)
        names = {name: f"{name} · {t('annotators.camp_short', number=camp_of[name])}" for name in camp_of}
        kappa = kappa.loc[ordered, ordered].rename(index=names, columns=names)
        overlap = overlap.loc[ordered, ordered].rename(index=names, columns=names)
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


def render_quality(quality: pd.DataFrame) -> None:
    """The ranked quality table, with the agreement interval in one column."""
    st.subheader(t("annotators.quality"))
    left, right = st.columns([3, 1])
    query = left.text_input(t("annotators.search"), key=SEARCH_KEY)
    flagged_only = right.checkbox(t("annotators.flagged_only"), key=FLAGGED_KEY)
    rows = views.filter_annotators(quality, query)
    if flagged_only:
        rows = rows[rows["low_quality"].astype(bool)]
    intervals = zip(rows["loo_ci_low"], rows["loo_ci_high"], strict=True)
    shown = rows.assign(loo_ci=[interval_cell(low, high) for low, high in intervals])
    if "ds_ci_low" in rows:
        ds = zip(rows["ds_ci_low"], rows["ds_ci_high"], strict=True)
        shown = shown.assign(ds_ci=[interval_cell(low, high) for low, high in ds])
    columns = QUALITY_COLUMNS
    shown = shown[[c for c in columns if c in shown]]
    data_table(shown, hide_index=True, column_config=column_labels(shown))
    st.caption(t("annotators.rows_shown", shown=len(shown), total=len(quality)))
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


def render_bias(bias: pd.DataFrame) -> None:
    """Label-distribution bias per annotator."""
    st.subheader(t("annotators.bias"))
    shown = bias.assign(
        favoured_excess=100 * bias["favoured_excess"], p_adjusted=bias["p_adjusted"].map(format_p)
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
    if trends["annotator"].nunique() > DEFAULT_BUSIEST:  # crowd data: flagged plus the busiest
        busiest = trends.sort_values("items", ascending=False, kind="stable")["annotator"]
        keep = set(flagged) | {str(a) for a in busiest.head(DEFAULT_BUSIEST)}
        curves = curves[curves["annotator"].astype(str).isin(keep)]
        lines = lines[lines["annotator"].astype(str).isin(keep)]
        st.caption(t("annotators.fatigue_subset", shown=len(keep), total=trends["annotator"].nunique()))
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
    render_flags(quality, bias, fatigue, scale=scale)
    annotators = [str(a) for a in report.get("per_annotator", {})]
    camps = report.get("annotator_camps") or []
    left, right = st.columns([1, 1])
    with left:
        st.subheader(t("annotators.agreement_heading"))
        render_pairwise(result, camps)
    with right:
        weakest = None if quality.empty else str(quality.sort_values("rank")["annotator"].iloc[-1])
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
