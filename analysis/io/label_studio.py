"""Label Studio JSON export: tasks with ``data`` and ``annotations``.

One judgement per (task, annotation). The item is the id imported with the task
(``data.item_id``, ``data.id``, ... by the synonym table), else the task ``id``; the text
is ``data.text`` (or a synonym), else the first string in ``data``. The label is the annotation's ``choices``
(several choices are joined with ``|`` and a warning; one choice written as a string is
that choice) or its ``Rating`` (``value.rating``, the number of stars as a label: ``"4"``,
ordered as numbers at ordinal level); the annotator is
``completed_by`` (an id, or an object whose ``email`` is used); the time is
``updated_at``, else ``created_at``. Cancelled annotations (``was_cancelled``) are
skipped and counted. Model ``predictions`` that choose a label are read as judgements of
a model annotator named by their ``model_version`` (``prediction N`` without one), marked
as models in the load report (:mod:`analysis.io.annotator_kinds`); predictions without a
choice are not judgements and are left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ANNOTATOR, ITEM, LABEL, TEXT, TIMESTAMP
from analysis.io.annotator_kinds import LABEL_STUDIO_PREDICTIONS
from analysis.io.columns import ANNOTATOR_KIND, SYNONYMS, find_column
from analysis.io.long import Mapped
from analysis.messages import note

MULTI_CHOICE_SEPARATOR = "|"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def looks_like_label_studio(record: object) -> bool:
    """Whether a JSON record is a Label Studio task."""
    return isinstance(record, dict) and "data" in record and (
        "annotations" in record or "completions" in record
    )


def _annotator(value: object) -> str | None:
    if isinstance(value, Mapping):
        for key in ("email", "username", "id"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return None
    return None if value is None else str(value)


def _text(data: Mapping[str, Any]) -> str | None:
    key = find_column([k for k in data if isinstance(data[k], str)], SYNONYMS[TEXT])
    if key is not None:
        return data[key]
    return next((value for value in data.values() if isinstance(value, str)), None)


def _item(task: Mapping[str, Any], data: Mapping[str, Any], number: int) -> object:
    """The item id imported with the task (``data.item_id`` etc.), else the task id."""
    key = find_column([k for k in data if isinstance(data[k], str | int)], SYNONYMS[ITEM])
    if key is not None:
        return data[key]
    return task.get("id", number)


@dataclass(frozen=True)
class KeptAnnotation:
    """One annotation of a Label Studio export that was not cancelled."""

    task_index: int
    """Position of its task in the export (0-based), for messages."""
    item: str
    annotator: str
    """``completed_by`` (email, username or id), else ``annotation N`` within the task."""
    text: str | None
    results: list[Mapping[str, Any]]


def kept_annotations(tasks: list[Any]) -> tuple[list[KeptAnnotation], int]:
    """The annotations of a Label Studio export that were not cancelled, and how many were.

    Examples
    --------
    >>> tasks = [{"id": 7, "data": {"text": "hi"}, "annotations": [
    ...     {"completed_by": 1, "result": []}, {"was_cancelled": True}]}]
    >>> kept, cancelled = kept_annotations(tasks)
    >>> (kept[0].item, kept[0].annotator, kept[0].text, cancelled)
    ('7', '1', 'hi', 1)
    """
    kept: list[KeptAnnotation] = []
    cancelled = 0
    for index, task in enumerate(tasks):
        if not isinstance(task, Mapping):
            continue
        data = task.get("data") if isinstance(task.get("data"), Mapping) else {}
        item, text = str(_item(task, data, index + 1)), _text(data)
        for number, annotation in enumerate(task.get("annotations") or
                                            task.get("completions") or [], start=1):
            if not isinstance(annotation, Mapping):
                continue
            if annotation.get("was_cancelled"):
                cancelled += 1
                continue
            who = _annotator(annotation.get("completed_by")) or f"annotation {number}"
            results = [r for r in annotation.get("result") or [] if isinstance(r, Mapping)]
            kept.append(KeptAnnotation(index, item, who, text, results))
    return kept, cancelled


def rating_label(value: object) -> str | None:
    """A ``Rating`` control's ``value.rating`` as a label (``4`` and ``4.0`` both ``"4"``),
    or None when it is not a number.

    Examples
    --------
    >>> rating_label(4), rating_label(4.0), rating_label(3.5), rating_label(" 4 "), rating_label(True)
    ('4', '4', '3.5', '4', None)
    """
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _choices(results: object) -> tuple[list[str], set[str]]:
    """Chosen labels (``value.choices``, or a ``Rating`` control's ``value.rating``) and the
    control names (``from_name``) they came from."""
    chosen: list[str] = []
    controls: set[str] = set()
    for result in results if isinstance(results, list) else []:
        value = result.get("value") if isinstance(result, Mapping) else None
        choices = value.get("choices") if isinstance(value, Mapping) else None
        if isinstance(choices, str):  # one choice written as text, not as a list of one
            choices = [choices]
        if isinstance(value, Mapping) and "rating" in value:
            rating = rating_label(value["rating"])
            choices = None if rating is None else [rating]
        if isinstance(choices, list):
            if not controls or result.get("from_name") in controls:
                chosen.extend(str(choice) for choice in choices if choice not in (None, ""))
            controls.add(str(result.get("from_name")))
    return chosen, controls


def _rated(results: object) -> bool:
    """Whether the first control of ``results`` that gives a label is a ``Rating``."""
    for result in results if isinstance(results, list) else []:
        value = result.get("value") if isinstance(result, Mapping) else None
        if isinstance(value, Mapping) and ("rating" in value or "choices" in value):
            return "rating" in value
    return False


def _predictions(task: Mapping[str, Any], item: object,
                 text: str | None) -> tuple[list[dict[str, object]], int]:
    """The task's model predictions that choose a label, as rows of a model annotator, and
    how many chose several labels."""
    predictions = task.get("predictions")
    rows: list[dict[str, object]] = []
    multi = 0
    for number, prediction in enumerate(predictions if isinstance(predictions, list) else [],
                                        start=1):
        if not isinstance(prediction, Mapping):
            continue
        chosen, _ = _choices(prediction.get("result"))
        if not chosen:
            continue
        multi += len(chosen) > 1
        version = prediction.get("model_version")
        rows.append({
            ITEM: item,
            ANNOTATOR: f"prediction {number}" if version in (None, "") else str(version),
            LABEL: MULTI_CHOICE_SEPARATOR.join(chosen),
            TEXT: text,
            TIMESTAMP: prediction.get("updated_at") or prediction.get("created_at"),
            ANNOTATOR_KIND: "model",
        })
    return rows, multi


def read_label_studio(tasks: list[Any], positions: list[int], *, file: str, unit: str) -> Mapped:
    """Judgements of a Label Studio export (a list of tasks)."""
    rows: list[dict[str, object]] = []
    where: list[int] = []
    cancelled = multi = other_controls = 0
    rated = False
    for number, (task, position) in enumerate(zip(tasks, positions, strict=True), start=1):
        if not looks_like_label_studio(task):
            raise AnnotationDataError(
                "this is not a Label Studio task (no 'data' and 'annotations')",
                file=file, location=f"{unit} {position}",
                fix="export the project from Label Studio as JSON, or pass {input_format} json",
            )
        data = task["data"] if isinstance(task["data"], Mapping) else {}
        item = _item(task, data, number)
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            raise AnnotationDataError(
                "'annotations' is not a list", file=file, location=f"{unit} {position}",
                fix="export the project from Label Studio again",
            )
        for annotation in annotations:
            if not isinstance(annotation, Mapping):
                continue
            if annotation.get("was_cancelled"):
                cancelled += 1
                continue
            chosen, controls = _choices(annotation.get("result"))
            rated = rated or _rated(annotation.get("result"))
            other_controls += len(controls) > 1
            multi += len(chosen) > 1
            rows.append({
                ITEM: item,
                ANNOTATOR: _annotator(annotation.get("completed_by")),
                LABEL: MULTI_CHOICE_SEPARATOR.join(chosen) if chosen else None,
                TEXT: _text(data),
                TIMESTAMP: annotation.get("updated_at") or annotation.get("created_at"),
                ANNOTATOR_KIND: "human",
            })
            where.append(position)
        predicted, multi_predicted = _predictions(task, item, _text(data))
        multi += multi_predicted
        rows.extend(predicted)
        where.extend([position] * len(predicted))
    warnings = []
    if multi:
        warnings.append(note("load.multi_chosen", count=multi, separator=MULTI_CHOICE_SEPARATOR))
    if other_controls:
        warnings.append(note("load.several_controls", count=other_controls))
    frame = pd.DataFrame(rows, columns=[ITEM, ANNOTATOR, LABEL, TEXT, TIMESTAMP, ANNOTATOR_KIND])
    mapping = {ITEM: "data.item_id|id", ANNOTATOR: "annotations[].completed_by",
               LABEL: f"annotations[].result[].value.{'rating' if rated else 'choices'}", TEXT: "data.text",
               TIMESTAMP: "annotations[].updated_at|created_at"}
    if (frame[ANNOTATOR_KIND] == "model").any():
        mapping[ANNOTATOR] += "|predictions[].model_version"
        mapping[ANNOTATOR_KIND] = LABEL_STUDIO_PREDICTIONS
    else:
        frame = frame.drop(columns=ANNOTATOR_KIND)
    return Mapped(frame, np.asarray(where, dtype=np.int64), unit, mapping,
                  rows_read=len(rows) + cancelled, dropped={"cancelled": cancelled},
                  warnings=tuple(warnings))
