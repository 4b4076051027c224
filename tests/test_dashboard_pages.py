"""What the pages say on the bundled samples: intervals as the CLI prints them, the flagged
annotators the simulation planted, the fitted fatigue trend, and tidy tables."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import plotly.io
import pytest

from analysis.io import load_annotations
from analysis.report import build_report
from dashboard.components.cards import interval_text
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
BOOTSTRAP = 50
KO_SAMPLE = ROOT / "sample_data" / "ko_news_topics.csv"

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def _array(values: object) -> np.ndarray:
    """A trace's numbers, whether plain JSON or plotly's base64 typed array."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


@pytest.fixture(autouse=True)
def _fast_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


@pytest.fixture(scope="module")
def ko_report() -> dict:
    table = load_annotations(KO_SAMPLE.read_bytes(), name=KO_SAMPLE.name).table
    return build_report(table, level="nominal", bootstrap=BOOTSTRAP, seed=0).to_dict()


@pytest.fixture
def ko_app(ko_report: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()  # the Korean sample opens first
    assert not at.exception and not at.error
    return at


def test_overview_intervals_and_hints_follow_the_report(ko_app: AppTest, ko_report: dict) -> None:
    captions = [caption.value for caption in ko_app.caption]
    for key in ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement"):
        assert interval_text(ko_report["overall"][key]) in captions
    assert en.STRINGS["metric.no_band"] in captions  # percent agreement has no band, and says so
    hints = " ".join(m.value for m in ko_app.markdown)
    flagged = {
        name for name, entry in ko_report["per_annotator"].items() if any(entry["flags"].values())
    }
    assert flagged == {"park_jiwoo", "choi_minseo", "jung_hyunwoo"}  # planted in sample_data
    for name in flagged:
        assert f"**{name.replace('_', chr(92) + '_')}**" in hints
    assert "**경제** ↔ **사회**" in hints  # the planted housing-policy confusion


def test_annotators_page_says_who_is_flagged_and_why(ko_app: AppTest) -> None:
    ko_app.switch_page("app_pages/annotators.py").run()
    assert not ko_app.exception and not ko_app.error
    text = " ".join(m.value for m in ko_app.markdown)
    assert "**Fatigue**" in text and "**Label bias**: favours **사회**" in text and "**Low quality**" in text
    figures = [plotly.io.from_json(chart.proto.spec) for chart in ko_app.get("plotly_chart")]
    fatigue = next(f for f in figures if f.layout.title.text == en.STRINGS["annotators.fatigue_curve"])
    names = [trace.name for trace in fatigue.data]
    assert f"park_jiwoo {en.STRINGS['annotators.flagged_suffix']}" in names
    trends = [trace for trace in fatigue.data if trace.line.dash == "dash"]
    assert len(trends) == 5  # one fitted line per annotator
    tired = next(trace for trace in trends if trace.name.startswith("park_jiwoo"))
    fitted = _array(tired.y)
    assert fitted[0] > fitted[-1] + 0.3  # the planted decline, ~0.9 -> ~0.5
    for frame in ko_app.dataframe:
        assert not any(str(column).startswith(("loo_ci_", "p_value")) for column in frame.value.columns)


@pytest.mark.parametrize("page", ["classes", "rounds", "report", "data"], ids=str)
def test_tables_use_readable_headers(ko_app: AppTest, page: str) -> None:
    ko_app.switch_page(f"app_pages/{page}.py").run()
    assert not ko_app.exception and not ko_app.error
    if page == "report":
        caption = " ".join(c.value for c in ko_app.caption)
        assert "python -m analysis report ko_news_topics.csv --format json" in caption
        return
    assert len(ko_app.dataframe)
    for frame in ko_app.dataframe:
        assert not {"ci_low", "ci_high", "change_low", "change_high"} & set(frame.value.columns)
        assert frame.proto.placeholder == "—"  # a missing cell shows the dash, not "None"
    if page == "rounds":  # the first round has no change to show
        assert any(frame.value.isna().any(axis=None) for frame in ko_app.dataframe)


def test_every_table_goes_through_data_table() -> None:
    """A bare ``st.dataframe`` would show missing cells as "None"."""
    calls = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "dashboard").rglob("*.py")
        if path.name != "tables.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.dataframe(" in line
    ]
    assert calls == []
