"""The task types the report knows, by name.

The built-in task modules are imported on first use (the command line starts without
them); :func:`register_task` adds another task type.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from analysis.base.errors import UsageError
from analysis.report.protocol import Task, TaskTraits

if TYPE_CHECKING:
    import pandas as pd

    from analysis.data.dataset import AnnotationDataset

SINGLE_LABEL = "single_label"

_BUILT_IN = {"single_label": "analysis.tasks.single_label",
             "multi_label": "analysis.tasks.multilabel_task",
             "spans": "analysis.tasks.spans.task"}
"""Task name -> module whose ``TASK`` implements it."""

_TASKS: dict[str, Task] = {}


def register_task(task: Task) -> Task:
    """Make ``task`` the implementation of its ``task.name``; returns it.

    Examples
    --------
    >>> get_task(register_task(get_task("spans")).name).name
    'spans'
    """
    _TASKS[task.name] = task
    return task


def get_task(name: str | None) -> Task:
    """The task type called ``name`` (single label when None).

    Raises
    ------
    UsageError
        No task type has that name.
    """
    key = name or SINGLE_LABEL
    if key not in _TASKS and key in _BUILT_IN:
        register_task(import_module(_BUILT_IN[key]).TASK)
    if key not in _TASKS:
        known = ", ".join(sorted({*_BUILT_IN, *_TASKS}))
        raise UsageError(f"The task type {key!r} is not known. Known task types: {known}",
                         option="task_type")
    return _TASKS[key]


def task_names() -> tuple[str, ...]:
    """The built-in task types, then those registered since, by name.

    Examples
    --------
    >>> task_names()[:3]
    ('single_label', 'multi_label', 'spans')
    """
    return (*_BUILT_IN, *(name for name in _TASKS if name not in _BUILT_IN))


def task_traits(name: str | None) -> TaskTraits:
    """The declarations of the task type called ``name`` (single label when None): its
    optional ``title``, ``holds``, ``one_label_per_item`` and ``gold`` attributes, with
    :class:`~analysis.report.protocol.TaskTraits`' defaults for those it leaves out.

    Raises
    ------
    UsageError
        No task type has that name.

    Examples
    --------
    >>> task_traits("spans").holds, task_traits(None).one_label_per_item
    ('span (NER) annotations', True)
    """
    task = get_task(name)
    declared = {key: getattr(task, key) for key in ("title", "holds", "one_label_per_item", "gold")
                if getattr(task, key, None) is not None}
    return TaskTraits(task.name, **declared)


def task_consensus(dataset: AnnotationDataset, *, seed: int = 0) -> pd.DataFrame | None:
    """The consensus of ``dataset`` from its task type (:meth:`Task.consensus`).

    Returns
    -------
    DataFrame or None
        None when the task has no consensus (or does not define one).
    """
    method = getattr(get_task(dataset.task), "consensus", None)
    return None if method is None else method(dataset, seed=seed)


def task_ambiguity(dataset: AnnotationDataset, *, seed: int = 0, **options: Any) -> dict[str, Any] | None:
    """The ambiguity of ``dataset`` from its task type (:meth:`Task.ambiguity`).

    Returns
    -------
    dict or None
        The ambiguity's JSON; None when the task has no ambiguity measure (or does not
        define one).
    """
    method = getattr(get_task(dataset.task), "ambiguity", None)
    return None if method is None else method(dataset, seed=seed, **options)
