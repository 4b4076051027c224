"""Label review: the labels most likely to be wrong, even where annotators agreed."""

from __future__ import annotations

import streamlit as st

from analysis.data.dataset import AnnotationDataset
from analysis.data.schema import LABEL, TEXT
from analysis.label_issues.ranking import LabelIssues, find_label_issues
from analysis.label_issues.trust import MAX_CONTRADICTION
from dashboard import views
from dashboard.components.adjudication import render_adjudication_form, render_review_progress
from dashboard.components.cards import column_labels
from dashboard.components.feedback import render_text_reading, table_with_texts
from dashboard.components.notes import warning_text
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, resources, session

RESULT_KEY = "label_issues_result"
PARAMS_KEY = "label_issues_params"
ISSUE_ORDER: tuple[str, ...] = ("item_id", "text", "current_label", "suggested_label", "score", "votes")


def _run(dataset: AnnotationDataset, backend: str, top: int) -> LabelIssues:
    bar = st.progress(0.0, text=t("clusters.loading_model"))
    embedder = resources.embedder(backend, None)

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=t("clusters.embedding", done=done, total=total))

    result = find_label_issues(dataset, embedder=embedder, top=top, seed=session.seed(), progress=progress)
    bar.empty()
    return result


def render_summary(result: LabelIssues) -> None:
    """What share is flagged, what was kept and why, and how far the text model is trusted."""
    summary = result.to_dict()
    items = result.items
    st.markdown(t("review.share", flagged=summary["n_flagged"], items=len(items), share=result.flagged_share,
                  prior=summary["prior_error_rate"]))
    if summary["n_unanimous_protected"]:
        limit = (summary.get("text_model") or {}).get("unanimous_flip_needs_at_most", MAX_CONTRADICTION)
        st.caption(t("review.protected", count=summary["n_unanimous_protected"], limit=limit))
    if summary["n_split"]:
        st.caption(t("review.split_note", count=summary["n_split"]))
    model = result.text_model
    if model is not None:
        st.caption(t("review.text_model", accuracy=model.accuracy, ece=model.calibration_error,
                     temperature=model.temperature))
    if not summary["n_flagged"]:
        st.info(t("review.none_flagged"))


def render() -> None:
    """Draw the page."""
    st.title(t("review.title"))
    st.caption(t("review.intro"))
    table = table_with_texts(pipeline.current_table())
    if table is None:
        return
    backends, default_backend = resources.embedding_backends(), resources.default_backend(table[TEXT])
    left, right = st.columns(2)
    backend = left.selectbox(
        t("clusters.backend"), backends, index=backends.index(default_backend),
        format_func=lambda name: t(f"clusters.backend.{name}"), key="review_backend",
    )
    with left:
        resources.render_backend_note()  # only where torch is not installed (the demo deploy set)
    top = right.slider(t("review.top"), 5, 200, value=20, step=5, key="review_top")
    dataset = session.current_file()
    params = (dataset.digest if dataset else "", session.load_options(), backend, top)
    if st.button(t("review.run"), type="primary", key="review_run"):
        st.session_state[RESULT_KEY] = _run(pipeline.current_dataset(), backend, top)
        st.session_state[PARAMS_KEY] = params
    stored = st.session_state.get(PARAMS_KEY)
    result = st.session_state.get(RESULT_KEY) if stored and stored[:2] == params[:2] else None
    if result is None:
        st.info(t("review.press_run"))
        return
    if stored != params:
        st.caption(t("clusters.stale"))
    for warning in result.warnings:
        st.warning(warning_text(warning, current_language()))
    render_text_reading(result.text_reading)
    issues = views.arrow_safe(result.issues)
    render_summary(result)
    if issues.empty:
        return
    st.caption(t("review.count", count=len(issues), flagged=int(result.items["is_label_issue"].sum()), model=md(result.model)))
    order = [c for c in ISSUE_ORDER if c in issues.columns] + [c for c in issues.columns if c not in ISSUE_ORDER]
    issues = issues[order]
    if "kind" in issues.columns:  # consensus / ambiguous / split, in the interface language
        issues = issues.assign(kind=issues["kind"].map(lambda kind: t(f"review.kind.{kind}")))
    config = column_labels(issues)
    for column in ("text", "votes", "neighbour_labels"):
        if column in config:
            width = "large" if column == "text" else "medium"
            config[column] = st.column_config.TextColumn(t(f"col.{column}"), width=width)
    workspace, fingerprint = resources.workspace(), pipeline.fingerprint()
    progress = st.empty()  # filled last, so a decision saved in this run is already counted
    selection = data_table(
        issues, hide_index=True, on_select="rerun", selection_mode="single-row", key="review_table", column_config=config
    )
    st.caption(t("review.columns_help"))
    if workspace is None or fingerprint is None:
        st.info(t("note.no_workspace"))
        return
    rows = selection.selection.rows if selection is not None else []
    if rows:
        item_id = str(issues.iloc[rows[0]]["item_id"])
        labels = sorted(table[LABEL].astype(str).unique())
        render_adjudication_form(item_id, labels, workspace, fingerprint, key_prefix=f"review_{item_id}")
    else:
        st.caption(t("classes.select_item"))
    with progress:
        render_review_progress(workspace, fingerprint, issues["item_id"].astype(str), kind="any")


render()
