"""The Label Studio token: read from ``LABEL_STUDIO_API_KEY`` only, and what kind it is.

Label Studio has two kinds of token. A **personal access token** (Label Studio 1.2x,
*Account & Settings > Personal Access Token*) is a JWT refresh token: it is exchanged at
``/api/token/refresh`` for an access token that lives a few minutes and is sent as
``Authorization: Bearer``. A **legacy token** (40 hex digits) is sent as is, as
``Authorization: Token``; an organisation may disable legacy tokens.

The token is never taken from a command-line flag (it would land in the shell history),
never written to a file, a log or a message; :func:`scrub` removes it from any text that
might carry it (a server's error detail).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

TOKEN_ENV: Final = "LABEL_STUDIO_API_KEY"
"""The environment variable the token is read from (the name Label Studio's own SDK uses)."""

HIDDEN: Final = "[token hidden]"


@dataclass(frozen=True)
class Token:
    """A Label Studio token; its ``repr`` never shows the value.

    Attributes
    ----------
    value : str
        The token as given.
    """

    value: str = field(repr=False)

    @property
    def is_personal(self) -> bool:
        """Whether this is a personal access token (a JWT), not a legacy token.

        Examples
        --------
        >>> Token("0123456789abcdef0123456789abcdef01234567").is_personal
        False
        """
        return self.claims() is not None

    def claims(self) -> dict[str, object] | None:
        """The JWT's payload (read, not verified: the server verifies), or None for a
        legacy token."""
        parts = self.value.split(".")
        if len(parts) != 3 or not all(parts):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        except (binascii.Error, ValueError):
            return None
        return payload if isinstance(payload, dict) else None

    def expired_at(self, now: datetime | None = None) -> datetime | None:
        """When a personal access token expired, or None if it has not (or never expires)."""
        claims = self.claims() or {}
        expiry = claims.get("exp")
        if not isinstance(expiry, int | float):
            return None
        try:
            when = datetime.fromtimestamp(expiry, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return when if when <= (now or datetime.now(UTC)) else None

    def __str__(self) -> str:
        return HIDDEN


def token_from_environment(environ: dict[str, str] | None = None) -> Token | None:
    """The token in ``LABEL_STUDIO_API_KEY`` (surrounding blanks removed), or None.

    Examples
    --------
    >>> token_from_environment({"LABEL_STUDIO_API_KEY": "  abc  "}).value
    'abc'
    >>> token_from_environment({}) is None
    True
    """
    value = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    return Token(value) if value else None


def scrub(text: str, *secrets: str | None) -> str:
    """``text`` with every secret in it replaced by ``[token hidden]``.

    Examples
    --------
    >>> scrub("bad token abc123 here", "abc123")
    'bad token [token hidden] here'
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, HIDDEN)
    return text
