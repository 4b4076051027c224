"""The registered readers, and the choice of one by the highest sniff score."""

from __future__ import annotations

from analysis.data.judgements import declare_task
from analysis.io.readers.builtin import BUILTIN_READERS
from analysis.io.readers.parsed import Parsed
from analysis.io.readers.reader import Reader

_READERS: list[Reader] = list(BUILTIN_READERS)


def register(reader: Reader) -> None:
    """Add a reader (replacing one of the same name, in its place).

    Examples
    --------
    >>> class Toy:
    ...     name, task = "toy", "single_label"
    ...     def sniff(self, parsed): return 0.0
    ...     def read(self, parsed, options): raise NotImplementedError
    >>> register(Toy()); "toy" in [r.name for r in readers()]
    True
    >>> unregister("toy"); "toy" in [r.name for r in readers()]
    False
    """
    if reader.task is not None:
        declare_task(reader.task)
    for index, known in enumerate(_READERS):
        if known.name == reader.name:
            _READERS[index] = reader
            return
    _READERS.append(reader)


def unregister(name: str) -> None:
    """Remove the reader of that name (nothing when none is registered)."""
    _READERS[:] = [reader for reader in _READERS if reader.name != name]


def readers() -> tuple[Reader, ...]:
    """The registered readers, in registration order."""
    return tuple(_READERS)


def choose(parsed: Parsed) -> Reader | None:
    """The reader with the highest positive sniff (the first registered on a tie), or None."""
    best: Reader | None = None
    best_score = 0.0
    for reader in _READERS:
        score = reader.sniff(parsed)
        if score > best_score:
            best, best_score = reader, score
    return best
