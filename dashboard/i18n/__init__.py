"""UI strings in English and Korean, looked up by key with :func:`t`.

Every string the dashboard shows lives in ``en.STRINGS`` and ``ko.STRINGS`` (same keys; a
test checks the parity). The language is the sidebar's choice, kept per visitor in
``st.session_state["lang"]``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import streamlit as st

from dashboard.i18n import en, ko

Language = Literal["en", "ko"]
LANGUAGES: Final[dict[str, str]] = {"en": "English", "ko": "한국어"}
TABLES: Final[dict[str, dict[str, str]]] = {"en": en.STRINGS, "ko": ko.STRINGS}
LANG_KEY: Final = "lang"


def current_language() -> Language:
    """The visitor's language: ``"en"`` unless they picked Korean."""
    return "ko" if st.session_state.get(LANG_KEY) == "ko" else "en"


def t(key: str, /, **fmt: Any) -> str:
    """The UI string ``key`` in the visitor's language, formatted with ``fmt``.

    A key missing from the Korean table falls back to English; a key missing from both
    shows the key itself, so a typo is visible rather than fatal.

    Examples
    --------
    >>> t("nav.overview")
    'Overview'
    >>> t("data.kept", kept=3, dropped=1)
    '3 rows kept, 1 dropped'
    """
    lang = current_language()
    text = TABLES[lang].get(key) or TABLES["en"].get(key) or key
    return text.format(**fmt) if fmt else text
