"""A small HTTP client for Label Studio's REST API, with every failure as one clear line.

Plain ``requests`` (it comes with Streamlit; the official ``label-studio-sdk`` would bring
OpenCV, lxml, Pillow and a code generator for a handful of GET and POST calls; README,
"Dependencies"). The client:

* asks ``/api/version`` first, *without* the token, so a wrong address (not a Label Studio
  server) never receives it, and refuses a server outside :data:`SUPPORTED_MAJOR`;
* sends a legacy token as ``Authorization: Token``, and exchanges a personal access token
  at ``/api/token/refresh`` for a short-lived access token (``Authorization: Bearer``),
  refreshed again when the server says it expired during a long pull;
* waits ``LABEL_STUDIO_TIMEOUT`` seconds (default 30) for each answer, and reads at most
  ``LABEL_AGREEMENT_MAX_PULL_BYTES`` in all;
* turns every failure (refused connection, unknown host, TLS, timeout, wrong or expired
  or revoked token, missing project, server error, an answer that is not Label Studio's
  JSON) into a :class:`LabelStudioError`: one line, ``kind`` for tests and front ends,
  never the token (:func:`analysis.labelstudio.token.scrub`).
"""

from __future__ import annotations

import copy
import json
import os
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import Limit
from analysis.labelstudio.address import ProjectAddress
from analysis.labelstudio.token import TOKEN_ENV, Token, scrub

if TYPE_CHECKING:
    import requests

TIMEOUT_ENV: Final = "LABEL_STUDIO_TIMEOUT"
DEFAULT_TIMEOUT_S: Final = 30.0
SUPPORTED_MAJOR: Final = 1
"""Label Studio 1.x is read (the tests run against 1.23); other major versions are refused."""
MAX_PULL_BYTES: Final = Limit("LABEL_AGREEMENT_MAX_PULL_BYTES", 1024 * 2**20, "bytes")
"""Bytes read from a Label Studio server in one pull (every page together)."""
ACCESS_MARGIN_S: Final = 20.0
"""An access token this close to its expiry is refreshed before the next request."""
TOKEN_FIX: Final = (f"create a personal access token in Label Studio (Account & Settings > "
                    f"Personal Access Token) and set {TOKEN_ENV} to it")
_CHUNK: Final = 1 << 16


class LabelStudioError(AnnotationDataError):
    """A live Label Studio project cannot be read (or written) as asked.

    Attributes
    ----------
    kind : str
        What went wrong, for front ends and tests: ``bad_url``, ``no_token``, ``refused``,
        ``unknown_host``, ``tls``, ``unreachable``, ``timeout``, ``not_label_studio``,
        ``version``, ``wrong_token``, ``expired_token``, ``revoked_token``,
        ``legacy_disabled``, ``forbidden``, ``not_found``, ``no_tasks``,
        ``no_annotations``, ``server_error``, ``bad_answer``, ``too_large``,
        ``bad_setting``, ``write_refused``.

    Examples
    --------
    >>> str(LabelStudioError("refused", "the server refused the connection",
    ...                      file="ls://127.0.0.1:9/projects/1", fix="start Label Studio"))
    'ls://127.0.0.1:9/projects/1: the server refused the connection. Fix: start Label Studio.'
    """

    def __init__(self, kind: str, problem: str, *, file: str | None = None,
                 fix: str | None = None) -> None:
        self.kind = kind
        super().__init__(problem, file=file, fix=fix)


def request_timeout() -> float:
    """Seconds to wait for each answer: ``LABEL_STUDIO_TIMEOUT``, default 30.

    Raises
    ------
    LabelStudioError
        A value that is not a positive number (``kind="bad_setting"``).
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise LabelStudioError("bad_setting", f"{TIMEOUT_ENV} must be a positive number of "
                               f"seconds, got {raw!r}", fix=f"set e.g. {TIMEOUT_ENV}=60, or unset it")
    return value


def parse_version(release: str) -> tuple[int, int] | None:
    """``"1.23.2"`` -> ``(1, 23)``; None when the text does not start with a version.

    Examples
    --------
    >>> parse_version("1.23.2"), parse_version("1.9.2.post0"), parse_version("dev")
    ((1, 23), (1, 9), None)
    """
    match = re.match(r"\s*(\d+)\.(\d+)", release)
    return (int(match[1]), int(match[2])) if match else None


def _detail(response: requests.Response) -> str:
    """The server's own words about an error (Label Studio's ``detail``), shortened."""
    try:
        body = response.json()
    except ValueError:
        return ""
    detail = body.get("detail") if isinstance(body, Mapping) else None
    if isinstance(detail, str):
        return " ".join(detail.split())[:160]
    return ""


class Client:
    """One Label Studio server, authenticated with one token.

    Parameters
    ----------
    address : ProjectAddress
        The server (and project) to talk to; its ``name`` is used in messages.
    token : Token
        From :func:`analysis.labelstudio.token.token_from_environment`.
    timeout : float, optional
        Seconds to wait for each answer (default :func:`request_timeout`).
    """

    def __init__(self, address: ProjectAddress, token: Token, *,
                 timeout: float | None = None) -> None:
        import requests

        self.address = address
        self.token = token
        self.timeout = request_timeout() if timeout is None else timeout
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.version: str | None = None
        self.bytes_read = 0
        self._limit = MAX_PULL_BYTES.value()
        self._access: str | None = None
        self._access_expires = 0.0

    def for_project(self, project: int) -> Client:
        """This client (same session, same access token) addressing another project."""
        other = copy.copy(self)
        other.address = ProjectAddress(self.address.base_url, project)
        return other

    # -- failures -----------------------------------------------------------------
    def error(self, kind: str, problem: str, fix: str | None = None, *,
              server: bool = False) -> LabelStudioError:
        """A :class:`LabelStudioError` about this server (or project), token scrubbed."""
        secrets = (self.token.value, self._access)
        return LabelStudioError(
            kind, scrub(problem, *secrets),
            file=self.address.server if server else self.address.name,
            fix=scrub(fix, *secrets) if fix else None)

    def _connection_error(self, error: Exception) -> LabelStudioError:
        import requests

        text = str(error)
        where = self.address.base_url
        if isinstance(error, requests.exceptions.SSLError):
            return self.error("tls", f"the TLS certificate of {where} cannot be verified",
                              "check the address; for a private certificate authority set "
                              "REQUESTS_CA_BUNDLE to its certificate file", server=True)
        if isinstance(error, requests.exceptions.Timeout) or "timed out" in text:
            return self.error("timeout", f"the server did not answer within {self.timeout:g} s",
                              f"try again when the server is less busy, or allow more time "
                              f"with {TIMEOUT_ENV}=120", server=True)
        if any(word in text for word in ("Name or service not known", "nodename nor servname",
                                         "getaddrinfo failed", "Failed to resolve",
                                         "Temporary failure in name resolution")):
            return self.error("unknown_host", f"the server name in {where} cannot be found",
                              "check the host name in the address", server=True)
        if "refused" in text.casefold():
            return self.error("refused", f"nothing answers at {where} (connection refused)",
                              "check the host and port, and that Label Studio is running",
                              server=True)
        return self.error("unreachable", f"{where} cannot be reached",
                          "check the address and the network", server=True)

    # -- transport ----------------------------------------------------------------
    def _send(self, method: str, path: str, *, params: Mapping[str, object] | None = None,
              body: object = None, auth: bool = True) -> requests.Response:
        import requests

        headers = {"Authorization": self._authorization()} if auth else {}
        try:
            response = self.session.request(
                method, self.address.base_url + path, params=params, json=body,
                headers=headers, timeout=self.timeout, stream=True, allow_redirects=False)
            response._content = self._read(response)  # bounded, instead of requests' read
        except requests.exceptions.InvalidURL:
            raise self.error("bad_url", "the address is not a valid URL",
                             "write e.g. ls://HOST:8080/projects/3", server=True) from None
        except (requests.exceptions.RequestException, OSError) as error:
            raise self._connection_error(error) from None
        return response

    def _read(self, response: requests.Response) -> bytes:
        chunks = []
        for chunk in response.iter_content(_CHUNK):
            self.bytes_read += len(chunk)
            if self.bytes_read > self._limit:
                response.close()
                raise self.error("too_large", f"the project's data is larger than "
                                 f"{self._limit:,} bytes", MAX_PULL_BYTES.raise_hint())
            chunks.append(chunk)
        return b"".join(chunks)

    def _json(self, response: requests.Response, path: str) -> Any:
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            raise self.error("bad_answer", f"the server's answer to {path} is not JSON",
                             "check that the address is a Label Studio server") from None

    # -- authentication -------------------------------------------------------------
    def _authorization(self) -> str:
        if not self.token.is_personal:
            return f"Token {self.token.value}"
        if self._access is None or time.monotonic() > self._access_expires - ACCESS_MARGIN_S:
            self._refresh()
        return f"Bearer {self._access}"

    def _refresh(self) -> None:
        """Exchange the personal access token for an access token."""
        response = self._send("POST", "/api/token/refresh", body={"refresh": self.token.value},
                              auth=False)
        if response.status_code in (401, 403):
            raise self._token_refused(response)
        if response.status_code != 200:
            raise self._status_error(response, "/api/token/refresh")
        answer = self._json(response, "/api/token/refresh")
        access = answer.get("access") if isinstance(answer, Mapping) else None
        if not isinstance(access, str) or not access:
            raise self.error("bad_answer", "the server's answer to /api/token/refresh holds no "
                             "access token", "check that the address is a Label Studio server")
        self._access = access
        lifetime = 300.0
        expiry = Token(access).claims() or {}
        issued, expires = expiry.get("iat"), expiry.get("exp")
        if isinstance(issued, int | float) and isinstance(expires, int | float):
            lifetime = max(float(expires) - float(issued), 2 * ACCESS_MARGIN_S)
        self._access_expires = time.monotonic() + lifetime

    def _token_refused(self, response: requests.Response) -> LabelStudioError:
        detail = _detail(response)
        expired = self.token.expired_at()
        if expired is not None:
            return self.error("expired_token", f"the personal access token in {TOKEN_ENV} "
                              f"expired on {expired:%Y-%m-%d %H:%M} UTC", TOKEN_FIX, server=True)
        if "blacklist" in detail.casefold() or "revoked" in detail.casefold():
            return self.error("revoked_token", f"the personal access token in {TOKEN_ENV} "
                              "was revoked", TOKEN_FIX, server=True)
        if "legacy token" in detail.casefold():
            return self.error("legacy_disabled", f"the token in {TOKEN_ENV} is a legacy token "
                              "and this organisation has disabled legacy tokens", TOKEN_FIX,
                              server=True)
        if self.token.is_personal and response.request.url \
                and response.request.url.endswith("/api/token/refresh") \
                and response.status_code == 403:
            return self.error("wrong_token", "this server does not accept personal access "
                              "tokens", f"set {TOKEN_ENV} to the legacy token (Account & "
                              "Settings > Legacy Token)", server=True)
        said = f" (the server says: {detail})" if detail else ""
        return self.error("wrong_token", f"the server refused the token in {TOKEN_ENV}{said}",
                          f"copy the token again from Label Studio (Account & Settings) into "
                          f"{TOKEN_ENV}", server=True)

    # -- answers ------------------------------------------------------------------
    def _status_error(self, response: requests.Response, path: str) -> LabelStudioError:
        status = response.status_code
        detail = _detail(response)
        said = f": {detail}" if detail else ""
        if 300 <= status < 400:
            return self.error("not_label_studio", f"{path} answered with a redirect "
                              f"({status}), not Label Studio's API", "pass the address you open "
                              "Label Studio at (with https:// if it redirects there)",
                              server=True)
        if status >= 500:
            return self.error("server_error", f"the server failed on {path} ({status}{said})",
                              "try again later; the Label Studio server's log says why",
                              server=True)
        return self.error("bad_answer", f"the server refused {path} ({status}{said})",
                          "check the address and the project id")

    def request(self, method: str, path: str, *, params: Mapping[str, object] | None = None,
                body: object = None, not_found: LabelStudioError | None = None,
                missing_ok: bool = False) -> Any:
        """One authenticated call; its JSON answer.

        A 401 with a personal access token refreshes the access token once and retries (it
        lives minutes; a long pull outlives it). On a 404 ``not_found`` is raised, or None
        returned when ``missing_ok``.
        """
        response = self._send(method, path, params=params, body=body)
        if response.status_code == 401 and self.token.is_personal:
            self._access = None
            response = self._send(method, path, params=params, body=body)
        if response.status_code == 401:
            raise self._token_refused(response)
        if response.status_code == 403:
            raise self.error("forbidden", f"the token's user may not do this ({method} {path})",
                             "ask the project's owner or an administrator for access")
        if response.status_code == 404 and not_found is not None:
            raise not_found
        if response.status_code == 404 and missing_ok:
            return None
        if not 200 <= response.status_code < 300:
            raise self._status_error(response, path)
        if response.status_code == 204 or not response.content:
            return None
        return self._json(response, path)

    def check_server(self) -> str:
        """Ask ``/api/version`` (without the token) and return the release.

        Raises
        ------
        LabelStudioError
            Not a Label Studio server, or a version outside 1.x.
        """
        response = self._send("GET", "/api/version", auth=False)
        answer = None
        if response.status_code == 200:
            try:
                answer = json.loads(response.content)
            except (ValueError, RecursionError):
                answer = None
        release = answer.get("release") if isinstance(answer, Mapping) else None
        if not isinstance(release, str):
            if response.status_code >= 500:
                raise self._status_error(response, "/api/version")
            raise self.error("not_label_studio", f"{self.address.base_url} is not a Label "
                             "Studio server (it has no /api/version)", "pass the address you "
                             "open Label Studio at, e.g. ls://HOST:8080/projects/3", server=True)
        version = parse_version(release)
        if version is None or version[0] != SUPPORTED_MAJOR:
            shown = " ".join(release.split())[:40]
            raise self.error("version", f"Label Studio {shown} is not supported (this tool "
                             f"reads Label Studio {SUPPORTED_MAJOR}.x)", "upgrade the server to "
                             f"Label Studio {SUPPORTED_MAJOR}.x, or export the project as JSON "
                             "and read that file", server=True)
        self.version = release
        return release
