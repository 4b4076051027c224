"""Tables (CSV/TSV/Parquet) of one span per row, with document, annotator, ``start`` and
``end`` columns (:mod:`analysis.io.spans_table`), alone or with ``texts``."""

from __future__ import annotations

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import task_report
from analysis.io.spans_table import looks_like_span_table, read_span_table


class SpanTableReader:
    """One span per row."""

    name = "span-table"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """0.9 for a header with document, annotator, start and end columns."""
        options = parsed.options
        if (parsed.folder is not None or check_task(options.task) not in (None, "spans")
                or options.format not in (None, "auto", "csv", "parquet")):
            return 0.0
        return 0.9 if looks_like_span_table(parsed.data, name=parsed.file) else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans and their report."""
        read = read_span_table(parsed.data, file=parsed.file, texts=options.texts,
                               encoding=options.encoding, delimiter=options.delimiter)
        return TaskLoad("spans", None, read.data,
                        task_report(read, file=parsed.file, task="spans"))


PRIORITY = 30
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (SpanTableReader(),)
