"""Spans and multi-label: the page for datasets that are not one label per item."""

from __future__ import annotations

import streamlit as st

from dashboard.components.task_views import render
from dashboard.i18n import t

st.title(t("tasks.title"))
render()
