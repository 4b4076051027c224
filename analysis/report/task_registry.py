"""The task types the report knows, by name.

The built-in task types are the modules under :mod:`analysis.tasks` that declare
``TASK_NAME`` (a string) and ``TASK_RANK`` (an int, their place in :func:`task_names`)
beside their ``TASK`` object. They are found by reading the modules' source (nothing is
imported: the command line starts without them) and imported on first use, so a new
built-in task type is one new module. :func:`register_task` adds a task type from
anywhere else (a plug-in).
"""

from __future__ import annotations

import ast
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.base.errors import UsageError
from analysis.report.protocol import Task, TaskTraits

if TYPE_CHECKING:
    import pandas as pd

    from analysis.data.dataset import AnnotationDataset

SINGLE_LABEL = "single_label"

TASKS_PACKAGE = "analysis.tasks"


def _declared(path: Path) -> tuple[int, str] | None:
    """``(TASK_RANK, TASK_NAME)`` of a module's top level, or None when it declares none."""
    source = path.read_text(encoding="utf-8")
    if "TASK_NAME" not in source:  # most modules: skip the parse
        return None
    values: dict[str, Any] = {}
    for node in ast.parse(source, filename=str(path)).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else (
            node.target if isinstance(node, ast.AnnAssign) else None)
        if isinstance(target, ast.Name) and target.id in ("TASK_NAME", "TASK_RANK") and \
                isinstance(node.value, ast.Constant):
            values[target.id] = node.value.value
    name, rank = values.get("TASK_NAME"), values.get("TASK_RANK")
    if name is None:
        return None
    if not isinstance(name, str) or not isinstance(rank, int):
        raise UsageError(f"{path} declares TASK_NAME but no int TASK_RANK beside a str TASK_NAME")
    return rank, name


def discover_tasks(package: str = TASKS_PACKAGE) -> dict[str, str]:
    """Task name -> module of every built-in task type under ``package``, by rank.

    Examples
    --------
    >>> discover_tasks()
    {'single_label': 'analysis.tasks.single_label', 'multi_label': 'analysis.tasks.multilabel_task', 'spans': 'analysis.tasks.spans.task'}
    """
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"{package!r} is not a package of task modules")
    found: list[tuple[int, str, str]] = []
    for root in map(Path, spec.submodule_search_locations):
        for path in sorted(root.rglob("*.py")):
            declared = _declared(path)
            if declared is not None:
                parts = path.relative_to(root).with_suffix("").parts
                module = ".".join((package, *parts[: -1 if parts[-1] == "__init__" else None]))
                found.append((*declared, module))
    found.sort()
    return {name: module for _, name, module in found}


@cache
def _built_in() -> dict[str, str]:
    return discover_tasks()


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


def unregister_task(name: str) -> None:
    """Forget the task type registered as ``name`` (a built-in one is found again on its
    next use); no error when none is.

    Examples
    --------
    >>> unregister_task("not_registered")
    """
    _TASKS.pop(name, None)


def get_task(name: str | None) -> Task:
    """The task type called ``name`` (single label when None).

    Raises
    ------
    UsageError
        No task type has that name.
    """
    key = name or SINGLE_LABEL
    if key not in _TASKS and key in _built_in():
        task = import_module(_built_in()[key]).TASK
        if task.name != key:
            raise UsageError(f"{_built_in()[key]} declares TASK_NAME {key!r} but its TASK is "
                             f"named {task.name!r}")
        register_task(task)
    if key not in _TASKS:
        known = ", ".join(sorted({*_built_in(), *_TASKS}))
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
    return (*_built_in(), *(name for name in _TASKS if name not in _built_in()))


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
