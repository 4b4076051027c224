"""The readers of the formats the product reads, in the order they are registered."""

from __future__ import annotations

from analysis.io.readers.archives import FolderReader, ZipReader
from analysis.io.readers.conll import ConllReader
from analysis.io.readers.doccano import DoccanoReader
from analysis.io.readers.label_lists import LabelListsReader
from analysis.io.readers.label_set_table import LabelSetTableReader
from analysis.io.readers.label_studio import LabelStudioReader
from analysis.io.readers.prodigy import ProdigySetsReader, ProdigySpansReader
from analysis.io.readers.reader import Reader
from analysis.io.readers.single_label import SingleLabelReader
from analysis.io.readers.span_json import AnnotatorSpansReader
from analysis.io.readers.span_table import SpanTableReader

BUILTIN_READERS: tuple[Reader, ...] = (
    FolderReader(), ZipReader(), ConllReader(), SpanTableReader(), LabelStudioReader(),
    ProdigySpansReader(), ProdigySetsReader(), DoccanoReader(), AnnotatorSpansReader(),
    LabelListsReader(), LabelSetTableReader(), SingleLabelReader(),
)
