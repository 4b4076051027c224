"""The optional gate in front of the whole dashboard (see ``docs/deployment.md``).

Off unless ``.streamlit/secrets.toml`` asks for it:

* ``[access] password = "..."`` - a shared password, typed once per browser session and
  compared in constant time (:func:`dashboard.access.check_password`);
* ``[auth]`` - Streamlit's OpenID Connect login (``st.login``); the signed-in user's
  e-mail then becomes the author of every workspace change.

With both configured, either opens the door. Without a secrets file there is no gate and
no message: a dashboard on one's own machine needs none.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any, Final

import streamlit as st

from dashboard.access import author_from_user, check_password
from dashboard.components.text import md
from dashboard.i18n import t

SECTION: Final = "access"
PASSWORD_KEY: Final = "password"
GRANTED_KEY: Final = "access_granted"
FORM_KEY: Final = "access_form"
PASSWORD_INPUT_KEY: Final = "access_password"


def _secrets() -> Mapping[str, Any]:
    """The deployment's secrets, or an empty mapping when there is no secrets file."""
    secrets = st.secrets  # looked up on each call: AppTest swaps the object
    try:
        return secrets if secrets.load_if_toml_exists() else {}
    except Exception:  # an unreadable secrets file must not take the dashboard down
        return {}


def expected_password() -> str:
    """The shared password from ``[access] password``, or ``""`` when none is set."""
    section = _secrets().get(SECTION)
    value = section.get(PASSWORD_KEY) if isinstance(section, Mapping) else None
    return "" if value is None else str(value)


def oidc_configured() -> bool:
    """Whether an ``[auth]`` section configures Streamlit's OIDC login."""
    return isinstance(_secrets().get("auth"), Mapping)


def signed_in_user() -> str | None:
    """The OIDC user's e-mail (or name), when someone is signed in."""
    try:
        return author_from_user(st.user.to_dict())
    except Exception:  # no login configured in this deployment
        return None


def _password_form(expected: str) -> None:
    with st.form(FORM_KEY, border=True):
        given = st.text_input(t("access.password"), type="password", key=PASSWORD_INPUT_KEY)
        submitted = st.form_submit_button(t("access.enter"), type="primary")
    if submitted:
        if check_password(given, expected):
            st.session_state[GRANTED_KEY] = True
            st.session_state.pop(PASSWORD_INPUT_KEY, None)
            st.rerun()
        st.error(t("access.wrong"), icon=":material/lock:")


def _login_button() -> None:
    if importlib.util.find_spec("authlib") is None:
        st.warning(t("access.no_authlib"))
        return
    if st.button(t("access.login"), type="primary", key="access_login"):
        st.login()


def access_granted() -> bool:
    """Draw the sign-in screen when the deployment asks for one; True once the visitor may enter."""
    expected = expected_password()
    oidc = oidc_configured()
    if not expected and not oidc:
        return True
    if st.session_state.get(GRANTED_KEY) or (oidc and signed_in_user()):
        return True
    st.title(t("access.title"))
    st.caption(t("access.intro"))
    if expected:
        _password_form(expected)
    if oidc:
        _login_button()
    return False


def render_sign_out() -> None:
    """A sidebar line saying who is signed in, with the way out (only behind a gate)."""
    user = signed_in_user()
    if user and oidc_configured():
        st.caption(t("access.signed_in", user=md(user)))
        if st.button(t("access.logout"), key="access_logout"):
            st.logout()
    elif st.session_state.get(GRANTED_KEY) and st.button(t("access.lock"), key="access_lock"):
        st.session_state.pop(GRANTED_KEY, None)
        st.rerun()
