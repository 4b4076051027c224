"""Every way reading a live Label Studio project can fail: one line, exit 2, no token.

Token, project and server errors are the real Label Studio server's answers (the session's
``label_studio`` fixture). A server that hangs, a web server that is not Label Studio and a
server of another version are real HTTP servers on 127.0.0.1 started here; a refused
connection is a free port nobody listens on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis.cli import main
from analysis.labelstudio import LabelStudioError, parse_address, pull_project
from analysis.labelstudio.token import Token

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # the first test installs Label Studio


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_token(secret: str, payload: dict) -> str:
    """A JWT signed as the server signs its tokens (HS256 with its SECRET_KEY)."""
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


class _Answers(BaseHTTPRequestHandler):
    """A web server answering every GET with the class's status and body."""

    status = 404
    body = b"<html><body>Not found</body></html>"
    content_type = "text/html"

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


class _OldLabelStudio(_Answers):
    status = 200
    body = json.dumps({"release": "0.9.1"}).encode()
    content_type = "application/json"


@pytest.fixture(scope="module")
def web_server() -> Iterator[str]:
    """A web server that is not Label Studio (its /api/version is a 404 page)."""
    yield from _serve(_Answers)


@pytest.fixture(scope="module")
def old_server() -> Iterator[str]:
    """A server that says it is Label Studio 0.9.1."""
    yield from _serve(_OldLabelStudio)


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers (a stuck server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fails(capsys, monkeypatch, caplog, address: str, token: str | None, kind: str) -> str:
    """Read ``address`` with ``token`` through the CLI and the library; assert one line,
    exit 2, the error kind, and no token in any message or log; return the line."""
    if token is None:
        monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    else:
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", token)
    caplog.set_level(logging.DEBUG)
    code = main(["report", address, "--bootstrap", "0"])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    with pytest.raises(LabelStudioError) as raised:
        pull_project(parse_address(address))
    assert raised.value.kind == kind, str(raised.value)
    if token:
        for text in (captured.err, str(raised.value), caplog.text):
            assert token not in text
            assert token[-12:] not in text
    return lines[0]


def test_wrong_legacy_token(capsys, monkeypatch, caplog, label_studio):
    line = fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices),
                 "f" * 40, "wrong_token")
    assert "refused the token in LABEL_STUDIO_API_KEY" in line


def test_wrong_personal_token(capsys, monkeypatch, caplog, label_studio):
    genuine = label_studio.annotators[0].personal_token
    forged = genuine[:-6] + ("AAAAAA" if not genuine.endswith("AAAAAA") else "BBBBBB")
    fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices), forged,
          "wrong_token")


def test_expired_personal_token(capsys, monkeypatch, caplog, label_studio):
    user = label_studio.annotators[0]
    now = int(time.time())
    expired = signed_token(label_studio.server.secret_key, {
        "token_type": "refresh", "exp": now - 3600, "iat": now - 7200,
        "jti": "0" * 32, "user_id": str(user.id)})
    line = fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices),
                 expired, "expired_token")
    assert "expired on" in line and "create a personal access token" in line


def test_revoked_personal_token(capsys, monkeypatch, caplog, label_studio):
    session = label_studio.server._signed_in("annotator3@example.org", "annotator-pass-123",
                                             sign_up=False)
    old = label_studio.server.personal_token(session)  # a new token, then revoke it
    label_studio.annotators[2].personal_token = label_studio.server.personal_token(session)
    fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices), old,
          "revoked_token")


def test_legacy_tokens_disabled_by_the_organisation(capsys, monkeypatch, caplog, label_studio):
    label_studio.server.set_legacy_tokens(False)
    try:
        line = fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices),
                     label_studio.annotators[1].legacy_token, "legacy_disabled")
    finally:
        label_studio.server.set_legacy_tokens(True)
    assert "personal access token" in line


def test_project_not_found(capsys, monkeypatch, caplog, label_studio):
    line = fails(capsys, monkeypatch, caplog, label_studio.address(999),
                 label_studio.annotators[0].personal_token, "not_found")
    assert line.startswith(f"error: {label_studio.address(999)}: project 999 does not exist")


def test_project_without_tasks(capsys, monkeypatch, caplog, label_studio):
    fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.empty),
          label_studio.annotators[0].personal_token, "no_tasks")


def test_project_without_annotations(capsys, monkeypatch, caplog, label_studio):
    line = fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.unannotated),
                 label_studio.annotators[0].personal_token, "no_annotations")
    assert "has 3 tasks but no annotations yet" in line


def test_no_token(capsys, monkeypatch, caplog, label_studio):
    line = fails(capsys, monkeypatch, caplog, label_studio.address(label_studio.choices), None,
                 "no_token")
    assert "LABEL_STUDIO_API_KEY is not set" in line


def test_refused_connection(capsys, monkeypatch, caplog):
    port = _free_port()
    line = fails(capsys, monkeypatch, caplog, f"ls://127.0.0.1:{port}/projects/1", "t" * 40,
                 "refused")
    assert f"nothing answers at http://127.0.0.1:{port}" in line


def test_a_web_server_that_is_not_label_studio(capsys, monkeypatch, caplog, web_server):
    line = fails(capsys, monkeypatch, caplog, f"ls://{web_server}/projects/1", "t" * 40,
                 "not_label_studio")
    assert "is not a Label Studio server" in line


def test_unsupported_server_version(capsys, monkeypatch, caplog, old_server):
    line = fails(capsys, monkeypatch, caplog, f"ls://{old_server}/projects/1", "t" * 40,
                 "version")
    assert "Label Studio 0.9.1 is not supported" in line


def test_slow_server_times_out(capsys, monkeypatch, caplog, silent_server):
    monkeypatch.setenv("LABEL_STUDIO_TIMEOUT", "0.5")
    line = fails(capsys, monkeypatch, caplog, f"ls://{silent_server}/projects/1", "t" * 40,
                 "timeout")
    assert "did not answer within 0.5 s" in line and "LABEL_STUDIO_TIMEOUT" in line


def test_the_token_never_reaches_a_server_that_is_not_label_studio(web_server, monkeypatch):
    seen: list[str] = []

    class Recording(_Answers):
        def do_GET(self) -> None:
            seen.append(str(self.headers.get("Authorization")))
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(LabelStudioError):
            pull_project(parse_address(f"ls://127.0.0.1:{server.server_address[1]}/projects/1"),
                         token=Token("secret-token-value-1234"))
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["None"]


@pytest.mark.parametrize("address, problem", [
    ("ls://127.0.0.1:8080/projects/x", "the project id must be a whole number"),
    ("ls://127.0.0.1:8080/", "the address names no project"),
    ("ls://127.0.0.1:99999/projects/1", "malformed port"),
    ("ls://user:secret@127.0.0.1/projects/1", "holds a user name or password"),
    ("ls:///projects/1", "names no server"),
])
def test_malformed_addresses(capsys, address, problem):
    code = main(["validate", address])
    err = capsys.readouterr().err
    assert code == 2 and problem in err and len(err.strip().splitlines()) == 1
    assert "secret" not in err


def test_file_and_project_together_are_refused(capsys, tmp_path):
    code = main(["validate", str(tmp_path / "a.json"), "--project", "3"])
    err = capsys.readouterr().err
    assert code == 2 and "both PATH and --label-studio-url/--project" in err


def test_bad_timeout_setting(capsys, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "t" * 40)
    monkeypatch.setenv("LABEL_STUDIO_TIMEOUT", "soon")
    code = main(["validate", "ls://127.0.0.1:1/projects/1"])
    err = capsys.readouterr().err
    assert code == 2 and "LABEL_STUDIO_TIMEOUT must be a positive number" in err
