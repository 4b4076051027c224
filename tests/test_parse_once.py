"""Each JSON upload is parsed once: task detection hands its parsed records to the
single-label loader (library), and the dashboard shares one parse between the task
detection and the single-label pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.io import load_annotations, tabular
from analysis.io.load_task import load_task

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "sample_data" / "formats"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every JSON parse of a whole export (document or JSON lines) that succeeded, counted
    (a JSONL file first tried as one document fails at the end of its first line)."""
    calls: list[str] = []
    document, lines = tabular.parse_json_document, tabular.parse_json_lines

    def counted_document(text: str, *, file: str):
        out = document(text, file=file)
        calls.append(f"document:{file}")
        return out

    def counted_lines(text: str, *, file: str):
        out = lines(text, file=file)
        calls.append(f"lines:{file}")
        return out

    monkeypatch.setattr(tabular, "parse_json_document", counted_document)
    monkeypatch.setattr(tabular, "parse_json_lines", counted_lines)
    return calls


@pytest.mark.parametrize("name", ["ko_news_topics_labelstudio.json",
                                  "en_support_intents_prodigy.jsonl",
                                  "en_support_intents.jsonl"])
def test_load_task_parses_a_single_label_json_export_once(parses: list[str], name: str) -> None:
    data = (FORMATS / name).read_bytes()
    loaded = load_task(data, name=name)
    assert loaded.task == "single_label"
    assert len(parses) == 1, parses
    parses.clear()
    # the same table as the single-label loader reading the file on its own
    alone = load_annotations(data, name=name)
    assert loaded.single.table.equals(alone.table)
    assert loaded.single.report.to_dict() == alone.report.to_dict()


def test_a_question_of_a_label_studio_project_is_read_without_a_second_parse(
        parses: list[str]) -> None:
    import json

    tasks = json.loads((FORMATS / "ko_news_topics_labelstudio.json").read_text(encoding="utf-8"))
    for task in tasks:  # a second question in every annotation
        for annotation in task["annotations"]:
            annotation["result"].append({"from_name": "urgent", "to_name": "text",
                                         "type": "choices", "value": {"choices": ["no"]}})
    data = json.dumps(tasks, ensure_ascii=False).encode("utf-8")
    parses.clear()
    loaded = load_task(data, name="two_questions.json", question="urgent")
    assert loaded.task == "single_label" and len(parses) == 1, parses
    assert set(loaded.single.table["label"]) == {"no"}


AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def test_dashboard_parses_an_upload_once(parses: list[str], monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    # bytes no other test opens, so no cache of this process holds them already
    data = (FORMATS / "ko_news_topics_labelstudio.json").read_bytes() + b"\n\n "
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=180).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    parses.clear()
    at.file_uploader(key="upload").set_value(("parse_once.json", data, "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric  # the overview's cards: the single-label pages read the upload
    assert parses == ["document:parse_once.json"]
