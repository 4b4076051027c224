"""The sidebar's dataset picker: a bundled sample, the visitor's own file, or a live
Label Studio project (:mod:`dashboard.components.label_studio_panel`)."""

from __future__ import annotations

from typing import Final

import streamlit as st

from analysis.io.bundle import TEXTS_SUFFIXES, shown_name, with_texts
from dashboard.components.text import file_size, md
from dashboard.i18n import t
from dashboard.state import samples, session
from dashboard.state.open_file import OpenFile

CHOICE_KEY: Final = "dataset_choice"
UPLOAD_KEY: Final = "upload"
TEXTS_KEY: Final = "upload_texts"
UPLOAD_CHOICE: Final = "upload"
LABEL_STUDIO_CHOICE: Final = "label_studio"
FILE_ID_KEY: Final = "upload_file_id"
UPLOAD_TYPES: Final[tuple[str, ...]] = (
    "csv", "tsv", "txt", "json", "jsonl", "ndjson", "xlsx", "xls", "parquet",
    "conll", "bio", "iob", "zip",
)


def render_dataset_picker() -> None:
    """Draw the picker and open the chosen dataset for this visitor.

    An empty upload is refused with a message; a file over the upload limit never gets
    here (Streamlit answers it with its own message).
    """
    choices = [*samples.SAMPLES, UPLOAD_CHOICE, LABEL_STUDIO_CHOICE]
    choice = st.radio(
        t("sidebar.dataset"),
        options=choices,
        format_func=lambda key: t(f"sidebar.{key}"),
        key=CHOICE_KEY,
    )
    if choice == LABEL_STUDIO_CHOICE:
        from dashboard.components.label_studio_panel import render_label_studio_panel

        render_label_studio_panel()
    elif choice == UPLOAD_CHOICE:
        uploaded = st.file_uploader(
            t("sidebar.upload"),
            type=list(UPLOAD_TYPES),
            key=UPLOAD_KEY,
            help=t("sidebar.upload_help"),
        )
        with st.expander(t("sidebar.texts")):
            texts = st.file_uploader(
                t("sidebar.texts_upload"),
                type=[suffix.lstrip(".") for suffix in TEXTS_SUFFIXES],
                key=TEXTS_KEY,
                help=t("sidebar.texts_help"),
            )
        if uploaded is None:
            session.close_file()
            return
        current = session.current_file()
        file_ids = (uploaded.file_id, None if texts is None else texts.file_id)
        if current is None or st.session_state.get(FILE_ID_KEY) != file_ids:
            session.close_file()
            name, data = uploaded.name, uploaded.getvalue()
            if texts is not None:  # offsets and their texts, read as one zip
                name, data = with_texts((name, data), (texts.name, texts.getvalue()))
            session.open_file(OpenFile.from_bytes(name, data, origin="upload"))
            st.session_state[FILE_ID_KEY] = file_ids
    else:
        current = session.current_file()
        if (current is None or current.origin != "sample"
                or current.name != samples.sample_name(choice)):
            session.open_file(samples.sample_file(choice))
    dataset = session.current_file()
    if dataset is not None:
        st.caption(t("sidebar.open", name=md(shown_name(dataset.name)), size=file_size(len(dataset.data))))
