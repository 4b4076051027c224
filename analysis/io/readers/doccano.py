"""doccano JSONL of spans (``label: [[start, end, "TYPE"], ...]``)."""

from __future__ import annotations

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.prodigy import prodigy_records
from analysis.io.readers.reports import line_spans
from analysis.io.spans_json import doccano_spans, looks_like_doccano


def doccano_records(parsed: Parsed) -> bool:
    """Whether the records are doccano spans, read as spans (no other task asked for)."""
    records = parsed.records()
    return (bool(records) and check_task(parsed.options.task) in (None, "spans")
            and not prodigy_records(parsed) and looks_like_doccano(records[0]))


class DoccanoReader:
    """doccano's span export."""

    name = "doccano"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """0.6 for records whose ``label`` lists ``[start, end, type]`` triples."""
        return 0.6 if doccano_records(parsed) else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans and their report."""
        return line_spans(parsed, doccano_spans)


PRIORITY = 60
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (DoccanoReader(),)
