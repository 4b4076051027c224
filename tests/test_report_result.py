"""The typed report: ``to_dict()`` is the JSON contract exactly, and it exposes the
tables the dashboard shows (quality, bias, fatigue, pairwise matrix, confused pair,
round verdicts, guideline before/after)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.consensus import DawidSkene, consensus_table
from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import MISSING, ReliabilityData
from analysis.diagnostics import diagnose, suggest_level
from analysis.io import load_annotations
from analysis.metrics import coincidence_matrix, pairwise_kappa_matrix
from analysis.metrics.bands import interpret_metric
from analysis.metrics.overall import agreement_summary
from analysis.metrics.per_annotator import pairwise_kappas, per_annotator_metrics
from analysis.metrics.result import Metric
from analysis.quality import (
    annotator_quality_table,
    bias_table,
    fatigue_trends,
    group_agreement,
    round_agreement,
)
from analysis.quality.fatigue import fatigue_metric
from analysis.quality.groups import metric_from_row
from analysis.report import AgreementReport, build_report

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
BOOTSTRAP = 40


# --- The JSON of the report as the dictionary builder wrote it before the typed result:
# --- an independent reassembly from the analyses, section by section.

def _plain(value: Any) -> Any:
    if isinstance(value, Metric):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _legacy_quality(table: pd.DataFrame, data: ReliabilityData, *, seed: int, bootstrap: int,
                    consensus: bool) -> dict[str, Any]:
    dataset = AnnotationDataset.from_table(table)
    model = DawidSkene().fit(data)
    quality = annotator_quality_table(data, model=model, bootstrap=bootstrap, seed=seed)
    fatigue = fatigue_trends(dataset).set_index("annotator")
    bias = bias_table(data).set_index("annotator")
    per_annotator = {}
    for row in quality.itertuples(index=False):
        name = str(row.annotator)
        f_row, b_row = fatigue.loc[name], bias.loc[name]
        bias_metric = (
            Metric.undefined(str(b_row["note"]), n=int(b_row["items"])) if pd.isna(b_row["chi2"])
            else Metric(b_row["chi2"], n=int(b_row["items"]), note=(
                "chi-square goodness of fit of the annotator's labels against the other "
                f"annotators' vote shares on the same items (df={int(b_row['df'])}); "
                f"Holm-adjusted p={b_row['p_adjusted']:.3g}; Cramér's V={b_row['cramers_v']:.3f}"))
        )
        per_annotator[name] = {
            "rank": int(row.rank),
            "rank_score": _num(row.rank_score),
            "items": int(row.items),
            "ds_accuracy": Metric(row.ds_accuracy, _num(row.ds_ci_low), _num(row.ds_ci_high),
                                  n=int(row.items), note=(
                "Dawid-Skene expected share of this annotator's labels that are correct; "
                "Wilson score 95% interval over their judgements")).to_dict(),
            "loo_agreement": Metric(row.loo_agreement, _num(row.loo_ci_low), _num(row.loo_ci_high),
                                    n=int(row.loo_items), note=(
                "agreement with the majority of the other annotators; Wilson score 95% interval")).to_dict(),
            "alpha_without": Metric(row.alpha_without, n=int(row.items), note=(
                f"nominal Krippendorff alpha of the others; change {row.alpha_change:+.3f}")).to_dict(),
            "fatigue_slope": fatigue_metric(f_row).to_dict(),
            "bias_chi2": bias_metric.to_dict(),
            "favoured_label": None if pd.isna(b_row["favoured_label"]) else str(b_row["favoured_label"]),
            "cramers_v": _num(b_row["cramers_v"]),
            "flags": {"fatigue": bool(f_row["fatigue"]), "bias": bool(b_row["bias"]),
                      "low_quality": bool(row.low_quality)},
        }
    sections: dict[str, Any] = {"per_annotator": per_annotator}
    rounds = round_agreement(dataset, bootstrap=bootstrap, seed=seed)
    sections["rounds"] = [
        {"batch": str(row["batch"]), "items": int(row["items"]),
         "krippendorff_alpha": metric_from_row(row).to_dict(),
         "change_from_previous": None if index == 0 else Metric(
             row["change"], _num(row["change_ci_low"]), _num(row["change_ci_high"]),
             n=int(row["n"]), note=row["change_note"]).to_dict()}
        for index, row in rounds.iterrows()
    ]
    groups = group_agreement(dataset, bootstrap=bootstrap, seed=seed)
    sections["groups"] = {
        "within": [{"group": str(r["group"]), "annotators": int(r["annotators"]), "items": int(r["items"]),
                    "krippendorff_alpha": metric_from_row(r).to_dict()} for _, r in groups.within.iterrows()],
        "between": [{"groups": [str(r["group_a"]), str(r["group_b"])], "items": int(r["items"]),
                     "krippendorff_alpha": metric_from_row(r).to_dict()} for _, r in groups.between.iterrows()],
        "note": "between: alpha between the groups' majority labels on items both groups labelled",
    }
    if consensus:
        items = consensus_table(data, model=model)
        sections["consensus"] = [
            {"item_id": str(i), "label": str(label), "posterior": float(p), "entropy": float(e)}
            for i, label, p, e in zip(items["item_id"], items["ds_label"], items["ds_posterior"],
                                      items["vote_entropy"], strict=True)
        ]
    return sections


def _legacy_report(table: pd.DataFrame, *, load: dict[str, Any], bootstrap: int, seed: int,
                   consensus: bool) -> dict[str, Any]:
    data = ReliabilityData.from_table(table)
    per_item = (data.codes != MISSING).sum(axis=1)
    warnings = list(load.get("warnings", []))
    single = int((per_item == 1).sum())
    if single:
        warnings.append(f"{single} items have a single judgement and do not enter agreement")
    suggested = suggest_level(data.labels)
    dataset = {"items": data.n_items, "annotators": data.n_annotators, "annotations": int(per_item.sum()),
               "labels": list(data.labels), "level": "nominal",
               "items_with_two_or_more": int((per_item >= 2).sum()),
               "single_judgement_items": single, "warnings": warnings,
               "suggested_level": suggested.level, "suggested_level_clear": suggested.clear,
               "suggested_level_reason": suggested.reason, "label_order": list(data.labels), "load": load}
    summary = agreement_summary(data, level="nominal", bootstrap_resamples=bootstrap, seed=seed)
    dataset["warnings"].extend(n for n in summary.notes if n not in dataset["warnings"])
    per_annotator = per_annotator_metrics(data, level="nominal", bootstrap_resamples=bootstrap, seed=seed,
                                          alpha_all=summary.overall["krippendorff_alpha"].value)
    interpretation: dict[str, Any] = {"overall": {}, "per_annotator": {}}
    for name, metric in summary.overall.items():
        band = interpret_metric(name, metric.value)
        interpretation["overall"][name] = None if band is None else band.to_dict()
    for name, entry in per_annotator.items():
        interpretation["per_annotator"][name] = {
            key: None if (band := interpret_metric(key, entry[key].value)) is None else band.to_dict()
            for key in ("kappa_vs_consensus", "alpha_without")
        }
    report: dict[str, Any] = {
        "report_version": 1, "dataset": dataset, "overall": summary.overall, "per_class": summary.per_class,
        "per_annotator": per_annotator, "pairwise": [p.to_dict() for p in pairwise_kappas(data)],
        "interpretation": interpretation,
    }
    for key, value in _legacy_quality(table, data, seed=seed, bootstrap=bootstrap, consensus=consensus).items():
        if key == "per_annotator":
            for name, fields in value.items():
                entry = report["per_annotator"].setdefault(name, {})
                # the agreement engine's alpha_without (same value, with its interval) is kept
                entry.update({k: v for k, v in fields.items() if k != "alpha_without" or k not in entry})
        else:
            report[key] = value
    # the diagnostics come last (nominal level: no rater effects)
    report.update(diagnose(data, level="nominal", overall=summary.overall, per_class=summary.per_class,
                           bootstrap=bootstrap, seed=seed).to_dict())
    return _plain(report)


@pytest.fixture(scope="module", params=["ko_news_topics.csv", "en_support_intents.csv"], ids=["ko", "en"])
def sample_report(request) -> tuple[AgreementReport, pd.DataFrame, dict[str, Any]]:
    loaded = load_annotations(SAMPLES / request.param)
    report = build_report(AnnotationDataset.from_load_result(loaded), bootstrap=BOOTSTRAP, seed=3, consensus=True)
    return report, loaded.table, loaded.report.to_dict()


def test_to_dict_is_the_json_contract_exactly(sample_report):
    report, table, load = sample_report
    expected = _legacy_report(table, load=load, bootstrap=BOOTSTRAP, seed=3, consensus=True)
    # Keys added since (never renamed): each round's change verdict, the most confused pair.
    for entry in expected["rounds"]:
        change = entry["change_from_previous"]
        entry["change_verdict"] = None if change is None else (
            "increase" if change["ci_low"] > 0 else "decrease" if change["ci_high"] < 0 else "unclear")
    coincidence = coincidence_matrix(report.dataset).to_numpy()
    upper = np.triu(coincidence, k=1)
    a, b = np.unravel_index(np.argmax(upper), upper.shape)
    labels = list(report.dataset.reliability.labels)
    expected["most_confused_pair"] = {"label_a": labels[a], "label_b": labels[b],
                                      "share": float(upper[a, b] / upper.sum())}
    expected["dataset"]["task"] = "single_label"  # the task type, last in the dataset section
    # Same keys, same values, same order: the JSON text is identical.
    assert json.dumps(report.to_dict(), ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def test_a_table_still_works_as_input(sample_report):
    report, table, _ = sample_report
    from_table = build_report(table, bootstrap=0, seed=3).to_dict()
    assert from_table["dataset"]["items"] == report.summary.items
    assert "load" not in from_table["dataset"]  # a bare table has no load report


def test_typed_report_exposes_the_dashboard_tables(sample_report):
    report, table, _ = sample_report
    dataset = report.dataset
    names = [str(a) for a in dataset.reliability.annotators]
    assert sorted(report.quality.annotators["annotator"]) == sorted(names)
    assert set(report.quality.bias["annotator"]) == set(names) == set(report.quality.fatigue["annotator"])
    kappa, overlap = report.pairwise_matrix()
    lib_kappa, lib_overlap = pairwise_kappa_matrix(dataset)
    pd.testing.assert_frame_equal(kappa, lib_kappa)
    pd.testing.assert_frame_equal(overlap, lib_overlap)
    # The diagonal: no kappa with oneself, and each annotator's own item count.
    assert np.isnan(np.diag(kappa.to_numpy())).all()
    assert np.diag(overlap.to_numpy()).tolist() == table.groupby("annotator", sort=False).size().tolist()
    pd.testing.assert_frame_equal(report.coincidence, coincidence_matrix(dataset))
    assert len(report.quality.consensus) == report.summary.items


def test_most_confused_pair_is_the_largest_off_diagonal_share(sample_report):
    report, _, _ = sample_report
    pair = report.most_confused_pair
    values = report.coincidence.to_numpy()
    upper = np.triu(values, k=1)
    a, b = report.coincidence.index.get_loc(pair.label_a), report.coincidence.columns.get_loc(pair.label_b)
    assert upper[a, b] == upper.max()
    assert pair.share == pytest.approx(upper.max() / upper.sum())


def test_round_verdicts_follow_the_change_interval(sample_report):
    report, _, _ = sample_report
    rounds = report.rounds
    assert rounds["change_verdict"].iloc[0] is None
    for row in rounds.iloc[1:].itertuples(index=False):
        expected = ("increase" if row.change_ci_low > 0 else "decrease" if row.change_ci_high < 0
                    else "unclear")
        assert row.change_verdict == expected


def test_guideline_before_after_joins_rounds(sample_report):
    report, _, _ = sample_report
    batches = [str(b) for b in report.rounds["batch"]]
    guideline = pd.DataFrame({"batch": [batches[1], batches[0], "nowhere"], "rule_id": [1, 2, 3],
                              "version": [1, 1, 1], "title": ["a", "b", "c"], "decision": ["x", "y", "z"]})
    joined = report.guideline_before_after(guideline).set_index("rule_id")
    assert joined.loc[1, "status"] == "compared" and joined.loc[1, "previous_batch"] == batches[0]
    assert joined.loc[1, "alpha_before"] == pytest.approx(report.rounds["alpha"].iloc[0])
    assert joined.loc[1, "alpha_after"] == pytest.approx(report.rounds["alpha"].iloc[1])
    assert joined.loc[1, "change_verdict"] == report.rounds["change_verdict"].iloc[1]
    assert joined.loc[2, "status"] == "first_round" and joined.loc[3, "status"] == "not_in_data"


def test_markdown_prints_round_verdicts_and_the_confused_pair(sample_report):
    from analysis.report import render_markdown

    report, _, _ = sample_report
    text = render_markdown(report)
    assert "## Round changes" in text and "## Most confused labels" in text
    assert report.most_confused_pair.label_a in text.split("## Most confused labels")[1]


def test_level_of_the_dataset_is_the_report_level():
    table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"), "label": list("112233")})
    ordinal = build_report(AnnotationDataset.from_table(table, level="ordinal"), bootstrap=0)
    assert ordinal.level == "ordinal" and ordinal.to_dict()["dataset"]["level"] == "ordinal"
    assert "gwet_ac2" in ordinal.overall
    assert build_report(table, level="interval", bootstrap=0).level == "interval"


def test_report_gives_the_page_tables_without_a_second_fit(sample_report, monkeypatch):
    from analysis.quality import annotator_confusion, fatigue_curves, fatigue_trend_lines

    report, _, _ = sample_report
    plain = build_report(report.dataset, bootstrap=0, seed=3)  # built without consensus
    assert plain.quality.consensus is None
    fits = []
    monkeypatch.setattr(DawidSkene, "fit", lambda self, *a, **k: fits.append(1) or self)
    table = plain.consensus_table()
    assert fits == []  # the report's fitted model, not a second Dawid-Skene fit
    assert plain.consensus_table() is table  # computed once and kept
    pd.testing.assert_frame_equal(table, report.quality.consensus)
    assert table["ds_label"].tolist() == consensus_table(report.dataset, model=report.quality.model)["ds_label"].tolist()
    assert report.consensus_table() is report.quality.consensus
    monkeypatch.undo()

    pd.testing.assert_frame_equal(report.fatigue_curves(), fatigue_curves(report.dataset))
    pd.testing.assert_frame_equal(report.fatigue_curves(window=7), fatigue_curves(report.dataset, window=7))
    lines = report.fatigue_trend_lines()
    pd.testing.assert_frame_equal(lines, fatigue_trend_lines(fatigue_curves(report.dataset), report.quality.fatigue))
    name = str(report.dataset.reliability.annotators[0])
    pd.testing.assert_frame_equal(report.annotator_confusion(name), annotator_confusion(report.dataset, name))
    pd.testing.assert_frame_equal(
        report.annotator_confusion(name, reference="dawid_skene"),
        annotator_confusion(report.dataset, name, reference="dawid_skene", model=report.quality.model),
    )


def test_a_precomputed_agreement_summary_is_reused_as_is(sample_report):
    report, _, _ = sample_report
    summary = agreement_summary(report.dataset, bootstrap_resamples=BOOTSTRAP, seed=3)
    reused = build_report(report.dataset, bootstrap=BOOTSTRAP, seed=3, consensus=True, agreement=summary)
    assert reused.agreement is summary
    assert json.dumps(reused.to_dict()) == json.dumps(report.to_dict())


def test_scale_level_trend_lines_come_from_the_report(sample_report):
    from analysis.diagnostics.rater_effects import distance_curves
    from analysis.quality import distance_trend_lines

    report, _, _ = sample_report
    ordinal = build_report(report.dataset.with_level("ordinal"), bootstrap=0, seed=3)
    assert ordinal.rater_effects is not None
    curves = distance_curves(ordinal.dataset)
    pd.testing.assert_frame_equal(ordinal.distance_curves(), curves)
    expected = distance_trend_lines(curves, ordinal.rater_effects.trends)
    pd.testing.assert_frame_equal(ordinal.distance_trend_lines(), expected)
    assert ordinal.distance_trend_lines() is ordinal.distance_trend_lines()  # computed once
