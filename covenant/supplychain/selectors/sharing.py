"""Shared suppliers: which facilities several member companies use, read from each
company's latest accepted disclosure in the agreement.

Two views, and only two: the secretariat's (facilities with 2+ users and who they are —
callers go through an access helper that audits the read) and a company's own (per facility
it uses, how many *other* members use it, a number without names)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from covenant.agreements.models import Agreement, Organisation
from covenant.supplychain.models import (
    Contribution,
    Disclosure,
    Facility,
    Introduction,
    IntroductionOptIn,
)


def latest_disclosure_ids(agreement: Agreement) -> dict[int, int]:
    """company id -> id of its accepted disclosure with the latest year in the agreement."""
    rows = Disclosure.objects.filter(
        agreement=agreement, status=Disclosure.Status.ACCEPTED
    ).values_list("company_id", "year", "pk")
    best: dict[int, tuple[int, int]] = {}
    for company_id, year, pk in rows:
        if company_id not in best or year > best[company_id][0]:
            best[company_id] = (year, pk)
    return {company: pk for company, (_year, pk) in best.items()}


def facility_users(agreement: Agreement) -> dict[int, set[int]]:
    """facility id -> ids of the companies whose latest disclosure lists it."""
    by_disclosure = {pk: company for company, pk in latest_disclosure_ids(agreement).items()}
    users: dict[int, set[int]] = defaultdict(set)
    rows = (
        Contribution.objects.filter(disclosure_id__in=list(by_disclosure), facility__isnull=False)
        .values_list("facility_id", "disclosure_id")
        .distinct()
    )
    for facility_id, disclosure_id in rows.iterator(chunk_size=10000):
        users[facility_id].add(by_disclosure[disclosure_id])
    return users


@dataclass
class SharedFacility:
    facility: Facility
    companies: list[Organisation]
    opted_in: set[int] = field(default_factory=set)  # company ids
    introductions: int = 0

    @property
    def can_introduce(self) -> bool:
        """Two or more current users have opted in."""
        return len(self.opted_in & {c.pk for c in self.companies}) >= 2


def shared_facilities(agreement: Agreement, *, country: str = "") -> list[SharedFacility]:
    """Facilities used by two or more member companies, most users first (secretariat view,
    confidential: reach it through an access helper that audits the read)."""
    users = {f: c for f, c in facility_users(agreement).items() if len(c) >= 2}
    facilities = Facility.objects.filter(pk__in=list(users))
    if country:
        facilities = facilities.filter(country=country.upper())
    by_id = {f.pk: f for f in facilities}
    company_ids = {c for f in by_id for c in users[f]}
    companies = Organisation.objects.in_bulk(list(company_ids))
    opted: dict[int, set[int]] = defaultdict(set)
    for facility_id, company_id in IntroductionOptIn.objects.filter(
        agreement=agreement, facility_id__in=list(by_id)
    ).values_list("facility_id", "company_id"):
        opted[facility_id].add(company_id)
    made: dict[int, int] = defaultdict(int)
    for facility_id in Introduction.objects.filter(
        agreement=agreement, facility_id__in=list(by_id)
    ).values_list("facility_id", flat=True):
        made[facility_id] += 1
    result = [
        SharedFacility(
            facility=by_id[f],
            companies=sorted((companies[c] for c in users[f]), key=lambda o: o.name),
            opted_in=opted[f],
            introductions=made[f],
        )
        for f in by_id
    ]
    result.sort(key=lambda s: (-len(s.companies), s.facility.country, s.facility.name))
    return result


def shared_facility(agreement: Agreement, facility: Facility) -> SharedFacility:
    """One facility in the secretariat's view (users may be fewer than two)."""
    users = facility_users(agreement).get(facility.pk, set())
    companies = sorted(Organisation.objects.filter(pk__in=users), key=lambda o: o.name)
    opted = set(
        IntroductionOptIn.objects.filter(agreement=agreement, facility=facility).values_list(
            "company_id", flat=True
        )
    )
    made = Introduction.objects.filter(agreement=agreement, facility=facility).count()
    return SharedFacility(facility, companies, opted, made)


@dataclass
class CompanyFacility:
    facility: Facility
    other_users: int  # other member companies that use it: a number, never names
    opted_in: bool
    introduced: bool  # an introduction including this company was made here


def company_facilities(
    agreement: Agreement, company: Organisation, *, shared_only: bool = False
) -> list[CompanyFacility]:
    """The facilities of the company's latest disclosure, each with how many other members
    use it (the company's own view)."""
    users = facility_users(agreement)
    mine = [f for f, c in users.items() if company.pk in c]
    if shared_only:
        mine = [f for f in mine if len(users[f]) > 1]
    opted = set(
        IntroductionOptIn.objects.filter(
            agreement=agreement, company=company, facility_id__in=mine
        ).values_list("facility_id", flat=True)
    )
    introduced = set(
        Introduction.objects.filter(
            agreement=agreement, companies=company, facility_id__in=mine
        ).values_list("facility_id", flat=True)
    )
    facilities = Facility.objects.filter(pk__in=mine).order_by("country", "name")
    return [
        CompanyFacility(
            facility=f,
            other_users=len(users[f.pk]) - 1,
            opted_in=f.pk in opted,
            introduced=f.pk in introduced,
        )
        for f in facilities
    ]


def introductions(agreement: Agreement) -> list[Introduction]:
    """Introductions made in the agreement, latest first (secretariat view)."""
    return list(
        Introduction.objects.filter(agreement=agreement)
        .select_related("facility", "made_by")
        .prefetch_related("companies")
        .order_by("-created_at")
    )
