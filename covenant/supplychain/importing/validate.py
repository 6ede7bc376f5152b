"""Row validators: cells of one row -> a cleaned LocationRow, or the errors a person fixes.

Per-row work is kept small (100,000 rows in a few seconds): column positions are worked
out once from the header, country and taxonomy look-ups are cached, messages are only
built for rows that have a problem.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext as _

from covenant.matching.countries import country_code

from .columns import HeaderMap
from .result import LocationRow, RowError
from .taxonomy import map_facility_type

# Longest cleaned value per column (the database columns are sized to match).
LIMITS: dict[str, int] = {
    "name": 300,
    "address": 500,
    "city": 120,
    "province": 120,
    "postal_code": 30,
    "facility_type": 200,
    "processing_type": 120,
    "product_type": 200,
    "parent_company": 300,
    "tier": 20,
    "os_id": 30,
    "supplier_id": 100,
    "lat": 40,
    "lng": 40,
    "number_of_workers": 40,
}
EXTRA_LIMIT = 1000
MAX_WORKERS = 1_000_000

EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
_OS_ID = re.compile(r"^[A-Z]{2}\d{7}[A-Z0-9]{6}$")
_WORD = re.compile(r"[^\W_]+")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*$")
_WORKERS = re.compile(
    r"^(?:approx\.?|approximately|about|circa|ca\.?|c\.|~|±|≈|<|>|<=|>=|up to|max\.?)?\s*"
    r"(\d[\d.,' \u00a0\u202f]*?)\s*"
    r"(?:(?:-|–|—|to|tot|bis|à|a)\s*(\d[\d.,' \u00a0\u202f]*?))?\s*\+?\s*"
    r"(?:workers|employees|people|persons|werknemers|medewerkers|mitarbeiter|personen)?$",
    re.IGNORECASE,
)


def normal(text: str) -> str:
    """The form used for fingerprints and duplicates: case, width, spacing and
    punctuation ignored ("Co.,Ltd" = "CO. LTD")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(_WORD.findall(text.casefold()))


def fingerprint(name: str, address: str, country: str, city: str, postal_code: str) -> str:
    """sha256 of the normalised name|address|country|city|postal_code: the same location
    gets the same fingerprint next year even if capitalisation or spacing changed."""
    key = "|".join(
        (
            normal(name),
            normal(address),
            country.upper(),
            normal(city),
            normal(postal_code).replace(" ", ""),
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _clean(value: str) -> str:
    if not value:
        return ""
    if not value.isprintable() or "  " in value:
        value = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    else:
        value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        value = value[1:]  # our own export's formula escape, read back
    return value


def _clean_address(value: str) -> str:
    if "\n" in value or "\r" in value:
        lines = (_clean(line).strip(" ,") for line in value.splitlines())
        return ", ".join(line for line in lines if line)
    return _clean(value)


def parse_coordinate(text: str) -> float | None:
    text = text.strip().replace("\u2212", "-")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole_number(text: str) -> int | None:
    text = text.strip(" .,'\u00a0\u202f")
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"\D", "", text))
    return None


def parse_workers(text: str) -> int | None:
    """ "1200", "1,200", "1.200", "1 200", "about 300", "500+" -> the number; a range
    "100-200" -> its upper bound (the most workers the company says may be affected);
    None when it is not a whole number of workers."""
    m = _WORKERS.match(text.strip())
    if not m:
        return None
    low = _whole_number(m[1])
    if low is None:
        return None
    if m[2]:
        high = _whole_number(m[2])
        if high is None:
            return None
        return max(low, high)
    return low


class RowBuilder:
    """Validates rows against one header. Errors and warnings go to the lists given;
    `errors_full` tells the caller to stop collecting more."""

    def __init__(
        self,
        header: HeaderMap,
        errors: list[RowError],
        warnings: list[RowError],
        add_error: Callable[[RowError], None],
    ) -> None:
        self.h = header
        self.warnings = warnings
        self.add_error = add_error
        self.single: list[tuple[str, int]] = []
        self.joined: list[tuple[str, list[int]]] = []
        for canonical, idx in header.fields.items():
            if len(idx) == 1:
                self.single.append((canonical, idx[0]))
            else:
                self.joined.append((canonical, idx))
        self.extras = header.extras
        self.col_field = {i: c for c, idx in header.fields.items() for i in idx}
        self.formula_columns: dict[int, list[int]] = {}  # column -> [first row, count]

    def label(self, canonical: str) -> str:
        return self.h.label(canonical)

    def error(self, row: int, canonical: str, message: str, hint: str = "") -> None:
        self.add_error(RowError(row, self.label(canonical), message, hint))

    def warn(self, row: int, canonical: str, message: str, hint: str = "") -> None:
        self.warnings.append(
            RowError(row, self.label(canonical) if canonical else "", message, hint)
        )

    def build(
        self, number: int, cells: list[str], formulas: dict[int, bool] | None
    ) -> LocationRow | None:
        ok = True
        rejected: list[str] = []
        if formulas:
            for col, has_value in formulas.items():
                if has_value:
                    seen = self.formula_columns.setdefault(col, [number, 0])
                    seen[1] += 1
                else:
                    ok = False
                    if col in self.col_field:
                        rejected.append(self.col_field[col])
                    self.add_error(
                        RowError(
                            number,
                            self.h.labels[col] if col < len(self.h.labels) else "",
                            _("This cell has a formula but no saved value."),
                            _(
                                "Open the file in Excel, let it calculate, save it and upload it again."
                            ),
                        )
                    )
        n = len(cells)
        v: dict[str, str] = {}
        for canonical, i in self.single:
            if i < n:
                raw = cells[i]
                if raw:
                    v[canonical] = raw
        for canonical, idx in self.joined:
            parts: list[str] = []
            for i in idx:
                if i < n:
                    part = _clean(cells[i]).strip(" ,")
                    if part and part not in parts:
                        parts.append(part)
            if parts:
                v[canonical] = ", ".join(parts)

        values: dict[str, str] = {}
        for canonical, raw in v.items():
            value = _clean_address(raw) if canonical == "address" else _clean(raw)
            if not value:
                continue
            if value[0] == "#" and value in EXCEL_ERRORS:
                ok = False
                self.error(
                    number,
                    canonical,
                    _("The cell shows the Excel error %(error)s instead of a value.")
                    % {"error": value},
                    _("Correct the formula in Excel, or type the value in, and upload again."),
                )
                rejected.append(canonical)
                continue
            limit = LIMITS.get(canonical)
            if limit and len(value) > limit:
                ok = False
                self.error(
                    number,
                    canonical,
                    _("This cell has %(length)d characters; the limit is %(limit)d.")
                    % {"length": len(value), "limit": limit},
                    _("Shorten it, or move the extra text to a column of its own."),
                )
                rejected.append(canonical)
                continue
            values[canonical] = value

        name = values.get("name", "")
        address = values.get("address", "")
        country_text = values.get("country", "")
        if not name and "name" not in rejected:
            ok = False
            self.error(number, "name", _("The name of the location is missing."),
                       _("Every row needs a name, an address and a country."))  # fmt: skip
        if not address and "address" not in rejected:
            ok = False
            self.error(number, "address", _("The address is missing."),
                       _("Every row needs a name, an address and a country."))  # fmt: skip
        country = ""
        if country_text:
            country = country_code(country_text) or ""
            if not country:
                ok = False
                self.error(
                    number,
                    "country",
                    _("“%(value)s” is not a country we know.") % {"value": country_text},
                    _(
                        "Use the country's name in English or its two-letter ISO code, e.g. CN for China."
                    ),
                )
        elif "country" not in rejected:
            ok = False
            self.error(number, "country", _("The country is missing."),
                       _("Every row needs a name, an address and a country."))  # fmt: skip

        lat = lng = None
        lat_text, lng_text = values.get("lat", ""), values.get("lng", "")
        if lat_text or lng_text:
            if lat_text:
                lat = parse_coordinate(lat_text)
                if lat is None or not -90 <= lat <= 90:
                    ok = False
                    self.error(number, "lat",
                               _("“%(value)s” is not a latitude.") % {"value": lat_text},
                               _("Use decimal degrees between -90 and 90, e.g. 23.8103."))  # fmt: skip
            if lng_text:
                lng = parse_coordinate(lng_text)
                if lng is None or not -180 <= lng <= 180:
                    ok = False
                    self.error(number, "lng",
                               _("“%(value)s” is not a longitude.") % {"value": lng_text},
                               _("Use decimal degrees between -180 and 180, e.g. 90.4125."))  # fmt: skip
            if bool(lat_text) != bool(lng_text):
                ok = False
                if lat_text:
                    self.error(number, "lat", _("There is a latitude but no longitude."),
                               _("Give both coordinates, or leave both empty."))  # fmt: skip
                else:
                    self.error(number, "lng", _("There is a longitude but no latitude."),
                               _("Give both coordinates, or leave both empty."))  # fmt: skip
            elif lat == 0 and lng == 0:
                self.warn(
                    number, "lat", _("The coordinates 0, 0 are in the ocean; we left them out.")
                )
                lat = lng = None

        workers: int | None = None
        workers_text = values.get("number_of_workers", "")
        if workers_text:
            workers = parse_workers(workers_text)
            if workers is None or workers > MAX_WORKERS:
                ok = False
                workers = None
                self.error(
                    number,
                    "number_of_workers",
                    _("“%(value)s” is not a number of workers.") % {"value": workers_text},
                    _("Write a whole number such as 1200, or a range such as 100-200."),
                )

        os_id = values.get("os_id", "").upper().replace(" ", "")
        if os_id and not _OS_ID.match(os_id):
            self.warn(number, "os_id",
                      _("“%(value)s” is not an Open Supply Hub ID; we left it out.") % {"value": os_id},
                      _("An OS ID looks like CN2019303BQ3FZP."))  # fmt: skip
            os_id = ""

        facility_raw = values.get("facility_type", "")
        processing_raw = values.get("processing_type", "")
        facility_type = ""
        processing_type = ""
        if facility_raw:
            m = map_facility_type(facility_raw)
            facility_type = m.facility_type if not m.unmapped else ""
            processing_type = m.processing_type if m.matched else ""
            if not m.matched:
                self.warn(
                    number,
                    "facility_type",
                    _("“%(value)s” is not a facility type we know; we kept it as written.")
                    % {"value": facility_raw},
                    _(
                        "Use one of: raw material processing or production; textile or material production; printing, product dyeing and laundering; final product assembly; warehousing / distribution; office / HQ."
                    ),
                )
        if processing_raw:
            m = map_facility_type(processing_raw)
            if m.matched:
                processing_type = m.processing_type or processing_type
                facility_type = facility_type or m.facility_type
            else:
                processing_type = processing_raw
                facility_type = facility_type or m.facility_type
                self.warn(
                    number,
                    "processing_type",
                    _("“%(value)s” is not a processing type we know; we kept it as written.")
                    % {"value": ", ".join(m.unmapped) or processing_raw},
                )

        extra: dict[str, str] = {}
        for i, key in self.extras:
            if i < n and cells[i]:
                value = _clean(cells[i])
                if not value:
                    continue
                if len(value) > EXTRA_LIMIT:
                    ok = False
                    self.add_error(
                        RowError(
                            number,
                            key,
                            _("This cell has %(length)d characters; the limit is %(limit)d.")
                            % {"length": len(value), "limit": EXTRA_LIMIT},
                            _("Shorten it, or leave the column out of the upload."),
                        )
                    )
                    continue
                extra[key] = value

        if not ok or not name or not address or not country:
            return None
        city = values.get("city", "")
        postal_code = values.get("postal_code", "")
        return LocationRow(
            row_number=number,
            name=name,
            address=address,
            country=country,
            city=city,
            province=values.get("province", ""),
            postal_code=postal_code,
            lat=lat,
            lng=lng,
            facility_type=facility_type,
            facility_type_raw=facility_raw,
            processing_type=processing_type,
            product_type=values.get("product_type", ""),
            number_of_workers=workers,
            parent_company=values.get("parent_company", ""),
            tier=values.get("tier", ""),
            os_id=os_id,
            supplier_id=values.get("supplier_id", ""),
            extra=extra,
            fingerprint=fingerprint(name, address, country, city, postal_code),
        )
