"""The one input of every analysis: the canonical table and its matrix, built once.

:class:`AnnotationDataset` holds the canonical table (``analysis.data.schema``), its
:class:`~analysis.data.reliability.ReliabilityData` (items x annotators label codes), the
level of measurement, the task type and the load report. Agreement metrics, per-annotator
metrics, consensus, the quality analyses, ambiguity clusters and label issues all take
it as their first argument, so the matrix is built once per dataset and every part sees
the same label order.

Functions that need only the matrix also accept a bare ``ReliabilityData``
(:func:`reliability_of`); functions that need the table accept a bare canonical
``DataFrame`` too, which :func:`as_dataset` turns into a dataset once. These two are the
only places the accepted unions are turned into one type: a public entry point calls one
of them first and hands the typed object down; private helpers take the typed object.

The level of measurement is checked once, where the dataset is built (:meth:`from_table`,
:func:`as_dataset`) or changed (:meth:`with_level`), and it applies to single-label data
only: asking a multi-label or span dataset for a level is a
:class:`~analysis.base.errors.UsageError`, never silently ignored.

``dataset.task`` is the canonical name of the task type (as ``dataset.task`` in the report,
``TaskLoad.task`` and ``Report.task``); ``task_type`` is the stored field's name, kept as an
alias so ``from_table(task_type=...)`` and ``replace(dataset, task_type=...)`` keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import pandas as pd

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.base.validation import check_columns, check_option
from analysis.data.judgements import TaskData
from analysis.data.levels import check_level
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import (
    ANNOTATOR,
    BATCH,
    GROUP,
    REQUIRED_COLUMNS,
    TEXT,
    TIMESTAMP,
    has_values,
)

if TYPE_CHECKING:
    from analysis.data.levels import Level
    from analysis.data.load_report import LoadReport
    from analysis.data.loaded import TaskLoad

TaskType = Literal["single_label", "multi_label", "spans"]
TASK_TYPES: tuple[str, ...] = get_args(TaskType)
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class AnnotationDataset:
    """A canonical annotation table with its reliability matrix and metadata.

    Build it with :meth:`from_table` (or :meth:`from_load_result`), which validates the
    table, or for multi-label and span data with :meth:`from_task_data` (or
    :meth:`from_task_load`); do not call the constructor directly.

    Attributes
    ----------
    table : DataFrame
        Canonical table, one row per (item, annotator) judgement.
    reliability : ReliabilityData
        The table as an items x annotators matrix of label codes (built once).
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement of the labels.
    task_type : {"single_label", "multi_label", "spans"}
        The kind of judgement, stored; read it as :attr:`task` (the canonical name, as
        ``dataset.task`` in the report). :func:`analysis.report.build_report` dispatches on it.
    load_report : LoadReport or None
        What loading the file did, when it came from :func:`analysis.io.load_annotations`.
    task_data : TaskData or None
        The judgements of a ``multi_label`` or ``spans`` dataset in their canonical form
        (:mod:`analysis.data.judgements`); None for ``single_label``. The ``table`` of such a
        dataset holds one row per judgement whose ``label`` is the judgement (its label
        set or its spans) as JSON text, so the dataset has a fingerprint like any other.
    task_load : dict or None
        The task reader's load report (format, counts, Label Studio ``questions`` and
        ``question``, warnings), when the data came from :func:`analysis.io.load_task.load_task`.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
    ...                       "label": ["pos", "neg", "pos"]})
    >>> dataset = AnnotationDataset.from_table(table)
    >>> dataset.labels, dataset.reliability.codes.tolist(), dataset.level
    (('neg', 'pos'), [[1, 0], [1, -1]], 'nominal')
    >>> AnnotationDataset.from_table(table.drop(columns="label"))
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: the table has no column 'label'; columns found: 'item_id', 'annotator'. Fix: rename the columns to the canonical names (analysis.data.schema), or load the file with analysis.io.load_annotations, which maps them.
    """

    table: pd.DataFrame = field(repr=False)
    reliability: ReliabilityData = field(repr=False)
    level: Level = "nominal"
    task_type: TaskType = "single_label"
    load_report: LoadReport | None = field(default=None, repr=False)
    task_data: TaskData | None = field(default=None, repr=False)
    task_load: dict[str, Any] | None = field(default=None, repr=False)
    model_table: pd.DataFrame | None = field(default=None, repr=False)
    models_included: bool = False
    # Values derived from the table and matrix alone (not the level), computed once per
    # dataset; with_level shares it, since the matrix is the same.
    _derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_table(
        cls,
        table: pd.DataFrame,
        *,
        level: Level = "nominal",
        label_order: Sequence[str] | None = None,
        task_type: TaskType = "single_label",
        load_report: LoadReport | None = None,
    ) -> AnnotationDataset:
        """Validate a canonical table and build its matrix.

        Parameters
        ----------
        table : DataFrame
            Canonical table with at least ``item_id``, ``annotator`` and ``label``.
        level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        label_order : sequence of str, optional
            Explicit label order (ordinal analysis); must contain every label.
        task_type : {"single_label", "multi_label", "spans"}, default "single_label"
        load_report : LoadReport, optional

        Raises
        ------
        AnnotationDataError
            A required column is missing (the message names it), a label is empty, or an
            item holds two labels from the same annotator.
        UsageError
            ``level`` or ``task_type`` is not one of the known values.
        """

        level = check_level(level, function="AnnotationDataset")
        check_option("task_type", task_type, TASK_TYPES, function="AnnotationDataset")
        return cls._build(table, level=level, label_order=label_order, task_type=task_type,
                          load_report=load_report)

    @classmethod
    def _build(cls, table: pd.DataFrame, *, level: Level, label_order: Sequence[str] | None = None,
               task_type: TaskType = "single_label",
               load_report: LoadReport | None = None) -> AnnotationDataset:
        # The options are checked by the caller (the boundary); the table here.
        check_columns(table, REQUIRED_COLUMNS)
        reliability = ReliabilityData.from_table(table, label_order=label_order)
        return cls(table=table, reliability=reliability, level=level, task_type=task_type,
                   load_report=load_report)

    @classmethod
    def from_load_result(
        cls,
        result: Any,
        *,
        level: Level = "nominal",
        label_order: Sequence[str] | None = None,
        include_models: bool = False,
    ) -> AnnotationDataset:
        """The dataset of a :class:`~analysis.io.LoadResult` (table and load report).

        Model annotators (``result.report.model_annotators``) are kept apart in
        ``model_table``; with ``include_models`` they are also counted with the humans.

        Raises
        ------
        AnnotationDataError
            Every annotator is a model and ``include_models`` is not set.

        Examples
        --------
        >>> from analysis.io import load_annotations
        >>> csv = b"item,annotator,label\\n1,ann,a\\n1,bob,a\\n1,llm:gpt,b\\n"
        >>> dataset = AnnotationDataset.from_load_result(load_annotations(csv, name="x.csv"))
        >>> dataset.reliability.n_annotators, dataset.model_annotators
        (2, ('llm:gpt',))
        """
        table = result.table
        names = [model.annotator for model in getattr(result.report, "model_annotators", ())]
        model_table = None
        if names:
            is_model = table[ANNOTATOR].isin(names).to_numpy()
            model_table = table.loc[is_model].reset_index(drop=True)
            if not include_models:
                if is_model.all():
                    raise AnnotationDataError(
                        f"every annotator in the file is a model ({', '.join(names[:5])}): "
                        "there are no human judgements to measure agreement on",
                        file=result.report.file,
                        fix="count the models as annotators with {include_models}, or name "
                            "fewer models ({model_prefix}, {kind_col})")
                table = table.loc[~is_model].reset_index(drop=True)
        dataset = cls.from_table(table, level=level, label_order=label_order,
                                 load_report=result.report)
        return replace(dataset, model_table=model_table, models_included=include_models)

    @classmethod
    def from_task_data(
        cls, data: TaskData, *, task_load: dict[str, Any] | None = None
    ) -> AnnotationDataset:
        """The dataset of multi-label or span judgements (:mod:`analysis.data.judgements`).

        Parameters
        ----------
        data : MultiLabelData, SpanData or another task type's judgements
            Its class's ``task`` names the task type (:class:`analysis.data.judgements.TaskData`).
        task_load : dict, optional
            The reader's load report (``TaskLoad.report``), kept under ``dataset.load``.

        Examples
        --------
        >>> from analysis.data.judgements import SpanData
        >>> spans = SpanData.build([("d1", "a", 0, 3, "PER")], [("d1", "b")], {"d1": "Kim ran"})
        >>> dataset = AnnotationDataset.from_task_data(spans)
        >>> dataset.task, len(dataset.table)
        ('spans', 2)
        """

        task = getattr(type(data), "task", None)
        if not isinstance(task, str) or not task or not callable(getattr(data, "judgement_table", None)):
            raise UsageError(
                "The 'data' parameter of AnnotationDataset.from_task_data must be a "
                "MultiLabelData, a SpanData or a task type's own judgements (a class with a "
                f"str 'task' and a judgement_table() method). Got {type(data).__name__} instead",
                option="data")
        table = data.judgement_table()
        return cls(table=table, reliability=ReliabilityData.from_table(table),
                   task_type=task,  # type: ignore[arg-type]  # a plug-in task's name
                   task_data=data, task_load=task_load)

    @classmethod
    def from_task_load(cls, loaded: TaskLoad, *, level: Level | None = None,
                       include_models: bool = False) -> AnnotationDataset:
        """The dataset of any export read by :func:`analysis.io.load_task.load_task`.

        A single-label export keeps its canonical table and load report (at ``level``,
        nominal by default; models apart unless ``include_models``, as in
        :meth:`from_load_result`); a multi-label or span export its task data. Either way
        the reader's report (``loaded.report``) rides along as ``task_load``.

        Raises
        ------
        UsageError
            ``level`` is given for multi-label or span data, which have no level of
            measurement.
        """
        if loaded.single is not None:
            dataset = cls.from_load_result(loaded.single, level=level or "nominal",
                                           include_models=include_models)
            return replace(dataset, task_load=loaded.report)
        if loaded.data is None:
            raise UsageError("The 'loaded' parameter of AnnotationDataset.from_task_load holds "
                             "no data", option="loaded")
        if level is not None:
            raise level_not_applicable(level, loaded.task, function="AnnotationDataset.from_task_load")
        return cls.from_task_data(loaded.data, task_load=loaded.report)

    @property
    def task(self) -> TaskType:
        """The task type, the canonical name (``dataset.task`` of the report); the stored
        field ``task_type`` is its alias."""
        return self.task_type

    def with_level(self, level: Level, *, function: str | None = "with_level") -> AnnotationDataset:
        """The same data at another level of measurement (the matrix is reused).

        Raises
        ------
        UsageError
            ``level`` is not a level, or the dataset is multi-label or span data.
        """
        if self.task != "single_label":
            raise level_not_applicable(level, self.task, function=function)
        if level == self.level:
            return self
        moved = replace(self, level=check_level(level, function=function))
        object.__setattr__(moved, "_derived", self._derived)  # same matrix, same derived values
        return moved

    def with_label_order(self, label_order: Sequence[str]) -> AnnotationDataset:
        """The same data with the labels in ``label_order`` (the matrix's codes remapped,
        the table not read again); the reordered matrix is kept, so asking twice is free.

        Examples
        --------
        >>> table = pd.DataFrame({"item_id": ["a", "a"], "annotator": ["x", "y"],
        ...                       "label": ["low", "high"]})
        >>> dataset = AnnotationDataset.from_table(table)
        >>> dataset.with_label_order(["low", "high"]).labels, dataset.labels
        (('low', 'high'), ('high', 'low'))
        """
        order = tuple(label_order)
        if order == self.labels:
            return self
        reliability = self.cached(("label_order", order),
                                  lambda dataset: dataset.reliability.with_label_order(order))
        return replace(self, reliability=reliability)

    def cached(self, key: Any, compute: Callable[[AnnotationDataset], T]) -> T:
        """``compute(self)``, computed once per dataset and kept under ``key``.

        For values derived from the table and the matrix alone (e.g. the level the labels
        suggest), not from the level: :meth:`with_level` copies share them.

        Examples
        --------
        >>> dataset = AnnotationDataset.from_table(
        ...     pd.DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]}))
        >>> calls = []
        >>> for _ in range(3):
        ...     n = dataset.cached("n_labels", lambda d: calls.append(1) or len(d.labels))
        >>> n, len(calls)
        (1, 1)
        """
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]

    @property
    def model_annotators(self) -> tuple[str, ...]:
        """The model annotators' names, in order of first appearance (empty without models)."""
        if self.model_table is None:
            return ()
        return tuple(str(name) for name in pd.unique(self.model_table[ANNOTATOR]))

    @property
    def human_table(self) -> pd.DataFrame:
        """The humans' judgements: ``table`` without the models' rows."""
        if self.model_table is None or not self.models_included:
            return self.table
        return self.table.loc[~self.table[ANNOTATOR].isin(self.model_annotators)]

    @property
    def labels(self) -> tuple[str, ...]:
        """The label order (``reliability.labels``)."""
        return self.reliability.labels

    @property
    def has_batches(self) -> bool:
        """Whether the table has annotation rounds (a ``batch`` column with values)."""
        return has_values(self.table, BATCH)

    @property
    def has_groups(self) -> bool:
        """Whether the table has annotator groups (an ``annotator_group`` column with values)."""
        return has_values(self.table, GROUP)

    @property
    def has_text(self) -> bool:
        """Whether the table has item texts."""
        return has_values(self.table, TEXT)

    @property
    def has_timestamps(self) -> bool:
        """Whether the table has judgement times."""
        return has_values(self.table, TIMESTAMP)


def level_not_applicable(level: Any, task: str, *, function: str | None = None) -> UsageError:
    """The error for a level of measurement asked of multi-label or span data.

    Examples
    --------
    >>> str(level_not_applicable("ordinal", "spans", function="build_report"))
    "The 'level' parameter of build_report applies to single-label data only. Got 'ordinal' for spans data, which have no level of measurement."
    """
    owner = f" of {function}" if function else ""
    return UsageError(
        f"The 'level' parameter{owner} applies to single-label data only. Got {level!r} for "
        f"{task} data, which have no level of measurement", option="level")


def as_dataset(
    source: AnnotationDataset | pd.DataFrame,
    *,
    level: Level | None = None,
    label_order: Sequence[str] | None = None,
    function: str | None = None,
) -> AnnotationDataset:
    """``source`` as a dataset: itself, or a canonical table validated and converted once.

    The one place a public entry point's ``AnnotationDataset | DataFrame`` argument is
    turned into a dataset; the entry point hands the result down.

    Parameters
    ----------
    source : AnnotationDataset or DataFrame
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        The level to analyse at: a table's (nominal by default), or a single-label
        dataset's new level (:meth:`AnnotationDataset.with_level`).
    label_order : sequence of str, optional
        A table's label order; a dataset keeps the order it was built with.
    function : str, optional
        The entry point named in the messages.

    Raises
    ------
    UsageError
        ``source`` is neither, ``level`` is unknown or given for multi-label or span data,
        or ``label_order`` is given with a dataset.

    Examples
    --------
    >>> as_dataset(pd.DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]})).labels
    ('p',)
    """
    owner = f" of {function}" if function else ""
    if isinstance(source, AnnotationDataset):
        if label_order is not None:
            raise UsageError(
                f"The 'label_order' parameter{owner} applies to a table only; pass it "
                "to AnnotationDataset.from_table when building the dataset", option="label_order")
        return source if level is None else source.with_level(level, function=function)
    if isinstance(source, pd.DataFrame):
        return AnnotationDataset._build(
            source, level=check_level(level or "nominal", function=function), label_order=label_order)
    raise UsageError(
        f"The 'dataset' parameter{owner} must be an AnnotationDataset or a canonical table "
        f"(DataFrame). Got {type(source).__name__} instead",
        option="dataset",
    )


def reliability_of(
    source: AnnotationDataset | ReliabilityData, *, function: str | None = None
) -> ReliabilityData:
    """The label-code matrix of ``source`` (a dataset, or the matrix itself).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]})
    >>> reliability_of(AnnotationDataset.from_table(table)).codes.tolist()
    [[0]]
    """
    if isinstance(source, ReliabilityData):
        return source
    if isinstance(source, AnnotationDataset):
        return source.reliability
    owner = f" of {function}" if function else ""
    raise UsageError(
        f"The 'data' parameter{owner} must be an AnnotationDataset or a ReliabilityData. "
        f"Got {type(source).__name__} instead",
        option="data",
    )


def level_of(source: AnnotationDataset | ReliabilityData, level: Level | None) -> Level:
    """The level to analyse at: ``level`` when given, else the dataset's (else nominal).

    A dataset's own level was checked when it was built, so only another one is checked.
    """
    own = source.level if isinstance(source, AnnotationDataset) else None
    if level is not None and level != own:
        return check_level(level)
    return own or "nominal"
