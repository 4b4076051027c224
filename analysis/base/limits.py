"""Resource limits that keep a small hostile file from taking the machine down.

A few kilobytes can describe gigabytes: a spreadsheet with one cell at ``XFD1048576``
(pandas pads the whole grid), a zip entry that inflates a thousandfold, a header with a
million columns. Every loader checks these limits *before* it allocates, and refuses
the input in one line that names the limit and how to raise it. The same limits hold
in the library, the command line and the dashboard, because all three load through
:func:`analysis.io.load_annotations`.

Each limit is read from its environment variable when it is checked (so a deployment
can raise it without code changes); documented in ``docs/limits.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from analysis.base.errors import AnnotationDataError


@dataclass(frozen=True)
class Limit:
    """One resource limit.

    Attributes
    ----------
    env : str
        Environment variable that overrides the default.
    default : int
        The limit when the variable is not set.
    what : str
        What is counted, for messages (``"cells"``).
    """

    env: str
    default: int
    what: str

    def value(self) -> int:
        """The limit in force: the environment variable if set, else the default.

        Raises
        ------
        AnnotationDataError
            When the variable is set to something other than a positive integer.

        Examples
        --------
        >>> Limit("LABEL_AGREEMENT_EXAMPLE_LIMIT", 10, "things").value()
        10
        """
        raw = os.environ.get(self.env, "").strip().replace("_", "")
        if not raw:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise AnnotationDataError(
                f"the environment variable {self.env} must be a positive whole number of "
                f"{self.what}, got {os.environ[self.env]!r}",
                fix=f"set it to e.g. {self.default} (the default), or unset it",
            )
        return value

    def raise_hint(self) -> str:
        """How to raise the limit, for the ``fix`` part of a message."""
        return f"raise the limit with the environment variable {self.env}"


MAX_CELLS: Final = Limit("LABEL_AGREEMENT_MAX_CELLS", 5_000_000, "cells")
"""Rows x columns of a spreadsheet's used range, a Parquet file or a set of JSON records."""

MAX_COLUMNS: Final = Limit("LABEL_AGREEMENT_MAX_COLUMNS", 10_000, "columns")
"""Columns of a table (its header width): CSV, spreadsheet, Parquet, JSON records."""

MAX_ARCHIVE_TEXT_BYTES: Final = Limit("LABEL_AGREEMENT_MAX_ARCHIVE_TEXT_BYTES", 32 * 2**20, "bytes")
"""Unpacked size of the documents and annotations inside a zipped brat export (span data
needs about twelve times its text size in memory while it is read and measured)."""

MAX_UNPACKED_BYTES: Final = Limit("LABEL_AGREEMENT_MAX_UNPACKED_BYTES", 256 * 2**20, "bytes")
"""Decompressed size of a spreadsheet (every part of the .xlsx zip) or a Parquet file."""

MAX_PAIRS: Final = Limit("LABEL_AGREEMENT_MAX_PAIRS", 200_000, "pairs")
"""Pairs of judgements on shared items (``m (m - 1) / 2`` per item judged ``m`` times), and
pairs of annotators that share an item, that the measures of annotator pairs use before they
sample annotators; ten and three per judgement when that is more
(:mod:`analysis.data.pair_sample`; spans: overlapping spans and pairs of judgements of one
document, :mod:`analysis.tasks.spans.sample`)."""

MAX_BOOTSTRAP: Final = Limit("LABEL_AGREEMENT_MAX_BOOTSTRAP", 100_000, "resamples")
"""Bootstrap resamples for the confidence intervals (``--bootstrap``, ``DASHBOARD_BOOTSTRAP``)."""

MAX_XML_TOKEN_BYTES: Final = 1 << 20
"""Longest run of bytes between two ``<`` in a spreadsheet's XML (one cell's text or one
attribute). Excel itself stores at most 32,767 characters per cell, so 1 MiB is never
reached by a real workbook; fixed, not configurable."""


def check_bootstrap(count: int, *, option: str = "--bootstrap") -> int:
    """Return ``count`` if it is a resample count within :data:`MAX_BOOTSTRAP`, else raise.

    Examples
    --------
    >>> check_bootstrap(1000)
    1000
    """
    if count < 0:
        raise AnnotationDataError(
            f"{option} must be 0 (no intervals) or more, got {count}",
            fix="pass e.g. 1000",
        )
    limit = MAX_BOOTSTRAP.value()
    if count > limit:
        raise AnnotationDataError(
            f"{option} {count:,} is above the limit of {limit:,} resamples",
            fix=f"use at most {limit:,} (1000 gives stable 95% intervals), or "
            + MAX_BOOTSTRAP.raise_hint(),
        )
    return count
