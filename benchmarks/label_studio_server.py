"""A real Label Studio server on 127.0.0.1 for the live-project tests and the pull benchmark.

:func:`install` runs ``scripts/label_studio_server.sh install`` (its own virtual
environment, ``.ls-venv``; first run about 2 minutes, then nothing). :func:`start` runs the
server on a free port with a fresh SQLite data folder and an administrator with a legacy
token, and waits until it answers. :class:`LabelStudioServer` then does what people do in
Label Studio, through its HTTP API and its sign-up and sign-in forms: annotators sign up,
each gets a personal access token and a legacy token, projects are created, tasks
imported, annotations posted by each annotator, the project exported as JSON.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from dashboard_server import free_port

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".ls-venv"
SCRIPT = ROOT / "scripts" / "label_studio_server.sh"
ADMIN_EMAIL = "admin@example.org"


class InstallFailed(RuntimeError):
    """Label Studio could not be installed or started here (the message says why)."""


def install(*, timeout: float = 900) -> Path:
    """Install Label Studio into ``.ls-venv`` unless it is there; its executable.

    Raises
    ------
    InstallFailed
        pip failed (e.g. no network); the message ends with pip's last lines.
    """
    try:
        done = subprocess.run(["bash", str(SCRIPT), "install"], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise InstallFailed(f"installing Label Studio took over {timeout:.0f} s") from None
    if done.returncode != 0:
        tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
        raise InstallFailed(f"installing Label Studio failed: {tail}")
    return VENV / "bin" / "label-studio"


@dataclass
class User:
    """A signed-up Label Studio user with both kinds of token."""

    email: str
    id: int
    personal_token: str = field(repr=False)
    legacy_token: str = field(repr=False)


@dataclass
class LabelStudioServer:
    """A running server (see the module notes)."""

    url: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    admin_token: str = field(repr=False)
    secret_key: str = field(repr=False)
    users: list[User] = field(default_factory=list)

    def api(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> Any:
        """Call the API with a legacy token (the administrator's by default); its JSON."""
        response = requests.request(
            method, self.url + path, timeout=120,
            headers={"Authorization": f"Token {token or self.admin_token}"}, **kwargs)
        if not response.ok:
            raise requests.HTTPError(f"{method} {path}: {response.status_code} {response.text[:300]}",
                                     response=response)
        return response.json() if response.content else None

    def _signed_in(self, email: str, password: str, *, sign_up: bool) -> requests.Session:
        session = requests.Session()
        form = "/user/signup/" if sign_up else "/user/login/"
        session.get(self.url + form, timeout=60)
        response = session.post(
            self.url + form, timeout=60, headers={"Referer": self.url + form},
            data={"email": email, "password": password,
                  "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")})
        response.raise_for_status()
        return session

    def personal_token(self, session: requests.Session) -> str:
        """A new personal access token of the signed-in user (an old one is revoked)."""
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": self.url}
        for old in session.get(self.url + "/api/token/", timeout=60).json():
            session.post(self.url + "/api/token/blacklist/", headers=headers, timeout=60,
                         json={"refresh": old["token"]})
        response = session.post(self.url + "/api/token/", headers=headers, timeout=60)
        response.raise_for_status()
        return str(response.json()["token"])

    def sign_up(self, email: str, password: str = "annotator-pass-123") -> User:
        """Sign a new annotator up (the sign-up form) and fetch both of their tokens."""
        session = self._signed_in(email, password, sign_up=True)
        me = session.get(self.url + "/api/current-user/whoami", timeout=60).json()
        legacy = session.get(self.url + "/api/current-user/token", timeout=60).json()["token"]
        user = User(email, int(me["id"]), self.personal_token(session), str(legacy))
        self.users.append(user)
        return user

    def admin_session(self) -> requests.Session:
        """The administrator signed in (for settings only a session may change)."""
        return self._signed_in(ADMIN_EMAIL, "admin-pass-123", sign_up=False)

    def create_project(self, title: str, label_config: str) -> int:
        """A new project; its id."""
        return int(self.api("POST", "/api/projects",
                            json={"title": title, "label_config": label_config})["id"])

    def import_tasks(self, project: int, tasks: list[dict[str, Any]]) -> list[int]:
        """Import tasks (``{"data": ...}`` or plain data, optionally with annotations);
        the project's task ids, in order."""
        self.api("POST", f"/api/projects/{project}/import", json=tasks)
        return self.task_ids(project)

    def task_ids(self, project: int) -> list[int]:
        """Every task id of a project, ascending."""
        answer = self.api("GET", "/api/tasks", params={
            "project": project, "page_size": 100_000, "fields": "task_only"})
        return sorted(int(task["id"]) for task in answer["tasks"])

    def annotate(self, user: User, task: int, result: list[dict[str, Any]], *,
                 cancelled: bool = False) -> None:
        """Post an annotation as ``user`` (with their own token)."""
        self.api("POST", f"/api/tasks/{task}/annotations/", token=user.legacy_token,
                 json={"result": result, "was_cancelled": cancelled})

    def export(self, project: int) -> bytes:
        """The project's JSON export, as the *Export* button gives it."""
        response = requests.get(
            f"{self.url}/api/projects/{project}/export", params={"exportType": "JSON"},
            headers={"Authorization": f"Token {self.admin_token}"}, timeout=300)
        response.raise_for_status()
        return response.content

    def set_legacy_tokens(self, enabled: bool) -> None:
        """Allow or refuse legacy tokens in the organisation (Organization > API Tokens)."""
        session = self.admin_session()
        session.post(self.url + "/api/jwt/settings", timeout=60, json={
            "api_tokens_enabled": True, "legacy_api_tokens_enabled": enabled},
            headers={"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": self.url},
        ).raise_for_status()

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def start(data_dir: Path, *, timeout: float = 420) -> LabelStudioServer:
    """Install if needed, then start a server with a fresh data folder on a free port.

    Raises
    ------
    InstallFailed
        It could not be installed, or did not answer within ``timeout`` seconds.
    """
    executable = install()
    port = free_port()
    admin_token = secrets.token_hex(20)
    secret_key = secrets.token_urlsafe(40)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("LABEL_STUDIO")}
    env |= {"LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "SECRET_KEY": secret_key,
            "LATEST_VERSION_CHECK": "false", "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": ""}
    env.pop("HOST", None)
    log = data_dir / "server.log"
    out = open(log, "wb")  # noqa: SIM115 - the server process writes to it until it stops
    process = subprocess.Popen(
        [str(executable), "start", "--no-browser", "--internal-host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data_dir), "--username", ADMIN_EMAIL,
         "--password", "admin-pass-123", "--user-token", admin_token,
         "--enable-legacy-api-token"],
        cwd=data_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server = LabelStudioServer(url, process, data_dir, admin_token, secret_key)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            raise InstallFailed(f"Label Studio exited with code {process.returncode}: "
                                + " | ".join(tail))
        try:
            server.api("GET", "/api/current-user/whoami")
            return server
        except requests.RequestException:
            time.sleep(1)
    server.stop()
    raise InstallFailed(f"Label Studio did not answer at {url} within {timeout:.0f} s")
