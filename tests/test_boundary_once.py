"""Checked and computed once per dataset: the level, the matrix, the suggested level.

The counts are taken with patches on the functions that do the work, so a second
computation anywhere on the report's path fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest

import analysis.data.levels as levels
import analysis.data.reliability as reliability
import analysis.diagnostics.scale as scale
from analysis.base.errors import UsageError
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.data.judgements import SpanData
from analysis.data.reliability import ReliabilityData
from analysis.diagnostics import suggested_level_of
from analysis.report import build_report

ROOT = Path(__file__).resolve().parents[1]
# Named scale points: the report puts them in the scale's order (low < medium < high).
TABLE = pd.DataFrame({"item_id": [str(i // 3) for i in range(60)], "annotator": list("xyz") * 20,
                      "label": ["low", "medium", "high", "medium", "medium", "high"] * 10})
SPANS = SpanData.build([("d", "a", 0, 3, "PER"), ("d", "b", 0, 3, "PER")], texts={"d": "Kim ran"})


@pytest.fixture
def counts():
    """Calls of the matrix build, the level suggestion and the level check."""
    seen = {"matrix": 0, "suggest_level": 0, "level_check": 0}
    from_table, suggest, check = ReliabilityData.from_table.__func__, scale.suggest_level, levels.check_option

    def counted(key, function):
        def wrapper(*args, **kwargs):
            seen[key] += 1
            return function(*args, **kwargs)
        return wrapper

    with mock.patch.object(reliability.ReliabilityData, "from_table",
                           classmethod(counted("matrix", from_table))), \
         mock.patch.object(scale, "suggest_level", counted("suggest_level", suggest)), \
         mock.patch.object(levels, "check_option", counted("level_check", check)):
        yield seen


def test_a_report_from_a_table_builds_checks_and_suggests_once(counts):
    # Before: the matrix was built twice (again to put the labels in scale order), the
    # level checked 8 times on the way.
    report = build_report(TABLE, level="ordinal", bootstrap=0)
    assert report.dataset.labels == ("low", "medium", "high")
    assert counts == {"matrix": 1, "suggest_level": 1, "level_check": 1}


def test_a_dashboard_view_suggests_the_level_once(counts):
    # The level picker, the Overview caption and the report each ask (3 calls before).
    dataset = AnnotationDataset.from_table(TABLE)
    first = suggested_level_of(dataset)
    assert suggested_level_of(dataset) is first
    report = build_report(dataset.with_level("ordinal"), bootstrap=0)
    assert report.to_dict()["dataset"]["suggested_level"] == first.level == "ordinal"
    assert counts == {"matrix": 1, "suggest_level": 1, "level_check": 2}  # built, then re-levelled


def test_the_reordered_matrix_equals_one_read_in_that_order():
    order = ["low", "medium", "high"]
    dataset = AnnotationDataset.from_table(TABLE)
    moved = dataset.with_label_order(order)
    direct = ReliabilityData.from_table(TABLE, label_order=order)
    assert moved.labels == direct.labels == tuple(order)
    np.testing.assert_array_equal(moved.reliability.codes, direct.codes)
    np.testing.assert_array_equal(moved.reliability.values, direct.values)
    assert dataset.with_label_order(order).reliability is moved.reliability  # kept on the dataset
    assert dataset.labels == ("high", "low", "medium")  # the original is unchanged
    numeric = AnnotationDataset.from_table(TABLE.assign(label=TABLE["label"].map(
        {"low": "1", "medium": "2", "high": "5"})))
    np.testing.assert_array_equal(numeric.with_label_order(["5", "2", "1"]).reliability.values, [5, 2, 1])


def test_a_level_is_never_dropped_for_span_or_multi_label_data():
    spans = AnnotationDataset.from_task_data(SPANS)
    with pytest.raises(UsageError, match=(r"^The 'level' parameter of build_report applies to single-label "
                                          r"data only\. Got 'ordinal' for spans data")):
        build_report(spans, level="ordinal", bootstrap=0)
    with pytest.raises(UsageError, match="'level' parameter of with_level applies to single-label data"):
        spans.with_level("nominal")
    with pytest.raises(UsageError, match="'level' parameter of analyse applies"):
        as_dataset(spans, level="interval", function="analyse")
    assert build_report(spans, bootstrap=0).task == "spans"  # without a level it runs


def test_from_task_load_refuses_a_level_for_spans():
    from analysis.io.load_task import load_task

    path = ROOT / "sample_data" / "tasks" / "en_trial_spans.conll"
    loaded = load_task(path.read_bytes(), name=path.name)
    assert AnnotationDataset.from_task_load(loaded).task == "spans"
    with pytest.raises(UsageError, match=r"'level' parameter of AnnotationDataset\.from_task_load applies"):
        AnnotationDataset.from_task_load(loaded, level="ordinal")


def test_the_cli_keeps_running_and_says_the_level_was_not_used(capsys):
    from analysis.cli import EXIT_OK, main

    path = str(ROOT / "sample_data" / "tasks" / "en_trial_spans.conll")
    assert main(["report", path, "--bootstrap", "0", "--level", "ordinal", "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert ("--level ordinal was not used: it applies to single-label data only, and spans data "
            "have no level of measurement") in report["dataset"]["warnings"]
    assert main(["report", path, "--bootstrap", "0", "--format", "json"]) == EXIT_OK
    assert not any("--level" in w for w in json.loads(capsys.readouterr().out)["dataset"]["warnings"])


def test_task_is_the_canonical_name_and_task_type_its_alias():
    dataset = AnnotationDataset.from_task_data(SPANS)
    assert dataset.task == dataset.task_type == "spans"
    assert AnnotationDataset.from_table(TABLE).task == "single_label"


def test_with_level_shares_what_the_matrix_gives():
    dataset = AnnotationDataset.from_table(TABLE)
    ordinal = dataset.with_level("ordinal")
    assert ordinal.reliability is dataset.reliability and ordinal.level == "ordinal"
    assert suggested_level_of(ordinal) is suggested_level_of(dataset)
    assert dataset.with_level("nominal") is dataset
    with pytest.raises(UsageError, match="'level' parameter of with_level must be one of"):
        dataset.with_level("nominl")
