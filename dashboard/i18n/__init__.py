"""UI strings in English and Korean, looked up by key with :func:`t`.

Every string the dashboard shows lives in ``en.STRINGS`` and ``ko.STRINGS`` (same keys; a
test checks the parity and every key the code builds, f-string keys included). The
language is the sidebar's choice, kept per visitor in the session
(:data:`dashboard.state.session.LANG_KEY`).

With ``DASHBOARD_STRICT_STRINGS=1`` (the test suite sets it) a key missing from the
visitor's table raises :class:`MissingStringError` instead of falling back, so a missing
translation fails the tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Final, Literal

import streamlit as st

from analysis.base.particles import attach_particles
from dashboard.i18n import en, ko
from dashboard.state.session import LANG_KEY

Language = Literal["en", "ko"]
LANGUAGES: Final[dict[str, str]] = {"en": "English", "ko": "한국어"}
TABLES: Final[dict[str, dict[str, str]]] = {"en": en.STRINGS, "ko": ko.STRINGS}
STRICT_ENV: Final = "DASHBOARD_STRICT_STRINGS"


class MissingStringError(KeyError):
    """A UI string key missing from a language table (raised in strict mode only)."""


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def current_language() -> Language:
    """The visitor's language: ``"en"`` unless they picked Korean."""
    return "ko" if st.session_state.get(LANG_KEY) == "ko" else "en"


def _lookup(key: str) -> tuple[Language, str]:
    """The visitor's language and the unformatted string ``key`` in it (see :func:`t`)."""
    lang = current_language()
    text = TABLES[lang].get(key)
    if not text:
        if _strict():
            raise MissingStringError(f"UI string {key!r} is missing from dashboard/i18n/{lang}.py")
        text = TABLES["en"].get(key) or key
    return lang, text


def t(key: str, /, **fmt: Any) -> str:
    """The UI string ``key`` in the visitor's language, formatted with ``fmt``.

    A key missing from the Korean table falls back to English; a key missing from both
    shows the key itself, so a typo is visible rather than fatal. In strict mode
    (``DASHBOARD_STRICT_STRINGS=1``) either raises :class:`MissingStringError`.

    Examples
    --------
    >>> t("nav.overview")
    'Overview'
    >>> t("data.kept", kept=3, dropped=1)
    '3 rows kept, 1 dropped'
    """
    lang, text = _lookup(key)
    text = text.format(**fmt) if fmt else text
    # Korean strings write "{label}와(과)": the particle follows the word filled in
    return attach_particles(text) if lang == "ko" else text


def formatter(key: str, /) -> Callable[..., str]:
    """``t(key, **fmt)`` as a function for many rows: the visitor's language is read once.

    Examples
    --------
    >>> formatter("data.kept")(kept=3, dropped=1)
    '3 rows kept, 1 dropped'
    """
    lang, text = _lookup(key)
    if lang == "ko":
        return lambda **fmt: attach_particles(text.format(**fmt))
    return lambda **fmt: text.format(**fmt)


def t_or(key: str, default: str, /) -> str:
    """``t(key)`` where a translation is optional (e.g. a data column's header), else ``default``.

    Examples
    --------
    >>> t_or("col.items", "items"), t_or("col.my_own_column", "my_own_column")
    ('Items', 'my_own_column')
    """
    return t(key) if key in TABLES[current_language()] else default
