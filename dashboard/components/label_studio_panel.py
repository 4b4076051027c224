"""The sidebar's *Connect to Label Studio* panel: a live project instead of a file.

The visitor types the server's address and a token (a password field), connects, picks a
project and pulls it; *Refresh* pulls it again, and the time of the last pull stays in the
sidebar on every page. The pull is :func:`analysis.labelstudio.pull_project`, the same as
``python -m analysis report ls://HOST/projects/ID``; its bytes open as the dataset, like an
upload, in this browser session only.

The token is cleared from its field as soon as *Connect* is pressed: it then lives only
in this session's connection object, in the server's memory, for the refreshes of a
personal access token. It is never written to the workspace, a file or a log, and never
shown. The token of the dashboard's own environment (``LABEL_STUDIO_API_KEY``) is not
used: on a shared dashboard it would open the owner's projects to every visitor. Viewers
of a shared demo (:func:`~dashboard.components.access_gate.editing_allowed` false) get a
note instead of the panel, so a public dashboard cannot be made to fetch other addresses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Final

import streamlit as st

from analysis.base.errors import AnalysisError
from analysis.labelstudio import (
    Client,
    ProjectInfo,
    PulledProject,
    Token,
    list_projects,
    pull_project,
)
from analysis.labelstudio.address import ProjectAddress, server_from_url
from dashboard.components.access_gate import editing_allowed
from dashboard.components.feedback import LOG, error_message
from dashboard.components.text import md
from dashboard.i18n import t
from dashboard.state import session
from dashboard.state.open_file import OpenFile

URL_KEY: Final = "ls_url"
TOKEN_KEY: Final = "ls_token"
PROJECT_KEY: Final = "ls_project"
CONNECTION_KEY: Final = "ls_connection"
PULLED_KEY: Final = "ls_pulled"
ERROR_KEY: Final = "ls_error"
PULL_BUTTON_KEY: Final = "ls_pull"


@dataclass
class Connection:
    """A connected server: the client (which holds the token) and its projects."""

    client: Client = field(repr=False)
    projects: list[ProjectInfo]
    wanted: int | None = None
    """The project the pasted URL named, picked first."""
    user: str | None = None
    """Who the token belongs to (written annotations carry this name)."""


def connection() -> Connection | None:
    """This session's connection, if any."""
    return st.session_state.get(CONNECTION_KEY)


def pulled_project() -> PulledProject | None:
    """The last pull of this session, when it is the open dataset."""
    pulled = st.session_state.get(PULLED_KEY)
    dataset = session.current_file()
    if pulled is None or dataset is None or dataset.origin != "label_studio" \
            or dataset.data is not pulled.data:
        return None
    return pulled


def _connect() -> None:
    """*Connect* (a callback, so the token field can be cleared before it is drawn)."""
    value = str(st.session_state.get(TOKEN_KEY) or "").strip()
    st.session_state[TOKEN_KEY] = ""
    st.session_state.pop(ERROR_KEY, None)
    try:
        address, wanted = server_from_url(str(st.session_state.get(URL_KEY) or ""))
        if not value:
            raise AnalysisError(t("ls.no_token"))
        client = Client(address, Token(value))
        client.check_server()
        projects = list_projects(client)
        me = client.request("GET", "/api/current-user/whoami")
    except AnalysisError as error:
        st.session_state[ERROR_KEY] = error_message(error)
        return
    except Exception as error:  # never a traceback on the page; the log has no token in it
        LOG.error("connecting to Label Studio failed: %s", type(error).__name__)
        st.session_state[ERROR_KEY] = t("ls.unexpected", kind=type(error).__name__)
        return
    user = me.get("email") or me.get("username") if isinstance(me, dict) else None
    st.session_state[CONNECTION_KEY] = Connection(client, projects, wanted,
                                                  str(user) if user else None)


def _disconnect() -> None:
    for key in (CONNECTION_KEY, PULLED_KEY, PROJECT_KEY, ERROR_KEY):
        st.session_state.pop(key, None)
    session.close_file()


def _project_caption(project: ProjectInfo) -> str:
    return t("ls.project_option", title=project.title, id=project.id, tasks=project.tasks)


def _render_connect_form() -> None:
    st.session_state.setdefault(URL_KEY, os.environ.get("LABEL_STUDIO_URL", ""))
    st.text_input(t("ls.url"), key=URL_KEY, placeholder="https://label.example.org",
                  help=t("ls.url_help"))
    st.text_input(t("ls.token"), key=TOKEN_KEY, type="password", autocomplete="off",
                  help=t("ls.token_help"))
    st.button(t("ls.connect"), key="ls_connect", on_click=_connect, type="primary")


def _pull(current: Connection, address: ProjectAddress) -> None:
    bar = st.progress(0.0, text=t("ls.pulling", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0,
                     text=t("ls.pulling", done=f"{done:,}", total=f"{total:,}"))

    try:
        pulled = pull_project(address, client=current.client, progress=progress)
    finally:
        bar.empty()
    st.session_state[PULLED_KEY] = pulled
    session.open_file(OpenFile.from_bytes(pulled.name, pulled.data, origin="label_studio"))


def render_label_studio_panel() -> None:
    """Draw the panel; open the pulled project as the visitor's dataset."""
    st.markdown(f"**{t('ls.title')}**")
    if not editing_allowed():
        st.info(t("ls.viewers"))
        session.close_file()
        return
    current = connection()
    if current is None:
        _render_connect_form()
        if st.session_state.get(ERROR_KEY):
            st.error(md(st.session_state[ERROR_KEY]), icon=":material/error:")
        session.close_file()
        return
    client = current.client
    st.caption(t("ls.connected", server=md(client.address.server), version=client.version or "?",
                 user=md(current.user or "?")))
    if not current.projects:
        st.info(t("ls.no_projects"))
        st.button(t("ls.disconnect"), key="ls_disconnect", on_click=_disconnect)
        return
    by_id = {project.id: project for project in current.projects}
    ids = list(by_id)
    chosen = st.selectbox(t("ls.project"), ids, key=PROJECT_KEY,
                          index=ids.index(current.wanted) if current.wanted in by_id else 0,
                          format_func=lambda project: _project_caption(by_id[project]))
    address = ProjectAddress(client.address.base_url, int(chosen))
    if st.session_state.get(PULL_BUTTON_KEY):  # pressed: pull first, so the button says Refresh
        try:
            _pull(current, address)
        except AnalysisError as error:
            st.error(md(error_message(error)), icon=":material/error:")
    pulled = st.session_state.get(PULLED_KEY)
    fresh = pulled is not None and pulled.address == address
    left, right = st.columns(2)
    left.button(t("ls.refresh") if fresh else t("ls.pull"), key=PULL_BUTTON_KEY, type="primary")
    right.button(t("ls.disconnect"), key="ls_disconnect", on_click=_disconnect)
    if not fresh:
        session.close_file()
        st.caption(t("ls.pull_help"))
        return
    dataset = session.current_file()
    if dataset is None or dataset.data is not pulled.data:
        session.open_file(OpenFile.from_bytes(pulled.name, pulled.data,
                                                    origin="label_studio"))
    st.caption(t("ls.last_pull", time=f"{pulled.pulled_at:%Y-%m-%d %H:%M:%S}",
                 tasks=f"{pulled.tasks:,}", annotations=f"{pulled.annotations:,}",
                 seconds=f"{pulled.seconds:.1f}"))
