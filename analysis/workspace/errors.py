"""Workspace problems described for the person who can fix them.

A workspace that cannot be opened or written must never take the analysis down with it:
every storage failure becomes a :class:`~analysis.base.errors.WorkspaceError` (defined with
the other errors in :mod:`analysis.base.errors`; the CLI prints it as one line and exits 2),
and callers that can work without a workspace catch it and carry on.
"""

from __future__ import annotations

import sqlite3

from analysis.base.errors import WorkspaceError

_WORKSPACE_FIX = (
    "choose another workspace folder with {workspace} or the LABEL_AGREEMENT_WORKSPACE "
    "environment variable"
)


class RuleConflictError(WorkspaceError):
    """A rule was saved by someone else since the version the edit started from."""


def translate_sqlite_error(error: sqlite3.Error, *, path: str, action: str) -> WorkspaceError:
    """Turn an ``sqlite3`` exception into a :class:`WorkspaceError` saying what to do.

    Parameters
    ----------
    error : sqlite3.Error
        The exception raised by the driver.
    path : str
        The database file, named in the message.
    action : str
        What was being done, e.g. ``"open the workspace"`` or ``"save the rule"``.

    Examples
    --------
    >>> err = translate_sqlite_error(sqlite3.OperationalError("database or disk is full"),
    ...                              path="ws/workspace.sqlite3", action="save the rule")
    >>> str(err).split(" Fix:")[0]
    'ws/workspace.sqlite3: could not save the rule: the disk is full and nothing was saved.'
    """
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        problem = "the disk is full and nothing was saved"
        fix = "free disk space and try again, or " + _WORKSPACE_FIX
    elif "readonly" in text or "read-only" in text:
        problem = "the workspace is read-only"
        fix = "make the folder and its files writable, or " + _WORKSPACE_FIX
    elif "unable to open" in text or "disk i/o error" in text:
        problem = "the database file cannot be opened or written (missing permission or folder)"
        fix = "check that the folder exists and is writable, or " + _WORKSPACE_FIX
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        problem = "the file is not a readable workspace database (it may be damaged)"
        fix = (
            "move the file aside (keep it as a backup) so a fresh workspace is created, "
            "or restore it from a backup"
        )
    elif "locked" in text or "busy" in text:
        problem = "another program kept the workspace locked for too long"
        fix = "try again in a moment; close other programs writing to the same workspace"
    else:
        problem = f"the database reported '{error}'"
        fix = "try again; if it persists, " + _WORKSPACE_FIX
    return WorkspaceError(f"could not {action}: {problem}", file=path, fix=fix)
