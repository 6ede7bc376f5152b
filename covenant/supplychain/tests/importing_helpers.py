"""Builders for upload files in tests: CSV bytes, XLSX via openpyxl, hand-made XLSX XML."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import openpyxl


def csv_bytes(lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def xlsx_bytes(
    sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    """A workbook written by openpyxl (formulas get no saved value, as with openpyxl)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_cached_values(data: bytes, cached: dict[str, str], sheet: int = 1) -> bytes:
    """Give formula cells the value Excel would have saved: {"C2": "CN"}."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet}.xml":
                for ref, value in cached.items():
                    body = re.sub(
                        rb'<c r="' + ref.encode() + rb'"([^>]*)>(<f>.*?</f>)<v\s*/>',
                        rb'<c r="'
                        + ref.encode()
                        + rb'"\1 t="str">\2<v>'
                        + escape(value).encode()
                        + b"</v>",
                        body,
                    )
            dst.writestr(item, body)
    return out.getvalue()


def excel_like_xlsx(rows: list[list[str]], *, prefix: str = "", extra_cell_xml: str = "") -> bytes:
    """A workbook laid out as Excel saves it: shared strings (one with rich-text runs),
    attributes r, s, t, optionally every element with a namespace prefix ("x:")."""
    strings: list[str] = []
    index: dict[str, int] = {}
    p = prefix + ":" if prefix else ""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            if value == "":
                continue
            ref = f"{chr(65 + c)}{r}"
            if value.replace(".", "", 1).lstrip("-").isdigit():
                cells.append(f'<{p}c r="{ref}" s="1"><{p}v>{value}</{p}v></{p}c>')
            else:
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                cells.append(f'<{p}c r="{ref}" s="1" t="s"><{p}v>{index[value]}</{p}v></{p}c>')
        if r == len(rows) and extra_cell_xml:
            cells.append(extra_cell_xml)
        body.append(f'<{p}row r="{r}" spans="1:{len(row)}">{"".join(cells)}</{p}row>')
    ns = 'xmlns{}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'.format(
        ":" + prefix if prefix else ""
    )
    sst = "".join(
        f"<{p}si><{p}r><{p}t>{escape(s[:2])}</{p}t></{p}r><{p}r><{p}t>{escape(s[2:])}</{p}t></{p}r></{p}si>"
        if i == 0 and len(s) > 2
        else f"<{p}si><{p}t>{escape(s)}</{p}t></{p}si>"
        for i, s in enumerate(strings)
    )
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<?xml version="1.0"?><{p}workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><{p}sheets><{p}sheet name="Blad1" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><{p}sst {ns} count="{len(strings)}">{sst}</{p}sst>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><{p}worksheet {ns}><{p}sheetData>{"".join(body)}</{p}sheetData></{p}worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def errors(result) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result.errors]


def warnings(result) -> list[tuple]:
    return [(w.row, w.column, w.message) for w in result.warnings]
