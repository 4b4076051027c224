"""JSON records that give a judgement's labels as a list (doccano text classification,
Label Studio JSON-MIN), several in some judgement: label sets (lists of one label are
unwrapped by the single-label reader)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.label_lists import label_list
from analysis.io.multilabel import label_list_field, record_sets
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.prodigy import prodigy_records
from analysis.io.readers.reports import task_report
from analysis.io.readers.span_json import annotator_span_records


def _column(parsed: Parsed) -> str | None:
    options, records = parsed.options, parsed.records()
    wanted = check_task(options.task)
    if (not records or options.mapping is not None or options.label_sep is not None
            or prodigy_records(parsed) or annotator_span_records(parsed)):
        return None
    column = label_list_field(records)
    if column is None or not (wanted == "multi_label" or (wanted is None and any(
            isinstance(r, Mapping) and len(label_list(r.get(column)) or []) > 1
            for r in records))):
        return None
    return column


class LabelListsReader:
    """JSON records with label lists."""

    name = "json-label-lists"
    task = "multi_label"

    def sniff(self, parsed: Parsed) -> float:
        """0.4 for records whose label field lists several labels in some judgement."""
        return 0.4 if _column(parsed) is not None else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The label sets and their report."""
        column = _column(parsed)
        assert column is not None
        read = record_sets(parsed.records(), column, file=parsed.file)
        return TaskLoad("multi_label", None, read.data,
                        task_report(read, file=parsed.file, task="multi_label"))


PRIORITY = 80
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (LabelListsReader(),)
