"""The per-annotator tables of the Annotators page: quality ranking, fatigue, label bias,
leniency; at crowd scale, the rows that need a look first.

With more than :data:`CROWD` annotators (a crowd export has hundreds) a table of every
annotator costs the browser a good part of a second to lay out and is read from the top
anyway, so each table shows :data:`FIRST_ROWS` rows, the ones a project manager looks at
first (the lowest ranked; the flagged, most significant first), says which, and has a
"show all" toggle; the quality table's search and "flagged only" filter always search
everyone. The fatigue curves are drawn on request there (the flag cards already give each
flagged annotator's start and end agreement). Sentences per row (why a rank, why a flag)
are written only for the rows shown.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from analysis.data.schema import TIMESTAMP, has_values
from analysis.quality.bias import MIN_CONCENTRATION, MIN_EXCESS
from analysis.quality.explain import MIN_CLAIM_ITEMS, bias_reasons
from dashboard import charts, views
from dashboard.components.cards import column_labels, format_p, format_value, interval_cell
from dashboard.components.flags import Fatigue
from dashboard.components.notes import metric_note
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, formatter, t
from dashboard.state import pipeline

CROWD: Final = 25
"""More annotators than this: tables show their first rows, the fatigue chart waits for a toggle."""
FIRST_ROWS: Final = 20
FATIGUE_FLAGGED: Final = 10
FATIGUE_BUSIEST: Final = 15
SEARCH_KEY: Final = "annotators_search"
FLAGGED_KEY: Final = "annotators_flagged_only"
ALL_KEYS: Final = {"quality": "annotators_all_quality", "fatigue": "annotators_all_fatigue",
                   "bias": "annotators_all_bias", "leniency": "annotators_all_leniency"}
CURVES_KEY: Final = "annotators_fatigue_curves"
QUALITY_COLUMNS: Final = (
    "rank", "annotator", "items", "loo_agreement", "loo_ci", "ds_accuracy", "ds_ci", "rank_score",
    "alpha_change", "low_quality", "rank_reason",
)
BIAS_COLUMNS: Final = (
    "annotator", "items", "favoured_label", "favoured_excess", "cramers_v", "chi2", "df", "p_adjusted", "bias", "why",
    "note",
)


def without_empty_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its note column when no row has a note, else with its notes in
    the page's language (each engine note written from its code)."""
    if "note" not in frame:
        return frame
    if frame["note"].isna().all():
        return frame.drop(columns="note")
    language = current_language()
    return frame.assign(note=[metric_note(n, language) if isinstance(n, str) else n for n in frame["note"]])


def first_rows(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` (already in the order to read it) as shown: everything up to :data:`CROWD`
    rows, else its first :data:`FIRST_ROWS` unless the table's "show all" toggle is on."""
    if len(frame) <= CROWD or st.toggle(t("annotators.show_all_rows", total=f"{len(frame):,}"),
                                        key=ALL_KEYS[table]):
        return frame
    return frame.head(FIRST_ROWS)


def _flagged_first(frame: pd.DataFrame, flag: str) -> pd.DataFrame:
    """Flagged rows first, then by adjusted p (most significant first), then the busiest."""
    order = frame.assign(_flag=~frame[flag].astype(bool))
    return order.sort_values(["_flag", "p_adjusted", "items"], ascending=[True, True, False],
                             kind="stable", na_position="last").drop(columns="_flag")


def _subset_caption(shown: pd.DataFrame, total: int, *, ranking: bool = False) -> None:
    """Which rows a crowd table shows (``ranking``: the quality table's weakest first)."""
    if len(shown) < total:
        st.caption(t("annotators.quality_subset" if ranking else "annotators.flagged_rows_subset",
                     shown=f"{len(shown):,}", total=f"{total:,}", minimum=MIN_CLAIM_ITEMS))


def rank_reasons(drivers: pd.DataFrame, total: int | None = None) -> list[str]:
    """What drives each rank of :func:`analysis.quality.explain.rank_drivers`, in words
    (``total``: the number of ranked annotators, when ``drivers`` holds only some rows)."""
    total = len(drivers) if total is None else total
    place = formatter("annotators.place")
    words = {driver: formatter(f"annotators.rank.{driver}") for driver in ("accuracy", "few_items", "model")}
    thin = t("annotators.rank.thin", minimum=MIN_CLAIM_ITEMS)

    def where(rank: float) -> str:
        return "—" if rank != rank else place(rank=f"{int(rank):,}", total=f"{total:,}")

    return [words[row.driver](accuracy=where(row.accuracy_rank), agreement=where(row.agreement_rank))
            if row.claim else thin for row in drivers.itertuples(index=False)]


def render_quality(quality: pd.DataFrame, drivers: pd.DataFrame) -> None:
    """The ranked quality table, with the agreement interval in one column and what drives
    each rank; at crowd scale the lowest ranked first (see the module notes)."""
    st.subheader(t("annotators.quality"))
    left, right = st.columns([3, 1])
    query = left.text_input(t("annotators.search"), key=SEARCH_KEY)
    flagged_only = right.checkbox(t("annotators.flagged_only"), key=FLAGGED_KEY)
    drivers = drivers.set_axis(quality.index)
    rows = views.filter_annotators(quality, query)
    if flagged_only:
        rows = rows[rows["low_quality"].astype(bool)]
    crowd = len(quality) > CROWD and not query.strip() and not flagged_only
    if crowd:  # the weakest first: the ranked from the last up, then those too thin to rank
        order = pd.DataFrame({"thin": ~drivers["claim"], "rank": drivers["rank"]})
        rows = first_rows(rows.loc[order.sort_values(["thin", "rank"], ascending=[True, False],
                                                     kind="stable").index], "quality")
    shown_drivers = drivers.loc[rows.index]
    shown = rows.assign(rank_reason=rank_reasons(shown_drivers, len(drivers)),
                        loo_ci=[interval_cell(low, high) for low, high in
                                zip(rows["loo_ci_low"], rows["loo_ci_high"], strict=True)])
    if "ds_ci_low" in rows:
        shown = shown.assign(ds_ci=[interval_cell(low, high) for low, high in
                                    zip(rows["ds_ci_low"], rows["ds_ci_high"], strict=True)])
    shown = shown[[c for c in QUALITY_COLUMNS if c in shown]]
    config = column_labels(shown)
    config["rank_score"] = st.column_config.NumberColumn(t("col.rank_score"), help=t("col.rank_score_help"),
                                                         format="%.3f", width="small")
    config["rank_reason"] = st.column_config.TextColumn(t("col.rank_reason"), width="large")
    data_table(shown, hide_index=True, column_config=config)
    if crowd and len(shown) < len(quality):
        _subset_caption(shown, len(quality), ranking=True)
    else:
        st.caption(t("annotators.rows_shown", shown=f"{len(shown):,}", total=f"{len(quality):,}"))
    last = drivers[drivers["claim"]].sort_values("rank").tail(1)
    if len(last) and len(quality) > 2:
        row = last.iloc[0]
        why = rank_reasons(last, len(drivers))[0]
        entry = quality.loc[quality["annotator"].astype(str) == row["annotator"]].iloc[0]
        st.markdown(t("annotators.last", annotator=md(row["annotator"]), rank=f"{int(row['rank']):,}",
                      total=f"{len(quality):,}", minimum=MIN_CLAIM_ITEMS,
                      score=format_value(entry["rank_score"]), accuracy=format_value(entry["ds_accuracy"]),
                      agreement=format_value(entry["loo_agreement"]), items=f"{int(entry['loo_items']):,}",
                      why=why))
    st.caption(t("annotators.quality_help"))


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
    """Label-distribution bias per annotator (at crowd scale the flagged first)."""
    st.subheader(t("annotators.bias"))
    rows = first_rows(_flagged_first(bias, "bias"), "bias") if len(bias) > CROWD else bias
    shown = rows.assign(
        favoured_excess=100 * rows["favoured_excess"], p_adjusted=rows["p_adjusted"].map(format_p),
        why=bias_whys(rows),
    )
    shown = without_empty_notes(shown[[c for c in BIAS_COLUMNS if c in shown]])
    config = column_labels(shown)
    if "favoured_excess" in config:
        config["favoured_excess"] = st.column_config.NumberColumn(t("col.favoured_excess_pp"), format="%+.1f")
    data_table(shown, hide_index=True, column_config=config)
    _subset_caption(shown, len(bias))
    st.caption(t("annotators.bias_help"))


def render_leniency(leniency: pd.DataFrame) -> None:
    """Leniency per annotator (ordinal and above): mean offset from the others, with its
    interval (at crowd scale the flagged first)."""
    st.subheader(t("annotators.leniency"))
    rows = first_rows(_flagged_first(leniency, "flagged"), "leniency") if len(leniency) > CROWD else leniency
    shown = rows.assign(
        leniency_ci=[interval_cell(a, b, digits=2) for a, b in zip(rows["ci_low"], rows["ci_high"], strict=True)],
        p_adjusted=rows["p_adjusted"].map(format_p),
        direction=rows["direction"].map(lambda d: t(f"annotators.direction.{d}")),
    )
    columns = ("annotator", "items", "leniency", "leniency_ci", "p_adjusted", "direction", "flagged", "note")
    shown = without_empty_notes(shown[[c for c in columns if c in shown]])
    data_table(shown, hide_index=True, column_config=column_labels(shown, number_format="%+.2f"))
    _subset_caption(shown, len(leniency))
    st.caption(t("annotators.leniency_help"))


def _fatigue_figure(fatigue: Fatigue, flagged: list[str], *, scale: bool) -> None:
    curves, trends, lines = fatigue
    if trends["annotator"].nunique() > CROWD:  # crowd data: the steepest flagged plus the busiest
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
            curves.dropna(subset=[y]), lines, flagged=flagged,
            title=t("annotators.distance_curve" if scale else "annotators.fatigue_curve"),
            x_title=t("annotators.position"),
            y_title=t("annotators.rolling_distance" if scale else "annotators.rolling_agreement"),
            trend_name=t("annotators.trend"), flagged_suffix=t("annotators.flagged_suffix"),
            others_name=t("annotators.others"), y=y, fitted=fitted, share=not scale,
        ),
        config=charts.CONFIG,
    )


def render_fatigue(fatigue: Fatigue, *, scale: bool = False) -> None:
    """Rolling agreement (on a scale: distance to the others) along each annotator's own
    sequence, with the fitted trend, and the trend table (see the module notes)."""
    st.subheader(t("annotators.fatigue"))
    _, trends, _ = fatigue
    flagged = [str(a) for a in trends.loc[trends["fatigue"].astype(bool), "annotator"]]
    crowd = trends["annotator"].nunique() > CROWD
    if not crowd or st.toggle(t("annotators.show_fatigue_curves", flagged=f"{len(flagged):,}"), key=CURVES_KEY):
        _fatigue_figure(fatigue, flagged, scale=scale)
    rows = first_rows(_flagged_first(trends, "fatigue"), "fatigue") if len(trends) > CROWD else trends
    shown = rows.assign(
        slope_ci=[interval_cell(a, b, digits=2) for a, b in zip(rows["ci_low"], rows["ci_high"], strict=True)],
        p_adjusted=rows["p_adjusted"].map(format_p),
    )
    columns = ("annotator", "items", "slope", "slope_ci", "p_adjusted", "fatigue", "note")
    shown = without_empty_notes(shown[[c for c in columns if c in shown]])
    data_table(shown, hide_index=True, column_config=column_labels(shown, number_format="%.2f"))
    _subset_caption(shown, len(trends))
    st.caption(t("annotators.distance_help" if scale else "annotators.fatigue_help"))
    table = pipeline.current_table()
    if table is not None and not has_values(table, TIMESTAMP):
        st.caption(t("annotators.fatigue_no_time"))
