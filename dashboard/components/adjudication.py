"""The adjudication form and the review-progress bar, shared by the review pages.

User text (labels, notes, names) is shown with ``st.text``/``st.dataframe`` or escaped
with :func:`dashboard.components.text.md`; nothing here renders raw HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal

import pandas as pd
import streamlit as st

from analysis.workspace import (
    Workspace,
    WorkspaceError,
    adjudication_history,
    label_error_history,
    review_label_error,
    review_progress,
    set_final_label,
)
from dashboard.access import author_from_user
from dashboard.components.feedback import error_message
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import t

AUTHOR_KEY: Final = "workspace_author"
VERDICTS: Final[tuple[str, ...]] = ("none", "confirmed_error", "not_error")


def current_author() -> str | None:
    """The signed-in user (OIDC login), else the name typed on the Guidelines page."""
    try:
        user = st.user.to_dict()
    except Exception:  # no login configured in this deployment
        user = None
    signed_in = author_from_user(user)
    if signed_in:
        return signed_in
    typed = str(st.session_state.get(AUTHOR_KEY) or "").strip()
    return typed or None


def render_review_progress(
    workspace: Workspace,
    fingerprint: str,
    item_ids: Iterable[str],
    *,
    kind: Literal["any", "adjudication", "label_error"] = "any",
) -> None:
    """A progress bar: how many of ``item_ids`` have a decision."""
    try:
        progress = review_progress(workspace, fingerprint, item_ids, kind=kind)
    except WorkspaceError as error:
        st.warning(md(error_message(error)))
        return
    st.progress(progress.fraction, text=t("adjudication.progress", reviewed=progress.reviewed, total=progress.total))


def _show_current(workspace: Workspace, fingerprint: str, item_id: str) -> None:
    history = adjudication_history(workspace, fingerprint, item_id)
    latest = history.iloc[-1] if len(history) else None
    if latest is not None and pd.notna(latest["label"]):
        st.caption(
            t(
                "adjudication.current",
                label=md(latest["label"]),
                author=md(latest["author"] if isinstance(latest["author"], str) else t("adjudication.unknown_author")),
                when=md(str(latest["decided_at"])[:19]),
            )
        )
    else:
        st.caption(t("adjudication.none"))
    reviews = label_error_history(workspace, fingerprint, item_id)
    if len(reviews):
        last = reviews.iloc[-1]
        author = last["author"] if isinstance(last["author"], str) else t("adjudication.unknown_author")
        st.caption(t("adjudication.current_verdict", verdict=t(f"adjudication.verdict.{last['verdict']}"), author=md(author)))
    if len(history) or len(reviews):
        with st.expander(t("adjudication.history")):
            if len(history):
                data_table(history.drop(columns="decision_id"), hide_index=True)
            if len(reviews):
                data_table(reviews.drop(columns="review_id"), hide_index=True)


def render_adjudication_form(
    item_id: str,
    labels: Sequence[str],
    workspace: Workspace,
    fingerprint: str,
    key_prefix: str,
) -> None:
    """Set an item's final label and/or the label-error verdict, with a note.

    Parameters
    ----------
    item_id : str
        The item to decide.
    labels : sequence of str
        The labels to offer.
    workspace : Workspace
    fingerprint : str
        The open dataset's fingerprint (decisions reattach to it).
    key_prefix : str
        Unique per place the form appears, so widget keys never clash.
    """
    try:
        _show_current(workspace, fingerprint, item_id)
    except WorkspaceError as error:
        st.warning(md(error_message(error)))
        return
    if workspace.read_only:  # a viewer: the workspace refuses writes anyway, so offer none
        st.caption(t("access.read_only_form"))
        return
    with st.form(key=f"{key_prefix}_adjudication_form", border=True):
        label = st.selectbox(t("adjudication.label"), options=list(labels), key=f"{key_prefix}_final_label")
        verdict = st.radio(
            t("adjudication.verdict"),
            options=list(VERDICTS),
            format_func=lambda value: t(f"adjudication.verdict.{value}"),
            horizontal=True,
            key=f"{key_prefix}_verdict",
        )
        note = st.text_area(t("adjudication.note"), key=f"{key_prefix}_note", height=80)
        submitted = st.form_submit_button(t("adjudication.save"))
    clear = st.button(t("adjudication.clear"), key=f"{key_prefix}_clear")
    if not (submitted or clear):
        return
    author = current_author()
    try:
        if clear:
            set_final_label(workspace, fingerprint, item_id, None, note=note, author=author)
        else:
            set_final_label(workspace, fingerprint, item_id, label, note=note, author=author)
            if verdict != "none":
                review_label_error(workspace, fingerprint, item_id, verdict, note=note, author=author)  # type: ignore[arg-type]
    except WorkspaceError as error:
        st.error(md(error_message(error)))  # the typed note stays in its box, so nothing is lost
        return
    st.success(t("adjudication.saved"))
