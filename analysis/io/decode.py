"""Bytes in: reading the source, choosing the text encoding, sniffing the delimiter.

Encodings are tried in a fixed order and the one used is reported: UTF-16 (only with a
byte-order mark), UTF-8 with BOM, UTF-8, then CP949, the superset of EUC-KR that Korean
Excel writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Final

from analysis.base.errors import AnnotationDataError

ENCODINGS: Final[tuple[str, ...]] = ("utf-8", "cp949")
"""Encodings tried, in order, when none is given and the file has no byte-order mark."""

DELIMITERS: Final[tuple[str, ...]] = (",", ";", "\t", "|")

UPLOAD_NAME: Final = "uploaded file"


def read_source(
    source: str | os.PathLike[str] | bytes | BinaryIO, *, name: str | None = None
) -> tuple[bytes, str]:
    """Return the raw bytes of ``source`` and the file name to use in messages.

    Examples
    --------
    >>> read_source(b"a,b", name="up.csv")
    (b'a,b', 'up.csv')
    """
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), name or UPLOAD_NAME
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        check_regular_file(path)
        return path.read_bytes(), name or str(path)
    data = source.read()
    if isinstance(data, str):  # a text-mode handle: re-encode to keep one code path
        data = data.encode("utf-8")
    return bytes(data), name or str(getattr(source, "name", None) or UPLOAD_NAME)


_KINDS: Final = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_regular_file(path: Path) -> None:
    """Refuse anything but a regular file before reading it.

    A FIFO would block the reader forever and ``/dev/zero`` would be read until memory
    runs out, so only regular files (or symbolic links to one) are read. A missing file
    raises ``FileNotFoundError`` as usual.

    Examples
    --------
    >>> check_regular_file(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: /dev/null: this is a character device, not a regular file. Fix: pass the path of an exported file (to read a stream, save it to a file first).
    """
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise AnnotationDataError(
        f"this is {kind}, not a regular file", file=str(path),
        fix="pass the path of an exported file (to read a stream, save it to a file first)",
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f")
    return "\x00" in sample or controls > max(2, len(sample) // 100)


def decode_text(data: bytes, *, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding used)``.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        File name for error messages.
    encoding : str, optional
        Force this encoding instead of trying the supported ones.

    Raises
    ------
    AnnotationDataError
        For binary content or bytes that none of the encodings can decode.

    Examples
    --------
    >>> decode_text("분류".encode("cp949"), file="ko.csv")
    ('분류', 'cp949')
    >>> decode_text(b"\\xef\\xbb\\xbflabel", file="x.csv")
    ('label', 'utf-8-sig')
    """
    if encoding is not None:
        try:
            is_text = codecs.lookup(encoding)._is_text_encoding
        except LookupError:
            raise AnnotationDataError(
                f"unknown encoding {encoding!r}",
                file=file,
                fix="use an encoding Python knows, e.g. utf-8, cp949, euc-kr or utf-16",
            ) from None
        if not is_text:  # a bytes/str transform such as rot13, base64 or zlib
            raise AnnotationDataError(
                f"{encoding!r} is not a text encoding (it transforms text or bytes)",
                file=file,
                fix="use a text encoding, e.g. utf-8, cp949, euc-kr or utf-16",
            )
        candidates: Sequence[str] = (encoding,)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = ENCODINGS
    first_error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as error:
            first_error = first_error or error
            continue
        if _looks_binary(text):
            break
        return text, candidate
    else:
        # Undecodable bytes full of control characters are a binary file, not a text
        # export in an unexpected encoding: say so rather than suggest an encoding.
        if encoding is None and _looks_binary(data[:4096].decode("latin-1")):
            raise AnnotationDataError(
                "the file holds binary data, not text",
                file=file,
                fix="export the annotations as CSV, Excel, Parquet, JSON or JSONL",
            )
        offset = first_error.start if first_error is not None else 0
        tried = ", ".join(candidates)
        raise AnnotationDataError(
            f"the bytes cannot be decoded as {tried}",
            file=file,
            location=f"line {_line_of(data, offset)}, byte {offset}",
            fix="save the file as UTF-8 (or pass the right encoding with {encoding})",
        )
    raise AnnotationDataError(
        "the file holds binary data, not text",
        file=file,
        fix="export the annotations as CSV, Excel, Parquet, JSON or JSONL",
    )


def sniff_delimiter(text: str, *, candidates: Sequence[str] = DELIMITERS) -> str:
    """Guess the delimiter of a delimited text from its first lines.

    The delimiter that splits the most lines into the same number (above one) of fields
    wins; ties go to the one giving more fields, then to the order of ``candidates``.

    Examples
    --------
    >>> sniff_delimiter("item;annotator;label\\n1;a;x\\n")
    ';'
    >>> sniff_delimiter("item\\tannotator\\tlabel\\n1\\ta\\tx, y\\n")
    '\\t'
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    sample = "\n".join(lines)
    best, best_score = candidates[0], (-1, -1)
    for delimiter in candidates:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        consistent = sum(1 for width in widths if width == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
