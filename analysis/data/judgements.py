"""Canonical forms of the multi-label and span tasks.

``single_label`` data is the canonical table of :mod:`analysis.data.schema`. The two other task
types each have one canonical form, built by the loaders and read by every analysis:

* :class:`MultiLabelData`: one row per (item, annotator) judgement holding a *set* of
  labels (possibly empty), stored as a boolean judgement × label matrix.
* :class:`SpanData`: the judgements (which annotator read which document, including those
  who marked nothing) plus one row per span ``(item, annotator, start, end, label)`` with
  offsets in Unicode code points into the item text, end exclusive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError

TaskType = Literal["single_label", "multi_label", "spans"]
TASKS: Final[tuple[str, ...]] = ("single_label", "multi_label", "spans")



class TaskData(Protocol):
    """What a task type's judgements give the dataset: the task's name and the
    (item, annotator, label) table of who judged what, one row per judgement.

    :class:`MultiLabelData` and :class:`SpanData` are the built-in ones; a task type of
    its own (:func:`analysis.report.task_registry.register_task`) brings its own class.
    """

    task: ClassVar[str]

    def judgement_table(self) -> pd.DataFrame:
        """One row per judgement: ``item_id``, ``annotator``, ``label``."""
        ...


SPAN_COLUMNS: Final[tuple[str, ...]] = ("item_id", "annotator", "start", "end", "label")

MAX_SPAN_OFFSET: Final = 2**31 - 1
"""Largest character offset read (no text that long is read within the input limits);
larger ones, NaN and infinities are refused where they are read. Fixed."""

_OFFSET_FIX = "export character offsets (start, end) as whole numbers within the text"


def _shown_offset(value: object) -> str:
    """An offset for a message: a number of thousands of digits is not printed whole (and
    Python refuses to turn more than 4,300 digits into text)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        if value.bit_length() < 14_000:  # within the digits Python turns into text
            return f"a whole number of {len(str(abs(value))):,} digits"
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, str) and len(value) > 24:
        return f"{value[:12]!r}... ({len(value):,} characters)"
    return repr(value)


def span_offset(value: object, *, file: str | None, where: str, digits: bool = False) -> int:
    """A span offset as read from an export: a whole number from 0 to
    :data:`MAX_SPAN_OFFSET` (``5.0`` is 5), or a one-line error naming ``where``.

    With ``digits=True`` (text formats: brat, CSV) a string of digits is read as a whole
    number first; NaN, infinities, fractions, booleans, other strings and numbers past the
    limit are refused.

    Examples
    --------
    >>> span_offset(5.0, file="x.jsonl", where="line 1"), span_offset("12", file=None, where="", digits=True)
    (5, 12)
    >>> span_offset(float("nan"), file="x.jsonl", where="line 2")
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: x.jsonl, line 2: a span offset is not a whole number (nan). Fix: export character offsets (start, end) as whole numbers within the text.
    """
    if digits and isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        digits = value.strip()
        if len(digits) > len(str(MAX_SPAN_OFFSET)):
            raise AnnotationDataError(
                f"a span offset has {len(digits):,} digits, above the limit of "
                f"{MAX_SPAN_OFFSET:,}", file=file, location=where, fix=_OFFSET_FIX)
        value = int(digits)
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SPAN_OFFSET:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnnotationDataError(f"a span offset is not a whole number ({_shown_offset(value)})",
                                  file=file, location=where, fix=_OFFSET_FIX)
    if abs(value) > MAX_SPAN_OFFSET:
        raise AnnotationDataError(
            f"a span offset is {_shown_offset(value)}, above the limit of {MAX_SPAN_OFFSET:,}",
            file=file, location=where, fix=_OFFSET_FIX)
    return value


_DECLARED_TASKS: set[str] = set()


def declare_task(name: str) -> None:
    """Make ``name`` a task type that :func:`check_task` accepts (a plug-in reader's task:
    :func:`analysis.io.readers.registry.register` declares it)."""
    _DECLARED_TASKS.add(name)


def known_tasks() -> tuple[str, ...]:
    """The built-in task types, then those declared by plug-in readers.

    Examples
    --------
    >>> known_tasks()[:3]
    ('single_label', 'multi_label', 'spans')
    """
    return (*TASKS, *sorted(_DECLARED_TASKS.difference(TASKS)))


def check_task(task: str | None) -> TaskType | None:
    """Validate a task name (``None`` or ``"auto"``: detect).

    Examples
    --------
    >>> check_task("spans")
    'spans'
    """
    if task is None or task == "auto":
        return None
    known = known_tasks()
    if task not in known:
        raise AnnotationDataError(
            f"the task {task!r} is unknown; known tasks: auto, {', '.join(known)}",
            fix=f"set {{task}} to {', '.join(known[:-1])} or {known[-1]}")
    return task  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class MultiLabelData:
    """Judgements that are sets of labels.

    Attributes
    ----------
    item_ids, annotators, labels : tuple of str
        Distinct items, annotators and labels (labels sorted).
    item, annotator : ndarray of int64, shape (n_judgements,)
        Codes of each judgement.
    present : ndarray of bool, shape (n_judgements, n_labels)
        Whether the judgement chose the label.
    texts : dict
        Item id -> text, where known.

    Examples
    --------
    >>> data = MultiLabelData.from_records([("1", "a", {"x", "y"}), ("1", "b", {"x"})])
    >>> data.labels, data.present.tolist()
    (('x', 'y'), [[True, True], [True, False]])
    """

    task: ClassVar[str] = "multi_label"

    item_ids: tuple[str, ...]
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    item: npt.NDArray[np.int64]
    annotator: npt.NDArray[np.int64]
    present: npt.NDArray[np.bool_]
    texts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str, Iterable[str]]],
                     texts: Mapping[str, str] | None = None) -> MultiLabelData:
        """Build from ``(item, annotator, labels)`` triples (one per judgement)."""
        rows = [(str(i), str(a), frozenset(str(x) for x in labels)) for i, a, labels in records]
        labels = tuple(sorted({x for _, _, chosen in rows for x in chosen}))
        index = {label: k for k, label in enumerate(labels)}
        items, item_codes = _codes([r[0] for r in rows])
        annotators, annotator_codes = _codes([r[1] for r in rows])
        present = np.zeros((len(rows), len(labels)), dtype=bool)
        for j, (_, _, chosen) in enumerate(rows):
            present[j, [index[x] for x in chosen]] = True
        return cls(items, annotators, labels, item_codes, annotator_codes, present,
                   dict(texts or {}))

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.item_ids)

    def label_sets(self) -> list[frozenset[str]]:
        """The label set of each judgement, in judgement order."""
        names = np.asarray(self.labels, dtype=object)
        return [frozenset(names[row]) for row in self.present]

    def judgement_table(self) -> pd.DataFrame:
        """The canonical table of the judgements: ``item_id, annotator, label``, where
        ``label`` is the judgement's label set as JSON text (``'["x", "y"]'``, ``'[]'``).

        Two judgements have the same ``label`` exactly when they chose the same set, so the
        table identifies the data (:func:`analysis.workspace.dataset_fingerprint`).

        Examples
        --------
        >>> MultiLabelData.from_records([("1", "a", "yx"), ("1", "b", "")]).judgement_table()["label"].tolist()
        ['["x", "y"]', '[]']
        """
        names = np.asarray(self.labels, dtype=object)
        return pd.DataFrame({
            "item_id": np.asarray(self.item_ids, dtype=object)[self.item],
            "annotator": np.asarray(self.annotators, dtype=object)[self.annotator],
            "label": [json.dumps(list(names[row]), ensure_ascii=False) for row in self.present],
        })

    def to_table(self) -> pd.DataFrame:
        """One row per judgement: ``item_id, annotator, labels`` (a ``|``-joined string)."""
        return pd.DataFrame({
            "item_id": np.asarray(self.item_ids, dtype=object)[self.item],
            "annotator": np.asarray(self.annotators, dtype=object)[self.annotator],
            "labels": ["|".join(sorted(s)) for s in self.label_sets()],
        })


@dataclass(frozen=True, eq=False)
class SpanData:
    """Span judgements on texts.

    Attributes
    ----------
    judgements : DataFrame
        ``item_id, annotator``: every (document, annotator) that was annotated, with or
        without spans.
    spans : DataFrame
        ``item_id, annotator, start, end, label``; offsets in code points, end exclusive.
    texts : dict
        Item id -> text, where known (offsets are checked against it).
    """

    task: ClassVar[str] = "spans"

    judgements: pd.DataFrame
    spans: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, spans: Iterable[tuple[str, str, int, int, str]],
              judgements: Iterable[tuple[str, str]] = (),
              texts: Mapping[str, str] | None = None, *, file: str | None = None,
              unit: str = "task") -> SpanData:
        """Build and validate: every span's annotator counts as having judged its item.

        Raises
        ------
        AnnotationDataError
            A span whose offsets are not ``0 <= start < end <= len(text)``.

        Examples
        --------
        >>> data = SpanData.build([("d1", "a", 0, 3, "PER")], [("d1", "b")], {"d1": "Kim ran"})
        >>> sorted(data.judgements.values.tolist())
        [['d1', 'a'], ['d1', 'b']]
        >>> SpanData.build([("d1", "a", 0, 9, "PER")], texts={"d1": "Kim ran"})
        Traceback (most recent call last):
        ...
        analysis.base.errors.AnnotationDataError: task 'd1', span 0-9 'PER' by 'a': the span ends after the text (7 characters). Fix: export offsets in Unicode code points within the text, or check that the text belongs to this task.
        """
        where = f"a span in this {unit}"
        frame = pd.DataFrame(
            [(str(i), str(a), span_offset(s, file=file, where=where),
              span_offset(e, file=file, where=where), str(x)) for i, a, s, e, x in spans],
            columns=list(SPAN_COLUMNS)).astype({"start": np.int64, "end": np.int64})
        frame = frame.drop_duplicates().reset_index(drop=True)
        texts = {str(k): v for k, v in (texts or {}).items() if isinstance(v, str)}
        _check_offsets(frame, texts, file=file, unit=unit)
        judged = pd.DataFrame([(str(i), str(a)) for i, a in judgements],
                              columns=["item_id", "annotator"])
        judged = pd.concat([judged, frame[["item_id", "annotator"]]], ignore_index=True)
        judged = judged.drop_duplicates().reset_index(drop=True)
        frame = frame.sort_values(["item_id", "annotator", "start", "end", "label"],
                                  kind="stable").reset_index(drop=True)
        return cls(judged, frame, texts)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Documents, in first-seen order."""
        return tuple(pd.unique(self.judgements["item_id"]))

    @property
    def annotators(self) -> tuple[str, ...]:
        """Annotators, in first-seen order."""
        return tuple(pd.unique(self.judgements["annotator"]))

    @property
    def labels(self) -> tuple[str, ...]:
        """Span types, sorted."""
        return tuple(sorted(self.spans["label"].unique()))

    def judgement_table(self) -> pd.DataFrame:
        """The canonical table of the judgements: ``item_id, annotator, label``, where
        ``label`` is the judgement's spans as JSON text (``'[[0, 3, "PER"]]'``; ``'[]'``
        for a document read without marking anything).

        Two judgements have the same ``label`` exactly when they hold the same spans, so
        the table identifies the data (:func:`analysis.workspace.dataset_fingerprint`).

        Examples
        --------
        >>> data = SpanData.build([("d1", "a", 0, 3, "PER")], [("d1", "b")], {"d1": "Kim ran"})
        >>> data.judgement_table().values.tolist()
        [['d1', 'b', '[]'], ['d1', 'a', '[[0, 3, "PER"]]']]
        """
        spans = self.spans
        judged = self.judgements
        encoded: dict[tuple[str, str], str] = {}
        if not spans.empty:  # one JSON string per span, joined per judgement (spans sorted)
            names = {x: json.dumps(str(x), ensure_ascii=False) for x in spans["label"].unique()}
            pieces = ("[" + spans["start"].astype(str) + ", " + spans["end"].astype(str) + ", "
                      + spans["label"].map(names) + "]").to_numpy(dtype=object)
            item = spans["item_id"].to_numpy(dtype=object)
            who = spans["annotator"].to_numpy(dtype=object)
            first = np.ones(len(spans), dtype=bool)
            first[1:] = (item[1:] != item[:-1]) | (who[1:] != who[:-1])
            text = "".join([("\x1e[" if f else ", ") + x for f, x in zip(first, pieces, strict=True)])
            groups = [group + "]" for group in text.split("\x1e")[1:]]
            encoded = dict(zip(zip(item[first], who[first], strict=True), groups, strict=True))
        labels = [encoded.get(key, "[]") for key in zip(judged["item_id"], judged["annotator"],
                                                         strict=True)]
        return pd.DataFrame({"item_id": judged["item_id"].to_numpy(),
                             "annotator": judged["annotator"].to_numpy(),
                             "label": labels})


def _codes(values: list[str]) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return tuple(str(u) for u in uniques), codes.astype(np.int64)


def _check_offsets(frame: pd.DataFrame, texts: Mapping[str, str], *, file: str | None,
                   unit: str) -> None:
    lengths = frame["item_id"].map({item: len(text) for item, text in texts.items()})
    bad_order = (frame["start"] < 0) | (frame["end"] <= frame["start"])
    too_long = lengths.notna() & (frame["end"] > lengths)
    bad = frame[bad_order | too_long]
    if bad.empty:
        return
    row = bad.iloc[0]
    where = (f"{unit} {row['item_id']!r}, span {row['start']}-{row['end']} {row['label']!r} "
             f"by {row['annotator']!r}")
    if bad_order.loc[bad.index[0]]:
        problem = "the span is empty or its start is not before its end"
        fix = "export spans with 0 <= start < end (end exclusive)"
    else:
        problem = f"the span ends after the text ({int(lengths.loc[bad.index[0]])} characters)"
        fix = ("export offsets in Unicode code points within the text, or check that the "
               "text belongs to this task")
    more = len(bad) - 1
    if more:
        problem += f" ({more} more span(s) like this)"
    raise AnnotationDataError(problem, file=file, location=where, fix=fix)
