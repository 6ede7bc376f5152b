"""Complaints API: the public register (pending cases without names, published rulings)
and a case as the caller's side sees it (the same rules as the case page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.agreements.access import access_agreement_public
from covenant.complaints import access, selectors

router = Router(tags=["complaints"])


class RegisterQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    q: str = Field("", max_length=200, description="words searched in the published rulings")
    country: str = Field("", max_length=2)
    theme: str = Field("", max_length=40, description="theme code")


class PendingOut(Schema):
    reference: str
    filed_on: dt.date
    sector: str
    country: str
    theme: str | None
    stage: str


class RulingOut(Schema):
    reference: str
    kind: str
    decided_on: dt.date
    published_on: dt.date
    outcome: str
    text: str


class RegisterOut(Schema):
    pending: list[PendingOut]
    rulings: list[RulingOut]


def _ruling(r: Any) -> dict[str, Any]:
    return {
        "reference": r.complaint.reference,
        "kind": r.kind,
        "decided_on": r.decided_on,
        "published_on": r.published_on,
        "outcome": r.outcome,
        "text": r.text,
    }


@router.get(
    "/agreements/{slug}/complaints", response={200: RegisterOut, 404: ErrorOut, 422: ErrorOut}
)
def register(request: HttpRequest, slug: str, filters: Query[RegisterQuery]) -> Any:
    """The public register of the agreement's complaints committee: pending cases with only
    their reference, filed date, sector, country, theme and stage; the published rulings
    (text in the request's language where the committee gave one)."""
    agreement = access_agreement_public(slug=slug)
    pending = selectors.register_pending(agreement, country=filters.country, theme=filters.theme)
    return {
        "pending": [
            {
                "reference": c.reference,
                "filed_on": c.filed_on,
                "sector": agreement.sector,
                "country": c.country,
                "theme": c.theme.code if c.theme else None,
                "stage": c.stage,
            }
            for c in pending[:500]
        ],
        "rulings": [_ruling(r) for r in selectors.rulings_published(agreement, q=filters.q)[:100]],
    }


class MessageOut(Schema):
    from_side: str
    to_side: str
    body: str
    created_at: dt.datetime


class EventOut(Schema):
    on: dt.date
    action: str
    stage: str
    note: str


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    stage: str
    side: str
    shared: bool


class CaseOut(Schema):
    reference: str
    side: str = Field(..., description="the caller's side: committee, filer or respondent")
    agreement: str
    kind: str
    subject: str
    description: str
    filer: str | None
    on_behalf_of: str
    respondent: str
    country: str
    theme: str | None
    stage: str
    due_on: dt.date | None
    outcome: str
    events: list[EventOut]
    messages: list[MessageOut]
    documents: list[DocumentOut]


@router.get(
    "/complaints/{reference}",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def case(request: HttpRequest, reference: str) -> Any:
    """A case for its sides only (the committee, without recused members; the filing side;
    the responding side once admissible). Anyone else: 404, so the case is not revealed."""
    complaint, side = access.access_complaint(principal=_principal(request), reference=reference)
    view = selectors.case_view(complaint, side)
    return {
        "reference": complaint.reference,
        "side": side,
        "agreement": complaint.agreement.slug,
        "kind": complaint.kind,
        "subject": complaint.subject,
        "description": complaint.description,
        "filer": complaint.filer_org.slug if complaint.filer_org else None,
        "on_behalf_of": complaint.on_behalf_of,
        "respondent": complaint.respondent.slug,
        "country": complaint.country,
        "theme": complaint.theme.code if complaint.theme else None,
        "stage": complaint.stage,
        "due_on": complaint.due_on,
        "outcome": complaint.outcome,
        "events": [
            {"on": e.on, "action": e.action, "stage": e.stage, "note": e.note} for e in view.events
        ],
        "messages": [
            {
                "from_side": m.from_side,
                "to_side": m.to_side,
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in view.messages
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "filename": d.original_filename,
                "stage": d.stage,
                "side": d.side,
                "shared": d.shared,
            }
            for d in view.documents
        ],
    }
