"""A new task type is one module: its judgements, its reader and its task, registered from
that module alone, give a load, a dataset, a report, Markdown, a verdict and the dashboard's
tables with no change anywhere else; built-in task modules are found by their declarations."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from analysis.base.errors import UsageError
from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.io.readers.registry import unregister
from analysis.report import build_report, render_markdown
from analysis.report.task_registry import discover_tasks, get_task, task_names, unregister_task
from analysis.report.verdict import verdict

PLUGIN = '''
"""Thumbs: each annotator gives an item thumbs up or down (one 'item annotator up|down' line)."""
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from analysis.data.loaded import TaskLoad
from analysis.io.readers.registry import register
from analysis.metrics.result import Metric
from analysis.report import TaskReport, TaskSections, TaskSummary
from analysis.report.task_registry import register_task
from analysis.tasks.render import no_guideline, task_tables


@dataclass(frozen=True)
class Thumbs:
    task: ClassVar[str] = "thumbs"
    rows: tuple

    def judgement_table(self):
        return pd.DataFrame(self.rows, columns=["item_id", "annotator", "label"])


class ThumbsReader:
    name = "thumbs-lines"
    task = "thumbs"

    def sniff(self, parsed):
        return 0.9 if parsed.suffix == ".thumbs" or parsed.options.task == "thumbs" else 0.0

    def read(self, parsed, options):
        text, _ = parsed.text()
        rows = tuple(tuple(line.split()) for line in text.splitlines() if line.strip())
        return TaskLoad("thumbs", None, Thumbs(rows), {"format": self.name, "judgements": len(rows)})


class ThumbsTask:
    name = "thumbs"
    typed_keys = frozenset()
    title = {"en": "thumbs", "ko": "추천"}

    def measure(self, dataset, options):
        table = dataset.task_data.judgement_table()
        up = table["label"].eq("up").groupby(table["item_id"]).mean()
        unanimous = Metric(float(up.isin((0.0, 1.0)).mean()), n=len(up))
        summary = TaskSummary.build(dataset, labels=["down", "up"],
                                    per_item=table.groupby("item_id").size().to_numpy(),
                                    counts={"items": len(up), "annotators": table["annotator"].nunique(),
                                            "annotations": len(table), "spans": None})
        sections = TaskSections(overall={"unanimous_share": unanimous}, per_class={},
                                per_annotator={}, pairwise=())
        return TaskReport(dataset=dataset, summary=summary, sections=sections,
                          bootstrap=options.bootstrap, seed=options.seed)

    def tables(self, report, language):
        return [("Thumbs", ["Measure", "Value"],
                 [["unanimous share", f"{report['overall']['unanimous_share']['value']:.2f}"]])]

    def typed_tables(self, report, guideline):
        return no_guideline(guideline)

    def verdict(self, report, ko):
        share = report["overall"]["unanimous_share"]["value"]
        return [f"{share:.0%} of items are unanimous."]


register(ThumbsReader())
register_task(ThumbsTask())
'''

EXPORT = b"a x up\na y up\nb x up\nb y down\nc x down\nc y down\nd x up\nd y down\n"


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "thumbs_task.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("thumbs_task")
    yield module
    unregister("thumbs-lines")
    unregister_task("thumbs")
    sys.modules.pop("thumbs_task", None)


def test_a_task_type_in_one_module_gets_the_whole_pipeline(plugin) -> None:
    loaded = load_task(EXPORT, name="batch.thumbs")
    assert loaded.task == "thumbs" and loaded.report["format"] == "thumbs-lines"
    dataset = AnnotationDataset.from_task_load(loaded)
    assert dataset.task == "thumbs" and len(dataset.table) == 8
    report = build_report(dataset, bootstrap=0)
    data = report.to_dict()
    assert data["dataset"]["task"] == "thumbs"
    assert data["dataset"]["items"] == 4 and data["dataset"]["annotators"] == 2
    assert data["overall"]["unanimous_share"]["value"] == pytest.approx(0.5)  # items a and c
    assert "| unanimous share | 0.50 |" in render_markdown(data)
    assert verdict(data, "en") == ["50% of items are unanimous."]
    assert "thumbs" in task_names()
    assert load_task(EXPORT, name="batch.txt", task="thumbs").task == "thumbs"  # named, not sniffed
    assert get_task("thumbs").title == {"en": "thumbs", "ko": "추천"}


def test_the_dashboard_draws_the_tables_of_a_task_without_a_view(plugin) -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from analysis.data.dataset import AnnotationDataset
        from analysis.io.load_task import load_task
        from analysis.report import build_report
        from dashboard.components.task_views import render_task_tables

        data = b"a x up\na y up\nb x up\nb y down\n"
        report = build_report(AnnotationDataset.from_task_load(load_task(data, name="b.thumbs")),
                              bootstrap=0).to_dict()
        render_task_tables(report, "thumbs")

    app = AppTest.from_function(page).run(timeout=60)
    assert not app.exception
    assert [m.value for m in app.markdown] == ["**Thumbs**"]
    table = app.dataframe[0].value
    assert table.columns.tolist() == ["Measure", "Value"] and table.iloc[0].tolist() == ["unanimous share", "0.50"]


def test_task_data_without_a_task_name_is_refused() -> None:
    class Loose:
        def judgement_table(self):  # no 'task'
            raise AssertionError("not read")

    with pytest.raises(UsageError, match="a task type's own judgements"):
        AnnotationDataset.from_task_data(Loose())  # type: ignore[arg-type]


def test_built_in_task_modules_are_found_by_their_declarations(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert discover_tasks() == {"single_label": "analysis.tasks.single_label",
                                "multi_label": "analysis.tasks.multilabel_task",
                                "spans": "analysis.tasks.spans.task"}
    package = tmp_path / "toy_tasks"
    (package / "deep").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "deep" / "__init__.py").write_text("")
    (package / "late.py").write_text('TASK_NAME = "late"\nTASK_RANK = 20\n')
    (package / "deep" / "early.py").write_text('TASK_NAME: str = "early"\nTASK_RANK = 5\n')
    (package / "helper.py").write_text('NAME = "TASK_NAME is only mentioned"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    assert discover_tasks("toy_tasks") == {"early": "toy_tasks.deep.early", "late": "toy_tasks.late"}
    (package / "bad.py").write_text('TASK_NAME = "bad"\n')
    with pytest.raises(UsageError, match="no int TASK_RANK"):
        discover_tasks("toy_tasks")


def test_an_unknown_task_type_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"Known task types: .*multi_label.*single_label.*spans"):
        get_task("sapns")
