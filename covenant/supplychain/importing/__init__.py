"""Parsing and validating uploaded production-location lists: plain Python, no ORM.

``parse_upload(data, filename)`` runs the pipeline: reader per format (``readers``) ->
header check (``columns``) -> row validators (``validate``) -> an ``ImportResult`` with
the cleaned rows and row-level errors. Everything that is wrong with the file is an error
in the result, never an exception. Saving is the supply-chain services' job.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from django.utils.translation import gettext as _

from .columns import REQUIRED, HeaderMap, find_header
from .readers import Sheet, UnreadableFile, read_workbook
from .result import ImportResult, LocationRow, RowError
from .taxonomy import FACILITY_TYPES, PROCESSING_TYPES, TaxonomyMatch, map_facility_type
from .validate import RowBuilder

__all__ = [
    "FACILITY_TYPES",
    "HEADER_SEARCH_ROWS",
    "PROCESSING_TYPES",
    "ImportResult",
    "LocationRow",
    "RowError",
    "TaxonomyMatch",
    "map_facility_type",
    "parse_upload",
]

HEADER_SEARCH_ROWS = 20  # title rows above the header are skipped within this many


def parse_upload(
    data: bytes, filename: str, *, max_rows: int = 200_000, max_errors: int = 1000
) -> ImportResult:
    """Read an uploaded CSV or XLSX (decided by content) and validate every row.

    Returns the valid rows in file order, the errors (`ok` is False if there are any) and
    warnings. Duplicate locations are collapsed to the first. A file over `max_rows` data
    rows gives an error and no rows. At most `max_errors` errors are listed, then one more
    saying how many were left out."""
    result = ImportResult()
    overflow = 0

    def add_error(error: RowError) -> None:
        nonlocal overflow
        if len(result.errors) < max_errors:
            result.errors.append(error)
        else:
            overflow += 1

    try:
        book = read_workbook(data, filename)
        result.format = book.format
        result.warnings.extend(book.warnings)
        chosen = _choose_sheet(book.sheets, result)
        if chosen is None:
            return result
        sheet, header_row, header = chosen
        if len(book.sheets) > 1:
            result.warnings.append(
                RowError(None, "", _("We read the sheet “%(sheet)s”.") % {"sheet": sheet.name})
            )
        _read_rows(sheet, header_row, header, result, add_error, max_rows)
    except UnreadableFile as e:
        result.errors.append(e.error)
        result.rows = []
    if overflow:
        result.errors.append(
            RowError(
                None,
                "",
                _("%(count)d more problems are not listed here.") % {"count": overflow},
                _("Fix the problems above and upload the file again to see the rest."),
            )
        )
    return result


def _choose_sheet(sheets: list[Sheet], result: ImportResult) -> tuple[Sheet, int, HeaderMap] | None:
    """The first sheet whose header (within the first rows) has the required columns."""
    best: tuple[Sheet, int, HeaderMap] | None = None
    for sheet in sheets:
        head = [(number, cells) for number, cells, _f in islice(sheet.rows(), HEADER_SEARCH_ROWS)]
        found = find_header(head)
        if found is None:
            continue
        number, header = found
        if not header.missing:
            result.sheet = sheet.name
            result.columns = dict(header.columns)
            return sheet, number, header
        if best is None or len(header.fields) > len(best[2].fields):
            best = (sheet, number, header)
    if best is None:
        result.errors.append(
            RowError(
                None,
                "",
                _("The file has no rows."),
                _("Upload the file with your locations in it."),
            )
        )
        return None
    sheet, number, header = best
    result.sheet = sheet.name
    result.columns = dict(header.columns)
    found_labels = [label for label in header.labels if label] or ["—"]
    where = (
        _(" (sheet “%(sheet)s”, row %(row)d)") % {"sheet": sheet.name, "row": number}
        if sheet.name
        else _(" (row %(row)d)") % {"row": number}
    )
    result.errors.append(
        RowError(
            None,
            "",
            _("Required columns missing: %(missing)s. Columns found%(where)s: %(found)s.")
            % {
                "missing": ", ".join(header.missing),
                "where": where,
                "found": ", ".join(found_labels),
            },
            _("Name the columns %(required)s (or use the Open Supply Hub template).")
            % {"required": ", ".join(REQUIRED)},
        )
    )
    return None


def _read_rows(
    sheet: Sheet,
    header_row: int,
    header: HeaderMap,
    result: ImportResult,
    add_error: Callable[[RowError], None],
    max_rows: int,
) -> None:
    for canonical, used, kept in header.also:
        result.warnings.append(
            RowError(
                header_row,
                kept,
                _(
                    "Columns “%(used)s” and “%(kept)s” both look like %(column)s; we used “%(used)s” and kept “%(kept)s” as an extra field."
                )
                % {"used": used, "kept": kept, "column": canonical},
            )
        )
    builder = RowBuilder(header, result.errors, result.warnings, add_error)
    rows = result.rows
    seen: dict[str, int] = {}
    total = 0
    for number, cells, formulas in sheet.rows():
        if number <= header_row:
            continue
        if not any(c and not c.isspace() for c in cells):
            continue
        total += 1
        if total > max_rows:
            continue  # only counted, see below
        row = builder.build(number, cells, formulas)
        if row is None:
            continue
        first = seen.get(row.fingerprint)
        if first is not None:
            result.warnings.append(
                RowError(
                    number,
                    "",
                    _("Row %(row)d is the same location as row %(first)d; we kept row %(first)d.")
                    % {"row": number, "first": first},
                    _("Remove one of the two rows if this is a mistake."),
                )
            )
            continue
        seen[row.fingerprint] = number
        rows.append(row)
    result.total_rows = total
    for col, (first_row, count) in sorted(builder.formula_columns.items()):
        label = header.labels[col] if col < len(header.labels) else ""
        result.warnings.append(
            RowError(
                first_row,
                label,
                _(
                    "Column “%(column)s” has formulas in %(count)d rows; we used the values Excel saved."
                )
                % {"column": label, "count": count},
            )
        )
    if total == 0:
        result.errors.append(
            RowError(
                None,
                "",
                _("The file has column names but no locations."),
                _("Add one row per production location below the column names."),
            )
        )
    elif total > max_rows:
        result.rows = []
        result.errors.insert(
            0,
            RowError(
                None,
                "",
                _("The file has %(count)d rows; the limit is %(limit)d. Nothing was imported.")
                % {"count": total, "limit": max_rows},
                _("Split the list into several files, or ask the secretariat to raise the limit."),
            ),
        )
