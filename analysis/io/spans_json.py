"""Span annotations in JSON exports: Label Studio ``labels``, Prodigy ``spans``, doccano.

Each reader turns parsed records into :class:`~analysis.tasks.types.SpanData`; offsets are
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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from analysis.errors import AnnotationDataError
from analysis.io.columns import SYNONYMS, find_column
from analysis.io.label_studio import kept_annotations
from analysis.io.prodigy import kept_answers
from analysis.schema import ANNOTATOR, ITEM
from analysis.tasks.types import SpanData

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
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise AnnotationDataError(
            f"a span offset is not a whole number ({value!r})", file=file, location=where,
            fix="export character offsets (start, end) as integers")
    return int(value)


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
    answers, dropped = kept_answers(records, positions)
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
                    dropped)


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
