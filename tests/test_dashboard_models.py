"""The Models vs humans page, driven headlessly: the bundled sample with two model annotators
reads as the report says, in both languages; marking and counting models from the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.model_annotators.texts import meaning
from analysis.report import build_report
from dashboard.components.text import md
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
LLM_SAMPLE = ROOT / "sample_data" / "models" / "en_support_intents_llm.csv"
BOOTSTRAP = 50

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def _fast_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module")
def sample_models() -> dict:
    dataset = AnnotationDataset.from_load_result(load_annotations(LLM_SAMPLE))
    section = build_report(dataset, bootstrap=BOOTSTRAP, seed=0).to_dict()["models_vs_humans"]
    return {model["annotator"]: model for model in section["models"]}


def _models_page(sample: str = "sample_llm_en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.radio(key="dataset_choice").set_value(sample).run()
    at.switch_page("app_pages/models.py").run()
    _clean(at)
    return at


def test_the_sample_reads_as_the_report_says(sample_models: dict) -> None:
    at = _models_page()
    assert at.title[0].value == en.STRINGS["models.title"]
    assert [s.value for s in at.success] == [md(meaning(sample_models["assistant-large"], "en"))]
    assert [e.value for e in at.error] == [md(meaning(sample_models["intent-classifier"], "en"))]
    cards = [(m.label, m.value) for m in at.metric]
    omega = sample_models["assistant-large"]["alt_test"]["winning_rate"]
    assert (en.STRINGS["models.omega"], f"{omega:.2f}") in cards
    per_class = at.dataframe[0].value
    worse = per_class.loc[per_class[en.STRINGS["models.col.label"]] == "account_access",
                          en.STRINGS["models.col.verdict"]]
    assert worse.tolist() == [en.STRINGS["models.verdict.worse"]]
    assert len(at.get("plotly_chart")) == 2  # one per-label chart per model


def test_another_epsilon_and_korean(sample_models: dict) -> None:
    at = _models_page()
    at.number_input(key="models_epsilon").set_value(0.1).run()
    _clean(at)
    assert any(m.label == en.STRINGS["models.epsilon"] and m.value == "0.1" for m in at.metric)
    at.radio(key="lang").set_value("ko").run()
    _clean(at)
    assert at.success[0].value.startswith("assistant\\-large은\\(는\\) 사람 작업자를 대신할 수 있습니다")


def test_a_dataset_without_models_says_how_to_mark_them() -> None:
    at = _models_page("sample_en")
    assert [i.value for i in at.info] == [en.STRINGS["models.none"]]
    at.multiselect(key="models_marked").set_value(["alice_morgan"])
    at.button[0].click().run()  # the form's Apply
    _clean(at)
    assert at.subheader[0].value == "alice\\_morgan"
    assert any(en.STRINGS["models.by.named"] in c.value for c in at.caption)
    at.switch_page("app_pages/overview.py").run()  # the person marked a model leaves the figures
    _clean(at)
    assert any(m.label == en.STRINGS["overview.annotators"] and m.value == "4" for m in at.metric)


def test_counting_the_models_with_the_people() -> None:
    at = _models_page()
    at.checkbox(key="models_include").check()
    at.button[0].click().run()
    _clean(at)
    at.switch_page("app_pages/overview.py").run()
    _clean(at)
    assert any(m.label == en.STRINGS["overview.annotators"] and m.value == "7" for m in at.metric)
