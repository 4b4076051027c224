"""What every session shares (``st.cache_resource``): the embedding backends and the
workspace, and the span adjudications kept in it.

None of it holds a visitor's data: an embedder is a model, the workspace a folder whose
decisions are attached to datasets by their content fingerprint.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st

from analysis.base.errors import AnalysisError
from dashboard import views
from dashboard.components.access_gate import editing_allowed
from dashboard.i18n import t
from dashboard.state import pipeline, session

if TYPE_CHECKING:
    import pandas as pd

    from analysis.embeddings import Embedder
    from analysis.workspace import Workspace

# The workspace and the embedding backends are imported where they are used: the Overview
# draws its cards without them, so a cold start does not wait for them.


def embedding_backends() -> tuple[str, ...]:
    """The text backends this installation runs: char-ngram always, transformer where torch is installed.

    The demo deploy set (``dashboard/requirements.txt``) has no torch, so a demo offers
    char-ngram only and the pages say why (``docs/deployment.md``).
    """
    from analysis.embeddings import transformer_available

    return ("char-ngram", "transformer") if transformer_available() else ("char-ngram",)


def default_backend(texts: pd.Series) -> str:
    """The backend a text page starts with: char-ngram for mostly Korean text or without torch."""
    if "transformer" not in embedding_backends() or views.mostly_hangul(texts):
        return "char-ngram"
    return "transformer"


def render_backend_note() -> None:
    """Say so when the transformer backend is not installed (a caption under the backend choice)."""
    if "transformer" not in embedding_backends():
        st.caption(t("clusters.no_transformer"))


@st.cache_resource(show_spinner=False, max_entries=4)
def embedder(backend: str, model: str | None) -> Embedder:
    """The embedding backend (loaded once per process and shared: it holds no user data)."""
    from analysis.embeddings import make_embedder

    return make_embedder(backend, model=model or None, seed=session.seed())


@st.cache_resource(show_spinner=False)
def _workspace(folder: str | None) -> Workspace:
    from analysis.workspace import open_workspace

    return open_workspace(folder)


@st.cache_resource(show_spinner=False)
def _read_only_workspace(folder: str | None) -> Workspace:
    from analysis.workspace import open_workspace

    return open_workspace(folder, read_only=True)


def workspace() -> Workspace | None:
    """The shared workspace (rules, adjudications), or None when it cannot be opened.

    The folder is ``LABEL_AGREEMENT_WORKSPACE`` or the library's default. The object
    holds only paths, so one per process is shared by every session; decisions are
    attached to datasets by their content fingerprint.

    A session that may not edit (a viewer of a shared demo, see
    :func:`dashboard.components.access_gate.editing_allowed`) gets a read-only handle
    on the same database: SQLite opened with ``mode=ro`` and every write refused by
    :meth:`analysis.workspace.Workspace.transaction`, whatever the page draws.
    """
    from analysis.workspace import Workspace

    folder = os.environ.get("LABEL_AGREEMENT_WORKSPACE")
    try:
        if editing_allowed():
            return _workspace(folder)
        try:
            shared = _workspace(folder)  # the server creates and migrates it once
        except AnalysisError:
            return _read_only_workspace(folder)  # a read-only disk still serves viewers
        return Workspace(shared.folder, read_only=True, timeout_s=shared.timeout_s)
    except AnalysisError as error:
        st.warning(error.render(lambda option: t(f"option.{option}")))  # as feedback.error_message
        return None


def adjudicated_spans() -> dict[str, list[tuple[int, int, str]]]:
    """Saved span adjudications of the open dataset (workspace): document -> final spans.

    Kept in the workspace by the dataset's fingerprint, so they outlive the session and
    reach ``python -m analysis gold export``. Empty when the workspace cannot be opened
    (the page says so).
    """
    from analysis.workspace import latest_span_adjudications

    shared, fingerprint = workspace(), pipeline.fingerprint()
    if shared is None or fingerprint is None:
        return {}
    return latest_span_adjudications(shared, fingerprint)


def save_final_spans(item_id: str, spans: list[tuple[int, int, str]] | None, *,
                     text: str | None, author: str | None) -> None:
    """Save (``spans``) or clear (``None``) a document's final spans in the workspace.

    Raises
    ------
    AnalysisError
        Bad spans, or a workspace that refuses the write (read-only, locked, full disk).
    """
    from analysis.workspace import set_final_spans

    shared, fingerprint = workspace(), pipeline.fingerprint()
    if shared is None or fingerprint is None:
        return
    set_final_spans(shared, fingerprint, item_id, spans, text=text, author=author)
