"""Tables (CSV/TSV/Parquet) of one span per row, with document, annotator, ``start`` and
``end`` columns (:mod:`analysis.io.spans_table`), alone or with ``texts``.

The header and the rows are those of the export's one parse (:meth:`Parsed.table`), which
the other table readers share.
"""

from __future__ import annotations

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import task_report
from analysis.io.spans_table import span_columns, spans_of_table
from analysis.io.tabular import RawTable


def _span_table(parsed: Parsed) -> RawTable | None:
    """The export's table when it is a delimited or Parquet table with span columns."""
    options = parsed.options
    if (parsed.folder is not None or check_task(options.task) not in (None, "spans")
            or options.format not in (None, "auto", "csv", "parquet")):
        return None
    try:
        table = parsed.table()
    except AnnotationDataError:  # not a table: another reader says why
        return None
    raw = table.raw
    if raw is None or table.container not in ("csv", "parquet"):
        return None
    return raw if span_columns(list(raw.frame.columns)) is not None else None


class SpanTableReader:
    """One span per row."""

    name = "span-table"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """0.9 for a table with document, annotator, start and end columns."""
        return 0.9 if _span_table(parsed) is not None else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans and their report."""
        raw = _span_table(parsed)
        assert raw is not None
        read = spans_of_table(raw, file=parsed.file, texts=options.texts)
        return TaskLoad("spans", None, read.data,
                        task_report(read, file=parsed.file, task="spans"))


PRIORITY = 30
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (SpanTableReader(),)
