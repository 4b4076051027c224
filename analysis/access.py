"""Access control helpers for shared deployments (see ``docs/deployment.md``).

Protection is off by default: a dashboard on one's own machine needs none. A shared
deployment either uses Streamlit's OIDC login or a password from ``secrets.toml``,
compared here in constant time so the comparison leaks nothing through its timing.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final


def check_password(given: str, expected: str) -> bool:
    """Whether ``given`` equals ``expected``, compared in constant time.

    An empty ``expected`` password never matches: a missing secret must not open the
    door.

    Examples
    --------
    >>> check_password("s3cret", "s3cret"), check_password("guess", "s3cret")
    (True, False)
    >>> check_password("", "")
    False
    """
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def author_from_user(user: Mapping[str, object] | None) -> str | None:
    """The name to record as author of workspace changes, from the signed-in user's claims.

    Takes the mapping Streamlit exposes as ``st.user`` (OIDC claims) and prefers the
    e-mail, then the name, then the subject; ``None`` unless ``is_logged_in`` is true
    (Streamlit without login configured, or a placeholder user in tests, attributes
    nothing).

    Examples
    --------
    >>> author_from_user({"is_logged_in": True, "email": "mina@example.org", "name": "Mina"})
    'mina@example.org'
    >>> author_from_user({"is_logged_in": False}) is None, author_from_user({"email": "x@y"}) is None
    (True, True)
    """
    if not user or user.get("is_logged_in") is not True:
        return None
    for claim in ("email", "name", "preferred_username", "sub"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# --------------------------------------------------------------------------------------
# Configuration: read strictly, so that a mistake closes the door instead of opening it.
# --------------------------------------------------------------------------------------

ACCESS_KEYS: Final = ("password", "viewer_mode", "editors")
SECRETS_FIX: Final = (
    "correct the file (TOML syntax: https://toml.io) and restart the dashboard, "
    "or remove the file to run without a sign-in"
)


class AccessConfigError(ValueError):
    """The sign-in settings cannot be trusted; the dashboard stays closed.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    file : str
        The secrets file (or files) the setting comes from.
    fix : str
        What to do about it.
    """

    def __init__(self, problem: str, *, file: str, fix: str = SECRETS_FIX) -> None:
        self.problem, self.file, self.fix = problem, file, fix
        super().__init__(f"{file}: {problem}. Fix: {fix}.")


@dataclass(frozen=True)
class AccessConfig:
    """The deployment's sign-in settings (``[access]`` and ``[auth]`` in ``secrets.toml``).

    Attributes
    ----------
    password : str
        The shared password (``""``: none). In viewer mode it is the owner's password.
    oidc : bool
        Whether ``[auth]`` configures Streamlit's OpenID Connect login.
    viewer_mode : bool
        Anyone may look (every page, every export) without signing in; nothing a viewer
        does is saved. The owner signs in (password or OIDC) to edit.
    editors : tuple of str
        When not empty, only these signed-in OIDC users (e-mail, case-insensitive) may
        edit; other signed-in users view.
    """

    password: str = ""
    oidc: bool = False
    viewer_mode: bool = False
    editors: tuple[str, ...] = ()

    @property
    def gated(self) -> bool:
        """Whether anything at all is configured (no configuration: a local dashboard)."""
        return bool(self.password) or self.oidc or self.viewer_mode

    @property
    def sign_in_possible(self) -> bool:
        """Whether there is any way to sign in (a password or an OIDC login)."""
        return bool(self.password) or self.oidc

    def may_edit(self, user: str | None) -> bool:
        """Whether a signed-in OIDC ``user`` may edit (always, unless ``editors`` names others)."""
        if not user or not self.oidc:
            return False
        return not self.editors or user.casefold() in {e.casefold() for e in self.editors}


def parse_access_config(secrets: Mapping[str, Any], *, file: str = "secrets.toml") -> AccessConfig:
    """Read the sign-in settings, refusing anything ambiguous.

    Parameters
    ----------
    secrets : Mapping
        The parsed secrets (``st.secrets``).
    file : str, default "secrets.toml"
        Where they came from, for the message.

    Returns
    -------
    AccessConfig

    Raises
    ------
    AccessConfigError
        ``[access]`` or ``[auth]`` is not a table, ``[access]`` holds an unknown key (a
        misspelt ``password`` must not silently turn the gate off), or a value has the
        wrong type.

    Examples
    --------
    >>> parse_access_config({"access": {"password": "s3cret", "viewer_mode": True}})
    AccessConfig(password='s3cret', oidc=False, viewer_mode=True, editors=())
    >>> parse_access_config({"access": {"pasword": "s3cret"}})
    Traceback (most recent call last):
    ...
    analysis.access.AccessConfigError: secrets.toml: unknown setting 'pasword' in [access] ...
    """
    section = secrets.get("access")
    auth = secrets.get("auth")
    if auth is not None and not isinstance(auth, Mapping):
        raise AccessConfigError("'auth' must be a table ([auth] with its settings below it)", file=file)
    if section is None:
        return AccessConfig(oidc=auth is not None)
    if not isinstance(section, Mapping):
        raise AccessConfigError("'access' must be a table ([access] with password = \"...\" below it)", file=file)
    unknown = sorted(str(key) for key in section if key not in ACCESS_KEYS)
    if unknown:
        raise AccessConfigError(
            f"unknown setting {unknown[0]!r} in [access] (the settings are {', '.join(ACCESS_KEYS)})", file=file
        )
    password = section.get("password", "")
    if not isinstance(password, str):
        raise AccessConfigError("[access] password must be a string in quotes", file=file)
    viewer_mode = section.get("viewer_mode", False)
    if not isinstance(viewer_mode, bool):
        raise AccessConfigError("[access] viewer_mode must be true or false (without quotes)", file=file)
    editors = section.get("editors", [])
    if not isinstance(editors, Sequence) or isinstance(editors, str) or not all(
        isinstance(e, str) and e.strip() for e in editors
    ):
        raise AccessConfigError('[access] editors must be a list of e-mail addresses, e.g. ["mina@example.org"]', file=file)
    if editors and auth is None:
        raise AccessConfigError("[access] editors names OIDC users, but there is no [auth] login", file=file)
    return AccessConfig(
        password=password, oidc=auth is not None, viewer_mode=viewer_mode, editors=tuple(e.strip() for e in editors)
    )


def secrets_file_problem(paths: Sequence[str | os.PathLike[str]]) -> AccessConfigError | None:
    """The first secrets file that exists but cannot be read as TOML, as an error (else None).

    Streamlit treats an unreadable ``secrets.toml`` like a missing one (it only logs
    it); the dashboard calls this to tell the two apart and stay closed on the first.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "secrets.toml")
    ...     _ = path.write_text('[access]\\npassword = "a"\\npassword = "b"\\n')
    ...     print(secrets_file_problem([path]).problem)
    the file is not valid TOML (Cannot overwrite a value (at line 3, column 15))
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists() or (path.is_dir() and not str(raw).endswith(".toml")):
            continue  # a missing file is no configuration; a folder holds directory-style secrets
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            return AccessConfigError(f"the file is not valid TOML ({error})", file=str(path))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            return AccessConfigError(
                f"the file cannot be read ({reason})",
                file=str(path),
                fix="make it a readable UTF-8 file for the user that runs the dashboard, then restart it",
            )
    return None


# --------------------------------------------------------------------------------------
# Throttling: wrong passwords slow down, per browser session and over the whole server.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    """How quickly repeated failures lock further tries out.

    Failures count as one streak until ``window_s`` seconds pass without any. The first
    ``free`` failures of a streak cost nothing; each one after that locks out further
    tries for ``base_s * 2 ** (failures - free - 1)`` seconds (at most ``cap_s``), counted
    from that failure.

    Examples
    --------
    >>> policy = ThrottlePolicy(free=2, base_s=10, cap_s=60)
    >>> [policy.lock_s(n) for n in range(1, 7)]
    [0.0, 0.0, 10.0, 20.0, 40.0, 60.0]
    """

    free: int
    base_s: float
    cap_s: float
    window_s: float = 900.0

    def lock_s(self, failures: int) -> float:
        """The lock that follows the ``failures``-th failure of a streak."""
        excess = failures - self.free
        return 0.0 if excess <= 0 else float(min(self.cap_s, self.base_s * 2.0 ** (excess - 1)))


@dataclass
class _Streak:
    failures: int = 0
    last: float = float("-inf")


SESSION_POLICY: Final = ThrottlePolicy(free=5, base_s=2.0, cap_s=300.0)
OVERALL_POLICY: Final = ThrottlePolicy(free=20, base_s=1.0, cap_s=60.0)


def _monotonic() -> float:
    return time.monotonic()


class LoginThrottle:
    """Failed sign-ins per browser session and over the whole server, thread-safe.

    A session that keeps guessing waits longer and longer; so does everyone once many
    sessions fail (opening a new browser session does not reset that count). While a
    wait runs, a try is refused before the password is even compared.

    Parameters
    ----------
    session : ThrottlePolicy
        The policy for one browser session.
    overall : ThrottlePolicy
        The policy for all sessions together.
    clock : callable, optional
        Monotonic seconds (tests pass a fake clock).

    Examples
    --------
    >>> now = [0.0]
    >>> throttle = LoginThrottle(session=ThrottlePolicy(free=2, base_s=10, cap_s=60),
    ...                          overall=OVERALL_POLICY, clock=lambda: now[0])
    >>> for _ in range(3):
    ...     throttle.failed("tab-1")
    >>> throttle.wait_s("tab-1"), throttle.wait_s("tab-2")
    (10.0, 0.0)
    >>> now[0] = 10.0
    >>> throttle.wait_s("tab-1")
    0.0
    """

    MAX_SESSIONS: Final = 10_000

    def __init__(
        self,
        *,
        session: ThrottlePolicy = SESSION_POLICY,
        overall: ThrottlePolicy = OVERALL_POLICY,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.session_policy, self.overall_policy = session, overall
        self.clock: Callable[[], float] = clock or _monotonic
        self._lock = threading.Lock()
        self._sessions: dict[str, _Streak] = {}
        self._overall = _Streak()

    @staticmethod
    def _wait(streak: _Streak | None, policy: ThrottlePolicy, now: float) -> float:
        if streak is None or now - streak.last >= policy.window_s:
            return 0.0
        return max(0.0, streak.last + policy.lock_s(streak.failures) - now)

    def wait_s(self, session_id: str) -> float:
        """Seconds this session must wait before its next try (0: it may try now)."""
        now = self.clock()
        with self._lock:
            mine = self._wait(self._sessions.get(session_id), self.session_policy, now)
            return max(mine, self._wait(self._overall, self.overall_policy, now))

    def failed(self, session_id: str) -> None:
        """Record a wrong password from this session."""
        now = self.clock()
        with self._lock:
            self._forget_quiet(now)
            mine = self._sessions.setdefault(session_id, _Streak())
            for streak, policy in ((mine, self.session_policy), (self._overall, self.overall_policy)):
                if now - streak.last >= policy.window_s:
                    streak.failures = 0  # quiet long enough: a new streak
                streak.failures += 1
                streak.last = now

    def succeeded(self, session_id: str) -> None:
        """Forget this session's failures (the overall streak runs on until it goes quiet)."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def reset(self) -> None:
        """Forget every failure."""
        with self._lock:
            self._sessions.clear()
            self._overall = _Streak()

    def _forget_quiet(self, now: float) -> None:
        window = self.session_policy.window_s
        for key in [key for key, streak in self._sessions.items() if now - streak.last >= window]:
            del self._sessions[key]
        while len(self._sessions) >= self.MAX_SESSIONS:  # oldest first: dicts keep insertion order
            del self._sessions[next(iter(self._sessions))]
