"""Prodigy JSONL: ``spans`` lists give ``spans``; ``accept`` lists with several values
``multi_label``; any other answer is a single label (the single-label reader's)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.multilabel import prodigy_sets
from analysis.io.prodigy import looks_like_prodigy
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import line_spans, task_report
from analysis.io.spans_json import prodigy_spans


def prodigy_records(parsed: Parsed) -> bool:
    """Whether the export's records are Prodigy answers (or Prodigy is asked for); other
    record readers leave them to Prodigy's readers."""
    records = parsed.records()
    return bool(records) and (looks_like_prodigy(records[0]) or parsed.options.format == "prodigy")


def _spans(parsed: Parsed) -> bool:
    wanted = check_task(parsed.options.task)
    return prodigy_records(parsed) and (wanted == "spans" or (wanted is None and any(
        isinstance(r, Mapping) and "spans" in r for r in parsed.records())))


class ProdigySpansReader:
    """Prodigy answers with ``spans``."""

    name = "prodigy-spans"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """0.72 for Prodigy answers with spans (or spans asked for)."""
        return 0.72 if _spans(parsed) else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans and their report."""
        return line_spans(parsed, prodigy_spans)


class ProdigySetsReader:
    """Prodigy choice answers whose ``accept`` lists hold several values."""

    name = "prodigy-sets"
    task = "multi_label"

    def sniff(self, parsed: Parsed) -> float:
        """0.7 for Prodigy answers that accept several options (or label sets asked for)."""
        wanted = check_task(parsed.options.task)
        if not prodigy_records(parsed) or _spans(parsed):
            return 0.0
        return 0.7 if wanted == "multi_label" or (wanted is None and any(
            isinstance(r, Mapping) and isinstance(r.get("accept"), list) and len(r["accept"]) > 1
            for r in parsed.records())) else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The label sets and their report."""
        read = prodigy_sets(parsed.records())
        return TaskLoad("multi_label", None, read.data,
                        task_report(read, file=parsed.file, task="multi_label"))


PRIORITY = 50
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (ProdigySpansReader(), ProdigySetsReader())
