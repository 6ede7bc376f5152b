"""Public API of the published lists (no token needed): search with typo tolerance and
filters, facility detail (following merges to the surviving id), downloads and counts; and
publishing a year (the agreement's secretariat). No endpoint here names a company."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.agreements.access import access_agreement_public
from covenant.core.errors import NotFound
from covenant.supplychain import access
from covenant.supplychain.selectors import published as selectors
from covenant.supplychain.services import publication

router = Router(tags=["published locations"])

PUBLIC = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class LocationQuery(Schema):
    q: str = Field(
        "", max_length=200, description="Words of the name or address; typos are tolerated."
    )
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2 code.")
    facility_type: str = Field(
        "", max_length=60, description="A facility-type code of the taxonomy."
    )
    year: int | None = Field(
        None, ge=2000, le=2100, description="Year of the list; the latest by default."
    )
    page: int = Field(1, ge=1, le=1_000_000)


class LocationOut(Schema):
    public_id: str
    name: str
    address: str
    city: str
    province: str
    country: str
    facility_type: str


class LocationPageOut(Schema):
    year: int
    published_on: dt.date
    count: int
    typo_matches: int = Field(
        ..., description="Results found only through a similar spelling (listed last)."
    )
    page: int
    pages: int
    page_size: int
    results: list[LocationOut]


class FacilityOut(LocationOut):
    requested_id: str = Field(
        ..., description="The id asked for; differs from public_id after a merge."
    )
    years: list[int] = Field(
        ..., description="Years of the published lists that hold the facility."
    )


class CountOut(Schema):
    key: str
    count: int


class ListCountsOut(Schema):
    year: int
    published_on: dt.date
    total: int
    by_country: list[CountOut]
    by_facility_type: list[CountOut]


class YearQuery(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="Year of the list; the latest by default."
    )


class DownloadQuery(YearQuery):
    format: Literal["csv", "xlsx", "json", "osh"] = Field(
        "csv", description="csv, xlsx, json, or osh (Open Supply Hub's list upload format)"
    )


class PublishIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="The year the locations were used.")
    replace: bool = Field(False, description="Publish a year again, replacing its list.")


class PublishedListOut(Schema):
    year: int
    published_on: dt.date
    location_count: int


def _list(slug: str, year: int | None) -> Any:
    agreement = access_agreement_public(slug=slug)
    published = selectors.published_list_for(agreement, year)
    if published is None:
        raise NotFound("There is no published list for this year.")
    return agreement, published


@router.get("/agreements/{slug}/published-lists", response={200: list[PublishedListOut], **PUBLIC})
def published_lists(request: HttpRequest, slug: str) -> Any:
    """The agreement's published lists, latest year first (public)."""
    return selectors.published_lists(access_agreement_public(slug=slug))


@router.get("/agreements/{slug}/locations", response={200: LocationPageOut, **PUBLIC})
def locations(request: HttpRequest, slug: str, filters: Query[LocationQuery]) -> Any:
    """Search a published list (public): every word of `q` must occur in the name, address,
    city or province (prefixes and typos tolerated; exact matches first), filtered by country
    and facility type; 50 per page."""
    _agreement, published = _list(slug, filters.year)
    result = selectors.published_search(
        published,
        q=filters.q,
        country=filters.country,
        facility_type=filters.facility_type,
        page=filters.page,
    )
    return {
        "year": published.year,
        "published_on": published.published_on,
        "count": result.count,
        "typo_matches": result.typo_matches,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "results": result.locations,
    }


@router.get("/agreements/{slug}/locations/counts", response={200: list[ListCountsOut], **PUBLIC})
def location_counts(request: HttpRequest, slug: str) -> Any:
    """Per published list: the number of locations, per country and per facility type (public)."""
    agreement = access_agreement_public(slug=slug)
    return [
        {
            "year": c.year,
            "published_on": c.published_on,
            "total": c.total,
            "by_country": [{"key": k, "count": n} for k, n in c.by_country],
            "by_facility_type": [{"key": k, "count": n} for k, n in c.by_type],
        }
        for c in selectors.history(agreement)
    ]


@router.get(
    "/agreements/{slug}/locations/download",
    response={200: None, **PUBLIC},
    openapi_extra={
        "responses": {
            200: {
                "description": "The whole list as a file",
                "content": {
                    "text/csv": {},
                    "application/json": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                },
            }
        }
    },
)
def download(request: HttpRequest, slug: str, filters: Query[DownloadQuery]) -> HttpResponse:
    """A whole published list as a file (public): CSV, XLSX, JSON, or Open Supply Hub's list
    upload format (country, name, address, sector, facility_type). Cells a spreadsheet would
    run as formulas are escaped."""
    _agreement, published = _list(slug, filters.year)
    from covenant.supplychain.views.public import download_response

    return download_response(published, filters.format)


@router.get("/agreements/{slug}/locations/{public_id}", response={200: FacilityOut, **PUBLIC})
def facility(request: HttpRequest, slug: str, public_id: str) -> Any:
    """A facility as published (public), from the latest list that holds it. The id of a
    facility merged into another answers with the surviving facility (`public_id` differs
    from `requested_id`)."""
    agreement = access_agreement_public(slug=slug)
    survivor, found = access.access_published_facility(agreement=agreement, public_id=public_id)
    loc = found.location
    return {
        "public_id": survivor.public_id,
        "requested_id": public_id,
        "name": loc.name,
        "address": loc.address,
        "city": loc.city,
        "province": loc.province,
        "country": loc.country,
        "facility_type": loc.facility_type,
        "years": found.years,
    }


@router.post("/agreements/{slug}/published-lists", response={201: PublishedListOut, **RESTRICTED})
def publish(request: HttpRequest, slug: str, payload: PublishIn) -> Any:
    """Publish the list of a year (the agreement's secretariat), from the publication date
    of the following year on. A year already published needs `replace`."""
    principal = _principal(request)
    agreement = access.access_agreement_publish(principal=principal, slug=slug)
    published = publication.published_list_publish(
        agreement=agreement, year=payload.year, actor=principal.user, replace=payload.replace
    )
    return Status(201, published)
