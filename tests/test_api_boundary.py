"""Checks at the library boundary and the error hierarchy.

Every public entry point refuses bad options and arrays before any computation, with a
one-sentence message naming the parameter, the valid values and what it got.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.base.errors import (
    AnalysisError,
    AnnotationDataError,
    ConvergenceWarning,
    NotFittedError,
    UsageError,
    WorkspaceError,
    cli_option,
)
from analysis.consensus import DawidSkene, consensus_table
from analysis.data.dataset import AnnotationDataset, as_dataset, reliability_of
from analysis.data.reliability import ReliabilityData
from analysis.data.votes import leave_one_out_majority, majority_vote, vote_entropy, vote_shares
from analysis.metrics import agreement_summary
from analysis.metrics.alpha import alpha_with_interval, nominal_alpha
from analysis.quality import fatigue_trends
from analysis.report import build_report

TABLE = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"), "label": list("ppnnpn")})


def test_error_hierarchy():
    for kind in (AnnotationDataError, WorkspaceError, UsageError, NotFittedError):
        assert issubclass(kind, AnalysisError)
    assert issubclass(WorkspaceError, AnnotationDataError)  # older `except AnnotationDataError` still catch it
    assert not issubclass(UsageError, AnnotationDataError)
    assert not issubclass(AnnotationDataError, UsageError)
    assert issubclass(NotFittedError, AttributeError) and issubclass(UsageError, ValueError)
    # The workspace module re-exports the one class.
    from analysis.workspace import WorkspaceError as FromWorkspace
    assert FromWorkspace is WorkspaceError


@pytest.mark.parametrize(
    "counts",
    [[[-1, 3], [2, 0]], [[1.5, 2], [2, 0]], [[np.nan, 2], [2, 0]], [1, 2, 3], [[[1]]], [["a", "b"]]],
    ids=["negative", "fraction", "nan", "1-d", "3-d", "text"],
)
def test_alpha_refuses_bad_counts(counts):
    with pytest.raises(UsageError, match=r"^The 'counts' parameter of alpha_with_interval must") as caught:
        alpha_with_interval(counts)
    assert caught.value.option == "counts"


def test_negative_count_message_names_the_cell():
    with pytest.raises(UsageError, match=re.escape(
            "The 'counts' parameter of alpha_with_interval must hold non-negative vote counts. "
            "Got -1 at row 0, column 0 instead.")):
        alpha_with_interval([[-1, 3], [2, 0]])
    with pytest.raises(UsageError, match="non-negative"):
        nominal_alpha(np.array([[2, -2]]))


def test_whole_float_counts_are_accepted():
    assert alpha_with_interval(np.array([[2.0, 0.0], [0.0, 2.0]]), n_replicates=0).metric.value == 1.0


@pytest.mark.parametrize("function", [vote_shares, vote_entropy, majority_vote])
def test_vote_functions_refuse_negative_counts(function):
    with pytest.raises(UsageError, match=rf"The 'counts' parameter of {function.__name__}"):
        function(np.array([[1, -1]]))


def test_unknown_level_lists_the_valid_values():
    expected = ("The 'level' parameter must be one of {'nominal', 'ordinal', 'interval', 'ratio'}. "
                "Got 'nominl' instead.")
    data = ReliabilityData.from_table(TABLE)
    with pytest.raises(UsageError, match=re.escape(expected)):
        agreement_summary(data, level="nominl")
    with pytest.raises(UsageError, match=r"'level' parameter of alpha_with_interval must be one of"):
        alpha_with_interval([[2, 0]], level="nominl")
    with pytest.raises(UsageError, match=r"'level' parameter of build_report .*Got 'nominl'"):
        build_report(TABLE, level="nominl")
    with pytest.raises(UsageError, match=r"'level' parameter of AnnotationDataset"):
        AnnotationDataset.from_table(TABLE, level="nominl")


def test_unknown_tie_policy_is_refused():
    with pytest.raises(UsageError, match=re.escape(
            "The 'ties' parameter of majority_vote must be one of {'none', 'random'}. Got 'randm' instead.")):
        majority_vote(np.array([[2, 2]]), ties="randm")
    with pytest.raises(UsageError, match="'ties' parameter of leave_one_out_majority"):
        leave_one_out_majority(ReliabilityData.from_table(TABLE), ties="randm")


def test_other_options_are_checked():
    with pytest.raises(UsageError, match="'task_type' parameter of AnnotationDataset must be one of"):
        AnnotationDataset.from_table(TABLE, task_type="span")
    with pytest.raises(UsageError, match="'correction' parameter of fatigue_trends"):
        fatigue_trends(TABLE, correction="bonf")
    with pytest.raises(UsageError, match="'bootstrap' parameter of build_report"):
        build_report(TABLE, bootstrap=-1)
    with pytest.raises(UsageError, match="'values' parameter of alpha_with_interval"):
        alpha_with_interval([[2, 0]], level="interval", values=np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize(
    ("drop", "named"),
    [(["annotator"], "no column 'annotator'"), (["item_id", "label"], "no columns 'item_id', 'label'")],
    ids=["one", "two"],
)
def test_missing_columns_are_named(drop, named):
    table = TABLE.drop(columns=drop)
    for build in (ReliabilityData.from_table, AnnotationDataset.from_table):
        with pytest.raises(AnnotationDataError, match=rf"the table has {named}; columns found: ") as caught:
            build(table)
        assert "Fix:" in str(caught.value)


def test_wrong_input_types_are_usage_errors():
    with pytest.raises(UsageError, match=r"must be a pandas DataFrame\. Got list instead"):
        AnnotationDataset.from_table([1, 2])
    with pytest.raises(UsageError, match="'dataset' parameter of fatigue_trends must be an AnnotationDataset"):
        fatigue_trends(np.zeros((2, 2)))
    with pytest.raises(UsageError, match="'data' parameter of agreement_summary must be"):
        agreement_summary(TABLE)
    with pytest.raises(UsageError, match="'label_order' parameter of build_report applies to a table only"):
        build_report(AnnotationDataset.from_table(TABLE), label_order=["p", "n"])


def test_one_dataset_serves_every_analysis():
    dataset = AnnotationDataset.from_table(TABLE, label_order=["p", "n"])
    assert reliability_of(dataset) is dataset.reliability
    assert as_dataset(dataset) is dataset
    assert dataset.labels == ("p", "n")
    # The same numbers from the dataset as from its matrix.
    by_dataset = agreement_summary(dataset, bootstrap_resamples=0).overall["cohen_kappa"].value
    by_matrix = agreement_summary(dataset.reliability, bootstrap_resamples=0).overall["cohen_kappa"].value
    assert by_dataset == by_matrix == pytest.approx(0.4)
    assert dataset.with_level("ordinal").reliability is dataset.reliability


def test_dawid_skene_not_fitted():
    model = DawidSkene()
    with pytest.raises(NotFittedError, match=r"not fitted yet\. Call 'fit'"):
        model.posterior_margin()
    with pytest.raises(NotFittedError):
        consensus_table(ReliabilityData.from_table(TABLE), model=model)
    with pytest.raises(AttributeError):  # scikit-learn convention: also an AttributeError
        model.posterior_margin()


def test_consensus_model_must_match_the_data():
    other = pd.DataFrame({"item_id": list("aab"), "annotator": list("xyx"), "label": list("ppq")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # three judgements: EM wanders
        model = DawidSkene().fit(ReliabilityData.from_table(other))
    with pytest.raises(UsageError, match="fitted on the same data"):
        consensus_table(ReliabilityData.from_table(TABLE), model=model)


def test_dawid_skene_warns_when_em_stops_at_max_iter():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 300)
    noisy = np.where(rng.random((300, 4)) < 0.7, truth[:, None], rng.integers(0, 3, (300, 4)))
    table = pd.DataFrame({
        "item_id": np.repeat(np.arange(300).astype(str), 4),
        "annotator": np.tile(["a", "b", "c", "d"], 300),
        "label": noisy.ravel().astype(str),
    })
    data = AnnotationDataset.from_table(table)
    with pytest.warns(ConvergenceWarning, match=r"stopped after max_iter=1 passes"):
        model = DawidSkene(max_iter=1).fit(data)
    assert model.converged_ is False and model.n_iter_ == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        assert DawidSkene(max_iter=500).fit(data).converged_


def test_cli_prints_usage_and_option_errors_as_flags(tmp_path, capsys):
    from analysis.cli import EXIT_BAD_INPUT, main

    book = tmp_path / "book.xlsx"
    TABLE.to_excel(book, sheet_name="labels", index=False)
    assert main(["validate", str(book), "--sheet", "round9"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "with --sheet" in err and "'sheet' option" not in err


def test_dashboard_names_the_widget_in_each_language():
    from dashboard.i18n import en, ko

    error = AnnotationDataError("no sheet 'x'", file="a.xlsx", fix="pick one with {sheet}")
    assert error.render(lambda name: en.STRINGS[f"option.{name}"]).endswith(
        "pick one with “Excel sheet” under Data › Reading options.")
    assert "“Excel 시트”" in error.render(lambda name: ko.STRINGS[f"option.{name}"])
    from analysis.base.errors import OPTIONS
    for name in OPTIONS:  # every option a message may name has a label in both languages
        assert f"option.{name}" in en.STRINGS and f"option.{name}" in ko.STRINGS


def test_library_messages_name_no_command_line_flag():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "analysis"
    flag = re.compile(r"""(?:fix|problem)?\s*=?\s*f?["'][^"'\n]*\s--[a-z][a-z-]+""")
    offenders = []
    for path in root.rglob("*.py"):
        if "cli" in path.parts or path.name == "errors.py":  # errors.py documents the CLI spelling
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("#", ">>>")) or "``" in line:
                continue
            if flag.search(line):
                offenders.append(f"{path.name}:{number}: {stripped}")
    assert not offenders, offenders


def test_braces_in_user_text_never_break_a_message():
    error = AnnotationDataError("label '{weird}' and {sheet}", file="{a}.csv", fix="use {nothing}")
    assert str(error) == "{a}.csv: label '{weird}' and 'sheet' option. Fix: use {nothing}."
    assert error.options == ("sheet",)
    assert error.render(cli_option) == "{a}.csv: label '{weird}' and --sheet. Fix: use {nothing}."
