"""What a reader of one export format is: a name, the task it gives, a sniff and a read."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from analysis.data.loaded import TaskLoad
from analysis.io.readers.parsed import LoadOptions, Parsed


@runtime_checkable
class Reader(Protocol):
    """One export format.

    Attributes
    ----------
    name : str
        Unique name (``register`` replaces a reader of the same name).
    task : {"single_label", "multi_label", "spans"} or None
        The task the reader gives; None when the data decides (Label Studio).
    """

    name: str
    task: str | None

    def sniff(self, parsed: Parsed) -> float:
        """How surely ``parsed`` is this format: 0 for not at all, higher for surer.

        A sniff looks at what the export holds (extension, leading bytes, JSON keys,
        column names, cells) and the options asked for; it never reads an error message.
        """
        ...

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """Read the export into its task's canonical form."""
        ...
