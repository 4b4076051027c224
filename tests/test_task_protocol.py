"""A task type registered through ``analysis.report.protocol`` gets a report, a Markdown
rendering and a verdict with no change to the builder, the renderer or the verdict."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.base.errors import UsageError
from analysis.data.dataset import AnnotationDataset
from analysis.metrics.result import Metric
from analysis.report import TaskReport, TaskSections, TaskSummary, build_report, render_markdown
from analysis.report.protocol import ReportOptions
from analysis.report.task_registry import (
    get_task,
    register_task,
    task_ambiguity,
    task_consensus,
    task_names,
    task_traits,
    unregister_task,
)
from analysis.report.verdict import verdict
from analysis.tasks.render import no_guideline, task_tables


class CountTask:
    """A toy task: the share of items whose judgements all agree."""

    name = "toy_count"
    typed_keys: frozenset[str] = frozenset()

    def measure(self, dataset: AnnotationDataset, options: ReportOptions) -> TaskReport:
        table = dataset.table
        same = table.groupby("item_id")["label"].nunique().eq(1)
        per_item = table.groupby("item_id").size().to_numpy()
        summary = TaskSummary.build(dataset, labels=sorted(table["label"].unique()),
                                    per_item=np.asarray(per_item), notes=["toy"],
                                    counts={"items": len(same), "annotators": table["annotator"].nunique(),
                                            "annotations": len(table), "spans": None})
        share = Metric(value=float(same.mean()), n=len(same))
        sections = TaskSections(overall={"unanimous_share": share}, per_class={},
                                per_annotator={}, pairwise=())
        return TaskReport(dataset=dataset, summary=summary, sections=sections,
                          bootstrap=options.bootstrap, seed=options.seed)

    def tables(self, report: Any, language: Any) -> list:
        return task_tables(report, {"per_class": (), "per_annotator": ("items",), "pairwise": ()},
                           "Per label")

    def typed_tables(self, report: Any, guideline: Any) -> list:
        return no_guideline(guideline)

    def verdict(self, report: Any, ko: bool) -> list[str]:
        value = report["overall"]["unanimous_share"]["value"]
        return [f"{value:.0%} of items are unanimous."]


@pytest.fixture(scope="module")
def toy_dataset() -> Iterator[AnnotationDataset]:
    register_task(CountTask())
    table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
                          "label": list("ppnqrr")})
    yield replace(AnnotationDataset.from_table(table), task_type="toy_count")  # type: ignore[arg-type]
    unregister_task("toy_count")
    unregister_task("toy_voted")


def test_toy_task_gets_a_report_a_rendering_and_a_verdict(toy_dataset: AnnotationDataset) -> None:
    report = build_report(toy_dataset, bootstrap=0)
    assert isinstance(report, TaskReport) and report.task == "toy_count"
    data = report.to_dict()
    assert list(data) == ["report_version", "dataset", "overall", "per_class", "per_annotator",
                          "pairwise", "interpretation"]
    assert data["dataset"]["task"] == "toy_count" and data["dataset"]["warnings"] == ["toy"]
    assert data["overall"]["unanimous_share"]["value"] == pytest.approx(2 / 3)
    assert verdict(report) == ["67% of items are unanimous."]
    text = render_markdown(report)
    assert "67% of items are unanimous." in text and "## Per label" in text
    assert "| unanimous\\_share | 0.667 |  |  | 3 |  |" in text
    with pytest.raises(UsageError, match="guideline"):
        render_markdown(report, guideline=pd.DataFrame())


def test_built_in_tasks_are_registered_by_name() -> None:
    assert [get_task(name).name for name in ("single_label", "multi_label", "spans")] == [
        "single_label", "multi_label", "spans"]
    assert get_task(None).name == "single_label"
    with pytest.raises(UsageError, match="not known"):
        get_task("no_such_task")


def test_task_verdict_speaks_in_the_words_a_task_hands_it() -> None:
    from analysis.diagnostics.task_verdict import VerdictWords, task_verdict

    def opening(report: Any, alpha: Any, band: str | None, ko: bool) -> str:
        return f"Votes agree at {alpha['value']:.2f} ({band})."

    def kind(report: Any, target: str | None, ko: bool) -> tuple[str, str]:
        return "most votes are late", f"Next: vote sooner on {target}."

    report = {"overall": {"vote_alpha": {"value": 0.5}},
              "interpretation": {"overall": {"vote_alpha": {"label": "moderate"}}},
              "per_class": {"yes": {"vote_kappa": {"value": 0.7}}, "no": {"vote_kappa": {"value": 0.2}}},
              "per_annotator": {"ann": {"flags": ["x"]}, "bo": {"flags": []}}}
    words = VerdictWords(headline="vote_alpha", per_label="vote_kappa", label_word=("choice", "선택"),
                         opening=opening)
    assert task_verdict(report, False, words) == [
        "Votes agree at 0.50 (moderate).",
        "Agreement is weakest on the choice 'no' (alpha 0.200); 1 annotator(s) are flagged (ann).",
        "Next: write a guideline rule with examples for when 'no' applies, and measure again on the next batch."]
    late = task_verdict(report, False, replace(words, disagreement=kind))
    assert late[1].startswith("Most votes are late; agreement is weakest") and late[2] == "Next: vote sooner on 'no'."
    assert task_verdict({"overall": {}}, True, words) == ["일치도를 잴 수 없습니다: 정의되지 않음."]


def test_a_task_without_consensus_or_ambiguity_has_neither(toy_dataset: AnnotationDataset) -> None:
    assert task_consensus(toy_dataset) is None and task_ambiguity(toy_dataset, seed=3) is None

    class VotedTask(CountTask):
        name = "toy_voted"

        def consensus(self, dataset: AnnotationDataset, *, seed: int = 0) -> pd.DataFrame:
            return dataset.table.groupby("item_id", as_index=False)["label"].max()

    register_task(VotedTask())
    voted = replace(toy_dataset, task_type="toy_voted")  # type: ignore[arg-type]
    assert task_consensus(voted)["label"].tolist() == ["p", "q", "r"]
    assert task_ambiguity(voted) is None


def test_single_label_consensus_and_ambiguity_come_from_the_task() -> None:
    from synthetic_annotations import HashEmbedder, synthetic_table

    from analysis.clusters import find_ambiguity_clusters
    from analysis.consensus import consensus_table

    table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
                          "label": list("ppnqrr")})
    consensus = task_consensus(AnnotationDataset.from_table(table))
    assert consensus is not None
    assert consensus["majority_label"].fillna("tie").tolist() == ["p", "tie", "r"]
    pd.testing.assert_frame_equal(consensus, consensus_table(AnnotationDataset.from_table(table)))
    planted = AnnotationDataset.from_table(synthetic_table(seed=1)[0])
    clusters = task_ambiguity(planted, embedder=HashEmbedder(), use_cache=False)
    expected = find_ambiguity_clusters(planted, embedder=HashEmbedder(), use_cache=False).to_dict()
    assert clusters is not None and clusters["clusters"] and clusters == expected


def test_task_consensus_and_ambiguity_are_the_reports_sections() -> None:
    from analysis.data.judgements import MultiLabelData, SpanData

    sets = MultiLabelData.from_records([("1", "a", "xz"), ("1", "b", "yz"), ("2", "a", "x"),
                                        ("2", "b", "y"), ("3", "a", "x"), ("3", "b", "x")])
    multi = AnnotationDataset.from_task_data(sets)
    report = build_report(multi, bootstrap=0).to_dict()
    assert task_consensus(multi) is None
    ambiguity = task_ambiguity(multi)
    assert ambiguity == report["ambiguity"] and ambiguity["label_pairs"][0]["count"] == 2

    spans = AnnotationDataset.from_task_data(SpanData.build(
        [("d", "a", 0, 5, "P"), ("d", "b", 0, 5, "P"), ("d", "c", 0, 5, "P"), ("d", "b", 7, 9, "Q"),
         ("e", "a", 0, 2, "Q"), ("e", "b", 0, 3, "Q"), ("e", "c", 0, 2, "Q")],
        texts={"d": "abcde fg hi", "e": "ab cd"}))
    report = build_report(spans, bootstrap=0, consensus=True).to_dict()
    consensus = task_consensus(spans)
    assert consensus is not None and consensus.to_dict("records") == report["consensus"]
    assert list(consensus.columns) == ["item_id", "start", "end", "label", "support", "probability"]
    assert [(r.item_id, r.start, r.end, r.label) for r in consensus.itertuples()] == [
        ("d", 0, 5, "P"), ("e", 0, 2, "Q")]
    assert task_ambiguity(spans) == report["ambiguity"]


def test_typed_entries_of_a_task_report_give_the_json_in_their_order(toy_dataset: AnnotationDataset) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Votes:
        share: Metric
        votes: int

        def to_dict(self) -> dict[str, Any]:
            return {"votes": self.votes, "share": self.share}

    report = build_report(toy_dataset, bootstrap=0)
    sections = TaskSections(overall=dict(report.overall),
                            per_class={"p": Votes(Metric(0.5, n=2), 2), "q": {"votes": 1}},
                            per_annotator={"x": Votes(Metric(float("nan"), n=0), 0)},
                            pairwise=(Votes(Metric(1.0, n=1), 1),))
    data = replace(report, sections=sections).to_dict()
    assert data["per_class"] == {"p": {"votes": 2, "share": {"value": 0.5, "ci_low": None, "ci_high": None,
                                                             "n": 2, "note": None}},
                                 "q": {"votes": 1}}
    assert list(data["per_class"]["p"]) == ["votes", "share"]
    assert data["per_annotator"]["x"]["share"]["value"] is None  # strict JSON
    assert data["pairwise"] == [{"votes": 1, "share": {"value": 1.0, "ci_low": None, "ci_high": None,
                                                       "n": 1, "note": None}}]


def test_task_traits_are_declared_by_the_built_in_tasks_and_defaulted_for_others(
        toy_dataset: AnnotationDataset) -> None:
    single, multi, spans = task_traits("single_label"), task_traits("multi_label"), task_traits("spans")
    assert (single.one_label_per_item, single.gold, single.title_in("ko")) == (True, "labels", "항목당 라벨 하나")
    assert (multi.one_label_per_item, multi.gold, multi.title_in("en")) == (False, None, "multi-label")
    assert multi.holds == "multi-label judgements (a set of labels per item)"
    assert (spans.gold, spans.holds, spans.title_in("ko")) == ("spans", "span (NER) annotations", "스팬(개체명)")
    toy = task_traits(toy_dataset.task)
    assert (toy.name, toy.title_in("ko"), toy.holds) == ("toy_count", "toy count", "toy count annotations")
    assert (toy.one_label_per_item, toy.gold) == (False, None)
    assert task_names()[:3] == ("single_label", "multi_label", "spans") and "toy_count" in task_names()
