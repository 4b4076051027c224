"""The fatigue trend's intercept: the fitted line the Annotators page draws over the curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from quality_simulation import simulate

from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import ReliabilityData
from analysis.quality import fatigue_curves, fatigue_trends
from analysis.quality.fatigue_lines import fatigue_trend_lines


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, ReliabilityData]:
    table, _ = simulate()
    return table, ReliabilityData.from_table(table)


def test_earlier_columns_keep_their_places(simulated):
    table, _ = simulated
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    assert list(trends.columns) == [
        "annotator", "items", "slope", "ci_low", "ci_high", "p_value", "note", "p_adjusted", "fatigue", "intercept",
    ]


@pytest.mark.parametrize("annotator", ["ann1", "ann4"], ids=["steady", "tiring"])
def test_intercept_matches_unpenalised_sklearn_logistic_regression(simulated, annotator):
    from sklearn.linear_model import LogisticRegression

    table, _ = simulated
    trends = fatigue_trends(AnnotationDataset.from_table(table)).set_index("annotator")
    curves = fatigue_curves(AnnotationDataset.from_table(table))
    mine = curves[curves["annotator"] == annotator]
    compared = mine[mine["agree"].notna()]
    scaled = ((compared["position"] - 1) / (mine["position"].max() - 1)).to_numpy()[:, None]
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(scaled, compared["agree"])
    assert trends.loc[annotator, "intercept"] == pytest.approx(reference.intercept_[0], rel=1e-4, abs=1e-6)
    assert trends.loc[annotator, "slope"] == pytest.approx(reference.coef_[0, 0], rel=1e-4, abs=1e-6)


def test_trend_line_is_the_fitted_probability_at_each_end(simulated):
    from sklearn.linear_model import LogisticRegression

    table, _ = simulated
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    curves = fatigue_curves(AnnotationDataset.from_table(table))
    lines = fatigue_trend_lines(curves, trends)
    tired = lines[lines["annotator"] == "ann4"]
    mine = curves[curves["annotator"] == "ann4"]
    compared = mine[mine["agree"].notna()]
    scaled = ((compared["position"] - 1) / (mine["position"].max() - 1)).to_numpy()[:, None]
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(scaled, compared["agree"])
    ends = reference.predict_proba(np.array([[0.0], [1.0]]))[:, 1]
    assert tired["position"].iloc[[0, -1]].tolist() == [1, int(mine["position"].max())]
    assert tired["fitted_agreement"].iloc[[0, -1]].to_numpy() == pytest.approx(ends, rel=1e-4)
    assert tired["fitted_agreement"].is_monotonic_decreasing
    assert tired["fitted_agreement"].iloc[0] > tired["fitted_agreement"].iloc[1]  # the planted decline


def test_undefined_trend_draws_no_line():
    few = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"), "label": list("pppp")})
    trends = fatigue_trends(AnnotationDataset.from_table(few), min_items=1)
    assert trends["intercept"].isna().all()
    assert fatigue_trend_lines(fatigue_curves(AnnotationDataset.from_table(few)), trends).empty
