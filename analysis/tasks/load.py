"""``load_task``: any export in, its task type and the task's canonical data out.

Detection (``task=None``), in order:

* a folder or ``.zip`` of ``.txt``/``.ann`` files: brat, ``spans``; without ``.ann``
  files, JSON files of spans by annotator and their texts file, ``spans``;
* ``.conll``/``.bio``/``.iob``/``.bioes`` files: CoNLL/BIO columns, ``spans``;
* Label Studio: one question (``from_name``) is analysed, the one named by ``question``
  or else the first; a ``labels`` control gives ``spans``, a ``choices`` control
  ``multi_label`` when any annotation chose several values, else ``single_label``; a
  ``rating`` control (stars) ``single_label``, the number of stars as the label;
* Prodigy: ``spans`` lists give ``spans``; ``accept`` lists with several values
  ``multi_label``;
* doccano JSONL (``label: [[start, end, "TYPE"]]``): ``spans``;
* spans by annotator under span types (``{"docid", "Participants": {"w1": [[s, e]]}}``,
  crowd research exports), alone, with ``texts``, or zipped with a texts file: ``spans``;
* tables (CSV/TSV/Parquet) of one span per row, with document, annotator, ``start`` and
  ``end`` columns (:mod:`analysis.io.spans_table`), alone, with ``texts``, or zipped with a
  texts file: ``spans``;
* tables: ``multi_label`` with ``label_sep``, or when rows repeat an (item, annotator)
  with different labels and no timestamp says which is current; else ``single_label``.

``single_label`` data goes through :func:`analysis.io.load_annotations` unchanged.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import MAX_ARCHIVE_TEXT_BYTES
from analysis.data.judgements import MultiLabelData, SpanData, TaskType, check_task
from analysis.data.schema import LABEL as LABEL_COLUMN
from analysis.io import ColumnMapping, LoadResult, load_annotations
from analysis.io.archive import check_members
from analysis.io.decode import decode_text, read_source
from analysis.io.json_export import ParsedJson, read_json_export
from analysis.io.label_studio import looks_like_label_studio
from analysis.io.multilabel import (
    MultiLabelRead,
    has_label_sets,
    label_list,
    label_list_field,
    label_studio_sets,
    prodigy_sets,
    read_table_mapped,
    record_sets,
    table_sets,
)
from analysis.io.prodigy import looks_like_prodigy
from analysis.io.spans_json import (
    SpanRead,
    annotator_spans,
    annotator_spans_archive,
    doccano_spans,
    label_studio_spans,
    looks_like_annotator_spans,
    looks_like_doccano,
    prodigy_spans,
)
from analysis.io.spans_table import archive_span_table, looks_like_span_table, read_span_table
from analysis.io.spans_text import read_brat, read_conll

CONLL_SUFFIXES = (".conll", ".conllu", ".bio", ".iob", ".iob2", ".bioes")
SPAN_TYPES = ("labels", "hypertextlabels")
JSON_FORMATS = (None, "auto", "label-studio", "prodigy", "json", "jsonl")
"""Formats under which a JSON export's parsed records are read (as the single-label loader does)."""


@dataclass(frozen=True, eq=False)
class TaskLoad:
    """A loaded export of any task type.

    Attributes
    ----------
    task : {"single_label", "multi_label", "spans"}
    single : LoadResult or None
        The canonical table and its report (``single_label`` only).
    data : MultiLabelData or SpanData or None
        The task's canonical data (``multi_label`` and ``spans``).
    report : dict
        The load report (``LoadReport.to_dict()`` for ``single_label``), with ``task``,
        and for Label Studio ``questions`` and ``question``.
    """

    task: TaskType
    single: LoadResult | None
    data: MultiLabelData | SpanData | None
    report: dict[str, Any]

    def to_text(self) -> str:
        """Human-readable load report (the ``validate`` command's text output).

        Examples
        --------
        >>> csv = "item,annotator,labels\\n1,a,x|y\\n1,b,x\\n".encode()
        >>> print(load_task(csv, name="tags.csv", label_sep="|").to_text())
        File:        tags.csv
        Format:      csv
        Task:        multi_label
        Kept:        2 judgements on 1 items by 2 annotators (0 empty sets)
        Labels:      2: x (2), y (1)
        Dropped:     0
        """
        if self.single is not None:
            return self.single.report.to_text()
        report = self.report
        kept = (f"{report['judgements']} judgements on {report['items']} items by "
                f"{report['annotators']} annotators")
        if self.task == "spans":
            kept = (f"{report['spans']} spans in {report['judgements']} judgements on "
                    f"{report['items']} documents by {report['annotators']} annotators; "
                    f"texts for {report['items_with_text']} documents")
        else:
            kept += f" ({report['empty_sets']} empty sets)"
        counts = report.get("label_counts") or {}
        dropped = report.get("dropped") or {}
        lines = [f"File:        {report['file']}", f"Format:      {report['format']}",
                 f"Task:        {self.task}", f"Kept:        {kept}",
                 f"Labels:      {len(counts)}: "
                 + ", ".join(f"{label} ({count})" for label, count in counts.items()),
                 f"Dropped:     {sum(dropped.values())}"]
        lines += [f"  - {count} {reason}" for reason, count in dropped.items()]
        if report.get("warnings"):
            lines.append("Warnings:")
            lines += [f"  - {warning}" for warning in report["warnings"]]
        return "\n".join(lines)


def label_studio_questions(tasks: list[Any]) -> list[dict[str, Any]]:
    """The questions (controls) of a Label Studio export, in order of first appearance.

    Examples
    --------
    >>> task = {"data": {"text": "x"}, "annotations": [{"result": [
    ...     {"from_name": "sentiment", "to_name": "text", "type": "choices",
    ...      "value": {"choices": ["Positive", "Sarcasm"]}}]}]}
    >>> label_studio_questions([task])
    [{'name': 'sentiment', 'type': 'choices', 'to_name': 'text', 'results': 1, 'max_values': 2}]
    """
    found: dict[str, dict[str, Any]] = {}
    for task in tasks:
        if not isinstance(task, Mapping):
            continue
        for annotation in task.get("annotations") or task.get("completions") or []:
            if not isinstance(annotation, Mapping):
                continue
            per_question: Counter[str] = Counter()
            for result in annotation.get("result") or []:
                if not isinstance(result, Mapping) or "from_name" not in result:
                    continue
                value = result.get("value") if isinstance(result.get("value"), Mapping) else {}
                name = str(result["from_name"])
                kind = str(result.get("type") or ("labels" if "start" in value else
                                                  "rating" if "rating" in value else "choices"))
                entry = found.setdefault(name, {"name": name, "type": kind,
                                                "to_name": str(result.get("to_name", "")),
                                                "results": 0, "max_values": 0})
                entry["results"] += 1
                choices = value.get("choices")
                if isinstance(choices, list):
                    per_question[name] += len(choices)
                elif "rating" in value:
                    per_question[name] += 1
            for name, count in per_question.items():
                found[name]["max_values"] = max(found[name]["max_values"], count)
    return list(found.values())


def _restrict(tasks: list[Any], question: str) -> list[Any]:
    """The tasks with every annotation's results restricted to one question."""
    out = []
    for task in tasks:
        if isinstance(task, Mapping):
            task = dict(task)
            key = "annotations" if "annotations" in task else "completions"
            task[key] = [
                {**a, "result": [r for r in a.get("result") or []
                                 if isinstance(r, Mapping) and r.get("from_name") == question]}
                if isinstance(a, Mapping) else a for a in task.get(key) or []]
        out.append(task)
    return out


SET_SEPARATORS = ("|", ";")
"""Separators tried, in order, when a plural label column joins several labels per cell."""


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
    warnings = ([f"{len(outside)} link(s) lead out of the folder and were not followed: "
                 + ", ".join(sorted(outside)[:5]) + (", ..." if len(outside) > 5 else "")]
                if outside else [])
    return dict(sorted(files.items())), warnings


def _archive_spans(files: dict[str, str], *, file: str, texts: Mapping[str, str] | None,
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
    return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans",
                                                      warnings=warnings))


def _report(read: SpanRead | MultiLabelRead, *, file: str, task: TaskType,
            questions: list[dict[str, Any]] | None = None,
            question: str | None = None, warnings: list[str] | None = None) -> dict[str, Any]:
    data = read.data
    report: dict[str, Any] = {"file": file, "format": read.format, "task": task}
    if isinstance(data, SpanData):
        report.update(items=len(data.item_ids), annotators=len(data.annotators),
                      judgements=len(data.judgements), spans=len(data.spans),
                      label_counts={str(k): int(v) for k, v in
                                    data.spans["label"].value_counts().items()},
                      items_with_text=sum(1 for i in data.item_ids if i in data.texts))
    else:
        counts = data.present.sum(axis=0)
        report.update(items=data.n_items, annotators=len(data.annotators),
                      judgements=len(data.item), label_counts={
                          label: int(c) for label, c in sorted(
                              zip(data.labels, counts, strict=True), key=lambda x: -x[1])},
                      empty_sets=int((data.present.sum(axis=1) == 0).sum()))
    report["dropped"] = {k: v for k, v in read.dropped.items() if v}
    report["warnings"] = [*(warnings or []), *read.warnings]
    if questions is not None:
        report["questions"] = questions
        report["question"] = question
    return report


def _check_kind(task: TaskType | None, found: TaskType, *, file: str) -> None:
    if task is not None and task != found and not (task == "multi_label"
                                                   and found == "single_label"):
        raise AnnotationDataError(
            f"{{task}} {task} was asked but the export holds {found.replace('_', '-')} "
            "annotations", file=file, fix=f"set {{task}} to {found}, or {{question}} to another "
            "question of a Label Studio project")


def _label_studio(tasks: list[Any], *, file: str, task: TaskType | None,
                  question: str | None) -> tuple[TaskType, Any, dict[str, Any]]:
    questions = label_studio_questions(tasks)
    names = [q["name"] for q in questions]
    warnings: list[str] = []
    if question is not None and question not in names:
        raise AnnotationDataError(
            f"the project has no question {question!r}; its questions are "
            f"{', '.join(names) or 'none'}", file=file, fix="set {question} to one of them")
    usable = [q for q in questions if q["type"] in (*SPAN_TYPES, "choices", "rating")]
    if question is None and usable:
        question = usable[0]["name"]
        if len(questions) > 1:
            warnings.append(f"the project has {len(questions)} questions "
                            f"({', '.join(names)}); analysing {question!r} (the 'question' "
                            "option picks another)")
    chosen = next((q for q in questions if q["name"] == question), None)
    found: TaskType
    if chosen is not None and chosen["type"] in SPAN_TYPES:
        found = "spans"
    elif chosen is not None and chosen["max_values"] > 1:
        found = "multi_label"
    else:
        found = "single_label"
    if task == "spans" and chosen is None:
        found = "spans"
    _check_kind(task, found, file=file)
    found = task or found
    if found == "spans":
        read: SpanRead | MultiLabelRead = label_studio_spans(
            tasks, list(range(1, len(tasks) + 1)), file=file, unit="task", question=question)
    elif found == "multi_label":
        read = label_studio_sets(tasks, question=question)
    else:
        restricted = _restrict(tasks, question) if question and len(questions) > 1 else None
        return found, restricted, {"questions": questions, "question": question,
                                   "warnings": warnings}
    return found, read, _report(read, file=file, task=found, questions=questions,
                                question=question, warnings=warnings)


def load_task(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    task: str | None = None,
    question: str | None = None,
    label_sep: str | None = None,
    format: str | None = None,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    label_merges: Mapping[str, str] | None = None,
    parsed: ParsedJson | None = None,
    texts: Mapping[str, str] | None = None,
) -> TaskLoad:
    """Read an export of any task type; see the module notes for detection.

    Parameters
    ----------
    source : path (file or brat folder), bytes or binary file-like
    name : str, optional
        File name for messages and extension hints.
    task : {"single_label", "multi_label", "spans"}, optional
        Override detection.
    question : str, optional
        Label Studio control (``from_name``) to analyse.
    label_sep : str, optional
        Separator of several labels in one cell (multi-label tables).
    format, mapping, encoding, delimiter, sheet, label_merges
        As for :func:`analysis.io.load_annotations`.
    parsed : ParsedJson, optional
        The export's records when the caller parsed them already
        (:func:`analysis.io.json_export.read_json_export`); a JSON export is otherwise
        parsed here, once, and its records handed to the single-label loader.
    texts : mapping, optional
        Item id -> text for span exports that keep only offsets (spans by annotator; see
        :func:`analysis.io.spans_texts.read_texts`); a text in the export itself wins.

    Returns
    -------
    TaskLoad

    Examples
    --------
    >>> csv = "item,annotator,labels\\n1,a,x|y\\n1,b,x\\n".encode()
    >>> loaded = load_task(csv, name="tags.csv", label_sep="|")
    >>> loaded.task, loaded.data.labels
    ('multi_label', ('x', 'y'))
    """
    wanted = check_task(task)
    if isinstance(source, str | os.PathLike) and Path(source).is_dir():
        file = name or str(source)
        _check_kind(wanted, "spans", file=file)
        files, warnings = _folder_files(Path(source))
        return _archive_spans(files, file=file, texts=texts, warnings=warnings)
    data, file = read_source(source, name=name)
    suffix = PurePath(file).suffix.casefold()
    if data.startswith(b"PK\x03\x04") and suffix == ".zip":
        _check_kind(wanted, "spans", file=file)
        table = archive_span_table(data, file=file, texts=texts)
        if table is not None:  # a table of one span per row, with its texts files
            return TaskLoad("spans", None, table.data, _report(table, file=file, task="spans"))
        return _archive_spans(_zip_files(data, file=file), file=file, texts=texts)
    if suffix in CONLL_SUFFIXES:
        _check_kind(wanted, "spans", file=file)
        read = read_conll(decode_text(data, file=file, encoding=encoding)[0], file=file)
        return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans"))
    if (wanted in (None, "spans") and format in (None, "auto", "csv", "parquet")
            and looks_like_span_table(data, name=file)):
        read = read_span_table(data, file=file, texts=texts, encoding=encoding, delimiter=delimiter)
        return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans"))
    if parsed is None:
        parsed = read_json_export(data, file=file, encoding=encoding,
                                  format="jsonl" if format == "jsonl" else None)
    if parsed is not None and parsed.records and format in JSON_FORMATS:
        records = parsed.records
        first = records[0]
        positions = list(range(1, len(records) + 1))
        if looks_like_label_studio(first) and format != "prodigy":
            found, read_or_records, extra = _label_studio(records, file=file, task=wanted,
                                                          question=question)
            if found != "single_label":
                return TaskLoad(found, None, read_or_records.data, extra)
            assert parsed is not None
            single = load_annotations(
                data, name=file, format=format, encoding=encoding, label_merges=label_merges,
                parsed=parsed if read_or_records is None else parsed.with_records(read_or_records))
            report = {**single.report.to_dict(), "task": "single_label",
                      "questions": extra["questions"], "question": extra["question"]}
            report["warnings"] = [*extra["warnings"], *report.get("warnings", [])]
            return TaskLoad("single_label", single, None, report)
        if looks_like_prodigy(first) or format == "prodigy":
            if wanted == "spans" or (wanted is None and any(
                    isinstance(r, Mapping) and "spans" in r for r in records)):
                read = prodigy_spans(records, positions, file=file, unit="line")
                return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans"))
            if wanted == "multi_label" or (wanted is None and any(
                    isinstance(r, Mapping) and isinstance(r.get("accept"), list)
                    and len(r["accept"]) > 1 for r in records)):
                ml = prodigy_sets(records)
                return TaskLoad("multi_label", None, ml.data,
                                _report(ml, file=file, task="multi_label"))
        elif looks_like_doccano(first) and wanted in (None, "spans"):
            read = doccano_spans(records, positions, file=file, unit="line")
            return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans"))
        elif looks_like_annotator_spans(records) and wanted in (None, "spans"):
            read = annotator_spans(records, parsed.positions, file=file, unit=parsed.unit,
                                   texts=texts)
            return TaskLoad("spans", None, read.data, _report(read, file=file, task="spans"))
        elif (mapping is None and label_sep is None
              and (column := label_list_field(records)) is not None
              and (wanted == "multi_label" or (wanted is None and any(
                  isinstance(r, Mapping) and len(label_list(r.get(column)) or []) > 1
                  for r in records)))):
            # labels as JSON lists (doccano, Label Studio JSON-MIN), several in a judgement:
            # label sets (lists of one label are unwrapped by the single-label loader)
            ml = record_sets(records, column, file=file)
            return TaskLoad("multi_label", None, ml.data, _report(ml, file=file, task="multi_label"))
    if wanted == "spans":
        raise AnnotationDataError(
            "spans are read from Label Studio, Prodigy and doccano JSON, JSON of spans by "
            "annotator, tables of one span per row (document, annotator, start, end), brat "
            "folders or zips, and CoNLL/BIO files; this export is none of them",
            file=file,
            fix="export the spans in one of those formats")
    if wanted == "multi_label" or label_sep:
        mapped, layout = read_table_mapped(data, file=file, mapping=mapping, encoding=encoding,
                                           delimiter=delimiter, sheet=sheet, label_sep=label_sep)
        ml = table_sets(mapped, layout, label_sep=label_sep, file=file)
        return TaskLoad("multi_label", None, ml.data, _report(ml, file=file, task="multi_label"))
    try:
        single = load_annotations(data, name=file, format=format, mapping=mapping,
                                  encoding=encoding, delimiter=delimiter, sheet=sheet,
                                  label_merges=label_merges,
                                  parsed=parsed if format in (*JSON_FORMATS, "wide") else None)
    except AnnotationDataError as error:
        if wanted is None and "holds several labels in" in error.problem:
            # label lists in a typed column (Parquet list<string>): label sets
            mapped, layout = read_table_mapped(data, file=file, mapping=mapping, encoding=encoding,
                                               delimiter=delimiter, sheet=sheet)
            ml = table_sets(mapped, layout, label_sep=None, file=file)
            warning = ("the label column holds lists of labels: read as multi-label; set the "
                       "'task' option to single_label to refuse")
            return TaskLoad("multi_label", None, ml.data,
                            _report(ml, file=file, task="multi_label", warnings=[warning]))
        if wanted is None and mapping is None and "no column for label" in error.problem:
            found = _separated_sets(data, file=file, encoding=encoding, delimiter=delimiter,
                                    sheet=sheet)
            if found is not None:
                return found
        if wanted is not None or "conflicting labels" not in error.problem:
            raise
        mapped, layout = read_table_mapped(data, file=file, mapping=mapping, encoding=encoding,
                                           delimiter=delimiter, sheet=sheet)
        if "timestamp" in mapped.frame.columns or not has_label_sets(mapped.frame):
            raise
        ml = table_sets(mapped, layout, label_sep=None, file=file)
        warning = ("rows repeat an item and annotator with different labels: read as a "
                   "multi-label table (one row per chosen label); set the 'task' option "
                   "to single_label to refuse")
        return TaskLoad("multi_label", None, ml.data,
                        _report(ml, file=file, task="multi_label", warnings=[warning]))
    return TaskLoad("single_label", single, None,
                    {**single.report.to_dict(), "task": "single_label"})


def _separated_sets(data: bytes, *, file: str, encoding: str | None, delimiter: str | None,
                    sheet: str | int | None) -> TaskLoad | None:
    """A long table whose only label column has a plural name (``tags``, ``labels``...) and
    whose cells join several labels with one separator: read as multi-label, said in a warning.
    """
    try:
        mapped, layout = read_table_mapped(data, file=file, mapping=None, encoding=encoding,
                                           delimiter=delimiter, sheet=sheet)
    except AnnotationDataError:
        return None
    if layout == "wide" or LABEL_COLUMN not in mapped.frame.columns:
        return None
    cells = mapped.frame[LABEL_COLUMN].dropna().astype(str)
    for separator in SET_SEPARATORS:
        if cells.str.contains(separator, regex=False).any():
            ml = table_sets(mapped, layout, label_sep=separator, file=file)
            warning = (f"the label column holds several labels joined by {separator!r}: read as "
                       "multi-label; set the 'task' option to single_label to read each cell as "
                       "one label")
            return TaskLoad("multi_label", None, ml.data,
                            _report(ml, file=file, task="multi_label", warnings=[warning]))
    return None
