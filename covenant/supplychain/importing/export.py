"""Writers for downloads (the published list): CSV, XLSX and JSON.

Every text cell goes through `escape_cell`, so a spreadsheet never runs a value someone
uploaded as a formula (OWASP "CSV injection"): "=HYPERLINK(...)" is written as
"'=HYPERLINK(...)", which Excel and LibreOffice show as text.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_cell(value: Any) -> str:
    """The value as text, prefixed with a single quote when a spreadsheet would read it
    as a formula (it starts with =, +, -, @, tab, CR or LF, also after leading spaces, or
    their full-width forms). None -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number is not a formula, and "-3.5" must stay a number
    text = str(value)
    if text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


Row = Mapping[str, Any] | Any  # a mapping, or a dataclass such as LocationRow


def _get(row: Row, column: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(column)
    value = getattr(row, column, None)
    if value is None and hasattr(row, "extra"):
        return row.extra.get(column)
    return value


def write_csv(rows: Iterable[Row], columns: Sequence[str]) -> bytes:
    """CSV, UTF-8 with a BOM (so Excel detects the encoding), a header of `columns`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_cell(c) for c in columns])
    for row in rows:
        writer.writerow([escape_cell(_get(row, c)) for c in columns])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[Row], columns: Sequence[str], *, sheet: str = "Locations") -> bytes:
    """XLSX (openpyxl write-only, streamed): every cell a string, escaped."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append([escape_cell(c) for c in columns])
    for row in rows:
        ws.append([_xlsx_text(_get(row, c)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_text(value: Any) -> str:
    text = escape_cell(value)
    # openpyxl refuses control characters that XML cannot hold
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    return text


def write_json(rows: Iterable[Row], columns: Sequence[str] | None = None) -> bytes:
    """A JSON array of objects (UTF-8). Values are not escaped: JSON is not opened by a
    spreadsheet, and consumers need the data as it is."""
    items: list[dict[str, Any]] = []
    for row in rows:
        if columns is not None:
            items.append({c: _get(row, c) for c in columns})
        elif isinstance(row, Mapping):
            items.append(dict(row))
        elif dataclasses.is_dataclass(row) and not isinstance(row, type):
            items.append(dataclasses.asdict(row))
        else:
            raise TypeError(f"cannot write {type(row).__name__} as JSON without columns")
    return json.dumps(items, ensure_ascii=False, indent=None).encode("utf-8")
