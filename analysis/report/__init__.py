"""The agreement report: build it (a typed result whose ``to_dict()`` is the JSON
contract) and render it as Markdown or HTML."""

from analysis.report.builder import build_report
from analysis.report.render import render_html, render_markdown
from analysis.report.result import REPORT_VERSION, AgreementReport, ConfusedPair, DatasetSummary
from analysis.report.task_result import TaskReport, TaskSections, TaskSummary

__all__ = [
    "REPORT_VERSION",
    "AgreementReport",
    "ConfusedPair",
    "DatasetSummary",
    "TaskReport",
    "TaskSections",
    "TaskSummary",
    "build_report",
    "render_html",
    "render_markdown",
]
