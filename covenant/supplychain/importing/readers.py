"""Readers per format: bytes -> sheets of rows of text. No validation here.

The format is decided by the content, never by the file name alone: spreadsheets are
often renamed, and an upload saying `.csv` can be an XLSX (read, with a warning) or a PDF
(refused, with a message saying what it is).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .result import RowError
from .xlsx import FastWorkbook, NotUnderstood, scan_sheet

# A row as read: its number as the spreadsheet shows it, the cells as text, and the
# columns (0-based) holding formulas: True when Excel saved a value for it, False if not.
Row = tuple[int, list[str], dict[int, bool] | None]


class UnreadableFile(Exception):
    """The file cannot be read at all; carries the file-level error to show."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class Sheet:
    """One table of rows. `rows()` can be called more than once (header search first)."""

    name: str
    _rows: Any  # a callable returning an iterator of Row
    notes: list[RowError] = field(default_factory=list)

    def rows(self) -> Iterator[Row]:
        return self._rows()  # type: ignore[no-any-return]


@dataclass
class Workbook:
    format: str  # "csv" or "xlsx"
    sheets: list[Sheet]
    warnings: list[RowError] = field(default_factory=list)


def _fail(message: str, hint: str = "") -> UnreadableFile:
    return UnreadableFile(RowError(None, "", message, hint))


ASK_FOR_XLSX_OR_CSV = gettext_noop(
    "Save the file as Excel Workbook (.xlsx) or as CSV and upload that."
)


def read_workbook(data: bytes, filename: str) -> Workbook:
    """Detect the format from the content and return its sheets, or raise UnreadableFile."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise _fail(_("The file is empty."), _("Upload the file with your locations in it."))
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        book = _read_zip(data)
        if ext not in ("xlsx", "xlsm"):
            book.warnings.append(
                RowError(
                    None,
                    "",
                    _(
                        "The file is called “%(filename)s” but is an Excel workbook; we read it as one."
                    )
                    % {"filename": filename},
                )
            )
        return book
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _fail(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook, which we cannot read."
            ),
            _(ASK_FOR_XLSX_OR_CSV) + " " + _("Remove any password first."),
        )
    kind = _binary_kind(data)
    if kind:
        raise _fail(
            _("This file is %(kind)s, not a spreadsheet.") % {"kind": kind}, _(ASK_FOR_XLSX_OR_CSV)
        )
    text, encoding_note = decode_text(data)
    sniff = text[:2000].lstrip().lower()
    if sniff.startswith(("<html", "<!doctype html", "<table")) or (
        sniff.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text[:4000]
    ):
        raise _fail(
            _("This file is a web page or an XML spreadsheet, not an Excel workbook or CSV."),
            _(ASK_FOR_XLSX_OR_CSV),
        )
    book = Workbook("csv", [read_csv_text(text)])
    if encoding_note:
        book.warnings.append(encoding_note)
    if ext in ("xlsx", "xlsm", "xls"):
        book.warnings.append(
            RowError(
                None,
                "",
                _("The file is called “%(filename)s” but contains plain text; we read it as CSV.")
                % {"filename": filename},
            )
        )
    return book


_MAGIC = [
    (b"%PDF", gettext_noop("a PDF document")),
    (b"\x89PNG", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"GIF8", gettext_noop("a GIF image")),
    (b"II*\x00", gettext_noop("a TIFF image")),
    (b"MM\x00*", gettext_noop("a TIFF image")),
    (b"\x1f\x8b", gettext_noop("a gzip archive")),
    (b"Rar!", gettext_noop("a RAR archive")),
    (b"7z\xbc\xaf", gettext_noop("a 7-Zip archive")),
    (b"{\\rtf", gettext_noop("an RTF document")),
]


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return _(kind)
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None  # text with a byte order mark
    sample = data[:4096]
    if b"\x00" in sample and not _looks_utf16(sample):
        return _("a binary file")
    return None


def _looks_utf16(sample: bytes) -> bool:
    # ASCII text in UTF-16 without a BOM: every other byte is NUL.
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half


def decode_text(data: bytes) -> tuple[str, RowError | None]:
    """Bytes of a text file -> str. BOMs (UTF-8/16/32) decide; else UTF-8, else UTF-16
    without BOM, else Windows-1252 (a superset of Latin-1 for text) with a warning."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), None
            except UnicodeDecodeError as e:
                raise _fail(
                    _("The file says it is %(encoding)s but is not (byte %(position)d).")
                    % {"encoding": enc.upper(), "position": e.start + len(bom)},
                    _("Save the file again as “CSV UTF-8”."),
                ) from e
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data[:4096]):
        enc = "utf-16-le" if data[1:4096:2].count(0) > data[0:4096:2].count(0) else "utf-16-be"
        try:
            return data.decode(enc), None
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, RowError(
        None,
        "",
        _("The file is not UTF-8; we read it as Windows-1252 (Western European)."),
        _("Check that accented letters look right. To be sure, save the file as “CSV UTF-8”."),
    )


_DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of
    columns (more than one); "," when nothing splits."""
    lines = [ln for ln in text[:65536].splitlines()[:60] if ln.strip()]
    if len(lines) > 1 and len(text) > 65536:
        lines = lines[:-1]  # the last line may be cut off
    best, best_score = ",", (0.0, 0)
    sample = "\n".join(lines)
    for delim in _DELIMITERS:
        if delim not in sample:
            continue
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        # Title rows above the header have fewer cells: judge on the common width.
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_text(text: str) -> Sheet:
    delimiter = sniff_delimiter(text)

    def rows() -> Iterator[Row]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                yield number, cells, None
        except csv.Error as e:
            raise _fail(
                _("Row %(row)d could not be read: %(reason)s.")
                % {"row": number + 1, "reason": str(e)},
                _("Check the quotes in that row, or save the file again from your spreadsheet."),
            ) from e

    return Sheet("", rows)


# --- XLSX -------------------------------------------------------------------------------


def _read_zip(data: bytes) -> Workbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError) as e:
        raise _fail(
            _("The file looks like an Excel workbook but is damaged."),
            _("Open it in Excel, save it again and upload that."),
        ) from e
    if not any(n.startswith("xl/") for n in names):
        if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
            raise _fail(
                _("This is an OpenDocument (LibreOffice) file, which we cannot read."),
                _(ASK_FOR_XLSX_OR_CSV),
            )
        raise _fail(
            _("This file is a ZIP archive, not a spreadsheet."),
            _("Unpack it and upload the spreadsheet inside, as .xlsx or .csv."),
        )
    try:
        fast = FastWorkbook(archive)
    except (NotUnderstood, KeyError, ValueError, IndexError, UnicodeDecodeError):
        return _read_with_openpyxl(data)
    sheets = []
    for name, path in fast.sheets:
        _has_formula, merges = fast.scan(path)
        sheets.append(Sheet(name, _fast_rows(fast, path, merges)))
    return Workbook("xlsx", sheets)


def _fast_rows(fast: FastWorkbook, path: str, merges: list[tuple[int, int, int, int]]) -> Any:
    def rows() -> Iterator[Row]:
        try:
            yield from fill_merged(fast.rows(path), merges)
        except (KeyError, ValueError, IndexError, UnicodeDecodeError, zipfile.BadZipFile) as e:
            raise _fail(
                _("The Excel workbook could not be read (%(reason)s).") % {"reason": str(e)[:200]},
                _("Open it in Excel, save it again and upload that."),
            ) from e

    return rows


def fill_merged(rows: Iterator[Row], merges: list[tuple[int, int, int, int]]) -> Iterator[Row]:
    """Give every cell of a merged range the value of its top-left cell: a header merged
    over two columns names both, a country merged down ten rows belongs to all ten."""
    if not merges:
        yield from rows
        return
    pending = list(merges)  # sorted by first row
    active: list[tuple[int, int, int, int, str]] = []
    for number, cells, formulas in rows:
        while pending and pending[0][0] < number:
            pending.pop(0)  # starts in a row we never saw
        while pending and pending[0][0] == number:
            r1, c1, r2, c2 = pending.pop(0)
            active.append((r1, c1, r2, c2, cells[c1] if c1 < len(cells) else ""))
        if active:
            for _r1, c1, _r2, c2, value in active:
                if len(cells) <= c2:
                    cells.extend([""] * (c2 + 1 - len(cells)))
                for c in range(c1, c2 + 1):
                    if not cells[c]:
                        cells[c] = value
            active = [a for a in active if a[2] > number]
        yield number, cells, formulas


def _read_with_openpyxl(data: bytes) -> Workbook:
    """The slow path, for workbooks the fast reader does not understand."""
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for damaged files
        raise _fail(
            _("The Excel workbook could not be read (%(reason)s).") % {"reason": str(e)[:200]},
            _("Open it in Excel, save it again and upload that."),
        ) from e
    visible = [ws for ws in values.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = []
    for ws in visible or values.worksheets:
        path = (getattr(ws, "_worksheet_path", "") or "").lstrip("/")
        merges = scan_sheet(archive, path)[1] if path in archive.namelist() else []
        sheets.append(Sheet(ws.title, _openpyxl_rows(data, ws, merges)))
    return Workbook("xlsx", sheets)


def _openpyxl_rows(data: bytes, ws: Any, merges: list[tuple[int, int, int, int]]) -> Any:
    def rows() -> Iterator[Row]:
        yield from fill_merged(_openpyxl_cells(data, ws), merges)

    return rows


def _openpyxl_cells(data: bytes, ws: Any) -> Iterator[Row]:
    import openpyxl

    ws.reset_dimensions()  # a wrong <dimension> would cut columns off
    # The same sheet again, for formulas: data_only hides them behind their values.
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    formulas_ws = book[ws.title]
    formulas_ws.reset_dimensions()
    formula_iter = formulas_ws.iter_rows(values_only=True)
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        formulas: dict[int, bool] | None = None
        for i, v in enumerate(next(formula_iter, ())):
            if (isinstance(v, str) and v.startswith("=")) or _is_formula_object(v):
                if formulas is None:
                    formulas = {}
                formulas[i] = i < len(values) and values[i] is not None
        yield number, cells, formulas


def _is_formula_object(v: Any) -> bool:
    # openpyxl returns ArrayFormula / DataTableFormula objects for some formulas
    return type(v).__name__ in ("ArrayFormula", "DataTableFormula")


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)
