"""Signals API: the secretariat's list, one signal and its handling steps; a company's
forwarded signals and its response. The same access helpers and services as the pages.
Reporting itself is a page only (no account, a form token and a proof of work against
floods); partner organisations that want to submit by API are a later step."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.signals import access, deadlines, selectors, services
from covenant.signals.models import Signal, SignalForward

router = Router(tags=["signals"])
RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class StageOut(Schema):
    stage: str
    due: dt.datetime
    done_at: dt.datetime | None
    overdue: bool


class SignalSummaryOut(Schema):
    reference: str
    status: str
    outcome: str
    received_at: dt.datetime
    country: str
    facility_id: str | None = Field(..., description="Public id of the facility, if linked.")
    themes: list[str]
    escalated: bool
    stages: list[StageOut]


class ForwardOut(Schema):
    company: str
    status: str
    identity_shared: bool
    acknowledged_at: dt.datetime | None
    responded_at: dt.datetime | None
    investigation: str
    actions: str
    remediation: str


class MessageOut(Schema):
    direction: str
    body: str
    created_at: dt.datetime


class SignalDetailOut(SignalSummaryOut):
    description: str
    location_text: str
    since: dt.date | None
    workers_affected: int | None
    language: str
    reporter_name: str
    reporter_contact: str
    identity_shareable: bool
    messages: list[MessageOut]
    forwards: list[ForwardOut]
    reporter_summary: str


class CompanySignalOut(Schema):
    reference: str
    status: str = Field(
        ..., description="The company's own stage: forwarded, acknowledged, responded."
    )
    forwarded_at: dt.datetime
    facility_id: str | None
    facility_name: str
    themes: list[str]
    description: str
    since: dt.date | None
    workers_affected: int | None
    shared_with_others: bool
    coordinating_with: list[str]
    identity_shared: bool
    reporter_name: str = Field(..., description="Empty unless the reporter allowed sharing.")
    reporter_contact: str
    note_from_secretariat: str
    investigation: str
    actions: str
    remediation: str


class CheckIn(Schema):
    decision: Literal["admissible", "needs_info", "not_member", "inadmissible"]
    note: str = Field("", max_length=480)


class QuestionIn(Schema):
    text: str = Field(..., max_length=10_000)


class NoteIn(Schema):
    note: str = Field("", max_length=5000)


class CloseIn(Schema):
    outcome: Literal["resolved", "partly", "unresolved", "not_handled"]


class ResponseIn(Schema):
    investigation: str = Field("", max_length=10_000)
    actions: str = Field("", max_length=10_000)
    remediation: str = Field("", max_length=10_000)


def _summary(row: deadlines.SignalDeadlines) -> dict[str, Any]:
    s = row.signal
    return {
        "reference": s.reference,
        "status": s.status,
        "outcome": s.outcome,
        "received_at": s.created_at,
        "country": s.country,
        "facility_id": s.facility.public_id if s.facility else None,
        "themes": [t.code for t in s.themes.all()],
        "escalated": s.escalated_at is not None,
        "stages": [
            {"stage": st.key, "due": st.due, "done_at": st.done_at, "overdue": st.overdue}
            for st in row.stages
        ],
    }


def _detail(signal: Signal) -> dict[str, Any]:
    view = selectors.secretariat_view(signal)
    return {
        **_summary(deadlines.with_deadlines([signal])[0]),
        "description": view.description,
        "location_text": view.location_text,
        "since": signal.since,
        "workers_affected": signal.workers_affected,
        "language": signal.language,
        "reporter_name": view.reporter_name,
        "reporter_contact": view.reporter_contact,
        "identity_shareable": signal.identity_shareable,
        "messages": [
            {"direction": m.direction, "body": m.body, "created_at": m.created_at}
            for m in view.messages
        ],
        "forwards": [
            {
                "company": f.company.slug,
                "status": f.status,
                "identity_shared": f.identity_shared,
                "acknowledged_at": f.acknowledged_at,
                "responded_at": f.responded_at,
                "investigation": f.investigation,
                "actions": f.actions,
                "remediation": f.remediation,
            }
            for f in view.forwards
        ],
        "reporter_summary": signal.reporter_summary,
    }


@router.get("/secretariat/{slug}/signals", response={200: list[SignalSummaryOut], **RESTRICTED})
def signal_list(request: HttpRequest, slug: str, overdue: bool = False) -> Any:
    """The agreement's signals with their stages and deadlines (its secretariat)."""
    agreement = access.access_signals_agreement(principal=_principal(request), slug=slug)
    rows = deadlines.with_deadlines(list(selectors.agreement_signals(agreement)[:1000]))
    return [_summary(r) for r in rows if r.overdue or not overdue]


@router.get("/signals/{reference}", response={200: SignalDetailOut, **RESTRICTED})
def signal_detail(request: HttpRequest, reference: str) -> Any:
    """One signal with the reporter's identity (the agreement's secretariat; audited)."""
    signal = access.access_signal_secretariat(
        principal=_principal(request), reference=reference, what="api"
    )
    return _detail(signal)


def _staff(request: HttpRequest, reference: str) -> tuple[Signal, Any]:
    principal = _principal(request)
    signal = access.access_signal_secretariat(principal=principal, reference=reference)
    assert principal.user is not None  # the access helper refused anonymous callers
    return signal, principal.user


@router.post("/signals/{reference}/check", response={200: SignalDetailOut, **RESTRICTED})
def signal_check(request: HttpRequest, reference: str, payload: CheckIn) -> Any:
    """The secretariat's check of a signal: admissible, more information needed, not about
    a member's location, or not admissible (with a note)."""
    signal, actor = _staff(request, reference)
    return _detail(
        services.signal_check(
            signal=signal, decision=payload.decision, note=payload.note, actor=actor
        )
    )


@router.post("/signals/{reference}/questions", response={200: SignalDetailOut, **RESTRICTED})
def signal_ask(request: HttpRequest, reference: str, payload: QuestionIn) -> Any:
    """A question to the reporter, who reads it with the receipt code."""
    signal, actor = _staff(request, reference)
    services.signal_ask(signal=signal, text=payload.text, actor=actor)
    signal.refresh_from_db()
    return _detail(signal)


@router.post("/signals/{reference}/forward", response={200: SignalDetailOut, **RESTRICTED})
def signal_forward(request: HttpRequest, reference: str, payload: NoteIn) -> Any:
    """To every member company linked to the location; the identity only with consent."""
    signal, actor = _staff(request, reference)
    services.signal_forward(signal=signal, note=payload.note, actor=actor)
    signal.refresh_from_db()
    return _detail(signal)


@router.post("/signals/{reference}/close", response={200: SignalDetailOut, **RESTRICTED})
def signal_close(request: HttpRequest, reference: str, payload: CloseIn) -> Any:
    """Close a signal with its outcome (the secretariat)."""
    signal, actor = _staff(request, reference)
    return _detail(services.signal_close(signal=signal, outcome=payload.outcome, actor=actor))


def _company_out(forward: SignalForward) -> dict[str, Any]:
    view = selectors.company_view(forward)
    s = forward.signal
    return {
        "reference": s.reference,
        "status": forward.status,
        "forwarded_at": forward.created_at,
        "facility_id": s.facility.public_id if s.facility else None,
        "facility_name": s.facility.name if s.facility else "",
        "themes": [t.code for t in s.themes.all()],
        "description": view.description,
        "since": s.since,
        "workers_affected": s.workers_affected,
        "shared_with_others": forward.shared_with_others,
        "coordinating_with": view.coordinating,
        "identity_shared": forward.identity_shared,
        "reporter_name": view.reporter_name,
        "reporter_contact": view.reporter_contact,
        "note_from_secretariat": forward.note_from_secretariat,
        "investigation": forward.investigation,
        "actions": forward.actions,
        "remediation": forward.remediation,
    }


@router.get("/companies/{slug}/signals", response={200: list[CompanySignalOut], **RESTRICTED})
def company_signals(request: HttpRequest, slug: str) -> Any:
    """Signals forwarded to the company (its own users only)."""
    company = access.access_company_signals(principal=_principal(request), slug=slug)
    return [_company_out(f) for f in selectors.company_forwards(company)]


@router.get("/companies/{slug}/signals/{reference}", response={200: CompanySignalOut, **RESTRICTED})
def company_signal(request: HttpRequest, slug: str, reference: str) -> Any:
    """A signal forwarded to the company, as the company sees it: without the reporter's
    identity unless the reporter allowed it; other members only counted."""
    forward = access.access_signal_forward(
        principal=_principal(request), slug=slug, reference=reference
    )
    return _company_out(forward)


@router.post(
    "/companies/{slug}/signals/{reference}/response",
    response={200: CompanySignalOut, **RESTRICTED},
)
def company_respond(request: HttpRequest, slug: str, reference: str, payload: ResponseIn) -> Any:
    """The company's response (its admins): investigation, actions, remediation."""
    principal = _principal(request)
    forward = access.access_signal_forward(
        principal=principal, slug=slug, reference=reference, respond=True
    )
    assert principal.user is not None  # access_signal_forward refused anonymous callers
    forward = services.forward_respond(
        forward=forward,
        investigation=payload.investigation,
        actions=payload.actions,
        remediation=payload.remediation,
        actor=principal.user,
    )
    return _company_out(forward)
