"""The dashboard on span and multi-label datasets: pages adapt, numbers equal the report,
user text in the span view is escaped, span adjudication feeds the gold export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.report import build_report
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
BOOTSTRAP = 20

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


def _upload(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value((name, data, "application/json")).run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _html(at: AppTest) -> str:
    return "".join(element.proto.body for element in at.get("html"))


def test_span_sample_pages_adapt_and_match_the_report() -> None:
    path = ROOT / "sample_data" / "tasks" / "en_trial_spans_labelstudio.json"
    at = _upload(path.name, path.read_bytes())
    _ok(at)
    report = build_report(AnnotationDataset.from_task_load(load_task(path)), bootstrap=BOOTSTRAP,
                          seed=0, consensus=True).to_dict()
    cards = {metric.label: metric.value for metric in at.metric}
    for name in ("span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha"):
        assert cards[en.STRINGS[f"tasks.metric.{name}"]] == \
            f"{report['overall'][name]['value']:.3f}"
    assert "span (NER)" in at.info[0].value
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    shown = _html(at)
    first = report["disagreements"]["disputed_items"][0]["item_id"]
    assert at.selectbox(key="span_document").value == first
    assert "sara_novak" not in shown and "<mark" in shown  # Label Studio ids, not names
    at.button(key="save_spans").click().run()
    _ok(at)
    assert en.STRINGS["tasks.saved"].split("{")[0] in at.success[0].value
    assert at.get("download_button")


def test_multi_label_sample_shows_label_measures() -> None:
    path = ROOT / "sample_data" / "tasks" / "en_support_tags_labelstudio.json"
    at = _upload(path.name, path.read_bytes())
    _ok(at)
    report = build_report(AnnotationDataset.from_task_load(load_task(path)), bootstrap=BOOTSTRAP,
                          seed=0).to_dict()
    cards = {metric.label: metric.value for metric in at.metric}
    value = report["overall"]["krippendorff_alpha_masi"]["value"]
    assert cards[en.STRINGS["tasks.metric.krippendorff_alpha_masi"]] == f"{value:.3f}"


def test_span_view_escapes_user_text() -> None:
    text = "<script>alert(1)</script> Kim"
    export = [{"id": 1, "data": {"text": text}, "annotations": [
        {"completed_by": "<b>x</b>", "result": [{"from_name": "ner", "to_name": "text",
                                                 "type": "labels", "value": {
                                                     "start": 26, "end": 29,
                                                     "labels": ["<i>PER</i>"]}}]},
        {"completed_by": "y", "result": [{"from_name": "ner", "to_name": "text", "type": "labels",
                                          "value": {"start": 0, "end": 8, "labels": ["PER"]}}]}]}]
    at = _upload("ner.json", json.dumps(export).encode())
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    shown = _html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
    assert "&lt;b&gt;x&lt;/b&gt;" in shown and 'title="&lt;i&gt;PER&lt;/i&gt;"' in shown


def test_span_adjudication_is_saved_in_the_workspace_and_outlives_the_session(
        tmp_path: Path) -> None:
    from analysis.workspace import dataset_fingerprint, latest_span_adjudications, open_workspace

    path = ROOT / "sample_data" / "tasks" / "ko_trial_spans_doccano.jsonl"
    at = _upload(path.name, path.read_bytes())
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    item = at.selectbox(key="span_document").value
    annotator = at.radio(key="span_source").options[1]  # after the consensus
    at.radio(key="span_source").set_value(annotator).run()
    at.button(key="save_spans").click().run()
    _ok(at)
    assert at.success[0].value == en.STRINGS["tasks.saved"].format(n=4)
    # the page is drawn again with the saved spans: a "final" line and source
    assert at.radio(key="span_source").options[0] == en.STRINGS["tasks.final"]
    dataset = AnnotationDataset.from_task_load(load_task(path))
    fingerprint = dataset_fingerprint(dataset.table)
    saved = latest_span_adjudications(open_workspace(tmp_path / "workspace"), fingerprint)
    own = dataset.task_data.spans
    own = own[(own["item_id"] == item) & (own["annotator"] == annotator)]
    assert saved == {item: sorted(zip(own["start"], own["end"], own["label"], strict=True))}
    # a new session (another tab, a restart) starts from the saved spans
    again = _upload(path.name, path.read_bytes())
    again.switch_page("app_pages/tasks.py").run()
    _ok(again)
    assert again.radio(key="span_source").value == en.STRINGS["tasks.final"]
    assert en.STRINGS["tasks.adjudicated_saved"].split("(")[0] in " ".join(
        c.value for c in again.caption)
    again.button(key="clear_spans").click().run()
    _ok(again)
    assert latest_span_adjudications(open_workspace(tmp_path / "workspace"), fingerprint) == {}


@pytest.mark.parametrize(("choice", "file", "metric"), [
    ("sample_spans_ko", "ko_trial_spans_labelstudio.json", "span_f1_strict"),
    ("sample_spans_en", "en_trial_spans_labelstudio.json", "span_f1_overlap"),
    ("sample_tags_en", "en_support_tags_labelstudio.json", "krippendorff_alpha_masi"),
])
def test_task_samples_open_from_the_picker(choice: str, file: str, metric: str) -> None:
    # A demo visitor sees the span and multi-label views without a file of their own.
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value(choice).run()
    _ok(at)
    path = ROOT / "sample_data" / "tasks" / file
    report = build_report(AnnotationDataset.from_task_load(load_task(path)), bootstrap=BOOTSTRAP,
                          seed=0).to_dict()
    cards = {card.label: card.value for card in at.metric}
    assert cards[en.STRINGS[f"tasks.metric.{metric}"]] == f"{report['overall'][metric]['value']:.3f}"
    at.radio(key="dataset_choice").set_value("sample_en").run()  # and back to a single-label sample
    _ok(at)
    assert en.STRINGS["tasks.metric.span_f1_strict"] not in {card.label for card in at.metric}


def test_zipped_offsets_and_texts_open_as_spans_with_a_verdict() -> None:
    """A crowd corpus that keeps offsets per annotator and its texts in another file:
    one zip upload holds both."""
    import io
    import zipfile

    texts = {"d1": "Adults with asthma were enrolled.", "d2": "Forty children took part."}
    crowd = [{"docid": "d1", "Participants": {"w1": [[0, 18]], "w2": [[0, 6]], "w3": [[0, 18]]}},
             {"docid": "d2", "Participants": {"w1": [[0, 14]], "w2": [[0, 14]], "w3": []}}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("crowd.jsonl", "\n".join(json.dumps(r) for r in crowd))
        archive.writestr("docs.jsonl", "\n".join(json.dumps({"docid": k, "text": v})
                                                 for k, v in texts.items()))
    at = _upload("pico.zip", buffer.getvalue())
    _ok(at)
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes
    assert "Across 2 documents and 3 annotators, token-level agreement is" in text
    assert not any("have no text" in c.value for c in at.caption)  # the texts were joined


def test_texts_upload_joins_offsets_and_texts() -> None:
    crowd = {"docid": "d1", "Participants": {"w1": [[0, 18]], "w2": [[0, 6]], "w3": [[0, 18]]}}
    docs = {"docid": "d1", "text": "Adults with asthma were enrolled."}
    at = _upload("crowd.jsonl", json.dumps(crowd).encode())
    _ok(at)
    assert any("1 of 1 documents have no text" in c.value for c in at.caption)
    at.file_uploader(key="upload_texts").set_value(("docs.jsonl", json.dumps(docs).encode(),
                                                     "application/json")).run()
    _ok(at)
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    assert not any("have no text" in c.value for c in at.caption)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Across 1 document and 3 annotators" in text
    at.file_uploader(key="upload").set_value(("labels.csv", b"item,annotator,label\n1,a,x\n",
                                              "text/csv")).run()
    assert any("goes with a span export that holds offsets only" in e.value for e in at.error)


def test_a_span_table_with_its_texts_file_opens_as_spans() -> None:
    rows = "doc_id,annotator,start,end,type\n" + "".join(
        f"d1,{who},0,{end},P\n" for who, end in (("w1", 18), ("w2", 6), ("w3", 18)))
    at = _upload("spans.csv", rows.encode())
    _ok(at)
    at.file_uploader(key="upload_texts").set_value(("docs.csv", b"docid,text\nd1,Adults with asthma were enrolled.\n",
                                                     "text/csv")).run()
    _ok(at)
    captions = [c.value.replace("\\", "") for c in at.sidebar.caption]
    assert any("spans.csv + docs.csv" in c and ".zip" not in c for c in captions)
    at.switch_page("app_pages/tasks.py").run()
    _ok(at)
    assert not any("have no text" in c.value for c in at.caption)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Across 1 document and 3 annotators" in text


def test_span_rules_and_verdict_read_in_korean() -> None:
    path = ROOT / "sample_data" / "tasks" / "ko_trial_spans_doccano.jsonl"
    at = _upload(path.name, path.read_bytes())
    at.radio(key="lang").set_value("ko").run()
    _ok(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    report = build_report(AnnotationDataset.from_task_load(load_task(path)), bootstrap=BOOTSTRAP,
                          seed=0, consensus=True).to_dict()
    shown = report["ambiguity"]["clusters"][:8]
    assert shown and all(cluster["rule"]["phrase"] in text for cluster in shown)
    for english in ("at the end of", "at the start of", "as a ", "say in the guideline", "Across"):
        assert english not in text, english
    assert "스팬의" in text and "세 문장 요약" in text


def test_doccano_label_lists_open_as_labels_not_json_text() -> None:
    def record(item: int, who: str, labels: list[str]) -> str:
        return json.dumps({"id": item, "text": f"text {item}", "label": labels, "user": who})

    rows = [record(i, who, ["positive" if (i + k) % 3 else "negative"])
            for i in range(12) for k, who in enumerate(("kim", "lee", "park"))]
    at = _upload("doccano.jsonl", "\n".join(rows).encode())
    _ok(at)
    at.switch_page("app_pages/classes.py").run()
    _ok(at)
    shown = {str(v) for frame in at.dataframe for v in frame.value.iloc[:, 0]}
    assert {"positive", "negative"} <= shown and not any("[" in v for v in shown)
    rows[0] = record(0, "kim", ["positive", "negative"])
    at = _upload("doccano.jsonl", "\n".join(rows).encode())
    _ok(at)
    assert "multi-label" in at.info[0].value


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("one label per item", "multi-label", "span (NER)")),
    ("ko", ("항목당 라벨 하나", "다중 라벨", "스팬(개체명)"))])
def test_the_task_names_shown_are_the_tasks_own(monkeypatch: pytest.MonkeyPatch, language: str,
                                                  expected: tuple[str, ...]) -> None:
    from dashboard.components import task_guard
    from dashboard.state import pipeline

    monkeypatch.setattr(task_guard, "current_language", lambda: language)
    assert tuple(task_guard.task_title(name) for name in ("single_label", "multi_label", "spans")) == expected
    assert [pipeline.one_label_per_item(name) for name in (None, "single_label", "multi_label", "spans")] == [
        True, True, False, False]
