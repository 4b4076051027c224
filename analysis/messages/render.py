"""Write a note in the reader's language from its code and params.

English is the note's own text; Korean comes from the Korean catalogue alone, so a
reworded English template changes nothing on the Korean pages. A plain ``str`` (a note
without a code) is shown as it is.
"""

from __future__ import annotations

from typing import Any

from analysis.messages.korean import KOREAN
from analysis.messages.note import JOINED, Note
from analysis.particles import attach_particles

LANGUAGES = ("en", "ko")


def render(text: str | None, language: str) -> str | None:
    """``text`` in ``language`` (``"en"`` or ``"ko"``).

    Parameters
    ----------
    text : str or None
        A :class:`~analysis.messages.note.Note` (rendered from its code and params, part by
        part) or a plain string (returned as it is).
    language : {"en", "ko"}

    Examples
    --------
    >>> from analysis.messages.note import join, note
    >>> render(join([note("interval.disabled"), "weighted by item"]), "ko")
    '구간 없음: 부트스트랩을 끔; weighted by item'
    >>> render(note("interval.disabled"), "en")
    'no interval: bootstrap disabled'
    """
    if not text or language != "ko":
        return text
    return attach_particles(_korean(text))


def _korean(text: str) -> str:
    if not isinstance(text, Note):
        return text
    if text.code == JOINED:
        return text.params["separator"].join(_korean(part) for part in text.params["parts"])
    template = KOREAN.get(text.code)
    if template is None:  # a code only the English catalogue has: its English text
        return str(text)
    return template.format(**{name: _value(value) for name, value in text.params.items()})


def _value(value: Any) -> Any:
    return _korean(value) if isinstance(value, Note) else value
