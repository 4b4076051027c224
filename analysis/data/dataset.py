"""The one input of every analysis: the canonical table and its matrix, built once.

:class:`AnnotationDataset` holds the canonical table (``analysis.data.schema``), its
:class:`~analysis.data.reliability.ReliabilityData` (items x annotators label codes), the
level of measurement, the task type and the load report. Agreement metrics, per-annotator
metrics, consensus, the quality analyses, ambiguity clusters and label issues all take
it as their first argument, so the matrix is built once per dataset and every part sees
the same label order.

Functions that need only the matrix also accept a bare ``ReliabilityData``
(:func:`reliability_of`); functions that need the table accept a bare canonical
``DataFrame`` too, which :func:`as_dataset` turns into a dataset once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

import pandas as pd

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.base.validation import check_columns, check_option
from analysis.data.judgements import MultiLabelData, SpanData
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
    from analysis.data.judgements import MultiLabelData, SpanData
    from analysis.data.levels import Level
    from analysis.data.load_report import LoadReport
    from analysis.data.loaded import TaskLoad

TaskType = Literal["single_label", "multi_label", "spans"]
TASK_TYPES: tuple[str, ...] = get_args(TaskType)


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
        The kind of judgement; :func:`analysis.report.build_report` dispatches on it.
    load_report : LoadReport or None
        What loading the file did, when it came from :func:`analysis.io.load_annotations`.
    task_data : MultiLabelData or SpanData or None
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
    task_data: MultiLabelData | SpanData | None = field(default=None, repr=False)
    task_load: dict[str, Any] | None = field(default=None, repr=False)
    model_table: pd.DataFrame | None = field(default=None, repr=False)
    models_included: bool = False

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
        cls, data: MultiLabelData | SpanData, *, task_load: dict[str, Any] | None = None
    ) -> AnnotationDataset:
        """The dataset of multi-label or span judgements (:mod:`analysis.data.judgements`).

        Parameters
        ----------
        data : MultiLabelData or SpanData
        task_load : dict, optional
            The reader's load report (``TaskLoad.report``), kept under ``dataset.load``.

        Examples
        --------
        >>> from analysis.data.judgements import SpanData
        >>> spans = SpanData.build([("d1", "a", 0, 3, "PER")], [("d1", "b")], {"d1": "Kim ran"})
        >>> dataset = AnnotationDataset.from_task_data(spans)
        >>> dataset.task_type, len(dataset.table)
        ('spans', 2)
        """

        if isinstance(data, SpanData):
            task: TaskType = "spans"
        elif isinstance(data, MultiLabelData):
            task = "multi_label"
        else:
            raise UsageError(
                "The 'data' parameter of AnnotationDataset.from_task_data must be a "
                f"MultiLabelData or a SpanData. Got {type(data).__name__} instead", option="data")
        table = data.judgement_table()
        return cls(table=table, reliability=ReliabilityData.from_table(table), task_type=task,
                   task_data=data, task_load=task_load)

    @classmethod
    def from_task_load(cls, loaded: TaskLoad, *, level: Level = "nominal",
                       include_models: bool = False) -> AnnotationDataset:
        """The dataset of any export read by :func:`analysis.io.load_task.load_task`.

        A single-label export keeps its canonical table and load report (at ``level``;
        models apart unless ``include_models``, as in :meth:`from_load_result`);
        a multi-label or span export its task data. Either way the reader's report
        (``loaded.report``) rides along as ``task_load``.
        """
        if loaded.single is not None:
            dataset = cls.from_load_result(loaded.single, level=level,
                                           include_models=include_models)
            return replace(dataset, task_load=loaded.report)
        if loaded.data is None:
            raise UsageError("The 'loaded' parameter of AnnotationDataset.from_task_load holds "
                             "no data", option="loaded")
        return cls.from_task_data(loaded.data, task_load=loaded.report)

    @property
    def task(self) -> TaskType:
        """The task type (``task_type``): the ``dataset.task`` of the report."""
        return self.task_type

    def with_level(self, level: Level) -> AnnotationDataset:
        """The same data at another level of measurement (the matrix is reused)."""

        return replace(self, level=check_level(level, function="with_level"))

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


def as_dataset(source: AnnotationDataset | pd.DataFrame, *, function: str | None = None) -> AnnotationDataset:
    """``source`` as a dataset: itself, or a canonical table validated and converted once.

    Examples
    --------
    >>> as_dataset(pd.DataFrame({"item_id": ["a"], "annotator": ["x"], "label": ["p"]})).labels
    ('p',)
    """
    if isinstance(source, AnnotationDataset):
        return source
    if isinstance(source, pd.DataFrame):
        return AnnotationDataset.from_table(source)
    owner = f" of {function}" if function else ""
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
    """The level to analyse at: ``level`` when given, else the dataset's (else nominal)."""

    if level is not None:
        return check_level(level)
    return source.level if isinstance(source, AnnotationDataset) else "nominal"
