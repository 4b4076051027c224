"""Adjudication, label-error reviews, gold labels, review progress and dataset fingerprints."""

from __future__ import annotations

import io
import sqlite3
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.base.errors import AnnotationDataError
from analysis.workspace import (
    Workspace,
    adjudication_history,
    dataset_fingerprint,
    gold_labels,
    label_error_history,
    latest_label_error_reviews,
    open_workspace,
    review_label_error,
    review_progress,
    set_final_label,
    set_final_spans,
)
from analysis.workspace.adjudication import FINAL_LABELS, FINAL_SPANS, LABEL_ERROR_REVIEWS


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return open_workspace(tmp_path)


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": ["a", "a", "a", "b", "b", "c", "c", "d"],
            "annotator": ["x", "y", "z", "x", "y", "x", "y", "z"],
            "label": ["pos", "pos", "neg", "pos", "neg", "neg", "neg", "neu"],
            "text": ["ta"] * 3 + ["tb"] * 2 + ["tc"] * 2 + ["td"],
        }
    )


def test_latest_final_label_wins_and_history_is_kept(ws: Workspace) -> None:
    set_final_label(ws, "f", "a", "pos", note="first", author="mina")
    set_final_label(ws, "f", "a", "neg", note="=second")
    set_final_label(ws, "other-dataset", "a", "neu")
    history = adjudication_history(ws, "f", "a")
    assert history[["label", "note", "author"]].astype(object).where(history.notna(), None).values.tolist() == [
        ["pos", "first", "mina"],
        ["neg", "=second", None],
    ]
    assert history["decision_id"].is_monotonic_increasing


def test_gold_labels_override_consensus_and_fall_back_when_cleared(ws: Workspace, table: pd.DataFrame) -> None:
    consensus = {"a": "pos", "c": "neg", "d": "neu"}  # b is a tie
    set_final_label(ws, "f", "b", "neg", note="tie broken", author="lead")
    set_final_label(ws, "f", "c", "pos", note="all wrong")
    set_final_label(ws, "f", "d", "pos")
    set_final_label(ws, "f", "d", None, note="undo")  # cleared: consensus again
    set_final_label(ws, "f", "zzz", "pos")  # not in this table
    gold = gold_labels(table, ws, "f", consensus)
    assert list(gold.columns) == ["item_id", "label", "source", "consensus_label", "note", "author", "decided_at"]
    rows = gold[["item_id", "label", "source", "consensus_label", "note"]].astype(object)
    assert rows.where(rows.notna(), None).values.tolist() == [
        ["a", "pos", "consensus", "pos", None],
        ["b", "neg", "adjudicated", None, "tie broken"],
        ["c", "pos", "adjudicated", "neg", "all wrong"],
        ["d", "neu", "consensus", "neu", None],
    ]


def test_gold_leaves_out_unresolved_items(ws: Workspace, table: pd.DataFrame) -> None:
    gold = gold_labels(table, ws, "f", {"a": "pos"})
    assert gold["item_id"].tolist() == ["a"]
    assert set(gold["source"]) <= {"adjudicated", "consensus"}


def test_label_error_reviews_and_progress(ws: Workspace) -> None:
    review_label_error(ws, "f", "a", "confirmed_error", note="typo", author="mina")
    review_label_error(ws, "f", "a", "not_error", note="on reflection")
    review_label_error(ws, "f", "b", "confirmed_error")
    set_final_label(ws, "f", "c", "pos")
    set_final_label(ws, "f", "d", "pos")
    set_final_label(ws, "f", "d", None)
    assert latest_label_error_reviews(ws, "f")[["item_id", "verdict"]].values.tolist() == [
        ["a", "not_error"],
        ["b", "confirmed_error"],
    ]
    assert label_error_history(ws, "f", "a")["verdict"].tolist() == ["confirmed_error", "not_error"]
    candidates = ["a", "b", "c", "d", "e"]
    assert review_progress(ws, "f", candidates).reviewed == 3
    assert review_progress(ws, "f", candidates, kind="label_error").reviewed == 2
    progress = review_progress(ws, "f", candidates, kind="adjudication")
    assert (progress.reviewed, progress.total, progress.fraction) == (1, 5, 0.2)
    assert review_progress(ws, "f", []).fraction == 0.0
    with pytest.raises(AnnotationDataError, match="must be one of"):
        review_label_error(ws, "f", "a", "maybe")  # type: ignore[arg-type]
    with pytest.raises(AnnotationDataError, match="item id is empty"):
        set_final_label(ws, "f", " ", "pos")


def test_fingerprint_ignores_order_format_and_extra_columns(table: pd.DataFrame) -> None:
    reference = dataset_fingerprint(table)
    shuffled = table.sample(frac=1.0, random_state=3)[["label", "annotator", "item_id"]]
    assert dataset_fingerprint(shuffled) == reference
    via_csv = pd.read_csv(io.StringIO(table.to_csv(index=False)), dtype="string")
    assert dataset_fingerprint(via_csv) == reference
    nfd = table.assign(label=table["label"].replace({"neu": "중립"}))
    nfc_version = dataset_fingerprint(nfd)
    assert dataset_fingerprint(nfd.assign(label=nfd["label"].map(lambda s: unicodedata.normalize("NFD", s)))) == nfc_version
    changed = table.copy()
    changed.loc[0, "label"] = "neg"
    assert dataset_fingerprint(changed) != reference
    assert dataset_fingerprint(table.iloc[1:]) != reference
    # Field boundaries cannot be forged by moving a separator between columns.
    left = pd.DataFrame({"item_id": ["a|b"], "annotator": ["c"], "label": ["d"]})
    right = pd.DataFrame({"item_id": ["a"], "annotator": ["b|c"], "label": ["d"]})
    assert dataset_fingerprint(left) != dataset_fingerprint(right)
    with pytest.raises(AnnotationDataError, match="no column"):
        dataset_fingerprint(table.drop(columns="label"))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.text(max_size=4), st.text(max_size=4), st.text(min_size=1, max_size=3)), max_size=12),
    seed=st.integers(0, 2**16),
)
def test_fingerprint_is_permutation_invariant(rows: list[tuple[str, str, str]], seed: int) -> None:
    frame = pd.DataFrame(rows, columns=["item_id", "annotator", "label"], dtype="string")
    permuted = frame.iloc[np.random.default_rng(seed).permutation(len(frame))]
    assert dataset_fingerprint(permuted) == dataset_fingerprint(frame)


def test_decisions_reattach_when_the_same_export_is_loaded_again(ws: Workspace, table: pd.DataFrame) -> None:
    set_final_label(ws, dataset_fingerprint(table), "b", "neg")
    reloaded = table.iloc[::-1].reset_index(drop=True)
    gold = gold_labels(reloaded, ws, dataset_fingerprint(reloaded), {})
    assert gold[["item_id", "label", "source"]].values.tolist() == [["b", "neg", "adjudicated"]]


def test_every_kind_of_decision_shares_one_append_only_log(tmp_path: Path) -> None:
    """Final labels, label-error reviews and final spans are read the same way from their
    own tables: the latest row per item wins, the history keeps every row in order, and
    the columns are the workspace table's columns."""
    ws = open_workspace(tmp_path)
    first = set_final_label(ws, "f", "a", "p")
    set_final_label(ws, "f", "b", "n")
    last = set_final_label(ws, "f", "a", None, note="cleared")
    review_label_error(ws, "f", "a", "confirmed_error")
    review_label_error(ws, "f", "a", "not_error")
    set_final_spans(ws, "f", "d", [(0, 1, "X")])
    set_final_spans(ws, "f", "d", [])
    with sqlite3.connect(ws.database) as conn:
        for log in (FINAL_LABELS, LABEL_ERROR_REVIEWS, FINAL_SPANS):
            stored = [row[1] for row in conn.execute(f"PRAGMA table_info({log.table})")]
            assert stored == [log.key, "fingerprint", "item_id", log.value, "note", "author",
                              "decided_at"]
    conn.close()
    latest = FINAL_LABELS.read(ws, "f", latest=True)
    assert latest["item_id"].tolist() == ["b", "a"]  # ordered by the latest decision
    assert latest["decision_id"].tolist() == [first + 1, last]
    assert latest["label"].isna().tolist() == [False, True]
    history = FINAL_LABELS.read(ws, "f", latest=False, item_id="a")
    assert history["label"].tolist()[0] == "p" and history["note"].tolist() == ["", "cleared"]
    assert LABEL_ERROR_REVIEWS.read(ws, "f", latest=True)["verdict"].tolist() == ["not_error"]
    assert FINAL_SPANS.read(ws, "f", latest=False)["spans"].tolist() == [[(0, 1, "X")], []]
    assert FINAL_SPANS.read(ws, "f", latest=True)["spans"].tolist() == [[]]
    assert FINAL_SPANS.read(ws, "other", latest=True).empty
