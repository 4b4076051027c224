"""Amazon Mechanical Turk batch results CSV.

One judgement per assignment row. The item is an ``Input.*`` column named like an item
id (``Input.id``, ``Input.item_id``, ...), else ``HITId``; the text is an ``Input.*``
column named like a text; the annotator is ``WorkerId``; the time is ``SubmitTime``.
The label is the one ``Answer.*`` column, or a synonym among several (``Answer.label``,
``Answer.category``, ...); checkbox answers (``Answer.<label>.on`` or
``Answer.<group>.<label>.on`` holding true/false) give the checked label. Assignments
with ``AssignmentStatus == "Rejected"`` are dropped and counted as ``rejected``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ANNOTATOR, BATCH, GROUP, ITEM, LABEL, TEXT, TIMESTAMP
from analysis.io.columns import SYNONYMS, ColumnMapping, describe_columns, find_column
from analysis.io.long import Mapped
from analysis.io.tabular import RawTable
from analysis.io.values import as_text
from analysis.messages import note

CHECKED: Final = frozenset({"true", "1", "on", "yes", "checked", "x"})
MULTI_CHOICE_SEPARATOR = "|"


def looks_like_mturk(columns: list[str]) -> bool:
    """Whether a header is an MTurk batch results header."""
    return "WorkerId" in columns and (
        "HITId" in columns or any(column.startswith("Answer.") for column in columns)
    )


def _prefixed(names: list[str], prefix: str, synonyms: tuple[str, ...]) -> str | None:
    inner = {name[len(prefix):]: name for name in names if name.startswith(prefix)}
    match = find_column(list(inner), synonyms)
    return inner[match] if match is not None else None


def _checkbox_labels(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.Series, int]:
    stems = [column[len("Answer."):-len(".on")] for column in columns]
    parts = [stem.split(".") for stem in stems]
    shared = 0
    while len(parts) > 1 and all(len(p) > shared + 1 and p[shared] == parts[0][shared]
                                 for p in parts):
        shared += 1
    names = np.asarray([".".join(p[shared:]) for p in parts], dtype=object)
    checked = np.column_stack([
        as_text(frame[column]).str.strip().str.casefold().isin(CHECKED).to_numpy(dtype=bool)
        for column in columns
    ])
    labels = [MULTI_CHOICE_SEPARATOR.join(names[row]) or None for row in checked]
    return pd.Series(labels, dtype=object), int((checked.sum(axis=1) > 1).sum())


def map_mturk(raw: RawTable, mapping: ColumnMapping | None, *, file: str) -> Mapped:
    """Read MTurk batch results into canonical columns."""
    frame = raw.frame.reset_index(drop=True)
    names = [str(column) for column in frame.columns]
    given = mapping or ColumnMapping()
    chosen = {
        ITEM: given.item_id or _prefixed(names, "Input.", SYNONYMS[ITEM])
        or ("HITId" if "HITId" in names else None),
        ANNOTATOR: given.annotator or ("WorkerId" if "WorkerId" in names else None),
        TEXT: given.text or _prefixed(names, "Input.", SYNONYMS[TEXT]),
        TIMESTAMP: given.timestamp or find_column(names, ("submittime", "accepttime")),
        BATCH: given.batch,
        GROUP: given.annotator_group,
    }
    answers = [name for name in names if name.startswith("Answer.")]
    checkboxes = [name for name in answers if name.casefold().endswith(".on")]
    plain = [name for name in answers if name not in checkboxes]
    label_column = given.label or (plain[0] if len(plain) == 1 and not checkboxes else None)
    label_column = label_column or _prefixed(names, "Answer.", SYNONYMS[LABEL])
    missing = [key for key in (ITEM, ANNOTATOR) if chosen[key] is None]
    if missing or (label_column is None and not checkboxes):
        raise AnnotationDataError(
            f"cannot tell which columns hold {', '.join(missing) or 'the label'}; "
            f"columns found: {describe_columns(names)}",
            file=file, location="header",
            fix="name them with {item_col}, {annotator_col} or {label_col}",
        )
    for source in [*(v for v in chosen.values() if v is not None), label_column]:
        if source is not None and source not in names:
            raise AnnotationDataError(
                f"the column {source!r} does not exist; columns found: {describe_columns(names)}",
                file=file, location="header", fix="name an existing column",
            )
    mapped = pd.DataFrame({key: frame[source] for key, source in chosen.items()
                           if source is not None})
    warnings: list[str] = []
    if label_column is not None:
        mapped[LABEL] = frame[label_column]
    else:
        mapped[LABEL], multi = _checkbox_labels(frame, checkboxes)
        label_column = f"{len(checkboxes)} checkbox columns Answer.*.on"
        if multi:
            warnings.append(note("load.multi_checked", count=multi, separator=MULTI_CHOICE_SEPARATOR))
    rejected = np.zeros(len(frame), dtype=bool)
    if "AssignmentStatus" in names:
        rejected = (as_text(frame["AssignmentStatus"]).str.strip() == "Rejected").to_numpy(bool)
    used = {key: source for key, source in chosen.items() if source is not None}
    used[LABEL] = label_column
    return Mapped(mapped.loc[~rejected].reset_index(drop=True), raw.positions[~rejected],
                  raw.unit, used, rows_read=len(frame),
                  dropped={"rejected": int(rejected.sum())}, warnings=tuple(warnings))
