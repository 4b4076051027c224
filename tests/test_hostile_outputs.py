"""What the product writes and renders from hostile text, and what it opens: exports that
keep the data, Markdown without live markup, decisions on the version seen, a foreign
database left alone, model folders checked before anything is loaded."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.io.export import safe_csv
from analysis.report import build_report, render_markdown
from analysis.workspace import (
    RuleConflictError,
    RuleDraft,
    WorkspaceError,
    accept_rule,
    create_rule,
    open_workspace,
    rule_history,
    save_rule_version,
)
from analysis.workspace.guideline_document import escape_markdown_body

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_csv_export_keeps_signed_numbers_and_neutralises_formulas() -> None:
    frame = pd.DataFrame({"item_id": ["1", "2", "3", "4", "5", "6"],
                          "label": ["-1", "+1", "0", "=1+1", "-1+1", "+cmd|' /C calc'!A0"]})
    back = pd.read_csv(io.StringIO(safe_csv(frame)), dtype=str, keep_default_na=False)
    assert back["label"].tolist() == ["-1", "+1", "0", "'=1+1", "'-1+1", "'+cmd|' /C calc'!A0"]


def test_gold_export_writes_minus_one_and_plus_one_as_they_are(tmp_path: Path) -> None:
    from analysis.cli import main

    labels = tmp_path / "sentiment.csv"
    labels.write_text("item,annotator,label\n1,a,-1\n1,b,-1\n2,a,+1\n2,b,+1\n", encoding="utf-8")
    open_workspace(tmp_path / "ws")
    out = tmp_path / "gold.csv"
    assert main(["gold", "export", str(labels), "--workspace", str(tmp_path / "ws"),
                 "--output", str(out)]) == 0
    gold = pd.read_csv(out, dtype=str)
    assert sorted(gold["label"]) == ["+1", "-1"]


def _hostile_report() -> dict:
    table = pd.DataFrame({
        "item_id": ["1", "1", "2", "2"],
        "annotator": [SCRIPT, "![t](http://tracker.example/p.png)", SCRIPT,
                      "![t](http://tracker.example/p.png)"],
        "label": [IMG, "ok", IMG, IMG],
    })
    return build_report(table, bootstrap=0)


def test_markdown_report_shows_user_text_without_live_markup() -> None:
    markdown = render_markdown(_hostile_report())
    assert re.search(r"(?<!\\)<", markdown) is None  # every "<" is escaped
    assert "](http" not in markdown.replace("\\](http", "")  # no link or image can form
    assert "\\<script\\>alert(1)\\</script\\>" in markdown
    assert "\\!\\[t\\](http://tracker.example/p.png)" in markdown
    assert "| 0.000 |" in markdown or "undefined" in markdown  # numbers left readable


def test_rule_bodies_keep_markdown_but_fetch_no_image() -> None:
    body = "**Yes**. ![pixel](https://tracker.example/p.png) ![ref][1] <img src=x> [docs](https://ok)"
    shown = escape_markdown_body(body)
    assert "![" not in shown and "<img" not in shown
    assert "**Yes**" in shown and "[docs](https://ok)" in shown


# --- decisions on the version seen ----------------------------------------------------


def test_accept_refuses_when_a_newer_version_was_saved(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    rule = create_rule(ws, RuleDraft("Irony", label_a="neg", label_b="pos"), author="kim")
    save_rule_version(ws, rule.rule_id, replace(rule.draft, body="unseen text"), author="lee")
    with pytest.raises(RuleConflictError, match=r"newer version \(2, saved by lee\) than version 1"):
        accept_rule(ws, rule.rule_id, author="kim", base_version=1)
    assert [v.status for v in rule_history(ws, rule.rule_id)] == ["draft", "draft"]
    accepted = accept_rule(ws, rule.rule_id, author="kim", base_version=2)
    assert (accepted.version, accepted.status, accepted.body) == (3, "accepted", "unseen text")


def test_the_accept_button_accepts_only_the_version_on_screen(tmp_path, monkeypatch) -> None:
    app_test = pytest.importorskip("streamlit.testing.v1").AppTest
    from dashboard.i18n import en

    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "ws"))
    ws = open_workspace(tmp_path / "ws")
    rule = create_rule(ws, RuleDraft("Irony", body="seen", label_a="경제", label_b="정치"))
    app = Path(__file__).resolve().parent / "apps" / "guidelines_page_app.py"
    at = app_test.from_file(str(app), default_timeout=60).run()
    at.selectbox(key="guidelines_pick").set_value(rule.rule_id).run()
    assert not at.exception
    save_rule_version(ws, rule.rule_id, replace(rule.draft, body="saved meanwhile"), author="lee")
    accept = next(b for b in at.button if b.label == en.STRINGS["guidelines.accept"])
    accept.click().run()
    assert not at.exception
    assert [v.status for v in rule_history(ws, rule.rule_id)] == ["draft", "draft"]
    assert any("newer version" in w.value and "saved by lee" in w.value for w in at.warning)
    accept = next(b for b in at.button if b.label == en.STRINGS["guidelines.accept"])
    accept.click().run()  # now version 2 is on screen
    history = rule_history(ws, rule.rule_id)
    assert [(v.version, v.status, v.body) for v in history][-1] == (3, "accepted", "saved meanwhile")


# --- a foreign database -------------------------------------------------------------


@pytest.mark.parametrize("read_only", [False, True], ids=["for writing", "read-only"])
def test_a_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path, read_only: bool) -> None:
    database = tmp_path / "workspace.sqlite3"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE users (name TEXT, password_hash TEXT)")
        conn.execute("INSERT INTO users VALUES ('kim', 'x')")
    conn.close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.raises(WorkspaceError, match=r"not a workspace of this tool \(schema step 0, tables: users\)") as info:
        open_workspace(tmp_path, create=False, read_only=read_only)
    message = str(info.value)
    assert "upgrade" not in message and "for writing" not in message
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.sqlite3"]


def test_a_workspace_of_this_tool_still_opens_and_migrates(tmp_path: Path) -> None:
    from analysis.workspace.migrations import MIGRATIONS, statements

    with sqlite3.connect(tmp_path / "workspace.sqlite3") as conn:  # an older release: step 1
        for statement in statements(MIGRATIONS[0]):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(WorkspaceError, match="older schema"):
        open_workspace(tmp_path, read_only=True)
    ws = open_workspace(tmp_path)
    create_rule(ws, RuleDraft("Kept", label_a="a", label_b="b", batch="2"))
    assert open_workspace(tmp_path, read_only=True).read_only
    assert rule_history(ws, 1)[0].batch == "2"


# --- model folders --------------------------------------------------------------------


def _model_error(folder: Path) -> str:
    from analysis.embeddings.transformer import TransformerEmbedder

    with pytest.raises(AnnotationDataError) as info:
        TransformerEmbedder(folder)
    message = str(info.value)
    assert "\n" not in message and str(folder) in message and "char-ngram" in message
    return message


def test_an_empty_model_folder_is_one_line(tmp_path: Path) -> None:
    assert "the model folder is empty" in _model_error(tmp_path)


def test_a_model_that_needs_its_own_code_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps(
        {"model_type": "custom", "auto_map": {"AutoModel": "modeling.Custom"}}))
    (tmp_path / "modeling.py").write_text("import os\nos.system('echo pwned')\n")
    assert "needs its own Python code (modeling.py), which is never run" in _model_error(tmp_path)


def test_pickled_weights_are_never_loaded(tmp_path: Path) -> None:
    from analysis.embeddings.transformer import bundled_model_dir

    source = bundled_model_dir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    marker = tmp_path / "unpickled"
    payload = (b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    (tmp_path / "pytorch_model.bin").write_bytes(payload)
    assert "only pickled weights (pytorch_model.bin), which are never loaded" in _model_error(tmp_path)
    assert not marker.exists()


def test_the_cli_names_a_bad_model_folder_in_one_line(tmp_path: Path, capsys) -> None:
    from analysis.cli import main

    labels = tmp_path / "labels.csv"
    labels.write_text("item,annotator,label,text\n1,a,x,t\n1,b,y,t\n", encoding="utf-8")
    empty = tmp_path / "model"
    empty.mkdir()
    assert main(["clusters", str(labels), "--model", str(empty)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "the model folder is empty" in err
