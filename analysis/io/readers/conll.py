"""CoNLL/BIO column files (``.conll``, ``.bio``, ``.iob``, ``.bioes``...): spans."""

from __future__ import annotations

from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import check_kind, task_report
from analysis.io.spans_text import read_conll

CONLL_SUFFIXES = (".conll", ".conllu", ".bio", ".iob", ".iob2", ".bioes")


class ConllReader:
    """Token-per-line files with BIO tags, one column per annotator."""

    name = "conll"
    task = "spans"

    def sniff(self, parsed: Parsed) -> float:
        """1 for a CoNLL/BIO extension."""
        return 1.0 if parsed.folder is None and parsed.suffix in CONLL_SUFFIXES else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The spans the tags mark."""
        check_kind(check_task(options.task), "spans", file=parsed.file)
        read = read_conll(parsed.text()[0], file=parsed.file)
        return TaskLoad("spans", None, read.data,
                        task_report(read, file=parsed.file, task="spans"))


PRIORITY = 20
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (ConllReader(),)
