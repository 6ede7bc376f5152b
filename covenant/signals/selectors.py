"""Reads of the signals app. Decryption happens here, for the viewer the access helper
already allowed: the reporter (through the receipt code), the secretariat, and a company the
signal was forwarded to (without the identity unless the reporter allowed it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from covenant.agreements.models import Agreement, Organisation
from covenant.signals import crypto, services
from covenant.signals.models import Signal, SignalEvent, SignalForward, SignalMessage
from covenant.supplychain.models import Facility


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


# --- forwarding -------------------------------------------------------------------------------
def companies_linked(*, agreement: Agreement, facility: Facility) -> list[Organisation]:
    """Member companies (active, associated or suspended) whose latest accepted disclosure in
    the agreement lists the facility (or one merged into it)."""
    from covenant.agreements.models import Membership
    from covenant.supplychain.models import Contribution, Disclosure

    members = Membership.objects.filter(
        agreement=agreement, status__in=Membership.MEMBER_STATUSES
    ).values("company_id")
    facility_ids = [
        facility.pk,
        *Facility.objects.filter(merged_into=facility).values_list("pk", flat=True),
    ]
    latest: dict[int, int] = {}
    for company_id, disclosure_id, _year in (
        Disclosure.objects.filter(
            agreement=agreement, status=Disclosure.Status.ACCEPTED, company_id__in=members
        )
        .order_by("company_id", "-year")
        .values_list("company_id", "pk", "year")
    ):
        latest.setdefault(company_id, disclosure_id)
    linked = set(
        Contribution.objects.filter(
            disclosure_id__in=latest.values(), facility_id__in=facility_ids
        ).values_list("disclosure__company_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=linked).order_by("name"))


# --- the secretariat's and the companies' views ---------------------------------------------
@dataclass
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    from_company: bool


@dataclass
class HandlerView:
    """A signal as the secretariat or a company sees it. `reporter_name`/`reporter_contact`
    are filled only for the secretariat, or for a company the reporter allowed."""

    signal: Signal
    description: str
    location_text: str
    reporter_name: str
    reporter_contact: str
    identity_visible: bool
    attachments: list[AttachmentView]
    messages: list[MessageView]
    events: list[SignalEvent]
    forwards: list[SignalForward]
    coordinating: list[str] = field(default_factory=list)


def _attachments(
    signal: Signal, *, reporter_files: bool, forward_id: int | None
) -> list[AttachmentView]:
    qs = signal.attachments.all()
    out = []
    for a in qs:
        if a.forward_id is None and not reporter_files:
            continue
        if a.forward_id is not None and forward_id is not None and a.forward_id != forward_id:
            continue
        out.append(
            AttachmentView(
                id=a.pk,
                filename=crypto.decrypt_text(a.filename_enc, purpose=services.P_FILENAME),
                content_type=a.content_type,
                size=a.size,
                from_company=a.forward_id is not None,
            )
        )
    return out


def secretariat_view(signal: Signal) -> HandlerView:
    return HandlerView(
        signal=signal,
        description=crypto.decrypt_text(signal.description_enc, purpose=services.P_DESCRIPTION),
        location_text=crypto.decrypt_text(signal.location_enc, purpose=services.P_LOCATION),
        reporter_name=crypto.decrypt_text(signal.reporter_name_enc, purpose=services.P_NAME),
        reporter_contact=crypto.decrypt_text(
            signal.reporter_contact_enc, purpose=services.P_CONTACT
        ),
        identity_visible=True,
        attachments=_attachments(signal, reporter_files=True, forward_id=None),
        messages=_messages(signal),
        events=list(signal.events.select_related("actor")),
        forwards=list(signal.forwards.select_related("company")),
    )


def company_view(forward: SignalForward) -> HandlerView:
    """What a company the signal was forwarded to sees: the report, the location, its own
    response. The identity and the reporter's files only with the reporter's consent; never
    the conversation with the reporter, nor which other companies received it."""
    signal = forward.signal
    shared = forward.identity_shared
    return HandlerView(
        signal=signal,
        description=crypto.decrypt_text(signal.description_enc, purpose=services.P_DESCRIPTION),
        location_text=crypto.decrypt_text(signal.location_enc, purpose=services.P_LOCATION),
        reporter_name=crypto.decrypt_text(signal.reporter_name_enc, purpose=services.P_NAME)
        if shared
        else "",
        reporter_contact=crypto.decrypt_text(
            signal.reporter_contact_enc, purpose=services.P_CONTACT
        )
        if shared
        else "",
        identity_visible=shared,
        attachments=_attachments(signal, reporter_files=shared, forward_id=forward.pk),
        messages=[],
        events=[],
        forwards=[forward],
        coordinating=coordinating_companies(forward),
    )


def coordinating_companies(forward: SignalForward) -> list[str]:
    """The other companies the signal went to, named only when both this company and they
    opted in to be introduced at the facility (supplychain IntroductionOptIn): then they can
    coordinate their follow-up. Otherwise a company only learns that others received it."""
    from covenant.supplychain.models import IntroductionOptIn

    signal = forward.signal
    if not forward.shared_with_others or signal.facility_id is None:
        return []
    opted = set(
        IntroductionOptIn.objects.filter(
            agreement_id=signal.agreement_id, facility_id=signal.facility_id
        ).values_list("company_id", flat=True)
    )
    if forward.company_id not in opted:
        return []
    others = (
        SignalForward.objects.filter(signal=signal, company_id__in=opted)
        .exclude(company_id=forward.company_id)
        .select_related("company")
        .order_by("company__name")
    )
    return [f.company.name for f in others]


def company_forwards(company: Organisation) -> QuerySet[SignalForward]:
    return (
        SignalForward.objects.filter(company=company, signal__anonymised_at__isnull=True)
        .select_related("signal", "signal__agreement", "signal__facility")
        .order_by("-created_at")
    )


def attachment_data(attachment_id: int) -> tuple[str, str, bytes]:
    from covenant.signals.models import SignalAttachment

    a = SignalAttachment.objects.get(pk=attachment_id)
    return (
        crypto.decrypt_text(a.filename_enc, purpose=services.P_FILENAME),
        a.content_type,
        crypto.decrypt(a.data_enc, purpose=services.P_FILE),
    )
