"""Guideline rules: versions, diffs, acceptance, rounds, verbatim text and the exported document."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.workspace import (
    RuleConflictError,
    RuleDraft,
    Workspace,
    WorkspaceError,
    accept_rule,
    cluster_id_of,
    create_rule,
    diff_versions,
    draft_from_cluster,
    export_guideline_markdown,
    get_rule,
    guideline_rounds,
    list_rules,
    open_workspace,
    rule_history,
    save_rule_version,
)

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return open_workspace(tmp_path)


def test_each_save_is_a_new_version_and_nothing_is_overwritten(ws: Workspace) -> None:
    rule = create_rule(ws, RuleDraft("Irony", body="v1 body", label_a="neg", label_b="pos"), author="mina")
    second = save_rule_version(ws, rule.rule_id, replace(rule.draft, body="v2 body"), author="joon")
    third = accept_rule(ws, rule.rule_id, author="lead", batch="round-2")
    history = rule_history(ws, rule.rule_id)
    assert [(v.version, v.body, v.status, v.author, v.batch) for v in history] == [
        (1, "v1 body", "draft", "mina", None),
        (2, "v2 body", "draft", "joon", None),
        (3, "v2 body", "accepted", "lead", "round-2"),
    ]
    assert get_rule(ws, rule.rule_id, version=1).body == "v1 body"
    assert (second.version, third.version) == (2, 3)
    assert history[0].saved_at <= history[1].saved_at <= history[2].saved_at


def test_diff_between_versions_matches_difflib(ws: Workspace) -> None:
    rule = create_rule(ws, RuleDraft("Irony", body="line one\nline two", label_a="neg", label_b="pos"))
    save_rule_version(ws, rule.rule_id, replace(rule.draft, body="line one\nline 2\nline three"))
    diff = diff_versions(ws, rule.rule_id, 1, 2)
    expected = difflib.unified_diff(
        ["line one", "line two"], ["line one", "line 2", "line three"], lineterm="", n=3
    )
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        line for line in expected if line[:1] in "+-" and line[:3] not in ("---", "+++")
    ]
    assert diff.splitlines()[:2] == [f"--- rule {rule.rule_id} v1", f"+++ rule {rule.rule_id} v2"]
    assert diff_versions(ws, rule.rule_id, 2, 2) == ""
    with pytest.raises(WorkspaceError, match="has no version 9"):
        diff_versions(ws, rule.rule_id, 1, 9)


def test_stale_edit_is_refused_when_the_base_version_is_given(ws: Workspace) -> None:
    rule = create_rule(ws, RuleDraft("Irony", label_a="neg", label_b="pos"))
    save_rule_version(ws, rule.rule_id, replace(rule.draft, body="theirs"), author="joon", base_version=1)
    with pytest.raises(RuleConflictError, match="saved as version 2 by joon after version 1"):
        save_rule_version(ws, rule.rule_id, replace(rule.draft, body="mine"), base_version=1)
    assert [v.body for v in rule_history(ws, rule.rule_id)] == ["", "theirs"]


def test_list_rules_by_status_keeps_the_accepted_version_in_force(ws: Workspace) -> None:
    a = create_rule(ws, RuleDraft("A", body="accepted text", label_a="x", label_b="y"), status="accepted")
    save_rule_version(ws, a.rule_id, replace(a.draft, body="draft edit"))
    b = create_rule(ws, RuleDraft("B", decision="new_label", new_label="mixed", label_a="x", label_b="y"))
    assert [(r.rule_id, r.body) for r in list_rules(ws)] == [(a.rule_id, "draft edit"), (b.rule_id, "")]
    assert [(r.rule_id, r.body) for r in list_rules(ws, status="accepted")] == [(a.rule_id, "accepted text")]
    assert [r.rule_id for r in list_rules(ws, status="draft")] == [a.rule_id, b.rule_id]
    with pytest.raises(ValueError, match="'status' parameter of list_rules must be one of"):
        list_rules(ws, status="done")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (RuleDraft("   "), "has no title"),
        (RuleDraft("t", label_a="x", label_b="x"), "two different labels"),
        (RuleDraft("t", label_a="x"), "two different labels"),
        (RuleDraft("t", decision="new_label"), "name of the new label"),
        (RuleDraft("t", decision="other"), "must be one of"),  # type: ignore[arg-type]
    ],
    ids=["no-title", "same-labels", "one-label", "no-new-label", "bad-decision"],
)
def test_invalid_rules_are_refused_with_the_field(ws: Workspace, draft: RuleDraft, problem: str) -> None:
    with pytest.raises(AnnotationDataError, match=problem):
        create_rule(ws, draft)
    assert list_rules(ws) == []


def test_text_round_trips_exactly_html_korean_and_one_megabyte(ws: Workspace) -> None:
    korean = "정책 발표는 <정치>로, 시장 반응은 경제로 분류합니다.\n\n- 예: 「금리 인상」 🙂"
    long_text = ("가나다 abc\n" * 130_000)[:1_000_000]
    assert len(long_text) == 1_000_000 and len(long_text.encode()) > 1_500_000
    for body in (SCRIPT, korean, long_text):
        rule = create_rule(ws, RuleDraft(f"제목 {SCRIPT}", body=body, label_a="정치", label_b="경제"))
        stored = get_rule(ws, rule.rule_id)
        assert stored.body == body
        assert stored.title == f"제목 {SCRIPT}"


def test_draft_from_a_cluster_dict_or_dataclass(ws: Workspace) -> None:
    @dataclass(frozen=True)
    class Example:
        item_id: str
        text: str

    @dataclass(frozen=True)
    class Cluster:  # the shape of analysis.clusters' AmbiguityCluster, without importing it
        id: int
        preferred_label: str
        other_label: str
        examples: tuple[Example, ...]
        draft_rule: str

    cluster = Cluster(0, "경제", "정치", (Example("n4", "t"), Example("n9", "t")), "When about 금리, label 경제, not 정치.")
    draft = draft_from_cluster(cluster)
    assert (draft.label_a, draft.label_b, draft.example_item_ids) == ("경제", "정치", ("n4", "n9"))
    assert draft.body == draft.title == "When about 금리, label 경제, not 정치."
    assert cluster_id_of(cluster) == "0"
    from_dict = draft_from_cluster(
        {"label_pairs": [{"labels": ["b", "a"], "share": 0.5}], "item_ids": list("123456"), "cluster_id": 7}
    )
    assert (from_dict.title, from_dict.label_a, from_dict.example_item_ids) == ("b or a?", "b", tuple("12345"))
    rule = create_rule(ws, draft, fingerprint="fp", source_cluster=cluster_id_of(cluster))
    assert (rule.fingerprint, rule.source_cluster) == ("fp", "0")


def test_guideline_rounds_map_accepted_versions_to_batches(ws: Workspace) -> None:
    a = create_rule(ws, RuleDraft("A", label_a="x", label_b="y"))
    b = create_rule(ws, RuleDraft("B", label_a="y", label_b="z"))
    accept_rule(ws, a.rule_id, batch="round-2")
    accept_rule(ws, b.rule_id)  # accepted, but tied to no round
    save_rule_version(ws, a.rule_id, replace(a.draft, body="edit", batch="round-9"))  # a draft: not in force
    accept_rule(ws, b.rule_id, batch="round-3", author="lead")
    rounds = guideline_rounds(ws)
    assert rounds[["batch", "rule_id", "version", "title"]].values.tolist() == [
        ["round-2", a.rule_id, 2, "A"],
        ["round-3", b.rule_id, 3, "B"],
    ]
    assert rounds["author"].tolist()[1] == "lead"
    assert list(rounds.columns) == ["batch", "rule_id", "version", "title", "decision", "accepted_at", "author"]
    assert guideline_rounds(open_workspace(ws.folder / "empty")).empty


def test_exported_document_groups_by_pair_with_example_texts_and_escapes_html(ws: Workspace) -> None:
    table = pd.DataFrame(
        {
            "item_id": ["n1", "n1", "n2", "n3"],
            "annotator": ["a", "b", "a", "a"],
            "label": ["경제", "정치", "pos", "neg"],
            "text": ["금리 인상 발표", "금리 인상 발표", f"Great {SCRIPT}", "fine"],
        }
    )
    first = create_rule(
        ws, RuleDraft("금리", body=f"**정책**은 정치. {SCRIPT}", label_a="정치", label_b="경제", example_item_ids=("n1",))
    )
    accept_rule(ws, first.rule_id, batch="2차")
    create_rule(ws, RuleDraft("Irony", label_a="neg", label_b="pos", example_item_ids=("n2", "n3")), status="accepted")
    create_rule(ws, RuleDraft("Split", decision="new_label", new_label="mixed"), status="accepted")
    create_rule(ws, RuleDraft("Not yet", label_a="neg", label_b="pos"))

    document = export_guideline_markdown(ws, table=table)
    headings = [line for line in document.splitlines() if line.startswith("#")]
    assert headings == ["# Annotation guideline", "## neg vs pos", "### Irony", "## 경제 vs 정치", "### 금리",
                        "## Other rules", "### Split"]  # fmt: skip
    assert "Not yet" not in document
    assert "- `n1`: 금리 인상 발표" in document
    assert "**정책**은 정치." in document  # the author's Markdown is kept
    assert "_In effect from batch 2차._" in document
    assert "Use the new label 'mixed'." in document
    assert re.search(r"(?<!\\)<", document) is None  # every "<" is escaped or an entity
    assert "&lt;script>" in document and "\\<script\\>" in document

    with_drafts = export_guideline_markdown(ws, status="any")
    assert "### Not yet (draft)" in with_drafts
    assert "- `n2`\n- `n3`\n" in with_drafts  # no table: ids without texts
    assert "_No accepted rules yet._" in export_guideline_markdown(open_workspace(ws.folder / "empty"))

    korean = export_guideline_markdown(ws, table=table, status="any", language="ko")
    headings = [line for line in korean.splitlines() if line.startswith("#")]
    assert headings[0] == "# 어노테이션 가이드라인" and "## 기타 규칙" in headings and "### Not yet (초안)" in headings
    assert "**결정:** 'pos'가 아니라 'neg'를 씁니다." in korean and "_2차 차수부터 적용합니다._" in korean
    assert "Decision" not in korean and "Examples" not in korean
    empty = export_guideline_markdown(open_workspace(ws.folder / "empty"), language="ko")
    assert "_아직 승인된 규칙이 없습니다._" in empty


def test_rendered_html_of_the_export_has_no_live_markup(ws: Workspace) -> None:
    markdown = pytest.importorskip("markdown_it")
    create_rule(ws, RuleDraft(SCRIPT, body=SCRIPT, label_a=SCRIPT, label_b="b"), status="accepted")
    html = markdown.MarkdownIt("commonmark").render(export_guideline_markdown(ws))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
