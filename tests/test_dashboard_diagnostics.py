"""The dashboard shows the diagnostics: suggested level as default, verdict, camps, leniency."""

from __future__ import annotations

from pathlib import Path

import pytest
from diagnostics_simulation import camps_table, ratings_table

from dashboard.i18n import en, ko

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "50")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path / "embeddings"))


def _open(frame, tmp_path: Path, name: str) -> AppTest:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value((name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_ratings_default_to_the_suggested_level_with_leniency(tmp_path: Path) -> None:
    at = _open(ratings_table(lenient=1.0, seed=3), tmp_path, "ratings.csv")
    assert at.segmented_control(key="level").value == "interval"
    text = _text(at)
    assert "In three sentences" in text and "interval level" in text
    assert "annotator rater0 rates" in text.lower()
    at.switch_page("app_pages/annotators.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert en.STRINGS["annotators.leniency"] in [s.value for s in at.subheader]
    at.radio(key="lang").set_value("ko").run()
    assert not at.exception
    assert ko.STRINGS["annotators.leniency"] in [s.value for s in at.subheader]


def test_camps_on_overview_and_annotators(tmp_path: Path) -> None:
    names = {"0": "hate", "1": "offensive", "2": "neutral", "3": "other"}
    at = _open(camps_table(kind="camps", items=300).replace({"label": names}), tmp_path, "camps.csv")
    assert at.segmented_control(key="level").value == "nominal"
    assert any(en.STRINGS["diag.annotator_camps"] in e.label for e in at.expander)
    at.switch_page("app_pages/annotators.py").run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "ann0, ann1, ann2" in text or "ann3, ann4, ann5" in text
    assert en.STRINGS["annotators.camp_clusters_none"] in text


def test_numeric_labels_are_categories_on_every_label_axis() -> None:
    import pandas as pd

    from dashboard import charts

    counts = pd.Series({"0": 5, "1": 9, "5": 2})
    bars = charts.label_bars(counts, title="", x_title="", all_labels=["0", "1", "5"], order=["0", "1", "5"])
    assert bars.layout.yaxis.type == "category"
    assert list(bars.layout.yaxis.categoryarray) == ["5", "1", "0"]  # low at the bottom, scale order
    by_count = charts.label_bars(counts, title="", x_title="", all_labels=["0", "1", "5"])
    assert list(by_count.layout.yaxis.categoryarray) == ["5", "0", "1"]
    matrix = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["0", "1"], columns=["0", "1"])
    heat = charts.heatmap(matrix, title="", x_title="", y_title="")
    assert heat.layout.xaxis.type == "category" and heat.layout.yaxis.type == "category"
