"""Models vs humans: may a model (an LLM, a classifier) replace one of the annotators, and on
which labels does it agree with the people better or worse than a typical annotator?"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.data.kinds import DEFAULT_MODEL_PREFIXES
from analysis.model_annotators import DEFAULT_EPSILON
from analysis.model_annotators.agreement import VERDICTS
from analysis.model_annotators.texts import class_summary, meaning
from dashboard import charts
from dashboard.components.cards import format_p, format_value, interval_cell
from dashboard.components.feedback import no_dataset
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, session

EPSILON_KEY = "models_epsilon"
MARK_KEY = "models_marked"
PREFIX_KEY = "models_prefixes"
INCLUDE_KEY = "models_include"
# Okabe-Ito: colour-blind safe; grey for "no clear difference"
VERDICT_COLOURS = {"better": "#0072B2", "worse": "#D55E00", "similar": "#999999", "undefined": "#CCCCCC"}
AGREEMENT_ROWS = ("human_alpha", "alpha_with_model", "alpha_change", "human_mean_kappa",
                  "model_mean_kappa", "kappa_difference")


def _prefixes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def render_marking() -> None:
    """Which annotators are models: what the file says, and the visitor's correction."""
    result = pipeline.load_result()
    if result is None:
        return
    found = [m.annotator for m in result.report.model_annotators]
    options = session.load_options()
    with st.expander(t("models.marking"), expanded=not found):
        st.caption(t("models.marking_help"))
        with st.form("models_marking", border=False):
            everyone = [str(a) for a in pd.unique(result.table["annotator"])]
            chosen = st.multiselect(t("models.mark"), everyone, default=found, key=MARK_KEY)
            prefixes = st.text_input(
                t("models.prefixes"), key=PREFIX_KEY,
                value=", ".join(DEFAULT_MODEL_PREFIXES if options.model_prefixes is None
                                else options.model_prefixes))
            include = st.checkbox(t("models.include"), value=options.include_models, key=INCLUDE_KEY,
                                  help=t("models.include_help"))
            if st.form_submit_button(t("models.apply")):
                session.set_load_options(replace(
                    options, models=tuple(chosen),
                    humans=tuple(name for name in everyone if name not in chosen),
                    model_prefixes=_prefixes(prefixes), include_models=include))
                st.rerun()


def _recognised(model: dict[str, Any]) -> str:
    how = model.get("identified_by") or "named"
    return t(f"models.by.{how}", detail=md(model.get("detail") or ""))


def _verdict_box(model: dict[str, Any]) -> None:
    sentence = md(meaning(model, current_language()))
    test = model["alt_test"]
    if test["passed"] is None:
        st.info(sentence)
    elif test["passed"]:
        st.success(sentence)
    else:
        st.error(sentence)


def _per_class_figure(model: dict[str, Any]) -> go.Figure:
    rows = [(label, c["difference"], c["verdict"]) for label, c in model["per_class"].items()
            if c["difference"]["value"] is not None]
    rows.sort(key=lambda row: row[1]["value"])
    figure = go.Figure()
    for verdict in VERDICTS:
        mine = [row for row in rows if row[2] == verdict]
        if not mine:
            continue
        values = [row[1]["value"] for row in mine]
        high = [(row[1]["ci_high"] if row[1]["ci_high"] is not None else v) - v for row, v in zip(mine, values, strict=True)]
        low = [v - (row[1]["ci_low"] if row[1]["ci_low"] is not None else v) for row, v in zip(mine, values, strict=True)]
        figure.add_trace(go.Scatter(
            x=values, y=[str(row[0]) for row in mine], mode="markers", name=t(f"models.verdict.{verdict}"),
            marker={"color": VERDICT_COLOURS[verdict], "size": 10},
            error_x={"type": "data", "array": high, "arrayminus": low},
            hovertemplate="%{y}: %{x:+.3f}<extra></extra>"))
    figure.add_vline(x=0, line_color="#444444", line_width=1)
    figure.update_layout(title=t("models.per_class_chart"), xaxis_title=t("models.difference"))
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=[str(r[0]) for r in rows])
    return charts.styled(figure, height=max(260, 28 * len(rows) + 120))


def _per_class_table(model: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for label, c in model["per_class"].items():
        humans, mine, difference = c["human_specific_agreement"], c["model_specific_agreement"], c["difference"]
        rows.append({
            t("models.col.label"): label,
            t("models.col.humans"): humans["value"], t("models.col.humans_ci"): interval_cell(humans["ci_low"], humans["ci_high"]),
            t("models.col.model"): mine["value"], t("models.col.model_ci"): interval_cell(mine["ci_low"], mine["ci_high"]),
            t("models.col.difference"): difference["value"],
            t("models.col.difference_ci"): interval_cell(difference["ci_low"], difference["ci_high"]),
            t("models.col.verdict"): t(f"models.verdict.{c['verdict']}"),
            t("models.col.model_uses"): c["model_uses"], t("models.col.human_uses"): c["human_uses"],
        })
    return pd.DataFrame(rows)


def _per_human_table(model: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for h in model["alt_test"]["per_human"]:
        wins = h["model_wins"]
        rows.append({
            t("models.col.human"): h["annotator"], t("models.col.items"): h["items"],
            t("models.col.model_advantage"): h["model_advantage"],
            t("models.col.human_advantage"): h["human_advantage"],
            t("models.col.p"): format_p(h["p_value"]), t("models.col.p_adjusted"): format_p(h["p_adjusted"]),
            t("models.col.wins"): "—" if wins is None else t("models.yes" if wins else "models.no"),
            t("models.col.tested"): t("models.yes" if h["tested"] else "models.no"),
        })
    return pd.DataFrame(rows)


def _agreement_table(agreement: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame([
        {t("models.col.measure"): t(f"models.measure.{key}"), t("models.col.value"): agreement[key]["value"],
         t("models.col.ci"): interval_cell(agreement[key]["ci_low"], agreement[key]["ci_high"])}
        for key in AGREEMENT_ROWS])


def _number_config(frame: pd.DataFrame) -> dict[str, Any]:
    return {column: st.column_config.NumberColumn(format="%.3f")
            for column in frame.columns if pd.api.types.is_float_dtype(frame[column])}


def render_model(model: dict[str, Any]) -> None:
    """One model: the test's answer, where it is better or worse, and the numbers behind it."""
    with st.container(border=True):
        st.subheader(md(model["annotator"]))
        st.caption(t("models.recognised", how=_recognised(model), judgements=model["judgements"],
                     shared=model["shared_items"]))
        _verdict_box(model)
        test = model["alt_test"]
        cols = st.columns(4)
        cols[0].metric(t("models.omega"), format_value(test["winning_rate"], digits=2))
        cols[1].metric(t("models.rho"), format_value(test["advantage_probability"], digits=2))
        cols[2].metric(t("models.won"), f"{test['humans_won']} / {test['humans_tested']}")
        cols[3].metric(t("models.epsilon"), f"{test['epsilon']:g}")
        if model["agreement"] is None:
            return
        st.markdown(f"**{t('models.per_class')}**")
        st.markdown(md(class_summary(model, current_language())))
        st.plotly_chart(_per_class_figure(model), config=charts.CONFIG, key=f"models_chart_{model['annotator']}")
        frame = _per_class_table(model)
        data_table(frame, hide_index=True, column_config=_number_config(frame))
        st.caption(t("models.per_class_help"))
        st.markdown(f"**{t('models.agreement')}**")
        frame = _agreement_table(model["agreement"])
        data_table(frame, hide_index=True, column_config=_number_config(frame))
        st.caption(t("models.agreement_help", items=model["agreement"]["items"]))
        st.markdown(f"**{t('models.per_human')}**")
        frame = _per_human_table(model)
        data_table(frame, hide_index=True, column_config=_number_config(frame))
        st.caption(t("models.per_human_help", items=test["min_items_per_human"], q=test["fdr_q"]))


def render() -> None:
    """Draw the page."""
    st.title(t("models.title"))
    st.caption(t("models.intro"))
    if pipeline.current_table() is None:
        no_dataset()
        return
    render_marking()
    current = pipeline.current_dataset()
    if current is None or not current.model_annotators:
        st.info(t("models.none"))
        return
    epsilon = st.number_input(t("models.epsilon_input"), min_value=0.0, max_value=0.95, step=0.05,
                              value=DEFAULT_EPSILON, key=EPSILON_KEY, help=t("models.epsilon_help"))
    section = pipeline.models_section(round(float(epsilon), 4))
    if section is None:
        return
    payload = section.to_dict()
    st.caption(t("models.humans", humans=payload["humans"],
                 counted=t("models.counted" if payload["models_counted_with_humans"] else "models.apart")))
    for model in payload["models"]:
        render_model(model)
    dataset = session.current_file()
    st.caption(t("models.cli", name=md(dataset.name if dataset else "FILE"), epsilon=f"{epsilon:g}"))


render()
