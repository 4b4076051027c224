"""Input flags shared by every command that reads an annotation export.

``add_input_arguments(parser)`` adds them; ``load_from_args(args)`` turns them into one
``load_annotations`` call. Documented in ``docs/cli.md`` ("Input flags").
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.base.errors import AnnotationDataError
from analysis.cli.label_studio import add_label_studio_arguments, input_source
from analysis.io import FORMATS, ColumnMapping, LoadResult, load_annotations, mark_models
from analysis.io.columns import FIELD_HELP, FIELD_OPTIONS

COLUMN_FLAGS: tuple[tuple[str, str, str], ...] = tuple(
    (f"--{option.replace('_', '-')}", field, FIELD_HELP[field]) for field, option in FIELD_OPTIONS.items()
)
"""(flag, canonical field, help) of each column flag, from the one table in
:mod:`analysis.io.columns` (``--item-col`` ... ``--group-col``)."""


def _split_columns(value: str) -> tuple[str, ...]:
    columns = tuple(part.strip() for part in value.split(",") if part.strip())
    if not columns:
        raise argparse.ArgumentTypeError("expected comma-separated column names, e.g. A,B,C")
    return columns


def _merge(value: str) -> tuple[str, str]:
    source, separator, target = value.partition("=")
    if not separator or not source.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"expected VARIANT=TARGET, got {value!r}")
    return source, target


def seed(value: str) -> int:
    """``--seed``: a whole number from 0 to 2**32 - 1 (what numpy's generators take).

    Examples
    --------
    >>> seed("7")
    7
    """
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if not 0 <= number < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and {2**32 - 1}, got {number}")
    return number


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the ``--output`` file, or to standard output.

    A file that cannot be written (missing folder, full disk, ``/dev/full``) is an
    :class:`AnnotationDataError` naming it; standard output is flushed by ``main``.
    """
    if not output:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise AnnotationDataError(
            f"cannot write the output ({error.strerror or error})", file=output,
            fix="choose a writable --output path with free space",
        ) from None


_NOT_WRITABLE = ((stat.S_ISFIFO, "a named pipe (FIFO): writing would wait for a reader forever"),
                 (stat.S_ISSOCK, "a socket"), (stat.S_ISBLK, "a block device"),
                 (stat.S_ISDIR, "a folder"))


def check_output_path(output: str | None, inputs: Sequence[str | None]) -> None:
    """Refuse an ``--output`` that cannot be written safely, before anything is read.

    A FIFO would block the command until something reads it, and an output that is one
    of the inputs (the export itself, or ``--texts``) would overwrite the source.

    Raises
    ------
    AnnotationDataError
        Naming the output and why.
    """
    if not output:
        return
    path = Path(output)
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # a new file: any failure to create it is reported when it is written
    kind = next((name for test, name in _NOT_WRITABLE if test(mode)), None)
    if kind is not None:
        raise AnnotationDataError(
            f"the output is {kind}", file=output,
            fix="name a regular file with --output, or leave it out to write to standard output")
    for source in inputs:
        if not source:
            continue
        try:
            same = os.path.samefile(source, path)
        except OSError:
            continue
        if same:
            raise AnnotationDataError(
                f"the output is the input file {source}: writing it would overwrite the export",
                file=output, fix="write to another file with --output")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the positional PATH and the input flags to ``parser``."""
    parser.add_argument("path", metavar="PATH", nargs="?",
                        help="annotation export to read, or a live Label Studio project "
                        "ls://HOST/projects/ID (token in $LABEL_STUDIO_API_KEY)")
    group = parser.add_argument_group("input")
    group.add_argument(
        "--input-format", choices=("auto", *FORMATS), default="auto",
        help="format of PATH (default: detected from the content and name)",
    )
    group.add_argument("--encoding", help="text encoding (default: UTF-8, then CP949)")
    group.add_argument("--delimiter", help="delimiter of delimited text; use '\\t' for tab "
                       "(default: sniffed among , ; tab |)")
    group.add_argument("--sheet", help="Excel sheet name or 0-based index (default: first)")
    for flag, _, description in COLUMN_FLAGS:
        group.add_argument(flag, metavar="NAME", help=f"{description} (default: detected)")
    group.add_argument(
        "--annotator-cols", metavar="A,B,C", type=_split_columns,
        help="wide table: the columns that each hold one annotator's labels",
    )
    group.add_argument(
        "--merge-labels", metavar="VARIANT=TARGET", type=_merge, action="append",
        help="rename label VARIANT to TARGET before analysis; repeat for several",
    )
    group.add_argument(
        "--model-annotators", metavar="A,B", type=_split_columns,
        help="annotators that are models (an LLM, a classifier), comma-separated; models are "
        "kept out of the human agreement figures and compared with the humans (also "
        "recognised: a kind column, Label Studio predictions, name prefixes)",
    )
    group.add_argument(
        "--model-prefix", metavar="PREFIX", action="append",
        help="annotator names starting with PREFIX are models (default: 'llm:' and 'model:'); "
        "repeat for several; pass '' to recognise none by name",
    )
    add_label_studio_arguments(parser)
    parser.set_defaults(input_parser=parser)  # says "PATH is required" when nothing is named


def mapping_from_args(args: argparse.Namespace) -> ColumnMapping | None:
    """The :class:`ColumnMapping` the column flags ask for, or ``None``."""
    given = {field: getattr(args, flag[2:].replace("-", "_"), None)
             for flag, field, _ in COLUMN_FLAGS}
    given = {field: value for field, value in given.items() if value}
    columns = getattr(args, "annotator_cols", None)
    if not given and not columns:
        return None
    return ColumnMapping(**given, annotator_columns=columns)


def delimiter_from_args(args: argparse.Namespace) -> str | None:
    """``--delimiter`` as one character (``\\t``, ``tab`` and ``TAB`` name the tab), or None.

    Raises
    ------
    AnnotationDataError
        A delimiter of more or fewer than one character.
    """
    delimiter = args.delimiter
    if delimiter is not None:
        delimiter = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(delimiter, delimiter)
        if len(delimiter) != 1:
            raise AnnotationDataError(
                f"the delimiter must be one character, got {args.delimiter!r}",
                file=args.path, fix="pass e.g. --delimiter ';' or --delimiter '\\t'",
            )
    return delimiter


def marked_from_args(result: LoadResult, args: argparse.Namespace) -> LoadResult:
    """``result`` with the models ``--model-annotators`` and ``--model-prefix`` name
    (:func:`analysis.io.mark_models`); unchanged without those flags."""
    models, prefixes = getattr(args, "model_annotators", None), getattr(args, "model_prefix", None)
    if models is None and prefixes is None:
        return result
    return mark_models(result, models=models, prefixes=prefixes)


def load_from_args(args: argparse.Namespace) -> LoadResult:
    """Load ``args.path`` with the input flags of :func:`add_input_arguments`."""
    delimiter = delimiter_from_args(args)
    merges = dict(args.merge_labels) if args.merge_labels else None
    source, name = input_source(args)
    return marked_from_args(load_annotations(
        source, name=name,
        format=None if args.input_format == "auto" else args.input_format,
        mapping=mapping_from_args(args),
        encoding=args.encoding,
        delimiter=delimiter,
        sheet=args.sheet,
        label_merges=merges,
    ), args)
