"""Which source column holds which canonical field: the synonym table and its resolution.

The synonym table lives here and nowhere else. Matching is case-insensitive and treats
spaces, hyphens and dots like underscores, so ``Worker ID`` matches ``worker_id``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Final

from analysis.base.errors import AnnotationDataError, MissingColumnsError
from analysis.data.schema import ANNOTATOR, BATCH, GROUP, ITEM, LABEL, TEXT, TEXT_B, TIMESTAMP

ANNOTATOR_KIND: Final = "annotator_kind"
"""A source field, not a column of the canonical table: whether the annotator is a human or
a model (:mod:`analysis.io.annotator_kinds` reads it into the load report)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Names of the source columns that hold each canonical field.

    ``None`` means "detect automatically from the synonym table".

    Attributes
    ----------
    item_id, annotator, label, text, timestamp, batch, annotator_group, text_b : str or None
        Source column names for the canonical fields of a long table (``text_b``: the
        second text of a sentence pair).
    annotator_kind : str or None
        Long tables: the column saying whether each annotator is a human or a model.
    annotator_columns : tuple of str or None
        Wide tables: the columns that each hold one annotator's labels.

    Examples
    --------
    >>> ColumnMapping(label="sentiment").label
    'sentiment'
    """

    item_id: str | None = None
    annotator: str | None = None
    label: str | None = None
    text: str | None = None
    timestamp: str | None = None
    batch: str | None = None
    annotator_group: str | None = None
    text_b: str | None = None
    annotator_kind: str | None = None
    annotator_columns: tuple[str, ...] | None = None

    def explicit(self) -> dict[str, str]:
        """The canonical fields given explicitly, as ``{canonical: source}``."""
        return {
            spec.name: getattr(self, spec.name)
            for spec in fields(self)
            if spec.name != "annotator_columns" and getattr(self, spec.name) is not None
        }


SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    ITEM: ("item_id", "item", "id", "task", "task_id", "doc_id", "docid", "document_id",
           "sentence_id", "text_id", "pair_id", "example_id", "sample_id", "guid",
           "문항", "아이템"),
    ANNOTATOR: ("annotator", "rater", "coder", "worker", "worker_id", "user", "labeler",
                "annotator_id", "completed_by", "작업자", "라벨러"),
    LABEL: ("label", "category", "class", "answer", "annotation", "choice", "topic", "intent",
            "라벨", "정답", "분류"),
    TEXT: ("text", "sentence", "content", "headline", "message", "title", "text_a", "sentence1",
           "sentence_a", "premise", "문장", "텍스트", "전제"),
    TIMESTAMP: ("timestamp", "time", "created_at", "submitted_at", "date"),
    BATCH: ("batch", "round", "guideline_version", "version", "차수"),
    GROUP: ("annotator_group", "group", "team", "pool"),
    TEXT_B: ("text_b", "sentence2", "sentence_b", "text2", "second_text", "text_pair", "hypothesis",
             "가설", "문장2"),
    # read only when every value says human or model (analysis.io.annotator_kinds)
    ANNOTATOR_KIND: ("annotator_kind", "annotator_type", "rater_type", "worker_type",
                     "annotator_source", "label_source", "source", "작업자_유형"),
}
"""Source column names recognised for each canonical field, most specific first."""

FIELD_OPTIONS: Final[Mapping[str, str]] = {
    ITEM: "item_col",
    ANNOTATOR: "annotator_col",
    LABEL: "label_col",
    TEXT: "text_col",
    TIMESTAMP: "timestamp_col",
    BATCH: "batch_col",
    GROUP: "group_col",
    TEXT_B: "text_b_col",
    ANNOTATOR_KIND: "kind_col",
}
"""The option (``analysis.base.errors.OPTIONS``) that names each canonical field's source
column: ``--item-col`` on the command line, a column picker in the dashboard."""

FIELD_HELP: Final[Mapping[str, str]] = {
    ITEM: "column holding the item id",
    ANNOTATOR: "column holding the annotator",
    LABEL: "column holding the label",
    TEXT: "column holding the item text",
    TIMESTAMP: "column holding the time of the judgement",
    BATCH: "column holding the batch / round / guideline version",
    GROUP: "column holding the annotator group",
    TEXT_B: "column holding the second text of a sentence pair (e.g. the hypothesis)",
    ANNOTATOR_KIND: "column saying whether each annotator is a human or a model "
                    "(human, model, llm, ...)",
}
"""What each canonical field's source column holds (the help of its option)."""


def normalise_name(name: object) -> str:
    """Column name in matching form: NFC, stripped, case-folded, separators as ``_``.

    Examples
    --------
    >>> normalise_name(" Worker-ID ")
    'worker_id'
    """
    text = unicodedata.normalize("NFC", str(name)).replace("\ufeff", "").strip().casefold()
    for separator in (" ", "-", "."):
        text = text.replace(separator, "_")
    return text


def find_column(columns: Iterable[object], synonyms: Sequence[str]) -> str | None:
    """The first column (in synonym priority) whose normalised name is a synonym."""
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(normalise_name(column), str(column))
    for synonym in synonyms:
        if synonym in by_name:
            return by_name[synonym]
    return None


def describe_columns(columns: Iterable[object], *, limit: int = 12) -> str:
    """Short quoted list of column names for error messages."""
    names = [repr(str(column)) for column in columns]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def resolve_columns(
    columns: Sequence[object],
    mapping: ColumnMapping | None,
    *,
    file: str,
    required: Sequence[str] = (ITEM, ANNOTATOR, LABEL),
) -> dict[str, str]:
    """Map canonical fields to source columns, explicit names first, then synonyms.

    Parameters
    ----------
    columns : sequence
        The source table's column names.
    mapping : ColumnMapping or None
        Explicit choices; they must name existing columns.
    file : str
        File name for error messages.
    required : sequence of str
        Canonical fields that must be found.

    Returns
    -------
    dict
        ``{canonical: source column}`` for every field found.

    Raises
    ------
    AnnotationDataError
        When an explicit column does not exist or a required field is not found.

    Examples
    --------
    >>> resolve_columns(["Task", "Rater", "Intent"], None, file="x.csv")
    {'item_id': 'Task', 'annotator': 'Rater', 'label': 'Intent'}
    """
    names = [str(column) for column in columns]
    explicit = (mapping or ColumnMapping()).explicit()
    resolved: dict[str, str] = {}
    given: dict[str, str] = {}
    for canonical, source in explicit.items():
        key = normalise_name(source)
        if key in given:
            raise AnnotationDataError(
                f"the column {source!r} is given for both {given[key]} and {canonical}",
                file=file, location="header",
                fix=f"give {{{FIELD_OPTIONS[given[key]]}}} and {{{FIELD_OPTIONS[canonical]}}} "
                "different columns")
        given[key] = canonical
    for canonical, source in explicit.items():
        match = source if source in names else find_column(names, (normalise_name(source),))
        if match is None:
            raise AnnotationDataError(
                f"the column {source!r} given for {canonical} does not exist; "
                f"columns found: {describe_columns(names)}",
                file=file,
                location="header",
                fix=f"pass one of the columns found with {{{FIELD_OPTIONS[canonical]}}}",
            )
        resolved[canonical] = match
    for canonical, synonyms in SYNONYMS.items():
        if canonical in resolved:
            continue
        free = [name for name in names if name not in resolved.values()]
        match = find_column(free, synonyms)
        if match is not None:
            resolved[canonical] = match
    missing = [canonical for canonical in required if canonical not in resolved]
    if missing:
        flags = ", ".join(f"{{{FIELD_OPTIONS[canonical]}}}" for canonical in missing)
        taken = [f"{source!r} would be the {canonical} column but is given for {field}"
                 for canonical in missing for field, source in resolved.items()
                 if field in explicit and find_column([source], SYNONYMS[canonical])]
        raise MissingColumnsError(
            f"no column for {' and '.join(missing)} was found"
            + (f" ({'; '.join(taken)})" if taken else "")
            + f"; columns found: {describe_columns(names)}",
            file=file,
            location="header",
            fix=f"name the column(s) with {flags} (ColumnMapping in Python)",
            missing=tuple(missing),
        )
    return {canonical: resolved[canonical] for canonical in SYNONYMS if canonical in resolved}
