"""Span exports of several files: a folder or ``.zip`` of brat ``.txt``/``.ann`` files;
without ``.ann`` files, JSON files of spans by annotator and their texts file; a zip of one
span table (one span per row) and its texts files."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePath

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import MAX_ARCHIVE_TEXT_BYTES
from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.archive import check_members
from analysis.io.decode import decode_text
from analysis.io.json_export import parse_json_export
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import check_kind, task_report
from analysis.io.spans_json import SpanRead, annotator_spans_of_files, looks_like_annotator_spans
from analysis.io.spans_table import archive_span_table
from analysis.io.spans_text import read_brat, read_texts, texts_from_records
from analysis.messages import note

ARCHIVE_SUFFIXES = (".txt", ".ann", ".json", ".jsonl", ".ndjson", ".csv", ".tsv")
"""Members read from a zipped (or folder) span export: brat's texts and annotations, or
JSON files of spans by annotator and their texts file (JSON, JSON lines or CSV/TSV)."""


def _archive_member(path: str) -> bool:
    parts = PurePath(path).parts
    # macOS's archiver adds "__MACOSX/._name" resource forks beside every file: not data
    return path.endswith(ARCHIVE_SUFFIXES) and "__MACOSX" not in parts and not parts[-1].startswith("._")


def _zip_files(data: bytes, *, file: str) -> dict[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise AnnotationDataError(f"the zip archive cannot be opened ({error})", file=file,
                                  fix="zip the files again, or pass the folder") from None
    with archive:
        members = [info for info in archive.infolist() if _archive_member(info.filename)]
        check_members(members, file=file, fix="pass the folder")
        # checked on the sizes the archive declares, before anything is inflated; a member
        # that inflates past its declared size fails zipfile's own check
        unpacked = sum(info.file_size for info in members)
        limit = MAX_ARCHIVE_TEXT_BYTES.value()
        if unpacked > limit:
            raise AnnotationDataError(
                f"the archive's .txt, .ann and JSON files unpack to {unpacked / 2**20:,.1f} MiB, "
                f"above the limit of {limit / 2**20:,.0f} MiB", file=file,
                fix="split the documents into several archives, or "
                + MAX_ARCHIVE_TEXT_BYTES.raise_hint())
        try:
            return {info.filename: decode_text(archive.read(info), file=f"{file}:{info.filename}")[0]
                    for info in members}
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise AnnotationDataError(f"the zip archive is damaged ({error})", file=file,
                                      fix="zip the brat folder again, or pass the folder") from None


def _folder_files(folder: Path) -> tuple[dict[str, str], list[str]]:
    """The span files of a folder, and a warning when links out of it were not followed.

    Links are followed only where they stay inside the folder: a link to a file or folder
    elsewhere (``ann1/doc.txt -> /etc/passwd``, a link to the home folder) is skipped and
    named, never read.
    """
    root = folder.resolve()
    files: dict[str, str] = {}
    outside: list[str] = []
    for current, subfolders, names in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in subfolders:  # links to folders are not walked; one leading out is named
            link = here / name
            if link.is_symlink():
                target = link.resolve()
                if target == root or root in target.parents:
                    continue
                outside.append(link.relative_to(folder).as_posix())
        for name in names:
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if not _archive_member(relative):
                continue
            target = path.resolve()
            if root not in target.parents:
                outside.append(relative)
                continue
            if not target.is_file():
                continue
            files[relative] = decode_text(target.read_bytes(), file=str(path))[0]
    shown = ", ".join(sorted(outside)[:5]) + (", ..." if len(outside) > 5 else "")
    warnings = [note("load.links_outside", count=len(outside), shown=shown)] if outside else []
    return dict(sorted(files.items())), warnings


def annotator_spans_archive(files: Mapping[str, str], *, file: str,
                            texts: Mapping[str, str] | None = None) -> SpanRead | None:
    """Spans by annotator from the JSON files of an archive or folder, with their texts.

    Every ``.json``/``.jsonl`` member whose records keep spans by annotator is read (e.g.
    a train and a dev split); every other JSON or CSV/TSV member must be a texts file (an
    id and a text per record or row). None when no member holds spans by annotator.

    Parameters
    ----------
    files : mapping
        Member path -> decoded text.
    file : str
        The archive, for messages (members are named ``archive:member``).
    texts : mapping, optional
        Item id -> text given besides the archive.
    """
    companion = {str(k): v for k, v in (texts or {}).items()}
    span_members = []
    for member in sorted(files):
        where = f"{file}:{member}"
        if member.endswith((".csv", ".tsv")):
            companion.update(read_texts(files[member].encode("utf-8"), name=where, encoding="utf-8"))
            continue
        if not member.endswith((".json", ".jsonl", ".ndjson")):
            continue
        parsed = parse_json_export(files[member], file=where,
                                   format=None if member.endswith(".json") else "jsonl")
        if looks_like_annotator_spans(parsed.records):
            span_members.append((where, parsed))
        else:
            companion.update(texts_from_records(parsed.records, parsed.positions, file=where,
                                                unit=parsed.unit))
    if not span_members:
        return None
    return annotator_spans_of_files(span_members, texts=companion, file=file)


def archive_spans(files: dict[str, str], *, file: str, texts: Mapping[str, str] | None,
                  warnings: list[str] | None = None) -> TaskLoad:
    """A folder or zip: brat when it holds ``.ann`` files, else JSON spans by annotator."""
    if not any(path.endswith(".ann") for path in files):
        read = annotator_spans_archive(files, file=file, texts=texts)
        if read is None:
            raise AnnotationDataError(
                "no brat .ann file and no JSON file of spans by annotator was found", file=file,
                fix="zip a brat folder (<doc>.txt and <doc>.ann), or JSON lines of "
                '{"docid", "<span type>": {"<annotator>": [[start, end], ...]}} with their texts')
    else:
        read = read_brat({path: text for path, text in files.items()
                          if path.endswith((".txt", ".ann"))}, file=file)
    return TaskLoad("spans", None, read.data, task_report(read, file=file, task="spans",
                                                          warnings=warnings))


class FolderReader:
    """A folder of brat files, or of JSON spans by annotator and their texts."""

    name = "span-folder"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """1 for a folder."""
        return 1.0 if parsed.folder is not None else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The folder's spans."""
        assert parsed.folder is not None
        check_kind(check_task(options.task), "spans", file=parsed.file)
        files, warnings = _folder_files(parsed.folder)
        return archive_spans(files, file=parsed.file, texts=options.texts, warnings=warnings)


class ZipReader:
    """A ``.zip`` of brat files, of JSON spans by annotator, or of a span table, with texts."""

    name = "span-zip"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """1 for a ``.zip`` file (zip bytes and the extension)."""
        return 1.0 if parsed.data.startswith(b"PK\x03\x04") and parsed.suffix == ".zip" else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The archive's spans."""
        file = parsed.file
        check_kind(check_task(options.task), "spans", file=file)
        table = archive_span_table(parsed.data, file=file, texts=options.texts)
        if table is not None:  # a table of one span per row, with its texts files
            return TaskLoad("spans", None, table.data, task_report(table, file=file, task="spans"))
        return archive_spans(_zip_files(parsed.data, file=file), file=file, texts=options.texts)


PRIORITY = 10
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (FolderReader(), ZipReader())
