"""The optional sign-in gate of the dashboard: off by default, a shared password, or OIDC login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st

from analysis.workspace import list_rules, open_workspace
from dashboard import access
from dashboard.components import access_gate
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
def _fast_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "20")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    access_gate.THROTTLE.reset()  # one throttle per server process: start each test afresh
    yield
    access_gate.THROTTLE.reset()


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
    # Nothing of the app before the password: the language switch is the only radio.
    assert [radio.key for radio in at.radio] == ["lang"]

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


# --- fail closed on a configuration error -------------------------------------------------

BROKEN_SECRETS = {
    "duplicated-key": f'[access]\npassword = "{PASSWORD}"\npassword = "other"\n',
    "unterminated-string": f'[access]\npassword = "{PASSWORD}\n',
    "duplicated-table": f'[access]\npassword = "{PASSWORD}"\n[access]\nviewer_mode = true\n',
}


@pytest.fixture
def secrets_file(tmp_path: Path) -> Iterator[Path]:
    """Point Streamlit at a secrets file of the test's making (and back afterwards)."""
    from streamlit import config

    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    try:
        yield path
    finally:
        config.set_option("secrets.files", saved)
        st.secrets._reset()


def _locked_out(at: AppTest) -> None:
    assert not at.exception
    assert not at.metric and en.STRINGS["overview.title"] not in _titles(at)
    assert not [box for box in at.text_input if box.key.startswith("rule_")]


@pytest.mark.parametrize("text", BROKEN_SECRETS.values(), ids=BROKEN_SECRETS.keys())
def test_a_secrets_file_with_a_toml_error_keeps_every_page_closed(secrets_file: Path, text: str) -> None:
    secrets_file.write_text(text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=120).run()
    _locked_out(at)
    (message,) = [e.value for e in at.error]
    assert md(str(secrets_file)) in message and "not valid TOML" in message
    assert md("remove the file to run without a sign-in") in message  # the fix
    at.switch_page("app_pages/guidelines.py").run()
    _locked_out(at)
    assert en.STRINGS["guidelines.title"] not in _titles(at)


def test_a_valid_secrets_file_on_disk_gates_as_configured(secrets_file: Path) -> None:
    secrets_file.write_text(f'[access]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error and _gated(at)


@pytest.mark.parametrize(
    ("access", "needle"),
    [({"pasword": PASSWORD}, "unknown setting 'pasword'"), ({"password": 1234}, "must be a string"),
     ({"password": PASSWORD, "viewer_mode": "yes"}, "viewer_mode must be true or false"),
     ({"password": PASSWORD, "editors": ["mina@example.org"]}, "there is no [auth] login")],
    ids=["misspelt-key", "number-password", "string-flag", "editors-without-login"],
)  # fmt: skip
def test_a_setting_that_cannot_be_trusted_keeps_the_dashboard_closed(access: dict[str, Any], needle: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = access
    at.run()
    _locked_out(at)
    (message,) = [e.value for e in at.error]
    assert md(needle) in message


# --- wrong passwords slow down ----------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(access_gate.THROTTLE, "clock", fake)
    return fake


def _try(at: AppTest, password: str) -> AppTest:
    at.text_input(key="access_password").input(password)
    return at.button[0].click().run()


def test_after_repeated_wrong_passwords_even_the_right_one_is_refused_for_a_while(clock: FakeClock) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = {"password": PASSWORD}
    at.run()
    free = access.SESSION_POLICY.free
    for _ in range(free + 1):
        _try(at, "guess")
        assert [e.value for e in at.error] == [en.STRINGS["access.wrong"]]
    wait = access.SESSION_POLICY.base_s
    _try(at, PASSWORD)  # locked out: not even compared
    assert _gated(at)
    assert [e.value for e in at.error] == [en.STRINGS["access.throttled"].format(seconds=int(wait))]
    clock.now += wait
    _try(at, PASSWORD)
    assert not at.exception and not at.error and at.metric


def test_new_browser_sessions_do_not_reset_the_overall_count(clock: FakeClock) -> None:
    for _ in range(access.OVERALL_POLICY.free + 1):  # an attacker opening a fresh session per try
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets["access"] = {"password": PASSWORD}
        _try(at.run(), "guess")
        assert [e.value for e in at.error] == [en.STRINGS["access.wrong"]]
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = {"password": PASSWORD}
    _try(at.run(), PASSWORD)
    assert _gated(at) and [e.value for e in at.error] == [en.STRINGS["access.throttled"].format(seconds=1)]


# --- read-only viewer mode ----------------------------------------------------------------

VIEWER = {"password": PASSWORD, "viewer_mode": True}


def test_viewers_see_every_page_without_signing_in_and_get_no_write_forms(tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = VIEWER
    at.run()
    assert not at.exception and not at.error
    assert at.metric and en.STRINGS["access.view_only"] in [c.value for c in at.caption]
    at.switch_page("app_pages/guidelines.py").run()
    assert not at.exception and not at.error
    assert en.STRINGS["guidelines.title"] in _titles(at)
    assert not [box for box in at.text_input if box.key.startswith("rule_")]
    assert en.STRINGS["access.read_only_form"] in [c.value for c in at.caption]
    at.switch_page("app_pages/report.py").run()
    assert not at.exception and not at.error and at.get("download_button")


def test_the_workspace_refuses_a_viewers_write_whatever_the_page_draws(tmp_path: Path) -> None:
    def app() -> None:
        import streamlit as st

        from analysis.workspace import RuleDraft, WorkspaceError, create_rule
        from dashboard.state import resources

        workspace = resources.workspace()
        try:
            create_rule(workspace, RuleDraft(title="viewer's rule", label_a="a", label_b="b"), author="viewer")
        except WorkspaceError as error:
            st.text(f"refused: {error}")
        else:
            st.text("saved")

    at = AppTest.from_function(app, default_timeout=60)
    at.secrets["access"] = VIEWER
    at.run()
    assert not at.exception
    assert at.text[0].value.startswith("refused:") and "read-only" in at.text[0].value
    assert list_rules(open_workspace(tmp_path / "workspace")) == []

    at.session_state[access_gate.GRANTED_KEY] = True  # the owner, signed in with the password
    at.run()
    assert at.text[0].value == "saved"
    assert [rule.title for rule in list_rules(open_workspace(tmp_path / "workspace"))] == ["viewer's rule"]


def test_the_owner_signs_in_from_the_sidebar_to_edit(tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = VIEWER
    at.run()
    at.switch_page("app_pages/guidelines.py").run()
    at.text_input(key="access_edit_password").input(PASSWORD)
    next(b for b in at.button if b.label == en.STRINGS["access.enter"]).click().run()
    assert not at.exception and not at.error
    assert en.STRINGS["access.editing"] in [c.value for c in at.caption]
    at.text_input(key="workspace_author").set_value("owner")
    at.text_input(key="rule_new_title").set_value("금리")
    at.selectbox(key="rule_new_label_a").set_value("정치")  # the sample's labels to choose from
    at.selectbox(key="rule_new_label_b").set_value("경제")
    next(b for b in at.button if b.label == en.STRINGS["guidelines.save"]).click().run()
    assert not at.exception and not at.error
    assert [rule.title for rule in list_rules(open_workspace(tmp_path / "workspace"))] == ["금리"]


def test_oidc_editors_list_limits_who_may_edit(tmp_path: Path) -> None:
    pytest.importorskip("authlib")
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC
    at.secrets["access"] = {"viewer_mode": True, "editors": ["owner@example.org"]}
    at.user = {"is_logged_in": True, "email": "guest@example.org"}
    at.run()
    at.switch_page("app_pages/guidelines.py").run()
    assert not at.exception and not at.error
    assert en.STRINGS["access.view_only_user"] in [c.value for c in at.caption]
    assert not [box for box in at.text_input if box.key.startswith("rule_")]

    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC
    at.secrets["access"] = {"viewer_mode": True, "editors": ["Owner@Example.org"]}
    at.user = {"is_logged_in": True, "email": "owner@example.org"}
    at.run()
    at.switch_page("app_pages/guidelines.py").run()
    assert not at.exception and not at.error
    assert [box for box in at.text_input if box.key == "rule_new_title"]


def test_a_secrets_folder_streamlit_cannot_load_keeps_the_dashboard_closed(tmp_path: Path) -> None:
    from streamlit import config

    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "password").write_text(PASSWORD, encoding="utf-8")  # folder secrets need sub-folders
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(folder)])
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
    finally:
        config.set_option("secrets.files", saved)
        st.secrets._reset()
    _locked_out(at)
    (message,) = [e.value for e in at.error]
    assert md(str(folder)) in message and md("could not load the secrets") in message
