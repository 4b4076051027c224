"""Errors and notes, shown as readable boxes: never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from analysis.base.errors import AnalysisError
from analysis.data.schema import TEXT, has_values
from dashboard.components.text import md
from dashboard.i18n import t

LOG = logging.getLogger("dashboard")


def error_message(error: Exception) -> str:
    """The error's one-line message, each option named as the dashboard's widget
    (in the visitor's language) rather than as a command-line flag."""
    if isinstance(error, AnalysisError):
        return error.render(lambda option: t(f"option.{option}"))
    return str(error)


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a block; show bad data as its one-line message and anything else as a short note.

    Streamlit's own flow control (rerun, page switch, stop) derives from
    ``BaseException`` and passes through untouched.
    """
    try:
        yield
    except AnalysisError as error:
        st.error(t("error.bad_data", message=error_message(error)), icon=":material/error:")
    except Exception as error:  # the last line of defence: log it, show a sentence
        LOG.exception("unexpected error in the dashboard")
        st.error(t("error.unexpected", kind=type(error).__name__), icon=":material/error:")


def no_dataset() -> None:
    """Say that there is nothing to show until a dataset is open."""
    st.info(t("note.no_dataset"), icon=":material/upload_file:")


def table_with_texts(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """The open table when it has item texts; otherwise say why there is nothing to show."""
    if table is None:
        no_dataset()
        return None
    if not has_values(table, TEXT):
        st.info(t("clusters.no_text"))
        return None
    return table


def render_text_reading(reading: Mapping[str, object]) -> None:
    """How the item texts were read (sentence pairs, conversation turns), in the interface
    language (``reading``: a result's ``text_reading``)."""
    if reading.get("pairs"):
        st.info(t("texts.pairs"))
    fields = list(reading.get("turn_fields") or [])
    if fields:
        st.info(t("texts.turns", field=md(fields[-1]), fields=md(", ".join(fields))))
