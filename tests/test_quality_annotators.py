"""Annotator quality, fatigue, bias, rounds, groups and report sections on planted data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from quality_simulation import FAVOURED, simulate

from analysis.base.errors import AnnotationDataError
from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import MISSING, ReliabilityData
from analysis.quality import (
    annotator_confusion,
    annotator_quality_table,
    bias_table,
    fatigue_curves,
    fatigue_trends,
    group_agreement,
    pairwise_homogeneity,
    round_agreement,
)
from analysis.quality.report_sections import compute_quality

METRIC_KEYS = {"value", "ci_low", "ci_high", "n", "note"}


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, ReliabilityData]:
    table, _ = simulate()
    return table, ReliabilityData.from_table(table)


def _flagged(frame: pd.DataFrame, column: str) -> set[str]:
    return set(frame.loc[frame[column], "annotator"].astype(str))


def test_quality_table_ranks_random_annotator_last(simulated):
    _, data = simulated
    quality = annotator_quality_table(data, bootstrap=300, seed=0)
    assert quality["annotator"].iloc[-1] == "ann6"
    assert quality["rank"].tolist() == list(range(1, 7))
    assert set(quality["annotator"].iloc[:3]) == {"ann1", "ann2", "ann3"}
    assert "ann6" in _flagged(quality, "low_quality")
    assert not _flagged(quality, "low_quality") & {"ann1", "ann2", "ann3"}
    assert (quality["loo_ci_low"] <= quality["loo_agreement"]).all()
    assert (quality["loo_agreement"] <= quality["loo_ci_high"]).all()
    # Removing the random annotator raises everyone else's alpha the most.
    assert quality.set_index("annotator")["alpha_change"].idxmax() == "ann6"


def test_loo_agreement_matches_a_plain_loop(simulated):
    _, data = simulated
    quality = annotator_quality_table(data, bootstrap=0).set_index("annotator")
    codes = data.codes
    for j, name in enumerate(data.annotators[:3]):
        agree = total = 0
        for row in codes:
            if row[j] == MISSING:
                continue
            others = np.bincount(np.delete(row, j)[np.delete(row, j) != MISSING], minlength=data.n_labels)
            if others.max() == 0 or (others == others.max()).sum() > 1:
                continue
            total += 1
            agree += int(np.argmax(others) == row[j])
        assert quality.loc[name, "loo_items"] == total
        assert quality.loc[name, "loo_agreement"] == pytest.approx(agree / total)


def test_annotator_confusion(simulated):
    _, data = simulated
    confusion = annotator_confusion(data, "ann5")
    quality = annotator_quality_table(data, bootstrap=0).set_index("annotator")
    assert confusion.to_numpy().sum() == quality.loc["ann5", "loo_items"]
    assert np.trace(confusion.to_numpy()) / confusion.to_numpy().sum() == pytest.approx(
        quality.loc["ann5", "loo_agreement"]
    )
    # The biased annotator's extra labels land in the favoured column.
    off_diagonal = confusion.to_numpy() - np.diag(np.diag(confusion.to_numpy()))
    assert confusion.columns[off_diagonal.sum(axis=0).argmax()] == FAVOURED
    assert annotator_confusion(data, "ann5", reference="dawid_skene").to_numpy().sum() == 600
    with pytest.raises(AnnotationDataError, match="'nobody' is not in the data"):
        annotator_confusion(data, "nobody")
    with pytest.raises(ValueError, match="'reference' parameter"):
        annotator_confusion(data, "ann5", reference="gold")


def test_fatigue_flags_only_the_tiring_annotator(simulated):
    table, _ = simulated
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    assert _flagged(trends, "fatigue") == {"ann4"}
    row = trends.set_index("annotator").loc["ann4"]
    assert row["ci_low"] < row["slope"] < row["ci_high"] < 0
    assert row["p_adjusted"] >= row["p_value"]


def test_fatigue_slope_matches_unpenalised_sklearn_logistic_regression(simulated):
    from sklearn.linear_model import LogisticRegression

    table, _ = simulated
    trends = fatigue_trends(AnnotationDataset.from_table(table)).set_index("annotator")
    curves = fatigue_curves(AnnotationDataset.from_table(table))
    mine = curves[(curves["annotator"] == "ann4") & curves["agree"].notna()]
    scaled = ((mine["position"] - 1) / 599).to_numpy()[:, None]
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(scaled, mine["agree"])
    assert trends.loc["ann4", "slope"] == pytest.approx(reference.coef_[0, 0], rel=1e-4)


def test_fatigue_curves_follow_the_sequence(simulated):
    table, _ = simulated
    curves = fatigue_curves(AnnotationDataset.from_table(table), window=100)
    tired = curves[curves["annotator"] == "ann4"]
    assert tired["position"].tolist() == list(range(1, 601))
    early, late = tired["rolling_agreement"].iloc[99], tired["rolling_agreement"].iloc[-1]
    assert early - late > 0.2
    with pytest.raises(ValueError, match="'window' parameter"):
        fatigue_curves(AnnotationDataset.from_table(table), window=0)


def test_fatigue_undefined_cases():
    few = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"), "label": list("pppp")})
    trends = fatigue_trends(AnnotationDataset.from_table(few), min_items=1)
    assert trends["slope"].isna().all() and not trends["fatigue"].any()
    assert "every compared judgement agrees" in trends["note"].iloc[0]
    trends = fatigue_trends(AnnotationDataset.from_table(few))
    assert trends["note"].iloc[0] == "only 2 compared judgements (at least 30 needed)"


def test_bias_flags_only_the_biased_annotator_for_its_class(simulated):
    _, data = simulated
    bias = bias_table(data)
    assert _flagged(bias, "bias") == {"ann5"}
    row = bias.set_index("annotator").loc["ann5"]
    assert row["favoured_label"] == FAVOURED
    assert row["favoured_excess"] > 0.2 and row["cramers_v"] > 0.2


def test_bias_statistic_matches_scipy_chisquare():
    from scipy.stats import chisquare

    table = pd.DataFrame({"item_id": [str(i // 3) for i in range(150)], "annotator": list("xyz") * 50,
                          "label": (["a", "a", "b"] * 20 + ["b", "b", "b"] * 20 + ["a", "c", "c"] * 10)})
    data = ReliabilityData.from_table(table)
    row = bias_table(data).set_index("annotator").loc["x"]
    counts = data.counts().astype(float)
    others = counts.copy()
    others[np.arange(50), data.codes[:, 0]] -= 1
    smoothed = others + counts.sum(axis=0) / counts.sum()
    expected = (smoothed / smoothed.sum(axis=1, keepdims=True)).sum(axis=0)
    reference = chisquare(np.bincount(data.codes[:, 0], minlength=3), expected)
    assert row["chi2"] == pytest.approx(reference.statistic)
    assert row["p_value"] == pytest.approx(reference.pvalue)


def test_pairwise_homogeneity_flags_pairs_with_the_biased_annotator(simulated):
    _, data = simulated
    pairs = pairwise_homogeneity(data)
    flagged = pairs[pairs["flagged"]]
    assert len(pairs) == 15
    assert ((flagged["annotator_a"] == "ann5") | (flagged["annotator_b"] == "ann5")).all()
    assert len(flagged) == 5 and (flagged["label"] == FAVOURED).all()


def test_rounds_show_the_improvement(simulated):
    table, _ = simulated
    experts = table[table["annotator_group"] == "expert"].reset_index(drop=True)
    rounds = round_agreement(AnnotationDataset.from_table(experts), bootstrap=500, seed=0)
    assert rounds["batch"].tolist() == ["r1", "r2"]
    assert rounds["items"].tolist() == [300, 300]
    second = rounds.iloc[1]
    assert second["change"] == pytest.approx(second["alpha"] - rounds.iloc[0]["alpha"])
    assert 0 < second["change_ci_low"] < second["change"] < second["change_ci_high"]
    assert pd.isna(rounds.iloc[0]["change"])
    assert round_agreement(AnnotationDataset.from_table(experts.drop(columns="batch"))).empty


def test_groups_within_and_between(simulated):
    table, _ = simulated
    groups = group_agreement(AnnotationDataset.from_table(table), bootstrap=300)
    within = groups.within.set_index("group")
    assert within.loc["expert", "alpha"] > within.loc["crowd", "alpha"]
    assert within["annotators"].to_dict() == {"expert": 3, "crowd": 3}
    between = groups.between.iloc[0]
    assert {between["group_a"], between["group_b"]} == {"expert", "crowd"}
    assert between["ci_low"] < between["alpha"] < between["ci_high"]
    assert group_agreement(AnnotationDataset.from_table(table.drop(columns="annotator_group"))).within.empty


def test_report_sections_contract(simulated):
    table, _ = simulated
    sections = compute_quality(AnnotationDataset.from_table(table), seed=0, bootstrap=200, include_consensus=True).to_dict()
    json.dumps(sections, allow_nan=False)
    assert set(sections) == {"per_annotator", "rounds", "groups", "consensus"}
    per = sections["per_annotator"]
    assert set(per) == {f"ann{i}" for i in range(1, 7)}
    for entry in per.values():
        for key in ("ds_accuracy", "fatigue_slope", "bias_chi2"):
            assert set(entry[key]) == METRIC_KEYS
        assert set(entry["flags"]) == {"fatigue", "bias", "low_quality"}
    assert per["ann4"]["flags"]["fatigue"] and "Holm-adjusted p=" in per["ann4"]["fatigue_slope"]["note"]
    assert per["ann5"]["flags"]["bias"] and per["ann5"]["favoured_label"] == FAVOURED
    assert per["ann6"]["rank"] == 6
    assert [r["batch"] for r in sections["rounds"]] == ["r1", "r2"]
    assert sections["rounds"][0]["change_from_previous"] is None
    assert set(sections["rounds"][1]["change_from_previous"]) == METRIC_KEYS
    assert len(sections["consensus"]) == 600
    assert set(sections["consensus"][0]) == {"item_id", "label", "posterior", "entropy"}
    plain = compute_quality(AnnotationDataset.from_table(table[["item_id", "annotator", "label"]]), seed=0, bootstrap=0,
                             include_consensus=False).to_dict()
    assert set(plain) == {"per_annotator"}



def test_favoured_label_is_named_beside_annotators_too_thin_to_test(simulated):
    """A crowd export mixes tested annotators with some too thin for the bias test: the
    thin ones get a note, and a flagged annotator must still name the label it favours."""
    table, _ = simulated
    thin = pd.DataFrame({"item_id": ["i0000", "i0001", "i0002"], "annotator": "thin",
                         "label": ["refund", "billing", "other"]})
    with_thin = pd.concat([table[["item_id", "annotator", "label"]], thin], ignore_index=True)
    per = compute_quality(AnnotationDataset.from_table(with_thin), seed=0, bootstrap=0,
                           include_consensus=False).to_dict()["per_annotator"]
    assert per["thin"]["favoured_label"] is None and per["thin"]["bias_chi2"]["value"] is None
    assert per["ann5"]["flags"]["bias"] and per["ann5"]["favoured_label"] == FAVOURED
    tested = [name for name, entry in per.items() if entry["bias_chi2"]["value"] is not None]
    assert len(tested) == 6 and all(per[name]["favoured_label"] for name in tested)

@pytest.mark.parametrize(
    "labels, annotators, alpha",
    [(list("pppp"), list("xyxy"), None), (list("pnpn"), list("xxxx"), None), (list("pn"), list("xy"), 0.0)],
    ids=["one-label", "one-annotator", "one-judgement-each"],
)
def test_degenerate_data_gives_explained_undefined_values(labels, annotators, alpha):
    items = ["a", "a", "b", "b"][: len(labels)] if len(set(annotators)) > 1 else list("abcd")
    table = pd.DataFrame({"item_id": items, "annotator": annotators, "label": labels,
                          "batch": "r1", "annotator_group": "crowd"})
    sections = compute_quality(AnnotationDataset.from_table(table), seed=0, bootstrap=50, include_consensus=True).to_dict()
    json.dumps(sections, allow_nan=False)
    for entry in sections["per_annotator"].values():
        assert not any(entry["flags"].values())
        for key in ("fatigue_slope", "bias_chi2"):
            assert entry[key]["value"] is None and entry[key]["note"]
    round_alpha = sections["rounds"][0]["krippendorff_alpha"]
    assert round_alpha["value"] == alpha  # one item, p vs n: alpha = 0 (krippendorff agrees)
    assert alpha is not None or round_alpha["note"]
