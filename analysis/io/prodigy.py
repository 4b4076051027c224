"""Prodigy JSONL (``db-out``): one record per answer.

* Choice interfaces (records with ``options``/``accept``): the label is the accepted
  option id (several are joined with ``|``, with a warning).
* Binary interfaces (``label`` and ``answer``, no options): ``accept`` gives ``label``,
  ``reject`` gives ``"not <label>"`` so both decisions count for agreement. When a file
  asks about more than one label per text, the item is the text and the label asked
  (``<item>::<label>``), since each question is judged separately.
* ``answer == "ignore"`` is dropped and counted as ``ignored``. In choice interfaces
  ``answer == "reject"`` rejects the question as a whole; it is dropped and counted as
  ``rejected``.
* Answers are read by :func:`answer_of`: ``Reject``, ``REJECT`` or ``"reject "`` are
  ``reject`` (counted in a warning); any other value (``maybe``, ``null``, a number) is no
  decision Prodigy writes, so that answer is dropped and counted as ``unknown_answer``
  rather than read as an accept. A record without ``answer`` is an accept.

The item is ``meta.item_id``/``meta.id``/``id`` when present, else ``_input_hash``; the
annotator is ``_annotator_id``, else ``_session_id``, without the ``<dataset>-`` prefix
that Prodigy gives named sessions when every annotator shares it; the time is ``_timestamp`` (Unix
seconds).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ANNOTATOR, ITEM, LABEL, TEXT, TIMESTAMP
from analysis.io.long import Mapped
from analysis.messages import note

MULTI_CHOICE_SEPARATOR = "|"
PRODIGY_KEYS = ("_input_hash", "_task_hash", "_annotator_id", "_session_id")


ANSWERS = ("accept", "reject", "ignore")


def looks_like_prodigy(record: object) -> bool:
    """Whether a JSON record is a Prodigy answer."""
    return isinstance(record, dict) and (
        any(key in record for key in PRODIGY_KEYS)
        or ("answer" in record and answer_of(record) is not None)
    )


def answer_of(record: Mapping[str, Any]) -> str | None:
    """The decision of a Prodigy answer: ``accept``, ``reject``, ``ignore``, or None for a
    value Prodigy does not write (``maybe``, ``null``, ``1``).

    Case and surrounding spaces do not matter; a record without ``answer`` is an accept.

    Examples
    --------
    >>> [answer_of(r) for r in ({"answer": "REJECT "}, {}, {"answer": None}, {"answer": "maybe"})]
    ['reject', 'accept', None, None]
    """
    if "answer" not in record:
        return "accept"
    value = record["answer"]
    if isinstance(value, str) and value.strip().casefold() in ANSWERS:
        return value.strip().casefold()
    return None


class AnswerTally:
    """Answers read from other spellings, and values that are no answer, for the report."""

    def __init__(self) -> None:
        self.respelled: dict[str, set[str]] = {}
        self.unknown: dict[str, int] = {}

    def read(self, record: Mapping[str, Any]) -> str | None:
        """:func:`answer_of` of ``record``, noting a spelling other than Prodigy's."""
        answer = answer_of(record)
        raw = record.get("answer")
        if answer is None:
            shown = repr(raw) if not isinstance(raw, str) or len(raw) <= 40 else repr(raw[:40] + "...")
            self.unknown[shown] = self.unknown.get(shown, 0) + 1
        elif "answer" in record and raw != answer:
            self.respelled.setdefault(answer, set()).add(repr(raw))
        return answer

    def warnings(self) -> list[str]:
        """One line per kind of answer that was not written as Prodigy writes it."""
        out = [note("load.answers_respelled", spellings=", ".join(sorted(spellings)), answer=answer)
               for answer, spellings in sorted(self.respelled.items())]
        if self.unknown:
            shown = ", ".join(f"{value} ({count})" for value, count in sorted(self.unknown.items()))
            out.append(note("load.answers_unknown", count=sum(self.unknown.values()), shown=shown))
        return out


def _item(record: Mapping[str, Any], *, text: bool = True) -> object:
    meta = record.get("meta") if isinstance(record.get("meta"), Mapping) else {}
    for value in (meta.get("item_id"), meta.get("id"), record.get("id"),
                  record.get("_input_hash"), record.get("text") if text else None):
        if value not in (None, ""):
            return value
    return None


def kept_answers(
    records: list[Any], positions: list[int],
) -> tuple[list[tuple[Mapping[str, Any], int, str, str]], dict[str, int]]:
    """The accepted answers of a span or multi-label session, with their item and annotator.

    Returns ``(answers, dropped, warnings)``: each answer as ``(record, position, item,
    annotator)`` (item as for single-label answers without the text fallback, else
    ``record N``; annotator ``_annotator_id``, else ``_session_id``, else ``annotator``),
    the counts of ``rejected``, ``ignored`` and ``unknown_answer`` answers left out, and
    what :class:`AnswerTally` says. Records that are not objects are skipped.
    """
    answers: list[tuple[Mapping[str, Any], int, str, str]] = []
    dropped = {"rejected": 0, "ignored": 0, "unknown_answer": 0}
    tally = AnswerTally()
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, Mapping):
            continue
        answer = tally.read(record)
        if answer != "accept":
            dropped["unknown_answer" if answer is None else
                    "rejected" if answer == "reject" else "ignored"] += 1
            continue
        item = _item(record, text=False)
        who = record.get("_annotator_id") or record.get("_session_id") or "annotator"
        answers.append((record, position, f"record {position}" if item is None else str(item), str(who)))
    return answers, dropped, tally.warnings()


def _session_prefix(annotators: pd.Series) -> str:
    """The ``<dataset>-`` prefix Prodigy puts before every named session, if all share it.

    Examples
    --------
    >>> _session_prefix(pd.Series(["intents-alice", "intents-bob"]))
    'intents-'
    >>> _session_prefix(pd.Series(["alice", "bob"]))
    ''
    """
    names = [str(name) for name in annotators.dropna().unique()]
    if len(names) < 2:
        return ""
    shared = os.path.commonprefix(names)  # noqa: RUF071 - a string prefix is meant
    prefix = shared[: shared.rfind("-") + 1]
    return prefix if all(len(name) > len(prefix) for name in names) else ""


def read_prodigy(records: list[Any], positions: list[int], *, file: str, unit: str) -> Mapped:
    """Judgements of Prodigy answers."""
    rows: list[dict[str, object]] = []
    where: list[int] = []
    rejected = ignored = unknown = multi = 0
    tally = AnswerTally()
    for record, position in zip(records, positions, strict=True):
        if not isinstance(record, Mapping):
            raise AnnotationDataError(
                f"expected a JSON object, found {type(record).__name__}",
                file=file, location=f"{unit} {position}", fix="repair or delete that line",
            )
        answer = tally.read(record)
        if answer is None:
            unknown += 1
            continue
        if answer == "ignore":
            ignored += 1
            continue
        choice = "options" in record or "accept" in record
        if choice:
            if answer == "reject":
                rejected += 1
                continue
            accepted = record.get("accept") or []
            accepted = [a for a in (accepted if isinstance(accepted, list) else [accepted])
                        if a not in (None, "")]
            multi += len(accepted) > 1
            label: object = MULTI_CHOICE_SEPARATOR.join(str(a) for a in accepted) or None
            asked = None
        else:
            asked = record.get("label")
            label = asked if answer != "reject" or asked in (None, "") else f"not {asked}"
        rows.append({
            ITEM: _item(record),
            ANNOTATOR: record.get("_annotator_id") or record.get("_session_id"),
            LABEL: label,
            TEXT: record.get("text"),
            TIMESTAMP: record.get("_timestamp"),
            "asked": asked,
        })
        where.append(position)
    frame = pd.DataFrame(rows, columns=[ITEM, ANNOTATOR, LABEL, TEXT, TIMESTAMP, "asked"])
    warnings = tally.warnings()
    prefix = _session_prefix(frame[ANNOTATOR])
    if prefix:
        frame[ANNOTATOR] = frame[ANNOTATOR].map(lambda name: name[len(prefix):],
                                                na_action="ignore")
    asked_labels = frame["asked"].dropna().unique()
    if len(asked_labels) > 1:
        binary = frame["asked"].notna()
        frame.loc[binary, ITEM] = (frame.loc[binary, ITEM].astype(str) + "::"
                                   + frame.loc[binary, "asked"].astype(str))
        warnings.append(note("load.binary_answers", labels=len(asked_labels)))
    if multi:
        warnings.append(note("load.multi_accepted", count=multi, separator=MULTI_CHOICE_SEPARATOR))
    seconds = pd.to_numeric(frame[TIMESTAMP], errors="coerce")
    if seconds.notna().sum() == frame[TIMESTAMP].notna().sum():
        frame[TIMESTAMP] = seconds
    mapping = {ITEM: "meta.item_id|meta.id|id|_input_hash",
               ANNOTATOR: "_annotator_id|_session_id"
               + (f" without the shared prefix {prefix!r}" if prefix else ""),
               LABEL: "accept|label+answer",
               TEXT: "text", TIMESTAMP: "_timestamp"}
    return Mapped(frame.drop(columns="asked"), np.asarray(where, dtype=np.int64), unit, mapping,
                  rows_read=len(rows) + rejected + ignored + unknown,
                  dropped={"rejected": rejected, "ignored": ignored, "unknown_answer": unknown},
                  warnings=tuple(warnings))
