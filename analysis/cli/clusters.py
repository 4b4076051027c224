"""``python -m analysis clusters PATH``: groups of similar items annotators disagree on.

JSON keys (public contract): ``model``, ``backend``, ``warnings``, ``clusters`` (each
``id``, ``size``, ``item_ids``, ``label_pairs`` [{``labels``, ``share``}], ``keywords``,
``examples``, ``draft_rule``, ``kind``, ``annotators``, ``boundary_examples``, ...).
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
    from analysis.clusters import ClusterResult

# The same defaults as analysis.clusters.selection (a test checks they agree);
# analysis.clusters itself is imported only when the command runs.
MIN_DISAGREEMENT_DEFAULT = 0.1
MIN_ENTROPY_DEFAULT = None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``clusters`` command."""
    parser = subparsers.add_parser(
        "clusters",
        help="find groups of similar items that annotators disagree on",
        description="Cluster the disagreed items by text and draft a guideline rule per group.",
    )
    add_input_arguments(parser)
    add_embedding_arguments(parser)
    parser.add_argument("--min-disagreement", type=float, default=MIN_DISAGREEMENT_DEFAULT, metavar="X",
                        help="share of an item's votes outside its plurality label needed to count as "
                        f"disagreed, 0 to below 1, the same for any number of labels or votes "
                        f"(default: {MIN_DISAGREEMENT_DEFAULT})")
    parser.add_argument("--min-entropy", type=float, default=MIN_ENTROPY_DEFAULT, metavar="X",
                        help="also require this normalised vote entropy, 0 to 1 (default: not applied)")
    parser.add_argument("--distance", type=float, metavar="D",
                        help="cosine distance at which the average-linkage tree is cut (default: Ward cut chosen by "
                        "silhouette, then merged by confused label pair)")
    parser.add_argument("--min-cluster-size", type=int, default=3, metavar="N",
                        help="smallest cluster reported (default: 3)")
    parser.set_defaults(handler=run)


def to_markdown(result: ClusterResult) -> str:
    """A readable report of the clusters."""
    lines = [f"# Ambiguity clusters ({result.backend}: {result.model})", ""]
    lines += [f"> warning: {w}" for w in result.warnings]
    counts = result.to_dict()
    lines.append(
        f"Disagreed items: {counts['n_disagreed_items']:,} · clusters: {len(result.clusters):,} · "
        f"in a cluster: {counts['n_clustered_items']:,} · joined by text (single dissent): "
        f"{counts['n_quiet_members']:,} · lone slips set apart: {len(result.slips):,}"
    )
    if result.note:
        lines += ["", result.note[0].upper() + result.note[1:] + "."]
    for group in result.broad_disagreement:
        a, b = group.labels
        lines += ["", f"**Broad disagreement** (no theme, no rule): {group.size:,} items between "
                  f"{markdown_cell(a)} and {markdown_cell(b)}."]
    for c in result.clusters:
        pairs = ", ".join(f"{a} / {b} ({p.share:.0%})" for p in c.label_pairs[:3] for a, b in [p.labels])
        lines += ["", f"## Cluster {c.id}: {c.size} items, {c.kind}", "",
                  f"- confused labels: {markdown_cell(pairs)}",
                  f"- keywords: {markdown_cell(', '.join(c.keywords))}",
                  f"- annotators (dissenting votes): "
                  f"{markdown_cell(', '.join(f'{a} {n}' for a, n in c.annotators.items()))}",
                  f"- votes: {markdown_cell(', '.join(f'{s.label} {s.share:.0%}' for s in c.label_shares))}",
                  f"- reliable annotators: {markdown_cell(_reliable_text(c))}",
                  f"- terms vs clear items: {markdown_cell(', '.join(c.terms_vs_clear))}",
                  f"- coherence: {c.coherence:.2f}; joined by text: {c.n_quiet}",
                  *(["- annotator camps: " + markdown_cell(" · ".join(
                      f"{', '.join(s.annotators[:4])}: {s.label} {s.share:.0%}" for s in c.camp_sides))]
                    if c.camp_sides else []),
                  *([f"- unanimous items against the rule: {c.n_contradicting} (e.g. "
                     f"{markdown_cell(c.contradicting[0].text)})"] if c.contradicting else []),
                  f"- draft rule ({c.draft_basis.replace('_', ' ')}): {markdown_cell(c.draft_rule)}", "",
                  "| item | votes | text |", "|---|---|---|"]
        lines += [f"| {markdown_cell(e.item_id)} | {markdown_cell(e.votes)} | {markdown_cell(e.text)} |"
                  for e in c.examples]
    return "\n".join(lines)


def _reliable_text(cluster: object) -> str:
    reliable = getattr(cluster, "reliable", None)
    if reliable is None or not reliable.votes:
        return "no votes on the pair"
    return f"{reliable.label} in {reliable.share:.0%} of {reliable.votes} votes ({reliable.clarity})"


def run(args: argparse.Namespace) -> int:
    """Run the command; return the exit code."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.clusters import find_ambiguity_clusters
    from analysis.data.dataset import AnnotationDataset

    check_number("--min-disagreement", args.min_disagreement, low=0, high=1, high_open=True)
    check_number("--min-entropy", args.min_entropy, low=0, high=1)
    check_number("--distance", args.distance, low=0, high=2, low_open=True)
    check_number("--min-cluster-size", args.min_cluster_size, low=2, integer=True)
    check_number("--seed", args.seed, low=0, integer=True)
    result = find_ambiguity_clusters(
        AnnotationDataset.from_load_result(load_single_label_from_args(args, 'clusters')),
        min_disagreement=args.min_disagreement,
        min_entropy=args.min_entropy,
        distance_threshold=args.distance,
        min_cluster_size=args.min_cluster_size,
        **embedding_keywords(args),
    )
    write_output(args, result.to_dict(), to_markdown(result))
    return 0
