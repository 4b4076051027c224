"""``python -m analysis report PATH``: the agreement report as JSON, Markdown or HTML.

Exit codes: 0 fine, 2 bad input (including a malformed or unknown ``--fail-under``),
3 when a ``--fail-under NAME=VALUE`` threshold is not met (one line per failure on
standard error; an undefined metric fails its threshold and says why). The Alternative
Annotator Test's numbers (``alt_test_winning_rate``, ``alt_test_advantage_probability``,
``alt_test_pass``: 1 passed, 0 failed) are checked for every model annotator.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from analysis.base.errors import AnnotationDataError
from analysis.base.limits import check_bootstrap
from analysis.cli import EXIT_OK, EXIT_THRESHOLD
from analysis.cli.common import add_input_arguments, seed, write_output
from analysis.cli.tasks import TASK_THRESHOLD_METRICS, add_task_arguments, load_task_from_args
from analysis.data.levels import LEVELS
from analysis.messages import note
from analysis.metrics.overall import OVERALL_METRICS

if TYPE_CHECKING:
    from analysis.data.loaded import TaskLoad

ALT_TEST_THRESHOLDS: dict[str, str] = {
    "alt_test_winning_rate": "winning_rate", "alt_test_advantage_probability": "advantage_probability",
    "alt_test_pass": "passed",
}
"""``--fail-under`` names of the Alternative Annotator Test -> key of ``alt_test``."""
THRESHOLD_METRICS: tuple[str, ...] = (*OVERALL_METRICS, "gwet_ac2", *TASK_THRESHOLD_METRICS,
                                      *ALT_TEST_THRESHOLDS)


def epsilon(value: str) -> float:
    """``--alt-epsilon``: a number in [0, 1), or who the humans are (expert 0.2, skilled 0.15,
    crowd 0.1: the Alternative Annotator Test paper's rule of thumb).

    Examples
    --------
    >>> epsilon("crowd"), epsilon("0.05")
    (0.1, 0.05)
    """
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.model_annotators import EPSILON_BY_ANNOTATORS

    if value.strip().casefold() in EPSILON_BY_ANNOTATORS:
        return EPSILON_BY_ANNOTATORS[value.strip().casefold()]
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number from 0 to 1 or expert, skilled, crowd, got {value!r}") from None
    if not 0 <= number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {value}")
    return number


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report", help="agreement report (JSON, Markdown or HTML)",
        description="Measure inter-annotator agreement: overall, per label, per annotator "
        "and per pair, with 95% intervals and interpretation bands.",
    )
    add_input_arguments(parser)
    add_task_arguments(parser)
    # None when not given: multi-label and span data have no level, single-label data
    # take nominal (as the help says)
    parser.add_argument("--level", choices=LEVELS, default=None,
                        help="level of measurement (default: nominal)")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                        help="bootstrap resamples of items for the intervals; 0 disables "
                        "(default: 1000; at most $LABEL_AGREEMENT_MAX_BOOTSTRAP, 100000)")
    parser.add_argument("--seed", type=seed, default=0, metavar="S",
                        help="random seed, 0 to 2**32-1 (default: 0)")
    parser.add_argument("--format", choices=("json", "markdown", "html"), default="json",
                        dest="output_format", help="output format (default: json)")
    parser.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--fail-under", metavar="NAME=VALUE", nargs="+", action="extend",
                        default=None,
                        help="exit 3 when overall metric NAME is below VALUE (or undefined); "
                        f"NAME one of {', '.join(THRESHOLD_METRICS)} (alt_test_*: the "
                        "Alternative Annotator Test of every model annotator; alt_test_pass=1 "
                        "asks that each passes); several may follow one flag, and the flag "
                        "may be repeated")
    parser.add_argument("--consensus", action="store_true",
                        help="add the consensus section (Dawid-Skene and majority vote; "
                        "for spans: consensus spans)")
    parser.add_argument("--workspace", metavar="DIR", default=None,
                        help="add agreement before and after each accepted guideline version "
                        "kept in this workspace (key guideline_before_after)")
    parser.add_argument("--all-pairs", action="store_true",
                        help="list every pair of annotators under pairwise, also pairs "
                        "without a shared item (default: only pairs that share items)")
    models = parser.add_argument_group("model annotators")
    models.add_argument("--include-models", action="store_true",
                        help="count the model annotators with the humans in every agreement "
                        "figure (default: they are kept apart and compared with the humans "
                        "under models_vs_humans)")
    models.add_argument("--alt-epsilon", type=epsilon, default=0.2, metavar="EPS",
                        help="the Alternative Annotator Test's cost-benefit margin: a number in "
                        "[0, 1), or expert (0.2), skilled (0.15), crowd (0.1), as the paper "
                        "suggests for who the humans are (default: 0.2)")
    parser.set_defaults(handler=run)


def parse_thresholds(values: list[str] | None) -> dict[str, float]:
    """``["fleiss_kappa=0.6"]`` -> ``{"fleiss_kappa": 0.6}``; bad input raises.

    Examples
    --------
    >>> parse_thresholds(["fleiss_kappa=0.6", "krippendorff_alpha=0.667"])
    {'fleiss_kappa': 0.6, 'krippendorff_alpha': 0.667}
    """
    thresholds: dict[str, float] = {}
    for raw in values or []:
        name, separator, number = raw.partition("=")
        name = name.strip()
        if not separator:
            raise AnnotationDataError(f"--fail-under expects NAME=VALUE, got {raw!r}",
                                      fix="write e.g. --fail-under krippendorff_alpha=0.667")
        if name not in THRESHOLD_METRICS:
            raise AnnotationDataError(
                f"--fail-under names an unknown metric {name!r}",
                fix=f"use one of {', '.join(THRESHOLD_METRICS)}")
        try:
            threshold = float(number)
        except ValueError:
            raise AnnotationDataError(f"--fail-under {name} needs a number, got {number!r}",
                                      fix="write e.g. --fail-under fleiss_kappa=0.6") from None
        if threshold != threshold:  # NaN
            raise AnnotationDataError(f"--fail-under {name} needs a number, got {number!r}")
        thresholds[name] = threshold
    return thresholds


def _alt_test_failures(report: dict[str, Any], name: str, threshold: float) -> list[str]:
    """The models whose Alternative Annotator Test misses ``threshold`` (or is undefined)."""
    section = report.get("models_vs_humans")
    if not section or not section.get("models"):
        raise AnnotationDataError(
            f"--fail-under {name}: the report has no model annotators",
            fix="mark them with --model-annotators, a kind column (--kind-col) or a name prefix "
            "(--model-prefix; default llm: and model:)")
    key = ALT_TEST_THRESHOLDS[name]
    failures = []
    for model in section["models"]:
        test, who = model["alt_test"], model["annotator"]
        value = test[key]
        if value is None:
            failures.append(f"threshold not met: {name} of {who} is undefined ({test['note']}); "
                            f"threshold {threshold:g}")
        elif float(value) < threshold:
            failures.append(f"threshold not met: {name} of {who} = {float(value):.3f} < {threshold:g}")
    return failures


def check_thresholds(report: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """One message per threshold not met (empty when all pass)."""
    failures = []
    for name, threshold in thresholds.items():
        if name in ALT_TEST_THRESHOLDS:
            failures += _alt_test_failures(report, name, threshold)
            continue
        metric = report["overall"].get(name)
        if metric is None:
            task = report.get("dataset", {}).get("task", "single_label")
            raise AnnotationDataError(
                f"--fail-under {name}: the {task.replace('_', '-')} report has no such metric",
                fix="gwet_ac2 is reported only with --level ordinal, interval or ratio; "
                "multi-label and span metrics only for those tasks (docs/tasks.md)")
        value = metric["value"]
        if value is None:
            failures.append(f"threshold not met: {name} is undefined ({metric['note']}); "
                            f"threshold {threshold:g}")
        elif value < threshold:
            failures.append(f"threshold not met: {name} = {value:.3f} < {threshold:g}")
    return failures


def _loaded_at_level(loaded: TaskLoad, level: str | None) -> tuple[TaskLoad, str | None]:
    """The export and the level to build it at. --level measures single-label data only:
    given for multi-label or span data, the report says in its load warnings that it was
    not used (the command still runs, as it always has)."""
    if level is None or loaded.single is not None:
        return loaded, level
    warning = note("load.level_unused", level=level, task=loaded.task.replace("_", "-"))
    report = {**loaded.report, "warnings": [*loaded.report.get("warnings", []), warning]}
    return replace(loaded, report=report), None


def run(args: argparse.Namespace) -> int:
    """Handle ``report``."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.data.dataset import AnnotationDataset
    from analysis.report import AgreementReport, build_report, render_html, render_markdown

    thresholds = parse_thresholds(args.fail_under)
    check_bootstrap(args.bootstrap)
    loaded, level = _loaded_at_level(load_task_from_args(args), args.level)
    dataset = AnnotationDataset.from_task_load(loaded, level=level, include_models=args.include_models)
    result = build_report(dataset, bootstrap=args.bootstrap, seed=args.seed,
                          consensus=args.consensus, all_pairs=args.all_pairs,
                          alt_epsilon=args.alt_epsilon)
    report = result.to_dict()
    guideline = None
    if args.workspace is not None and isinstance(result, AgreementReport):
        # rounds and guideline versions: single-label reports
        # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
        from analysis.report.result import before_after_records
        from analysis.workspace import guideline_rounds, open_workspace

        guideline = guideline_rounds(open_workspace(args.workspace, create=False, read_only=True))
        report["guideline_before_after"] = before_after_records(
            result.guideline_before_after(guideline))
    for diagnostic in report.get("diagnostics", []):
        if diagnostic["code"] == "level_mismatch":
            # the report keeps the --level asked for; say once that the labels suggest another
            print(f"warning: level mismatch: {diagnostic['message']} "
                  f"(suggested: --level {report['dataset']['suggested_level']})", file=sys.stderr)
    if args.output_format == "json":
        # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
        from analysis.report.json_text import report_json

        text = report_json(report)
    elif args.output_format == "markdown":
        text = render_markdown(result, guideline=guideline)
    else:
        text = render_html(result, guideline=guideline)
    write_output(text, args.output)
    failures = check_thresholds(report, thresholds)
    for failure in failures:
        print(failure, file=sys.stderr)
    return EXIT_THRESHOLD if failures else EXIT_OK
