"""``python -m analysis label-issues PATH``: items whose consensus label is likely wrong.

JSON keys (public contract): ``model``, ``warnings``, ``vote_model``, ``issues`` (ranked,
each ``item_id``, ``kind``, ``current_label``, ``suggested_label``, ``score`` and evidence:
``votes``, ``annotator_agreement``, ``vote_evidence``, ``model_probability_current``,
``model_probability_suggested``, ``neighbour_labels``, ``text``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from analysis.cli.common import add_input_arguments
from analysis.cli.embedding_options import (
    add_embedding_arguments,
    embedding_keywords,
    markdown_cell,
    write_output,
)
from analysis.cli.option_checks import check_number
from analysis.cli.tasks import load_single_label_from_args

if TYPE_CHECKING:
    from analysis.label_issues.ranking import LabelIssues


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``label-issues`` command."""
    parser = subparsers.add_parser(
        "label-issues",
        help="rank items whose consensus label is likely wrong",
        description="Rank items whose consensus label the text contradicts: held-out "
        "classifiers on the embeddings and on character n-grams score each consensus label; "
        "items where annotators split are listed after the contradicted consensus.",
    )
    add_input_arguments(parser)
    add_embedding_arguments(parser)
    parser.add_argument("--top", type=int, default=20, metavar="K",
                        help="how many candidates to list (default: 20)")
    parser.set_defaults(handler=run)


def to_markdown(result: LabelIssues) -> str:
    """A readable table of the candidates."""
    lines = [f"# Label-error candidates ({result.model})", ""]
    lines += [f"> warning: {w}" for w in result.warnings]
    summary = result.to_dict()
    lines.append(f"Flagged: {summary['n_flagged']:,} of {summary['n_items']:,} items "
                 f"({result.flagged_share:.1%}); unanimous labels kept: {summary['n_unanimous_protected']:,}; "
                 f"items without a majority (not listed): {summary['n_split']:,}.")
    if result.text_model is not None:
        model = result.text_model
        lines.append(f"Text model on held-out folds: accuracy {model.accuracy:.0%}, calibration error "
                     f"{model.calibration_error:.3f} (temperature {model.temperature:.2f}).")
    lines += ["", "| item | kind | current | suggested | score | votes | neighbours | text |",
              "|---|---|---|---|---|---|---|---|"]
    for row in result.issues.itertuples(index=False):
        cells = (row.item_id, row.kind, row.current_label, row.suggested_label, f"{row.score:.3f}",
                 row.votes, row.neighbour_labels, row.text)
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the command; return the exit code."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.data.dataset import AnnotationDataset
    from analysis.label_issues.ranking import find_label_issues

    check_number("--top", args.top, low=1, integer=True)
    check_number("--seed", args.seed, low=0, integer=True)
    dataset = AnnotationDataset.from_load_result(load_single_label_from_args(args, 'label-issues'))
    result = find_label_issues(dataset, top=args.top, **embedding_keywords(args))
    write_output(args, result.to_dict(), to_markdown(result))
    return 0
