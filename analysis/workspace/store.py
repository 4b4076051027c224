"""The workspace database: where it lives, how it is opened, how it is written.

One SQLite file, ``workspace.sqlite3``, in a workspace folder chosen by argument, by the
``LABEL_AGREEMENT_WORKSPACE`` environment variable, or ``./workspace`` by default.

Why it can be trusted with hours of work:

* WAL journal with ``synchronous=FULL``: readers never block the writer and a committed
  change survives a crash or power cut.
* Every write runs in one ``BEGIN IMMEDIATE`` transaction on its own short-lived
  connection, waiting (``busy_timeout``) rather than failing when another browser
  session or process is writing; nothing is ever updated in place, only appended.
* ``foreign_keys=ON``, ``CHECK`` constraints and versioned migrations
  (``PRAGMA user_version``) that keep every row.
* Every storage failure (read-only folder, full disk, damaged file, newer schema)
  becomes a one-line :class:`~analysis.workspace.errors.WorkspaceError` with a fix.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from analysis.workspace.errors import WorkspaceError, translate_sqlite_error
from analysis.workspace.migrations import (
    MIGRATIONS,
    READ_ONLY_FROM,
    SCHEMA_TABLES,
    SCHEMA_VERSION,
    statements,
)

WORKSPACE_ENV: Final = "LABEL_AGREEMENT_WORKSPACE"
DATABASE_NAME: Final = "workspace.sqlite3"
DEFAULT_FOLDER: Final = "workspace"

_FOLDER_FIX: Final = (
    "pass an existing, writable folder with {workspace} or the "
    "LABEL_AGREEMENT_WORKSPACE environment variable"
)


def resolve_workspace_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder: ``path`` if given, else ``$LABEL_AGREEMENT_WORKSPACE``, else ``./workspace``.

    Examples
    --------
    >>> resolve_workspace_dir("projects/ner").as_posix()
    'projects/ner'
    """
    if path is not None and str(path).strip():
        return Path(path).expanduser()
    from_env = os.environ.get(WORKSPACE_ENV, "").strip()
    return Path(from_env).expanduser() if from_env else Path(DEFAULT_FOLDER)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Workspace:
    """An opened workspace; create it with :func:`open_workspace`.

    The object holds only paths, so it can be shared between threads (one Streamlit
    server) and re-created in other processes; each operation opens its own connection.

    Attributes
    ----------
    folder : Path
        The workspace folder.
    database : Path
        The SQLite file inside it.
    read_only : bool
        Whether writes are refused.
    """

    def __init__(
        self, folder: Path, *, read_only: bool = False, timeout_s: float = 15.0
    ) -> None:
        self.folder = folder
        self.database = folder / DATABASE_NAME
        self.read_only = read_only
        self.timeout_s = timeout_s

    def __repr__(self) -> str:
        mode = ", read-only" if self.read_only else ""
        return f"Workspace({str(self.folder)!r}{mode})"

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            target, uri = f"{self.database.resolve().as_uri()}?mode=ro", True
        else:
            target, uri = str(self.database), False
        conn = sqlite3.connect(
            target, timeout=self.timeout_s, isolation_level=None, uri=uri, check_same_thread=True
        )
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    @contextmanager
    def transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        """Run a block as one write transaction: all of it is saved, or none of it.

        Parameters
        ----------
        action : str
            What is being saved, for the error message (``"save the rule"``).

        Raises
        ------
        WorkspaceError
            The workspace is read-only, the disk is full, the file is damaged, or
            another writer held the lock longer than the timeout. Nothing was saved.
        """
        if self.read_only:
            raise WorkspaceError(
                f"could not {action}: the workspace was opened read-only",
                file=str(self.database),
                fix="open it for writing",
            )
        with self._transaction("BEGIN IMMEDIATE", action) as conn:
            yield conn

    @contextmanager
    def reading(self, action: str) -> Iterator[sqlite3.Connection]:
        """Run a block of reads on one consistent snapshot of the database."""
        with self._transaction("BEGIN", action) as conn:
            yield conn

    @contextmanager
    def _transaction(self, begin: str, action: str) -> Iterator[sqlite3.Connection]:
        """One connection, one transaction: committed on success, rolled back on any error."""
        conn = None
        try:
            conn = self._connect()
            conn.execute(begin)
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            _rollback(conn)
            raise translate_sqlite_error(error, path=str(self.database), action=action) from error
        except BaseException:
            _rollback(conn)
            raise
        finally:
            if conn is not None:
                conn.close()


def _rollback(conn: sqlite3.Connection | None) -> None:
    if conn is not None and conn.in_transaction:
        # If even this fails the connection is closed next and SQLite discards the transaction.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def open_workspace(
    path: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    read_only: bool = False,
    timeout_s: float = 15.0,
) -> Workspace:
    """Open (and if needed create and migrate) the workspace in a folder.

    Parameters
    ----------
    path : str or PathLike, optional
        The workspace folder; see :func:`resolve_workspace_dir` for the default.
    create : bool, default True
        Create the folder and database when missing. With ``False`` a missing
        workspace is an error (commands that only read, such as exports).
    read_only : bool, default False
        Open without writing anything (no migration; the schema must be current).
    timeout_s : float, default 15.0
        How long a write waits for another writer before giving up.

    Returns
    -------
    Workspace

    Raises
    ------
    WorkspaceError
        The folder cannot be created or written, the file is not a workspace database
        or is damaged, or it was written by a newer release. Callers that can work
        without a workspace catch this and carry on.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     open_workspace(folder).database.name
    'workspace.sqlite3'
    """
    folder = resolve_workspace_dir(path)
    database = folder / DATABASE_NAME
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError("the workspace path is a file, not a folder", file=str(folder), fix=_FOLDER_FIX)
    if not database.exists():
        if not create or read_only:
            raise WorkspaceError(
                f"no workspace found (no {DATABASE_NAME} in this folder)",
                file=str(folder),
                fix="pass the folder that holds the workspace with {workspace} or LABEL_AGREEMENT_WORKSPACE",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WorkspaceError(
                f"cannot create the workspace folder ({error.strerror or error})",
                file=str(folder),
                fix=_FOLDER_FIX,
            ) from error
    if not read_only and not (os.access(folder, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))):
        raise WorkspaceError(
            "the workspace is read-only, so decisions and rules could not be saved",
            file=str(database),
            fix="make the folder and its files writable, or " + _FOLDER_FIX,
        )
    workspace = Workspace(folder, read_only=read_only, timeout_s=timeout_s)
    _prepare(workspace)
    return workspace


def _prepare(workspace: Workspace) -> None:
    where = str(workspace.database)
    try:
        conn = workspace._connect()
    except sqlite3.Error as error:
        raise translate_sqlite_error(error, path=where, action="open the workspace") from error
    try:
        (check,) = conn.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"the workspace was written by a newer release (schema {version}, "
                f"this release reads up to {SCHEMA_VERSION})",
                file=where,
                fix="upgrade label-agreement-dashboard",
            )
        _refuse_foreign(conn, version, where)
        if not workspace.read_only:  # only now: setting WAL writes to the file's header
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if version < SCHEMA_VERSION:
            if workspace.read_only and version >= READ_ONLY_FROM:
                return  # the later steps' tables read as empty (table_exists)
            if workspace.read_only:
                raise WorkspaceError(
                    f"the workspace uses an older schema ({version}) and was opened read-only",
                    file=where,
                    fix="open it once for writing so it is upgraded",
                )
            _migrate(conn)
    except sqlite3.Error as error:
        _rollback(conn)
        raise translate_sqlite_error(error, path=where, action="open the workspace") from error
    finally:
        conn.close()


def _refuse_foreign(conn: sqlite3.Connection, version: int, where: str) -> None:
    """Refuse an SQLite file that another program wrote, before anything is written.

    A workspace at schema step ``version`` holds exactly the tables its steps created;
    at step 0 it is empty. Any other database named ``workspace.sqlite3`` (copied in by
    mistake, or a different tool's file) is refused rather than migrated into one.
    """
    found = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    expected: set[str] = set().union(*SCHEMA_TABLES[:version])
    if found == expected or (version > 0 and expected <= found):
        return
    shown = ", ".join(sorted(found)[:8]) or "none"
    raise WorkspaceError(
        f"this SQLite file is not a workspace of this tool (schema step {version}, tables: "
        f"{shown}), so it was left unchanged",
        file=where,
        fix="choose another workspace folder with {workspace} or LABEL_AGREEMENT_WORKSPACE, "
        f"or move this {DATABASE_NAME} elsewhere if it belongs to another program",
    )


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing migration steps, one transaction each."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        # Read again under the write lock: another process may have migrated meanwhile.
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version >= SCHEMA_VERSION:
            conn.execute("COMMIT")
            return
        for statement in statements(MIGRATIONS[version]):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database has table ``name`` (a read-only open of an older schema may not)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def ensure_dataset(
    conn: sqlite3.Connection, fingerprint: str, *, name: str | None = None, n_rows: int | None = None
) -> None:
    """Record a dataset fingerprint (inside an open write transaction) if it is new."""
    conn.execute(
        "INSERT INTO datasets (fingerprint, name, n_rows, first_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (fingerprint) DO UPDATE SET name = COALESCE(datasets.name, excluded.name), "
        "n_rows = COALESCE(datasets.n_rows, excluded.n_rows)",
        (fingerprint, name, n_rows, utc_now()),
    )


def register_dataset(
    workspace: Workspace, fingerprint: str, *, name: str | None = None, n_rows: int | None = None
) -> None:
    """Record a dataset (its fingerprint, a display name, its row count)."""
    with workspace.transaction("record the dataset") as conn:
        ensure_dataset(conn, fingerprint, name=name, n_rows=n_rows)
