"""Public aggregates of the assessments per reporting year (suppressed below MIN_GROUP_SIZE)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from covenant.accounts.permissions import Principal
from covenant.accounts.schemas import ErrorOut
from covenant.duediligence import access
from covenant.duediligence.selectors import aggregates

router = Router(tags=["due diligence: results"])


class OutcomeShareOut(Schema):
    code: str
    name: str
    count: int | None = Field(..., description="null: suppressed (fewer than MIN_GROUP_SIZE)")
    percent: float | None


class BandOut(Schema):
    band: str
    count: int | None


class RankedOut(Schema):
    name: str
    companies: int


class YearOut(Schema):
    year: int
    assessed: int | None = Field(..., description="null: fewer than MIN_GROUP_SIZE")
    publishable: bool
    outcomes: list[OutcomeShareOut]
    score_distribution: list[BandOut]
    prioritised_themes: list[RankedOut]
    prioritised_countries: list[RankedOut]
    companies_sharing_risks: int | None


@router.get(
    "/agreements/{slug}/due-diligence/results", response={200: list[YearOut], 404: ErrorOut}
)
def results(request: HttpRequest, slug: str) -> Any:
    """Per reporting year: companies assessed, share per outcome category, score distribution,
    most prioritised themes and countries, companies sharing risks with the parties."""
    principal: Principal = request.auth  # type: ignore[attr-defined]
    agreement, _drafts = access.access_frameworks(principal=principal, slug=slug)
    return [
        {
            "year": y.year,
            "assessed": y.assessed,
            "publishable": y.publishable,
            "outcomes": [
                {"code": o.code, "name": o.name, "count": o.count, "percent": o.percent}
                for o in y.outcomes
            ],
            "score_distribution": [{"band": b, "count": n} for b, n in y.bands],
            "prioritised_themes": [{"name": k, "companies": n} for k, n in y.themes],
            "prioritised_countries": [{"name": k, "companies": n} for k, n in y.countries],
            "companies_sharing_risks": y.sharing,
        }
        for y in aggregates.year_aggregates(agreement)
    ]
