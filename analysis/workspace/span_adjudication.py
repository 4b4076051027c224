"""Adjudicated final spans of span (NER) datasets, kept like single-label adjudications.

A reviewer picks or edits the final spans of a document; each save is appended (never
updated), the latest decision on a document wins and the earlier ones stay as its history.
Decisions are stored per dataset fingerprint (:func:`analysis.workspace.dataset_fingerprint`
of the span dataset's judgement table) and document id, so they reattach when the same
annotations are loaded again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ITEM
from analysis.workspace.store import Workspace, ensure_dataset, table_exists, utc_now

Span = tuple[int, int, str]
TABLE = "span_adjudications"


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
    item = str(item_id)
    if not item.strip():
        raise AnnotationDataError("the document id is empty", fix="pick a document")
    encoded = None if spans is None else json.dumps(
        [list(span) for span in check_spans(spans, text=text, item_id=item)], ensure_ascii=False)
    with workspace.transaction("save the final spans") as conn:
        ensure_dataset(conn, fingerprint)
        cursor = conn.execute(
            f"INSERT INTO {TABLE} (fingerprint, item_id, spans, note, author, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (fingerprint, item, encoded, note or "", author, utc_now()))
        return int(cursor.lastrowid or 0)


def _decode(value: str | None) -> list[Span] | None:
    if value is None:
        return None
    return [(int(s), int(e), str(x)) for s, e, x in json.loads(value)]


def span_adjudication_history(workspace: Workspace, fingerprint: str,
                              item_id: str | None = None) -> pd.DataFrame:
    """Every span decision (on one document when ``item_id`` is given), oldest first.

    Columns: ``decision_id``, ``item_id``, ``spans`` (list of ``(start, end, label)``, or
    None where cleared), ``note``, ``author``, ``decided_at``.
    """
    columns = ["decision_id", ITEM, "spans", "note", "author", "decided_at"]
    where, params = "fingerprint = ?", [fingerprint]
    if item_id is not None:
        where, params = where + " AND item_id = ?", [fingerprint, str(item_id)]
    with workspace.reading("read the span decisions") as conn:
        if not table_exists(conn, TABLE):  # a read-only workspace of an older release
            rows = []
        else:
            rows = conn.execute(
                f"SELECT decision_id, item_id, spans, note, author, decided_at FROM {TABLE} "
                f"WHERE {where} ORDER BY decision_id", params).fetchall()
    frame = pd.DataFrame([(d, i, _decode(s), n, a, t) for d, i, s, n, a, t in rows],
                         columns=columns)
    frame["decision_id"] = frame["decision_id"].astype("int64")
    for column in (ITEM, "note", "author", "decided_at"):  # as the single-label decisions
        frame[column] = frame[column].astype("string")
    return frame


def latest_span_adjudications(workspace: Workspace, fingerprint: str) -> dict[str, list[Span]]:
    """The latest final spans per adjudicated document (cleared documents left out)."""
    history = span_adjudication_history(workspace, fingerprint)
    latest = history.drop_duplicates(ITEM, keep="last")
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
