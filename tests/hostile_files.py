"""Small hostile inputs, generated in memory: spreadsheets that inflate, pad or break.

Each builder returns the bytes of a file of a few kilobytes (at most a few MB) that, read
naively, would take gigabytes or crash a parser. Used by ``tests/test_hostile_inputs.py``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline_cell(ref: str, value: str) -> str:
    """One inline-string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx(sheet_xml_parts: Iterable[str | bytes], *, dimension: str = "A1") -> bytes:
    """A minimal workbook whose sheet data is the concatenation of ``sheet_xml_parts``
    (each a ``<row>`` string or bytes), streamed into the zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">'
                f'<dimension ref="{dimension}"/><sheetData>'.encode()
            )
            for part in sheet_xml_parts:
                sheet.write(part.encode() if isinstance(part, str) else part)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def table_rows(rows: list[list[str]], *, first_row: int = 1) -> list[str]:
    """``<row>`` elements for a small table of strings."""
    out = []
    for offset, values in enumerate(rows):
        number = first_row + offset
        cells = "".join(
            inline_cell(f"{chr(65 + index)}{number}", value) for index, value in enumerate(values)
        )
        out.append(f'<row r="{number}">{cells}</row>')
    return out


JUDGEMENTS = [["item", "annotator", "label"], ["1", "a", "x"], ["1", "b", "y"], ["2", "a", "x"],
              ["2", "b", "x"]]


def far_corners() -> bytes:
    """A valid table plus cells at XFD1 and A1048576: 17 billion cells if padded."""
    rows = table_rows(JUDGEMENTS)
    rows[0] = rows[0].replace("</row>", inline_cell("XFD1", "far") + "</row>")
    rows.append(f'<row r="1048576">{inline_cell("A1048576", "far")}</row>')
    return xlsx(rows, dimension="A1:XFD1048576")


def one_huge_cell(n_bytes: int) -> bytes:
    """A valid table whose last label is one string of ``n_bytes`` bytes."""
    rows = table_rows(JUDGEMENTS[:-1])
    chunk = b"a" * (1 << 20)

    def parts() -> Iterable[str | bytes]:
        yield from rows
        yield b'<row r="5"><c r="A5" t="inlineStr"><is><t>2</t></is></c>'
        yield b'<c r="B5" t="inlineStr"><is><t>b</t></is></c><c r="C5" t="inlineStr"><is><t>'
        for _ in range(n_bytes // len(chunk)):
            yield chunk
        yield b"</t></is></c></row>"

    return xlsx(parts())


def many_rows_styled(n_rows: int) -> bytes:
    """A valid table, then ``n_rows`` rows that each hold only a formatted empty cell at
    the last column (openpyxl keeps each row's format; padding makes 16,384 cells a row)."""
    def parts() -> Iterable[str]:
        yield from table_rows(JUDGEMENTS)
        for number in range(6, 6 + n_rows):
            yield f'<row r="{number}" ht="20" customHeight="1"><c r="XFD{number}" s="0"/></row>'

    return xlsx(parts(), dimension=f"A1:XFD{6 + n_rows}")


def wide_header_csv(n_columns: int) -> bytes:
    """A CSV whose header has ``n_columns`` columns (7 bytes each) and two rows."""
    header = ",".join(f"c{i}" for i in range(n_columns))
    return f"{header}\n1,a,x\n1,b,y\n".encode()


def json_square(n_records: int) -> bytes:
    """JSON records that each add a new field: n records x n fields if tabulated."""
    records = ",".join(
        f'{{"item":"{i % 50}","annotator":"a{i % 7}","label":"x","f{i}":1}}'
        for i in range(n_records)
    )
    return f"[{records}]".encode()


def parquet_rows(n_rows: int, *, label_bytes: int = 1) -> bytes:
    """A Parquet file of ``n_rows`` identical judgements (label ``label_bytes`` long):
    a few KB once dictionary- and run-length encoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    zeros = pa.nulls(n_rows, pa.int32()).fill_null(0)

    def repeated(value: str) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(zeros, pa.array([value]))

    table = pa.table({"item": repeated("1"), "annotator": repeated("a"),
                      "label": repeated("x" * label_bytes)})
    buffer = io.BytesIO()
    # Without the Arrow schema in the footer, as most writers produce it.
    pq.write_table(table, buffer, compression="zstd", store_schema=False)
    return buffer.getvalue()


def malformed_xml() -> bytes:
    """A workbook whose sheet XML is cut off in the middle of a tag."""
    return xlsx(["<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>item</t></is></c><c r="])


MEMORY_BUDGET_MB = 1024
"""Peak memory any input under 10 MB may take to load (or to be refused)."""

_MEASURE = """
import resource, sys
from analysis.base.errors import AnnotationDataError
from analysis.io import load_annotations
try:
    result = load_annotations(sys.argv[1])
    outcome = f"loaded {result.report.judgements}"
except AnnotationDataError as error:
    outcome = f"refused {error}"
# VmHWM is this program's own peak: ru_maxrss keeps the parent's high-water mark across
# fork and exec, so a large test process would be counted against a small load
try:
    with open("/proc/self/status") as status:
        peak_mb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{peak_mb:.0f}\\t{outcome}")
"""


def load_in_subprocess(path: str, *, timeout: float = 60.0,
                       env: dict[str, str] | None = None) -> tuple[float, str]:
    """Load ``path`` with ``load_annotations`` in a fresh interpreter; return its peak
    resident memory in MB and ``"loaded N"`` or ``"refused MESSAGE"``.

    The child's address space is capped at 4 GiB, so a regression fails this test
    with a ``MemoryError`` instead of exhausting the machine that runs the suite.
    """
    import os
    import resource
    import subprocess
    import sys
    from pathlib import Path

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, path], capture_output=True, text=True,
        timeout=timeout, cwd=root, preexec_fn=cap,
        env={**os.environ, "PYTHONPATH": str(root), **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    peak, outcome = done.stdout.strip().split("\t", 1)
    return float(peak), outcome


# --- shapes whose pairs grow with the square of the judgements per item ---------------
# Real crowd shapes (thousands of workers on a few items), a few hundred KB each.


def crowd_csv(n_annotators: int = 10_000, n_items: int = 2, *, seed: int = 0) -> bytes:
    """Every one of ``n_annotators`` labels every one of ``n_items`` items (x or y)."""
    import numpy as np

    labels = np.random.default_rng(seed).choice(["x", "y"], size=n_annotators * n_items)
    rows = "".join(f"{k % n_items},w{k // n_items},{label}\n" for k, label in enumerate(labels))
    return ("item,annotator,label\n" + rows).encode()


def label_studio_crowd(n_annotations: int = 40_000, *, spans: bool = False) -> bytes:
    """One Label Studio task with ``n_annotations`` annotations (choices, or one span each)."""
    import json

    def result(k: int) -> dict:
        if spans:
            return {"from_name": "ner", "to_name": "text", "type": "labels",
                    "value": {"start": 0, "end": 3 + k % 3, "labels": ["PER"]}}
        return {"from_name": "sentiment", "to_name": "text", "type": "choices",
                "value": {"choices": ["pos" if k % 3 else "neg"]}}

    task = {"id": 1, "data": {"text": "Kim Lee ran home"},
            "annotations": [{"completed_by": k, "result": [result(k)]} for k in range(n_annotations)]}
    return json.dumps([task]).encode()


def doccano_crowd(n_annotators: int = 20_000) -> bytes:
    """doccano JSONL: ``n_annotators`` annotators each mark one or two spans of one text."""
    import json

    lines = [json.dumps({"id": 1, "text": "Kim Lee in Rome", "annotator": f"a{k}",
                         "label": [[0, 3 + k % 2, "PER"]] + ([[8, 11, "LOC"]] if k % 3 else [])})
             for k in range(n_annotators)]
    return ("\n".join(lines) + "\n").encode()


def annotator_spans_crowd(n_workers: int = 3_000, n_docs: int = 2) -> bytes:
    """Spans by annotator (PICO-style JSONL): ``n_workers`` workers on each document."""
    import json

    records = [{"docid": str(d), "text": "Adults aged 18 to 65 with asthma",
                "Participants": {f"w{k}": [[0, 6 + k % 3]] + ([[21, 32]] if k % 2 else [])
                                 for k in range(n_workers)}}
               for d in range(n_docs)]
    return ("\n".join(json.dumps(r) for r in records) + "\n").encode()


def conll_workers(n_workers: int = 2_000, n_tokens: int = 40) -> bytes:
    """One CoNLL sentence of ``n_tokens`` tokens tagged by ``n_workers`` worker columns."""
    lines = []
    for t in range(n_tokens):
        tags = " ".join(("B-PER" if t % 10 == 0 else "I-PER" if t % 10 == 1 and w % 2 else "O")
                        for w in range(n_workers))
        lines.append(f"tok{t} {tags}")
    return ("\n".join(lines) + "\n").encode()


def conll_long_sentence(n_tokens: int = 600_000) -> bytes:
    """One CoNLL sentence of ``n_tokens`` tokens and two annotators."""
    lines = [f"t{t % 97} {'B-X' if t % 50 == 0 else 'O'} {'B-X' if t % 40 == 0 else 'O'}"
             for t in range(n_tokens)]
    return ("\n".join(lines) + "\n").encode()


# --- parsers: nesting, long numbers, span offsets, zip members, headers --------------


def deep_json(depth: int = 3_000, *, lines: bool = False) -> bytes:
    """A valid judgement, then one whose label is nested ``depth`` arrays deep."""
    good = '{"item": "1", "annotator": "a", "label": "x"}'
    deep = '{"item": "1", "annotator": "b", "label": ' + "[" * depth + "]" * depth + "}"
    return (f"{good}\n{deep}\n" if lines else f"[{good}, {deep}]").encode()


def long_number_json(digits: int = 5_000, *, lines: bool = False) -> bytes:
    """A valid judgement, then one whose item id is an integer of ``digits`` digits."""
    good = '{"item": 1, "annotator": "a", "label": "x"}'
    bad = '{"item": ' + "9" * digits + ', "annotator": "b", "label": "x"}'
    return (f"{good}\n{bad}\n" if lines else f"[{good}, {bad}]").encode()


def doccano_offset(offset: str) -> bytes:
    """doccano JSONL whose second annotator's span ends at ``offset`` (raw JSON text:
    ``NaN``, ``Infinity``, ``1e400``, thousands of digits)."""
    return ('{"id": 1, "text": "hello world", "label": [[0, 5, "A"]], "annotator": "a"}\n'
            '{"id": 1, "text": "hello world", "label": [[0, ' + offset
            + ', "A"]], "annotator": "b"}\n').encode()


def label_studio_offset(offset: str) -> bytes:
    """A Label Studio task whose second annotation's span ends at ``offset`` (raw JSON)."""
    def annotation(who: int, end: str) -> str:
        return (f'{{"completed_by": {who}, "result": [{{"from_name": "ner", "to_name": "text", '
                f'"type": "labels", "value": {{"start": 0, "end": {end}, "labels": ["A"]}}}}]}}')
    return ('[{"id": 1, "data": {"text": "hello world"}, "annotations": ['
            + annotation(1, "5") + ", " + annotation(2, offset) + "]}]").encode()


def brat_files(offset: str, *, texts: bool = True) -> dict[str, str]:
    """A brat collection of two annotators (``{path: text}``), the second's span ending at
    ``offset``; without the ``.txt`` files when ``texts`` is False (offsets unchecked)."""
    files = {"ann1/doc.ann": "T1\tA 0 5\thello\n", "ann2/doc.ann": f"T1\tA 0 {offset}\thello\n"}
    if texts:
        files |= {"ann1/doc.txt": "hello world", "ann2/doc.txt": "hello world"}
    return files


def zip_with(files: dict[str, str], *, flag_bits: int = 0, method: int | None = None) -> bytes:
    """A zip of ``files`` whose headers are patched: ``flag_bits`` or-ed in (1: encrypted),
    every member's compression ``method`` replaced (9: Deflate64, 93: Zstandard)."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    data = bytearray(buffer.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            flags = struct.unpack_from("<H", data, start + flags_at)[0] | flag_bits
            struct.pack_into("<H", data, start + flags_at, flags)
            if method is not None:
                struct.pack_into("<H", data, start + flags_at + 2, method)
            start = data.find(signature, start + 4)
    return bytes(data)


def quoted_header_csv(n_columns: int, *, rows: int = 2) -> bytes:
    """A wide CSV whose first header cell holds a quoted line break, then ``n_columns``
    annotator columns (the first physical line has no delimiter)."""
    header = '"item\nid",' + ",".join(f"w{i}" for i in range(n_columns))
    body = "".join(f"i{r}," + ",".join("x" if (i + r) % 50 == 0 else "" for i in range(n_columns))
                   + "\n" for r in range(rows))
    return (header + "\n" + body).encode()


def classic_mac_csv(n_rows: int = 6_000) -> bytes:
    """A long CSV of four columns whose lines end in a bare carriage return."""
    rows = ["item,annotator,label,time"] + [
        f"{i // 3},a{i % 3},{'xy'[i % 2]},2020-01-0{1 + i % 9}" for i in range(n_rows)]
    return ("\r".join(rows) + "\r").encode()


_COMMAND = """
import resource, subprocess, sys
code = subprocess.run([sys.executable, "-m", "analysis", *sys.argv[1:]],
                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{peak_mb:.0f}\\t{code.returncode}\\t{' '.join(code.stderr.split())[:2000]}")
"""


def command_in_subprocess(*args: str, timeout: float = 300.0) -> tuple[float, int, str]:
    """Run ``python -m analysis ARGS`` in a fresh interpreter with its address space
    capped at 4 GiB; return its peak resident memory in MB, exit code and standard error
    (one line)."""
    import os
    import resource
    import subprocess
    import sys
    from pathlib import Path

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _COMMAND, *args], capture_output=True, text=True,
        timeout=timeout, cwd=root, preexec_fn=cap,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    peak, code, err = done.stdout.rstrip("\n").split("\t", 2)
    return float(peak), int(code), err


# --- silent changes -------------------------------------------------------------------


def prodigy_answers(answers: list[object], *, binary: bool = True) -> bytes:
    """Prodigy JSONL: item ``k`` answered ``answers[k]`` by alice and ``accept`` by bob
    (binary ``label``/``answer`` records, or choice records accepting ``x``)."""
    import json

    records = []
    for k, answer in enumerate(answers):
        for who in ("alice", "bob"):
            record: dict[str, object] = {"text": f"t{k}", "_input_hash": k, "_annotator_id": who,
                                         "answer": answer if who == "alice" else "accept"}
            record |= {"label": "POS"} if binary else {"options": [{"id": "x"}], "accept": ["x"]}
            records.append(record)
    return ("\n".join(json.dumps(r) for r in records) + "\n").encode()


def invisible_labels_csv() -> bytes:
    """Items 0-4: 'pos' spelled with zero-width or filler characters against a plain 'pos';
    items 5-7: labels of invisible characters only; item 8's ids start with a BOM on one row."""
    spelled = ["pos\u200b", "po\u200bs", "\u3164pos", "pos\u115f", "pos"]
    blank = ["\u200b", "\u3164", "\u2800"]
    rows = ["item,annotator,label"]
    for k, label in enumerate(spelled + blank):
        rows += [f"{k},a,{label}", f"{k},b,pos"]
    rows += ["\ufeff8,a,neg", "8,b,neg", "9,\ufeffa,neg", "9,b,neg"]
    return ("\n".join(rows) + "\n").encode()
