"""The one exception type for bad user data.

Every problem a user can fix (an unreadable file, a missing column, a malformed JSON
line, a conflicting duplicate) is raised as :class:`AnnotationDataError`. Its string form
is a single line naming the file, the place, the problem and the fix, so the CLI can
print it as it is and the dashboard can show it in an error box.
"""

from __future__ import annotations


class AnnotationDataError(ValueError):
    """Bad input data, described well enough for the user to fix it.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    file : str, optional
        The file (name or path) the problem was found in.
    location : str, optional
        Where in the file, e.g. ``"row 14"``, ``"line 3"`` or ``"column 'label'"``.
    fix : str, optional
        What the user can do about it.

    Examples
    --------
    >>> err = AnnotationDataError("the file is empty", file="labels.csv",
    ...                           fix="export the annotations again")
    >>> str(err)
    'labels.csv: the file is empty. Fix: export the annotations again.'
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        location: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem.rstrip(".")
        self.file = file
        self.location = location
        self.fix = fix.rstrip(".") if fix else None
        super().__init__(self._render())

    def _render(self) -> str:
        where = ", ".join(part for part in (self.file, self.location) if part)
        text = f"{where}: {self.problem}." if where else f"{self.problem}."
        if self.fix:
            text += f" Fix: {self.fix}."
        # One line, always: the CLI prints it as-is and pipelines grep it.
        return " ".join(text.split())
