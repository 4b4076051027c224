"""Guidelines: write rules from ambiguous cases, keep every version, export the document."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.data.schema import LABEL
from analysis.workspace import (
    RuleConflictError,
    RuleDraft,
    RuleVersion,
    Workspace,
    WorkspaceError,
    accept_rule,
    cluster_id_of,
    create_rule,
    decision_text,
    diff_versions,
    draft_from_cluster,
    export_guideline_markdown,
    list_rules,
    rule_history,
    save_rule_version,
)
from analysis.workspace.guideline_document import escape_markdown_body
from dashboard.access import author_from_user
from dashboard.components.adjudication import AUTHOR_KEY, current_author
from dashboard.components.feedback import error_message
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, resources, session

PICK_KEY = "guidelines_pick"
NEXT_PICK_KEY = "guidelines_pick_next"  # applied before the picker is drawn on the next run
SEEN_CLUSTER_KEY = "guidelines_cluster_seen"
NEW = "new"


def _author_box() -> None:
    try:
        signed_in = author_from_user(st.user.to_dict())
    except Exception:  # no login configured in this deployment
        signed_in = None
    if signed_in:
        st.caption(t("guidelines.signed_in", author=md(signed_in)))
    else:
        st.text_input(t("guidelines.author"), key=AUTHOR_KEY)


def _rules_table(rules: list[RuleVersion]) -> pd.DataFrame:
    columns = ("rule_id", "version", "title", "status", "decision", "author", "saved_at")
    frame = pd.DataFrame(
        [(r.rule_id, r.version, r.title, r.status, decision_text(r), r.author or "", r.saved_at[:19]) for r in rules],
        columns=list(columns),
    )
    return frame.rename(columns={column: t(f"guidelines.col.{column}") for column in columns})


def _label_choice(column: Any, label: str, current: str | None, labels: list[str], *, key: str) -> str:
    """A label of the rule: a choice among the dataset's labels (plus the rule's own label
    when it is not one of them: a rule written for another file); free text without a dataset."""
    if not labels:
        return column.text_input(label, value=current or "", key=key)
    options = ["", *labels, *([current] if current and current not in labels else [])]
    return column.selectbox(label, options, index=options.index(current or ""), key=key,
                            format_func=lambda value: value or "—")


def _editor(
    workspace: Workspace, rule: RuleVersion | None, draft: RuleDraft, labels: list[str], fingerprint: str | None, *, key: str
) -> None:
    # Widget keys do not depend on the version, so a conflicting save never drops the typed text;
    # the version the edit started from is remembered separately.
    if workspace.read_only:  # a viewer: the workspace refuses writes anyway, so offer none
        st.caption(t("access.read_only_form"))
        return
    base_key = f"guidelines_base_{key}"
    if rule is not None:
        st.session_state.setdefault(base_key, rule.version)
        st.caption(t("guidelines.editing", rule_id=rule.rule_id, version=rule.version, status=t(f"guidelines.filter.{rule.status}")))
    if labels:
        st.caption(t("guidelines.known_labels", labels=md(", ".join(labels))))
    with st.form(key=f"{key}_form"):
        title = st.text_input(t("guidelines.rule_title"), value=draft.title, key=f"{key}_title")
        decision = st.radio(
            t("guidelines.decision"), options=["prefer", "new_label"], index=0 if draft.decision == "prefer" else 1,
            format_func=lambda value: t(f"guidelines.decision.{value}"), horizontal=True, key=f"{key}_decision",
        )  # fmt: skip
        left, middle, right = st.columns(3)
        label_a = _label_choice(left, t("guidelines.label_a"), draft.label_a, labels, key=f"{key}_label_a")
        label_b = _label_choice(middle, t("guidelines.label_b"), draft.label_b, labels, key=f"{key}_label_b")
        new_label = right.text_input(t("guidelines.new_label"), value=draft.new_label or "", key=f"{key}_new_label")
        examples = st.text_input(t("guidelines.examples"), value=", ".join(draft.example_item_ids), key=f"{key}_examples")
        batch = st.text_input(t("guidelines.batch"), value=draft.batch or "", key=f"{key}_batch")
        body = st.text_area(t("guidelines.body"), value=draft.body, height=220, key=f"{key}_body")
        submitted = st.form_submit_button(t("guidelines.save"), type="primary")
    if not submitted:
        return
    edited = RuleDraft(
        title=title, body=body, decision=decision, label_a=label_a, label_b=label_b, new_label=new_label,
        example_item_ids=tuple(part.strip() for part in examples.split(",")), batch=batch,
    )  # fmt: skip
    author = current_author()
    try:
        if rule is None:
            cluster = session.guideline_draft()
            saved = create_rule(
                workspace, edited, author=author, fingerprint=fingerprint if cluster else None,
                source_cluster=cluster_id_of(cluster) if cluster else None,
            )  # fmt: skip
            session.discard_guideline_draft()
            st.session_state[NEXT_PICK_KEY] = saved.rule_id
        else:
            saved = save_rule_version(
                workspace, rule.rule_id, edited, author=author, base_version=st.session_state[base_key]
            )
    except RuleConflictError as error:
        # Saving again keeps this text as the newest version; the history shows what changed.
        st.session_state[base_key] = rule.version if rule else 0
        st.warning(md(error_message(error)))
        return
    except (WorkspaceError, ValueError) as error:
        st.error(md(error_message(error)))
        return
    st.session_state[f"guidelines_base_rule_{saved.rule_id}"] = saved.version
    st.toast(t("guidelines.saved", rule_id=saved.rule_id, version=saved.version))
    st.rerun()


def _accept(workspace: Workspace, rule: RuleVersion) -> None:
    if workspace.read_only:
        return
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    batch = left.text_input(t("guidelines.accept_batch"), value=rule.batch or "", key=f"accept_batch_{rule.rule_id}")
    # The version this browser showed when the button was pressed: the run after a click
    # already reads the newest version, so it is remembered from the run before.
    seen_key = f"accept_seen_{rule.rule_id}"
    seen = st.session_state.get(seen_key, rule.version)
    st.session_state[seen_key] = rule.version
    if right.button(t("guidelines.accept"), key=f"accept_{rule.rule_id}"):
        try:
            accepted = accept_rule(workspace, rule.rule_id, author=current_author(), batch=batch, base_version=seen)
        except RuleConflictError as error:
            st.warning(md(error))
            return
        except WorkspaceError as error:
            st.error(md(error_message(error)))
            return
        st.session_state[seen_key] = accepted.version
        st.toast(t("guidelines.accepted", rule_id=accepted.rule_id, version=accepted.version))
        st.rerun()


def _history(workspace: Workspace, rule: RuleVersion) -> None:
    versions = [v.version for v in rule_history(workspace, rule.rule_id)]
    with st.expander(t("guidelines.history"), expanded=False):
        left, right = st.columns(2)
        older = left.selectbox(t("guidelines.diff_from"), versions, index=max(0, len(versions) - 2), key=f"diff_a_{rule.rule_id}_{versions[-1]}")
        newer = right.selectbox(t("guidelines.diff_to"), versions, index=len(versions) - 1, key=f"diff_b_{rule.rule_id}_{versions[-1]}")
        diff = diff_versions(workspace, rule.rule_id, older, newer)
        if diff:
            st.code(diff, language="diff")
        else:
            st.caption(t("guidelines.no_diff"))


def _export(workspace: Workspace, table: pd.DataFrame | None) -> None:
    st.subheader(t("guidelines.export"))
    drafts = st.toggle(t("guidelines.export_drafts"), key="guidelines_export_drafts")
    document = export_guideline_markdown(workspace, table=table, status="any" if drafts else "accepted",
                                         language=current_language())
    st.download_button(
        t("guidelines.download"), data=document.encode("utf-8"), file_name="guideline.md",
        mime="text/markdown", key="guidelines_download",
    )  # fmt: skip
    with st.expander(t("guidelines.preview")):
        st.markdown(document)  # every user value in the document is escaped by the exporter


def render() -> None:
    """Draw the page."""
    st.title(t("guidelines.title"))
    st.caption(t("guidelines.intro"))
    workspace = resources.workspace()
    if workspace is None:
        st.info(t("note.no_workspace"))
        return
    st.caption(t("guidelines.workspace", folder=md(workspace.folder)))
    if not workspace.read_only:  # viewers save nothing, so they need no author name
        _author_box()
    table = pipeline.current_table()
    labels = sorted(map(str, table[LABEL].dropna().unique())) if table is not None else []
    fingerprint = pipeline.fingerprint() if table is not None else None

    status = st.segmented_control(
        t("guidelines.filter"), options=["any", "draft", "accepted"], default="any",
        format_func=lambda value: t(f"guidelines.filter.{value}"), key="guidelines_filter",
    ) or "any"  # fmt: skip
    rules = list_rules(workspace, status=status)
    if rules:
        data_table(_rules_table(rules), hide_index=True)
    else:
        st.caption(t("guidelines.no_rules"))

    cluster: Any = session.guideline_draft()  # set by the Ambiguity clusters page
    every_rule = {rule.rule_id: rule for rule in list_rules(workspace)}
    if cluster is not None and st.session_state.get(SEEN_CLUSTER_KEY) is not cluster:
        st.session_state[SEEN_CLUSTER_KEY] = cluster  # a new draft from a cluster opens the editor once
        st.session_state[PICK_KEY] = NEW
    if NEXT_PICK_KEY in st.session_state:
        st.session_state[PICK_KEY] = st.session_state.pop(NEXT_PICK_KEY)
    options: list[Any] = [NEW, *every_rule]
    if st.session_state.get(PICK_KEY) not in options:
        st.session_state[PICK_KEY] = NEW
    pick = st.selectbox(
        t("guidelines.pick"), options=options, key=PICK_KEY,
        format_func=lambda value: t("guidelines.new_rule") if value == NEW else f"{value}: {every_rule[value].title}",
    )  # fmt: skip
    rule = None if pick == NEW else every_rule[pick]
    if rule is None and cluster is not None:
        st.info(t("guidelines.from_cluster", cluster=md(cluster_id_of(cluster) or "?")))
        if st.button(t("guidelines.discard_cluster"), key="guidelines_discard_cluster"):
            session.discard_guideline_draft()
            st.rerun()
        draft = draft_from_cluster(cluster)
        key = f"rule_new_c{cluster_id_of(cluster) or ''}"
    else:
        draft = rule.draft if rule else RuleDraft(title="")
        key = f"rule_{rule.rule_id}" if rule else "rule_new"
    _editor(workspace, rule, draft, labels, fingerprint, key=key)
    if rule is not None:
        if rule.body.strip():
            with st.expander(t("guidelines.preview")):
                st.markdown(escape_markdown_body(rule.body))
        _accept(workspace, rule)
        _history(workspace, rule)
    _export(workspace, table)


render()
