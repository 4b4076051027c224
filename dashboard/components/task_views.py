"""The multi-label and span views: agreement, disagreement kinds, a span view of disputed
documents (escaped HTML), span adjudication and the gold export. Drawn by the task page and,
for a dataset that is not single-label, by every single-label page
(:mod:`dashboard.components.task_guard`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from analysis.base.errors import AnalysisError
from analysis.data.judgements import SpanData
from analysis.data.loaded import TaskLoad
from analysis.report.task_registry import get_task, task_names
from analysis.tasks.spans.ambiguity import rule_text
from analysis.tasks.spans.gold import gold_jsonl, gold_label_studio, span_gold
from analysis.tasks.spans.view import example_html, span_view_html, spans_table
from dashboard.components.adjudication import current_author
from dashboard.components.cards import (
    column_labels,
    metrics_frame,
    render_metric_card,
    render_verdict,
)
from dashboard.components.feedback import error_message, no_dataset
from dashboard.components.notes import warning_text
from dashboard.components.tables import data_table
from dashboard.components.task_guard import task_title
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.palette import label_colors
from dashboard.state import pipeline, resources, session
from dashboard.views import arrow_safe

MULTI_LABEL_HEADLINE = ("krippendorff_alpha_masi", "krippendorff_alpha_jaccard",
                        "exact_set_agreement", "mean_per_label_kappa")
SPAN_HEADLINE = ("span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha")
SAVED_KEY = "span_adjudication_saved"
SPAN_MIN_DOCUMENTS = 5  # as the report's flag "fewer than 5 documents shared with another annotator"


def render_task_options(loaded_report: Mapping[str, Any] | None) -> None:
    """Task override, Label Studio question and label separator."""
    options = session.load_options()
    with st.expander(t("tasks.options"), expanded=False):
        choices = ["auto", *task_names()]
        task = st.selectbox(t("tasks.task"), choices, index=choices.index(options.task or "auto"),
                            format_func=lambda key: t("tasks.task.auto") if key == "auto" else task_title(key),
                            key="task_choice")
        questions = [q["name"] for q in (loaded_report or {}).get("questions") or []]
        question = options.question
        if len(questions) > 1:
            current = question if question in questions else questions[0]
            question = st.selectbox(t("tasks.question"), questions,
                                    index=questions.index(current), key="task_question")
        label_sep = st.text_input(t("tasks.label_sep"), value=options.label_sep or "",
                                  max_chars=3, key="task_label_sep").strip() or None
        chosen = replace(options, task=None if task == "auto" else task, question=question,
                         label_sep=label_sep)
        if chosen != options:
            session.set_load_options(chosen)
            st.rerun()


def _cards(report: Mapping[str, Any], names: tuple[str, ...]) -> None:
    columns = st.columns(len(names))
    for column, name in zip(columns, names, strict=True):
        with column:
            render_metric_card(t(f"tasks.metric.{name}"), report["overall"][name],
                               interpretation=report["interpretation"]["overall"].get(name),
                               help_text=t(f"tasks.metric.{name}.help"))


def _table(rows: Mapping[str, Mapping[str, Any]], names: tuple[str, ...], index: str) -> None:
    frame = metrics_frame(rows, {name: t(f"tasks.metric.{name}") for name in names},
                          index_name=index)
    frame = frame[[c for c in frame.columns if not (frame[c].astype(str) == "").all()]]  # no empty interval columns
    data_table(arrow_safe(frame), hide_index=True, column_config=column_labels(frame))


def render_multi_label(report: Mapping[str, Any]) -> None:
    _cards(report, MULTI_LABEL_HEADLINE)
    st.subheader(t("tasks.per_label"))
    _table(report["per_class"], ("fleiss_kappa", "krippendorff_alpha", "specific_agreement",
                                 "specific_agreement_absent", "prevalence"), t("col.label"))
    st.subheader(t("tasks.per_annotator"))
    _table(report["per_annotator"], ("items", "labels_per_item", "label_rate_bias"),
           t("col.annotator"))
    st.subheader(t("tasks.label_pairs"))
    pairs = pd.DataFrame(report["ambiguity"]["label_pairs"])
    if pairs.empty:
        st.caption(t("tasks.no_pairs"))
    else:
        pairs["example_items"] = pairs["example_items"].map(", ".join)
        data_table(arrow_safe(pairs), hide_index=True)


def _kinds_frame(disagreements: Mapping[str, Any]) -> pd.DataFrame:
    rows = {t("tasks.all_types"): disagreements["overall"], **disagreements["per_class"]}
    return pd.DataFrame([{t("col.label"): name, t("tasks.kind.agreed"): v["agreed"],
                          t("tasks.kind.boundary"): v["boundary"],
                          t("tasks.kind.type"): v["type"], t("tasks.kind.missed"): v["missed"]}
                         for name, v in rows.items()])


def _document_spans(data: SpanData, item: str) -> dict[str, list[tuple[int, int, str]]]:
    judged = data.judgements[data.judgements["item_id"] == item]["annotator"]
    mine = data.spans[data.spans["item_id"] == item]
    out: dict[str, list[tuple[int, int, str]]] = {name: [] for name in judged}
    for name, start, end, label in zip(mine["annotator"], mine["start"], mine["end"],
                                       mine["label"], strict=True):  # one pass, not one per annotator
        out.setdefault(name, []).append((int(start), int(end), str(label)))
    return out


def render_span_view(report: Mapping[str, Any], data: SpanData) -> None:
    """Each annotator's spans on a disputed document, with adjudication."""
    st.subheader(t("tasks.span_view"))
    disputed = [row["item_id"] for row in report["disagreements"]["disputed_items"]]
    if not disputed:
        st.caption(t("tasks.no_disputed"))
        return
    item = st.selectbox(t("tasks.document"), disputed, key="span_document")
    text = data.texts.get(item)
    if text is None:
        st.caption(t("tasks.no_text"))
        return
    by_annotator = _document_spans(data, item)
    consensus = [(r["start"], r["end"], r["label"]) for r in report.get("consensus", [])
                 if r["item_id"] == item]
    adjudicated = resources.adjudicated_spans()
    lines = {**by_annotator, t("tasks.consensus"): consensus}
    if item in adjudicated:
        lines[t("tasks.final")] = adjudicated[item]
    # one colour per name whatever the document and whether it has saved spans
    colors = label_colors([*data.annotators, t("tasks.consensus"), t("tasks.final")])
    st.html(span_view_html(text, lines, colors=colors))
    st.caption(t("tasks.hover"))
    _render_adjudication(item, text, consensus, by_annotator, adjudicated)


def _render_adjudication(item: str, text: str, consensus: list[tuple[int, int, str]],
                         by_annotator: dict[str, list[tuple[int, int, str]]],
                         adjudicated: dict[str, list[tuple[int, int, str]]]) -> None:
    workspace = resources.workspace()
    if workspace is None:
        st.info(t("note.no_workspace"))
        return
    done = st.session_state.pop(SAVED_KEY, None)  # said after the rerun that shows the save
    if done is not None:
        st.success(t("tasks.saved", n=done) if done >= 0 else t("tasks.cleared"))
    if item in adjudicated:
        st.caption(t("tasks.adjudicated_saved", n=len(adjudicated[item])))
    if workspace.read_only:  # a viewer: the workspace refuses writes anyway, so offer none
        st.caption(t("access.read_only_form"))
        return
    saved = t("tasks.final")
    sources = ([saved] if item in adjudicated else []) + [t("tasks.consensus"), *by_annotator]
    source = st.radio(t("tasks.start_from"), sources, horizontal=True, key="span_source")
    if source == saved:
        start = adjudicated[item]
    elif source == t("tasks.consensus"):
        start = consensus
    else:
        start = by_annotator[source]
    edited = st.data_editor(spans_table(start, text).drop(columns="text"), num_rows="dynamic",
                            key=f"span_editor_{item}_{source}", hide_index=True)
    left, right = st.columns(2)
    if left.button(t("tasks.save_spans"), key="save_spans"):
        try:
            final = _rows(edited)
            resources.save_final_spans(item, final, text=text, author=current_author())
        except AnalysisError as error:
            st.error(md(error_message(error)))
        else:
            st.session_state[SAVED_KEY] = len(final)
            st.rerun()  # redraw the span view and the gold export with the saved spans
    if item in adjudicated and right.button(t("tasks.clear_spans"), key="clear_spans"):
        try:
            resources.save_final_spans(item, None, text=text, author=current_author())
        except AnalysisError as error:
            st.error(md(error_message(error)))
        else:
            st.session_state[SAVED_KEY] = -1
            st.rerun()


def _rows(frame: pd.DataFrame) -> list[tuple[object, object, object]]:
    """The edited rows as ``(start, end, label)``; checked when saved (rows left blank by
    a deleted line are skipped)."""
    rows = []
    for row in frame.itertuples():
        values = (row.start, row.end, row.label)
        if all(v is None or (isinstance(v, float) and v != v) or v == "" for v in values):
            continue
        rows.append(values)
    return rows


def render_spans(report: Mapping[str, Any], data: SpanData) -> None:
    _cards(report, SPAN_HEADLINE)
    st.subheader(t("tasks.per_type"))
    _table(report["per_class"], SPAN_HEADLINE, t("col.label"))
    st.subheader(t("tasks.kinds"))
    st.caption(t("tasks.kinds.help"))
    data_table(_kinds_frame(report["disagreements"]), hide_index=True)
    st.subheader(t("tasks.per_annotator"))
    # best first by the headline measure (the one that ranks workers closest to the truth)
    def headline(pair: tuple[str, Mapping[str, Any]]) -> tuple[bool, float]:
        # annotators sharing too few documents last: one document's F1 of 1.0 says little
        metric = pair[1].get("f1_vs_dawid_skene") or {}
        thin = int(metric.get("n") or 0) < SPAN_MIN_DOCUMENTS
        return thin, -1.0 if metric.get("value") is None else -float(metric["value"])

    per_annotator = dict(sorted(report["per_annotator"].items(), key=headline))
    _table(per_annotator, ("items", "spans", "f1_vs_dawid_skene", "f1_vs_consensus", "quality"),
           t("col.annotator"))
    st.caption(t("tasks.per_annotator_help"))
    st.subheader(t("tasks.ambiguity"))
    clusters = report["ambiguity"].get("clusters", [])
    for cluster in clusters[:8]:
        with st.container(border=True):
            kind = t(f"tasks.kind.{cluster['kind']}")
            rule = (rule_text(cluster["rule"], current_language()) if cluster.get("rule")
                    else cluster["drafted_rule"])
            st.markdown(f"**{md(kind)} · {md(cluster['label'])}** "
                        f"({cluster['size']}) — {md(rule)}")
            for example in cluster["examples"]:
                text = data.texts.get(str(example["item_id"]))
                st.html(f'<div style="font-size:0.9em;color:#555;margin:0.2em 0">'
                        f'{example_html(example, document_length=None if text is None else len(text))}</div>')
    render_span_view(report, data)
    st.subheader(t("tasks.gold"))
    adjudicated = resources.adjudicated_spans()
    gold = span_gold(data, adjudicated, report.get("consensus", []))
    st.caption(t("tasks.gold.help", n=len(adjudicated)))
    left, right = st.columns(2)
    left.download_button(t("tasks.gold.label_studio"), gold_label_studio(gold, data.texts),
                         file_name="gold_spans_labelstudio.json", mime="application/json",
                         key="gold_spans_ls")
    right.download_button(t("tasks.gold.jsonl"), gold_jsonl(gold, data.texts),
                          file_name="gold_spans.jsonl", mime="application/jsonl",
                          key="gold_spans_jsonl")
    from dashboard.components.label_studio_write import render_span_write_back

    render_span_write_back(gold, data.texts)  # only for a pulled Label Studio project


TASK_VIEWS: dict[str, Callable[[Mapping[str, Any], TaskLoad], None]] = {
    "multi_label": lambda report, loaded: render_multi_label(report),
    "spans": lambda report, loaded: render_spans(report, loaded.data),  # type: ignore[arg-type]
}
"""The view of each task type that has not one label per item, by task name."""


def render() -> None:
    """The page body (also drawn by single-label pages for other tasks)."""
    loaded = pipeline.loaded_export()
    if loaded is None:
        no_dataset()
        return
    st.caption(t("tasks.detected", task=task_title(loaded.task),
                 format=md(loaded.report.get("format", "?"))))
    for warning in loaded.report.get("warnings", []):
        st.caption(warning_text(warning, current_language()))
    render_task_options(loaded.report)
    if pipeline.one_label_per_item(loaded.task):
        st.info(t("tasks.single_label"))
        return
    report = pipeline.report_dict(consensus=True)  # the span views show it and the gold uses it
    if report is None:
        return
    render_verdict(report)
    view = TASK_VIEWS.get(loaded.task)
    if view is None:
        render_task_tables(report, loaded.task)
    else:
        view(report, loaded)


def render_task_tables(report: Mapping[str, Any], task: str) -> None:
    """A task type without a view of its own: the tables its module draws for the report
    (:meth:`analysis.report.protocol.Task.tables`), then the report as JSON."""
    for title, headers, rows in get_task(task).tables(report, current_language()):
        st.markdown(f"**{md(title)}**")
        data_table(pd.DataFrame(rows, columns=headers), hide_index=True)
    with st.expander(t("tasks.report_json")):
        st.json(dict(report))


