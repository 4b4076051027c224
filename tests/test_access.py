"""Password check and author attribution for shared deployments."""

from __future__ import annotations

import hmac

import pytest

from dashboard.access import author_from_user, check_password


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

    monkeypatch.setattr("dashboard.access.hmac.compare_digest", spy)
    assert check_password("guess", "s3cret") is False
    assert calls == [(b"guess", b"s3cret")]


def test_author_from_the_signed_in_user() -> None:
    assert author_from_user({"is_logged_in": True, "email": " mina@example.org ", "name": "Mina"}) == "mina@example.org"
    assert author_from_user({"is_logged_in": True, "name": "Mina"}) == "Mina"
    assert author_from_user({"is_logged_in": True, "sub": "1234"}) == "1234"
    assert author_from_user({"is_logged_in": False, "email": "x@y"}) is None
    assert author_from_user({"email": "test@example.com"}) is None  # no login state: not signed in
    assert author_from_user(None) is None
