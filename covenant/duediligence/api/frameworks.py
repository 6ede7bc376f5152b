"""Assessment framework API: versions of an agreement's framework (published ones are public,
drafts for its secretariat), one version with its section maxima, the framework file (export
and import), publishing and starting a new version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Path, Router, Schema, Status

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.duediligence import access
from covenant.duediligence.models import Framework
from covenant.duediligence.selectors import frameworks as selectors
from covenant.duediligence.services import frameworks as services

router = Router(tags=["due diligence: frameworks"])

FILE_BODY = Body(..., description="A framework file (format covenant-framework/1).")
RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _version() -> Any:
    return Path(..., ge=1, le=10_000)


class FrameworkSummaryOut(Schema):
    version: int
    name: str
    status: str
    valid_from_year: int
    maximum: int = Field(..., description="Total points.")


class MinimumOut(Schema):
    membership_year: int = Field(
        ..., description="Holds for this and later years until the next row."
    )
    min_percent: float


class OutcomeOut(Schema):
    code: str
    name: str
    rule: dict[str, Any]


class CriterionOut(Schema):
    code: str
    text: str
    guidance: str
    examples: str
    answer_type: str
    options: dict[str, Any]
    required: bool
    points: int
    scoring: dict[str, Any]
    theme: str | None


class SectionOut(Schema):
    code: str
    kind: str
    name: str
    oecd_steps: list[int]
    maximum: int
    share_percent: float
    criteria: list[CriterionOut]


class FrameworkOut(FrameworkSummaryOut):
    agreement: str
    sections: list[SectionOut]
    minimums: list[MinimumOut]
    outcomes: list[OutcomeOut]


class NewVersionIn(Schema):
    valid_from_year: int = Field(..., ge=2000, le=2100)


def _summary(framework: Framework) -> dict[str, Any]:
    maximum = sum(
        c for c in framework.sections.values_list("criteria__points", flat=True) if c is not None
    )
    return {
        "version": framework.version,
        "name": framework.name,
        "status": framework.status,
        "valid_from_year": framework.valid_from_year,
        "maximum": maximum,
    }


def framework_out(framework: Framework) -> dict[str, Any]:
    view = selectors.framework_detail(framework)
    return {
        "agreement": framework.agreement.slug,
        "version": framework.version,
        "name": framework.name,
        "status": framework.status,
        "valid_from_year": framework.valid_from_year,
        "maximum": view.maximum,
        "sections": [
            {
                "code": s.section.code,
                "kind": s.section.kind,
                "name": s.section.name,
                "oecd_steps": s.section.oecd_steps,
                "maximum": s.maximum,
                "share_percent": s.share_percent,
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "guidance": c.guidance,
                        "examples": c.examples,
                        "answer_type": c.answer_type,
                        "options": c.options,
                        "required": c.required,
                        "points": c.points,
                        "scoring": c.scoring,
                        "theme": c.theme.code if c.theme else None,
                    }
                    for c in s.criteria
                ],
            }
            for s in view.sections
        ],
        "minimums": [{"membership_year": y, "min_percent": p} for y, p in view.minimums],
        "outcomes": [{"code": o.code, "name": o.name, "rule": o.rule} for o in view.outcomes],
    }


@router.get(
    "/agreements/{slug}/frameworks", response={200: list[FrameworkSummaryOut], **RESTRICTED}
)
def list_frameworks(request: HttpRequest, slug: str) -> Any:
    """Versions of the agreement's assessment framework, newest first (drafts only for its
    secretariat)."""
    agreement, drafts = access.access_frameworks(principal=_principal(request), slug=slug)
    qs = selectors.frameworks_of(agreement)
    if not drafts:
        qs = qs.exclude(status=Framework.Status.DRAFT)
    return [_summary(f) for f in qs]


@router.get("/agreements/{slug}/frameworks/current", response={200: FrameworkOut, **RESTRICTED})
def current_framework(request: HttpRequest, slug: str) -> Any:
    """The published version that applies to the latest reporting years."""
    return framework_out(
        access.access_framework(principal=_principal(request), slug=slug, version=None)
    )


@router.get("/agreements/{slug}/frameworks/{version}", response={200: FrameworkOut, **RESTRICTED})
def get_framework(request: HttpRequest, slug: str, version: int = _version()) -> Any:
    """One version with its sections (and their maxima), criteria, minimums and outcomes."""
    return framework_out(
        access.access_framework(principal=_principal(request), slug=slug, version=version)
    )


@router.get(
    "/agreements/{slug}/frameworks/{version}/export", response={200: dict[str, Any], **RESTRICTED}
)
def export_framework(request: HttpRequest, slug: str, version: int = _version()) -> Any:
    """The framework file (format covenant-framework/1) another agreement can import."""
    framework = access.access_framework(principal=_principal(request), slug=slug, version=version)
    return selectors.framework_export(framework)


@router.post("/agreements/{slug}/frameworks", response={201: FrameworkOut, **RESTRICTED})
def import_framework(request: HttpRequest, slug: str, payload: dict[str, Any] = FILE_BODY) -> Any:
    """Import a framework file as the agreement's next version (a draft). All problems are
    listed in `detail[0].errors` with the path of the field; nothing is saved then."""
    principal = _principal(request)
    agreement, _f = access.access_framework_manage(principal=principal, slug=slug)
    framework = services.framework_import(agreement=agreement, data=payload, actor=principal.user)
    return Status(201, framework_out(framework))


@router.post(
    "/agreements/{slug}/frameworks/{version}/publish", response={200: FrameworkOut, **RESTRICTED}
)
def publish_framework(request: HttpRequest, slug: str, version: int = _version()) -> Any:
    """Publish a draft version (the agreement's secretariat); it never changes after."""
    principal = _principal(request)
    _a, framework = access.access_framework_manage(principal=principal, slug=slug, version=version)
    assert framework is not None
    return framework_out(services.framework_publish(framework=framework, actor=principal.user))


@router.post(
    "/agreements/{slug}/frameworks/{version}/new-version",
    response={201: FrameworkOut, **RESTRICTED},
)
def new_version(
    request: HttpRequest, payload: NewVersionIn, slug: str, version: int = _version()
) -> Any:
    """A new draft version copied from this one, for a later first reporting year."""
    principal = _principal(request)
    _a, framework = access.access_framework_manage(principal=principal, slug=slug, version=version)
    assert framework is not None
    created = services.framework_new_version(
        framework=framework, valid_from_year=payload.valid_from_year, actor=principal.user
    )
    return Status(201, framework_out(created))
