"""Overview: can we trust these labels? The headline numbers with intervals and meaning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from analysis.data.levels import LEVELS
from analysis.data.schema import LABEL
from analysis.diagnostics import describe, level_reason
from analysis.diagnostics.coherence import band_sentences
from analysis.quality.explain import MIN_CLAIM_ITEMS
from dashboard import charts
from dashboard.components.cards import (
    column_labels,
    format_value,
    render_metric_card,
    render_verdict,
)
from dashboard.components.feedback import no_dataset
from dashboard.components.flags import flag_counts, flagged_annotators, flagged_frame
from dashboard.components.notes import metric_note, warning_text
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, session

HEADLINE: tuple[str, ...] = ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement")
FLAGGED_INLINE = 5


def _weakest(entries: Mapping[str, Mapping[str, Any]], metric: str, *, min_n: int = 0) -> tuple[str, float, int] | None:
    """The lowest defined ``metric`` among entries whose metric rests on at least ``min_n`` items."""
    values = [
        (name, entry[metric]["value"], int(entry[metric].get("n") or 0))
        for name, entry in entries.items()
        if isinstance(entry.get(metric), Mapping) and entry[metric].get("value") is not None
        and int(entry[metric].get("n") or 0) >= min_n
    ]
    return min(values, key=lambda row: row[1]) if values else None


def _flagged_line(name: str, items: int, reasons: list[str]) -> str:
    return t("overview.flagged_one", annotator=md(name), reasons=", ".join(reasons), items=f"{items:,}")


def render_flagged(report: Mapping[str, Any]) -> None:
    """The flagged annotators: a count per reason and the first few; the rest on request."""
    flagged = flagged_annotators(report)
    if not flagged:
        return
    first = "; ".join(_flagged_line(*row) for row in flagged[:FLAGGED_INLINE])
    more = len(flagged) - FLAGGED_INLINE
    st.markdown("- " + t("overview.next_flagged_summary", total=f"{len(flagged):,}",
                         counts=flag_counts(report), first=first)
                + (" " + t("overview.next_flagged_more", more=f"{more:,}") if more > 0 else ""))
    if more > 0 and st.toggle(t("overview.show_all_flagged", total=f"{len(flagged):,}"), key="overview_all_flagged"):
        frame = flagged_frame(flagged)
        data_table(frame, hide_index=True, column_config=column_labels(frame))


def _look_here_next(report: Mapping[str, Any]) -> list[str]:
    hints = []
    weakest_class = _weakest(report.get("per_class", {}), "krippendorff_alpha")
    if weakest_class:
        hints.append(t("overview.next_class", label=md(weakest_class[0]), value=format_value(weakest_class[1])))
    result = pipeline.current_report()
    confused = None if result is None else result.most_confused_pair
    if confused:
        hints.append(t("overview.next_pair", a=md(confused.label_a), b=md(confused.label_b), share=confused.share))
    per_annotator = report.get("per_annotator", {})
    weakest_annotator = _weakest(per_annotator, "kappa_vs_consensus", min_n=MIN_CLAIM_ITEMS)
    thin = sum(1 for entry in per_annotator.values()
               if int((entry.get("kappa_vs_consensus") or {}).get("n") or 0) < MIN_CLAIM_ITEMS)
    if weakest_annotator:
        name, value, n = weakest_annotator
        hint = t("overview.next_annotator", annotator=md(name), value=format_value(value), n=f"{n:,}",
                 minimum=MIN_CLAIM_ITEMS)
        if thin:
            hint += " " + t("overview.next_annotator_thin", count=f"{thin:,}", minimum=MIN_CLAIM_ITEMS)
        hints.append(hint)
    elif thin:
        hints.append(t("overview.next_annotator_none", minimum=MIN_CLAIM_ITEMS))
    saved = session.saved_clusters()  # computed on the Clusters page for this file
    clusters = None if saved is None else saved[0]
    sizes = [len(getattr(c, "item_ids", ())) for c in getattr(clusters, "clusters", ())]
    if sizes:
        hints.append(t("overview.next_cluster", size=max(sizes)))
    else:
        hints.append(t("overview.next_cluster_none"))
    return hints


def render_suggestion() -> None:
    """Which level the labels suggest, and whether the page uses it."""
    suggestion = pipeline.suggested_level()
    if suggestion is None:
        return
    level = pipeline.current_level()
    st.caption(t("overview.suggested_used" if suggestion.level == level else "overview.suggested_other",
                 level=t(f"level.{suggestion.level}"),
                 reason=md(level_reason(suggestion.to_dict(), current_language()))))


def render_diagnostics(report: Mapping[str, Any]) -> None:
    """Each diagnostic with its code, finding, evidence and what to do."""
    diagnostics = report.get("diagnostics") or []
    st.subheader(t("overview.diagnostics"))
    if not diagnostics:
        band = (((report.get("interpretation") or {}).get("overall") or {}).get("krippendorff_alpha") or {}).get("label")
        if band == "reliable":  # green only where the number itself is good news
            st.success(t("overview.no_diagnostics"), icon=":material/check_circle:")
        else:
            st.info(t("overview.no_diagnostics_low", band=t(f"band.{band}") if band else "—"),
                    icon=":material/info:")
        return
    language = current_language()
    for diagnostic in diagnostics:
        message, action = describe(diagnostic["code"], diagnostic["evidence"], language)
        warning = diagnostic["severity"] == "warning"
        icon = ":material/warning:" if warning else ":material/info:"
        title = f"{t('diag.' + diagnostic['code'])} · `{diagnostic['code']}`"
        with st.expander(title, expanded=warning, icon=icon):
            st.markdown(md(message))
            st.markdown(f"**{t('overview.what_to_do')}** {md(action)}")
            if st.toggle(t("overview.evidence"), key=f"evidence_{diagnostic['code']}"):
                st.json(diagnostic["evidence"], expanded=False)


def render() -> None:
    """Draw the page."""
    st.title(t("overview.title"))
    table = pipeline.current_table()
    if table is None:
        no_dataset()
        return
    st.segmented_control(
        t("overview.level"),
        options=list(LEVELS),
        format_func=lambda level: t(f"level.{level}"),
        default=pipeline.current_level(),
        required=True,
        key=session.LEVEL_KEY,
        persist_state="session",
        help=t("overview.level_help"),
    )
    render_suggestion()
    verdict_slot = st.container()  # above the cards, filled once the full report is ready
    headline = pipeline.headline()  # the cards are drawn before the rest of the report is computed
    if headline is None:
        return
    overall, interpretation = headline["overall"], headline["interpretation"]
    for column, key in zip(st.columns(len(HEADLINE)), HEADLINE, strict=True):
        with column:
            render_metric_card(
                t(f"metric.{key}"),
                overall.get(key, {}),
                interpretation=interpretation.get(key),
                help_text=t(f"metric.{key}.help"),
                no_band=t("metric.no_band") if key == "percent_agreement" else None,
            )

    report = pipeline.report_dict()
    if report is None:
        return
    with verdict_slot:
        render_verdict(report)
        for sentence in band_sentences(report, current_language()):
            st.caption(md(sentence))
    dataset = report.get("dataset", {})
    counts = st.columns(4)
    counts[0].metric(t("overview.items"), f"{dataset.get('items', 0):,}")
    counts[1].metric(t("overview.annotators"), f"{dataset.get('annotators', 0):,}")
    counts[2].metric(t("overview.annotations"), f"{dataset.get('annotations', 0):,}")
    counts[3].metric(t("overview.labels"), f"{len(dataset.get('labels', [])):,}")
    for warning in dataset.get("warnings", []):
        st.warning(warning_text(warning, current_language()))

    render_diagnostics(report)

    left, right = st.columns([3, 2])
    with left:
        distribution = table[LABEL].value_counts()
        ordered = dataset.get("level", "nominal") != "nominal"
        st.plotly_chart(
            charts.label_bars(
                distribution,
                title=t("overview.distribution"),
                x_title=t("overview.judgements"),
                all_labels=dataset.get("labels", list(distribution.index)),
                order=dataset.get("label_order") if ordered else None,
            ),
            config=charts.CONFIG,
        )
    with right:
        st.subheader(t("overview.next"))
        hints = _look_here_next(report)
        for hint in hints[:-1]:
            st.markdown(f"- {hint}")
        render_flagged(report)
        st.markdown(f"- {hints[-1]}")
        with st.expander(t("overview.more")):
            for key in ("cohen_kappa", "mean_pairwise_cohen_kappa"):  # not among the cards' numbers
                metric = report.get("overall", {}).get(key, {})
                st.markdown(f"**{t(f'metric.{key}')}**: {format_value(metric.get('value'))}")
                if metric.get("note"):
                    st.caption(md(metric_note(metric["note"], current_language())))


render()
