"""Disclosures API: uploading a company's production-location list (multipart), the job's
status and progress, its row-level errors, its rows, the difference with the previous
year, re-running a failed job, adding one location and the company's current locations.

Confidential: only the company's own users and the secretariat of its agreement (reads by
the secretariat are audited); uploads and changes by the company's admins."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import ConfigDict

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.supplychain import access
from covenant.supplychain.models import Contribution, Disclosure
from covenant.supplychain.selectors import disclosures as selectors
from covenant.supplychain.services import disclosures as services

router = Router(tags=["disclosures"])

RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100


def _id() -> Any:
    return Path(..., ge=1, le=MAX_ID)


# --- schemas -------------------------------------------------------------------------
class ProgressOut(Schema):
    rows_total: int
    rows_parsed: int
    rows_matched: int
    percent: int = Field(..., description="0-100, for a progress bar")
    running: bool


class CountsOut(Schema):
    match: int = Field(..., description="rows linked automatically (incl. remembered decisions)")
    review: int = Field(..., description="rows waiting for a person's decision")
    new: int = Field(..., description="rows that became new facilities")


class DiffCountsOut(Schema):
    previous_year: int | None
    added: int
    removed: int
    unchanged: int


class DisclosureOut(Schema):
    id: int
    agreement: str
    company: str
    year: int
    status: str
    stalled: bool = Field(..., description="queued or processing without progress for minutes")
    can_rerun: bool
    source: str
    filename: str
    attempts: int
    progress: ProgressOut
    counts: CountsOut
    diff: DiffCountsOut | None = Field(None, description="set once accepted")
    error_count: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def build(d: Disclosure) -> dict[str, Any]:
        summary = d.summary or {}
        diff = None
        if d.status in (Disclosure.Status.ACCEPTED, Disclosure.Status.SUPERSEDED) and summary:
            diff = {
                "previous_year": summary.get("previous_year"),
                "added": summary.get("added", 0),
                "removed": summary.get("removed", 0),
                "unchanged": summary.get("unchanged", 0),
            }
        return {
            "id": d.pk,
            "agreement": d.agreement.slug,
            "company": d.company.slug,
            "year": d.year,
            "status": d.status,
            "stalled": services.disclosure_is_stalled(d),
            "can_rerun": services.disclosure_can_rerun(d),
            "source": d.source,
            "filename": d.original_filename,
            "attempts": d.attempts,
            "progress": selectors.disclosure_progress(d),
            "counts": {"match": d.count_match, "review": d.count_review, "new": d.count_new},
            "diff": diff,
            "error_count": int(summary.get("error_count", len(d.errors or []))),
            "created_at": d.created_at,
            "started_at": d.started_at,
            "finished_at": d.finished_at,
        }


class RowErrorOut(Schema):
    row: int | None = Field(
        ..., description="row number as the spreadsheet shows it; null for the whole file"
    )
    column: str
    message: str
    hint: str


class ErrorsOut(Schema):
    status: str
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut]


class FacilityRefOut(Schema):
    public_id: str
    name: str
    country: str


class ContributionOut(Schema):
    id: int
    row_number: int
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
    product_type: str
    number_of_workers: int | None
    parent_company: str
    tier: str
    os_id: str
    supplier_id: str
    extra: dict[str, str]
    decision: str
    score: float
    facility: FacilityRefOut | None

    @staticmethod
    def build(c: Contribution) -> dict[str, Any]:
        data = {
            k: getattr(c, k)
            for k in ContributionOut.model_fields
            if k not in ("id", "facility", "extra")
        }
        data["id"] = c.pk
        data["extra"] = {str(k): str(v) for k, v in (c.extra or {}).items()}
        data["facility"] = (
            {
                "public_id": c.facility.public_id,
                "name": c.facility.name,
                "country": c.facility.country,
            }
            if c.facility
            else None
        )
        return data


class ContributionPageOut(Schema):
    count: int
    items: list[ContributionOut]


class ContributionQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["match", "review", "new", "confirmed", "remembered"] | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)


class DiffOut(Schema):
    previous_year: int | None
    previous_disclosure: int | None
    added: list[FacilityRefOut]
    removed: list[FacilityRefOut]
    unchanged: list[FacilityRefOut]


class LocationsQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    agreement: str | None = Field(None, max_length=80)
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR)


class LocationsOut(Schema):
    agreement: str
    year: int | None
    disclosure: int | None
    count: int
    items: list[ContributionOut]


class LocationIn(Schema):
    """One production location, with the same rules as a row of an uploaded file."""

    model_config = ConfigDict(extra="forbid")
    agreement: str | None = Field(
        None, max_length=80, description="agreement slug; default the company's agreement"
    )
    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR)
    name: str = Field(..., min_length=1, max_length=300)
    address: str = Field(..., min_length=1, max_length=500)
    country: str = Field(..., min_length=2, max_length=100, description="ISO code or country name")
    city: str = Field("", max_length=120)
    province: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=30)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    facility_type: str = Field("", max_length=120)
    processing_type: str = Field("", max_length=200)
    product_type: str = Field("", max_length=200)
    number_of_workers: int | None = Field(None, ge=0, le=10_000_000)
    parent_company: str = Field("", max_length=300)
    tier: str = Field("", max_length=20)
    os_id: str = Field("", max_length=30)
    supplier_id: str = Field("", max_length=100)


def _facility_ref(f: Any) -> dict[str, Any]:
    return {"public_id": f.public_id, "name": f.name, "country": f.country}


# --- endpoints ----------------------------------------------------------------------
@router.post(
    "/companies/{slug}/disclosures",
    response={202: DisclosureOut, 413: ErrorOut, **RESTRICTED},
)
def disclosure_upload(
    request: HttpRequest,
    slug: str,
    file: File[UploadedFile],
    year: Form[int],
    agreement: Form[str] = "",
) -> Any:
    """Upload the company's production locations for a reporting year as CSV or XLSX
    (multipart form: `file`, `year`, optional `agreement` slug). The list is processed in
    the background: poll `GET …/disclosures/{id}` for the progress and the result. A file
    that is plainly not CSV/XLSX, empty or too large is refused at once (422)."""
    principal = _principal(request)
    company = access.access_company_disclose(principal=principal, slug=slug)
    target = access.get_disclosure_agreement(company=company, slug=agreement or None)
    d = services.disclosure_upload(
        agreement=target, company=company, year=year, file=file, actor=principal.user
    )
    d.refresh_from_db()
    return Status(202, DisclosureOut.build(d))


@router.get("/companies/{slug}/disclosures", response={200: list[DisclosureOut], **RESTRICTED})
def disclosure_list(request: HttpRequest, slug: str) -> Any:
    """Every upload of the company, newest year first (accepted, superseded, failed …)."""
    company = access.access_company_locations(principal=_principal(request), slug=slug)
    return [DisclosureOut.build(d) for d in selectors.disclosures_for_company(company=company)]


@router.get(
    "/companies/{slug}/disclosures/{disclosure_id}", response={200: DisclosureOut, **RESTRICTED}
)
def disclosure_status(request: HttpRequest, slug: str, disclosure_id: int = _id()) -> Any:
    """A job's status, progress (rows parsed / matched / total), counts and, once
    accepted, the difference with the previous year. Poll it while `progress.running`."""
    d = access.access_disclosure(
        principal=_principal(request), disclosure_id=disclosure_id, company_slug=slug
    )
    return DisclosureOut.build(d)


@router.get(
    "/companies/{slug}/disclosures/{disclosure_id}/errors", response={200: ErrorsOut, **RESTRICTED}
)
def disclosure_errors(request: HttpRequest, slug: str, disclosure_id: int = _id()) -> Any:
    """The row-level errors of a refused upload (row, column, message, how to fix it) and
    the warnings of any upload."""
    d = access.access_disclosure(
        principal=_principal(request), disclosure_id=disclosure_id, company_slug=slug
    )
    return {
        "status": d.status,
        "errors": d.errors or [],
        "warnings": (d.summary or {}).get("warnings", []),
    }


@router.get(
    "/companies/{slug}/disclosures/{disclosure_id}/contributions",
    response={200: ContributionPageOut, **RESTRICTED},
)
def disclosure_contributions(
    request: HttpRequest, slug: str, filters: Query[ContributionQuery], disclosure_id: int = _id()
) -> Any:
    """The rows of a disclosure with the facility each is linked to and how."""
    d = access.access_disclosure(
        principal=_principal(request), disclosure_id=disclosure_id, company_slug=slug
    )
    qs = selectors.disclosure_contributions(disclosure=d, decision=filters.decision)
    items = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [ContributionOut.build(c) for c in items]}


@router.get(
    "/companies/{slug}/disclosures/{disclosure_id}/diff", response={200: DiffOut, **RESTRICTED}
)
def disclosure_diff(request: HttpRequest, slug: str, disclosure_id: int = _id()) -> Any:
    """Facilities added, removed and unchanged since the previous year's accepted list."""
    d = access.access_disclosure(
        principal=_principal(request), disclosure_id=disclosure_id, company_slug=slug
    )
    diff = selectors.disclosure_diff(d)
    return {
        "previous_year": diff.previous.year if diff.previous else None,
        "previous_disclosure": diff.previous.pk if diff.previous else None,
        "added": [_facility_ref(f) for f in diff.added],
        "removed": [_facility_ref(f) for f in diff.removed],
        "unchanged": [_facility_ref(f) for f in diff.unchanged],
    }


@router.post(
    "/companies/{slug}/disclosures/{disclosure_id}/rerun",
    response={202: DisclosureOut, **RESTRICTED},
)
def disclosure_rerun(request: HttpRequest, slug: str, disclosure_id: int = _id()) -> Any:
    """Process a refused or stalled upload again (the same file)."""
    principal = _principal(request)
    d = access.access_disclosure(
        principal=principal, disclosure_id=disclosure_id, company_slug=slug, manage=True
    )
    d = services.disclosure_rerun(disclosure=d, actor=principal.user)
    d.refresh_from_db()
    return Status(202, DisclosureOut.build(d))


@router.get("/companies/{slug}/locations", response={200: LocationsOut, **RESTRICTED})
def company_locations(request: HttpRequest, slug: str, filters: Query[LocationsQuery]) -> Any:
    """The company's current production locations: the accepted list of `year` (default
    the latest year) with the public facility id of each."""
    company = access.access_company_locations(principal=_principal(request), slug=slug)
    agreement = access.get_disclosure_agreement(company=company, slug=filters.agreement)
    disclosure = selectors.accepted_disclosure(
        company=company, agreement=agreement, year=filters.year
    )
    rows = list(selectors.disclosure_contributions(disclosure=disclosure)) if disclosure else []
    return {
        "agreement": agreement.slug,
        "year": disclosure.year if disclosure else filters.year,
        "disclosure": disclosure.pk if disclosure else None,
        "count": len(rows),
        "items": [ContributionOut.build(c) for c in rows],
    }


@router.post("/companies/{slug}/locations", response={201: DisclosureOut, **RESTRICTED})
def location_add(request: HttpRequest, slug: str, payload: LocationIn) -> Any:
    """Add one production location to the year's list (the same rules as a file row).
    Creates a new accepted version of the year's disclosure with the earlier rows."""
    principal = _principal(request)
    company = access.access_company_disclose(principal=principal, slug=slug)
    agreement = access.get_disclosure_agreement(company=company, slug=payload.agreement)
    fields = payload.model_dump(exclude={"agreement", "year"})
    d = services.disclosure_add_location(
        agreement=agreement,
        company=company,
        year=payload.year,
        cleaned_fields=fields,
        actor=principal.user,
    )
    return Status(201, DisclosureOut.build(d))
