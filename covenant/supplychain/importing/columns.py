"""Header check: which file column is which canonical column.

Header text is compared after normalisation (case, accents, spaces, underscores and
punctuation ignored, text in brackets dropped: "Facility Name (required)" = "facility_name"),
against canonical names and aliases: Open Supply Hub's template, common English variants,
Dutch, German, French and Spanish.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

REQUIRED = ("name", "address", "country")
OPTIONAL = (
    "city",
    "province",
    "postal_code",
    "lat",
    "lng",
    "facility_type",
    "processing_type",
    "product_type",
    "number_of_workers",
    "parent_company",
    "tier",
    "os_id",
    "supplier_id",
)
CANONICAL = REQUIRED + OPTIONAL

# alias -> priority; 0 = the column itself. Of two columns for one field the lower priority
# wins and the other is kept as an extra field, except address parts, which are joined.
_ALIASES: dict[str, dict[str, int]] = {
    "name": {
        "name": 0, "facility name": 0, "factory name": 0, "facility": 1, "factory": 1,
        "site name": 1, "location name": 1, "production location": 1, "production site": 1,
        "production location name": 0, "manufacturer name": 1, "manufacturer": 2,
        "naam": 0, "naam fabriek": 0, "fabrieksnaam": 0, "fabriek": 1, "naam locatie": 0,
        "naam productielocatie": 0, "productielocatie": 1, "locatie": 2, "bedrijfsnaam": 2,
        "name der fabrik": 0, "fabrikname": 0, "fabrik": 1, "produktionsstatte": 1,
        "standort": 2, "betrieb": 2, "nom": 0, "nom de l'usine": 0, "usine": 1, "nombre": 0,
        "fabrica": 1, "supplier name": 5, "supplier": 6, "company name": 5, "company": 6,
        "leverancier": 6, "naam leverancier": 5, "lieferant": 6, "firma": 6, "firmenname": 5,
    },
    "address": {
        "address": 0, "facility address": 0, "factory address": 0, "full address": 0,
        "street address": 0, "address line 1": 0, "address 1": 0, "street": 1,
        "address line 2": 1, "address 2": 1, "address line 3": 1, "address 3": 1,
        "adres": 0, "adres fabriek": 0, "straat": 1, "straat en huisnummer": 0,
        "adresse": 0, "anschrift": 0, "strasse": 1, "direccion": 0, "endereco": 0,
        "location address": 0, "site address": 0,
    },
    "country": {
        "country": 0, "country code": 0, "country name": 0, "facility country": 0,
        "land": 0, "landcode": 0, "pays": 0, "pais": 0, "country region": 1,
    },
    "city": {
        "city": 0, "town": 0, "city town": 0, "town city": 0, "plaats": 0, "stad": 0,
        "woonplaats": 0, "stadt": 0, "ort": 0, "ville": 0, "ciudad": 0, "cidade": 0,
        "municipality": 1, "gemeente": 1,
    },
    "province": {
        "province": 0, "state": 0, "region": 0, "state province": 0, "province state": 0,
        "state region": 0, "county": 1, "provincie": 0, "regio": 0, "bundesland": 0,
        "provinz": 0, "estado": 0, "provincia": 0, "departement": 1,
    },
    "postal_code": {
        "postal code": 0, "postcode": 0, "post code": 0, "zip": 0, "zip code": 0,
        "postleitzahl": 0, "plz": 0, "code postal": 0, "codigo postal": 0, "pin code": 0,
    },
    "lat": {"lat": 0, "latitude": 0, "breedtegraad": 0, "breitengrad": 0},
    "lng": {
        "lng": 0, "lon": 0, "long": 0, "longitude": 0, "lengtegraad": 0, "langengrad": 0,
    },
    "facility_type": {
        "facility type": 0, "type of facility": 0, "facility type processing type": 0,
        "facility type/processing type": 0, "type": 2, "site type": 1, "location type": 1,
        "factory type": 1, "type fabriek": 1, "type locatie": 1, "soort locatie": 1,
        "type productielocatie": 1, "betriebsart": 1, "standorttyp": 1,
    },
    "processing_type": {
        "processing type": 0, "processing types": 0, "processing": 1, "process": 1,
        "processes": 1, "production process": 1, "production processes": 1, "activity": 2,
        "activities": 2, "main activity": 2, "bewerking": 1, "productieproces": 1,
        "proces": 1, "activiteit": 2, "verarbeitung": 1, "prozess": 1, "tatigkeit": 2,
        "type of processing": 0,
    },
    "product_type": {
        "product type": 0, "product types": 0, "product": 1, "products": 1,
        "product category": 1, "productcategorie": 1, "producten": 1, "produkt": 1,
        "produkte": 1, "produktart": 1, "sector": 2, "sectors": 2, "industry": 3,
        "branche": 3, "product group": 1, "productgroep": 1,
    },
    "number_of_workers": {
        "number of workers": 0, "workers": 1, "no of workers": 0, "nr of workers": 0,
        "num workers": 0, "number of employees": 1, "employees": 2, "workforce": 2,
        "headcount": 2, "total workers": 1, "total number of workers": 0,
        "aantal werknemers": 0, "aantal medewerkers": 0, "aantal arbeiders": 0,
        "werknemers": 1, "anzahl mitarbeiter": 0, "anzahl der beschaftigten": 0,
        "mitarbeiter": 1, "beschaftigte": 1,
    },
    "parent_company": {
        "parent company": 0, "parent": 1, "group": 2, "owner": 2, "holding": 2,
        "moederbedrijf": 0, "moedermaatschappij": 0, "concern": 2, "muttergesellschaft": 0,
        "konzern": 2, "parent company name": 0,
    },
    "tier": {"tier": 0, "tier level": 0, "supplier tier": 0},
    "os_id": {
        "os id": 0, "open supply hub id": 0, "oar id": 1, "open apparel registry id": 1,
    },
    "supplier_id": {
        "supplier id": 0, "supplier code": 0, "supplier number": 0, "vendor id": 1,
        "vendor code": 1, "vendor number": 1, "factory id": 1, "facility id": 1,
        "internal id": 1, "reference": 2, "your reference": 1, "id": 3,
        "leveranciersnummer": 0, "leverancierscode": 0, "referentie": 2, "kenmerk": 2,
        "lieferantennummer": 0,
    },
}  # fmt: skip

_JOINED = frozenset({"address"})
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_NON_ALNUM = re.compile(r"[\W_]+")


def header_key(text: str) -> str:
    """ "Facility Name (required)" -> "facilityname"."""
    text = _BRACKETS.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ß", "ss")
    return _NON_ALNUM.sub("", text)


HEADER_ALIASES: dict[str, tuple[str, int]] = {}
for _field, _names in _ALIASES.items():
    HEADER_ALIASES.setdefault(header_key(_field), (_field, 0))
    for _alias, _priority in _names.items():
        HEADER_ALIASES.setdefault(header_key(_alias), (_field, _priority))


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class HeaderMap:
    """`fields`: canonical column -> file column indices (several only for address parts
    or a header repeated by merged cells, joined in file order); `extras`: (index, key)
    kept as sent; `labels`: each column as the file names it (for messages)."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    extras: list[tuple[int, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    also: list[tuple[str, str, str]] = field(default_factory=list)  # (canonical, used, kept)

    @property
    def missing(self) -> list[str]:
        return [c for c in REQUIRED if c not in self.fields]

    def label(self, canonical: str) -> str:
        idx = self.fields.get(canonical)
        return self.labels[idx[0]] if idx else canonical


def map_header(cells: list[str]) -> HeaderMap:
    hm = HeaderMap()
    found: dict[str, list[tuple[int, int, str]]] = {}  # field -> [(priority, index, key)]
    for i, cell in enumerate(cells):
        label = " ".join(cell.split())
        hm.labels.append(label or column_letter(i))
        key = header_key(label)
        hit = HEADER_ALIASES.get(key) if key else None
        if hit:
            found.setdefault(hit[0], []).append((hit[1], i, key))
        elif label:
            hm.extras.append((i, label))
    for canonical, hits in found.items():
        best = min(h[0] for h in hits)
        best_key = next(h[2] for h in hits if h[0] == best)
        used: list[int] = []
        for priority, i, key in hits:
            if key == best_key or (canonical in _JOINED and priority <= 1):
                used.append(i)
            else:
                hm.extras.append((i, hm.labels[i]))
                hm.also.append((canonical, hm.labels[used[0]] if used else "", hm.labels[i]))
        hm.fields[canonical] = used
        for i in used:
            hm.columns[hm.labels[i]] = canonical
    # Fix up "also" entries recorded before the winner was seen.
    hm.also = [(c, hm.labels[hm.fields[c][0]], kept) for c, _, kept in hm.also]
    hm.extras.sort()
    for i, _key in hm.extras:
        hm.columns.setdefault(hm.labels[i], "extra")
    return hm


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, HeaderMap] | None:
    """The first row (of those given, normally the first 20) whose header has all required
    columns; else the row that recognises most columns (for the error message); None when
    every row is empty."""
    best: tuple[int, int, HeaderMap] | None = None
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        hm = map_header(cells)
        if not hm.missing:
            return number, hm
        score = len(hm.fields)
        if best is None or score > best[0]:
            best = (score, number, hm)
    return (best[1], best[2]) if best else None
