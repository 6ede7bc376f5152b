"""Reads of disclosures: a company's years and current locations, a job's rows, the
difference with the previous year, progress for the polling page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.supplychain.models import Contribution, Disclosure, Facility


def disclosures_for_company(
    *, company: Organisation, agreement: Agreement | None = None
) -> QuerySet[Disclosure]:
    qs = Disclosure.objects.filter(company=company).select_related("agreement", "created_by")
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    return qs.order_by("-year", "-created_at")


def disclosure_agreements(*, company: Organisation) -> list[Agreement]:
    """Agreements the company may disclose to (active or associated member)."""
    return list(
        Agreement.objects.filter(
            memberships__company=company,
            memberships__status__in=[Membership.Status.ACTIVE, Membership.Status.ASSOCIATED],
        )
        .distinct()
        .order_by("name_en")
    )


def accepted_disclosure(
    *, company: Organisation, agreement: Agreement, year: int | None = None
) -> Disclosure | None:
    qs = Disclosure.objects.filter(
        company=company, agreement=agreement, status=Disclosure.Status.ACCEPTED
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year").first()


def company_locations(
    *, company: Organisation, agreement: Agreement, year: int | None = None
) -> tuple[int | None, list[Contribution]]:
    """The rows of the accepted list of `year` (default: the latest year), with facilities."""
    disclosure = accepted_disclosure(company=company, agreement=agreement, year=year)
    if disclosure is None:
        return year, []
    return disclosure.year, list(disclosure_contributions(disclosure=disclosure))


def disclosure_contributions(
    *, disclosure: Disclosure, decision: str | None = None
) -> QuerySet[Contribution]:
    qs = Contribution.objects.filter(disclosure=disclosure).select_related("facility")
    if decision:
        qs = qs.filter(decision=decision)
    return qs.order_by("row_number")


@dataclass
class Diff:
    disclosure: Disclosure
    previous: Disclosure | None
    added: list[Facility] = field(default_factory=list)
    removed: list[Facility] = field(default_factory=list)
    unchanged: list[Facility] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, Any]:
        return {
            "previous_year": self.previous.year if self.previous else None,
            "added": len(self.added),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
        }


def previous_disclosure(disclosure: Disclosure) -> Disclosure | None:
    """The accepted list of the latest earlier year of the same company and agreement."""
    return (
        Disclosure.objects.filter(
            agreement_id=disclosure.agreement_id,
            company_id=disclosure.company_id,
            year__lt=disclosure.year,
            status=Disclosure.Status.ACCEPTED,
        )
        .order_by("-year")
        .first()
    )


def disclosure_diff(disclosure: Disclosure) -> Diff:
    """Facilities added, removed and unchanged since the previous year's accepted list,
    computed now (so later merges are followed)."""
    previous = previous_disclosure(disclosure)
    now = set(
        Contribution.objects.filter(disclosure=disclosure).values_list("facility_id", flat=True)
    )
    before: set[int] = set()
    if previous is not None:
        before = set(
            Contribution.objects.filter(disclosure=previous).values_list("facility_id", flat=True)
        )
    ids = now | before
    facilities = {f.pk: f for f in Facility.objects.filter(pk__in=ids)} if ids else {}

    def pick(keys: set[int]) -> list[Facility]:
        return sorted(
            (facilities[k] for k in keys if k in facilities), key=lambda f: (f.country, f.name)
        )

    return Diff(disclosure, previous, pick(now - before), pick(before - now), pick(now & before))


def disclosure_progress(disclosure: Disclosure) -> dict[str, Any]:
    """What the progress bar shows: rows parsed / matched / total and a percentage."""
    total = disclosure.rows_total
    if disclosure.status in (Disclosure.Status.ACCEPTED, Disclosure.Status.SUPERSEDED):
        percent = 100
    elif not total:
        percent = 0
    else:
        # Parsing is the first tenth of the work, matching the rest.
        percent = int(
            10 * min(disclosure.rows_parsed, total) / total
            + 85 * min(disclosure.rows_matched, total) / total
        )
    return {
        "status": disclosure.status,
        "rows_total": total,
        "rows_parsed": disclosure.rows_parsed,
        "rows_matched": disclosure.rows_matched,
        "percent": max(0, min(100, percent)),
        "running": disclosure.status in (Disclosure.Status.QUEUED, Disclosure.Status.PROCESSING),
    }
