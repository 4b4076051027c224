"""The reader registry: a format registered with a sniff is chosen by it, detection reads
no error message, each bundled sample is picked by its reader, a table is parsed once."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.data.loaded import TaskLoad
from analysis.io import tabular
from analysis.io.load_task import load_task
from analysis.io.readers.parsed import LoadOptions, Parsed
from analysis.io.readers.registry import choose, register, unregister

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


class ToyReader:
    name, task = "toy", "single_label"

    def sniff(self, parsed: Parsed) -> float:
        return 5.0 if parsed.data.startswith(b"TOY") else 0.0

    def read(self, parsed: Parsed, options: LoadOptions) -> TaskLoad:
        return TaskLoad("single_label", None, None, {"file": parsed.file, "format": "toy"})


def test_a_registered_format_is_chosen_by_its_sniff():
    register(ToyReader())
    try:
        assert load_task(b"TOY 1 2 3", name="x.toy").report["format"] == "toy"
        assert load_task(b"item,annotator,label\n1,a,x\n1,b,y\n", name="x.csv").task == "single_label"
    finally:
        unregister("toy")
    assert choose(Parsed(b"TOY", file="x.toy", options=LoadOptions())).name == "single-label"


def test_detection_does_not_read_error_messages(monkeypatch):
    tags = b"item,annotator,tags\n1,a,x|y\n1,b,x\n2,a,y\n"
    before = load_task(tags, name="tags.csv")
    original = AnnotationDataError.__init__

    def reworded(self, problem, **kwargs):
        original(self, "reworded " + problem[::-1], **kwargs)

    monkeypatch.setattr(AnnotationDataError, "__init__", reworded)
    after = load_task(tags, name="tags.csv")
    assert (before.task, before.data.labels) == (after.task, after.data.labels) == (
        "multi_label", ("x", "y"))


@pytest.mark.parametrize(("sample", "reader"), [
    ("tasks/en_trial_spans.conll", "conll"),
    ("tasks/en_trial_spans_labelstudio.json", "label-studio"),
    ("tasks/ko_trial_spans_doccano.jsonl", "doccano"),
    ("tasks/en_support_tags.csv", "label-set-table"),
    ("formats/en_support_intents_prodigy.jsonl", "single-label"),
    ("formats/ko_news_topics.parquet", "single-label"),
    ("formats/en_support_intents_wide.csv", "single-label"),
    ("ko_news_topics.csv", "single-label"),
])
def test_each_reader_picks_its_sample(sample, reader):
    path = SAMPLES / sample
    parsed = Parsed(path.read_bytes(), file=path.name, options=LoadOptions())
    assert choose(parsed).name == reader


def test_a_table_is_parsed_once(monkeypatch):
    calls = []
    original = tabular.read_delimited

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    import analysis.io.readers.parsed as parsed_module
    monkeypatch.setattr(parsed_module, "read_delimited", counted)
    rows = b"item,annotator,label\n" + b"".join(
        f"{i},{a},{lab}\n".encode() for i in range(5) for a in "ab" for lab in "xy")
    assert load_task(rows, name="sets.csv").task == "multi_label"
    assert len(calls) == 1


def test_the_built_in_formats_are_found_in_their_declared_order():
    from analysis.io.readers.registry import readers

    assert [reader.name for reader in readers()] == [
        "span-folder", "span-zip", "conll", "span-table", "label-studio", "prodigy-spans",
        "prodigy-sets", "doccano", "spans-by-annotator", "json-label-lists", "label-set-table",
        "single-label"]
    import analysis.io.readers as package

    priorities = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"analysis.io.readers.{info.name}")
        if hasattr(module, "READERS"):
            priorities[info.name] = module.PRIORITY
    assert len(set(priorities.values())) == len(priorities) == 10  # no tie left to the names


def test_a_new_reader_module_is_discovered_by_its_priority(tmp_path, monkeypatch):
    from analysis.io.readers.builtin import discover

    package = tmp_path / "toy_formats"
    package.mkdir()
    (package / "__init__.py").write_text("")
    reader = "class R:\n    task = 'single_label'\n    def __init__(self, name): self.name = name\n"
    (package / "alpha.py").write_text(reader + "PRIORITY = 20\nREADERS = (R('late'),)\n")
    (package / "zeta.py").write_text(reader + "PRIORITY = 5\nREADERS = (R('a'), R('b'))\n")
    (package / "helper.py").write_text("VALUE = 1\n")  # no READERS: not a format
    (package / "registry.py").write_text("raise RuntimeError('never imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # zeta (priority 5) before alpha (20), whatever the names' order
    assert [r.name for r in discover(importlib.import_module("toy_formats"))] == ["a", "b", "late"]
    (package / "bad.py").write_text(reader + "READERS = (R('x'),)\n")
    with pytest.raises(UsageError, match=r"toy_formats\.bad exports READERS but no int PRIORITY"):
        discover(importlib.import_module("toy_formats"))


def test_a_span_table_is_parsed_once(monkeypatch):
    import analysis.io.readers.parsed as parsed_module
    import analysis.io.spans_table as spans_table

    calls = []
    for module in (parsed_module, spans_table):
        def counted(*args, _original=module.read_delimited, **kwargs):
            calls.append(1)
            return _original(*args, **kwargs)
        monkeypatch.setattr(module, "read_delimited", counted)
    monkeypatch.setattr(spans_table, "table_columns", None)  # the reader asks the parse
    spans = b"doc_id,annotator,start,end,type\nd1,a,0,3,PER\nd1,b,0,3,PER\nd1,c,4,7,LOC\n"
    loaded = load_task(spans, name="spans.csv", texts={"d1": "Kim ran"})
    assert loaded.task == "spans" and loaded.report["format"] == "span-table"
    assert loaded.data.spans[["annotator", "start", "end", "label"]].values.tolist() == [
        ["a", 0, 3, "PER"], ["b", 0, 3, "PER"], ["c", 4, 7, "LOC"]]
    assert len(calls) == 1


def test_labels_that_differ_only_by_whitespace_are_one_label_repeated():
    rows = b"item_id,annotator,label\n" + b"".join(
        f"{i},{a},pos\n{i},{a},pos \n".encode() for i in range(20) for a in "xy")
    loaded = load_task(rows, name="spaced.csv")
    assert loaded.task == "single_label"
    assert loaded.single.report.dropped["exact_duplicate"] == 40
    assert set(loaded.single.table["label"]) == {"pos"}
    exact = load_task(rows.replace(b"pos \n", b"pos\n"), name="exact.csv")
    assert exact.single.report.dropped == loaded.single.report.dropped


@pytest.mark.parametrize("separator", ["|", ";"])
def test_a_label_separator_first_used_after_fifty_rows_is_found(separator):
    single = [f"{i},{a},pos\n" for i in range(30) for a in "xy"]  # 60 rows of one label
    sets = [f"{i},{a},pos{separator}neg\n" for i in range(30, 40) for a in "xy"]
    data = ("item_id,annotator,tags\n" + "".join(single + sets)).encode()
    loaded = load_task(data, name="tags.csv")
    assert loaded.task == "multi_label" and loaded.data.labels == ("neg", "pos")
    assert f"joined by {separator!r}" in loaded.report["warnings"][0]


def test_label_lists_first_given_after_fifty_records_are_label_sets():
    import json

    records = [{"id": i, "text": f"t{i}", "label": "pos"} for i in range(60)]
    records += [{"id": i, "text": f"t{i}", "label": ["pos", "neg"]} for i in range(60, 70)]
    data = "\n".join(json.dumps(record) for record in records).encode()
    loaded = load_task(data, name="kim.jsonl")  # doccano: one file per user, no user field
    assert loaded.task == "multi_label" and loaded.report["format"] == "json-label-lists"
    assert loaded.data.labels == ("neg", "pos")
    assert len(loaded.data.item_ids) == 70


PRODIGY = {"text": "Kim ran", "_input_hash": 1, "_task_hash": 2, "answer": "accept"}


def _doccano(who: str, end: object = 3) -> dict:
    return {"id": 1, "text": "Kim ran", "label": [[0, end, "PER"]], "annotator": who}


def _prodigy(who: str, end: object = 3) -> dict:
    return {**PRODIGY, "_annotator_id": who, "spans": [{"start": 0, "end": end, "label": "PER"}]}


@pytest.mark.parametrize(("reader", "record"), [("doccano", _doccano), ("prodigy-spans", _prodigy)])
def test_span_records_are_read_and_located_by_line(reader, record):
    import json

    def jsonl(rows):
        return "\n".join(json.dumps(row) for row in rows).encode()

    parsed = Parsed(jsonl([record("a"), record("b")]), file="spans.jsonl", options=LoadOptions())
    assert choose(parsed).name == reader
    loaded = choose(parsed).read(parsed, parsed.options)
    assert loaded.report["spans"] == 2 and loaded.report["annotators"] == 2
    assert loaded.data.spans[["annotator", "start", "end", "label"]].values.tolist() == [
        ["a", 0, 3, "PER"], ["b", 0, 3, "PER"]]
    with pytest.raises(AnnotationDataError) as error:
        load_task(jsonl([record("a"), record("b", end="x")]), name="spans.jsonl")
    assert error.value.location == "line 2"


def test_a_table_read_in_several_blocks_loads():
    # the CSV parser reads about 1 MB per block: a longer table's columns come in chunks
    rows = "".join(f"d{d},a{a},{a},{a + 5},{'PER' if a % 2 else 'LOC'}\n"
                   for d in range(20_000) for a in range(4))
    data = ("doc_id,annotator,start,end,type\n" + rows).encode()
    assert len(data) > 2**20
    loaded = load_task(data, name="spans.csv")
    assert loaded.task == "spans" and loaded.report["spans"] == 80_000
    assert loaded.report["label_counts"] == {"LOC": 40_000, "PER": 40_000}
