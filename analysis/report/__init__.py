"""The agreement report: build it (JSON contract) and render it as Markdown or HTML."""

from analysis.report.builder import REPORT_VERSION, build_report
from analysis.report.render import render_html, render_markdown

__all__ = ["REPORT_VERSION", "build_report", "render_html", "render_markdown"]
