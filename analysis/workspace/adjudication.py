"""Adjudicated decisions: final labels, label-error reviews, final spans, gold and progress.

Every kind of decision lives in one append-only table of the workspace (a
:class:`DecisionLog`): each save is a new row, never an update; the latest decision on
an item wins and the earlier ones stay as its history. Decisions are stored per dataset
fingerprint and item (or document) id, so they reattach when the same annotations are
loaded again. What differs between the kinds is only what a decision holds (a label, a
verdict, a list of spans) and how it is checked and written to its column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ITEM
from analysis.data.votes import NO_CONSENSUS, majority_vote
from analysis.workspace.store import Workspace, ensure_dataset, table_exists, utc_now

Verdict = Literal["confirmed_error", "not_error"]
ReviewKind = Literal["any", "adjudication", "label_error"]
Span = tuple[int, int, str]
GOLD_SOURCES: tuple[str, ...] = ("adjudicated", "consensus")


@dataclass(frozen=True)
class DecisionLog:
    """One append-only table of decisions and how its value column is read.

    Attributes
    ----------
    table : str
        The workspace table (columns: ``key``, ``fingerprint``, ``item_id``, ``value``,
        ``note``, ``author``, ``decided_at``).
    key : str
        Its id column, increasing with each save.
    value : str
        The column that holds the decision.
    reading : str
        What a read error says could not be done.
    decode : callable, optional
        Turns the stored text into the decision (None: the column stays text).
    """

    table: str
    key: str
    value: str
    reading: str
    decode: Callable[[str | None], object] | None = None

    def append(self, workspace: Workspace, fingerprint: str, item_id: str, value: str | None, *,
               note: str, author: str | None, action: str) -> int:
        """Append one decision (already checked and encoded); returns its id."""
        with workspace.transaction(action) as conn:
            ensure_dataset(conn, fingerprint)
            cursor = conn.execute(
                f"INSERT INTO {self.table} (fingerprint, item_id, {self.value}, note, author, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                (fingerprint, item_id, value, note or "", author, utc_now()))
            return int(cursor.lastrowid or 0)

    def read(self, workspace: Workspace, fingerprint: str, *, latest: bool,
             item_id: str | None = None) -> pd.DataFrame:
        """The decisions of a dataset (of one item when ``item_id`` is given), oldest first;
        with ``latest`` only each item's latest one.

        Columns: ``key``, ``item_id``, ``value``, ``note``, ``author``, ``decided_at``.
        A table that a read-only workspace of an older release lacks reads as empty.
        """
        key, table = self.key, self.table
        where = "fingerprint = ?" + (" AND item_id = ?" if item_id is not None else "")
        if latest:
            where += (f" AND {key} = (SELECT MAX({key}) FROM {table} t "
                      "WHERE t.fingerprint = d.fingerprint AND t.item_id = d.item_id)")
        params = (fingerprint,) if item_id is None else (fingerprint, item_id)
        with workspace.reading(self.reading) as conn:
            rows = [] if not table_exists(conn, table) else conn.execute(
                f"SELECT {key}, item_id, {self.value}, note, author, decided_at FROM {table} d "
                f"WHERE {where} ORDER BY {key}", params).fetchall()
        columns = [key, ITEM, self.value, "note", "author", "decided_at"]
        if self.decode is not None:
            rows = [(*row[:2], self.decode(row[2]), *row[3:]) for row in rows]
        frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})
        frame[key] = frame[key].astype("int64")
        for column in columns[1:]:
            if column != self.value or self.decode is None:
                frame[column] = frame[column].astype("string")
        return frame


def _decode_spans(value: str | None) -> list[Span] | None:
    if value is None:
        return None
    return [(int(s), int(e), str(x)) for s, e, x in json.loads(value)]


FINAL_LABELS = DecisionLog("adjudications", "decision_id", "label", "read the decisions")
LABEL_ERROR_REVIEWS = DecisionLog("label_error_reviews", "review_id", "verdict", "read the decisions")
FINAL_SPANS = DecisionLog("span_adjudications", "decision_id", "spans", "read the span decisions",
                          decode=_decode_spans)


def _item(item_id: object, *, what: str = "item", fix: str = "pick an item from the table") -> str:
    text = str(item_id)
    if not text.strip():
        raise AnnotationDataError(f"the {what} id is empty", fix=fix)
    return text


def set_final_label(
    workspace: Workspace,
    fingerprint: str,
    item_id: str,
    label: str | None,
    *,
    note: str = "",
    author: str | None = None,
) -> int:
    """Record the final (adjudicated) label of an item; ``label=None`` clears it.

    A cleared item falls back to its consensus label in :func:`gold_labels`.

    Returns
    -------
    int
        The id of the stored decision.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     _ = set_final_label(ws, "f1", "item-7", "neg", note="sarcasm", author="mina")
    ...     _ = set_final_label(ws, "f1", "item-7", "neu", note="on second thought")
    ...     latest_adjudications(ws, "f1")[["item_id", "label", "note"]].values.tolist()
    [['item-7', 'neu', 'on second thought']]
    """
    if label is not None and not str(label).strip():
        raise AnnotationDataError("the final label is empty", fix="choose a label, or clear the decision")
    item = _item(item_id)
    return FINAL_LABELS.append(workspace, fingerprint, item, None if label is None else str(label),
                               note=note, author=author, action="save the final label")


def review_label_error(
    workspace: Workspace,
    fingerprint: str,
    item_id: str,
    verdict: Verdict,
    *,
    note: str = "",
    author: str | None = None,
) -> int:
    """Record the verdict on a label-error candidate: ``"confirmed_error"`` or ``"not_error"``."""
    if verdict not in ("confirmed_error", "not_error"):
        raise AnnotationDataError(
            f"the verdict must be one of {{'confirmed_error', 'not_error'}}; got {verdict!r} instead",
            fix="choose 'confirmed_error' or 'not_error'",
        )
    return LABEL_ERROR_REVIEWS.append(workspace, fingerprint, _item(item_id), verdict,
                                      note=note, author=author, action="save the review")


def latest_adjudications(workspace: Workspace, fingerprint: str) -> pd.DataFrame:
    """The latest final-label decision per item (``label`` is missing where it was cleared).

    Columns: ``decision_id``, ``item_id``, ``label``, ``note``, ``author``, ``decided_at``.
    """
    return FINAL_LABELS.read(workspace, fingerprint, latest=True)


def latest_label_error_reviews(workspace: Workspace, fingerprint: str) -> pd.DataFrame:
    """The latest label-error verdict per item.

    Columns: ``review_id``, ``item_id``, ``verdict``, ``note``, ``author``, ``decided_at``.
    """
    return LABEL_ERROR_REVIEWS.read(workspace, fingerprint, latest=True)


def adjudication_history(workspace: Workspace, fingerprint: str, item_id: str) -> pd.DataFrame:
    """Every final-label decision on one item, oldest first (same columns as the latest)."""
    return FINAL_LABELS.read(workspace, fingerprint, latest=False, item_id=str(item_id))


def label_error_history(workspace: Workspace, fingerprint: str, item_id: str) -> pd.DataFrame:
    """Every label-error verdict on one item, oldest first."""
    return LABEL_ERROR_REVIEWS.read(workspace, fingerprint, latest=False, item_id=str(item_id))


def gold_labels(
    table: pd.DataFrame,
    workspace: Workspace | None,
    fingerprint: str,
    consensus: Mapping[str, str],
) -> pd.DataFrame:
    """Gold labels: the adjudicated label where there is one, else the consensus label.

    Parameters
    ----------
    table : DataFrame
        Canonical table; fixes the item set and order (first appearance).
    workspace : Workspace or None
        Where the adjudications are kept; None for the consensus alone.
    fingerprint : str
        The dataset's :func:`~analysis.workspace.dataset_fingerprint`.
    consensus : Mapping of item id to label
        E.g. majority vote; items without consensus (ties) are simply absent.

    Returns
    -------
    DataFrame
        One row per item that has a gold label, in table order, with columns
        ``item_id``, ``label``, ``source`` (``"adjudicated"`` or ``"consensus"``),
        ``consensus_label`` (missing for ties), ``note``, ``author``, ``decided_at``.
        Items with neither an adjudicated nor a consensus label are left out.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> table = pd.DataFrame({"item_id": ["a", "a", "b", "b", "c"], "annotator": list("xyxyx"),
    ...                       "label": ["p", "p", "p", "n", "n"]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     _ = set_final_label(ws, "f", "b", "n", note="checked")
    ...     gold = gold_labels(table, ws, "f", {"a": "p", "c": "n"})
    >>> gold[["item_id", "label", "source"]].values.tolist()
    [['a', 'p', 'consensus'], ['b', 'n', 'adjudicated'], ['c', 'n', 'consensus']]
    """
    items = pd.Series(pd.unique(table[ITEM].astype("string")), dtype="string", name=ITEM)
    frame = pd.DataFrame({ITEM: items})
    frame["consensus_label"] = items.map(lambda item: consensus.get(item)).astype("string")
    if workspace is None:
        decided = pd.DataFrame(columns=[ITEM, "label", "note", "author", "decided_at"], dtype="string")
    else:
        decided = latest_adjudications(workspace, fingerprint)
        decided = decided[decided["label"].notna()]
    frame = frame.merge(decided[[ITEM, "label", "note", "author", "decided_at"]], on=ITEM, how="left")
    adjudicated = frame["label"].notna()
    frame["source"] = pd.Series(pd.NA, index=frame.index, dtype="string").mask(adjudicated, "adjudicated")
    frame.loc[~adjudicated & frame["consensus_label"].notna(), "source"] = "consensus"
    frame["label"] = frame["label"].fillna(frame["consensus_label"])
    frame = frame[frame["source"].notna()].reset_index(drop=True)
    return frame[[ITEM, "label", "source", "consensus_label", "note", "author", "decided_at"]]


def majority_labels(table: pd.DataFrame) -> dict[str, str]:
    """The strict-majority label of each item; tied items are left out (not decided).

    Examples
    --------
    >>> majority_labels(pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                               "label": ["p", "p", "p", "n"]}))
    {'a': 'p'}
    """
    data = ReliabilityData.from_table(table)
    winners = majority_vote(data.counts(), ties="none")
    decided = winners != NO_CONSENSUS
    return {str(item): data.labels[code] for item, code in zip(data.items[decided], winners[decided], strict=True)}


@dataclass(frozen=True)
class ReviewProgress:
    """How many of the items to review have a decision.

    Attributes
    ----------
    reviewed, total : int
    """

    reviewed: int
    total: int

    @property
    def fraction(self) -> float:
        """``reviewed / total``, 0.0 when there is nothing to review (for a progress bar)."""
        return self.reviewed / self.total if self.total else 0.0


@validate_params({"kind": [Options("any", "adjudication", "label_error")]})
def review_progress(
    workspace: Workspace,
    fingerprint: str,
    item_ids: Iterable[str],
    *,
    kind: ReviewKind = "any",
) -> ReviewProgress:
    """Reviewed/total over a set of items (e.g. the label-error candidates on screen).

    An item counts as reviewed when its latest decision of the given ``kind`` exists:
    ``"adjudication"`` (a final label, not cleared), ``"label_error"`` (a verdict) or
    ``"any"`` (either).

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     _ = review_label_error(ws, "f", "a", "not_error")
    ...     review_progress(ws, "f", ["a", "b", "c", "a"])
    ReviewProgress(reviewed=1, total=3)
    """
    wanted = {str(item) for item in item_ids}
    done: set[str] = set()
    if kind in ("any", "adjudication"):
        adjudicated = latest_adjudications(workspace, fingerprint)
        done |= set(adjudicated.loc[adjudicated["label"].notna(), ITEM].tolist())
    if kind in ("any", "label_error"):
        done |= set(latest_label_error_reviews(workspace, fingerprint)[ITEM].tolist())
    return ReviewProgress(reviewed=len(wanted & done), total=len(wanted))


# Final spans of span (NER) documents: offsets in code points, end exclusive.


def check_spans(spans: Iterable[Sequence[object]], *, text: str | None = None,
                item_id: str = "") -> list[Span]:
    """Validated, sorted and de-duplicated ``(start, end, label)`` spans.

    Raises
    ------
    AnnotationDataError
        A span whose offsets are not whole numbers with ``0 <= start < end`` (and
        ``end <= len(text)`` when the text is given), or whose label is empty.

    Examples
    --------
    >>> check_spans([(4, 7, "LOC"), (0, 3, " PER ")], text="Kim ran")
    [(0, 3, 'PER'), (4, 7, 'LOC')]
    >>> check_spans([(0, 9, "PER")], text="Kim ran", item_id="d1")
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: document 'd1', span 1 (0-9): the span is outside the text (7 characters) or empty. Fix: give 0 <= start < end <= the text's length.
    """
    out: set[Span] = set()
    where = f"document {item_id!r}, " if item_id else ""
    for number, span in enumerate(spans, start=1):
        try:
            start, end, label = span
            start, end = int(start), int(end)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise AnnotationDataError(f"{where}span {number}: start and end must be whole "
                                      "numbers", fix="fill start and end") from None
        label = str(label).strip() if label is not None else ""
        if not 0 <= start < end or (text is not None and end > len(text)):
            size = "" if text is None else f" ({len(text)} characters)"
            raise AnnotationDataError(
                f"{where}span {number} ({start}-{end}): the span is outside the text{size} or "
                "empty", fix="give 0 <= start < end <= the text's length")
        if not label:
            raise AnnotationDataError(f"{where}span {number} ({start}-{end}) has no label",
                                      fix="give every span a type")
        out.add((start, end, label))
    return sorted(out)


def set_final_spans(
    workspace: Workspace,
    fingerprint: str,
    item_id: str,
    spans: Iterable[Sequence[object]] | None,
    *,
    text: str | None = None,
    note: str = "",
    author: str | None = None,
) -> int:
    """Record the final (adjudicated) spans of a document; ``spans=None`` clears them.

    An empty list is a decision too: the document has no span. A cleared document falls
    back to its consensus spans in the gold export.

    Parameters
    ----------
    workspace : Workspace
    fingerprint : str
        The span dataset's fingerprint.
    item_id : str
        The document.
    spans : iterable of (start, end, label), or None
        Offsets in code points, end exclusive.
    text : str, optional
        The document's text: offsets are checked against it.
    note, author : str, optional

    Returns
    -------
    int
        The id of the stored decision.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     _ = set_final_spans(ws, "f1", "d1", [(0, 3, "PER")], text="Kim ran", author="mina")
    ...     _ = set_final_spans(ws, "f1", "d1", [(0, 3, "PER"), (4, 7, "ACT")], note="both")
    ...     latest_span_adjudications(ws, "f1")
    {'d1': [(0, 3, 'PER'), (4, 7, 'ACT')]}
    """
    item = _item(item_id, what="document", fix="pick a document")
    encoded = None if spans is None else json.dumps(
        [list(span) for span in check_spans(spans, text=text, item_id=item)], ensure_ascii=False)
    return FINAL_SPANS.append(workspace, fingerprint, item, encoded, note=note, author=author,
                              action="save the final spans")


def span_adjudication_history(workspace: Workspace, fingerprint: str,
                              item_id: str | None = None) -> pd.DataFrame:
    """Every span decision (on one document when ``item_id`` is given), oldest first.

    Columns: ``decision_id``, ``item_id``, ``spans`` (list of ``(start, end, label)``, or
    None where cleared), ``note``, ``author``, ``decided_at``.
    """
    return FINAL_SPANS.read(workspace, fingerprint, latest=False,
                            item_id=None if item_id is None else str(item_id))


def latest_span_adjudications(workspace: Workspace, fingerprint: str) -> dict[str, list[Span]]:
    """The latest final spans per adjudicated document (cleared documents left out)."""
    latest = FINAL_SPANS.read(workspace, fingerprint, latest=True)
    return {str(item): spans for item, spans in zip(latest[ITEM], latest["spans"], strict=True)
            if spans is not None}


def gold_spans(
    documents: Iterable[str],
    consensus: Iterable[Mapping[str, object]],
    adjudicated: Mapping[str, Sequence[Span]],
) -> dict[str, tuple[str, list[Span]]]:
    """Final spans per document: the adjudicated spans where decided, else the consensus.

    Parameters
    ----------
    documents : iterable of str
        Every document, in the order to write them.
    consensus : iterable of mappings
        The report's ``consensus`` rows (``item_id, start, end, label``).
    adjudicated : mapping of document to spans
        :func:`latest_span_adjudications`.

    Returns
    -------
    dict
        Document -> ``(source, spans)`` with source ``"adjudicated"`` or ``"consensus"``
        (a document without consensus spans gets an empty list).

    Examples
    --------
    >>> gold_spans(["d1", "d2"], [{"item_id": "d1", "start": 0, "end": 3, "label": "PER"}],
    ...            {"d2": [(4, 7, "LOC")]})
    {'d1': ('consensus', [(0, 3, 'PER')]), 'd2': ('adjudicated', [(4, 7, 'LOC')])}
    """
    agreed: dict[str, list[Span]] = {}
    for row in consensus:
        agreed.setdefault(str(row["item_id"]), []).append(
            (int(row["start"]), int(row["end"]), str(row["label"])))  # type: ignore[call-overload]
    out: dict[str, tuple[str, list[Span]]] = {}
    for item in documents:
        if item in adjudicated:
            out[item] = ("adjudicated", sorted(adjudicated[item]))
        else:
            out[item] = ("consensus", sorted(agreed.get(item, [])))
    return out
