"""Where a page offers to adjudicate an item: the workspace's form, once it exists."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import state
from dashboard.components.feedback import needs
from dashboard.i18n import t


def render_adjudication(item_id: str, labels: Sequence[str], *, key_prefix: str) -> None:
    """Show the adjudication form for ``item_id`` (or a note when the workspace is missing)."""
    form = state.optional("dashboard.components.adjudication", "render_adjudication_form")
    if form is None:
        needs(t("needs.workspace"))
        return
    workspace = state.workspace()
    fingerprint = state.fingerprint()
    if workspace is None or fingerprint is None:
        st.info(t("note.no_workspace"))
        return
    form(item_id, list(labels), workspace, fingerprint, key_prefix)
