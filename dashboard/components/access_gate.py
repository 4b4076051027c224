"""The optional gate in front of the dashboard, and who may edit (see ``docs/deployment.md``).

Off unless ``.streamlit/secrets.toml`` asks for it:

* ``[access] password = "..."`` - a shared password, typed once per browser session and
  compared in constant time (:func:`dashboard.access.check_password`); wrong passwords
  slow down (:class:`dashboard.access.LoginThrottle`), per session and over the server;
* ``[auth]`` - Streamlit's OpenID Connect login (``st.login``); the signed-in user's
  e-mail then becomes the author of every workspace change;
* ``[access] viewer_mode = true`` - anyone may look without signing in (every page,
  every export) and nothing they do is saved; the owner signs in with the password or
  the OIDC login to edit (``[access] editors`` can name the OIDC users who may).

It fails closed: a secrets file that cannot be read (a TOML error such as a duplicated
key), an unknown ``[access]`` setting or a value of the wrong type shows one message that
names the file and the fix, and nothing else. Without a secrets file there is no gate and
no message: a dashboard on one's own machine needs none.

Editing is enforced where writes happen: :func:`editing_allowed` decides whether
:func:`dashboard.state.resources.workspace` hands out a writable workspace or a read-only one,
which refuses every write (:meth:`analysis.workspace.Workspace.transaction`).
"""

from __future__ import annotations

import importlib.util
import logging
import math
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import streamlit as st
from streamlit import config

from dashboard.access import (
    AccessConfig,
    AccessConfigError,
    LoginThrottle,
    author_from_user,
    check_password,
    parse_access_config,
    secrets_file_problem,
)
from dashboard.components.text import md
from dashboard.i18n import t

LOG = logging.getLogger(__name__)
GRANTED_KEY: Final = "access_granted"
FORM_KEY: Final = "access_form"
PASSWORD_INPUT_KEY: Final = "access_password"
SESSION_ID_KEY: Final = "access_session_id"
THROTTLE: Final = LoginThrottle()  # one per server process, shared by every browser session


def _secrets_files() -> list[str]:
    try:
        return [str(path) for path in config.get_option("secrets.files")]
    except Exception:  # an unusual configuration: fall back to Streamlit's default name
        return [".streamlit/secrets.toml"]


def _secrets() -> Mapping[str, Any]:
    """The deployment's secrets; an empty mapping only when there is truly no secrets file.

    Raises
    ------
    AccessConfigError
        A secrets file exists but cannot be read or parsed.
    """
    secrets = st.secrets  # looked up on each call: AppTest swaps the object
    files = _secrets_files()
    try:
        if secrets.load_if_toml_exists():
            return secrets
    except Exception as error:  # e.g. an unreadable file: Streamlit lets that one through
        raise AccessConfigError(f"the secrets cannot be read ({error})", file=" or ".join(files)) from error
    problem = secrets_file_problem(files)
    if problem is not None:
        raise problem
    present = [path for path in files if _exists(path)]
    if present:  # there, yet Streamlit loaded nothing (e.g. a secrets folder laid out wrongly)
        raise AccessConfigError(
            "Streamlit could not load the secrets from it",
            file=present[0],
            fix="use a TOML file (or, for folder secrets, one sub-folder per secret), then restart the dashboard",
        )
    return {}


def access_config() -> AccessConfig:
    """The sign-in settings (see :func:`dashboard.access.parse_access_config`).

    Raises
    ------
    AccessConfigError
        When they cannot be trusted; the caller keeps the dashboard closed.
    """
    secrets = _secrets()
    present = [path for path in _secrets_files() if _exists(path)]
    return parse_access_config(secrets, file=" and ".join(present) or "secrets.toml")


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:
        return False


def signed_in_user() -> str | None:
    """The OIDC user's e-mail (or name), when someone is signed in."""
    try:
        return author_from_user(st.user.to_dict())
    except Exception:  # no login configured in this deployment
        return None


def editing_allowed() -> bool:
    """Whether this browser session may change the workspace.

    True on a dashboard without any sign-in configuration (one's own machine), after the
    password was typed in this session, or for a signed-in OIDC user (one of
    ``[access] editors`` when that list is set). False for viewers and whenever the
    configuration cannot be read.
    """
    try:
        settings = access_config()
    except AccessConfigError:
        return False
    if not settings.gated:
        return True
    if settings.password and st.session_state.get(GRANTED_KEY):
        return True
    return settings.may_edit(signed_in_user())


def _session_id() -> str:
    if SESSION_ID_KEY not in st.session_state:
        st.session_state[SESSION_ID_KEY] = uuid.uuid4().hex
    return st.session_state[SESSION_ID_KEY]


def _password_form(expected: str, *, key: str = FORM_KEY, input_key: str = PASSWORD_INPUT_KEY) -> None:
    with st.form(key, border=True):
        given = st.text_input(t("access.password"), type="password", key=input_key)
        submitted = st.form_submit_button(t("access.enter"), type="primary")
    if not submitted:
        return
    session = _session_id()
    wait = THROTTLE.wait_s(session)
    if wait > 0:  # refused before the password is even compared
        st.error(t("access.throttled", seconds=math.ceil(wait)), icon=":material/timer:")
        return
    if check_password(given, expected):
        THROTTLE.succeeded(session)
        st.session_state[GRANTED_KEY] = True
        st.session_state.pop(input_key, None)
        st.rerun()
    THROTTLE.failed(session)
    LOG.warning("wrong dashboard password (session %s)", session[:8])
    st.error(t("access.wrong"), icon=":material/lock:")


def _login_button(*, key: str = "access_login") -> None:
    if importlib.util.find_spec("authlib") is None:
        st.warning(t("access.no_authlib"))
        return
    if st.button(t("access.login"), type="primary", key=key):
        st.login()


def _config_error(error: AccessConfigError) -> None:
    LOG.error("sign-in configuration refused: %s", error)
    st.title(t("access.title"))
    st.error(t("access.config_error", file=md(error.file), problem=md(error.problem), fix=md(error.fix)), icon=":material/lock:")


def access_granted() -> bool:
    """Draw the sign-in screen when the deployment asks for one; True once the visitor may enter.

    Viewers enter at once in viewer mode. A configuration that cannot be trusted keeps
    everyone out with a message naming the file and the fix.
    """
    try:
        settings = access_config()
    except AccessConfigError as error:
        _config_error(error)
        return False
    if not settings.gated or settings.viewer_mode:
        return True
    if st.session_state.get(GRANTED_KEY) or (settings.oidc and signed_in_user()):
        return True
    st.title(t("access.title"))
    st.caption(t("access.intro"))
    if settings.password:
        _password_form(settings.password)
    if settings.oidc:
        _login_button()
    return False


def render_sign_out() -> None:
    """The sidebar's sign-in state: who is signed in and the way out, or the viewer's way in."""
    try:
        settings = access_config()
    except AccessConfigError:
        return
    user = signed_in_user()
    if user and settings.oidc:
        st.caption(t("access.signed_in", user=md(user)))
        if not editing_allowed():
            st.caption(t("access.view_only_user"))
        if st.button(t("access.logout"), key="access_logout"):
            st.logout()
    elif st.session_state.get(GRANTED_KEY):
        if settings.viewer_mode:
            st.caption(t("access.editing"))
        if st.button(t("access.lock"), key="access_lock"):
            st.session_state.pop(GRANTED_KEY, None)
            st.rerun()
    elif settings.viewer_mode:
        st.caption(t("access.view_only"))
        if not settings.sign_in_possible:
            st.caption(t("access.no_editing"))
            return
        with st.expander(t("access.sign_in_to_edit")):
            if settings.password:
                _password_form(settings.password, key="access_edit_form", input_key="access_edit_password")
            if settings.oidc:
                _login_button(key="access_edit_login")
