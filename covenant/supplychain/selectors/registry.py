"""Reads of the registry and the review queue: facilities for the secretariat, the rows
linked to a facility, the rows waiting for review with their candidates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from django.db.models import Count, Q, QuerySet

from covenant.agreements.models import Agreement, Organisation
from covenant.supplychain.models import Contribution, Disclosure, Facility


def review_queue(
    *, agreement: Agreement | None = None, company: Organisation | None = None
) -> QuerySet[Contribution]:
    """Rows awaiting review in accepted (current) lists, oldest first."""
    qs = Contribution.objects.filter(
        decision=Contribution.Decision.REVIEW, disclosure__status=Disclosure.Status.ACCEPTED
    ).select_related("disclosure__company", "disclosure__agreement", "facility")
    if agreement is not None:
        qs = qs.filter(disclosure__agreement=agreement)
    if company is not None:
        qs = qs.filter(disclosure__company=company)
    return qs.order_by("disclosure__created_at", "disclosure_id", "row_number")


@dataclass
class CandidateView:
    public_id: str
    score: float
    reasons: list[str]
    facility: Facility | None


def review_candidates(row: Contribution) -> list[CandidateView]:
    """The stored candidates of a row with their facilities (merged ones followed)."""
    stored: list[dict[str, Any]] = list(row.candidates or [])
    ids = [str(c.get("public_id", "")) for c in stored]
    facilities = {f.public_id: f for f in Facility.objects.filter(public_id__in=ids)}
    out = []
    for cand, pid in zip(stored, ids, strict=True):
        facility = facilities.get(pid)
        if (
            facility is not None
            and facility.status == Facility.Status.MERGED
            and facility.merged_into_id
        ):
            facility = Facility.objects.filter(pk=facility.merged_into_id).first()
        out.append(
            CandidateView(
                public_id=facility.public_id if facility else pid,
                score=float(cand.get("score", 0) or 0),
                reasons=[str(r) for r in cand.get("reasons", [])],
                facility=facility,
            )
        )
    return out


def facility_contributions(
    *, facility: Facility, secretariat_ids: Iterable[int]
) -> list[Contribution]:
    """Rows of current (accepted) lists linked to the facility, from agreements run by the
    given secretariats."""
    return list(
        Contribution.objects.filter(
            facility=facility,
            disclosure__status=Disclosure.Status.ACCEPTED,
            disclosure__agreement__secretariat_id__in=list(secretariat_ids),
        )
        .select_related("disclosure__company", "disclosure__agreement")
        .order_by("disclosure__company__name", "-disclosure__year", "row_number")
    )


def facility_search(
    *, q: str = "", country: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, list[Any]]:
    """Active facilities by public id, name, address or city (portable: a LIKE on the
    transliterated search text), with the number of rows linked."""
    qs = Facility.objects.filter(status=Facility.Status.ACTIVE)
    if country:
        qs = qs.filter(country=country.upper()[:2])
    text = anyascii((q or "").strip()).lower()[:100]
    if text:
        condition = Q()
        for word in text.split()[:6]:
            condition &= Q(search_text__contains=word)
        qs = qs.filter(condition | Q(public_id=text.upper().replace("-", "").replace(" ", "")))
    total = qs.count()
    rows = list(
        qs.annotate(rows=Count("contributions")).order_by("country", "name")[
            offset : offset + limit
        ]
    )
    return total, rows
