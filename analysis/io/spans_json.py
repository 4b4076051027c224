"""Span annotations in JSON exports: Label Studio ``labels``, Prodigy ``spans``, doccano.

Each reader turns parsed records into :class:`~analysis.data.judgements.SpanData`; offsets are
Unicode code points into the item text (end exclusive), checked against the text when the
export carries it. Order of spans in a record does not matter: spans are matched by offsets.

* Label Studio: results whose ``value`` holds ``start``/``end`` and ``labels`` (the
  ``labels`` control); a span with several labels gives one span per label. ``text`` in a
  result may be absent. Results of other controls (``from_name``) are left to their own
  question. An annotation without any span still counts as a judgement (nothing marked).
* Prodigy (``ner_manual``, ``spans.manual``): ``spans`` ``[{start, end, label}]``;
  ``reject`` and ``ignore`` answers are dropped and counted.
* doccano JSONL: ``label: [[start, end, "TYPE"], ...]`` (or ``entities`` with
  ``start_offset``/``end_offset``); the annotator is ``annotator``/``user``/... when present,
  else the file name (doccano writes one file per user).
* Spans by annotator (crowd research exports such as PICO): one record per document,
  an id (``docid``, ``id``, ...) and, under each span type, the annotators' spans
  ``{"Participants": {"worker1": [[start, end], ...], ...}}``; a span may carry its own
  type as a third element. The texts are in the record (``text``) or in a companion
  file (:func:`analysis.io.spans_text.read_texts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import SpanData, span_offset
from analysis.data.schema import ANNOTATOR, ITEM, TEXT
from analysis.io.columns import SYNONYMS, find_column
from analysis.io.json_export import ParsedJson
from analysis.io.label_studio import kept_annotations
from analysis.io.prodigy import kept_answers
from analysis.messages import note

Span = tuple[str, str, int, int, str]


@dataclass
class SpanRead:
    """Spans read from one export, with what the reader dropped and warned about."""

    data: SpanData
    format: str
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    questions: list[dict[str, str]] = field(default_factory=list)
    question: str | None = None


def _offset(value: object, *, file: str, where: str) -> int:
    return span_offset(value, file=file, where=where)


def label_studio_spans(tasks: list[Any], positions: list[int], *, file: str, unit: str,
                       question: str | None) -> SpanRead:
    """Spans of one ``labels`` control (``question``) of a Label Studio export."""
    spans: list[Span] = []
    judged: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    kept, cancelled = kept_annotations(tasks)
    for annotation in kept:
        item, who = annotation.item, annotation.annotator
        if annotation.text is not None:
            texts[item] = annotation.text
        judged.append((item, who))
        where = f"{unit} {positions[annotation.task_index]}"
        for result in annotation.results:
            value = result.get("value")
            if not isinstance(value, Mapping) or "start" not in value:
                continue
            if question is not None and result.get("from_name") != question:
                continue
            labels = value.get("labels") or value.get("hypertextlabels") or []
            start = _offset(value.get("start"), file=file, where=where)
            end = _offset(value.get("end"), file=file, where=where)
            spans.extend((item, who, start, end, str(x)) for x in labels)
    data_ = SpanData.build(spans, judged, texts, file=file, unit="task")
    return SpanRead(data_, "label-studio", {"cancelled": cancelled})


def prodigy_spans(records: list[Any], positions: list[int], *, file: str, unit: str) -> SpanRead:
    """Spans of Prodigy answers (``spans`` lists)."""
    spans: list[Span] = []
    judged: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    answers, dropped, answer_warnings = kept_answers(records, positions)
    for record, position, item, who in answers:
        if isinstance(record.get("text"), str):
            texts[item] = record["text"]
        judged.append((item, who))
        for span in record.get("spans") or []:
            if not isinstance(span, Mapping):
                continue
            where = f"{unit} {position}"
            spans.append((item, who, _offset(span.get("start"), file=file, where=where),
                          _offset(span.get("end"), file=file, where=where),
                          str(span.get("label"))))
    return SpanRead(SpanData.build(spans, judged, texts, file=file, unit="task"), "prodigy",
                    dropped, answer_warnings)


def looks_like_doccano(record: object) -> bool:
    """A doccano sequence-labelling record: ``text`` with ``label`` [[s, e, T]] or ``entities``."""
    if not isinstance(record, Mapping) or not isinstance(record.get("text"), str):
        return False
    labels = record.get("label", record.get("labels"))
    if isinstance(labels, list) and all(isinstance(x, list) and len(x) == 3 for x in labels):
        return bool(labels) or "entities" not in record
    entities = record.get("entities")
    return isinstance(entities, list) and all(
        isinstance(x, Mapping) and "start_offset" in x for x in entities)


def doccano_spans(records: list[Any], positions: list[int], *, file: str,
                  unit: str) -> SpanRead:
    """Spans of a doccano JSONL export."""
    spans: list[Span] = []
    judged: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    default_annotator = PurePath(file).stem or "annotator"
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, Mapping):
            continue
        keys = [k for k, v in record.items() if isinstance(v, str | int)]
        item_key = find_column(keys, SYNONYMS[ITEM])
        who_key = find_column(keys, SYNONYMS[ANNOTATOR])
        item = str(record[item_key]) if item_key else f"{unit} {position}"
        who = str(record[who_key]) if who_key else default_annotator
        texts[item] = record["text"]
        judged.append((item, who))
        where = f"{unit} {position}"
        for entry in record.get("label", record.get("labels")) or []:
            if isinstance(entry, list) and len(entry) == 3:
                spans.append((item, who, _offset(entry[0], file=file, where=where),
                              _offset(entry[1], file=file, where=where), str(entry[2])))
        for entity in record.get("entities") or []:
            if isinstance(entity, Mapping):
                spans.append((item, who,
                              _offset(entity.get("start_offset"), file=file, where=where),
                              _offset(entity.get("end_offset"), file=file, where=where),
                              str(entity.get("label"))))
    return SpanRead(SpanData.build(spans, judged, texts, file=file, unit=unit), "doccano")


def _span_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(span, list) and len(span) in (2, 3) for span in value)


def annotator_span_fields(record: object) -> list[str]:
    """The fields of ``record`` that hold spans by annotator (``{annotator: [[s, e], ...]}``).

    Examples
    --------
    >>> annotator_span_fields({"docid": "7", "Participants": {"w1": [[0, 4]], "w2": []}})
    ['Participants']
    >>> annotator_span_fields({"id": 1, "text": "x", "label": [[0, 1, "A"]]})
    []
    """
    if not isinstance(record, Mapping):
        return []
    return [str(key) for key, value in record.items()
            if isinstance(value, Mapping) and value
            and all(_span_list(spans) for spans in value.values())]


def looks_like_annotator_spans(records: list[Any]) -> bool:
    """Whether the first records keep spans by annotator under span types (PICO-style).

    Records whose span types are all empty are skipped; at least one span must be seen.
    """
    seen = False
    for record in records[:50]:
        if not isinstance(record, Mapping):
            return False
        fields = annotator_span_fields(record)
        if not fields and any(isinstance(v, Mapping) and v for v in record.values()):
            return False
        seen = seen or any(spans for key in fields for spans in record[key].values())
    return seen


@dataclass
class _Collected:
    spans: list[Span] = field(default_factory=list)
    judged: list[tuple[str, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    without_id: int = 0


def _collect(into: _Collected, records: list[Any], positions: list[int], *, file: str,
             unit: str, companion: Mapping[str, str]) -> None:
    for record, position in zip(records, positions, strict=True):
        where = f"{unit} {position}"
        if not isinstance(record, Mapping):
            raise AnnotationDataError("a record is not a JSON object", file=file, location=where,
                                      fix="give one object per document")
        keys = [k for k, v in record.items() if isinstance(v, str | int) and not isinstance(v, bool)]
        item_key = find_column(keys, SYNONYMS[ITEM])
        into.without_id += item_key is None
        item = str(record[item_key]) if item_key else f"{PurePath(file).name} {where}"
        text_key = find_column([k for k, v in record.items() if isinstance(v, str)], SYNONYMS[TEXT])
        if text_key is not None:
            into.texts[item] = record[text_key]
        elif item in companion:
            into.texts[item] = companion[item]
        for kind in annotator_span_fields(record):
            for who, marked in record[kind].items():
                into.judged.append((item, str(who)))
                for span in marked:
                    label = str(span[2]) if len(span) == 3 else kind
                    into.spans.append((item, str(who), _offset(span[0], file=file, where=where),
                                       _offset(span[1], file=file, where=where), label))


def _finish(collected: _Collected, *, file: str) -> SpanRead:
    read = SpanRead(SpanData.build(collected.spans, collected.judged, collected.texts, file=file,
                                   unit="document"), "annotator-spans")
    if collected.without_id:
        read.warnings.append(note("load.records_without_id", count=collected.without_id))
    missing = len(read.data.item_ids) - len(collected.texts)
    if missing:
        read.warnings.append(note("load.documents_without_text_tokens", missing=missing,
                                  documents=len(read.data.item_ids)))
    return read


def annotator_spans(records: list[Any], positions: list[int], *, file: str, unit: str,
                    texts: Mapping[str, str] | None = None) -> SpanRead:
    """Spans of an export that keeps each annotator's spans under a span type.

    Parameters
    ----------
    records, positions
        Parsed records and their line (or element) numbers.
    file, unit
        For messages.
    texts : mapping, optional
        Item id -> text from a companion file; a record's own ``text`` wins.

    Examples
    --------
    >>> records = [{"docid": "7", "Participants": {"w1": [[0, 3]], "w2": [[0, 3], [4, 7]]}}]
    >>> read = annotator_spans(records, [1], file="crowd.jsonl", unit="line",
    ...                        texts={"7": "Kim ran"})
    >>> read.data.spans.values.tolist()
    [['7', 'w1', 0, 3, 'Participants'], ['7', 'w2', 0, 3, 'Participants'], ['7', 'w2', 4, 7, 'Participants']]
    """
    collected = _Collected()
    _collect(collected, records, positions, file=file, unit=unit,
             companion={str(k): v for k, v in (texts or {}).items()})
    return _finish(collected, file=file)


def annotator_spans_of_files(members: Sequence[tuple[str, ParsedJson]], *,
                             texts: Mapping[str, str], file: str) -> SpanRead:
    """Spans by annotator from several JSON files read as one export (the members of an
    archive or folder, e.g. a train and a dev split), with the texts of all of them.

    Parameters
    ----------
    members : sequence of (str, ParsedJson)
        Each file's name for messages (``archive:member``) and its parsed records.
    texts : mapping
        Item id -> text from the texts files; a record's own ``text`` wins.
    file : str
        The archive or folder, for messages.
    """
    collected = _Collected()
    companion = {str(k): v for k, v in texts.items()}
    for where, parsed in members:
        _collect(collected, parsed.records, parsed.positions, file=where, unit=parsed.unit,
                 companion=companion)
    return _finish(collected, file=file)
