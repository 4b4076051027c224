"""Engine messages as codes with parameters, written in English or Korean.

The report's notes are :class:`Note` objects: the English text (a ``str``, so the JSON
contract is unchanged) plus a ``code`` and ``params``. The catalogues hold one template per
code and language (:mod:`analysis.messages.english`, :mod:`analysis.messages.korean`);
:func:`render` writes a note in a language from its code alone. See docs/messages.md.
"""

from analysis.messages.note import JOINED, Note, join, note
from analysis.messages.render import CATALOGUES, render

__all__ = ["CATALOGUES", "JOINED", "Note", "join", "note", "render"]
