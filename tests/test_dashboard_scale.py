"""Pages at crowd scale and the claims they make: flagged annotators summarised with the
rest on request, claims withheld under the minimum overlap, the rules behind every flag,
why the bands differ, the rounds a file's columns suggest, thousands separators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.quality.explain import MIN_CLAIM_ITEMS
from dashboard.components.tables import with_separators
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def _crowd(n_items: int = 1200, n_workers: int = 150, per_item: int = 4, *, seed: int = 0) -> bytes:
    """Zipf-like workers, 3 labels; every third worker answers 'a' on 60% of its items."""
    rng = np.random.default_rng(seed)
    share = (np.arange(n_workers) + 3.0) ** -0.8
    share /= share.sum()
    rows = []
    for i in range(n_items):
        truth = int(rng.integers(3))
        for w in rng.choice(n_workers, size=per_item, replace=False, p=share):
            label = truth if rng.random() < 0.8 else int(rng.integers(3))
            if w % 3 == 0 and rng.random() < 0.6:
                label = 0
            rows.append((f"t{i}", f"w{w:03d}", "abc"[label]))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode()


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "30")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))


def _open(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    return at


def _texts(at: AppTest) -> str:
    return " ".join(element.value for element in (*at.markdown, *at.caption, *at.info))


def test_overview_summarises_flagged_annotators_and_withholds_thin_claims() -> None:
    at = _open("crowd.csv", _crowd())
    text = _texts(at)
    assert "flagged annotators (" in text and "label bias" in text
    assert "more: see *Annotators*, or show them all below." in text
    assert f"Weakest annotator with at least {MIN_CLAIM_ITEMS} compared items" in text
    assert f"with fewer than {MIN_CLAIM_ITEMS} compared items are not ranked" in text
    assert not at.success  # alpha is not reliable here: no green "no diagnostic"
    at.toggle(key="overview_all_flagged").set_value(True).run()
    table = next(frame.value for frame in at.dataframe if "reasons" in frame.value.columns)
    assert len(table) > 5 and table["reasons"].str.contains("favours a").any()
    assert table["items"].is_monotonic_decreasing or table["reasons"].str.count(",").iloc[0] >= 1


def test_annotators_page_states_its_rules_and_why_each_row_is_flagged_or_not() -> None:
    at = _open("crowd.csv", _crowd())
    at.switch_page("app_pages/annotators.py").run()
    assert not at.exception and not at.error
    text = _texts(at)
    assert "Rules behind the flags: **label bias** when the Holm-adjusted p is below 0.05" in text
    assert f"Last of the annotators with at least {MIN_CLAIM_ITEMS} compared items:" in text
    cards = [m.value for m in at.markdown if m.value.startswith("**Label bias**")]
    assert 0 < len(cards) <= 9  # the first few as cards, not one per flagged annotator
    bias = next(frame.value for frame in at.dataframe if "why" in frame.value.columns)
    assert bias.loc[bias["bias"].astype(bool), "why"].str.startswith("flagged: p").all()
    assert bias.loc[~bias["bias"].astype(bool), "why"].str.len().gt(0).all()
    quality = next(frame.value for frame in at.dataframe if "rank_reason" in frame.value.columns)
    assert quality["rank_reason"].str.len().gt(0).all()
    pairs = next(frame.value for frame in at.dataframe if "cohen_kappa" in frame.value.columns)
    assert (pairs["items"] >= 10).all() and pairs["cohen_kappa"].is_monotonic_increasing


def test_bands_that_disagree_are_explained_on_the_overview() -> None:
    rng = np.random.default_rng(4)
    rows = [(f"i{i}", f"a{j}", "1" if rng.random() < 0.85 else "0") for i in range(300) for j in range(3)]
    at = _open("skewed.csv", pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).to_csv(index=False).encode())
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "Gwet's AC1 (" in captions and "reads differently from Krippendorff's alpha" in captions
    assert "'1' is 8" in captions and "(the kappa paradox)" in captions  # the prevalence, named


def test_rounds_page_offers_a_column_that_looks_like_rounds() -> None:
    rng = np.random.default_rng(2)
    rows = [(f"i{i}", f"a{j}", "xy"[int(rng.random() < 0.3)], "train" if i < 60 else "test")
            for i in range(120) for j in range(3)]
    data = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "split"]).to_csv(index=False).encode()
    at = _open("split.csv", data)
    at.switch_page("app_pages/rounds.py").run()
    assert en.STRINGS["rounds.no_batches"] in [info.value for info in at.info]
    at.button(key="rounds_use_split").click().run()
    assert not at.exception and not at.error
    shown = next(frame.value for frame in at.dataframe if "batch" in frame.value.columns)
    assert shown["batch"].tolist() == ["train", "test"]
    assert sum("each round resamples with its own seed (0, 1)" in c.value.replace("\\", "") for c in at.caption) == 1


def test_whole_numbers_get_thousands_separators_but_ids_do_not() -> None:
    frame = pd.DataFrame({"items": [11996], "item_id": [7], "flag": [True], "share": [0.5]})
    config = with_separators(frame, {"items": "Items"})
    assert config["items"]["type_config"]["format"] == "localized" and config["items"]["label"] == "Items"
    assert set(config) == {"items"}
