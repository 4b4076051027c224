"""Span tables: one row per span (document, annotator, start, end, type), CSV or Parquet,
with the texts in the table, in a companion file or zipped beside it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.io.bundle import shown_name, with_texts
from analysis.io.load_task import load_task
from analysis.io.spans_json import annotator_spans
from analysis.io.spans_table import looks_like_span_table, read_span_table

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {"d1": "Adults aged 18-65 with asthma were enrolled.", "d2": "Forty children took part."}
ROWS = [  # one row per span; w3 read d2 and marked nothing
    ("d1", "w1", 0, 29, "P"), ("d1", "w2", 0, 6, "P"), ("d1", "w2", 12, 17, "AGE"),
    ("d2", "w1", 0, 14, "P"), ("d2", "w2", 0, 14, "P"), ("d2", "w3", None, None, None),
]


def _csv(rows=ROWS, *, text: str | None = None, sep: str = ",") -> bytes:
    frame = pd.DataFrame(rows, columns=["doc_id", "annotator", "start", "end", "type"])
    frame["start"], frame["end"] = frame["start"].astype("Int64"), frame["end"].astype("Int64")
    if text == "span":
        frame["text"] = [TEXTS[d][s:e] if pd.notna(s) else None for d, _, s, e, _ in rows]
    elif text == "document":
        frame["text"] = frame["doc_id"].map(TEXTS)
    return frame.to_csv(index=False, sep=sep).encode()


def _same_as_json(read) -> None:
    records = [{"docid": "d1", "P": {"w1": [[0, 29]], "w2": [[0, 6]]}, "AGE": {"w2": [[12, 17, "AGE"]]}},
               {"docid": "d2", "P": {"w1": [[0, 14]], "w2": [[0, 14]], "w3": []}}]
    expected = annotator_spans(records, [1, 2], file="x.jsonl", unit="line", texts=TEXTS).data
    assert read.data.spans.values.tolist() == expected.spans.values.tolist()
    assert sorted(map(tuple, read.data.judgements.values)) == sorted(map(tuple, expected.judgements.values))


def test_a_csv_of_spans_reads_like_the_same_spans_in_json() -> None:
    read = read_span_table(_csv(), file="spans.csv", texts=TEXTS)
    _same_as_json(read)
    assert read.format == "span-table" and read.dropped == {"missing_id": 0, "empty_label": 0, "exact_duplicate": 0}
    assert ("d2", "w3") in set(map(tuple, read.data.judgements.values))  # read, nothing marked


def test_parquet_semicolons_and_document_texts_in_the_table() -> None:
    frame = pd.read_csv(io.BytesIO(_csv(text="document")))
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    for data, name in ((buffer.getvalue(), "spans.parquet"), (_csv(text="document", sep=";"), "spans.csv")):
        assert looks_like_span_table(data, name=name)
        read = read_span_table(data, file=name)
        _same_as_json(read)
        assert read.data.texts == TEXTS and not read.warnings


def test_span_texts_are_checked_against_the_document() -> None:
    assert not read_span_table(_csv(text="span"), file="spans.csv", texts=TEXTS).warnings
    shifted = {key: " " + value for key, value in TEXTS.items()}  # offsets one character off
    warnings = read_span_table(_csv(text="span"), file="spans.csv", texts=shifted).warnings
    assert len(warnings) == 1 and warnings[0].startswith("5 of 5 spans' own text differs from the document")


def test_dropped_and_repeated_rows_are_counted() -> None:
    rows = [*ROWS, ("d1", "w1", 0, 29, "P"), (None, "w1", 0, 3, "P"), ("d1", "w3", 0, 3, None)]
    read = read_span_table(_csv(rows), file="spans.csv", texts=TEXTS)
    assert read.dropped == {"missing_id": 1, "empty_label": 1, "exact_duplicate": 1}
    assert len(read.data.spans) == 5


@pytest.mark.parametrize(("rows", "problem", "line"), [
    ([("d1", "w1", "zero", 3, "P")], "the span start offset 'zero' is not a whole number", "line 2"),
    ([("d1", "w1", 0, 3, "P"), ("d1", "w2", 1.5, 3, "P")], "the span start offset '1.5' is not a whole number",
     "line 3"),
    ([("d1", "w1", 0, None, "P")], "the row has a start offset or an end offset, not both", "line 2"),
], ids=["word", "fraction", "half"])
def test_bad_offsets_name_the_line(rows, problem, line) -> None:
    frame = pd.DataFrame(rows, columns=["doc_id", "annotator", "start", "end", "type"])
    with pytest.raises(AnnotationDataError) as caught:
        read_span_table(frame.to_csv(index=False).encode(), file="spans.csv")
    assert caught.value.problem == problem and caught.value.location == line


def test_detected_by_load_task_alone_with_texts_and_zipped_with_them() -> None:
    texts_csv = pd.DataFrame({"docid": list(TEXTS), "text": list(TEXTS.values())}).to_csv(index=False).encode()
    alone = load_task(_csv(), name="spans.csv")
    assert alone.task == "spans" and alone.report["format"] == "span-table" and not alone.data.texts
    with_mapping = load_task(_csv(), name="spans.csv", texts=TEXTS)
    name, bundle = with_texts(("spans.csv", _csv()), ("docs.csv", texts_csv))
    zipped = load_task(bundle, name=name)
    assert shown_name(name) == "spans.csv + docs.csv"
    for loaded in (with_mapping, zipped):
        assert loaded.task == "spans" and loaded.data.texts == TEXTS
        _same_as_json(loaded)
    single = pd.DataFrame({"item_id": ["a", "a"], "annotator": ["x", "y"], "label": ["p", "q"]})
    assert load_task(single.to_csv(index=False).encode(), name="labels.csv").task == "single_label"


def test_cli_reads_a_span_table_and_refuses_a_bad_offset_in_one_line(tmp_path: Path) -> None:
    good, bad = tmp_path / "spans.csv", tmp_path / "bad.csv"
    good.write_bytes(_csv())
    bad.write_bytes(b"doc_id,annotator,start,end,type\nd1,w1,x,3,P\n")
    run = [sys.executable, "-m", "analysis", "validate"]
    out = subprocess.run([*run, str(good)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0 and "Format:      span-table" in out.stdout and "Task:        spans" in out.stdout
    out = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "line 2" in out.stderr and "not a whole number" in out.stderr


def test_span_examples_are_cut_at_word_boundaries_with_the_disputed_text_marked() -> None:
    from analysis.data.judgements import SpanData
    from analysis.tasks.spans.ambiguity import span_ambiguity
    from analysis.tasks.spans.view import example_html

    filler = "The trial enrolled many prostitutes and special groups of outpatients in the clinics "
    texts, spans = {}, []
    for i in range(12):
        text = filler + f"adults aged {18 + i}-65 years with moderate asthma " + filler
        start = text.index("adults")
        texts[f"d{i}"] = text
        spans += [(f"d{i}", "w1", start, text.index(" with"), "P"), (f"d{i}", "w2", start, text.index(" years"), "P")]
    clusters = span_ambiguity(SpanData.build(spans, texts=texts))["clusters"]
    examples = [example for cluster in clusters for example in cluster["examples"]]
    assert examples
    for example in examples:
        text, low = texts[example["item_id"]], example["context_start"]
        context = example["context"]
        assert text[low:low + len(context)] == context
        assert low == 0 or text[low - 1].isspace()  # never starts inside a word
        end = low + len(context)
        assert end == len(text) or text[end].isspace()
        assert text[example["disputed_start"]:example["disputed_end"]] == example["text"] == " years"
        shown = example_html(example, document_length=len(text))
        assert shown.startswith("… ") and shown.endswith(" …")
        assert shown.split("<mark")[1].split(">", 1)[1].startswith(" years</mark>")
