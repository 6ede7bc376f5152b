"""Reads of the signals app. Decryption happens here, for the viewer the access helper
already allowed: the reporter (through the receipt code), the secretariat, and a company the
signal was forwarded to (without the identity unless the reporter allowed it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from covenant.agreements.models import Agreement
from covenant.signals import crypto, services
from covenant.signals.models import Signal, SignalEvent, SignalMessage


def signal_by_receipt(code: str) -> Signal | None:
    normalised = services.receipt_code_normalise(code)
    if len(normalised) != services.CODE_LENGTH:
        return None
    return (
        Signal.objects.select_related("agreement", "facility")
        .filter(receipt_hash=services.receipt_hash(normalised), anonymised_at__isnull=True)
        .first()
    )


@dataclass
class MessageView:
    direction: str
    body: str
    created_at: object
    from_reporter: bool


@dataclass
class ReporterView:
    signal: Signal
    description: str
    location_text: str
    themes: list[str]
    events: list[SignalEvent]
    messages: list[MessageView]
    attachment_count: int
    open_questions: int = 0
    summary: str = ""


def _messages(signal: Signal) -> list[MessageView]:
    out = []
    for m in signal.messages.all():
        out.append(
            MessageView(
                direction=m.direction,
                body=crypto.decrypt_text(m.body_enc, purpose=services.P_MESSAGE),
                created_at=m.created_at,
                from_reporter=m.direction == SignalMessage.Direction.FROM_REPORTER,
            )
        )
    return out


def reporter_view(signal: Signal) -> ReporterView:
    """What the reporter sees: status, public timeline, the conversation, the approved
    summary; not the identity they gave (a code in the wrong hands must not reveal it)."""
    messages = _messages(signal)
    open_questions = 0
    for m in messages:
        open_questions = 0 if m.from_reporter else open_questions + 1
    return ReporterView(
        signal=signal,
        description=crypto.decrypt_text(signal.description_enc, purpose=services.P_DESCRIPTION),
        location_text=crypto.decrypt_text(signal.location_enc, purpose=services.P_LOCATION),
        themes=[t.name for t in signal.themes.all()],
        events=list(signal.events.filter(public=True)),
        messages=messages,
        attachment_count=signal.attachments.filter(forward__isnull=True).count(),
        open_questions=open_questions,
        summary=signal.reporter_summary if signal.summary_approved_at else "",
    )


def agreement_signals(agreement: Agreement) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(agreement=agreement)
        .select_related("facility")
        .prefetch_related("themes")
    )
