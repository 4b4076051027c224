"""The one JSON parse of user data, with a depth and a size guard.

Python's parser follows nesting by recursion and turns digits into ``int`` only up to
``sys.get_int_max_str_digits()``: JSON nested a few thousand levels deep raises
``RecursionError`` and an integer of 5,000 digits a ``ValueError``, both tracebacks.
:func:`loads` is the one place an export's JSON text is parsed (whole documents, JSON
lines, members of an archive); it refuses both in one line naming the place, and also
nesting deeper than :data:`MAX_JSON_DEPTH` that the parser did follow: no export nests
that deep, and a value that deep would reach the recursion limit again in any code that
walks it (printing it, comparing it, writing it back as JSON).
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import numpy as np

from analysis.base.errors import AnnotationDataError

MAX_JSON_DEPTH: Final = 200
"""Deepest nesting of arrays and objects read (exports nest a handful of levels). Fixed."""

MAX_NUMBER_DIGITS: Final = 4_300
"""Most digits in one JSON integer: Python's own limit for turning digits into an ``int``
(``sys.get_int_max_str_digits()``); ids and offsets have far fewer. Fixed."""

_LONG_NUMBER = re.compile(rf"-?\d{{{MAX_NUMBER_DIGITS + 1},}}")
_KINDS = bytes(1 if byte == ord('"') else 2 if byte in b"[{" else 3 if byte in b"]}" else 0
               for byte in range(256))
"""Every byte to 0, except a quote (1), an opening (2) and a closing bracket (3)."""
_STEP = np.array([0, 0, 1, -1], dtype=np.int32)


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line:,}, column {column:,}"


def nesting_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of arrays and objects in JSON ``text`` and the character offset
    where it is first reached (brackets inside strings do not count).

    Examples
    --------
    >>> nesting_depth('{"a": [1, [2]], "b": "[[["}')
    (3, 10)
    """
    data = text.encode("utf-8")
    if b"\\" in data:  # escaped backslashes, then escaped quotes: same length, no \" left
        data = data.replace(b"\\\\", b"__").replace(b'\\"', b"__")
    kinds = np.frombuffer(data.translate(_KINDS), dtype=np.uint8)
    position = np.flatnonzero(kinds)
    if position.size == 0:
        return 0, 0
    kind = kinds[position]
    quote = kind == 1
    step = _STEP[kind]
    step[(np.cumsum(quote, dtype=np.int32) & 1).astype(bool) | quote] = 0
    depth = np.cumsum(step, dtype=np.int32)
    deepest = int(np.argmax(depth))
    prefix = data[:int(position[deepest])]
    return int(depth[deepest]), len(prefix.decode("utf-8", errors="replace"))


def _too_deep(text: str, *, file: str, where: str | None) -> AnnotationDataError:
    depth, offset = nesting_depth(text)
    return AnnotationDataError(
        f"the JSON nests arrays and objects {depth:,} levels deep, above the limit of "
        f"{MAX_JSON_DEPTH} (annotation exports nest a few levels)",
        file=file, location=where or _line_column(text, offset),
        fix="export the annotations again; a value nested that deep is not annotation data")


def _long_number(text: str, *, file: str, where: str | None) -> AnnotationDataError:
    match = _LONG_NUMBER.search(text)
    digits = len(match.group().lstrip("-")) if match else MAX_NUMBER_DIGITS + 1
    return AnnotationDataError(
        f"a JSON number has {digits:,} digits, above the limit of {MAX_NUMBER_DIGITS:,}",
        file=file, location=where or (_line_column(text, match.start()) if match else None),
        fix="export ids and offsets as short numbers, or as strings")


def loads(text: str, *, file: str, where: str | None = None) -> Any:
    """``json.loads(text)`` within the depth and size guards.

    Parameters
    ----------
    text : str
        One JSON document (or one line of JSON lines).
    file : str
        For messages.
    where : str, optional
        The place to name (``"line 7"``) instead of the line and column inside ``text``.

    Raises
    ------
    json.JSONDecodeError
        Malformed JSON, for the caller to word (it knows whether this is a line).
    AnnotationDataError
        Nesting deeper than :data:`MAX_JSON_DEPTH`, or an integer of more than
        :data:`MAX_NUMBER_DIGITS` digits.

    Examples
    --------
    >>> loads('[{"a": 1}]', file="x.json")
    [{'a': 1}]
    >>> loads("[" * 300 + "]" * 300, file="deep.json")
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: deep.json, line 1, column 300: the JSON nests arrays and objects 300 levels deep, above the limit of 200 (annotation exports nest a few levels). Fix: export the annotations again; a value nested that deep is not annotation data.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep(text, file=file, where=where) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # digits past Python's limit for int()
        if "digits" not in str(error):
            raise
        raise _long_number(text, file=file, where=where) from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and nesting_depth(text)[0] > MAX_JSON_DEPTH:
        raise _too_deep(text, file=file, where=where)
    return value
