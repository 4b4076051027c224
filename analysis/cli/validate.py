"""``python -m analysis validate PATH``: load a file and print its load report.

Every task type: single-label exports print the table's load report, multi-label and
span exports their task load report (``--task``, ``--question``, ``--label-sep`` and
``--texts`` as for ``report``).

Exit code 0 when the file loads (warnings included), 2 when it cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis.cli.common import add_input_arguments
from analysis.cli.tasks import add_task_arguments, load_task_from_args


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check that an export loads and show what was kept, dropped and changed",
        description="Load an annotation export and print the load report.",
    )
    add_input_arguments(parser)
    add_task_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format of the report (default: text)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the load report of ``args.path``; return the exit code."""
    loaded = load_task_from_args(args)
    report = loaded.single.report.to_dict() if loaded.single is not None else loaded.report
    if args.format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(loaded.to_text() + "\n")
    return 0
