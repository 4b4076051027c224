"""Pages adapt to the task: a single-label page opened on a multi-label or span dataset
shows a note and the task's own view instead of numbers that do not apply."""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from dashboard.i18n import t
from dashboard.state import pipeline

TASK_PAGES: Final[frozenset[str]] = frozenset({"tasks"})
"""Pages that work for every task (``url_path``)."""


def run_page(page: Any) -> None:
    """Run ``page``, or the task view when the dataset's task is not single-label."""
    task = pipeline.current_task()
    if task in (None, "single_label") or getattr(page, "url_path", "") in TASK_PAGES:
        page.run()
        return
    from dashboard.components.task_views import render  # the task views, only when needed

    st.title(t("tasks.title"))
    st.info(t("tasks.redirect", task=t(f"tasks.task.{task}")))
    render()
