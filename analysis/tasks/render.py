"""Markdown/HTML table rows of multi-label and span reports (``analysis.report.render``
draws them like the single-label sections; extra sections go out as JSON blocks)."""

from __future__ import annotations

from typing import Any

Row = list[str]
Section = tuple[str, list[str], list[Row]]

COLUMNS = {
    "multi_label": {
        "per_class": ("fleiss_kappa", "krippendorff_alpha", "specific_agreement",
                      "specific_agreement_absent"),
        "per_annotator": ("items", "labels_per_item", "label_rate_bias"),
        "pairwise": ("exact_set_agreement", "mean_jaccard"),
    },
    "spans": {
        "per_class": ("span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha"),
        "per_annotator": ("items", "spans", "f1_vs_consensus", "quality"),
        "pairwise": ("span_f1_strict", "span_f1_overlap"),
    },
}


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


def task_sections(report: dict[str, Any], overall: Section, dataset: Section) -> list[Section]:
    """Dataset, overall, per class, per annotator and pairwise tables of a task report.

    Examples
    --------
    >>> from analysis.data.dataset import AnnotationDataset
    >>> from analysis.report import build_report
    >>> from analysis.data.judgements import MultiLabelData
    >>> data = MultiLabelData.from_records([("1", "a", "xy"), ("1", "b", "x")])
    >>> report = build_report(AnnotationDataset.from_task_data(data), bootstrap=0).to_dict()
    >>> [title for title, _, _ in task_sections(report, ("o", [], []), ("d", [], []))]
    ['d', 'o', 'Per label', 'Per annotator', 'Pairwise']
    """
    columns = COLUMNS[report["dataset"]["task"]]
    per_class = "Per label" if report["dataset"]["task"] == "multi_label" else "Per entity type"
    sections = [dataset, overall]
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
