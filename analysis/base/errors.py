"""The project's exceptions and warnings: one base class, three kinds apart.

=========================  ===============================================================
class                      raised when
=========================  ===============================================================
:class:`AnalysisError`     base of every error below; ``except AnalysisError`` catches all
:class:`AnnotationDataError`  the user's data cannot be used as it is (an unreadable file,
                           a missing column, a malformed JSON line, a conflicting duplicate)
:class:`MalformedJsonError`  a JSON document or JSON line does not parse (an
                           ``AnnotationDataError``; so are the three below)
:class:`SeveralLabelsError`  a judgement of a single-label read holds several labels
:class:`ConflictingLabelsError`  rows repeat an item and annotator with different labels
                           and no timestamp chooses between them
:class:`MissingColumnsError`  a table has no column for a required field
:class:`WorkspaceError`    the workspace folder or database cannot be used (full disk,
                           read-only folder, damaged file); also an ``AnnotationDataError``
                           so older ``except`` clauses keep catching it
:class:`UsageError`        a caller passed an invalid option or array (``level="nominl"``,
                           negative vote counts)
:class:`NotFittedError`    an estimator was used before ``fit``
=========================  ===============================================================

:class:`ConvergenceWarning` says an iterative estimator stopped at its iteration limit.

Every error's string form is a single line naming the file, the place, the problem and
the fix, so the CLI can print it as it is and the dashboard can show it in an error box.

Options as data
---------------
A message that tells the user to set an option does not spell the option the way one
front end does (``--sheet`` on the command line, "Sheet" / "시트" in the dashboard).
It writes a placeholder such as ``{sheet}`` and each front end renders it with
:meth:`AnalysisError.render`; ``str(error)`` renders the neutral form ``'sheet' option``.
The option names are those of the command line without the dashes (``timestamp_col``
for ``--timestamp-col``); :attr:`AnalysisError.options` lists the ones a message uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

OptionNamer = Callable[[str], str]

#: The options a message may name by placeholder (the command line's flags without
#: dashes). Only these are substituted, so braces in user text never break a message.
OPTIONS: Final[frozenset[str]] = frozenset({
    "input_format", "encoding", "delimiter", "sheet", "item_col", "annotator_col",
    "label_col", "text_col", "timestamp_col", "batch_col", "group_col", "annotator_cols",
    "merge_labels", "text_b_col", "workspace", "model", "backend", "level", "task", "question", "label_sep",
    "kind_col", "model_annotators", "model_prefix", "include_models",
    "label_studio_url", "project",
})
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def neutral_option(name: str) -> str:
    """The front-end-neutral spelling of an option: ``'sheet' option``.

    Examples
    --------
    >>> neutral_option("timestamp_col")
    "'timestamp_col' option"
    """
    return f"'{name}' option"


def cli_option(name: str) -> str:
    """The command line's spelling of an option: ``--timestamp-col``.

    Examples
    --------
    >>> cli_option("timestamp_col")
    '--timestamp-col'
    """
    return "--" + name.replace("_", "-")


def _placeholders(text: str | None) -> list[str]:
    return [name for name in _PLACEHOLDER.findall(text or "") if name in OPTIONS]


def _substitute(text: str, option_name: OptionNamer) -> str:
    return _PLACEHOLDER.sub(
        lambda m: option_name(m.group(1)) if m.group(1) in OPTIONS else m.group(0), text)


class AnalysisError(Exception):
    """Base class of every error the project raises on purpose.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence. May hold option placeholders (``{sheet}``).
    file : str, optional
        The file (name or path) the problem was found in.
    location : str, optional
        Where in the file, e.g. ``"row 14"``, ``"line 3"`` or ``"column 'label'"``.
    fix : str, optional
        What the user can do about it. May hold option placeholders (``{sheet}``).
    option : str, optional
        The option the message is about, when it names none by placeholder (e.g. the
        ``level`` parameter of a usage error). Defaults to the first placeholder.

    Attributes
    ----------
    options : tuple of str
        Every option the message refers to (placeholders first, then ``option``).

    Examples
    --------
    >>> err = AnnotationDataError("the sheet 'x' does not exist", file="a.xlsx",
    ...                           fix="pass an existing sheet with {sheet}")
    >>> err.option, str(err)
    ('sheet', "a.xlsx: the sheet 'x' does not exist. Fix: pass an existing sheet with 'sheet' option.")
    >>> err.render(cli_option)
    "a.xlsx: the sheet 'x' does not exist. Fix: pass an existing sheet with --sheet."
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        location: str | None = None,
        fix: str | None = None,
        option: str | None = None,
    ) -> None:
        self.problem = problem.rstrip(".")
        self.file = file
        self.location = location
        self.fix = fix.rstrip(".") if fix else None
        named = _placeholders(self.problem) + _placeholders(self.fix)
        if option is not None and option not in named:
            named.append(option)
        self.options: tuple[str, ...] = tuple(dict.fromkeys(named))
        self.option: str | None = option if option is not None else (named[0] if named else None)
        super().__init__(self.render())

    def render(self, option_name: OptionNamer = neutral_option) -> str:
        """The one-line message with each option spelled by ``option_name``.

        Parameters
        ----------
        option_name : callable, default :func:`neutral_option`
            Maps an option name (``"sheet"``) to how the front end calls it
            (:func:`cli_option` gives ``"--sheet"``; the dashboard gives its widget label).
        """
        problem = _substitute(self.problem, option_name)
        fix = _substitute(self.fix, option_name) if self.fix else None
        where = ", ".join(part for part in (self.file, self.location) if part)
        text = f"{where}: {problem}." if where else f"{problem}."
        if fix:
            text += f" Fix: {fix}."
        # One line, always: the CLI prints it as-is and pipelines grep it.
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.render()


class AnnotationDataError(AnalysisError, ValueError):
    """Bad input data, described well enough for the user to fix it.

    Examples
    --------
    >>> err = AnnotationDataError("the file is empty", file="labels.csv",
    ...                           fix="export the annotations again")
    >>> str(err)
    'labels.csv: the file is empty. Fix: export the annotations again.'
    """


class MalformedJsonError(AnnotationDataError):
    """A JSON document or a JSON line of an export does not parse.

    Examples
    --------
    >>> str(MalformedJsonError("malformed JSON (Expecting value)", file="a.json",
    ...                        location="line 1, column 2"))
    'a.json, line 1, column 2: malformed JSON (Expecting value).'
    """


class SeveralLabelsError(AnnotationDataError):
    """A judgement holds several labels where one label per judgement is read."""


class ConflictingLabelsError(AnnotationDataError):
    """Rows repeat an item and annotator with different labels and no timestamp decides."""


class MissingColumnsError(AnnotationDataError):
    """A table has no column for one or more required fields.

    Parameters
    ----------
    missing : tuple of str
        The canonical fields not found, in the order the message names them.
    """

    def __init__(self, problem: str, *, missing: tuple[str, ...] = (), **where: str | None) -> None:
        self.missing = missing
        super().__init__(problem, **where)


class WorkspaceError(AnnotationDataError):
    """The workspace folder or database cannot be used as asked.

    Examples
    --------
    >>> str(WorkspaceError("the workspace is read-only", file="ws/workspace.sqlite3",
    ...                    fix="make the folder writable"))
    'ws/workspace.sqlite3: the workspace is read-only. Fix: make the folder writable.'
    """


class UsageError(AnalysisError, ValueError):
    """A function or estimator was called with an invalid option or argument.

    Examples
    --------
    >>> str(UsageError("The 'ties' parameter must be one of {'none', 'random'}. "
    ...                "Got 'randm' instead", option="ties"))
    "The 'ties' parameter must be one of {'none', 'random'}. Got 'randm' instead."
    """

    def __init__(self, problem: str, *, option: str | None = None, fix: str | None = None) -> None:
        super().__init__(problem, option=option, fix=fix)


class NotFittedError(UsageError, AttributeError):
    """An estimator was asked for a result before :meth:`fit` ran.

    Examples
    --------
    >>> str(NotFittedError("This DawidSkene instance is not fitted yet. Call 'fit' first"))
    "This DawidSkene instance is not fitted yet. Call 'fit' first."
    """


class ConvergenceWarning(UserWarning):
    """An iterative estimator stopped at its iteration limit before converging."""
