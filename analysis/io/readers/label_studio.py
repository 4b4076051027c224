"""Label Studio JSON exports: one question (``from_name``) analysed, the one named by
``question`` or else the first; a ``labels`` control gives ``spans``, a ``choices`` control
``multi_label`` when any annotation chose several values, else ``single_label``; a
``rating`` control (stars) ``single_label``, the number of stars as the label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from analysis.base.errors import AnnotationDataError
from analysis.data.judgements import check_task
from analysis.data.loaded import TaskLoad
from analysis.io.label_studio import looks_like_label_studio
from analysis.io.multilabel import MultiLabelRead, label_studio_sets
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.reports import check_kind, task_report
from analysis.io.readers.single_label import read_single
from analysis.io.spans_json import SpanRead, label_studio_spans
from analysis.messages import note

SPAN_TYPES = ("labels", "hypertextlabels")


def label_studio_questions(tasks: list[Any]) -> list[dict[str, Any]]:
    """The questions (controls) of a Label Studio export, in order of first appearance.

    Examples
    --------
    >>> task = {"data": {"text": "x"}, "annotations": [{"result": [
    ...     {"from_name": "sentiment", "to_name": "text", "type": "choices",
    ...      "value": {"choices": ["Positive", "Sarcasm"]}}]}]}
    >>> label_studio_questions([task])
    [{'name': 'sentiment', 'type': 'choices', 'to_name': 'text', 'results': 1, 'max_values': 2}]
    """
    found: dict[str, dict[str, Any]] = {}
    for task in tasks:
        if not isinstance(task, Mapping):
            continue
        for annotation in task.get("annotations") or task.get("completions") or []:
            if not isinstance(annotation, Mapping):
                continue
            per_question: Counter[str] = Counter()
            for result in annotation.get("result") or []:
                if not isinstance(result, Mapping) or "from_name" not in result:
                    continue
                value = result.get("value") if isinstance(result.get("value"), Mapping) else {}
                name = str(result["from_name"])
                kind = str(result.get("type") or ("labels" if "start" in value else
                                                  "rating" if "rating" in value else "choices"))
                entry = found.setdefault(name, {"name": name, "type": kind,
                                                "to_name": str(result.get("to_name", "")),
                                                "results": 0, "max_values": 0})
                entry["results"] += 1
                choices = value.get("choices")
                if isinstance(choices, list):
                    per_question[name] += len(choices)
                elif "rating" in value:
                    per_question[name] += 1
            for name, count in per_question.items():
                found[name]["max_values"] = max(found[name]["max_values"], count)
    return list(found.values())


def _restrict(tasks: list[Any], question: str) -> list[Any]:
    """The tasks with every annotation's results restricted to one question."""
    out = []
    for task in tasks:
        if isinstance(task, Mapping):
            task = dict(task)
            key = "annotations" if "annotations" in task else "completions"
            task[key] = [
                {**a, "result": [r for r in a.get("result") or []
                                 if isinstance(r, Mapping) and r.get("from_name") == question]}
                if isinstance(a, Mapping) else a for a in task.get(key) or []]
        out.append(task)
    return out


class LabelStudioReader:
    """Label Studio JSON or JSON lines; the chosen question decides the task."""

    name = "label-studio"
    task = None

    def sniff(self, parsed: Parsed) -> float:
        """0.8 for records with Label Studio's ``data`` and ``annotations``, unless Prodigy
        is asked for."""
        records = parsed.records()
        return 0.8 if (records and looks_like_label_studio(records[0])
                       and parsed.options.format != "prodigy") else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        """The chosen question's spans, label sets or single labels."""
        file, wanted, question = parsed.file, check_task(options.task), options.question
        json = parsed.json()
        assert json is not None
        tasks = json.records
        questions = label_studio_questions(tasks)
        names = [q["name"] for q in questions]
        warnings: list[str] = []
        if question is not None and question not in names:
            raise AnnotationDataError(
                f"the project has no question {question!r}; its questions are "
                f"{', '.join(names) or 'none'}", file=file, fix="set {question} to one of them")
        usable = [q for q in questions if q["type"] in (*SPAN_TYPES, "choices", "rating")]
        if question is None and usable:
            question = usable[0]["name"]
            if len(questions) > 1:
                warnings.append(note("load.several_questions", count=len(questions), names=", ".join(names),
                                     question=question))
        chosen = next((q for q in questions if q["name"] == question), None)
        found: str
        if chosen is not None and chosen["type"] in SPAN_TYPES:
            found = "spans"
        elif chosen is not None and chosen["max_values"] > 1:
            found = "multi_label"
        else:
            found = "single_label"
        if wanted == "spans" and chosen is None:
            found = "spans"
        check_kind(wanted, found, file=file)
        found = wanted or found
        if found == "single_label":
            restricted = _restrict(tasks, question) if question and len(questions) > 1 else None
            single = read_single(parsed, mapping=None, json=json if restricted is None
                                 else json.with_records(restricted))
            report = {**single.report.to_dict(), "task": "single_label",
                      "questions": questions, "question": question}
            report["warnings"] = [*warnings, *report.get("warnings", [])]
            return TaskLoad("single_label", single, None, report)
        if found == "spans":
            read: SpanRead | MultiLabelRead = label_studio_spans(
                tasks, list(range(1, len(tasks) + 1)), file=file, unit="task", question=question)
        else:
            read = label_studio_sets(tasks, question=question)
        return TaskLoad(found, None, read.data,  # type: ignore[arg-type]
                        task_report(read, file=file, task=found, questions=questions,
                                    question=question, warnings=warnings))


PRIORITY = 40
"""Registration rank among the built-in formats (lower first; see ``builtin``)."""
READERS = (LabelStudioReader(),)
