"""Risk register API: a company's risks in priority order with the reason (its users and the
secretariat, audited), add and change risks, its own order with a reason, share a top priority
risk with consent and withdraw it, the action plan (targets, progress per year, results), and
the risks shared with an agreement's parties (its parties and secretariat)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.duediligence import access
from covenant.duediligence.models import ActionTarget, Risk
from covenant.duediligence.priority import PriorityRow
from covenant.duediligence.selectors import risks as selectors
from covenant.duediligence.services import risks as services

router = Router(tags=["due diligence: risks and action plans"])

RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**31 - 1


def _id() -> Any:
    return Path(..., ge=1, le=MAX_ID)


class AgreementQuery(Schema):
    agreement: str | None = Field(
        None, max_length=80, description="slug; the company's first by default"
    )


class RiskIn(Schema):
    agreement: str | None = Field(None, max_length=80)
    theme: str = Field(..., max_length=40, description="theme code of the agreement")
    country: str = Field("", max_length=2)
    facility: str = Field("", max_length=40, description="public facility id")
    material: str = Field("", max_length=100)
    description: str = Field(..., max_length=3000)
    scale: int
    scope: int
    irremediable: int
    likelihood: int
    involvement: str = Field(..., description="cause, contribute or linked")
    leverage: str = Field(..., description="low, medium or high")
    status: str = "open"


class ProgressOut(Schema):
    year: int
    value: Decimal
    note: str


class ResultOut(Schema):
    achieved_on: dt.date
    description: str
    evidence_url: str


class ActionOut(Schema):
    id: int
    target: str
    measures: str
    owner: str
    deadline: dt.date
    indicator: str
    baseline: Decimal
    target_value: Decimal
    unit: str
    status: str
    progress: list[ProgressOut]
    results: list[ResultOut]


class RiskOut(Schema):
    id: int
    rank: int | None = Field(..., description="Place in the priority order (open risks).")
    computed_rank: int | None
    reason: str = Field(..., description="Why it is in this place.")
    moved_by_company: bool
    theme: str
    country: str
    facility: str | None
    material: str
    description: str
    scale: int
    scope: int
    irremediable: int
    severity: int
    likelihood: int
    involvement: str
    leverage: str
    status: str
    shared: bool
    country_hint: str | None = Field(
        None, description="The agreement's risk level for this theme in this country, if any."
    )
    actions: list[ActionOut]


class RegisterOut(Schema):
    agreement: str
    share_limit: int
    order_reason: str | None
    risks: list[RiskOut]


class OrderIn(Schema):
    agreement: str | None = Field(None, max_length=80)
    order: list[int] = Field(
        ...,
        max_length=1000,
        description="Risk ids, highest priority first; [] for the computed order.",
    )
    reason: str = Field("", max_length=2000)


class ShareIn(Schema):
    consent: bool = Field(..., description="Must be true: the parties will see this risk.")
    message: str = Field("", max_length=2000)


class ActionIn(Schema):
    target: str = Field(..., max_length=500)
    measures: str = Field(..., max_length=3000)
    owner: str = Field(..., max_length=200)
    deadline: dt.date
    indicator: str = Field(..., max_length=300)
    baseline: Decimal
    target_value: Decimal
    unit: str = Field("", max_length=50)
    status: str = "planned"


class ProgressIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    value: Decimal
    note: str = Field("", max_length=2000)


class ResultIn(Schema):
    achieved_on: dt.date
    description: str = Field(..., max_length=3000)
    evidence_url: str = Field("", max_length=500)


class SharedRiskOut(Schema):
    company: str
    company_name: str
    theme: str
    country: str
    material: str
    description: str
    severity: int
    likelihood: int
    involvement: str
    message: str
    shared_on: dt.date
    targets: list[str]


def _action_out(a: ActionTarget) -> dict[str, Any]:
    return {
        "id": a.pk,
        "target": a.target,
        "measures": a.measures,
        "owner": a.owner,
        "deadline": a.deadline,
        "indicator": a.indicator,
        "baseline": a.baseline,
        "target_value": a.target_value,
        "unit": a.unit,
        "status": a.status,
        "progress": [{"year": p.year, "value": p.value, "note": p.note} for p in a.progress.all()],
        "results": [
            {
                "achieved_on": r.achieved_on,
                "description": r.description,
                "evidence_url": r.evidence_url,
            }
            for r in a.results.all()
        ],
    }


def _risk_out(row: PriorityRow, shared: set[int], hints: dict | None = None) -> dict[str, Any]:
    r = row.risk
    assert isinstance(r, Risk)
    is_open = r.status == Risk.Status.OPEN
    return {
        "id": r.pk,
        "rank": row.rank if is_open else None,
        "computed_rank": row.computed_rank if is_open else None,
        "reason": row.reason,
        "moved_by_company": row.moved,
        "theme": r.theme.code,
        "country": r.country,
        "facility": r.facility.public_id if r.facility else None,
        "material": r.material,
        "description": r.description,
        "scale": r.scale,
        "scope": r.scope,
        "irremediable": r.irremediable,
        "severity": r.severity,
        "likelihood": r.likelihood,
        "involvement": r.involvement,
        "leverage": r.leverage,
        "status": r.status,
        "shared": r.pk in shared,
        "country_hint": hints[r.pk].level if hints and r.pk in hints else None,
        "actions": [_action_out(a) for a in r.targets.all()],
    }


def _register_out(agreement: Any, company: Any) -> dict[str, Any]:
    reg = selectors.register(agreement, company)
    return {
        "agreement": agreement.slug,
        "share_limit": reg.limit,
        "order_reason": reg.order.reason if reg.order else None,
        "risks": [_risk_out(row, reg.shared, reg.hints) for row in reg.rows],
    }


def _one(risk: Risk) -> dict[str, Any]:
    reg = selectors.register(risk.agreement, risk.company)
    row = next(r for r in reg.rows if r.risk.pk == risk.pk)
    return _risk_out(row, reg.shared, reg.hints)


def _risk_data(payload: RiskIn) -> dict[str, Any]:
    return payload.dict(exclude={"agreement"})


@router.get("/companies/{slug}/risks", response={200: RegisterOut, **RESTRICTED})
def get_register(request: HttpRequest, slug: str, query: Query[AgreementQuery]) -> Any:
    """The register in priority order: severity first, then likelihood; the company's own
    order where it set one (with its reason)."""
    company, agreement = access.access_company_risks(
        principal=_principal(request), slug=slug, agreement_slug=query.agreement
    )
    return _register_out(agreement, company)


@router.post("/companies/{slug}/risks", response={201: RiskOut, **RESTRICTED})
def add_risk(request: HttpRequest, slug: str, payload: RiskIn) -> Any:
    """Add a risk to the register (the company's admins); every field problem is listed."""
    principal = _principal(request)
    company, agreement = access.access_company_risks(
        principal=principal, slug=slug, agreement_slug=payload.agreement, edit=True
    )
    risk = services.risk_create(
        agreement=agreement, company=company, data=_risk_data(payload), actor=principal.user
    )
    return Status(201, _one(risk))


@router.get("/companies/{slug}/risks/{risk_id}", response={200: RiskOut, **RESTRICTED})
def get_risk(request: HttpRequest, slug: str, risk_id: int = _id()) -> Any:
    """One risk with its place in the priority order, the reason and its action plan."""
    return _one(access.access_risk(principal=_principal(request), slug=slug, risk_id=risk_id))


@router.put("/companies/{slug}/risks/{risk_id}", response={200: RiskOut, **RESTRICTED})
def update_risk(request: HttpRequest, slug: str, payload: RiskIn, risk_id: int = _id()) -> Any:
    """Change a risk (all fields given again; the company's admins)."""
    principal = _principal(request)
    risk = access.access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=True)
    return _one(services.risk_update(risk=risk, data=_risk_data(payload), actor=principal.user))


@router.post("/companies/{slug}/risk-order", response={200: RegisterOut, **RESTRICTED})
def reorder(request: HttpRequest, slug: str, payload: OrderIn) -> Any:
    """Put the company's own order over the computed one (a reason is required)."""
    principal = _principal(request)
    company, agreement = access.access_company_risks(
        principal=principal, slug=slug, agreement_slug=payload.agreement, edit=True
    )
    services.risk_reorder(
        agreement=agreement,
        company=company,
        order=payload.order,
        reason=payload.reason,
        actor=principal.user,
    )
    return _register_out(agreement, company)


@router.post("/companies/{slug}/risks/{risk_id}/share", response={200: RiskOut, **RESTRICTED})
def share(request: HttpRequest, slug: str, payload: ShareIn, risk_id: int = _id()) -> Any:
    """Share a top priority risk with the agreement's parties (explicit consent)."""
    principal = _principal(request)
    risk = access.access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=True)
    services.risk_share(
        risk=risk, consent=payload.consent, message=payload.message, actor=principal.user
    )
    return _one(risk)


@router.delete("/companies/{slug}/risks/{risk_id}/share", response={200: RiskOut, **RESTRICTED})
def unshare(request: HttpRequest, slug: str, risk_id: int = _id()) -> Any:
    """Withdraw the consent: the parties no longer see the risk."""
    principal = _principal(request)
    risk = access.access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=True)
    services.risk_unshare(risk=risk, actor=principal.user)
    return _one(risk)


@router.post("/companies/{slug}/risks/{risk_id}/actions", response={201: ActionOut, **RESTRICTED})
def add_action(request: HttpRequest, slug: str, payload: ActionIn, risk_id: int = _id()) -> Any:
    """Add a SMART target to the risk's action plan."""
    principal = _principal(request)
    risk = access.access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=True)
    action = services.action_create(risk=risk, data=payload.dict(), actor=principal.user)
    return Status(201, _action_out(action))


@router.put(
    "/companies/{slug}/risks/{risk_id}/actions/{action_id}", response={200: ActionOut, **RESTRICTED}
)
def update_action(
    request: HttpRequest, slug: str, payload: ActionIn, risk_id: int = _id(), action_id: int = _id()
) -> Any:
    """Change a target of the action plan (its status too)."""
    principal = _principal(request)
    action = access.access_action(
        principal=principal, slug=slug, risk_id=risk_id, action_id=action_id
    )
    return _action_out(
        services.action_update(action=action, data=payload.dict(), actor=principal.user)
    )


@router.post(
    "/companies/{slug}/risks/{risk_id}/actions/{action_id}/progress",
    response={200: ActionOut, **RESTRICTED},
)
def record_progress(
    request: HttpRequest,
    slug: str,
    payload: ProgressIn,
    risk_id: int = _id(),
    action_id: int = _id(),
) -> Any:
    """The indicator's value in a year (again for the same year: replaced)."""
    principal = _principal(request)
    action = access.access_action(
        principal=principal, slug=slug, risk_id=risk_id, action_id=action_id
    )
    services.action_progress_record(
        action=action,
        year=payload.year,
        value=payload.value,
        note=payload.note,
        actor=principal.user,
    )
    return _action_out(
        ActionTarget.objects.prefetch_related("progress", "results").get(pk=action.pk)
    )


@router.post(
    "/companies/{slug}/risks/{risk_id}/actions/{action_id}/results",
    response={200: ActionOut, **RESTRICTED},
)
def record_result(
    request: HttpRequest, slug: str, payload: ResultIn, risk_id: int = _id(), action_id: int = _id()
) -> Any:
    """A result achieved, recorded apart from the plan."""
    principal = _principal(request)
    action = access.access_action(
        principal=principal, slug=slug, risk_id=risk_id, action_id=action_id
    )
    services.action_result_record(action=action, data=payload.dict(), actor=principal.user)
    return _action_out(
        ActionTarget.objects.prefetch_related("progress", "results").get(pk=action.pk)
    )


@router.get("/agreements/{slug}/shared-risks", response={200: list[SharedRiskOut], **RESTRICTED})
def list_shared(request: HttpRequest, slug: str) -> Any:
    """Risks member companies shared with the parties (only those, while shared)."""
    agreement = access.access_shared_risks(principal=_principal(request), slug=slug)
    return [
        {
            "company": s.risk.company.slug,
            "company_name": s.risk.company.name,
            "theme": s.risk.theme.code,
            "country": s.risk.country,
            "material": s.risk.material,
            "description": s.risk.description,
            "severity": s.risk.severity,
            "likelihood": s.risk.likelihood,
            "involvement": s.risk.involvement,
            "message": s.message,
            "shared_on": s.consented_at.date(),
            "targets": [t.target for t in s.risk.targets.all()],
        }
        for s in selectors.shared_risks(agreement)
    ]
