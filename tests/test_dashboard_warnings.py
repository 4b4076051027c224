"""Load and dataset warnings on the dashboard's pages, in the page's language (Streamlit AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.report import build_report
from dashboard import i18n
from dashboard.components.notes import warning_text

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
# Item a has two texts (a load warning) and item e one judgement (a dataset warning).
UPLOAD = (b"item_id,annotator,label,text\n"
          b"a,x,b,first text\na,y,b,second text\nb,x,c,t\nb,y,b,t\n"
          b"c,x,c,u\nc,y,c,u\nd,x,b,v\nd,y,c,v\ne,x,c,w\n")


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "20")
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path / "embeddings"))


_REAL_LANGUAGE = i18n.current_language
_FORCED: dict[str, str] = {}


def _forced_language() -> str:
    # Modules imported while the language is forced keep this function: once the test is
    # over it answers as the real one does, so no later test inherits the language.
    return _FORCED.get("language") or _REAL_LANGUAGE()


@pytest.fixture()
def force_language(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(i18n, "current_language", _forced_language)
    yield _FORCED
    _FORCED.clear()


def _shown(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_a_korean_page_shows_the_load_and_dataset_warnings_in_korean(force_language: dict[str, str]) -> None:
    dataset = AnnotationDataset.from_task_load(load_task(UPLOAD, name="odd.csv"))
    warnings = build_report(dataset, bootstrap=0).to_dict()["dataset"]["warnings"]
    assert [w.code for w in warnings] == ["load.item_texts_differ", "summary.single_judgement"]
    pages = {}
    for language in ("en", "ko"):
        at = AppTest.from_file(APP, default_timeout=120)
        # The whole session in this language from its first run. AppTest writes a radio's
        # choice through its caption outside the page's session, so the captions follow too.
        at.session_state["lang"] = language
        force_language["language"] = language
        at.run()
        at.radio(key="dataset_choice").set_value("upload").run()
        at.file_uploader(key="upload").set_value(("odd.csv", UPLOAD, "text/csv")).run()
        at.switch_page("app_pages/overview.py").run()
        assert not at.exception, [e.value for e in at.exception]
        overview = _shown(at)
        at.switch_page("app_pages/data.py").run()
        assert not at.exception, [e.value for e in at.exception]
        pages[language] = (overview, _shown(at))
    single = next(w for w in warnings if w.code == "summary.single_judgement")
    texts = next(w for w in warnings if w.code == "load.item_texts_differ")
    assert warning_text(single, "ko") == "항목 1개는 판정이 하나뿐이라 일치도에 들어가지 않습니다"
    assert warning_text(texts, "ko") == "항목 1개가 행마다 텍스트가 다릅니다\\: 항목마다 첫 텍스트를 씁니다"
    assert {warning_text(single, "ko"), warning_text(texts, "ko")} <= set(pages["ko"][0])
    assert warning_text(texts, "ko") in pages["ko"][1]
    assert {warning_text(single, "en"), warning_text(texts, "en")} <= set(pages["en"][0])
    assert warning_text(texts, "en") in pages["en"][1] and warning_text(texts, "en") not in pages["ko"][1]
