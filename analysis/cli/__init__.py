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
import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from analysis.base.errors import AnalysisError, ConvergenceWarning, cli_option

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


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on standard error and exit 2.

    argparse prints the usage text (2 to 16 lines) before its message; pipelines grep one
    line, so the message says what is wrong and points to ``--help`` instead.
    """

    def error(self, message: str) -> NoReturn:
        """Print ``error: PROG: MESSAGE. Fix: ...`` and exit with code 2."""
        message = " ".join(message.split()).rstrip(".")
        self.exit(EXIT_BAD_INPUT,
                  f"error: {self.prog}: {message}. Fix: see '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command registered."""
    parser = OneLineParser(
        prog="python -m analysis",
        description="Inter-annotator agreement and guideline-consistency analytics.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"analysis.cli.{name}")
        module.register(subparsers)
    return parser


def _flush_stdout() -> None:
    """Flush standard output now, so a full disk is reported here and not at exit."""
    sys.stdout.flush()


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush of what is
    still buffered cannot fail a second time (the Python docs' recipe for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      file: object = None, line: str | None = None) -> None:
    """Print a library warning (e.g. ``ConvergenceWarning``) as one line on standard error."""
    print(f"warning: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code.

    Bad input or a bad option (any :class:`~analysis.base.errors.AnalysisError`, unreadable
    paths, argparse errors) is printed as one line on standard error, options spelled as
    flags (``--sheet``), and gives exit code 2; so is output that cannot be written (a
    full disk) and running out of memory.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
        from analysis.cli.common import check_output_path

        check_output_path(getattr(args, "output", None),
                          [getattr(args, "path", None), getattr(args, "texts", None)])
        with warnings.catch_warnings():
            warnings.simplefilter("default", ConvergenceWarning)
            warnings.showwarning = _one_line_warning
            code = int(args.handler(args))
        _flush_stdout()
        return code
    except AnalysisError as error:
        print(f"error: {error.render(cli_option)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        _silence_stdout()
        return EXIT_OK
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as error:
        target = getattr(error, "filename", None) or ""
        reason = error.strerror or type(error).__name__
        print(
            f"error: {target}: {reason}. Fix: check the path and that the file is readable.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except OSError as error:  # writing standard output: a full disk, /dev/full, an I/O error
        _silence_stdout()
        reason = error.strerror or str(error) or type(error).__name__
        print(f"error: cannot write the output ({reason}). Fix: free disk space or write "
              "elsewhere with --output.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print("error: the input needs more memory than this machine has. Fix: analyse a "
              "smaller part of it (see docs/limits.md), or run on a machine with more memory.",
              file=sys.stderr)
        return EXIT_BAD_INPUT
