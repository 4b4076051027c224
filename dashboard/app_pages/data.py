"""Data: what was read, how, and what was kept, dropped or changed on the way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from analysis.data.schema import CANONICAL_COLUMNS
from analysis.io import FORMATS
from analysis.io.bundle import shown_name
from dashboard.components.cards import column_labels
from dashboard.components.feedback import no_dataset, shown_errors
from dashboard.components.notes import warning_text
from dashboard.components.tables import data_table
from dashboard.components.text import file_size, md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, session
from dashboard.state.session import LoadOptions

AUTO = ""
ENCODINGS: tuple[str, ...] = (AUTO, "utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16")
DELIMITERS: dict[str, str] = {AUTO: "", ",": ",", ";": ";", "\\t": "\t", "|": "|"}
PREVIEW_ROWS = 200


def _column_text(value: object) -> str:
    """A mapping entry as text: one column name, or several joined (wide files)."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _formats() -> tuple[str, ...]:
    return (AUTO, *FORMATS)


def _option_label(value: str) -> str:
    return t("data.auto") if value == AUTO else value


def render_options(options: LoadOptions, detected: Mapping[str, str]) -> None:
    """The reading options and column mapping, applied together by one button."""
    with st.expander(t("data.options"), expanded=False), st.form("load_options_form", border=False):
        first, second, third, fourth = st.columns(4)
        formats = _formats()
        file_format = first.selectbox(
            t("data.format"), formats, index=formats.index(options.format or AUTO) if (options.format or AUTO) in formats else 0,
            format_func=_option_label, key="opt_format",
        )
        encoding = second.selectbox(
            t("data.encoding"), ENCODINGS, index=ENCODINGS.index(options.encoding or AUTO) if (options.encoding or AUTO) in ENCODINGS else 0,
            format_func=_option_label, key="opt_encoding",
        )
        delimiters = list(DELIMITERS)
        current_delimiter = next((k for k, v in DELIMITERS.items() if v == (options.delimiter or "")), AUTO)
        delimiter = third.selectbox(
            t("data.delimiter"), delimiters, index=delimiters.index(current_delimiter),
            format_func=_option_label, key="opt_delimiter",
        )
        sheet = fourth.text_input(t("data.sheet"), value=options.sheet or "", key="opt_sheet")
        st.markdown(f"**{t('data.mapping')}**")
        st.caption(t("data.mapping_help"))
        chosen = dict(options.mapping)
        mapping: dict[str, str] = {}
        for column, field in zip(st.columns(4) * 2, CANONICAL_COLUMNS, strict=False):
            value = column.text_input(
                field,
                value=chosen.get(field, ""),
                placeholder=detected.get(field) or t("data.auto"),
                key=f"opt_map_{field}",
            )
            if value.strip():
                mapping[field] = value.strip()
        if st.form_submit_button(t("data.apply"), type="primary"):
            session.set_load_options(
                LoadOptions(
                    format=file_format or None,
                    encoding=encoding or None,
                    delimiter=DELIMITERS[delimiter] or None,
                    sheet=sheet.strip() or None,
                    mapping=tuple(sorted(mapping.items())),
                    label_merges=options.label_merges,
                    task=options.task,  # the task options are set on the task view
                    question=options.question,
                    label_sep=options.label_sep,
                )
            )
            st.rerun()


def render_variants(report: Mapping[str, Any], options: LoadOptions) -> None:
    """Label variants with a button that reloads the file with the offered merge."""
    variants = report.get("label_variants") or []
    if not variants:
        st.caption(t("data.no_variants"))
        return
    st.markdown(f"**{t('data.variants')}**")
    for index, group in enumerate(variants):
        labels = [str(label) for label in group["labels"]]
        target = str(group["suggested"])
        left, right = st.columns([3, 1])
        left.markdown(t("data.variant_group", labels=", ".join(f"`{md(label)}`" for label in labels), target=md(target)))
        if right.button(t("data.merge"), key=f"merge_{index}"):
            session.set_load_options(options.with_merges({label: target for label in labels if label != target}))
            st.rerun()


def render_report(result: Any, options: LoadOptions) -> None:
    """The load report: headline counts, drops by reason, variants, full text."""
    report = result.report.to_dict()
    cols = st.columns(4)
    cols[0].metric(t("data.detected_format"), str(result.format))
    cols[1].metric(t("data.kept_rows"), f"{len(result.table):,}")
    cols[2].metric(t("data.dropped_rows"), f"{int(report.get('dropped_total') or 0):,}")
    cols[3].metric(t("data.encoding"), str(report.get("encoding") or "—"))
    dropped = {reason: count for reason, count in (report.get("dropped") or {}).items() if count}
    if dropped:
        data_table(
            pd.DataFrame({t("data.reason"): list(dropped), t("data.rows"): list(dropped.values())}),
            hide_index=True,
        )
    singles = int(report.get("single_judgement_items") or 0)
    if singles:
        st.caption(t("data.single_items", count=singles))
    mapping = report.get("mapping")
    if isinstance(mapping, Mapping) and mapping and all(str(v) == k for k, v in mapping.items()):
        st.caption(t("data.mapping_identity", columns=", ".join(md(k) for k in mapping)))
    elif isinstance(mapping, Mapping) and mapping:
        st.markdown(f"**{t('data.mapping_used')}**")
        data_table(
            pd.DataFrame({t("data.field"): list(mapping), t("data.source_column"): [_column_text(v) for v in mapping.values()]}),
            hide_index=True,
        )
    render_variants(report, options)
    if options.label_merges:
        st.caption(t("data.merges_applied", merges=", ".join(f"{md(a)} → {md(b)}" for a, b in options.label_merges)))
    for warning in report.get("warnings", []) or []:
        st.warning(warning_text(warning, current_language()))
    with st.expander(t("data.full_report")):
        st.code(result.report.to_text(), language=None)


def render() -> None:
    """Draw the page."""
    st.title(t("data.title"))
    dataset = session.current_file()
    if dataset is None:
        no_dataset()
        return
    st.caption(t(f"data.origin_{dataset.origin}", name=md(shown_name(dataset.name)), size=file_size(len(dataset.data))))
    options = session.load_options()
    result = None
    with shown_errors():
        result = pipeline.load_result()
    detected = result.report.to_dict().get("mapping") or {} if result is not None else {}
    render_options(options, {k: str(v) for k, v in detected.items() if v})
    if result is None:
        return
    render_report(result, options)
    st.subheader(t("data.preview"))
    preview = result.table.head(PREVIEW_ROWS)
    preview = preview[[c for c in preview.columns if preview[c].notna().any()]]  # no all-empty optional columns
    data_table(preview, hide_index=True, column_config=column_labels(preview))
    st.caption(t("data.preview_note", shown=min(PREVIEW_ROWS, len(result.table)), total=len(result.table)))


render()
