"""Guideline rules with a full version history.

A rule says how to decide between two labels that annotators confuse ("label A, not
B") or introduces a new label for such cases. Edits never overwrite: every save appends
a version, and accepting a rule appends a version with status ``accepted`` (optionally
tied to the batch/round where it took effect). The guideline document shows each rule's
latest *accepted* version, so a draft edit of an accepted rule never leaks into it.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.base.particles import attach_particles
from analysis.workspace.errors import RuleConflictError, WorkspaceError
from analysis.workspace.store import Workspace, ensure_dataset, utc_now

Decision = Literal["prefer", "new_label"]
RuleStatus = Literal["draft", "accepted"]
RuleFilter = Literal["any", "draft", "accepted"]


@dataclass(frozen=True)
class RuleDraft:
    """The editable content of a rule (what one save stores).

    Attributes
    ----------
    title : str
        One line, e.g. ``"Sarcastic praise is negative"``.
    body : str
        Markdown explanation, stored verbatim.
    decision : {"prefer", "new_label"}
        ``"prefer"``: use ``label_a``, not ``label_b``. ``"new_label"``: use
        ``new_label`` for the cases between ``label_a`` and ``label_b``.
    label_a, label_b : str or None
        The confused label pair (``label_a`` is the one to use for ``"prefer"``).
    new_label : str or None
        The label introduced by a ``"new_label"`` decision.
    example_item_ids : tuple of str
        Items that illustrate the rule.
    batch : str or None
        The batch/round where this version takes effect.
    """

    title: str
    body: str = ""
    decision: Decision = "prefer"
    label_a: str | None = None
    label_b: str | None = None
    new_label: str | None = None
    example_item_ids: tuple[str, ...] = field(default_factory=tuple)
    batch: str | None = None

    def validated(self) -> RuleDraft:
        """Return the draft with whitespace trimmed, or raise naming what is missing."""
        title = " ".join(self.title.split())
        if not title:
            raise AnnotationDataError("the rule has no title", location="field 'title'", fix="give the rule a one-line title")
        if self.decision not in ("prefer", "new_label"):
            raise AnnotationDataError(
                f"the 'decision' of a rule must be one of {{'prefer', 'new_label'}}; got {self.decision!r} instead",
                location="field 'decision'",
                fix="choose 'prefer' or 'new_label'",
            )
        label_a, label_b, new_label = (_clean(v) for v in (self.label_a, self.label_b, self.new_label))
        if self.decision == "prefer" and (not label_a or not label_b or label_a == label_b):
            raise AnnotationDataError(
                "a 'prefer' rule needs two different labels (label A to use, label B not to use)",
                location="fields 'label_a', 'label_b'",
                fix="choose both labels of the confused pair",
            )
        if self.decision == "new_label" and not new_label:
            raise AnnotationDataError(
                "a 'new_label' rule needs the name of the new label",
                location="field 'new_label'",
                fix="enter the new label",
            )
        examples = tuple(dict.fromkeys(str(item).strip() for item in self.example_item_ids if str(item).strip()))
        return replace(
            self,
            title=title,
            label_a=label_a,
            label_b=label_b,
            new_label=new_label if self.decision == "new_label" else None,
            example_item_ids=examples,
            batch=_clean(self.batch),
        )


@dataclass(frozen=True)
class RuleVersion(RuleDraft):
    """One saved version of a rule, as read back from the workspace.

    Attributes
    ----------
    rule_id, version : int
        The rule and its version number (1, 2, ...).
    status : {"draft", "accepted"}
    author : str or None
        Who saved this version.
    saved_at : str
        ISO 8601 UTC time of the save.
    fingerprint : str or None
        The dataset the rule's example items come from.
    source_cluster : str or None
        The ambiguity cluster the rule was drafted from.
    """

    rule_id: int = 0
    version: int = 0
    status: RuleStatus = "draft"
    author: str | None = None
    saved_at: str = ""
    fingerprint: str | None = None
    source_cluster: str | None = None

    @property
    def draft(self) -> RuleDraft:
        """The editable content, to start the next version from."""
        return RuleDraft(
            title=self.title, body=self.body, decision=self.decision, label_a=self.label_a,
            label_b=self.label_b, new_label=self.new_label,
            example_item_ids=self.example_item_ids, batch=self.batch,
        )  # fmt: skip


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def decision_text(rule: RuleDraft, language: str = "en") -> str:
    """The decision in words (``language`` ``"en"`` or ``"ko"``).

    Examples
    --------
    >>> decision_text(RuleDraft("t", label_a="neg", label_b="neu"))
    "Use 'neg', not 'neu'."
    >>> decision_text(RuleDraft("t", decision="new_label", label_a="neg", label_b="neu", new_label="mixed"))
    "Use the new label 'mixed' (instead of 'neg' or 'neu')."
    >>> decision_text(RuleDraft("t", label_a="경제", label_b="사회"), "ko")
    "'사회'가 아니라 '경제'를 씁니다."
    """
    if language == "ko":

        if rule.decision == "new_label":
            pair = [label for label in (rule.label_a, rule.label_b) if label]
            instead = f"({' 또는 '.join(repr(label) for label in pair)} 대신) " if pair else ""
            return attach_particles(f"{instead}새 라벨 {rule.new_label!r}을(를) 씁니다.")
        return attach_particles(f"{rule.label_b!r}이(가) 아니라 {rule.label_a!r}을(를) 씁니다.")
    if rule.decision == "new_label":
        pair = [label for label in (rule.label_a, rule.label_b) if label]
        instead = f" (instead of {' or '.join(repr(label) for label in pair)})" if pair else ""
        return f"Use the new label {rule.new_label!r}{instead}."
    return f"Use {rule.label_a!r}, not {rule.label_b!r}."


_COLUMNS = (
    "v.rule_id, v.version, v.title, v.body, v.decision, v.label_a, v.label_b, v.new_label, "
    "v.example_item_ids, v.batch, v.status, v.author, v.saved_at, r.fingerprint, r.source_cluster"
)


def _from_row(row: sqlite3.Row | tuple[Any, ...]) -> RuleVersion:
    (rule_id, version, title, body, decision, label_a, label_b, new_label, examples, batch,
     status, author, saved_at, fingerprint, source) = row  # fmt: skip
    return RuleVersion(
        title=title, body=body, decision=decision, label_a=label_a, label_b=label_b,
        new_label=new_label, example_item_ids=tuple(json.loads(examples)), batch=batch,
        rule_id=rule_id, version=version, status=status, author=author, saved_at=saved_at,
        fingerprint=fingerprint, source_cluster=source,
    )  # fmt: skip


def _insert_version(
    conn: sqlite3.Connection, rule_id: int, version: int, draft: RuleDraft, status: RuleStatus, author: str | None
) -> None:
    conn.execute(
        "INSERT INTO rule_versions (rule_id, version, title, body, decision, label_a, label_b, "
        "new_label, example_item_ids, batch, status, author, saved_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (rule_id, version, draft.title, draft.body, draft.decision, draft.label_a, draft.label_b,
         draft.new_label, json.dumps(list(draft.example_item_ids), ensure_ascii=False), draft.batch,
         status, author, utc_now()),
    )  # fmt: skip


def _read_version(conn: sqlite3.Connection, rule_id: int, version: int | None = None) -> RuleVersion:
    query = f"SELECT {_COLUMNS} FROM rule_versions v JOIN rules r USING (rule_id) WHERE v.rule_id = ?"
    if version is None:
        row = conn.execute(query + " ORDER BY v.version DESC LIMIT 1", (rule_id,)).fetchone()
    else:
        row = conn.execute(query + " AND v.version = ?", (rule_id, version)).fetchone()
    if row is None:
        what = f"rule {rule_id}" + ("" if version is None else f" has no version {version}")
        raise WorkspaceError(f"{what} was not found in the workspace", fix="list the rules and pick an existing one")
    return _from_row(row)


def create_rule(
    workspace: Workspace,
    draft: RuleDraft,
    *,
    author: str | None = None,
    fingerprint: str | None = None,
    source_cluster: str | None = None,
    status: RuleStatus = "draft",
) -> RuleVersion:
    """Create a rule and save its first version.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     rule = create_rule(ws, RuleDraft("Irony is negative", label_a="neg", label_b="pos"))
    ...     rule = save_rule_version(ws, rule.rule_id, rule.draft, status="accepted")
    ...     [(v.version, v.status) for v in rule_history(ws, rule.rule_id)]
    [(1, 'draft'), (2, 'accepted')]
    """
    draft = draft.validated()
    with workspace.transaction("save the new rule") as conn:
        if fingerprint:
            ensure_dataset(conn, fingerprint)
        cursor = conn.execute(
            "INSERT INTO rules (fingerprint, source_cluster, created_at, created_by) VALUES (?, ?, ?, ?)",
            (fingerprint, _clean(source_cluster), utc_now(), author),
        )
        rule_id = int(cursor.lastrowid or 0)
        _insert_version(conn, rule_id, 1, draft, status, author)
        return _read_version(conn, rule_id, 1)


def save_rule_version(
    workspace: Workspace,
    rule_id: int,
    draft: RuleDraft,
    *,
    author: str | None = None,
    status: RuleStatus = "draft",
    base_version: int | None = None,
) -> RuleVersion:
    """Save an edit of a rule as its next version (nothing is overwritten).

    Parameters
    ----------
    base_version : int, optional
        The version the edit started from. When someone else saved a newer version
        since, :class:`RuleConflictError` is raised and nothing is saved, so the editor
        can compare before saving again (without ``base_version`` the save always wins).
    """
    draft = draft.validated()
    with workspace.transaction("save the rule") as conn:
        latest = _read_version(conn, rule_id)
        if base_version is not None and latest.version != base_version:
            raise RuleConflictError(
                f"rule {rule_id} was saved as version {latest.version} by {latest.author or 'someone'} "
                f"after version {base_version}, which this edit started from",
                fix="compare the versions, then save again to keep your text as the newest version",
            )
        _insert_version(conn, rule_id, latest.version + 1, draft, status, author)
        return _read_version(conn, rule_id, latest.version + 1)


def accept_rule(
    workspace: Workspace,
    rule_id: int,
    *,
    author: str | None = None,
    batch: str | None = None,
    version: int | None = None,
    base_version: int | None = None,
) -> RuleVersion:
    """Accept a rule: save a copy of ``version`` (default: the latest) as accepted.

    ``batch`` ties the accepted version to the round where it takes effect (keeps the
    copied version's batch when not given).

    Parameters
    ----------
    base_version : int, optional
        The version the person accepting has seen (the dashboard passes the version on
        screen). When a newer version was saved since, :class:`RuleConflictError` is
        raised and nothing is accepted, so no text goes into the guideline unseen.
        Without it (and without ``version``) the latest version is accepted.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     rule = create_rule(ws, RuleDraft("Irony", label_a="neg", label_b="pos"))
    ...     _ = save_rule_version(ws, rule.rule_id, replace(rule.draft, body="edited elsewhere"))
    ...     try:
    ...         accept_rule(ws, rule.rule_id, base_version=1)
    ...     except RuleConflictError as error:
    ...         print(error.problem)
    rule 1 has a newer version (2, saved by someone) than version 1, which was on screen
    """
    with workspace.transaction("accept the rule") as conn:
        latest = _read_version(conn, rule_id)
        if base_version is not None and latest.version != base_version:
            raise RuleConflictError(
                f"rule {rule_id} has a newer version ({latest.version}, saved by "
                f"{latest.author or 'someone'}) than version {base_version}, which was on screen",
                fix="read the newer version (its history shows what changed), then accept it",
            )
        source = _read_version(conn, rule_id, version) if version is not None else latest
        draft = replace(source.draft, batch=_clean(batch) or source.batch)
        _insert_version(conn, rule_id, latest.version + 1, draft, "accepted", author)
        return _read_version(conn, rule_id, latest.version + 1)


def get_rule(workspace: Workspace, rule_id: int, *, version: int | None = None) -> RuleVersion:
    """One version of a rule (default: the latest)."""
    with workspace.reading("read the rule") as conn:
        return _read_version(conn, rule_id, version)


def rule_history(workspace: Workspace, rule_id: int) -> list[RuleVersion]:
    """Every saved version of a rule, oldest first."""
    with workspace.reading("read the rule history") as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM rule_versions v JOIN rules r USING (rule_id) "
            "WHERE v.rule_id = ? ORDER BY v.version",
            (rule_id,),
        ).fetchall()
    if not rows:
        raise WorkspaceError(f"rule {rule_id} was not found in the workspace", fix="list the rules and pick an existing one")
    return [_from_row(row) for row in rows]


@validate_params({"status": [Options("any", "draft", "accepted")]})
def list_rules(workspace: Workspace, *, status: RuleFilter = "any") -> list[RuleVersion]:
    """One version per rule, ordered by rule id.

    ``"any"``: each rule's latest version. ``"accepted"``: each rule's latest accepted
    version (rules never accepted are left out). ``"draft"``: rules whose latest
    version is a draft.
    """
    accepted_only = "AND status = 'accepted'" if status == "accepted" else ""
    query = (
        f"SELECT {_COLUMNS} FROM rule_versions v JOIN rules r USING (rule_id) "
        f"WHERE v.version = (SELECT MAX(version) FROM rule_versions w WHERE w.rule_id = v.rule_id {accepted_only}) "
        "ORDER BY v.rule_id"
    )
    with workspace.reading("list the rules") as conn:
        rules = [_from_row(row) for row in conn.execute(query).fetchall()]
    return [rule for rule in rules if status != "draft" or rule.status == "draft"]


def _as_text(rule: RuleVersion) -> list[str]:
    lines = [
        f"Title: {rule.title}",
        f"Decision: {decision_text(rule)}",
        f"Status: {rule.status}",
        f"Batch: {rule.batch or '-'}",
        f"Examples: {', '.join(rule.example_item_ids) or '-'}",
        "",
    ]
    return lines + rule.body.splitlines()


def diff_versions(workspace: Workspace, rule_id: int, v1: int, v2: int) -> str:
    """A unified diff (difflib) between two versions of a rule; empty when identical.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     rule = create_rule(ws, RuleDraft("Irony", body="Irony is neg.", label_a="neg", label_b="pos"))
    ...     _ = save_rule_version(ws, rule.rule_id, replace(rule.draft, body="Irony is negative."))
    ...     print(diff_versions(ws, rule.rule_id, 1, 2).splitlines()[-2:])
    ['-Irony is neg.', '+Irony is negative.']
    """
    with workspace.reading("compare rule versions") as conn:
        old, new = _read_version(conn, rule_id, v1), _read_version(conn, rule_id, v2)
    lines = difflib.unified_diff(
        _as_text(old), _as_text(new), fromfile=f"rule {rule_id} v{v1}", tofile=f"rule {rule_id} v{v2}", lineterm=""
    )
    return "\n".join(lines)


def guideline_rounds(workspace: Workspace) -> pd.DataFrame:
    """Accepted rule versions tied to a batch: which guideline took effect in which round.

    Returns
    -------
    DataFrame
        Columns ``batch``, ``rule_id``, ``version``, ``title``, ``decision``,
        ``accepted_at``, ``author``; one row per accepted version with a batch, in order
        of acceptance. The Rounds view compares agreement before and after each batch.
    """
    with workspace.reading("read the guideline rounds") as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM rule_versions v JOIN rules r USING (rule_id) "
            "WHERE v.status = 'accepted' AND v.batch IS NOT NULL ORDER BY v.saved_at, v.rule_id, v.version"
        ).fetchall()
    rules = [_from_row(row) for row in rows]
    return pd.DataFrame(
        {
            "batch": pd.Series([r.batch for r in rules], dtype="string"),
            "rule_id": pd.Series([r.rule_id for r in rules], dtype="int64"),
            "version": pd.Series([r.version for r in rules], dtype="int64"),
            "title": pd.Series([r.title for r in rules], dtype="string"),
            "decision": pd.Series([decision_text(r) for r in rules], dtype="string"),
            "accepted_at": pd.Series([r.saved_at for r in rules], dtype="string"),
            "author": pd.Series([r.author for r in rules], dtype="string"),
        }
    )
