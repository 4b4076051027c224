"""Gold labels and gold spans back into the Label Studio project they were pulled from.

Never by default: the dashboard calls :func:`push_gold` only from its explicit,
confirmed button. Two ways, both only adding (nothing in the project is changed or
deleted):

* ``"predictions"``: one prediction per task, ``model_version`` :data:`GOLD_MODEL_VERSION`
  (annotators see it as a pre-annotation; this tool's reader ignores predictions, so the
  agreement of the next pull is unchanged);
* ``"annotations"``: one annotation per task, marked ``ground_truth``. Label Studio writes
  it in the name of the token's user, so the next pull counts it as that user's judgement.

Single-label gold (:func:`analysis.workspace.gold_labels`) is written as the project's
``Choices`` control, gold spans (:func:`analysis.tasks.spans.gold.span_gold`) as its
``Labels`` control; the control is the question analysed (or the first of its type).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import pandas as pd

from analysis.data.schema import ITEM, LABEL
from analysis.labelstudio.client import Client, LabelStudioError
from analysis.labelstudio.pull import ProjectInfo, PulledProject

WriteKind = Literal["annotations", "predictions"]
WRITE_KINDS: Final[tuple[str, ...]] = ("annotations", "predictions")
GOLD_MODEL_VERSION: Final = "label-agreement-gold"
"""``model_version`` of the predictions written back (so they can be filtered out)."""

Results = dict[str, list[dict[str, Any]]]
"""Item id -> the Label Studio ``result`` list to write for it."""


@dataclass(frozen=True)
class WriteBack:
    """What :func:`push_gold` wrote.

    Attributes
    ----------
    kind : {"annotations", "predictions"}
    written : int
        Tasks that received a new annotation or prediction.
    missing : tuple of str
        Gold items with no task in the pull (none when the gold came from the same pull).
    control : str
        The control (``from_name``) written.
    """

    kind: str
    written: int
    missing: tuple[str, ...]
    control: str


def choose_control(project: ProjectInfo, kind: str, question: str | None = None,
                   *, file: str) -> tuple[str, str]:
    """``(from_name, to_name)`` of the project's control to write: ``question`` if given,
    else the first control whose type is ``kind`` (``Choices`` or ``Labels``).

    Raises
    ------
    LabelStudioError
        The project has no such control (``kind="write_refused"``).

    Examples
    --------
    >>> info = ProjectInfo(1, "p", controls={"sentiment": {"type": "Choices",
    ...                                                    "to_name": ["text"]}})
    >>> choose_control(info, "Choices", file="ls://h/projects/1")
    ('sentiment', 'text')
    """
    for name, control in project.controls.items():
        if not isinstance(control, Mapping) or str(control.get("type", "")).casefold() \
                != kind.casefold() or (question is not None and name != question):
            continue
        targets = control.get("to_name")
        target = targets[0] if isinstance(targets, list) and targets else targets
        if isinstance(target, str) and target:
            return name, target
    wanted = f"question {question!r} of type {kind}" if question else f"{kind} control"
    raise LabelStudioError("write_refused", f"the project's label config has no {wanted} to "
                           "write the gold into", file=file,
                           fix=f"add a {kind} control to the project's labelling interface")


def gold_label_results(gold: pd.DataFrame, control: tuple[str, str]) -> Results:
    """One ``choices`` result per gold label (``item_id``, ``label`` columns).

    Examples
    --------
    >>> gold = pd.DataFrame({"item_id": ["a"], "label": ["pos"]})
    >>> gold_label_results(gold, ("sentiment", "text"))["a"][0]["value"]
    {'choices': ['pos']}
    """
    from_name, to_name = control
    return {str(item): [{"id": "gold-1", "from_name": from_name, "to_name": to_name,
                         "type": "choices", "value": {"choices": [str(label)]}}]
            for item, label in zip(gold[ITEM], gold[LABEL], strict=True)}


def span_results(gold: Mapping[str, tuple[str, Sequence[tuple[int, int, str]]]],
                 texts: Mapping[str, str], control: tuple[str, str]) -> Results:
    """One ``labels`` result per gold span; a document whose gold is "no span" gets an
    empty result (an annotation that says so).

    Examples
    --------
    >>> span_results({"d": ("consensus", [(0, 3, "PER")])}, {"d": "Kim ran"},
    ...              ("label", "text"))["d"][0]["value"]
    {'start': 0, 'end': 3, 'labels': ['PER'], 'text': 'Kim'}
    """
    from_name, to_name = control
    results: Results = {}
    for item, (_, spans) in gold.items():
        text = texts.get(item)
        results[str(item)] = [
            {"id": f"gold-{n}", "from_name": from_name, "to_name": to_name, "type": "labels",
             "value": {"start": int(start), "end": int(end), "labels": [str(label)],
                       **({"text": text[start:end]} if text is not None else {})}}
            for n, (start, end, label) in enumerate(sorted(spans), start=1)]
    return results


def push_gold(client: Client, pulled: PulledProject, results: Mapping[str, list[dict[str, Any]]],
              *, kind: WriteKind, progress: Callable[[int, int], None] | None = None,
              model_version: str = GOLD_MODEL_VERSION) -> WriteBack:
    """Write one annotation or prediction per gold item into the pulled project.

    Parameters
    ----------
    client : Client
        Connected to the pulled project's server.
    pulled : PulledProject
        The pull the gold was computed from (its item -> task map).
    results : mapping
        :func:`gold_label_results` or :func:`span_results`.
    kind : {"annotations", "predictions"}
    progress : callable, optional
        ``progress(written, to_write)`` after each task.

    Returns
    -------
    WriteBack

    Raises
    ------
    LabelStudioError
        Any refusal by the server (the tasks written before it stay written).
    """
    if kind not in WRITE_KINDS:
        raise LabelStudioError("write_refused", f"gold is written as annotations or "
                               f"predictions, not {kind!r}", file=pulled.name)
    if client.address.base_url != pulled.address.base_url:
        raise LabelStudioError("write_refused", "the gold belongs to another server's project",
                               file=pulled.name, fix="connect to the project it was pulled from")
    targets = [(item, pulled.task_ids[item], result) for item, result in results.items()
               if item in pulled.task_ids]
    missing = tuple(sorted(item for item in results if item not in pulled.task_ids))
    control = next((r["from_name"] for _, _, result in targets for r in result), "")
    for done, (_, task, result) in enumerate(targets, start=1):
        if kind == "annotations":
            client.request("POST", f"/api/tasks/{task}/annotations/",
                           body={"result": result, "ground_truth": True})
        else:
            client.request("POST", "/api/predictions/", body={
                "task": task, "result": result, "model_version": model_version})
        if progress is not None:
            progress(done, len(targets))
    return WriteBack(kind, len(targets), missing, control)
