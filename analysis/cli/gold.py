"""``python -m analysis gold export PATH``: gold labels, adjudicated where decided.

Each item's gold label is its latest adjudicated label from the workspace, else its
majority-vote label. Items tied without an adjudication are left out and reported on
standard error. Columns of the file: ``item_id``, ``label``, ``source``
(``adjudicated`` or ``consensus``), ``consensus_label``, ``note``, ``author``,
``decided_at``. CSV cells that a spreadsheet would run as formulas are prefixed with
``'``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import EXIT_OK
from analysis.cli.common import add_input_arguments, load_from_args
from analysis.cli.guidelines import add_workspace_argument
from analysis.errors import AnnotationDataError
from analysis.export import write_safe_csv
from analysis.schema import ITEM
from analysis.workspace import dataset_fingerprint, gold_labels, majority_labels, open_workspace

PARQUET_SUFFIXES = (".parquet", ".pq")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    return "parquet" if Path(args.output).suffix.lower() in PARQUET_SUFFIXES else "csv"


def _export(args: argparse.Namespace) -> int:
    table = load_from_args(args).table
    workspace = open_workspace(args.workspace, create=False, read_only=True)
    consensus = majority_labels(table)
    gold = gold_labels(table, workspace, dataset_fingerprint(table), consensus)
    output = Path(args.output)
    try:
        if _format(args) == "parquet":
            gold.to_parquet(output, index=False)
        else:
            write_safe_csv(gold, output)
    except OSError as error:
        raise AnnotationDataError(
            f"cannot write the gold labels ({error.strerror or error})",
            file=str(output), fix="choose a writable --output path",
        ) from error  # fmt: skip
    unresolved = sorted(set(table[ITEM].astype(str)) - set(gold[ITEM].astype(str)))
    adjudicated = int((gold["source"] == "adjudicated").sum())
    print(
        f"wrote {len(gold)} gold labels to {output} ({adjudicated} adjudicated, "
        f"{len(gold) - adjudicated} consensus)",
        file=sys.stderr,
    )
    if unresolved:
        shown = ", ".join(unresolved[:10]) + (", ..." if len(unresolved) > 10 else "")
        print(
            f"{len(unresolved)} tied items have no gold label (adjudicate them to include them): {shown}",
            file=sys.stderr,
        )
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``gold`` command and its ``export`` subcommand."""
    parser = subparsers.add_parser(
        "gold", help="export gold labels (adjudicated, else majority vote)",
        description="Gold labels from an annotation export and the workspace's adjudications.",
    )  # fmt: skip
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write the gold labels as CSV or Parquet")
    add_input_arguments(export)
    add_workspace_argument(export)
    export.add_argument("--output", metavar="FILE", required=True, help="file to write")
    export.add_argument(
        "--format", choices=("csv", "parquet"), default=None,
        help="file format (default: parquet for .parquet/.pq names, else csv)",
    )  # fmt: skip
    export.set_defaults(handler=_export)
