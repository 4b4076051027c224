"""Access control helpers for shared deployments (see ``docs/deployment.md``).

Protection is off by default: a dashboard on one's own machine needs none. A shared
deployment either uses Streamlit's OIDC login or a password from ``secrets.toml``,
compared here in constant time so the comparison leaks nothing through its timing.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping


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
