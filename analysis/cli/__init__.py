"""Command-line interface: ``python -m analysis COMMAND ...``.

Exit codes are a public contract (README, "Command line"):

* ``0`` everything fine,
* ``2`` bad input (a one-line message on standard error, no traceback),
* ``3`` a ``--fail-under`` threshold was not met.

Each command lives in its own module under ``analysis.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function
``(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from analysis.errors import AnalysisError, ConvergenceWarning, cli_option

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_THRESHOLD = 3

COMMAND_MODULES: tuple[str, ...] = (
    "validate",
    "report",
    "clusters",
    "label_issues",
    "guidelines",
    "gold",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Inter-annotator agreement and guideline-consistency analytics.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"analysis.cli.{name}")
        module.register(subparsers)
    return parser


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      file: object = None, line: str | None = None) -> None:
    """Print a library warning (e.g. ``ConvergenceWarning``) as one line on standard error."""
    print(f"warning: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code.

    Bad input or a bad option (any :class:`~analysis.errors.AnalysisError`, unreadable
    paths) is printed as one line on standard error, options spelled as flags
    (``--sheet``), and gives exit code 2.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", ConvergenceWarning)
            warnings.showwarning = _one_line_warning
            return int(args.handler(args))
    except AnalysisError as error:
        print(f"error: {error.render(cli_option)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        target = getattr(error, "filename", None) or ""
        reason = error.strerror or type(error).__name__
        print(
            f"error: {target}: {reason}. Fix: check the path and that the file is readable.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        return EXIT_OK
