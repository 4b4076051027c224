"""Password check and author attribution for shared deployments."""

from __future__ import annotations

import hmac
import re
from pathlib import Path

import pytest

from analysis.access import (
    OVERALL_POLICY,
    SESSION_POLICY,
    AccessConfig,
    AccessConfigError,
    LoginThrottle,
    author_from_user,
    check_password,
    parse_access_config,
    secrets_file_problem,
)


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [("s3cret", "s3cret", True), ("s3cret ", "s3cret", False), ("", "s3cret", False), ("", "", False),
     ("비밀번호", "비밀번호", True), ("비밀번호", "비밀번호!", False), ("S3CRET", "s3cret", False)],
    ids=["equal", "trailing-space", "empty-given", "no-password-set", "korean", "korean-prefix", "case"],
)  # fmt: skip
def test_check_password(given: str, expected: str, ok: bool) -> None:
    assert check_password(given, expected) is ok


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr("analysis.access.hmac.compare_digest", spy)
    assert check_password("guess", "s3cret") is False
    assert calls == [(b"guess", b"s3cret")]


def test_author_from_the_signed_in_user() -> None:
    assert author_from_user({"is_logged_in": True, "email": " mina@example.org ", "name": "Mina"}) == "mina@example.org"
    assert author_from_user({"is_logged_in": True, "name": "Mina"}) == "Mina"
    assert author_from_user({"is_logged_in": True, "sub": "1234"}) == "1234"
    assert author_from_user({"is_logged_in": False, "email": "x@y"}) is None
    assert author_from_user({"email": "test@example.com"}) is None  # no login state: not signed in
    assert author_from_user(None) is None


# --- the sign-in settings are read strictly --------------------------------------------


@pytest.mark.parametrize(
    ("secrets", "expected"),
    [({}, AccessConfig()), ({"access": {"password": "pw"}}, AccessConfig(password="pw")),
     ({"auth": {"client_id": "x"}}, AccessConfig(oidc=True)),
     ({"access": {"viewer_mode": True}}, AccessConfig(viewer_mode=True)),
     ({"auth": {}, "access": {"viewer_mode": True, "editors": [" a@b.org "]}},
      AccessConfig(oidc=True, viewer_mode=True, editors=("a@b.org",)))],
    ids=["nothing", "password", "oidc", "viewer-only", "oidc-editors"],
)  # fmt: skip
def test_access_config(secrets: dict[str, object], expected: AccessConfig) -> None:
    assert parse_access_config(secrets) == expected


@pytest.mark.parametrize(
    ("secrets", "needle"),
    [({"access": "pw"}, "'access' must be a table"), ({"auth": "x"}, "'auth' must be a table"),
     ({"access": {"Password": "pw"}}, "unknown setting 'Password'"),
     ({"access": {"password": ["pw"]}}, "password must be a string"),
     ({"access": {"viewer_mode": 1}}, "viewer_mode must be true or false"),
     ({"auth": {}, "access": {"editors": "a@b.org"}}, "editors must be a list"),
     ({"auth": {}, "access": {"editors": [""]}}, "editors must be a list")],
    ids=["access-not-table", "auth-not-table", "wrong-case-key", "list-password", "number-flag",
         "editors-string", "editors-empty-name"],
)  # fmt: skip
def test_access_config_refuses_what_it_cannot_trust(secrets: dict[str, object], needle: str) -> None:
    with pytest.raises(AccessConfigError, match=re.escape(needle)) as caught:
        parse_access_config(secrets, file="/srv/app/.streamlit/secrets.toml")
    assert str(caught.value).startswith("/srv/app/.streamlit/secrets.toml: ") and "Fix: " in str(caught.value)


def test_editors_are_matched_without_case_and_only_for_signed_in_oidc_users() -> None:
    config = AccessConfig(oidc=True, viewer_mode=True, editors=("Mina@Example.org",))
    assert config.may_edit("mina@example.org") and not config.may_edit("guest@example.org")
    assert not config.may_edit(None)
    assert AccessConfig(oidc=True).may_edit("anyone@example.org")
    assert not AccessConfig(password="pw").may_edit("anyone@example.org")


@pytest.mark.parametrize(
    "text",
    ['[access]\npassword = "a"\npassword = "b"\n', '[access]\npassword = "a\n', "[access\n", "x = 1\nx = 2\n"],
    ids=["duplicated-key", "unterminated-string", "unclosed-table", "duplicated-top-level"],
)
def test_a_broken_secrets_file_is_reported_with_its_path(tmp_path: Path, text: str) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    problem = secrets_file_problem([tmp_path / "missing.toml", path])
    assert problem is not None and problem.file == str(path) and "not valid TOML" in problem.problem


def test_missing_and_valid_secrets_files_are_no_problem(tmp_path: Path) -> None:
    good = tmp_path / "secrets.toml"
    good.write_text('[access]\npassword = "a"\n', encoding="utf-8")
    assert secrets_file_problem([tmp_path / "missing.toml", good, tmp_path]) is None


# --- wrong passwords slow down ----------------------------------------------------------


def _attack(throttle: LoginThrottle, clock: list[float], tries: int, *, fresh_sessions: bool) -> float:
    """Seconds an attacker needs for ``tries`` wrong passwords, each sent as soon as allowed."""
    start = clock[0]
    for attempt in range(tries):
        session = f"tab-{attempt}" if fresh_sessions else "tab"
        clock[0] += throttle.wait_s(session)
        assert throttle.wait_s(session) == 0
        throttle.failed(session)
        clock[0] += 0.25  # the 30 tries of the original report took 7.7 s: about 0.25 s each
    return clock[0] - start


def test_thirty_wrong_passwords_from_one_session_take_over_an_hour() -> None:
    clock = [0.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    # 2 + 4 + ... + 256 s, then 300 s for each further failure (the sixth to the 29th lock)
    expected_wait = sum(SESSION_POLICY.lock_s(n) for n in range(1, 30))
    assert expected_wait == 510 + 16 * 300
    spent = _attack(throttle, clock, 30, fresh_sessions=False)
    assert spent == pytest.approx(sum(max(SESSION_POLICY.lock_s(n), 0.25) for n in range(1, 30)) + 0.25)
    assert spent > 3600


def test_thirty_wrong_passwords_from_fresh_sessions_still_slow_down() -> None:
    clock = [0.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    expected_wait = sum(OVERALL_POLICY.lock_s(n) for n in range(1, 30))  # 1 + 2 + ... + 32 + 3 x 60
    assert expected_wait == 63 + 3 * 60
    spent = _attack(throttle, clock, 30, fresh_sessions=True)
    assert spent == pytest.approx(sum(max(OVERALL_POLICY.lock_s(n), 0.25) for n in range(1, 30)) + 0.25)
    assert spent > 240


def test_a_quiet_quarter_hour_and_a_right_password_end_the_streak() -> None:
    clock = [0.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    for _ in range(SESSION_POLICY.free + 1):
        throttle.failed("tab")
    assert throttle.wait_s("tab") == SESSION_POLICY.base_s
    clock[0] += SESSION_POLICY.window_s
    throttle.failed("tab")  # a new streak: free again
    assert throttle.wait_s("tab") == 0
    for _ in range(SESSION_POLICY.free):
        throttle.failed("tab")
    assert throttle.wait_s("tab") > 0
    throttle.succeeded("tab")
    assert throttle.wait_s("tab") == 0
