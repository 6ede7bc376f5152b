"""The supply chain inventory of a self-assessment, reused from the production locations the
company disclosed (never asked twice): its latest accepted list up to the reporting year, with
counts by country and facility type and the share of locations whose type is not stated."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import get_language

from covenant.agreements.models import Agreement, Organisation


@dataclass(frozen=True)
class Inventory:
    year: int
    locations: int
    countries: list[tuple[str, int]]
    facility_types: list[tuple[str, int]]
    unknown_type_percent: float


def location_inventory(company: Organisation, agreement: Agreement, year: int) -> Inventory | None:
    """From the company's latest accepted disclosure of a year up to `year`; None if none.
    Facility types as the list wrote them are put on the agreement's taxonomy."""
    from covenant.supplychain.importing.taxonomy import facility_type_label, map_facility_type
    from covenant.supplychain.models import Contribution, Disclosure

    disclosure = (
        Disclosure.objects.filter(
            agreement=agreement,
            company=company,
            status=Disclosure.Status.ACCEPTED,
            year__lte=year,
        )
        .order_by("-year")
        .first()
    )
    if disclosure is None:
        return None
    rows = list(
        Contribution.objects.filter(disclosure=disclosure).values_list("country", "facility_type")
    )
    n = len(rows)
    countries = Counter(country for country, _t in rows)
    lang = get_language() or "en"
    labels: dict[str, str] = {}
    for _c, t in rows:
        if t and t not in labels:
            code = map_facility_type(t).facility_type
            labels[t] = facility_type_label(code, lang) if code else t
    types = Counter(labels[t] for _c, t in rows if t)
    return Inventory(
        year=disclosure.year,
        locations=n,
        countries=countries.most_common(),
        facility_types=types.most_common(),
        unknown_type_percent=round(100 * sum(1 for _c, t in rows if not t) / n, 1) if n else 0.0,
    )
