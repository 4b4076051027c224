"""``python -m analysis guidelines``: the guideline rules kept in a workspace.

Subcommands
-----------
``export``  the guideline document (Markdown) annotators read; accepted rules only
            unless ``--include-drafts``.
``list``    one line per rule (or ``--json``: a list of objects with the keys
            ``rule_id``, ``version``, ``title``, ``status``, ``decision``,
            ``decision_text``, ``label_a``, ``label_b``, ``new_label``, ``batch``,
            ``author``, ``saved_at``, ``example_item_ids``).
``show``    one rule's latest version and its history, or ``--diff V1 V2``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from analysis.cli import EXIT_OK
from analysis.cli.common import write_output
from analysis.workspace import (
    Workspace,
    decision_text,
    diff_versions,
    export_guideline_markdown,
    list_rules,
    open_workspace,
    rule_history,
)
from analysis.workspace.rules import RuleVersion


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--workspace DIR`` option shared by the workspace commands."""
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help="workspace folder (default: $LABEL_AGREEMENT_WORKSPACE or ./workspace)",
    )


def open_existing(args: argparse.Namespace) -> Workspace:
    """The workspace named by ``--workspace``, opened read-only; it must exist."""
    return open_workspace(args.workspace, create=False, read_only=True)


def write_text(text: str, output: str | None) -> None:
    """Write ``text`` to the ``--output`` file, or to standard output."""
    if output:
        write_output(text, output)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def rule_json(rule: RuleVersion) -> dict[str, Any]:
    """The JSON form of a rule version used by ``list --json`` and ``show --json``."""
    data = asdict(rule)
    data["example_item_ids"] = list(rule.example_item_ids)
    data["decision_text"] = decision_text(rule)
    keys = ("rule_id", "version", "title", "status", "decision", "decision_text", "label_a",
            "label_b", "new_label", "batch", "author", "saved_at", "example_item_ids", "body")  # fmt: skip
    return {key: data[key] for key in keys}


def _export(args: argparse.Namespace) -> int:
    document = export_guideline_markdown(
        open_existing(args), status="any" if args.include_drafts else "accepted", title=args.title
    )
    write_text(document, args.output)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    rules = list_rules(open_existing(args), status=args.status)
    if args.json:
        write_text(json.dumps([rule_json(rule) for rule in rules], ensure_ascii=False, indent=2), None)
        return EXIT_OK
    lines = [
        f"{rule.rule_id}\tv{rule.version}\t{rule.status}\t{rule.title}\t{decision_text(rule)}"
        for rule in rules
    ]
    write_text("\n".join(lines) if lines else "no rules", None)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    workspace = open_existing(args)
    if args.diff:
        write_text(diff_versions(workspace, args.rule_id, *args.diff) or "(no differences)", None)
        return EXIT_OK
    history = rule_history(workspace, args.rule_id)
    if args.json:
        write_text(json.dumps([rule_json(v) for v in history], ensure_ascii=False, indent=2), None)
        return EXIT_OK
    latest = history[-1]
    lines = [f"Rule {latest.rule_id}: {latest.title}", decision_text(latest), "", latest.body, "", "History:"]
    lines += [f"  v{v.version}\t{v.status}\t{v.saved_at}\t{v.author or '-'}\t{v.batch or ''}" for v in history]
    write_text("\n".join(lines), None)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``guidelines`` command and its subcommands."""
    parser = subparsers.add_parser(
        "guidelines", help="export, list and show guideline rules kept in a workspace",
        description="Guideline rules kept in a workspace.",
    )  # fmt: skip
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    export = actions.add_parser("export", help="write the guideline document (Markdown)")
    add_workspace_argument(export)
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--include-drafts", action="store_true", help="also show rules not yet accepted")
    export.add_argument("--title", default="Annotation guideline", help="the document's heading")
    export.set_defaults(handler=_export)

    listing = actions.add_parser("list", help="one line per rule")
    add_workspace_argument(listing)
    listing.add_argument("--status", choices=("any", "draft", "accepted"), default="any")
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="one rule with its version history")
    add_workspace_argument(show)
    show.add_argument("rule_id", type=int, metavar="RULE_ID")
    show.add_argument("--diff", type=int, nargs=2, metavar=("V1", "V2"), help="print the diff between two versions")
    show.add_argument("--json", action="store_true", help="print every version as JSON")
    show.set_defaults(handler=_show)
