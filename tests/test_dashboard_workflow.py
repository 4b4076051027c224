"""The review workflow end to end, driven headlessly with AppTest on the Korean sample.

Cluster card -> *Create rule* -> Guidelines (prefilled) -> save -> accept for a round ->
Markdown export; the Rounds page's before/after for that round; a decision on Label
review -> review progress -> the gold labels downloaded from the Report page, again after
a restart with the same workspace folder. Downloads are read from Streamlit's media store.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.quality import round_agreement
from analysis.workspace import (
    RuleDraft,
    accept_rule,
    create_rule,
    dataset_fingerprint,
    gold_labels,
    latest_adjudications,
    list_rules,
    majority_labels,
    open_workspace,
    set_final_label,
)
from dashboard.components.cards import format_value, interval_cell
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
KO_SAMPLE = ROOT / "sample_data" / "ko_news_topics.csv"
BOOTSTRAP = 50

pytest.importorskip("streamlit.testing.v1")
import streamlit as st  # noqa: E402
from streamlit.runtime.media_file_manager import MediaFileManager  # noqa: E402
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

DOWNLOADS: dict[str, bytes] = {}
DEFERRED: dict[str, Any] = {}


class RecordingMediaStorage(MemoryMediaFileStorage):
    """Media storage that also keeps each download's bytes by its file name."""

    def load_and_get_id(self, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if filename is not None and isinstance(path_or_data, bytes):
            DOWNLOADS[filename] = path_or_data
        return super().load_and_get_id(path_or_data, mimetype, kind, filename)


def _recording_add_deferred(original: Any) -> Any:
    def add_deferred(self: Any, data_callable: Any, mimetype: Any, coordinates: str, file_name: str | None = None,
                     **kwargs: Any) -> str:
        if file_name is not None:
            DEFERRED[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    return add_deferred


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path / "embeddings"))
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingMediaStorage)
    monkeypatch.setattr(MediaFileManager, "add_deferred", _recording_add_deferred(MediaFileManager.add_deferred))
    st.cache_resource.clear()  # the workspace object is per process; this one has its own folder
    DOWNLOADS.clear()
    DEFERRED.clear()
    yield tmp_path / "workspace"
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def ko_table() -> pd.DataFrame:
    return load_annotations(KO_SAMPLE.read_bytes(), name=KO_SAMPLE.name).table


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _button(at: AppTest, label_key: str) -> Any:
    label = en.STRINGS[label_key]
    return next(button for button in at.button if button.label == label)


def _progress_texts(at: AppTest) -> list[str]:
    return [element.proto.text for element in at.get("progress")]


def _fetch_downloads(at: AppTest) -> None:
    """What a click on each download button fetches: files written on click (a callable
    ``data``, recorded by ``RecordingMediaManager``) are generated here, as on a click."""
    for name, generate in DEFERRED.items():
        data = generate()
        DOWNLOADS[name] = data.encode("utf-8") if isinstance(data, str) else data


def _gold_csv() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(DOWNLOADS["ko_news_topics_gold.csv"]), dtype=str, keep_default_na=False)


def test_cluster_rule_to_guideline_and_adjudication_to_gold(folder: Path, ko_table: pd.DataFrame) -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()  # the Korean sample opens first
    _ok(at)

    # an ambiguity cluster becomes a drafted rule on the Guidelines page
    at.switch_page("app_pages/clusters.py").run()
    assert at.selectbox(key="cluster_backend").value == "char-ngram"  # suggested for Korean text
    at.button(key="cluster_run").click().run()
    _ok(at)
    create = next(button for button in at.button if str(button.key).startswith("create_rule_"))
    cluster_id = str(create.key).removeprefix("create_rule_")
    create.click().run()
    _ok(at)
    assert at.title[0].value == en.STRINGS["guidelines.title"]
    title = at.text_input(key=f"rule_new_c{cluster_id}_title").value
    # the cluster's drafted rule, prefilled: a rule, or (the reliable annotators split) a decision to make
    assert (title.startswith("When ") and ", not " in title) or title.startswith("Decision needed: ")
    at.switch_page("app_pages/guidelines.py")  # AppTest keeps requesting its last switch_page target otherwise
    at.text_input(key="workspace_author").set_value("서연")
    _button(at, "guidelines.save").click().run()
    _ok(at)
    workspace = open_workspace(folder)
    (rule,) = list_rules(workspace)
    assert (rule.title, rule.source_cluster, rule.author, rule.status) == (title, cluster_id, "서연", "draft")
    assert rule.fingerprint == dataset_fingerprint(ko_table)

    at.text_input(key=f"accept_batch_{rule.rule_id}").set_value("round-2")
    _button(at, "guidelines.accept").click().run()
    _ok(at)
    (accepted,) = list_rules(workspace)
    assert (accepted.status, accepted.batch) == ("accepted", "round-2")
    guideline = DOWNLOADS["guideline.md"].decode("utf-8").replace("\\", "")  # Markdown escapes aside
    assert f"### {accepted.title}" in guideline and "_In effect from batch round-2._" in guideline

    # a decision on Label review counts in its progress bar
    at.switch_page("app_pages/label_review.py").run()
    assert at.selectbox(key="review_backend").value == "char-ngram"
    at.button(key="review_run").click().run()
    _ok(at)
    candidates = at.dataframe[0].value
    total = len(candidates)
    assert _progress_texts(at) == [f"Reviewed 0 of {total}"]
    item_id = str(candidates["item_id"].iloc[0])
    at.session_state["review_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _ok(at)
    consensus = majority_labels(ko_table).get(item_id)
    final = str(candidates["suggested_label"].iloc[0])
    if final == consensus:
        final = next(label for label in sorted(ko_table["label"].unique()) if label != consensus)
    at.selectbox(key=f"review_{item_id}_final_label").set_value(final)
    at.text_area(key=f"review_{item_id}_note").set_value("=HYPERLINK(\"x\") 제목만 보면 헷갈림")
    _button(at, "adjudication.save").click().run()
    _ok(at)
    assert _progress_texts(at) == [f"Reviewed 1 of {total}"]  # counted in the same run

    # the Report page's gold labels carry it, formula-safe, in CSV and Parquet
    at.switch_page("app_pages/report.py").run()
    _ok(at)
    _fetch_downloads(at)
    gold = _gold_csv()
    row = gold.loc[gold["item_id"] == item_id].iloc[0]
    assert (row["label"], row["source"], row["consensus_label"]) == (final, "adjudicated", consensus or "")
    assert row["note"] == "'=HYPERLINK(\"x\") 제목만 보면 헷갈림"
    expected = gold_labels(ko_table, workspace, dataset_fingerprint(ko_table), majority_labels(ko_table))
    assert gold["item_id"].tolist() == expected["item_id"].tolist()  # what `gold export` writes
    assert gold["label"].tolist() == expected["label"].tolist()
    assert (gold["source"] == "adjudicated").sum() == 1
    parquet = pd.read_parquet(io.BytesIO(DOWNLOADS["ko_news_topics_gold.parquet"]))
    assert parquet.set_index("item_id").loc[item_id, "source"] == "adjudicated"
    captions = " ".join(caption.value for caption in at.caption)
    assert f"{len(expected):,} gold labels: 1 from adjudication" in captions
    progress = _progress_texts(at)
    assert len(progress) == 1 and progress[0].startswith("Reviewed ")
    for name in ("ko_news_topics_disagreements.csv", "ko_news_topics_consensus.csv", "ko_news_topics_annotators.csv"):
        assert name in DOWNLOADS

    # a restart with the same workspace folder keeps the decision
    st.cache_data.clear()
    st.cache_resource.clear()
    DOWNLOADS.clear()
    DEFERRED.clear()
    again = AppTest.from_file(APP, default_timeout=240).run()
    again.switch_page("app_pages/report.py").run()
    _ok(again)
    _fetch_downloads(again)
    gold = _gold_csv()
    row = gold.loc[gold["item_id"] == item_id].iloc[0]
    assert (row["label"], row["source"]) == (final, "adjudicated")
    assert latest_adjudications(open_workspace(folder), dataset_fingerprint(ko_table))["item_id"].tolist() == [item_id]


def test_rounds_page_shows_before_and_after_an_accepted_rule(folder: Path, ko_table: pd.DataFrame) -> None:
    workspace = open_workspace(folder)
    rule = create_rule(workspace, RuleDraft("금리 기사는 경제", label_a="경제", label_b="사회"), author="민지")
    accept_rule(workspace, rule.rule_id, batch="round-2")
    create_rule(workspace, RuleDraft("초안만 있는 규칙", label_a="사회", label_b="경제"))  # a draft: not shown
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("app_pages/rounds.py").run()
    _ok(at)
    rounds = round_agreement(AnnotationDataset.from_table(ko_table), bootstrap=BOOTSTRAP, seed=0)
    one, two = rounds.set_index("batch").loc["round-1"], rounds.set_index("batch").loc["round-2"]
    headings = [m.value for m in at.markdown if m.value.startswith("**Rule ")]
    assert headings == ["**Rule 1 v2: 금리 기사는 경제** · takes effect in **round\\-2**"]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics == {
        "Before (round\\-1)": format_value(one["alpha"]),
        "After (round\\-2)": format_value(two["alpha"]),
        en.STRINGS["col.change"]: f"{two['change']:+.3f}",
    }
    captions = [caption.value for caption in at.caption]
    assert interval_cell(one["ci_low"], one["ci_high"]) in captions
    assert interval_cell(two["ci_low"], two["ci_high"]) in captions
    assert any(c.startswith(interval_cell(two["change_ci_low"], two["change_ci_high"]) + " · ") for c in captions)
    assert not any("초안만" in m.value for m in at.markdown)


def test_rounds_page_for_a_rule_of_a_round_the_data_lacks(folder: Path) -> None:
    workspace = open_workspace(folder)
    accept_rule(workspace, create_rule(workspace, RuleDraft("Later", label_a="경제", label_b="사회")).rule_id, batch="round-9")
    accept_rule(workspace, create_rule(workspace, RuleDraft("First", label_a="경제", label_b="사회")).rule_id, batch="round-1")
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("app_pages/rounds.py").run()
    _ok(at)
    assert any(info.value == en.STRINGS["rounds.not_in_data"].format(batch="round\\-9") for info in at.info)
    assert en.STRINGS["rounds.first_round"] in [caption.value for caption in at.caption]
    assert [m.label for m in at.metric] == [en.STRINGS["rounds.before_none"], "After (round\\-1)"]


def test_report_downloads_neutralise_formula_cells(folder: Path) -> None:
    rows = ["item_id,annotator,label,text"]
    for i in range(12):
        labels = ("=cmd", "=cmd", "+plus") if i % 3 else ("@at", "+plus", "+plus")
        rows += [f"i{i},{annotator},{label},-{i} 기사" for annotator, label in zip("abc", labels, strict=True)]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("formulas.csv", data, "text/csv")).run()
    workspace = open_workspace(folder)
    table = load_annotations(data, name="formulas.csv").table
    set_final_label(workspace, dataset_fingerprint(table), "i0", "-minus", note="@note")
    at.switch_page("app_pages/report.py").run()
    _ok(at)
    _fetch_downloads(at)
    gold = pd.read_csv(io.BytesIO(DOWNLOADS["formulas_gold.csv"]), dtype=str, keep_default_na=False)
    assert gold.set_index("item_id").loc["i0", ["label", "source", "note"]].tolist() == ["'-minus", "adjudicated", "'@note"]
    assert set(gold["label"]) == {"'-minus", "'+plus", "'=cmd"}
    # the report files are written on click, from the page's report and language
    assert json.loads(DOWNLOADS["formulas_report.json"])["dataset"]["items"] == 12
    assert DOWNLOADS["formulas_report.md"].decode("utf-8").startswith("# Annotation agreement report")
    assert b"<html" in DOWNLOADS["formulas_report.html"]
    for name in ("disagreements", "consensus"):
        frame = pd.read_csv(io.BytesIO(DOWNLOADS[f"formulas_{name}.csv"]), dtype=str, keep_default_na=False)
        cells = frame.to_numpy().ravel()
        assert not any(str(cell).startswith(("=", "+", "-", "@")) for cell in cells)
        assert any(str(cell).startswith("'=") for cell in cells)
    assert "formulas_annotators.csv" in DOWNLOADS


def test_classes_page_counts_adjudicated_items_of_the_class(folder: Path, ko_table: pd.DataFrame) -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("app_pages/classes.py").run()
    at.selectbox(key="class_label").set_value("경제").run()
    _ok(at)
    votes = ko_table.groupby("item_id")["label"]
    disagreed = votes.nunique() > 1
    chose = votes.apply(lambda labels: bool((labels == "경제").any()))
    total = int((disagreed & chose).sum())
    assert total > 0 and _progress_texts(at) == [f"Reviewed 0 of {total}"]
    item_id = str(at.dataframe[-1].value["item_id"].iloc[0])
    at.session_state["class_items"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.selectbox(key=f"classes_{item_id}_final_label").set_value("경제")
    _button(at, "adjudication.save").click().run()
    _ok(at)
    assert _progress_texts(at) == [f"Reviewed 1 of {total}"]
    decided = latest_adjudications(open_workspace(folder), dataset_fingerprint(ko_table))
    assert decided[["item_id", "label"]].values.tolist() == [[item_id, "경제"]]
