"""Reading multi-annotator label exports into the canonical table.

``load_annotations`` detects the format (long CSV/TSV, Excel, Parquet, JSON, JSONL, wide
tables, Label Studio, Prodigy, MTurk), decodes the text, maps the columns, applies the
hygiene rules of :mod:`analysis.io.hygiene` and returns the table with a
:class:`LoadReport` of what was kept, dropped and changed.

Modules: ``decode`` (bytes, encodings, delimiters), ``detect`` (containers, format names),
``columns`` (the synonym table), ``tabular`` (CSV/Excel/Parquet/JSON readers), ``long``,
``wide``, ``label_studio``, ``prodigy``, ``mturk`` (layouts), ``values`` (cell types),
``hygiene`` (normalisation, duplicates, variants), ``annotator_kinds`` (which annotators
are models), ``report`` and ``load``.
"""

from analysis.data.kinds import ModelAnnotator
from analysis.data.load_report import DROP_REASONS, LabelVariant, LoadReport
from analysis.io.annotator_kinds import mark_models
from analysis.io.columns import SYNONYMS, ColumnMapping
from analysis.io.detect import FORMATS
from analysis.io.hygiene import merge_labels
from analysis.io.load import LoadResult, load_annotations
from analysis.io.wide import from_wide, to_wide

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
