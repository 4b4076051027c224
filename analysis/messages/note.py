"""The :class:`Note` type: an engine message that is its English text and also a code.

A note (why a value is undefined, how an interval was drawn) is a ``str`` holding the
English text the report's JSON contract has always carried, so every output stays the
same; beside it the note keeps a stable ``code`` and its ``params``, from which
:func:`analysis.messages.render.render` writes it in another language. Notes made of
several parts (``"; "``-joined) keep their parts, so each is rendered on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

from analysis.messages.english import ENGLISH

JOINED: Final = "joined"
"""The code of a note made of parts; its params are ``parts`` and ``separator``."""


class Note(str):
    """An engine message: the English text (this ``str``), a ``code`` and its ``params``.

    Build one with :func:`note` or :func:`join`; string operations (``+``, f-strings)
    give a plain ``str`` without the code, so compose notes with :func:`join`.

    Attributes
    ----------
    code : str
        A key of the catalogues (:mod:`analysis.messages.english`,
        :mod:`analysis.messages.korean`), or :data:`JOINED` for a note made of parts.
    params : Mapping[str, Any]
        The values of the template's placeholders (a value may itself be a Note); for a
        joined note, ``parts`` (a tuple of Notes and plain strings) and ``separator``.
    """

    code: str
    params: Mapping[str, Any]

    def __new__(cls, text: str, code: str, params: Mapping[str, Any]) -> Note:
        self = super().__new__(cls, text)
        self.code = code
        self.params = MappingProxyType(dict(params))
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Cached reports are pickled: keep the code and params.
        return (Note, (str(self), self.code, dict(self.params)))

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of a joined note; ``(self,)`` for any other."""
        return tuple(self.params["parts"]) if self.code == JOINED else (self,)


def note(code: str, **params: Any) -> Note:
    """The note ``code`` with ``params``, its text the English template filled in.

    Examples
    --------
    >>> n = note("interval.disabled")
    >>> n, n.code
    ('no interval: bootstrap disabled', 'interval.disabled')
    >>> str(note("interval.undefined_left_out", count=3))
    '3 resamples where the value is undefined left out'
    """
    try:
        key = (code, ENGLISH[code], tuple(sorted(params.items())))
        hash(key)
    except TypeError:  # an unhashable parameter: a note of its own
        return Note(ENGLISH[code].format(**params), code, params)
    return _shared(key, lambda: Note(ENGLISH[code].format(**params), code, params))


# Reports hold one note per metric, pair and annotator (hundreds of thousands on crowd
# data, mostly the same few): equal notes share one object, so the code and params cost
# memory once. Bounded, so a long-running dashboard does not grow without end.
_SHARED: dict[tuple[Any, ...], Note] = {}
_SHARED_LIMIT: Final = 50_000


def _shared(key: tuple[Any, ...], make: Any) -> Note:
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        found = _SHARED[key] = make()
    return found


def join(parts: Iterable[str | None], separator: str = "; ") -> str | None:
    """The parts (empty ones left out) as one note, each part kept with its code.

    One part is returned as it is, none gives ``None``.

    Examples
    --------
    >>> joined = join([note("weighting.nominal"), None, note("interval.disabled")])
    >>> str(joined), [p.code for p in joined.parts]
    ('unweighted; no interval: bootstrap disabled', ['weighting.nominal', 'interval.disabled'])
    >>> join([]) is None
    True
    """
    kept: list[str] = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, Note) and part.code == JOINED and part.params["separator"] == separator:
            kept.extend(part.params["parts"])
        else:
            kept.append(part)
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    key = (JOINED, separator, tuple((part, getattr(part, "code", None)) for part in kept))
    try:
        hash(key)
    except TypeError:
        return Note(separator.join(kept), JOINED, {"parts": tuple(kept), "separator": separator})
    return _shared(key, lambda: Note(separator.join(kept), JOINED,
                                     {"parts": tuple(kept), "separator": separator}))
