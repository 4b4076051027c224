"""The readers of the formats the product reads, found in this package.

Every module of ``analysis.io.readers`` that exports ``READERS`` (its reader instances)
and ``PRIORITY`` (an int) is a built-in format; a new format is one new module. The
readers are registered by ``PRIORITY``, lowest first, so the order (which decides a tie in
sniff score, and the order ``registry.readers()`` lists) stays fixed whatever the file
system lists first.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import analysis.io.readers as _package
from analysis.base.errors import UsageError
from analysis.io.readers.reader import Reader

_NOT_FORMATS = frozenset({"builtin", "registry"})
"""The modules that register the formats rather than read one."""


def discover(package: ModuleType) -> tuple[Reader, ...]:
    """The readers of a package's modules that export ``READERS`` and ``PRIORITY``.

    Parameters
    ----------
    package : module
        A package; each of its modules (``builtin`` and ``registry`` left out) is imported.

    Returns
    -------
    tuple of Reader
        By the modules' ``PRIORITY`` (then their names), each module's readers in its order.

    Raises
    ------
    UsageError
        A module exports ``READERS`` without an int ``PRIORITY``.
    """
    found: list[tuple[int, str, tuple[Reader, ...]]] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in _NOT_FORMATS:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        readers = getattr(module, "READERS", None)
        if readers is None:
            continue
        priority = getattr(module, "PRIORITY", None)
        if not isinstance(priority, int):
            raise UsageError(f"{module.__name__} exports READERS but no int PRIORITY")
        found.append((priority, info.name, tuple(readers)))
    found.sort(key=lambda entry: entry[:2])
    return tuple(reader for _, _, readers in found for reader in readers)


BUILTIN_READERS: tuple[Reader, ...] = discover(_package)
