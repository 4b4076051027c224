"""Reading multi-annotator label exports into the canonical table.

``load_task`` (:mod:`analysis.io.load_task`) reads an export of any task type: the
export is read once and the reader of :mod:`analysis.io.readers` whose sniff scores
highest reads it. ``load_annotations`` is its single-label reader: it decodes the text,
maps the columns, applies the hygiene rules of :mod:`analysis.io.hygiene` and returns the
table with a :class:`LoadReport` of what was kept, dropped and changed.

Modules: ``readers`` (one per format, and the registry), ``decode`` (bytes, encodings,
delimiters), ``detect`` (containers, format names), ``columns`` (the synonym table),
``tabular``, ``excel``, ``json_export`` (CSV/Excel/Parquet/JSON readers), ``long``,
``wide``, ``label_studio``, ``prodigy``, ``mturk`` (layouts), ``values`` (cell types),
``hygiene`` (normalisation, duplicates, variants), ``annotator_kinds`` (which annotators
are models), ``multilabel`` (label sets), ``spans_json``, ``spans_table``, ``spans_text``
(span exports and their texts files), ``export`` (safe CSV out). The load report itself is
:mod:`analysis.data.load_report`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.data.kinds import ModelAnnotator
    from analysis.data.load_report import DROP_REASONS, LabelVariant, LoadReport
    from analysis.data.loaded import LoadResult
    from analysis.io.annotator_kinds import mark_models
    from analysis.io.columns import SYNONYMS, ColumnMapping
    from analysis.io.detect import FORMATS
    from analysis.io.hygiene import merge_labels
    from analysis.io.load import load_annotations
    from analysis.io.wide import from_wide, to_wide

_HOMES = {
    "DROP_REASONS": "analysis.data.load_report", "FORMATS": "analysis.io.detect",
    "SYNONYMS": "analysis.io.columns", "ColumnMapping": "analysis.io.columns",
    "LabelVariant": "analysis.data.load_report", "LoadReport": "analysis.data.load_report",
    "LoadResult": "analysis.data.loaded", "ModelAnnotator": "analysis.data.kinds",
    "from_wide": "analysis.io.wide", "load_annotations": "analysis.io.load",
    "mark_models": "analysis.io.annotator_kinds", "merge_labels": "analysis.io.hygiene",
    "to_wide": "analysis.io.wide",
}

__all__ = [
    "DROP_REASONS",
    "FORMATS",
    "SYNONYMS",
    "ColumnMapping",
    "LabelVariant",
    "LoadReport",
    "LoadResult",
    "ModelAnnotator",
    "from_wide",
    "load_annotations",
    "mark_models",
    "merge_labels",
    "to_wide",
]


def __getattr__(name: str) -> Any:
    # start-up: a name loads its module on first use, so that importing one module of
    # the package (a reader, the core types) does not import every reader
    if name not in _HOMES:
        raise AttributeError(f"module 'analysis.io' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
