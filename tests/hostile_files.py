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


def malformed_xml() -> bytes:
    """A workbook whose sheet XML is cut off in the middle of a tag."""
    return xlsx(["<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>item</t></is></c><c r="])
