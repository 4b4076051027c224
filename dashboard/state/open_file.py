"""The file a visitor has open: its bytes, name, origin and content digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from analysis.base.errors import AnnotationDataError

Origin = Literal["sample", "upload", "label_studio"]


@dataclass(frozen=True)
class OpenFile:
    """An open file: its bytes, its name, where it came from and its SHA-256 digest.

    The digest keys every cache of :mod:`dashboard.state.pipeline`, so two visitors
    opening the same bytes share what is computed from them.
    """

    name: str
    data: bytes = field(repr=False)
    origin: Origin
    digest: str

    @classmethod
    def from_bytes(cls, name: str, data: bytes, *, origin: Origin) -> OpenFile:
        """Wrap bytes, refusing an empty file with a message the user can act on.

        Raises
        ------
        AnnotationDataError
            When ``data`` is empty.
        """
        if not data:
            raise AnnotationDataError(
                "the file is empty", file=name, fix="export the annotations again and upload that file"
            )
        return cls(name=name, data=data, origin=origin, digest=hashlib.sha256(data).hexdigest())
