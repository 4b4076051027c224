"""JSON or JSON lines of spans by annotator under span types (``{"docid",
"Participants": {"w1": [[s, e]]}}``, crowd research exports), alone or with ``texts``."""

from __future__ import annotations

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.readers.doccano import doccano_records
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.prodigy import prodigy_records
from analysis.io.readers.reports import task_report
from analysis.io.spans_json import annotator_spans, looks_like_annotator_spans


def annotator_span_records(parsed: Parsed) -> bool:
    """Whether the records keep spans by annotator, read as spans."""
    records = parsed.records()
    return (bool(records) and check_task(parsed.options.task) in (None, "spans")
            and not prodigy_records(parsed) and not doccano_records(parsed)
            and looks_like_annotator_spans(records))


class AnnotatorSpansReader:
    """Spans by annotator under span types."""

    name = "spans-by-annotator"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """0.5 for records whose span-type fields map annotators to offset lists."""
        return 0.5 if annotator_span_records(parsed) else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans and their report (texts from the records or ``texts``)."""
        json = parsed.json()
        assert json is not None
        read = annotator_spans(json.records, json.positions, file=parsed.file, unit=json.unit,
                               texts=options.texts)
        return TaskLoad("spans", None, read.data,
                        task_report(read, file=parsed.file, task="spans"))


PRIORITY = 70
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (AnnotatorSpansReader(),)
