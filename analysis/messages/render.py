"""Write a note in the reader's language from its code and params.

Each language's text comes from its own catalogue alone, so a reworded English template
changes nothing on the Korean pages. A plain ``str`` (a note without a code) is shown as
it is.
"""

from __future__ import annotations

from typing import Any, Final

from analysis.base.particles import attach_particles
from analysis.messages.english import ENGLISH
from analysis.messages.korean import KOREAN
from analysis.messages.note import JOINED, Note

CATALOGUES: Final[dict[str, dict[str, str]]] = {"en": ENGLISH, "ko": KOREAN}
"""Language -> code -> template."""


def render(text: str | None, language: str) -> str | None:
    """``text`` in ``language`` (``"en"`` or ``"ko"``; another language gives English).

    Parameters
    ----------
    text : str or None
        A :class:`~analysis.messages.note.Note` (written from its code and params, part by
        part) or a plain string (returned as it is).
    language : {"en", "ko"}

    Returns
    -------
    str or None
        A plain string; ``None`` or ``""`` as given.

    Examples
    --------
    >>> from analysis.messages.note import join, note
    >>> render(join([note("interval.disabled"), "weighted by item"]), "ko")
    '구간 없음: 부트스트랩을 끔; weighted by item'
    >>> render(note("interval.disabled"), "en")
    'no interval: bootstrap disabled'
    """
    if not text or not isinstance(text, Note):
        return text
    written = _written(text, CATALOGUES.get(language, ENGLISH))
    return attach_particles(written) if language == "ko" else written


def _written(text: str, catalogue: dict[str, str]) -> str:
    if not isinstance(text, Note):
        return str(text)
    if text.code == JOINED:
        return text.params["separator"].join(_written(part, catalogue) for part in text.params["parts"])
    template = catalogue.get(text.code)
    if template is None:  # a code only the English catalogue has: its English text
        return str(text)
    return template.format(**{name: _value(value, catalogue) for name, value in text.params.items()})


def _value(value: Any, catalogue: dict[str, str]) -> Any:
    return _written(value, catalogue) if isinstance(value, Note) else value
