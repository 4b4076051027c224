"""Pages adapt to the task: a single-label page opened on a multi-label or span dataset
shows a note and the task's own view instead of numbers that do not apply."""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from dashboard.i18n import current_language, t
from dashboard.state import pipeline

TASK_PAGES: Final[frozenset[str]] = frozenset({"tasks"})
"""Pages that work for every task (``url_path``)."""


def task_title(task: str) -> str:
    """The task type's name for people in the dashboard's language (its ``title``)."""
    # start-up: the task registry (and the task's module) load once a dataset is open
    from analysis.report.task_registry import task_traits

    return task_traits(task).title_in(current_language())


def run_page(page: Any) -> None:
    """Run ``page``, or the task view when the dataset's task has not one label per item."""
    task = pipeline.current_task()
    if pipeline.one_label_per_item(task) or getattr(page, "url_path", "") in TASK_PAGES:
        page.run()
        return
    from dashboard.components.task_views import render  # the task views, only when needed

    st.title(t("tasks.title"))
    st.info(t("tasks.redirect", task=task_title(str(task))))
    render()
