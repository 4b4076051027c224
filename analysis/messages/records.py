"""Notes written to a JSON cache and read back with their codes.

A cache file (the embeddings' coverage record) keeps a warning's English text, as it always
has; :func:`to_record` gives the code and params beside it, and :func:`from_record` rebuilds
the note from them, so a warning read from the cache is shown in the reader's language
too. A record that does not rebuild to the same English (an older cache, a reworded
template) gives the stored text as a plain string.
"""

from __future__ import annotations

from typing import Any

from analysis.messages.english import ENGLISH
from analysis.messages.note import JOINED, Note, join, note


def to_record(text: str) -> dict[str, Any] | None:
    """The code and params of ``text`` as JSON values; ``None`` for a plain string.

    Examples
    --------
    >>> to_record(note("list.more", shown="a, b", more=2))
    {'code': 'list.more', 'params': {'shown': 'a, b', 'more': 2}}
    >>> to_record("plain") is None
    True
    """
    if not isinstance(text, Note):
        return None
    if text.code == JOINED:
        return {"code": JOINED, "separator": text.params["separator"],
                "parts": [to_record(part) or str(part) for part in text.params["parts"]]}
    return {"code": text.code, "params": {name: to_record(value) or value if isinstance(value, Note) else value
                                          for name, value in text.params.items()}}


def from_record(text: str, record: Any) -> str:
    """The note ``record`` describes when it rebuilds to ``text``, else ``text`` as it is.

    Examples
    --------
    >>> made = note("list.more", shown="a, b", more=2)
    >>> from_record(str(made), to_record(made)).code
    'list.more'
    >>> type(from_record("reworded", to_record(made))).__name__
    'str'
    """
    try:
        rebuilt = _rebuilt(record)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return text
    return rebuilt if isinstance(rebuilt, Note) and str(rebuilt) == text else text


def _rebuilt(record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    if record["code"] == JOINED:
        return join([_rebuilt(part) for part in record["parts"]], record["separator"])
    if record["code"] not in ENGLISH:
        raise KeyError(record["code"])
    return note(record["code"], **{name: _rebuilt(value) for name, value in record["params"].items()})
