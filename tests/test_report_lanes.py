"""The report's two lanes: the same report on one thread or two, and errors that surface."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from test_metrics_crowd import crowd

import analysis.report.lanes as lanes
import analysis.tasks.single_label as builder  # the single-label measures
from analysis.base.errors import AnnotationDataError
from analysis.report import build_report

ROOT = Path(__file__).resolve().parents[1]


def _report_json(table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, threads: str) -> str:
    monkeypatch.setenv("LABEL_AGREEMENT_REPORT_THREADS", threads)
    return json.dumps(build_report(table, bootstrap=200, seed=3, consensus=True).to_dict(), sort_keys=True)


@pytest.mark.parametrize("source", ["sample", "crowd"])
def test_two_lanes_give_the_report_of_one(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    monkeypatch.setattr(lanes, "PARALLEL_MIN_JUDGEMENTS", 0)  # every report on two threads
    monkeypatch.setattr(lanes, "available_cores", lambda: 2)
    if source == "sample":
        table = pd.read_csv(ROOT / "sample_data" / "en_support_intents.csv", dtype=str)
    else:
        table = crowd(n_items=600, n_workers=120, per_item=5, seed=4)
    started: list[int] = []
    real_side_lane = builder.side_lane

    def counting_side_lane(threads: int):
        started.append(threads)
        return real_side_lane(threads)

    monkeypatch.setattr(builder, "side_lane", counting_side_lane)
    two = _report_json(table, monkeypatch, "2")
    one = _report_json(table, monkeypatch, "1")
    assert started == [2, 1]
    assert two == one
    assert '"consensus"' in two and '"per_annotator"' in two


def test_threads_follow_the_size_the_setting_and_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lanes, "available_cores", lambda: 2)
    monkeypatch.delenv("LABEL_AGREEMENT_REPORT_THREADS", raising=False)
    assert lanes.report_threads(lanes.PARALLEL_MIN_JUDGEMENTS - 1) == 1
    assert lanes.report_threads(lanes.PARALLEL_MIN_JUDGEMENTS) == 2
    monkeypatch.setenv("LABEL_AGREEMENT_REPORT_THREADS", "1")
    assert lanes.report_threads(10**7) == 1
    monkeypatch.setenv("LABEL_AGREEMENT_REPORT_THREADS", "8")
    assert lanes.report_threads(10**7) == 2  # the report has two halves
    monkeypatch.setattr(lanes, "available_cores", lambda: 1)
    assert lanes.report_threads(10**7) == 1
    monkeypatch.setenv("LABEL_AGREEMENT_REPORT_THREADS", "two")
    with pytest.raises(AnnotationDataError, match="LABEL_AGREEMENT_REPORT_THREADS"):
        lanes.report_threads(10**7)


def test_an_error_on_the_side_lane_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lanes, "PARALLEL_MIN_JUDGEMENTS", 0)
    monkeypatch.setattr(lanes, "available_cores", lambda: 2)

    def broken(*args: object, **kwargs: object) -> None:
        raise AnnotationDataError("the quality sections failed", fix="nothing to fix")

    monkeypatch.setattr(builder, "compute_quality", broken)
    table = crowd(n_items=50, n_workers=10, per_item=3, seed=1)
    with pytest.raises(AnnotationDataError, match="the quality sections failed"):
        build_report(table, bootstrap=0)
