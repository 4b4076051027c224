"""The Annotators page with crowd data: hundreds of annotators stay readable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io
import pytest

from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def _crowd_csv(n_items: int = 400, n_workers: int = 120, per_item: int = 3) -> bytes:
    rng = np.random.default_rng(0)
    share = (np.arange(n_workers) + 3.0) ** -0.8
    share /= share.sum()
    rows = []
    for i in range(n_items):
        truth = rng.integers(3)
        for w in rng.choice(n_workers, size=per_item, replace=False, p=share):
            rows.append((f"t{i}", f"worker{w:03d}", "abc"[truth if rng.random() < 0.8 else rng.integers(3)]))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode()


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "50")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


def _annotators_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("crowd.csv", _crowd_csv(), "text/csv")).run()
    at.switch_page("app_pages/annotators.py").run()
    assert not at.exception and not at.error
    return at


def test_annotators_page_shows_the_busiest_and_searches_the_table() -> None:
    at = _annotators_page()
    figures = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert en.STRINGS["annotators.pairwise"] not in [f.layout.title.text for f in figures]  # on request
    pairs = next(frame.value for frame in at.dataframe if "cohen_kappa" in frame.value.columns)
    assert 0 < len(pairs) <= 10 and (pairs["items"] >= 10).all()
    at.toggle(key="annotators_kappa_map").set_value(True).run()
    figures = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    heatmap = next(f for f in figures if f.layout.title.text == en.STRINGS["annotators.pairwise"])
    assert len(heatmap.data[0].x) == 25  # the busiest 25 of 120, not a 120 x 120 wall
    table = next(frame.value for frame in at.dataframe if "loo_ci" in frame.value.columns)
    assert len(table) == 20  # the weakest 20 of 120, the rest on request
    thin = table["rank_reason"].str.startswith("under ").to_numpy()  # too few items to rank
    assert not (thin[:-1] & ~thin[1:]).any()  # the ranked first, weakest first, then the thin
    assert table.loc[~thin, "rank"].is_monotonic_decreasing and (~thin).sum() > 0
    at.toggle(key="annotators_all_quality").set_value(True).run()
    table = next(frame.value for frame in at.dataframe if "loo_ci" in frame.value.columns)
    assert len(table) == 120 and table["rank_reason"].str.len().gt(0).all()
    at.text_input(key="annotators_search").input("worker00").run()
    table = next(frame.value for frame in at.dataframe if "loo_ci" in frame.value.columns)
    assert 0 < len(table) <= 10 and table["annotator"].str.startswith("worker00").all()
    at.number_input(key="annotators_busiest").set_value(10).run()
    figures = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    heatmap = next(f for f in figures if f.layout.title.text == en.STRINGS["annotators.pairwise"])
    assert len(heatmap.data[0].x) == 10


def test_crowd_tables_show_the_flagged_first_and_the_fatigue_curves_on_request() -> None:
    at = _annotators_page()
    titles = [plotly.io.from_json(chart.proto.spec).layout.title.text for chart in at.get("plotly_chart")]
    assert en.STRINGS["annotators.fatigue_curve"] not in titles
    bias = next(frame.value for frame in at.dataframe if "why" in frame.value.columns)
    assert len(bias) == 20
    flagged = bias["bias"].astype(bool).to_numpy()
    assert not (~flagged[:-1] & flagged[1:]).any()  # no flagged row after an unflagged one
    fatigue = next(frame.value for frame in at.dataframe if "slope_ci" in frame.value.columns)
    assert len(fatigue) == 20
    assert at.selectbox(key="annotator").value is None  # the confusion chart once one is picked
    weakest = next(c.value for c in at.caption if c.value.startswith("Pick an annotator to see"))
    name = weakest.rsplit("**", 2)[-2].replace("\\", "")
    at.selectbox(key="annotator").set_value(name).run()
    titles = [plotly.io.from_json(chart.proto.spec).layout.title.text for chart in at.get("plotly_chart")]
    assert en.STRINGS["annotators.confusion_of"].format(annotator=name) in titles
    at.toggle(key="annotators_fatigue_curves").set_value(True).run()
    at.toggle(key="annotators_all_bias").set_value(True).run()
    assert not at.exception
    titles = [plotly.io.from_json(chart.proto.spec).layout.title.text for chart in at.get("plotly_chart")]
    assert en.STRINGS["annotators.fatigue_curve"] in titles
    bias = next(frame.value for frame in at.dataframe if "why" in frame.value.columns)
    assert len(bias) == 120
