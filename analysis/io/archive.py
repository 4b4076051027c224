"""Zip members checked before they are read: encryption and compression method.

Python's ``zipfile`` reads stored, Deflate, bzip2 and LZMA members; an encrypted member
raises ``RuntimeError`` (a password is asked for) and Deflate64 (what Windows Explorer
writes for large files), Zstandard or PPMd raise ``NotImplementedError`` when the member
is opened. Every reader of a zip (workbooks, zipped span exports) calls
:func:`check_members` on what it will read, so those become one line naming the member.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import Final

from analysis.base.errors import AnnotationDataError

READABLE: Final = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate",
                   zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
"""Compression methods ``zipfile`` reads."""

METHOD_NAMES: Final = {1: "Shrink", 6: "Implode", 8: "Deflate", 9: "Deflate64", 10: "PKWARE Implode",
                       12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 96: "JPEG",
                       97: "WavPack", 98: "PPMd", 99: "WinZip AES encryption"}
"""Names of the methods of the zip specification (APPNOTE 4.4.5), for messages."""


def check_members(members: Iterable[zipfile.ZipInfo], *, file: str, fix: str) -> None:
    """Refuse an encrypted member, or one compressed with a method that cannot be read.

    Parameters
    ----------
    members : iterable of ZipInfo
        The members that will be read.
    file : str
        The archive, for messages.
    fix : str
        How to give the data another way (e.g. "pass the folder").

    Raises
    ------
    AnnotationDataError
        Naming the first such member and its method.
    """
    for info in members:
        if info.flag_bits & 0x1 or info.compress_type == 99:
            raise AnnotationDataError(
                f"the member {info.filename} is encrypted (password-protected)", file=file,
                fix=f"unzip it with its password and zip the files again without one, or {fix}")
        if info.compress_type not in READABLE:
            method = METHOD_NAMES.get(info.compress_type, "an unknown method")
            raise AnnotationDataError(
                f"the member {info.filename} is compressed with {method} (method "
                f"{info.compress_type}), which cannot be read", file=file,
                fix=f"zip the files again with ordinary (Deflate) compression, or {fix}")
