"""The single-label report's typed ``per_class`` and ``per_annotator`` entries give the JSON
in the contract's order, whichever of the three annotator sources measured an annotator."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.metrics.result import Metric, jsonable
from analysis.report import build_report
from analysis.report.entries import (
    AnnotatorAgreement,
    AnnotatorEntry,
    AnnotatorQuality,
    ClassAgreement,
    ScaleEffects,
    annotator_entries,
)

AGREEMENT_KEYS = ["items", "kappa_vs_consensus", "alpha_without", "alpha_change", "label_bias_tvd",
                  "consensus_ties", "consensus_missing"]
QUALITY_KEYS = ["rank", "rank_score", "ds_accuracy", "loo_agreement", "fatigue_slope", "bias_chi2",
                "favoured_label", "cramers_v", "flags"]


def _table() -> pd.DataFrame:
    votes = {"a": "1121", "b": "2232", "c": "3333", "d": "1211", "e": "2322", "f": "4434"}
    rows = [(item, f"r{k}", label) for item, labels in votes.items() for k, label in enumerate(labels)]
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


@pytest.mark.parametrize("level", ["nominal", "interval"])
def test_the_typed_entries_are_the_json_entries_in_order(level: str) -> None:
    report = build_report(AnnotationDataset.from_table(_table(), level=level), bootstrap=0)
    data = report.to_dict()
    assert list(report.annotator_entries) == list(data["per_annotator"]) == ["r0", "r1", "r2", "r3"]
    scale = ["leniency", "leniency_direction"] if level == "interval" else []
    for name, entry in report.annotator_entries.items():
        assert isinstance(entry.agreement, AnnotatorAgreement) and isinstance(entry.quality, AnnotatorQuality)
        assert (entry.scale is not None) == (level == "interval")
        assert jsonable(entry.to_dict()) == data["per_annotator"][name]
        assert list(data["per_annotator"][name]) == AGREEMENT_KEYS + QUALITY_KEYS + scale
        # the agreement measures' alpha without the annotator (with its interval) is the one kept
        assert data["per_annotator"][name]["alpha_without"] == entry.agreement.alpha_without.to_dict()
    assert report.annotator_entries["r3"].agreement.items == 6
    assert list(report.class_entries) == list(data["per_class"]) == ["1", "2", "3", "4"]
    alpha = report.class_entries["3"]["krippendorff_alpha"]
    assert isinstance(alpha, Metric) and data["per_class"]["3"]["krippendorff_alpha"] == alpha.to_dict()
    assert report.annotator_entries is report.annotator_entries  # built once per report


def _quality(items: int) -> dict[str, object]:
    metric = {"value": 0.5, "ci_low": None, "ci_high": None, "n": items, "note": None}
    return {"rank": 1, "rank_score": 0.9, "items": items, "ds_accuracy": metric, "loo_agreement": metric,
            "alpha_without": {**metric, "value": 0.25}, "fatigue_slope": metric, "bias_chi2": metric,
            "favoured_label": None, "cramers_v": 0.1, "flags": {"fatigue": False, "bias": False,
                                                               "low_quality": True}}


def test_an_annotator_with_some_sources_only_keeps_the_fields_it_has() -> None:
    scale = {"leniency": {"value": 1.0}, "leniency_direction": "lenient",
             "fatigue_slope": {"value": -0.2}, "flags": {"bias": True, "fatigue": True}}
    entries = annotator_entries({}, {"q": _quality(3)}, {"q": scale, "s": scale})
    assert list(entries) == ["q", "s"]
    quality_only = entries["q"].to_dict()
    assert list(quality_only) == ["rank", "rank_score", "items", "ds_accuracy", "loo_agreement",
                                  "alpha_without", "fatigue_slope", "bias_chi2", "favoured_label",
                                  "cramers_v", "flags", "leniency", "leniency_direction"]
    assert quality_only["alpha_without"]["value"] == 0.25
    assert quality_only["fatigue_slope"] == {"value": -0.2}  # the distance trend replaces it
    assert quality_only["flags"] == {"fatigue": True, "bias": True, "low_quality": True}
    assert list(entries["s"].to_dict()) == ["leniency", "leniency_direction", "fatigue_slope", "flags"]
    assert AnnotatorEntry().to_dict() == {}
    assert ScaleEffects.from_section(scale).leniency_direction == "lenient"
    assert ClassAgreement("x", {}).to_dict() == {}


def test_changing_one_json_leaves_the_next_one_as_it_was() -> None:
    report = build_report(AnnotationDataset.from_table(_table(), level="interval"), bootstrap=0)
    first = report.to_dict()
    first["per_annotator"]["r0"]["flags"]["bias"] = "changed"
    first["per_annotator"]["r0"]["ds_accuracy"]["value"] = -1
    first["per_class"]["1"].clear()
    again = report.to_dict()
    assert again["per_annotator"]["r0"]["flags"]["bias"] is False
    assert again["per_annotator"]["r0"]["ds_accuracy"]["value"] != -1 and again["per_class"]["1"]
