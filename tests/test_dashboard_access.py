"""The optional sign-in gate of the dashboard: off by default, a shared password, or OIDC login."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.components.text import md
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PASSWORD = "correct horse battery staple"
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def _fast_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "20")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


def _titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def _gated(at: AppTest) -> bool:
    return en.STRINGS["access.title"] in _titles(at) and not at.metric


def test_no_secrets_means_no_gate_and_no_message() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error and not at.warning
    assert en.STRINGS["overview.title"] in _titles(at)
    assert not [box for box in at.text_input if box.key == "access_password"]


def test_password_gate_refuses_a_wrong_password_and_opens_for_the_right_one() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = {"password": PASSWORD}
    at.run()
    assert not at.exception
    assert _gated(at)
    assert not at.radio  # nothing of the app (dataset picker) before the password

    at.text_input(key="access_password").input("correct horse")
    at.button[0].click().run()  # the form's submit button sends the typed text
    assert _gated(at)
    assert [e.value for e in at.error] == [en.STRINGS["access.wrong"]]

    at.text_input(key="access_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert en.STRINGS["overview.title"] in _titles(at)
    assert at.metric  # the headline numbers
    at.switch_page("app_pages/annotators.py").run()  # stays open for the rest of the session
    assert en.STRINGS["annotators.title"] in _titles(at)

    at.button(key="access_lock").click().run()
    assert _gated(at)


def test_an_empty_password_entry_does_not_gate() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = {"password": ""}
    at.run()
    assert not at.exception
    assert en.STRINGS["overview.title"] in _titles(at)


def test_oidc_offers_login_and_attributes_changes_to_the_signed_in_user() -> None:
    pytest.importorskip("authlib")
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert _gated(at)
    assert at.button(key="access_login").label == en.STRINGS["access.login"]

    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "mina@example.org", "name": "Mina"}
    at.run()
    assert not at.exception and not at.error
    assert en.STRINGS["overview.title"] in _titles(at)
    user = md("mina@example.org")  # captions are Markdown, so user text arrives escaped
    assert en.STRINGS["access.signed_in"].format(user=user) in [c.value for c in at.caption]
    at.switch_page("app_pages/guidelines.py").run()
    assert not at.exception
    assert any(c.value == en.STRINGS["guidelines.signed_in"].format(author=user) for c in at.caption)
    assert not [box for box in at.text_input if box.key == "workspace_author"]  # no name to type
