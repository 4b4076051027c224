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


def test_annotators_page_shows_the_busiest_and_searches_the_table() -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("crowd.csv", _crowd_csv(), "text/csv")).run()
    at.switch_page("app_pages/annotators.py").run()
    assert not at.exception and not at.error
    figures = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    heatmap = next(f for f in figures if f.layout.title.text == en.STRINGS["annotators.pairwise"])
    assert len(heatmap.data[0].x) == 25  # the busiest 25 of 120, not a 120 x 120 wall
    table = next(frame.value for frame in at.dataframe if "loo_ci" in frame.value.columns)
    assert len(table) > 100
    at.text_input(key="annotators_search").input("worker00").run()
    table = next(frame.value for frame in at.dataframe if "loo_ci" in frame.value.columns)
    assert 0 < len(table) <= 10 and table["annotator"].str.startswith("worker00").all()
    at.number_input(key="annotators_busiest").set_value(10).run()
    figures = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    heatmap = next(f for f in figures if f.layout.title.text == en.STRINGS["annotators.pairwise"])
    assert len(heatmap.data[0].x) == 10
