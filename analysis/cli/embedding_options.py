"""Flags and output shared by the ``clusters`` and ``label-issues`` commands."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from analysis.cli.common import seed
from analysis.cli.common import write_output as write_text_output

if TYPE_CHECKING:
    from analysis.embeddings import Embedder


def add_embedding_arguments(parser: argparse.ArgumentParser) -> None:
    """``--model``, ``--backend``, ``--cache-dir``, ``--no-cache``, ``--seed``, output flags."""
    group = parser.add_argument_group("embeddings")
    group.add_argument("--backend", choices=("transformer", "char-ngram"), default="transformer",
                       help="embedding backend (default: transformer; char-ngram needs no model "
                       "and suits Korean)")
    group.add_argument("--model", metavar="NAME_OR_PATH",
                       help="model folder or Hugging Face name in the local cache (default: the "
                       "bundled all-MiniLM-L6-v2, English)")
    group.add_argument("--cache-dir", metavar="DIR",
                       help="embedding cache (default: $LABEL_AGREEMENT_CACHE or "
                       "~/.cache/label-agreement/embeddings)")
    group.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--seed", type=seed, default=0,
                        help="random seed, 0 to 2**32-1 (default: 0)")
    parser.add_argument("--format", choices=("json", "markdown"), default="markdown",
                        help="output format (default: markdown)")
    parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")


def embedder_from_args(args: argparse.Namespace) -> Embedder:
    """The backend the flags ask for."""
    # start-up: imported when the command runs, so 'python -m analysis --help' stays fast
    from analysis.embeddings import make_embedder

    return make_embedder(args.backend, model=args.model, seed=args.seed)


def embedding_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of the embedding analyses (``find_ambiguity_clusters``,
    ``find_label_issues``) that the flags of :func:`add_embedding_arguments` set."""
    return {"embedder": embedder_from_args(args), "seed": args.seed,
            "cache_dir": args.cache_dir, "use_cache": not args.no_cache}


def markdown_cell(value: Any) -> str:
    """Text safe inside a markdown table cell (one line, pipes and HTML escaped).

    Examples
    --------
    >>> markdown_cell("a | <b>\\nc")
    'a \\\\| &lt;b&gt; c'
    """
    text = " ".join(str(value).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def write_output(args: argparse.Namespace, document: dict[str, Any], markdown: str) -> None:
    """Write JSON or markdown to ``--output`` or standard output."""
    text = json.dumps(document, ensure_ascii=False, indent=2) if args.format == "json" else markdown
    write_text_output(text + "\n", args.output)
