"""Review and registry API: the review queue (the agreement's secretariat sees all of it,
a company its own rows), confirm / reject / pick decisions, and the registry's facility
view for the secretariat with merge and split."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from covenant.accounts.permissions import Principal
from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.supplychain import access
from covenant.supplychain.api.disclosures import ContributionOut, FacilityRefOut
from covenant.supplychain.models import Contribution, Facility
from covenant.supplychain.selectors import registry as selectors
from covenant.supplychain.services import registry as registry_services
from covenant.supplychain.services import review as services

router = Router(tags=["review"])

RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**31 - 1
PUBLIC_ID = Field(
    ..., min_length=1, max_length=40, description="public facility id, e.g. CVCN3KQ9T7MZ4"
)


def _id() -> Any:
    return Path(..., ge=1, le=MAX_ID)


class FacilityOut(Schema):
    public_id: str
    name: str
    address: str
    city: str
    province: str
    postal_code: str
    country: str
    lat: float | None
    lng: float | None
    facility_type: str
    processing_type: str
    status: str
    merged_into: str | None

    @staticmethod
    def build(f: Facility) -> dict[str, Any]:
        data = {k: getattr(f, k) for k in FacilityOut.model_fields if k != "merged_into"}
        data["merged_into"] = (
            f.merged_into.public_id if f.merged_into_id and f.merged_into else None
        )
        return data


class CandidateOut(Schema):
    public_id: str
    score: float = Field(..., description="calibrated probability that the row is this facility")
    reasons: list[str]
    facility: FacilityOut | None


class ReviewItemOut(Schema):
    id: int
    company: str
    agreement: str
    year: int
    disclosure: int
    decision: str
    score: float
    row: ContributionOut
    provisional: FacilityOut | None = Field(
        ..., description="the facility the row is linked to until decided"
    )
    candidates: list[CandidateOut]

    @staticmethod
    def build(c: Contribution) -> dict[str, Any]:
        return {
            "id": c.pk,
            "company": c.disclosure.company.slug,
            "agreement": c.disclosure.agreement.slug,
            "year": c.disclosure.year,
            "disclosure": c.disclosure_id,
            "decision": c.decision,
            "score": c.score,
            "row": ContributionOut.build(c),
            "provisional": FacilityOut.build(c.facility) if c.facility else None,
            "candidates": [
                {
                    "public_id": cand.public_id,
                    "score": cand.score,
                    "reasons": cand.reasons,
                    "facility": FacilityOut.build(cand.facility) if cand.facility else None,
                }
                for cand in selectors.review_candidates(c)
            ],
        }


class ReviewPageOut(Schema):
    count: int
    items: list[ReviewItemOut]


class PageQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class PickIn(Schema):
    model_config = ConfigDict(extra="forbid")
    facility: str = PUBLIC_ID


class SourceOut(Schema):
    contribution: int
    company: str
    company_name: str
    agreement: str
    year: int
    row_number: int
    name: str
    address: str
    decision: str


class RegistryFacilityOut(Schema):
    facility: FacilityOut
    sources: list[SourceOut] = Field(..., description="confidential: which companies disclosed it")


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    merged: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description="public id of the facility merged into this one",
    )


class SplitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    contributions: list[int] = Field(
        ...,
        min_length=1,
        max_length=10_000,
        description="ids of the rows that move to a new facility",
    )


def _page(rows: Any, q: PageQuery, principal: Principal) -> dict[str, Any]:
    total = rows.count()
    items = access.access_review_rows(principal=principal, rows=rows[q.offset : q.offset + q.limit])
    return {"count": total, "items": [ReviewItemOut.build(c) for c in items]}


@router.get("/agreements/{slug}/review", response={200: ReviewPageOut, **RESTRICTED})
def review_queue(request: HttpRequest, slug: str, q: Query[PageQuery]) -> Any:
    """Rows of the agreement's current lists waiting for review, oldest first, each with
    the provisional facility and the candidates with their reasons (secretariat)."""
    principal = _principal(request)
    agreement = access.access_review_queue(principal=principal, agreement_slug=slug)
    return _page(selectors.review_queue(agreement=agreement), q, principal)


@router.get("/companies/{slug}/review", response={200: ReviewPageOut, **RESTRICTED})
def company_review_queue(request: HttpRequest, slug: str, q: Query[PageQuery]) -> Any:
    """The company's own rows waiting for review (its users; the secretariat)."""
    principal = _principal(request)
    company = access.access_company_locations(principal=principal, slug=slug)
    rows = selectors.review_queue(company=company)
    if company.pk not in principal.company_ids:
        rows = rows.filter(disclosure__agreement__secretariat_id__in=principal.secretariat_org_ids)
    return _page(rows, q, principal)


@router.get("/review/{contribution_id}", response={200: ReviewItemOut, **RESTRICTED})
def review_item(request: HttpRequest, contribution_id: int = _id()) -> Any:
    """One row with its candidates, side by side."""
    row = access.access_contribution_review(
        principal=_principal(request), contribution_id=contribution_id
    )
    return ReviewItemOut.build(row)


@router.post("/review/{contribution_id}/confirm", response={200: ReviewItemOut, **RESTRICTED})
def review_confirm(request: HttpRequest, contribution_id: int = _id()) -> Any:
    """The provisional facility is right. Remembered for the company's next lists."""
    principal = _principal(request)
    row = access.access_contribution_review(principal=principal, contribution_id=contribution_id)
    return ReviewItemOut.build(services.review_confirm(contribution=row, actor=principal.user))


@router.post("/review/{contribution_id}/reject", response={200: ReviewItemOut, **RESTRICTED})
def review_reject(request: HttpRequest, contribution_id: int = _id()) -> Any:
    """The row is none of the candidates: it becomes a new facility. Remembered."""
    principal = _principal(request)
    row = access.access_contribution_review(principal=principal, contribution_id=contribution_id)
    return ReviewItemOut.build(services.review_reject(contribution=row, actor=principal.user))


@router.post("/review/{contribution_id}/pick", response={200: ReviewItemOut, **RESTRICTED})
def review_pick(request: HttpRequest, payload: PickIn, contribution_id: int = _id()) -> Any:
    """The row is another facility (a candidate, or any facility by its public id)."""
    principal = _principal(request)
    row = access.access_contribution_review(principal=principal, contribution_id=contribution_id)
    facility = access.get_facility_for_field(public_id=payload.facility, field="facility")
    return ReviewItemOut.build(
        services.review_pick(contribution=row, facility=facility, actor=principal.user)
    )


@router.get(
    "/registry/facilities/{public_id}",
    response={200: RegistryFacilityOut, **RESTRICTED},
    tags=["registry"],
)
def registry_facility(request: HttpRequest, public_id: str) -> Any:
    """A facility with the rows linked to it from the agreements you run (secretariat;
    confidential, audited). An old id of a merged facility answers with the survivor."""
    principal = _principal(request)
    facility = access.access_facility_registry(principal=principal, public_id=public_id)
    rows = access.access_facility_contributions(principal=principal, facility=facility)
    return {"facility": FacilityOut.build(facility), "sources": [_source(c) for c in rows]}


def _source(c: Contribution) -> dict[str, Any]:
    return {
        "contribution": c.pk,
        "company": c.disclosure.company.slug,
        "company_name": c.disclosure.company.name,
        "agreement": c.disclosure.agreement.slug,
        "year": c.disclosure.year,
        "row_number": c.row_number,
        "name": c.name,
        "address": c.address,
        "decision": c.decision,
    }


@router.post(
    "/registry/facilities/{public_id}/merge",
    response={200: FacilityOut, **RESTRICTED},
    tags=["registry"],
)
def registry_merge(request: HttpRequest, public_id: str, payload: MergeIn) -> Any:
    """Merge the facility `merged` into this one: rows move, the old id redirects here."""
    principal = _principal(request)
    survivor = access.access_facility_registry(principal=principal, public_id=public_id)
    merged = access.get_facility_for_field(public_id=payload.merged, field="merged")
    return FacilityOut.build(
        registry_services.facility_merge(survivor=survivor, merged=merged, actor=principal.user)
    )


@router.post(
    "/registry/facilities/{public_id}/split",
    response={201: FacilityOut, **RESTRICTED},
    tags=["registry"],
)
def registry_split(request: HttpRequest, public_id: str, payload: SplitIn) -> Any:
    """Move the given rows of this facility to a new facility (a new public id)."""
    principal = _principal(request)
    facility = access.access_facility_registry(principal=principal, public_id=public_id)
    new = registry_services.facility_split(
        facility=facility, contribution_ids=payload.contributions, actor=principal.user
    )
    return Status(201, FacilityOut.build(new))


__all__ = ["FacilityRefOut", "router"]
