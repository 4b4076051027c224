"""The workspace database survives crashes, bad folders, full disks and old schemas."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError
from analysis.workspace import (
    DATABASE_NAME,
    RuleDraft,
    Workspace,
    WorkspaceError,
    create_rule,
    latest_adjudications,
    latest_label_error_reviews,
    list_rules,
    open_workspace,
    resolve_workspace_dir,
    review_label_error,
    rule_history,
    set_final_label,
)
from analysis.workspace.errors import translate_sqlite_error
from analysis.workspace.migrations import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_open_creates_folder_in_wal_mode_at_current_schema(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "nested" / "ws")
    assert ws.database == tmp_path / "nested" / "ws" / DATABASE_NAME
    assert _pragma(ws.database, "journal_mode") == "wal"
    assert _pragma(ws.database, "user_version") == SCHEMA_VERSION
    with ws.reading("check") as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 15000
    # Opening again (another session) neither fails nor migrates twice.
    assert open_workspace(tmp_path / "nested" / "ws").database == ws.database


def test_folder_resolution_argument_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", "/data/team-ws")
    assert resolve_workspace_dir("mine") == Path("mine")
    assert resolve_workspace_dir() == Path("/data/team-ws")
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE")
    assert resolve_workspace_dir() == Path("workspace")


def test_missing_workspace_is_an_error_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"no workspace found.*Fix: pass the folder"):
        open_workspace(tmp_path / "absent", create=False)
    assert not (tmp_path / "absent").exists()


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "ws").write_text("not a folder")
    with pytest.raises(WorkspaceError, match="is a file, not a folder"):
        open_workspace(tmp_path / "ws")


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    with pytest.raises(WorkspaceError, match="FOREIGN KEY"), ws.transaction("insert") as conn:
        conn.execute(
            "INSERT INTO adjudications (fingerprint, item_id, label, decided_at) VALUES ('nope', 'a', 'x', 'now')"
        )


@pytest.mark.parametrize(
    "garbage",
    [b"\x00\xffgarbage" * 500, b"SQLite format 3\x00" + os.urandom(4000)],
    ids=["random-bytes", "valid-header-then-garbage"],
)
def test_corrupt_file_gives_a_clear_error_and_callers_carry_on(tmp_path: Path, garbage: bytes) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(garbage)
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(tmp_path / DATABASE_NAME) in message
    assert "not a readable workspace database" in message
    assert "Fix: move the file aside" in message
    assert isinstance(caught.value, AnnotationDataError)  # the CLI prints it and exits 2

    def open_or_none() -> Workspace | None:  # how the dashboard keeps working without one
        try:
            return open_workspace(tmp_path)
        except WorkspaceError:
            return None

    assert open_or_none() is None
    assert (tmp_path / DATABASE_NAME).read_bytes() == garbage  # never "repaired" by overwriting


def test_damaged_page_inside_a_valid_database_is_detected(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    for i in range(300):
        set_final_label(ws, "f", f"item-{i}", "pos", note="n" * 200)
    raw = bytearray(ws.database.read_bytes())
    page_size = _pragma(ws.database, "page_size")
    assert isinstance(page_size, int)
    start = page_size * 5
    raw[start : start + page_size] = b"\xab" * page_size
    ws.database.write_bytes(bytes(raw))
    with pytest.raises(WorkspaceError, match="not a readable workspace database"):
        open_workspace(tmp_path)


def test_newer_schema_is_refused_without_touching_it(tmp_path: Path) -> None:
    open_workspace(tmp_path)
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorkspaceError, match=r"newer release.*Fix: upgrade"):
        open_workspace(tmp_path)
    assert _pragma(tmp_path / DATABASE_NAME, "user_version") == SCHEMA_VERSION + 1


@pytest.mark.skipif(IS_ROOT, reason="permission bits do not bind the root user")
def test_read_only_folder_and_file(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    set_final_label(ws, "f", "a", "pos")
    ws.database.chmod(0o444)
    (tmp_path / "ws").chmod(0o555)
    try:
        with pytest.raises(WorkspaceError, match=r"read-only.*Fix: make the folder"):
            open_workspace(tmp_path / "ws")
        with pytest.raises(WorkspaceError, match="cannot create the workspace folder"):
            open_workspace(tmp_path / "ws" / "child")
    finally:
        (tmp_path / "ws").chmod(0o755)
        ws.database.chmod(0o644)


def test_read_only_folder_is_reported_at_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_workspace(tmp_path)
    # Simulated for every user (root ignores permission bits): the folder is not writable.
    monkeypatch.setattr("analysis.workspace.store.os.access", lambda path, mode: False)
    with pytest.raises(WorkspaceError, match=r"workspace is read-only.*Fix: make the folder and its files writable"):
        open_workspace(tmp_path)


def test_writes_to_a_read_only_database_are_refused_clearly(tmp_path: Path) -> None:
    writable = open_workspace(tmp_path)
    set_final_label(writable, "f", "a", "pos")
    ws = open_workspace(tmp_path, read_only=True)
    assert latest_adjudications(ws, "f")["label"].tolist() == ["pos"]
    with pytest.raises(WorkspaceError, match="opened read-only"):
        set_final_label(ws, "f", "a", "neg")
    # The SQLite-level refusal reads as clearly as ours.
    conn = ws._connect()
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO datasets (fingerprint, first_seen) VALUES ('x', 'now')")
    finally:
        conn.close()
    error = translate_sqlite_error(caught.value, path="ws.sqlite3", action="save")
    assert "the workspace is read-only" in str(error)
    assert latest_adjudications(writable, "f")["label"].tolist() == ["pos"]


def test_full_disk_saves_nothing_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = open_workspace(tmp_path)
    set_final_label(ws, "f", "kept", "pos")
    original = Workspace._connect

    def connect_on_a_full_disk(self: Workspace) -> sqlite3.Connection:
        conn = original(self)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(Workspace, "_connect", connect_on_a_full_disk)
    with pytest.raises(WorkspaceError, match=r"the disk is full and nothing was saved.*Fix: free disk space"):
        set_final_label(ws, "f", "big", "neg", note="x" * 1_000_000)
    monkeypatch.undo()
    assert latest_adjudications(ws, "f")["item_id"].tolist() == ["kept"]
    set_final_label(ws, "f", "after", "neg")  # the workspace keeps working once there is room
    assert len(latest_adjudications(ws, "f")) == 2


_KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from analysis.workspace import open_workspace, set_final_label
    ws = open_workspace({folder!r})
    set_final_label(ws, "f", "committed", "pos", note="saved before the crash")
    with ws.transaction("crash test") as conn:
        for i in range(300):
            conn.execute(
                "INSERT INTO adjudications (fingerprint, item_id, label, note, decided_at) "
                "VALUES ('f', ?, 'neg', ?, 'now')", (f"lost-{{i}}", "x" * 20000))
        print("inside", flush=True)
        time.sleep(60)
    """
)


def test_writer_killed_mid_transaction_leaves_a_consistent_database(tmp_path: Path) -> None:
    script = _KILLED_WRITER.format(root=str(ROOT), folder=str(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inside"
        assert (tmp_path / f"{DATABASE_NAME}-wal").stat().st_size > 1_000_000  # uncommitted pages hit the WAL
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    ws = open_workspace(tmp_path)  # runs quick_check: it would raise on damage
    assert _pragma(ws.database, "integrity_check") == "ok"
    assert latest_adjudications(ws, "f")["item_id"].tolist() == ["committed"]
    set_final_label(ws, "f", "next", "pos")  # the lock died with the writer
    assert len(latest_adjudications(ws, "f")) == 2


# The schema as release 1 created it (kept verbatim here, independent of migrations.py).
_SCHEMA_V1 = """
CREATE TABLE datasets (fingerprint TEXT PRIMARY KEY, name TEXT, n_rows INTEGER, first_seen TEXT NOT NULL);
CREATE TABLE rules (rule_id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT REFERENCES datasets(fingerprint),
    source_cluster TEXT, created_at TEXT NOT NULL, created_by TEXT);
CREATE TABLE rule_versions (rule_id INTEGER NOT NULL REFERENCES rules(rule_id),
    version INTEGER NOT NULL CHECK (version >= 1), title TEXT NOT NULL, body TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('prefer', 'new_label')), label_a TEXT, label_b TEXT,
    new_label TEXT, example_item_ids TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('draft', 'accepted')), author TEXT, saved_at TEXT NOT NULL,
    PRIMARY KEY (rule_id, version));
CREATE TABLE adjudications (decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL REFERENCES datasets(fingerprint), item_id TEXT NOT NULL, label TEXT,
    note TEXT NOT NULL DEFAULT '', author TEXT, decided_at TEXT NOT NULL);
CREATE INDEX adjudications_item ON adjudications (fingerprint, item_id, decision_id);
PRAGMA user_version = 1;
"""


def test_migration_from_schema_1_keeps_every_row(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    conn.executescript(_SCHEMA_V1)
    conn.executescript(
        """
        INSERT INTO datasets VALUES ('fp', '뉴스 주제', 12, '2024-01-01T00:00:00+00:00');
        INSERT INTO rules (fingerprint, source_cluster, created_at, created_by)
            VALUES ('fp', '3', '2024-01-01T00:00:00+00:00', '민지'), (NULL, NULL, '2024-01-02T00:00:00+00:00', NULL);
        INSERT INTO rule_versions VALUES
            (1, 1, '경제 vs 정치', '정책 발표는 <b>정치</b>', 'prefer', '정치', '경제', NULL, '["n1","n2"]', 'draft', '민지', '2024-01-01T00:00:00+00:00'),
            (1, 2, '경제 vs 정치', '정책 발표는 정치', 'prefer', '정치', '경제', NULL, '["n1"]', 'accepted', '민지', '2024-01-03T00:00:00+00:00'),
            (2, 1, 'Mixed', '', 'new_label', 'pos', 'neg', 'mixed', '[]', 'draft', NULL, '2024-01-02T00:00:00+00:00');
        INSERT INTO adjudications (fingerprint, item_id, label, note, author, decided_at) VALUES
            ('fp', 'n1', '정치', '첫 판정', '민지', '2024-01-04T00:00:00+00:00'),
            ('fp', 'n1', '경제', 'second thoughts', NULL, '2024-01-05T00:00:00+00:00'),
            ('fp', 'n2', NULL, 'cleared', NULL, '2024-01-06T00:00:00+00:00');
        """
    )
    conn.commit()
    conn.close()

    ws = open_workspace(tmp_path)
    assert _pragma(ws.database, "user_version") == SCHEMA_VERSION
    first = rule_history(ws, 1)
    assert [(v.version, v.status, v.body, v.example_item_ids, v.batch) for v in first] == [
        (1, "draft", "정책 발표는 <b>정치</b>", ("n1", "n2"), None),
        (2, "accepted", "정책 발표는 정치", ("n1",), None),
    ]
    assert first[0].author == "민지" and first[0].fingerprint == "fp" and first[0].source_cluster == "3"
    assert [(r.rule_id, r.new_label) for r in list_rules(ws)] == [(1, None), (2, "mixed")]
    with ws.reading("count") as check:
        assert check.execute("SELECT COUNT(*) FROM adjudications").fetchone()[0] == 3
        assert check.execute("SELECT name, n_rows FROM datasets").fetchall() == [("뉴스 주제", 12)]
    latest = latest_adjudications(ws, "fp")
    assert latest[["item_id", "label", "note"]].astype(object).where(latest.notna(), None).values.tolist() == [
        ["n1", "경제", "second thoughts"],
        ["n2", None, "cleared"],
    ]
    # The new schema's parts work on the migrated file.
    review_label_error(ws, "fp", "n1", "not_error")
    create_rule(ws, RuleDraft("After migration", label_a="a", label_b="b", batch="round-2"))
    assert latest_label_error_reviews(ws, "fp")["verdict"].tolist() == ["not_error"]
    assert rule_history(ws, 3)[0].rule_id == 3  # AUTOINCREMENT carried on
