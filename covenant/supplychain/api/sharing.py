"""Shared suppliers API. The secretariat: facilities used by 2+ members with who they are
(audited reads), introductions. A company: per facility of its latest list, how many other
members use it (a number, never names), and its opt-ins. Nothing else reveals which company
uses which facility."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.supplychain import access
from covenant.supplychain.selectors import sharing as selectors
from covenant.supplychain.services import sharing as services

router = Router(tags=["shared suppliers"])

RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGE = 100


class SharedQuery(Schema):
    country: str = Field("", max_length=2)
    page: int = Field(1, ge=1, le=100_000)


class CompanyRefOut(Schema):
    slug: str
    name: str
    opted_in: bool


class SharedFacilityOut(Schema):
    public_id: str
    name: str
    address: str
    city: str
    country: str
    companies: list[CompanyRefOut]
    can_introduce: bool = Field(..., description="Two or more current users have opted in.")
    introductions: int


class SharedPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SharedFacilityOut]


class IntroductionIn(Schema):
    note: str = Field("", max_length=2000)


class IntroductionOut(Schema):
    id: int
    facility: str = Field(..., description="public id")
    companies: list[str] = Field(..., description="slugs of the introduced companies")
    note: str
    created_at: dt.datetime


class CompanySharingQuery(Schema):
    agreement: str | None = Field(
        None, max_length=80, description="slug; the company's first agreement by default"
    )
    all: bool = Field(False, description="Also facilities no other member uses.")
    page: int = Field(1, ge=1, le=100_000)


class CompanyFacilityOut(Schema):
    public_id: str
    name: str
    address: str
    country: str
    other_users: int = Field(..., description="How many other member companies use it (no names).")
    opted_in: bool
    introduced: bool


class CompanyFacilityPageOut(Schema):
    agreement: str
    count: int
    page: int
    pages: int
    results: list[CompanyFacilityOut]


class OptInIn(Schema):
    agreement: str | None = Field(None, max_length=80)


class OptInOut(Schema):
    public_id: str
    opted_in: bool


def _page(rows: list, page: int) -> tuple[list, int, int]:
    pages = max(1, -(-len(rows) // PAGE))
    page = min(page, pages)
    return rows[(page - 1) * PAGE : page * PAGE], page, pages


def _shared_out(row: Any) -> dict[str, Any]:
    f = row.facility
    return {
        "public_id": f.public_id,
        "name": f.name,
        "address": f.address,
        "city": f.city,
        "country": f.country,
        "companies": [
            {"slug": c.slug, "name": c.name, "opted_in": c.pk in row.opted_in}
            for c in row.companies
        ],
        "can_introduce": row.can_introduce,
        "introductions": row.introductions,
    }


def _intro_out(intro: Any) -> dict[str, Any]:
    return {
        "id": intro.pk,
        "facility": intro.facility.public_id,
        "companies": sorted(c.slug for c in intro.companies.all()),
        "note": intro.note,
        "created_at": intro.created_at,
    }


@router.get("/agreements/{slug}/shared-suppliers", response={200: SharedPageOut, **RESTRICTED})
def shared_suppliers(request: HttpRequest, slug: str, filters: Query[SharedQuery]) -> Any:
    """Confidential: facilities used by two or more member companies (their latest accepted
    lists), with the companies and their opt-ins. The agreement's secretariat only; every
    company shown is written to the audit log."""
    principal = _principal(request)
    agreement = access.access_introductions(principal=principal, slug=slug)
    rows = access.access_shared_suppliers(
        principal=principal, agreement=agreement, country=filters.country
    )
    chunk, page, pages = _page(rows, filters.page)
    return {
        "count": len(rows),
        "page": page,
        "pages": pages,
        "results": [_shared_out(r) for r in chunk],
    }


@router.get("/agreements/{slug}/introductions", response={200: list[IntroductionOut], **RESTRICTED})
def introductions(request: HttpRequest, slug: str) -> Any:
    """Introductions made in the agreement, latest first (the secretariat)."""
    agreement = access.access_introductions(principal=_principal(request), slug=slug)
    return [_intro_out(i) for i in selectors.introductions(agreement)]


@router.post(
    "/agreements/{slug}/shared-suppliers/{public_id}/introductions",
    response={201: IntroductionOut, **RESTRICTED},
)
def introduction_make(
    request: HttpRequest, slug: str, public_id: str, payload: IntroductionIn
) -> Any:
    """Introduce to each other the users of a facility that opted in (two or more; the
    secretariat). Their admins are e-mailed the other companies' names."""
    principal = _principal(request)
    agreement = access.access_introductions(principal=principal, slug=slug)
    row = access.access_shared_facility(
        principal=principal, agreement=agreement, public_id=public_id
    )
    intro = services.introduction_make(
        agreement=agreement,
        facility=row.facility,
        actor=principal.user,
        note=payload.note,
    )
    return Status(201, _intro_out(intro))


@router.get(
    "/companies/{slug}/shared-suppliers", response={200: CompanyFacilityPageOut, **RESTRICTED}
)
def company_sharing(request: HttpRequest, slug: str, filters: Query[CompanySharingQuery]) -> Any:
    """Confidential to the company (and its secretariat, audited): per facility of its latest
    list, how many other member companies use it — a number, never who."""
    company, agreement = access.access_company_sharing(
        principal=_principal(request), slug=slug, agreement_slug=filters.agreement
    )
    rows = selectors.company_facilities(agreement, company, shared_only=not filters.all)
    chunk, page, pages = _page(rows, filters.page)
    return {
        "agreement": agreement.slug,
        "count": len(rows),
        "page": page,
        "pages": pages,
        "results": [
            {
                "public_id": r.facility.public_id,
                "name": r.facility.name,
                "address": r.facility.address,
                "country": r.facility.country,
                "other_users": r.other_users,
                "opted_in": r.opted_in,
                "introduced": r.introduced,
            }
            for r in chunk
        ],
    }


@router.put(
    "/companies/{slug}/shared-suppliers/{public_id}/opt-in", response={200: OptInOut, **RESTRICTED}
)
def opt_in(request: HttpRequest, slug: str, public_id: str, payload: OptInIn) -> Any:
    """Agree to be introduced to the other members that use this facility (company admins)."""
    principal = _principal(request)
    company, agreement = access.access_company_opt_in(
        principal=principal, slug=slug, agreement_slug=payload.agreement
    )
    facility = access.get_facility_for_field(public_id=public_id, field="facility")
    services.introduction_opt_in(
        agreement=agreement, company=company, facility=facility, actor=principal.user
    )
    return {"public_id": facility.public_id, "opted_in": True}


@router.delete(
    "/companies/{slug}/shared-suppliers/{public_id}/opt-in", response={200: OptInOut, **RESTRICTED}
)
def opt_out(request: HttpRequest, slug: str, public_id: str, agreement: str | None = None) -> Any:
    """Withdraw from introductions at this facility (company admins)."""
    principal = _principal(request)
    company, agr = access.access_company_opt_in(
        principal=principal, slug=slug, agreement_slug=agreement
    )
    facility = access.get_facility_for_field(public_id=public_id, field="facility")
    services.introduction_opt_out(
        agreement=agr, company=company, facility=facility, actor=principal.user
    )
    return {"public_id": facility.public_id, "opted_in": False}
