"""Several uploaded files read as one export: a span corpus split over files.

A dashboard visitor can select several files at once (crowd span files and the texts
file that goes with them, or a brat collection's ``.txt`` and ``.ann`` files). They are
packed into one in-memory zip, which :func:`analysis.tasks.load.load_task` reads as it
reads a zip the visitor made (no compression: nothing is gained in memory).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import PurePath

from analysis.errors import AnnotationDataError

BUNDLE_SUFFIXES = (".json", ".jsonl", ".txt", ".ann")
"""Files that may be read together: JSON span files and their texts, or brat's pairs."""


def bundle_files(files: Sequence[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One ``(name, bytes)`` export from one or several uploaded files.

    One file is returned unchanged. Several are packed into a zip named after them.

    Parameters
    ----------
    files : sequence of (name, bytes)

    Returns
    -------
    name, data

    Raises
    ------
    AnnotationDataError
        No file, an empty file among several, two files of one name, or several files
        that are not all span files and texts (several tables are not joined).

    Examples
    --------
    >>> name, data = bundle_files([("crowd.jsonl", b'{"docid": 1}'), ("docs.jsonl", b'{"docid": 1}')])
    >>> name, sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    ('crowd.jsonl + docs.jsonl.zip', ['crowd.jsonl', 'docs.jsonl'])
    """
    if not files:
        raise AnnotationDataError("no file was uploaded", fix="choose a file to upload")
    if len(files) == 1:
        return files[0]
    names = [PurePath(name).name for name, _ in files]
    together = " + ".join(names) if len(names) <= 3 else f"{names[0]} + {len(names) - 1} more"
    others = [name for name in names if not name.lower().endswith(BUNDLE_SUFFIXES)]
    if others:
        raise AnnotationDataError(
            f"several files are read together only as one span corpus (JSON span files with "
            f"their texts file, or brat .txt and .ann files); {', '.join(map(repr, others))} "
            "is not one of them", file=together,
            fix="remove the files you do not mean to analyse (× beside each) so that one table "
            "remains, or join the batches into one file")
    seen: set[str] = set()
    for (name, data), short in zip(files, names, strict=True):
        if short in seen:
            raise AnnotationDataError(f"two files are named {short!r}", file=together,
                                      fix="rename one of them, or zip them in folders")
        seen.add(short)
        if not data:
            raise AnnotationDataError("the file is empty", file=name,
                                      fix="export it again, or leave it out")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for (_, data), short in zip(files, names, strict=True):
            archive.writestr(short, data)
    return f"{together}.zip", buffer.getvalue()
