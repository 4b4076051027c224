"""Live Label Studio projects as the input of any command that reads an export.

``PATH`` may be ``ls://HOST/projects/ID``, or ``--label-studio-url URL --project ID``
name the project (``--project`` alone uses ``$LABEL_STUDIO_URL``); the token comes from
``$LABEL_STUDIO_API_KEY`` only. :func:`input_source` pulls the project once per command
(a progress bar on standard error when it is a terminal, then one ``note: pulled ...``
line) and hands its bytes to the same loader as an export file. Documented in
``docs/cli.md`` ("Live Label Studio projects").
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Final, TextIO

from analysis.base.errors import AnnotationDataError

if TYPE_CHECKING:
    from analysis.labelstudio import PulledProject

URL_ENV: Final = "LABEL_STUDIO_URL"
BAR_WIDTH: Final = 30


def add_label_studio_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--label-studio-url`` and ``--project``."""
    group = parser.add_argument_group(
        "live Label Studio project (instead of PATH; the token is read from "
        "$LABEL_STUDIO_API_KEY, never from a flag)")
    group.add_argument("--label-studio-url", metavar="URL",
                       help="the Label Studio server, e.g. https://label.example.org "
                       f"(default: ${URL_ENV}); or PATH ls://HOST/projects/ID")
    group.add_argument("--project", metavar="ID",
                       help="the project's id (the number in its page address .../projects/ID)")


class ProgressBar:
    """``pulling tasks [######    ] 600/1,000`` on a terminal's standard error; silent elsewhere."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar after a page."""
        if not getattr(self.stream, "isatty", lambda: False)():
            return
        filled = BAR_WIDTH if total <= 0 else round(BAR_WIDTH * min(done / total, 1.0))
        self.stream.write(f"\rpulling tasks [{'#' * filled}{' ' * (BAR_WIDTH - filled)}] "
                          f"{done:,}/{total:,}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line."""
        if self.shown:
            self.stream.write("\n")
            self.shown = False


def wants_label_studio(args: argparse.Namespace) -> bool:
    """Whether the command reads a live project rather than a file."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.labelstudio import is_label_studio_address

    return bool(getattr(args, "label_studio_url", None) or getattr(args, "project", None)
                or is_label_studio_address(getattr(args, "path", None)))


def _address(args: argparse.Namespace):  # -> ProjectAddress
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.labelstudio import address_from_url, is_label_studio_address, parse_address

    path, url, project = args.path, args.label_studio_url, args.project
    if path is not None and (url or project):
        raise AnnotationDataError(
            "both PATH and --label-studio-url/--project name the input",
            fix="give either a file PATH (or ls://HOST/projects/ID) or --label-studio-url "
            "URL --project ID")
    if path is not None and is_label_studio_address(path):
        return parse_address(path)
    url = url or os.environ.get(URL_ENV, "").strip()
    if not url:
        raise AnnotationDataError(
            "--project needs the server's address",
            fix=f"pass --label-studio-url URL (or set {URL_ENV}), or write PATH as "
            "ls://HOST/projects/ID")
    return address_from_url(url, project)


def pull_from_args(args: argparse.Namespace) -> PulledProject:
    """Pull the project the arguments name, once per command (kept on ``args``)."""
    pulled = getattr(args, "_pulled", None)
    if pulled is not None:
        return pulled
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.labelstudio import pull_project

    bar = ProgressBar()
    try:
        pulled = pull_project(_address(args), progress=bar)
    finally:
        bar.close()
    print(f"note: {pulled.summary()}", file=sys.stderr)
    args._pulled = pulled
    args.path = pulled.name  # messages name the project's address, as they name a file
    return pulled


def input_source(args: argparse.Namespace) -> tuple[str | bytes, str | None]:
    """What the loader reads: ``(PATH, None)`` for a file, ``(bytes, address)`` for a
    live project.

    Raises
    ------
    SystemExit
        Neither PATH nor a project (argparse's "the following arguments are required: PATH",
        exit code 2).
    AnnotationDataError
        Both PATH and a project; any failure to read the project
        (:class:`analysis.labelstudio.LabelStudioError`).
    """
    if wants_label_studio(args):
        pulled = pull_from_args(args)
        return pulled.data, pulled.name
    if args.path is None:
        parser = getattr(args, "input_parser", None)
        if parser is not None:  # argparse's own one-line message, as before PATH was optional
            parser.error("the following arguments are required: PATH")
        raise AnnotationDataError(
            "no input is named", fix="pass the export's PATH, ls://HOST/projects/ID, or "
            "--label-studio-url URL --project ID")
    return args.path, None
