"""Fetch-and-authorise helpers of the signals app, used by pages and API alike. Rules live in
covenant/accounts/permissions.py (block "signals"); reads of a signal's content by the
secretariat are audited here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.models import Agreement, Organisation
from covenant.core.audit import audit_record
from covenant.core.errors import NotFound
from covenant.core.models import AuditEvent
from covenant.signals.models import Signal, SignalAttachment, SignalForward
from covenant.supplychain.models import PublishedLocation


def published_location(*, agreement: Agreement, public_id: str) -> PublishedLocation:
    """A location of the agreement's latest published list that has it (public)."""
    location = (
        PublishedLocation.objects.filter(
            published_list__agreement=agreement, public_id=public_id.upper()
        )
        .order_by("-published_list__year")
        .first()
    )
    if location is None:
        raise NotFound(_("There is no location %(id)s on the published list.") % {"id": public_id})
    return location


def access_signal_reporter(*, signal_id: int) -> Signal:
    """The reporter's own signal: only after the receipt code was checked (the caller holds
    the id from its session). Anonymised signals are gone for the reporter."""
    signal = (
        Signal.objects.select_related("agreement", "facility")
        .filter(pk=signal_id, anonymised_at__isnull=True)
        .first()
    )
    if signal is None:
        raise NotFound(_("There is no such report."))
    return signal


def _signal(reference: str) -> Signal:
    signal = (
        Signal.objects.select_related("agreement", "agreement__secretariat", "facility")
        .filter(reference=reference.upper()[:20])
        .first()
    )
    if signal is None:
        raise NotFound(_("There is no signal %(ref)s.") % {"ref": reference[:20]})
    return signal


def access_signals_agreement(*, principal: Principal, slug: str) -> Agreement:
    """The list of an agreement's signals: its secretariat."""
    agreement = Agreement.objects.select_related("secretariat").filter(slug=slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": slug[:80]})
    principal.require(principal.can_handle_signals(agreement))
    return agreement


def access_signal_secretariat(*, principal: Principal, reference: str, what: str = "") -> Signal:
    """One signal with everything (identity included) for the agreement's secretariat. A
    read (`what` given) is written to the audit log: who read which signal. Anyone who is
    not secretariat staff is refused before the lookup (no oracle for which references
    exist)."""
    principal.require(principal.is_secretariat)
    signal = _signal(reference)
    principal.require(principal.can_handle_signals(signal.agreement))
    if what:
        assert principal.user is not None
        audit_record(
            actor=principal.user,
            action=f"read.signal.{what}",
            obj=signal,
            kind=AuditEvent.Kind.READ,
        )
    return signal


def access_company_signals(*, principal: Principal, slug: str) -> Organisation:
    """The signals forwarded to a company: its own users only (the secretariat has its own
    pages with more)."""
    company = Organisation.objects.filter(slug=slug).first()
    if company is None or not company.is_company:
        raise NotFound(_("There is no company '%(slug)s'.") % {"slug": slug[:80]})
    principal.require(company.pk in principal.company_ids)
    return company


def access_signal_forward(
    *, principal: Principal, slug: str, reference: str, respond: bool = False
) -> SignalForward:
    """A signal as forwarded to the company: its users read, its admins respond. A company
    the signal was not forwarded to gets 404 (it must not learn the signal exists)."""
    company = access_company_signals(principal=principal, slug=slug)
    forward = (
        SignalForward.objects.select_related(
            "signal", "signal__agreement", "signal__facility", "company"
        )
        .filter(
            company=company,
            signal__reference=reference.upper()[:20],
            signal__anonymised_at__isnull=True,
        )
        .first()
    )
    if forward is None:
        raise NotFound(_("There is no signal %(ref)s.") % {"ref": reference[:20]})
    principal.require(
        principal.can_respond_signal(forward)
        if respond
        else principal.can_view_signal_forward(forward)
    )
    if forward.identity_shared and not respond:
        # The reporter allowed the company to know who they are: each read is on record.
        assert principal.user is not None
        audit_record(
            actor=principal.user,
            action="read.signal.identity",
            obj=forward.signal,
            organisation=forward.company,
            kind=AuditEvent.Kind.READ,
        )
    return forward


def access_attachment(
    *, principal: Principal, reference: str, attachment_id: int, slug: str = ""
) -> SignalAttachment:
    """A file: the secretariat (audited) every file; a company its own evidence, and the
    reporter's files only when the reporter allowed sharing their identity."""
    if slug:
        forward = access_signal_forward(principal=principal, slug=slug, reference=reference)
        attachment = SignalAttachment.objects.filter(
            pk=attachment_id, signal=forward.signal
        ).first()
        allowed = attachment is not None and (
            attachment.forward_id == forward.pk
            or (attachment.forward_id is None and forward.identity_shared)
        )
        if not allowed:
            raise NotFound(_("There is no such file."))
        assert attachment is not None
        return attachment
    signal = access_signal_secretariat(principal=principal, reference=reference, what="file")
    attachment = SignalAttachment.objects.filter(pk=attachment_id, signal=signal).first()
    if attachment is None:
        raise NotFound(_("There is no such file."))
    return attachment
