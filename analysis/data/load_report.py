"""The load report: what was read, kept, dropped and changed, as JSON and as text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from analysis.data.kinds import ModelAnnotator

DROP_REASONS: Final[Mapping[str, str]] = {
    "empty_label": "empty label",
    "missing_item_id": "missing item id",
    "missing_annotator": "missing annotator",
    "exact_duplicate": "exact duplicate of an earlier judgement",
    "conflicting_duplicate": "conflicting duplicate, superseded by a later timestamp",
    "cancelled": "cancelled annotation (Label Studio)",
    "rejected": "rejected answer (Prodigy) or rejected assignment (MTurk)",
    "ignored": "ignored answer (Prodigy)",
    "unknown_answer": "answer neither accept, reject nor ignore (Prodigy), e.g. maybe or null",
}
"""Every reason a source judgement can be dropped; ``LoadReport.dropped`` has all keys."""

ID_LIMIT: Final = 100


@dataclass(frozen=True)
class LabelVariant:
    """Labels that differ only by case, whitespace or Unicode form.

    Attributes
    ----------
    labels : tuple of str
        The spellings found, most frequent first.
    counts : tuple of int
        Judgements per spelling, aligned with ``labels``.
    suggested : str
        The offered merge target (the most frequent spelling).
    """

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    suggested: str

    def merges(self) -> dict[str, str]:
        """The offered merge as ``{variant: target}``, ready for ``label_merges``."""
        return {label: self.suggested for label in self.labels if label != self.suggested}

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"labels": list(self.labels), "counts": list(self.counts),
                "suggested": self.suggested}


@dataclass(frozen=True)
class LoadReport:
    """What loading one file did.

    Attributes
    ----------
    file : str
        File name or path as given.
    format : str
        Layout read: one of ``analysis.io.FORMATS``.
    container : str
        Physical container: ``csv``, ``excel``, ``parquet``, ``json`` or ``jsonl``.
    encoding, delimiter, sheet : str or None
        Text encoding used, delimiter sniffed or given, Excel sheet read.
    mapping : dict
        ``{canonical column: source column or field}`` actually used.
    rows_read : int
        Source judgements seen (rows, records, or annotations).
    judgements, items, annotators : int
        What the canonical table holds.
    label_counts : dict
        Judgements per label, most frequent first.
    dropped : dict
        Judgements dropped per reason; every key of ``DROP_REASONS`` is present.
    label_variants : tuple of LabelVariant
        Groups of labels offered for merging, never merged without being asked.
    single_judgement_items : int
        Items labelled by exactly one annotator (kept; no agreement can be measured on
        them). ``single_judgement_item_ids`` lists the first 100.
    changes : dict
        Counts of values changed: ``nfc_normalised``, ``whitespace_stripped``,
        ``labels_merged``, ``invisible_removed`` (item ids and annotators that lost a
        byte-order mark, zero-width space or word joiner).
    warnings : tuple of str
        Problems that did not stop the load (e.g. unparsable timestamps, with rows).
    unused_columns : tuple of str
        Source columns of a table that no field reads (shown so that a text column
        the loader did not recognise is never lost silently).
    model_annotators : tuple of ModelAnnotator
        The annotators that are models (an LLM, a classifier) and how each was recognised
        (:mod:`analysis.io.annotator_kinds`); the counts above include them.
    """

    file: str
    format: str
    container: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    mapping: dict[str, Any]
    rows_read: int
    judgements: int
    items: int
    annotators: int
    label_counts: dict[str, int]
    dropped: dict[str, int]
    label_variants: tuple[LabelVariant, ...] = ()
    single_judgement_items: int = 0
    single_judgement_item_ids: tuple[str, ...] = ()
    changes: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    unused_columns: tuple[str, ...] = ()
    model_annotators: tuple[ModelAnnotator, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels kept, most frequent first."""
        return tuple(self.label_counts)

    @property
    def dropped_total(self) -> int:
        """Judgements dropped for any reason."""
        return sum(self.dropped.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; the key names are the ``validate --format json`` contract."""
        return {
            "file": self.file,
            "format": self.format,
            "container": self.container,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "mapping": dict(self.mapping),
            "rows_read": self.rows_read,
            "judgements": self.judgements,
            "items": self.items,
            "annotators": self.annotators,
            "labels": list(self.labels),
            "label_counts": dict(self.label_counts),
            "dropped": dict(self.dropped),
            "dropped_total": self.dropped_total,
            "label_variants": [variant.to_dict() for variant in self.label_variants],
            "single_judgement_items": self.single_judgement_items,
            "single_judgement_item_ids": list(self.single_judgement_item_ids),
            "changes": dict(self.changes),
            "warnings": list(self.warnings),
            "unused_columns": list(self.unused_columns),
            "model_annotators": [model.to_dict() for model in self.model_annotators],
        }

    def to_text(self) -> str:
        """Human-readable report (the ``validate`` command's text output)."""
        source = f"{self.format} ({self.container}"
        source += f", {self.encoding}" if self.encoding else ""
        source += f", delimiter {self.delimiter!r}" if self.delimiter else ""
        source += f", sheet {self.sheet!r}" if self.sheet else ""
        lines = [
            f"File:        {self.file}",
            f"Format:      {source})",
            "Columns:     " + ", ".join(f"{key} <- {value}" for key, value in self.mapping.items()),
            *([f"Not used:    {', '.join(self.unused_columns)}"] if self.unused_columns else []),
            f"Read:        {self.rows_read} judgements",
            f"Kept:        {self.judgements} judgements on {self.items} items "
            f"by {self.annotators} annotators",
            f"Labels:      {len(self.label_counts)}: "
            + ", ".join(f"{label} ({count})" for label, count in self.label_counts.items()),
        ]
        if self.model_annotators:
            n = len(self.model_annotators)
            lines.append(
                f"Models:      {n} of the {self.annotators} annotators "
                f"{'is a model' if n == 1 else 'are models'}, left out of the human agreement "
                "figures: " + ", ".join(
                    f"{m.annotator} ({m.judgements} judgement{'' if m.judgements == 1 else 's'}; "
                    f"{m.describe()})" for m in self.model_annotators[:10])
                + (", ..." if len(self.model_annotators) > 10 else ""))
        dropped = [(DROP_REASONS[key], count) for key, count in self.dropped.items() if count]
        lines.append(f"Dropped:     {self.dropped_total}")
        lines += [f"  - {count} {reason}" for reason, count in dropped]
        if self.label_variants:
            lines.append("Label variants (offered merges, not applied):")
            for variant in self.label_variants:
                spelled = ", ".join(
                    f"{label!r} ({count})"
                    for label, count in zip(variant.labels, variant.counts, strict=True)
                )
                lines.append(f"  - {spelled} -> {variant.suggested!r}")
        if self.single_judgement_items:
            shown = ", ".join(self.single_judgement_item_ids[:10])
            more = "" if self.single_judgement_items <= 10 else ", ..."
            lines.append(
                f"Single-judgement items: {self.single_judgement_items} (kept): {shown}{more}"
            )
        changed = [f"{count} {name.replace('_', ' ')}" for name, count in self.changes.items()
                   if count]
        if changed:
            lines.append("Changes:     " + "; ".join(changed))
        if self.warnings:
            lines.append("Warnings:")
            lines += [f"  - {warning}" for warning in self.warnings]
        return "\n".join(lines)
