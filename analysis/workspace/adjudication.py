"""Adjudicated final labels, label-error reviews, gold labels and review progress.

Decisions are appended, never updated: the latest decision on an item wins and the
earlier ones stay as its history. Decisions are stored per dataset fingerprint and item
id, so they reattach when the same annotations are loaded again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ITEM
from analysis.data.votes import NO_CONSENSUS, majority_vote
from analysis.workspace.store import Workspace, ensure_dataset, utc_now

Verdict = Literal["confirmed_error", "not_error"]
ReviewKind = Literal["any", "adjudication", "label_error"]
GOLD_SOURCES: tuple[str, ...] = ("adjudicated", "consensus")


def _item(item_id: object) -> str:
    text = str(item_id)
    if not text.strip():
        raise AnnotationDataError("the item id is empty", fix="pick an item from the table")
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
    with workspace.transaction("save the final label") as conn:
        ensure_dataset(conn, fingerprint)
        cursor = conn.execute(
            "INSERT INTO adjudications (fingerprint, item_id, label, note, author, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (fingerprint, _item(item_id), None if label is None else str(label), note or "", author, utc_now()),
        )
        return int(cursor.lastrowid or 0)


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
    with workspace.transaction("save the review") as conn:
        ensure_dataset(conn, fingerprint)
        cursor = conn.execute(
            "INSERT INTO label_error_reviews (fingerprint, item_id, verdict, note, author, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (fingerprint, _item(item_id), verdict, note or "", author, utc_now()),
        )
        return int(cursor.lastrowid or 0)


_HISTORY = {
    "adjudications": ("decision_id", "label"),
    "label_error_reviews": ("review_id", "verdict"),
}


def _decisions(workspace: Workspace, table: str, fingerprint: str, *, latest: bool, item_id: str | None = None) -> pd.DataFrame:
    key, value = _HISTORY[table]
    where = "fingerprint = ?" + (" AND item_id = ?" if item_id is not None else "")
    if latest:
        where += f" AND {key} = (SELECT MAX({key}) FROM {table} t WHERE t.fingerprint = d.fingerprint AND t.item_id = d.item_id)"
    params = (fingerprint,) if item_id is None else (fingerprint, item_id)
    with workspace.reading("read the decisions") as conn:
        rows = conn.execute(
            f"SELECT {key}, item_id, {value}, note, author, decided_at FROM {table} d WHERE {where} ORDER BY {key}",
            params,
        ).fetchall()
    columns = [key, ITEM, value, "note", "author", "decided_at"]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})
    frame[key] = frame[key].astype("int64")
    for column in columns[1:]:
        frame[column] = frame[column].astype("string")
    return frame


def latest_adjudications(workspace: Workspace, fingerprint: str) -> pd.DataFrame:
    """The latest final-label decision per item (``label`` is missing where it was cleared).

    Columns: ``decision_id``, ``item_id``, ``label``, ``note``, ``author``, ``decided_at``.
    """
    return _decisions(workspace, "adjudications", fingerprint, latest=True)


def latest_label_error_reviews(workspace: Workspace, fingerprint: str) -> pd.DataFrame:
    """The latest label-error verdict per item.

    Columns: ``review_id``, ``item_id``, ``verdict``, ``note``, ``author``, ``decided_at``.
    """
    return _decisions(workspace, "label_error_reviews", fingerprint, latest=True)


def adjudication_history(workspace: Workspace, fingerprint: str, item_id: str) -> pd.DataFrame:
    """Every final-label decision on one item, oldest first (same columns as the latest)."""
    return _decisions(workspace, "adjudications", fingerprint, latest=False, item_id=str(item_id))


def label_error_history(workspace: Workspace, fingerprint: str, item_id: str) -> pd.DataFrame:
    """Every label-error verdict on one item, oldest first."""
    return _decisions(workspace, "label_error_reviews", fingerprint, latest=False, item_id=str(item_id))


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
