"""``python -m analysis gold export PATH``: gold labels, adjudicated where decided.

Single-label data: each item's gold label is its latest adjudicated label from the
workspace, else its majority-vote label. Items tied without an adjudication are left out
and reported on standard error. Columns of the file: ``item_id``, ``label``, ``source``
(``adjudicated`` or ``consensus``), ``consensus_label``, ``note``, ``author``,
``decided_at``. CSV cells that a spreadsheet would run as formulas are prefixed with
``'``.

Span data: each document's gold spans are its latest adjudicated spans from the workspace,
else the consensus spans (token Dawid-Skene), written as a Label Studio import
(``--format label-studio``, default for ``.json``) or doccano-style JSONL
(``--format jsonl``, default for ``.jsonl``); see :mod:`analysis.tasks.spans.gold`.

Without a workspace (none named by ``--workspace`` or ``LABEL_AGREEMENT_WORKSPACE``, and
no ``./workspace/workspace.sqlite3``) the gold is the consensus alone, with a note on
standard error once the file is written; a workspace that is named but missing is an error
(a mistyped path must not drop decisions), and so is a ``./workspace`` that is there but
cannot be read (damaged, truncated, written by a newer release): its adjudications must
not be left out without a word.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.base.errors import AnnotationDataError
from analysis.cli import EXIT_OK
from analysis.cli.common import add_input_arguments
from analysis.cli.guidelines import add_workspace_argument
from analysis.cli.tasks import add_task_arguments, load_task_from_args
from analysis.data.dataset import AnnotationDataset
from analysis.data.schema import ITEM
from analysis.io.export import write_safe_csv
from analysis.workspace import (
    DATABASE_NAME,
    WORKSPACE_ENV,
    Workspace,
    dataset_fingerprint,
    gold_labels,
    latest_span_adjudications,
    majority_labels,
    open_workspace,
    resolve_workspace_dir,
)

if TYPE_CHECKING:
    from analysis.report.protocol import GoldKind

PARQUET_SUFFIXES = (".parquet", ".pq")
TABLE_FORMATS = ("csv", "parquet")
SPAN_FORMATS = ("label-studio", "jsonl")


def _format(args: argparse.Namespace, *, spans: bool) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower()
    if spans:  # a table name for span gold is refused, not silently written as JSON
        return {".jsonl": "jsonl", ".csv": "csv"}.get(
            suffix, "parquet" if suffix in PARQUET_SUFFIXES else "label-studio")
    return "parquet" if suffix in PARQUET_SUFFIXES else "csv"


NO_WORKSPACE_NOTE = ("note: no workspace here (./workspace), so the gold is the consensus alone: "
                     "no adjudications. Pass --workspace DIR to include a workspace's decisions.")


def _workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace to read decisions from; None when none was named and ./workspace
    holds no workspace database (the gold is then the consensus alone). A database that is
    there but cannot be read is an error, named or not."""
    named = args.workspace is not None or os.environ.get(WORKSPACE_ENV, "").strip() != ""
    folder = resolve_workspace_dir(args.workspace)
    if not named and folder.is_dir() and not (folder / DATABASE_NAME).exists():
        return None
    if not named and not folder.exists():
        return None
    return open_workspace(args.workspace, create=False, read_only=True)


def _notes(workspace: Workspace | None) -> None:
    """What the user should know once the file is written (never before an error line)."""
    if workspace is None:
        print(NO_WORKSPACE_NOTE, file=sys.stderr)


def _write(output: Path, data: bytes) -> None:
    try:
        output.write_bytes(data)
    except OSError as error:
        raise AnnotationDataError(
            f"cannot write the gold spans ({error.strerror or error})",
            file=str(output), fix="choose a writable --output path",
        ) from error  # fmt: skip


def _export_spans(args: argparse.Namespace, dataset: AnnotationDataset) -> int:
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.tasks.spans.gold import span_gold, write_gold

    fmt = _format(args, spans=True)
    if fmt not in SPAN_FORMATS:
        raise AnnotationDataError(
            f"span gold is written as Label Studio JSON or JSONL, not {fmt}",
            fix="pass --format label-studio or --format jsonl (or an --output ending in .json or .jsonl)")
    workspace = _workspace(args)
    adjudicated = ({} if workspace is None
                   else latest_span_adjudications(workspace, dataset_fingerprint(dataset.table)))
    data = dataset.task_data
    gold = span_gold(data, adjudicated)  # type: ignore[arg-type]
    output = Path(args.output)
    _write(output, write_gold(gold, data.texts, fmt))  # type: ignore[union-attr, arg-type]
    decided = sum(1 for source, _ in gold.values() if source == "adjudicated")
    spans = sum(len(found) for _, found in gold.values())
    print(f"wrote gold spans of {len(gold)} documents to {output} ({spans} spans; documents: "
          f"{decided} adjudicated, {len(gold) - decided} consensus)", file=sys.stderr)
    _notes(workspace)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.report.task_registry import task_traits

    loaded = load_task_from_args(args)
    dataset = AnnotationDataset.from_task_load(loaded)
    traits = task_traits(dataset.task)
    if traits.gold is None:
        raise AnnotationDataError(
            "gold export writes single-label gold labels and gold spans; this export holds "
            f"{traits.title_in('en')} annotations", fix="set {task} to single_label to read each "
            "cell as one label, or export the report instead")
    return GOLD_WRITERS[traits.gold](args, dataset)


def _export_labels(args: argparse.Namespace, dataset: AnnotationDataset) -> int:
    if _format(args, spans=False) not in TABLE_FORMATS:
        raise AnnotationDataError(
            f"single-label gold is written as CSV or Parquet, not {args.format}",
            fix="pass --format csv or --format parquet")
    table = dataset.table
    workspace = _workspace(args)
    consensus = majority_labels(table)
    gold = gold_labels(table, workspace, dataset_fingerprint(table), consensus)
    output = Path(args.output)
    try:
        if _format(args, spans=False) == "parquet":
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
    _notes(workspace)
    if unresolved:
        shown = ", ".join(unresolved[:10]) + (", ..." if len(unresolved) > 10 else "")
        print(
            f"{len(unresolved)} tied items have no gold label (adjudicate them to include them): {shown}",
            file=sys.stderr,
        )
    return EXIT_OK


GOLD_WRITERS: dict[GoldKind, Callable[[argparse.Namespace, AnnotationDataset], int]] = {
    "labels": _export_labels, "spans": _export_spans}
"""The writer of each kind of gold a task declares (:attr:`TaskTraits.gold`)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``gold`` command and its ``export`` subcommand."""
    parser = subparsers.add_parser(
        "gold", help="export gold labels or gold spans (adjudicated, else consensus)",
        description="Gold labels (or, for span data, gold spans) from an annotation export "
        "and the workspace's adjudications.",
    )  # fmt: skip
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="write the gold labels as CSV or Parquet, gold spans as Label Studio "
        "JSON or JSONL")
    add_input_arguments(export)
    add_task_arguments(export)
    add_workspace_argument(export)
    export.add_argument("--output", metavar="FILE", required=True, help="file to write")
    export.add_argument(
        "--format", choices=(*TABLE_FORMATS, *SPAN_FORMATS), default=None,
        help="file format: csv or parquet for gold labels (default: parquet for .parquet/.pq "
        "names, else csv); label-studio or jsonl for gold spans (default: jsonl for .jsonl "
        "names, else label-studio)",
    )  # fmt: skip
    export.set_defaults(handler=_export)
