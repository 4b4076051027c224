"""Markdown/HTML table rows shared by the task types other than single label
(``analysis.report.render`` draws them; extra sections go out as JSON blocks)."""

from __future__ import annotations

from typing import Any

from analysis.base.errors import UsageError

Row = list[str]
Section = tuple[str, list[str], list[Row]]

def _cell(value: Any) -> str:
    if isinstance(value, dict) and "value" in value:
        if value["value"] is None:
            return "undefined"
        text = f"{value['value']:.3f}"
        if value.get("ci_low") is not None and value.get("ci_high") is not None:
            text += f" [{value['ci_low']:.3f}, {value['ci_high']:.3f}]"
        return text
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def task_tables(report: dict[str, Any], columns: dict[str, tuple[str, ...]],
                per_class: str) -> list[Section]:
    """Per class (titled ``per_class``), per annotator and pairwise tables of a task report,
    with the task's ``columns`` (keys ``per_class``, ``per_annotator``, ``pairwise``)."""
    sections = []
    sections.append((per_class, ["label", *columns["per_class"]],
                     [[label, *(_cell(v.get(c)) for c in columns["per_class"])]
                      for label, v in report["per_class"].items()]))
    sections.append(("Per annotator", ["annotator", *columns["per_annotator"], "flags"],
                     [[name, *(_cell(v.get(c)) for c in columns["per_annotator"]),
                       _cell(v.get("flags"))] for name, v in report["per_annotator"].items()]))
    sections.append(("Pairwise", ["annotator A", "annotator B", "items", *columns["pairwise"]],
                     [[p["annotator_a"], p["annotator_b"], str(p["items"]),
                       *(_cell(p.get(c)) for c in columns["pairwise"])]
                      for p in report["pairwise"]]))
    return sections


def no_guideline(guideline: Any) -> list[Section]:
    """A task report has no guideline join: refuse ``guideline``, no typed tables."""
    if guideline is not None:

        raise UsageError("The 'guideline' parameter needs the typed single-label "
                         "AgreementReport", option="guideline")
    return []
