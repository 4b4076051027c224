"""Label Studio ``Rating`` questions (stars, ``value.rating``) are read as ordered labels.

The exports are generated here in the shape Label Studio 1.23 writes them: a ``rating``
result per annotation, ``{"rating": 4}`` as a number, beside other questions."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations
from analysis.io.load_task import load_task
from analysis.report import build_report

ANNOTATORS = (11, 12, 13)


def _rating(stars: object, name: str = "stars") -> dict:
    return {"id": f"r{stars}", "from_name": name, "to_name": "text", "type": "rating",
            "origin": "manual", "value": {"rating": stars}}


def _choice(value: str) -> dict:
    return {"from_name": "intent", "to_name": "text", "type": "choices", "value": {"choices": [value]}}


def _export(stars: np.ndarray, *, with_choices: bool = False) -> list[dict]:
    """One task per row of ``stars`` (items x annotators; 0: the annotator left it out)."""
    tasks = []
    for i, row in enumerate(stars):
        annotations = []
        for who, value in zip(ANNOTATORS, row, strict=True):
            if value == 0:
                continue
            result = [_rating(int(value))]
            if with_choices:
                result.insert(0, _choice("billing" if value > 2 else "other"))
            annotations.append({"id": 100 * i + who, "completed_by": who, "result": result,
                                "was_cancelled": False, "updated_at": f"2025-03-0{1 + i % 9}T10:00:00Z"})
        tasks.append({"id": i + 1, "data": {"item_id": f"a-{i}", "text": f"answer {i}"},
                      "annotations": annotations, "predictions": []})
    return tasks


@pytest.fixture
def stars() -> np.ndarray:
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 6, 40)
    values = np.clip(truth[:, None] + rng.integers(-1, 2, (40, 3)), 1, 5)
    values[3, 2] = values[17, 0] = 0  # two ratings left out
    return values


def _write(tmp_path: Path, tasks: list[dict], name: str = "project.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_ratings_are_read_as_the_number_of_stars(tmp_path: Path, stars: np.ndarray) -> None:
    loaded = load_task(_write(tmp_path, _export(stars)))
    assert loaded.task == "single_label"
    table = loaded.single.table
    assert len(table) == 118
    expected = {(f"a-{i}", str(who)): str(int(v)) for i, row in enumerate(stars)
                for who, v in zip(ANNOTATORS, row, strict=True) if v}
    assert dict(zip(zip(table["item_id"], table["annotator"], strict=True), table["label"], strict=True)) == expected
    assert loaded.report["questions"] == [{"name": "stars", "type": "rating", "to_name": "text",
                                           "results": 118, "max_values": 1}]
    assert loaded.report["mapping"]["label"] == "annotations[].result[].value.rating"


def test_ordinal_alpha_on_ratings_equals_the_reference(tmp_path: Path, stars: np.ndarray) -> None:
    dataset = AnnotationDataset.from_task_load(load_task(_write(tmp_path, _export(stars))), level="ordinal")
    assert dataset.labels == ("1", "2", "3", "4", "5")
    report = build_report(dataset, bootstrap=0).to_dict()
    reference = krippendorff.alpha(reliability_data=np.where(stars == 0, np.nan, stars).T.astype(float),
                                   level_of_measurement="ordinal")
    assert report["overall"]["krippendorff_alpha"]["value"] == pytest.approx(reference, abs=1e-9)
    assert report["dataset"]["suggested_level"] in ("ordinal", "interval")


def test_the_export_and_the_same_ratings_as_a_table_give_one_report(tmp_path: Path, stars: np.ndarray) -> None:
    from_export = AnnotationDataset.from_task_load(load_task(_write(tmp_path, _export(stars))), level="ordinal")
    rows = [(f"a-{i}", str(who), str(int(v))) for i, row in enumerate(stars)
            for who, v in zip(ANNOTATORS, row, strict=True) if v]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
    csv = tmp_path / "ratings.csv"
    table.to_csv(csv, index=False)
    from_table = AnnotationDataset.from_load_result(load_annotations(csv), level="ordinal")
    a = build_report(from_export, bootstrap=50, seed=0).to_dict()["overall"]
    b = build_report(from_table, bootstrap=50, seed=0).to_dict()["overall"]
    assert a == b


def test_a_rating_beside_a_choice_question_is_picked_by_its_name(tmp_path: Path, stars: np.ndarray) -> None:
    path = _write(tmp_path, _export(stars, with_choices=True))
    first = load_task(path)
    assert first.report["question"] == "intent"
    assert set(first.single.table["label"]) == {"billing", "other"}
    assert "analysing 'intent'" in first.report["warnings"][0]
    rated = load_task(path, question="stars")
    assert rated.report["question"] == "stars"
    assert sorted(set(rated.single.table["label"]), key=int) == ["1", "2", "3", "4", "5"]
    assert [q["type"] for q in rated.report["questions"]] == ["choices", "rating"]


def test_a_whole_number_written_as_a_float_is_one_label_and_a_missing_rating_is_counted(
        tmp_path: Path, stars: np.ndarray) -> None:
    tasks = _export(stars)
    tasks[0]["annotations"][0]["result"][0]["value"]["rating"] = 4.0
    tasks[1]["annotations"][0]["result"][0]["value"]["rating"] = None
    tasks[2]["annotations"][0]["result"] = []
    loaded = load_task(_write(tmp_path, tasks))
    table = loaded.single.table
    assert table.loc[(table["item_id"] == "a-0") & (table["annotator"] == "11"), "label"].tolist() == ["4"]
    assert ((table["item_id"] == "a-1") & (table["annotator"] == "11")).sum() == 0
    assert loaded.report["dropped"]["empty_label"] == 2
    assert loaded.report["judgements"] == 116


def test_model_predictions_with_a_rating_are_a_model_annotator(tmp_path: Path, stars: np.ndarray) -> None:
    tasks = _export(stars)
    for task, row in zip(tasks, stars, strict=True):
        task["predictions"] = [{"model_version": "llm-judge", "result": [_rating(int(row.max()))]}]
    loaded = load_task(_write(tmp_path, tasks))
    dataset = AnnotationDataset.from_load_result(loaded.single, level="ordinal")
    assert dataset.model_table["annotator"].unique().tolist() == ["llm-judge"]
    assert dataset.model_table["label"].tolist() == [str(int(v)) for v in stars.max(axis=1)]


def test_cli_reports_a_rating_question(tmp_path: Path, stars: np.ndarray,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _export(stars, with_choices=True))
    assert main(["report", str(path), "--question", "stars", "--level", "ordinal", "--bootstrap", "0",
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dataset"]["level"] == "ordinal"
    assert report["dataset"]["load"]["question"] == "stars"
    assert report["dataset"]["annotations"] == 118
