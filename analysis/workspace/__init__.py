"""The workspace: guideline rules, adjudications and reviews that persist (SQLite).

Open one with :func:`open_workspace`; every function takes the opened
:class:`Workspace` first. See ``docs/workspace.md`` for the data model.
"""

from analysis.workspace.adjudication import (
    GOLD_SOURCES,
    ReviewProgress,
    adjudication_history,
    gold_labels,
    gold_spans,
    label_error_history,
    latest_adjudications,
    latest_label_error_reviews,
    latest_span_adjudications,
    majority_labels,
    review_label_error,
    review_progress,
    set_final_label,
    set_final_spans,
    span_adjudication_history,
)
from analysis.workspace.cluster_draft import cluster_id_of, draft_from_cluster
from analysis.workspace.errors import RuleConflictError, WorkspaceError
from analysis.workspace.fingerprint import dataset_fingerprint
from analysis.workspace.guideline_document import export_guideline_markdown
from analysis.workspace.rules import (
    RuleDraft,
    RuleVersion,
    accept_rule,
    create_rule,
    decision_text,
    diff_versions,
    get_rule,
    guideline_rounds,
    list_rules,
    rule_history,
    save_rule_version,
)
from analysis.workspace.store import (
    DATABASE_NAME,
    WORKSPACE_ENV,
    Workspace,
    open_workspace,
    register_dataset,
    resolve_workspace_dir,
)

__all__ = [
    "DATABASE_NAME",
    "GOLD_SOURCES",
    "WORKSPACE_ENV",
    "ReviewProgress",
    "RuleConflictError",
    "RuleDraft",
    "RuleVersion",
    "Workspace",
    "WorkspaceError",
    "accept_rule",
    "adjudication_history",
    "cluster_id_of",
    "create_rule",
    "dataset_fingerprint",
    "decision_text",
    "diff_versions",
    "draft_from_cluster",
    "export_guideline_markdown",
    "get_rule",
    "gold_labels",
    "gold_spans",
    "guideline_rounds",
    "label_error_history",
    "latest_adjudications",
    "latest_label_error_reviews",
    "latest_span_adjudications",
    "list_rules",
    "majority_labels",
    "open_workspace",
    "register_dataset",
    "resolve_workspace_dir",
    "review_label_error",
    "review_progress",
    "rule_history",
    "save_rule_version",
    "set_final_label",
    "set_final_spans",
    "span_adjudication_history",
]
