"""The Guidelines page and the adjudication form, driven headlessly with AppTest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.workspace import (
    RuleDraft,
    create_rule,
    latest_adjudications,
    latest_label_error_reviews,
    open_workspace,
    rule_history,
    save_rule_version,
)
from dashboard.i18n import en

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest
APPS = Path(__file__).resolve().parent / "apps"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "ws"))
    return tmp_path / "ws"


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _button(at: AppTest, label_key: str) -> Any:
    label = en.STRINGS[label_key]
    return next(button for button in at.button if button.label == label)


def _no_live_html(at: AppTest) -> None:
    for element in (*at.markdown, *at.caption, *at.info, *at.warning):
        assert "<script" not in element.value.replace("\\<script", "")


def test_create_edit_accept_and_export_a_rule(folder: Path) -> None:
    at = AppTest.from_file(str(APPS / "guidelines_page_app.py"), default_timeout=60).run()
    _ok(at)
    at.text_input(key="workspace_author").set_value("민지")
    at.text_input(key="rule_new_title").set_value(f"금리 {SCRIPT}")
    label_a = at.selectbox(key="rule_new_label_a")  # a choice among the dataset's labels, not free text
    assert label_a.options == ["—", "경제", "정치"]  # "—" leaves it empty
    label_a.set_value("정치")
    at.selectbox(key="rule_new_label_b").set_value("경제")
    at.text_input(key="rule_new_examples").set_value("n1, n2")
    at.text_area(key="rule_new_body").set_value(f"**정책** 발표는 정치. {SCRIPT}")
    _button(at, "guidelines.save").click().run()
    _ok(at)
    ws = open_workspace(folder)
    (first,) = rule_history(ws, 1)
    assert (first.title, first.body, first.author) == (f"금리 {SCRIPT}", f"**정책** 발표는 정치. {SCRIPT}", "민지")
    assert first.example_item_ids == ("n1", "n2") and first.fingerprint is None
    assert at.selectbox(key="guidelines_pick").value == 1  # the new rule is open for editing

    at.text_area(key="rule_1_body").set_value("정책 발표는 정치로 분류합니다.")
    _button(at, "guidelines.save").click().run()
    _ok(at)
    at.text_input(key="accept_batch_1").set_value("2차")
    _button(at, "guidelines.accept").click().run()
    _ok(at)
    assert [(v.version, v.status, v.batch) for v in rule_history(ws, 1)] == [(1, "draft", None), (2, "draft", None), (3, "accepted", "2차")]
    diff = at.code[0].value
    assert "-Status: draft" in diff and "+Batch: 2차" in diff
    preview = "\n".join(element.value for element in at.markdown)
    assert "### 금리 \\<script\\>" in preview and "`n1`: 금리 인상 발표" in preview
    _no_live_html(at)


def test_a_cluster_draft_prefills_the_new_rule(folder: Path) -> None:
    at = AppTest.from_file(str(APPS / "guidelines_page_app.py"), default_timeout=60)
    at.session_state["guideline_draft"] = {
        "id": 3, "preferred_label": "정치", "other_label": "경제",
        "examples": [{"item_id": "n1", "text": "t", "votes": "v"}],
        "draft_rule": "When an item is about 금리, label it 정치, not 경제.",
    }  # fmt: skip
    at.run()
    _ok(at)
    assert at.text_input(key="rule_new_c3_title").value == "When an item is about 금리, label it 정치, not 경제."
    assert at.text_input(key="rule_new_c3_examples").value == "n1"
    _button(at, "guidelines.save").click().run()
    _ok(at)
    (saved,) = rule_history(open_workspace(folder), 1)
    assert (saved.label_a, saved.label_b, saved.source_cluster) == ("정치", "경제", "3")
    assert saved.fingerprint is not None and len(saved.fingerprint) == 64
    assert "guideline_draft" not in at.session_state


def test_a_stale_edit_warns_and_keeps_the_text(folder: Path) -> None:
    ws = open_workspace(folder)
    create_rule(ws, RuleDraft("Irony", label_a="neg", label_b="pos"))
    at = AppTest.from_file(str(APPS / "guidelines_page_app.py"), default_timeout=60).run()
    at.selectbox(key="guidelines_pick").set_value(1).run()
    save_rule_version(ws, 1, RuleDraft("Irony v2", label_a="neg", label_b="pos"), author="joon")
    at.text_area(key="rule_1_body").set_value("my careful edit")
    _button(at, "guidelines.save").click().run()
    assert not at.exception
    assert any("saved as version 2 by joon" in w.value for w in at.warning)
    assert at.text_area(key="rule_1_body").value == "my careful edit"
    _button(at, "guidelines.save").click().run()  # saving again keeps it, as the newest version
    assert [v.body for v in rule_history(ws, 1)] == ["", "", "my careful edit"]


def test_adjudication_form_saves_label_verdict_and_note(folder: Path) -> None:
    at = AppTest.from_file(str(APPS / "adjudication_form_app.py"), default_timeout=60).run()
    _ok(at)
    assert at.get("progress")[0].proto.text == "Reviewed 0 of 2"
    at.selectbox(key="test_final_label").set_value("=cmd")
    at.radio(key="test_verdict").set_value("confirmed_error")
    at.text_area(key="test_note").set_value(SCRIPT)
    _button(at, "adjudication.save").click().run()
    _ok(at)
    ws = open_workspace(folder)
    assert latest_adjudications(ws, "fp-test")[["item_id", "label", "note"]].values.tolist() == [["n1", "=cmd", SCRIPT]]
    assert latest_label_error_reviews(ws, "fp-test")["verdict"].tolist() == ["confirmed_error"]
    at.run()
    assert at.get("progress")[0].proto.text == "Reviewed 1 of 2"
    _button(at, "adjudication.clear").click().run()
    _ok(at)
    assert latest_adjudications(ws, "fp-test")["label"].isna().tolist() == [True]
    _no_live_html(at)
