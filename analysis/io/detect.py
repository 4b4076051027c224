"""Which container a source is: by its leading bytes first, then by its file extension."""

from __future__ import annotations

from pathlib import PurePath
from typing import Final, Literal

from analysis.base.errors import AnnotationDataError

Container = Literal["excel", "parquet", "text"]

FORMATS: Final[tuple[str, ...]] = (
    "csv", "excel", "parquet", "json", "jsonl", "wide", "label-studio", "prodigy", "mturk",
)
"""Every format ``load_annotations`` reads; ``format=None`` (or ``"auto"``) detects it."""

EXCEL_EXTENSIONS: Final = (".xlsx", ".xlsm")
PARQUET_EXTENSIONS: Final = (".parquet", ".pq")
LEGACY_EXCEL_MAGIC: Final = b"\xd0\xcf\x11\xe0"


def check_format(format: str | None, *, file: str) -> str | None:
    """Validate an explicit format name; ``"auto"`` means ``None``.

    Examples
    --------
    >>> check_format("auto", file="x") is None
    True
    """
    if format is None or format == "auto":
        return None
    if format not in FORMATS:
        raise AnnotationDataError(
            f"the format {format!r} is unknown; known formats: auto, {', '.join(FORMATS)}",
            file=file,
            fix="pass one of the known formats, or leave it to detection",
        )
    return format


def detect_container(data: bytes, *, file: str, format: str | None) -> Container:
    """Decide between Excel, Parquet and text from the bytes, the format and the name.

    Examples
    --------
    >>> detect_container(b"PAR1....", file="upload", format=None)
    'parquet'
    >>> detect_container(b"item,label", file="a.csv", format=None)
    'text'
    """
    suffix = PurePath(file).suffix.casefold()
    if data.startswith(LEGACY_EXCEL_MAGIC) or suffix == ".xls":
        raise AnnotationDataError(
            "old-style .xls workbooks are not read",
            file=file,
            fix="save the workbook as .xlsx (or CSV UTF-8) and load that",
        )
    any_container = format in (None, "wide", "mturk")
    if format == "excel" or (any_container and (
            data.startswith(b"PK\x03\x04") or suffix in EXCEL_EXTENSIONS)):
        return "excel"
    if format == "parquet" or (any_container and (
            data.startswith(b"PAR1") or suffix in PARQUET_EXTENSIONS)):
        return "parquet"
    return "text"
