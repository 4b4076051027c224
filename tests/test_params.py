"""Declared parameter constraints (analysis.base.params): what passes, what fails, the words."""

from __future__ import annotations

import re
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import pandas as pd
import pytest

from analysis.base.errors import UsageError
from analysis.base.params import (
    Hidden,
    InstanceOf,
    Interval,
    Options,
    check_param,
    check_params,
    validate_params,
)
from analysis.base.validation import check_option


@pytest.mark.parametrize(
    ("constraint", "good", "bad"),
    [
        (Interval(Integral, 1, None, closed="left"), [1, 7, np.int64(3)], [0, -1, 1.0, True, "2", None]),
        (Interval(Integral, 0, 10, closed="both"), [0, 10], [-1, 11]),
        (Interval(Real, 0, 1, closed="right"), [1, 0.5, 1e-9, np.float32(0.25), Fraction(1, 3)],
         [0, 1.01, np.nan, False, "0.5"]),
        (Interval(Real, 0, 1, closed="left"), [0, 0.999], [1, -0.1]),
        (Interval(Real, 0, None, closed="neither"), [1e-12, 5], [0, -1, np.inf, float("nan")]),
        (Options("pca", "tsne"), ["pca", "tsne"], ["PCA", ["pca"], None, 1]),
        (InstanceOf(pd.DataFrame), [pd.DataFrame()], [[1], None]),
    ],
)
def test_constraints_accept_and_refuse(constraint, good, bad):
    assert all(constraint.is_satisfied_by(value) for value in good)
    assert not any(constraint.is_satisfied_by(value) for value in bad)


def test_constraint_words():
    assert str(Interval(Integral, 2, None, closed="left")) == "an int >= 2"
    assert str(Interval(Real, 0, None, closed="left")) == "a number >= 0"
    assert str(Interval(Real, None, 1, closed="neither")) == "a number < 1"
    assert str(Interval(Real, 0, 1, closed="left")) == "a number in [0, 1)"
    assert str(Interval(Integral, 1, 5)) == "an int in [1, 5]"
    assert str(Interval(Real, 0, 2, closed="right", wording="a cosine distance above 0 and at most 2")) == (
        "a cosine distance above 0 and at most 2")
    assert str(InstanceOf(int, pd.DataFrame)) == "an int or a DataFrame"
    assert str(Options("a", 1, None)) == "one of {'a', 1, None}"


def test_message_names_parameter_function_expectation_and_value():
    with pytest.raises(UsageError) as caught:
        check_param("top", 0, [Interval(Integral, 1, None, closed="left"), None], function="find_label_issues")
    assert str(caught.value) == "The 'top' parameter of find_label_issues must be an int >= 1 or None. Got 0 instead."
    assert caught.value.option == "top"
    assert isinstance(caught.value, ValueError)  # callers catching ValueError keep working
    with pytest.raises(UsageError, match=re.escape("must be one of {'x'}, an int >= 0 or None. Got -1 instead")):
        check_param("n", -1, [Options("x"), Interval(Integral, 0, None, closed="left"), None])
    with pytest.raises(UsageError, match=re.escape("must be a number in (0, 2]. Got 3 instead")):
        check_param("d", 3, [Interval(Real, 0, 2, closed="right"), Hidden(None)])
    assert check_param("d", None, [Interval(Real, 0, 2, closed="right"), Hidden(None)]) is None


def test_check_option_keeps_its_wording():
    with pytest.raises(UsageError) as caught:
        check_option("ties", "randm", ("none", "random"), function="majority_vote")
    assert str(caught.value) == (
        "The 'ties' parameter of majority_vote must be one of {'none', 'random'}. Got 'randm' instead.")
    assert check_option("ties", "none", ["none"]) == "none"


def test_check_params_checks_only_given_values_in_order():
    spec = {"a": [Interval(Integral, 0, None, closed="left")], "b": [Options("x")]}
    check_params("f", spec, {"a": 1})
    with pytest.raises(UsageError, match="'a' parameter of f"):
        check_params("f", spec, {"a": -1, "b": "y"})


def test_validate_params_checks_before_the_body_runs():
    calls = []

    @validate_params({"level": [Options("nominal", "ordinal")],
                      "bootstrap": [Interval(Integral, 0, None, closed="left")]})
    def measure(data, *, level="nominal", bootstrap=10):
        """Measure."""
        calls.append((data, level, bootstrap))
        return bootstrap

    assert measure(1, bootstrap=0) == 0
    with pytest.raises(UsageError, match=re.escape(
            "The 'bootstrap' parameter of measure must be an int >= 0. Got -1 instead.")):
        measure(1, bootstrap=-1)
    with pytest.raises(UsageError, match="'level' parameter of measure must be one of"):
        measure(1, level="nominl")
    assert calls == [(1, "nominal", 0)]
    assert measure.__doc__ == "Measure." and measure.__wrapped__.__name__ == "measure"
    with pytest.raises(TypeError):  # a wrong call keeps Python's own error
        measure(1, 2)


def test_validate_params_refuses_an_undeclared_parameter():
    with pytest.raises(UsageError, match="does not have"):
        @validate_params({"nope": [None]})
        def f(x):
            return x


def _entry_points():
    from analysis.diagnostics import diagnose
    from analysis.diagnostics.camps import find_camps
    from analysis.diagnostics.prevalence import label_prevalence
    from analysis.metrics import agreement_summary
    from analysis.metrics.per_annotator import per_annotator_metrics
    from analysis.quality.groups import group_agreement, round_agreement
    from analysis.report import build_report

    return [(agreement_summary, "bootstrap_resamples", {}), (per_annotator_metrics, "bootstrap_resamples", {}),
            (label_prevalence, "bootstrap_resamples", {}), (round_agreement, "bootstrap", {}),
            (group_agreement, "bootstrap", {}), (find_camps, "bootstrap", {}),
            (diagnose, "bootstrap", {"overall": {}}), (build_report, "bootstrap", {})]


@pytest.mark.parametrize(("function", "resamples", "extra"), _entry_points(),
                         ids=lambda value: getattr(value, "__name__", None) or str(value))
def test_entry_points_refuse_bad_resamples_and_seeds_before_any_work(function, resamples, extra):
    from analysis.data.dataset import AnnotationDataset

    dataset = AnnotationDataset.from_table(pd.DataFrame(
        {"item_id": list("aabb"), "annotator": list("xyxy"), "label": list("pnnn")}))
    name = function.__name__
    with pytest.raises(UsageError, match=re.escape(
            f"The '{resamples}' parameter of {name} must be an int >= 0. Got -1 instead.")):
        function(dataset, **{resamples: -1}, **extra)
    with pytest.raises(UsageError, match=re.escape(f"The '{resamples}' parameter of {name}")):
        function(dataset, **{resamples: 2.5}, **extra)
    with pytest.raises(UsageError, match=re.escape(f"The 'seed' parameter of {name} must be an int >= 0. Got 'x'")):
        function(dataset, seed="x", **extra)


def test_consensus_and_bias_declare_their_options():
    from analysis.consensus import consensus_table
    from analysis.data.reliability import ReliabilityData
    from analysis.quality.bias import bias_table, pairwise_homogeneity

    data = ReliabilityData.from_table(pd.DataFrame(
        {"item_id": list("aabb"), "annotator": list("xyxy"), "label": list("pnnn")}))
    with pytest.raises(UsageError, match=re.escape(
            "The 'ties' parameter of consensus_table must be one of {'none', 'random'}. Got 'rand' instead.")):
        consensus_table(data, ties="rand")
    with pytest.raises(UsageError, match=re.escape(
            "The 'model' parameter of consensus_table must be a DawidSkene or None. Got 'ds' instead.")):
        consensus_table(data, model="ds")
    with pytest.raises(UsageError, match=re.escape(
            "The 'alpha' parameter of bias_table must be a number in (0, 1). Got 5 instead.")):
        bias_table(data, alpha=5)
    with pytest.raises(UsageError, match="'min_overlap' parameter of pairwise_homogeneity must be an int >= 1"):
        pairwise_homogeneity(data, min_overlap=0)
    majority = consensus_table(data)["majority_label"]
    assert pd.isna(majority.iloc[0]) and majority.iloc[1] == "n"  # item a ties
