"""``python -m analysis report PATH``: the agreement report as JSON, Markdown or HTML.

Exit codes: 0 fine, 2 bad input (including a malformed or unknown ``--fail-under``),
3 when a ``--fail-under NAME=VALUE`` threshold is not met (one line per failure on
standard error; an undefined metric fails its threshold and says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from analysis.cli import EXIT_OK, EXIT_THRESHOLD
from analysis.cli.common import add_input_arguments, seed, write_output
from analysis.cli.tasks import TASK_THRESHOLD_METRICS, add_task_arguments, load_task_from_args
from analysis.errors import AnnotationDataError
from analysis.limits import check_bootstrap
from analysis.metrics.levels import LEVELS
from analysis.metrics.overall import OVERALL_METRICS

THRESHOLD_METRICS: tuple[str, ...] = (*OVERALL_METRICS, "gwet_ac2", *TASK_THRESHOLD_METRICS)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report", help="agreement report (JSON, Markdown or HTML)",
        description="Measure inter-annotator agreement: overall, per label, per annotator "
        "and per pair, with 95% intervals and interpretation bands.",
    )
    add_input_arguments(parser)
    add_task_arguments(parser)
    parser.add_argument("--level", choices=LEVELS, default="nominal",
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
                        f"NAME one of {', '.join(THRESHOLD_METRICS)}; several may follow one "
                        "flag, and the flag may be repeated")
    parser.add_argument("--consensus", action="store_true",
                        help="add the consensus section (Dawid-Skene and majority vote; "
                        "for spans: consensus spans)")
    parser.add_argument("--workspace", metavar="DIR", default=None,
                        help="add agreement before and after each accepted guideline version "
                        "kept in this workspace (key guideline_before_after)")
    parser.add_argument("--all-pairs", action="store_true",
                        help="list every pair of annotators under pairwise, also pairs "
                        "without a shared item (default: only pairs that share items)")
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


def check_thresholds(report: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """One message per threshold not met (empty when all pass)."""
    failures = []
    for name, threshold in thresholds.items():
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


def run(args: argparse.Namespace) -> int:
    """Handle ``report``."""
    from analysis.dataset import AnnotationDataset
    from analysis.report import AgreementReport, build_report, render_html, render_markdown

    thresholds = parse_thresholds(args.fail_under)
    check_bootstrap(args.bootstrap)
    dataset = AnnotationDataset.from_task_load(load_task_from_args(args), level=args.level)
    result = build_report(dataset, bootstrap=args.bootstrap, seed=args.seed,
                          consensus=args.consensus, all_pairs=args.all_pairs)
    report = result.to_dict()
    guideline = None
    if args.workspace is not None and isinstance(result, AgreementReport):
        # rounds and guideline versions: single-label reports
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
        text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif args.output_format == "markdown":
        text = render_markdown(result, guideline=guideline)
    else:
        text = render_html(result, guideline=guideline)
    write_output(text, args.output)
    failures = check_thresholds(report, thresholds)
    for failure in failures:
        print(failure, file=sys.stderr)
    return EXIT_THRESHOLD if failures else EXIT_OK
