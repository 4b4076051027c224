"""*Write gold back to Label Studio*: beside the gold downloads, for a pulled live project.

Drawn only when the open dataset is this session's pull, the connection is still open and
the visitor may edit (never for viewers of a shared demo). Nothing is written until the
visitor picks how (predictions or annotations), ticks the confirmation that names the count
and the project, and presses the button; each confirmation writes once (the box is then a
new, unticked one). :func:`analysis.labelstudio.push_gold` does the writing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

import pandas as pd
import streamlit as st

from analysis.base.errors import AnalysisError
from analysis.labelstudio import PulledProject
from analysis.labelstudio.write_back import (
    GOLD_MODEL_VERSION,
    WRITE_KINDS,
    Results,
    choose_control,
    gold_label_results,
    push_gold,
    span_results,
)
from dashboard.components.access_gate import editing_allowed
from dashboard.components.feedback import error_message
from dashboard.components.label_studio_panel import Connection, connection, pulled_project
from dashboard.components.text import md
from dashboard.i18n import t
from dashboard.state import pipeline

WRITES_KEY: Final = "ls_writes"
"""How many writes this session tried (a new confirmation box after each)."""
CONFIRM_KEY: Final = "ls_write_confirm"
BUTTON_KEY: Final = "ls_write"


def _question() -> str | None:
    try:
        loaded = pipeline.loaded_export()
    except AnalysisError:
        return None
    return None if loaded is None else loaded.report.get("question")


def render_write_back(control_type: str, build: Callable[[tuple[str, str]], Results],
                      count: int) -> None:
    """The write-back expander for ``count`` gold items; ``build(control)`` makes the results."""
    pulled, current = pulled_project(), connection()
    if pulled is None or current is None or not editing_allowed():
        return
    with st.expander(t("ls.write.title"), icon=":material/cloud_upload:"):
        kind = st.radio(t("ls.write.as"), WRITE_KINDS, key="ls_write_kind",
                        format_func=lambda name: t(f"ls.write.kind.{name}"))
        st.caption(t(f"ls.write.help.{kind}", model=GOLD_MODEL_VERSION,
                     user=md(current.user or "?")))
        writes = int(st.session_state.get(WRITES_KEY, 0))
        # The write runs before its widgets are drawn, and only with this round's box ticked:
        # after a write the box is a new, unticked one, so a second press writes nothing.
        if st.session_state.get(BUTTON_KEY) and st.session_state.get(f"{CONFIRM_KEY}_{writes}"):
            _write(pulled, current, control_type, build, kind)
            writes = int(st.session_state.get(WRITES_KEY, 0))
        confirmed = st.checkbox(t("ls.write.confirm", n=f"{count:,}",
                                  kind=t(f"ls.write.kind.{kind}"),
                                  project=md(pulled.project.title)),
                                key=f"{CONFIRM_KEY}_{writes}")
        st.button(t("ls.write.button", n=f"{count:,}"), key=BUTTON_KEY, type="primary",
                  disabled=not confirmed or count == 0)


def _write(pulled: PulledProject, current: Connection, control_type: str,
           build: Callable[[tuple[str, str]], Results], kind: str) -> None:
    bar = st.progress(0.0)
    try:
        control = choose_control(pulled.project, control_type, _question(), file=pulled.name)
        written = push_gold(current.client, pulled, build(control), kind=kind,  # type: ignore[arg-type]
                            progress=lambda done, total: bar.progress(done / total))
    except AnalysisError as error:
        st.error(md(error_message(error)), icon=":material/error:")
        return
    finally:
        bar.empty()
        st.session_state[WRITES_KEY] = int(st.session_state.get(WRITES_KEY, 0)) + 1
    st.success(t("ls.write.done", n=f"{written.written:,}", kind=t(f"ls.write.kind.{kind}"),
                 project=md(pulled.project.title), control=md(written.control)))
    if written.missing:
        st.warning(t("ls.write.missing", n=len(written.missing)))


def render_gold_write_back(gold: pd.DataFrame) -> None:
    """Write the gold labels (``item_id``, ``label``) into the project's choices."""
    render_write_back("Choices", lambda control: gold_label_results(gold, control), len(gold))


def render_span_write_back(gold: Mapping[str, tuple[str, Sequence[tuple[int, int, str]]]],
                           texts: Mapping[str, str]) -> None:
    """Write the gold spans into the project's labels."""
    render_write_back("Labels", lambda control: span_results(gold, texts, control), len(gold))
