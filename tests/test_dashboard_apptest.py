"""The dashboard, driven headlessly by Streamlit's AppTest: every page, both samples, an upload.

The Overview's numbers must equal ``build_report`` and ``python -m analysis report`` on the
same data. Intervals use ``DASHBOARD_BOOTSTRAP`` resamples (set small here to keep the
suite fast; the numbers are compared at the same setting).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.io import load_annotations
from analysis.report import build_report
from dashboard.i18n import en, ko

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
BOOTSTRAP = 50
SEED = 0
PAGES = (
    "data", "overview", "classes", "annotators", "rounds", "clusters", "label_review", "guidelines", "report",
)
HEADLINE = ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement")
SAMPLES = {"sample_ko": "ko_news_topics.csv", "sample_en": "en_support_intents.csv"}

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(autouse=True)
def _fast_intervals(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", str(SEED))
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path / "embeddings"))


@pytest.fixture(scope="module")
def upload_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded long CSV with text, rounds and groups (Korean labels and texts)."""
    rng = np.random.default_rng(7)
    labels = ["경제", "사회", "스포츠", "IT과학"]
    rows = []
    for i in range(90):
        gold = int(rng.integers(len(labels)))
        for position, annotator in enumerate(("ann_a", "ann_b", "ann_c", "ann_d")):
            if rng.random() < 0.15:
                continue
            label = gold if rng.random() < 0.8 else int(rng.integers(len(labels)))
            rows.append(
                (
                    f"ko-{i:04d}",
                    annotator,
                    labels[label],
                    f"{labels[gold]} 분야 기사 제목 {i}",
                    f"2024-05-0{1 + i // 30}T10:{i % 60:02d}:{position:02d}+09:00",
                    f"round-{1 + i // 30}",
                    "expert" if annotator == "ann_a" else "crowd",
                )
            )
    frame = pd.DataFrame(
        rows, columns=["item_id", "annotator", "label", "text", "timestamp", "batch", "annotator_group"]
    )
    path = tmp_path_factory.mktemp("upload") / "uploaded_labels.csv"
    frame.to_csv(path, index=False)
    return path


def _no_problems(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _open_upload(path: Path, *, name: str | None = None, data: bytes | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    content = path.read_bytes() if data is None else data
    at.file_uploader(key="upload").set_value((name or path.name, content, "text/csv")).run()
    return at


def _card_values(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _expected_cards(report: dict) -> dict[str, str]:
    def shown(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    return {en.STRINGS[f"metric.{key}"]: shown(report["overall"][key]["value"]) for key in HEADLINE}


def _cards_match_report_and_every_page_opens(at: AppTest, path: Path) -> None:
    table = load_annotations(path.read_bytes(), name=path.name).table
    expected = build_report(table, level="nominal", bootstrap=BOOTSTRAP, seed=SEED).to_dict()
    cards = _card_values(at)
    for title, value in _expected_cards(expected).items():
        assert cards[title] == value
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        _no_problems(at)


def _sample_path(key: str) -> Path:
    path = ROOT / "sample_data" / SAMPLES[key]
    assert path.is_file(), f"the bundled sample {path.name} is missing from sample_data/"
    return path


def test_uploaded_file_every_page_and_overview_numbers(upload_csv: Path) -> None:
    at = _open_upload(upload_csv)
    _no_problems(at)
    table = load_annotations(upload_csv.read_bytes(), name=upload_csv.name).table
    expected = build_report(table, level="nominal", bootstrap=BOOTSTRAP, seed=SEED).to_dict()
    cards = _card_values(at)
    for title, value in _expected_cards(expected).items():
        assert cards[title] == value
    assert cards[en.STRINGS["overview.items"]] == f"{expected['dataset']['items']:,}"
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        _no_problems(at)
        if page != "guidelines":  # that page has its own strings
            assert at.title[0].value == en.STRINGS[f"{'review' if page == 'label_review' else page}.title"]


def test_overview_matches_the_command_line(upload_csv: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "report", str(upload_csv), "--format", "json",
         "--bootstrap", str(BOOTSTRAP), "--seed", str(SEED)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    cli = json.loads(completed.stdout)
    at = _open_upload(upload_csv)
    _no_problems(at)
    cards = _card_values(at)
    for title, value in _expected_cards(cli).items():
        assert cards[title] == value


def test_level_annotator_and_language_interactions(upload_csv: Path) -> None:
    at = _open_upload(upload_csv)
    at.segmented_control(key="level").set_value("ordinal").run()
    _no_problems(at)
    table = load_annotations(upload_csv.read_bytes(), name=upload_csv.name).table
    ordinal = build_report(table, level="ordinal", bootstrap=BOOTSTRAP, seed=SEED).to_dict()
    title = en.STRINGS["metric.krippendorff_alpha"]
    assert _card_values(at)[title] == f"{ordinal['overall']['krippendorff_alpha']['value']:.3f}"

    at.switch_page("app_pages/annotators.py").run()
    _no_problems(at)
    picker = at.selectbox(key="annotator")
    assert list(picker.options) == ["ann_a", "ann_b", "ann_c", "ann_d"]
    picker.set_value("ann_c").run()
    _no_problems(at)
    assert at.selectbox(key="annotator").value == "ann_c"
    titles = [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]
    assert any(text.startswith("ann_c") for text in titles)

    at.switch_page("app_pages/overview.py").run()
    assert at.segmented_control(key="level").value == "ordinal"  # kept across pages
    at.radio(key="lang").set_value("ko").run()
    _no_problems(at)
    assert at.title[0].value == ko.STRINGS["overview.title"]
    assert ko.STRINGS["metric.krippendorff_alpha"] in _card_values(at)


def test_cluster_run_is_behind_the_button(upload_csv: Path) -> None:
    at = _open_upload(upload_csv)
    at.switch_page("app_pages/clusters.py").run()
    _no_problems(at)
    assert not [m for m in at.markdown if m.value.startswith("#### ")]  # nothing ran yet
    at.selectbox(key="cluster_backend").set_value("char-ngram").run()
    at.button(key="cluster_run").click().run()
    _no_problems(at)
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert cards, "no cluster card after the run"
    at.switch_page("app_pages/overview.py").run()
    assert any("cluster" in m.value.lower() and "items" in m.value for m in at.markdown)


def test_empty_and_garbage_uploads_show_one_line_errors(upload_csv: Path) -> None:
    at = _open_upload(upload_csv, name="empty.csv", data=b"")
    assert not at.exception
    assert any("empty" in e.value for e in at.error)
    at = _open_upload(upload_csv, name="garbage.csv", data=bytes(range(256)) * 20)
    assert not at.exception
    messages = [e.value for e in at.error]
    assert messages and all("\n" not in m and "Traceback" not in m for m in messages)


def test_a_hostile_spreadsheet_upload_is_refused_by_the_same_limit(upload_csv: Path) -> None:
    import hostile_files

    at = _open_upload(upload_csv, name="corners.xlsx", data=hostile_files.far_corners())
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any("16,384 columns wide" in m and "LABEL_AGREEMENT_MAX_COLUMNS" in m for m in shown), shown


def test_label_merge_button_reloads_with_the_merge(upload_csv: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(upload_csv)
    frame.loc[frame.index[:5], "label"] = frame.loc[frame.index[:5], "label"] + " "
    frame.loc[frame.index[5:10], "label"] = "sports"
    frame.loc[frame.index[10:12], "label"] = "Sports"
    variant = tmp_path / "variants.csv"
    frame.to_csv(variant, index=False)
    at = _open_upload(variant)
    at.switch_page("app_pages/data.py").run()
    _no_problems(at)
    merges = [button for button in at.button if str(button.key).startswith("merge_")]
    assert merges, "no merge offered for 'sports'/'Sports'"
    merges[0].click().run()
    _no_problems(at)
    assert any("Sports" in c.value or "sports" in c.value for c in at.caption)


@pytest.mark.parametrize("sample", list(SAMPLES), ids=list(SAMPLES))
def test_bundled_samples_every_page(sample: str) -> None:
    path = _sample_path(sample)
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value(sample).run()
    _no_problems(at)
    _cards_match_report_and_every_page_opens(at, path)


@pytest.mark.parametrize(
    "module", ["dashboard.views", "dashboard.components.text", "dashboard.components.cards"], ids=["views", "text", "cards"]
)
def test_dashboard_doctests(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "name",
    ["en_support_intents_wide.csv", "ko_news_topics_labelstudio.json", "ko_news_topics_cp949.csv"],
    ids=["wide", "label-studio", "cp949"],
)
def test_format_uploads_reach_every_page(name: str) -> None:
    path = ROOT / "sample_data" / "formats" / name
    at = _open_upload(path)
    _no_problems(at)
    _cards_match_report_and_every_page_opens(at, path)


def _clusters_upload(tmp_path: Path, rows: list[tuple[str, str, str, str]], name: str) -> AppTest:
    path = tmp_path / name
    pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"]).to_csv(path, index=False)
    at = _open_upload(path)
    at.switch_page("app_pages/clusters.py").run()
    at.selectbox(key="cluster_backend").set_value("char-ngram").run()
    at.button(key="cluster_run").click().run()
    _no_problems(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_clusters_page_says_plainly_when_no_theme_forms(tmp_path: Path, lang: str) -> None:
    """Identical texts: no cluster, and the note says why, in the interface language."""
    rows = [(f"i{k}", f"r{j}", "b" if j == k % 3 else "a", "the same words") for k in range(12) for j in range(3)]
    at = _clusters_upload(tmp_path, rows, "same_texts.csv")
    if lang == "ko":
        at.radio(key="lang").set_value("ko").run()
        _no_problems(at)
    strings = ko.STRINGS if lang == "ko" else en.STRINGS
    expected = strings["clusters.note.same_text"].split("{")[0]
    assert any(info.value.startswith(expected) for info in at.info), [i.value for i in at.info]
    assert not [m for m in at.markdown if m.value.startswith("#### ")]


def test_label_review_states_the_share_it_flags(upload_csv: Path) -> None:
    at = _open_upload(upload_csv)
    at.switch_page("app_pages/label_review.py").run()
    at.selectbox(key="review_backend").set_value("char-ngram").run()
    at.button(key="review_run").click().run()
    _no_problems(at)
    start = en.STRINGS["review.share"].split("{")[1].split("}")[1]  # " of "
    assert any(" items (" in m.value and start in m.value and "flagged" in m.value for m in at.markdown)
    assert any(c.value.startswith("Text model on held-out folds") for c in at.caption)
