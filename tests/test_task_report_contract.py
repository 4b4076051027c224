"""One path for every task type: ``build_report`` on a multi-label or span dataset returns a
typed ``TaskReport`` whose ``to_dict()`` is the task JSON contract, byte for byte.

``tests/data/task_reports/`` holds that JSON for each task sample, written by the reader
and measuring code before the report moved onto ``AnnotationDataset`` and ``build_report``
(20 resamples, seed 0, with consensus); any change to a number, a key or the key order of
the contract shows up here. Regenerate a file only for a change to the numbers that is
meant (and say why in the commit).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.base.errors import UsageError
from analysis.cli import main
from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.report import AgreementReport, TaskReport, build_report
from tests.golden_cases import differences

GOLDEN = Path(__file__).parent / "data" / "task_reports"
SAMPLES = ("en_support_tags.csv", "en_support_tags_labelstudio.json", "en_trial_spans.conll",
           "en_trial_spans_labelstudio.json", "ko_trial_spans_doccano.jsonl",
           "ko_trial_spans_labelstudio.json")


def _report(path: Path) -> TaskReport:
    loaded = load_task(path.read_bytes(), name=path.name)
    dataset = AnnotationDataset.from_task_load(loaded)
    assert dataset.task == loaded.task != "single_label"
    result = build_report(dataset, bootstrap=20, seed=0, consensus=True)
    assert isinstance(result, TaskReport)
    return result


@pytest.mark.parametrize("name", SAMPLES)
def test_task_report_json_is_unchanged(sample_dir: Path, name: str) -> None:
    result = _report(sample_dir / "tasks" / name)
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    # Text, keys and order byte for byte; long floats to 1e-9 (the consensus EM's last bits
    # depend on the order of its sums, see tests.golden_cases.differences).
    assert differences((GOLDEN / f"{name}.json").read_bytes(), text.encode("utf-8")) == []


def test_cli_prints_the_same_report(sample_dir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_dir / "tasks" / "ko_trial_spans_doccano.jsonl"
    out = tmp_path / "report.json"
    assert main(["report", str(path), "--bootstrap", "20", "--consensus",
                 "--output", str(out)]) == 0
    printed = json.loads(out.read_text(encoding="utf-8"))
    expected = json.loads((GOLDEN / f"{path.name}.json").read_text(encoding="utf-8"))
    expected["dataset"]["load"]["file"] = str(path)  # the CLI names the file as given
    assert differences(json.dumps(expected).encode(), json.dumps(printed).encode()) == []


def test_single_label_dataset_gives_the_single_label_report(sample_dir: Path) -> None:
    loaded = load_task(sample_dir / "en_support_intents.csv")
    result = build_report(AnnotationDataset.from_task_load(loaded), bootstrap=0)
    assert isinstance(result, AgreementReport)
    section = result.to_dict()["dataset"]
    assert result.task == section["task"] == section["load"]["task"] == "single_label"
    assert list(section)[-1] == "task"  # added last, after load: keys only added


def test_task_dataset_without_data_is_refused() -> None:
    dataset = AnnotationDataset.from_table(
        __import__("pandas").DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]}),
        task_type="spans")
    with pytest.raises(UsageError, match="holds no task data"):
        build_report(dataset, bootstrap=0)
