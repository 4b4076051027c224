"""What a task type (single label, multi-label, spans, ...) provides to the report.

:func:`analysis.report.build_report` asks the dataset's task (:mod:`analysis.report.task_registry`)
to measure it; :mod:`analysis.report.render` asks it for its tables and
:mod:`analysis.report.verdict` for its three sentences; the gold export, the dashboard
and the task's own report ask it for its consensus and its ambiguity
(:func:`analysis.report.task_registry.task_consensus`, ``task_ambiguity``). A new task type
is one module with an object that satisfies :class:`Task`, registered by its name; its
``consensus`` and ``ambiguity`` are optional (a task without them has neither), and so are
the declarations the command line and the dashboard read through :class:`TaskTraits`
(:func:`analysis.report.task_registry.task_traits`): its name for people, what its exports
hold, whether the single-label pages and commands apply, which gold it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from analysis.data.dataset import AnnotationDataset

Row = list[str]
Section = tuple[str, list[str], list[Row]]
"""A titled table of plain strings: title, headers, rows (one per line of the table)."""

Language = Literal["en", "ko"]

GoldKind = Literal["labels", "spans"]
"""The gold a task exports: one gold label per item, or gold spans per document."""


@dataclass(frozen=True)
class ReportOptions:
    """The options of :func:`analysis.report.build_report`, handed to the task.

    Attributes
    ----------
    bootstrap : int
        Resamples of items for the intervals (0: none).
    seed : int
    consensus : bool
        Also build the consensus section.
    load_report : dict or None
        The load report to keep under ``dataset.load`` (the dataset's own when None).
    level : str or None
        Single label: the level of measurement (the dataset's own when None).
    label_order : sequence of str or None
        Single label: refused for a dataset (it applies to a table only).
    agreement : AgreementSummary or None
        Single label: the agreement summary when computed already.
    all_pairs : bool
        Single label: list pairs without a shared item too.
    alt_epsilon : float
        Single label: the Alternative Annotator Test's margin.
    """

    bootstrap: int = 1000
    seed: int = 0
    consensus: bool = False
    load_report: dict[str, Any] | None = None
    level: str | None = None
    label_order: tuple[str, ...] | None = None
    agreement: Any = None
    all_pairs: bool = False
    alt_epsilon: float = 0.2


@dataclass(frozen=True)
class TaskTraits:
    """What the command line and the dashboard need to know of a task, beyond its report.

    Read from a task's optional attributes of the same names (``title``, ``holds``,
    ``one_label_per_item``, ``gold``) by :func:`analysis.report.task_registry.task_traits`,
    with the defaults below for a task that leaves them out.

    Attributes
    ----------
    name : str
        The task type.
    title : mapping of str to str
        Its name for people, by language (``"en"``, ``"ko"``), as in "this dataset holds
        {title} annotations" (default: the name with spaces, in every language).
    holds : str
        What an export of the task holds, in English, for the commands that refuse it
        (default: "{English title} annotations").
    one_label_per_item : bool
        One label per item and annotator: the single-label pages, the levels of
        measurement, ``clusters`` and ``label-issues`` apply (default False).
    gold : {"labels", "spans"} or None
        The gold ``gold export`` writes, or None when the task has none (the default).

    Examples
    --------
    >>> TaskTraits("toy_count").title_in("ko"), TaskTraits("toy_count").holds
    ('toy count', 'toy count annotations')
    """

    name: str
    title: Mapping[str, str] | None = None
    holds: str | None = None
    one_label_per_item: bool = False
    gold: GoldKind | None = None

    def __post_init__(self) -> None:
        if self.title is None:
            object.__setattr__(self, "title", {"en": self.name.replace("_", " ")})
        if self.holds is None:
            object.__setattr__(self, "holds", f"{self.title_in('en')} annotations")

    def title_in(self, language: str) -> str:
        """The task's name for people in ``language`` (English when it has none there)."""
        title = self.title or {}
        return title.get(language) or title.get("en") or self.name.replace("_", " ")


class Report(Protocol):
    """The typed result of a task: its ``to_dict()`` is the JSON contract."""

    @property
    def task(self) -> str:
        """The task's name (``dataset.task`` of the JSON)."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (strict JSON: no NaN)."""
        ...


class Task(Protocol):
    """One task type: how its data is measured, drawn as tables and put in words.

    Attributes
    ----------
    name : str
        The task type (``AnnotationDataset.task``, ``dataset.task`` of the report).
    typed_keys : frozenset of str
        Top-level keys of the JSON that :meth:`typed_tables` shows as tables (the
        renderers print the other unknown keys as JSON blocks).
    """

    name: str
    typed_keys: frozenset[str]

    def measure(self, dataset: AnnotationDataset, options: ReportOptions) -> Report:
        """Every analysis of the task run once on ``dataset``: the typed report."""
        ...

    def tables(self, report: Mapping[str, Any], language: Language) -> list[Section]:
        """The task's tables after the dataset, diagnostics and overall ones, read from
        the report's ``to_dict()``."""
        ...

    def typed_tables(self, report: Any, guideline: pd.DataFrame | None) -> list[Section]:
        """Tables only the typed report holds (``guideline``: the workspace's guideline
        versions, or None); a task without a guideline join refuses one."""
        ...

    def verdict(self, report: Mapping[str, Any], ko: bool) -> list[str]:
        """Three sentences (fewer when agreement cannot be measured) from the report's
        ``to_dict()``: how consistent, where it breaks, what to do next."""
        ...

    def consensus(self, dataset: AnnotationDataset, *, seed: int = 0) -> pd.DataFrame | None:
        """The answer the annotators agree on, one row per item or per answer part
        (single label: each item's majority and Dawid-Skene labels; spans: each consensus
        span), or None when the task has no consensus."""
        ...

    def ambiguity(self, dataset: AnnotationDataset, *, seed: int = 0,
                  **options: Any) -> dict[str, Any] | None:
        """Where annotators are systematically unsure, as its JSON (multi-label: the label
        pairs traded in disagreement; spans: clusters of disagreed spans; single label:
        the ambiguity clusters of the item texts, ``options`` going to the clustering), or
        None when the task has no ambiguity measure."""
        ...
