"""What parsing an upload returns: cleaned rows and the problems a person can fix."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, told so a person can fix it.

    `row` is the row number as the spreadsheet shows it (header counts, 1-based), None for a
    problem with the whole file; `column` is the column as the file names it, or ""."""

    row: int | None
    column: str
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class LocationRow:
    """One valid, cleaned production location from the upload.

    `country` is ISO 3166-1 alpha-2; `facility_type` is a taxonomy code (see
    ``taxonomy.FACILITY_TYPES``) or "" when the text did not map (the text is then in
    `facility_type_raw`); `processing_type` holds taxonomy processing-type codes separated
    by "|" when every part of the text mapped, otherwise the text as written;
    `number_of_workers` is the upper bound when a range was given; `extra` holds unknown
    columns as sent; `fingerprint` identifies the location across uploads."""

    row_number: int
    name: str
    address: str
    country: str
    city: str = ""
    province: str = ""
    postal_code: str = ""
    lat: float | None = None
    lng: float | None = None
    facility_type: str = ""
    facility_type_raw: str = ""
    processing_type: str = ""
    product_type: str = ""
    number_of_workers: int | None = None
    parent_company: str = ""
    tier: str = ""
    os_id: str = ""
    supplier_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""


@dataclass(slots=True)
class ImportResult:
    """The outcome of `parse_upload`: valid rows in file order, errors, warnings.

    `total_rows` counts the data rows seen (empty rows excluded); `columns` maps each file
    header to the canonical column it was read as ("extra" for kept unknown columns);
    `sheet` is the worksheet read for XLSX. The upload may be accepted only when `ok`."""

    rows: list[LocationRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    format: str = ""
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors
