"""E-mails about signals. They name the signal's staff reference and link to the platform,
and never contain what the reporter wrote or who they are: mailboxes are not encrypted."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from covenant.core.side_effects import on_commit

EVENTS = (
    "new",
    "reporter_added",
    "forwarded",
    "company_response",
    "reminder",
    "escalated",
    "retention",
)


def _enqueue(signal_id: int, event: str) -> None:
    from covenant.signals.tasks import notify_signal

    on_commit(notify_signal.enqueue, signal_id, event)


def schedule(*, signal_id: int, event: str) -> None:
    assert event in EVENTS, event
    _enqueue(signal_id, event)


def _recipients(signal, event: str) -> list[tuple[object, str]]:  # type: ignore[no-untyped-def]
    """(user, url) pairs: the agreement's secretariat for its events, the admins of the
    companies the signal was forwarded to for forwarding and reminders to them."""
    from covenant.accounts.models import RoleName, User

    out: list[tuple[object, str]] = []
    staff_url = reverse("signals:staff_detail", args=[signal.reference])
    if event in ("new", "reporter_added", "company_response", "escalated", "reminder", "retention"):
        staff = User.objects.filter(
            is_active=True,
            roles__organisation_id=signal.agreement.secretariat_id,
            roles__role=RoleName.SECRETARIAT,
        ).distinct()
        out += [(u, staff_url) for u in staff.exclude(email="")]
    if event in ("forwarded", "reminder", "escalated"):
        forwards = signal.forwards.select_related("company")
        if event != "forwarded":
            # Reminders and escalations go to the companies that have not responded yet.
            forwards = forwards.exclude(status="responded")
        for forward in forwards:
            admins = User.objects.filter(
                is_active=True,
                roles__organisation=forward.company,
                roles__role=RoleName.COMPANY_ADMIN,
            ).distinct()
            url = reverse("signals:company_detail", args=[forward.company.slug, signal.reference])
            out += [(u, url) for u in admins.exclude(email="")]
    return out


def send(*, signal_id: int, event: str) -> int:
    from covenant.signals.models import Signal

    signal = Signal.objects.select_related("agreement").filter(pk=signal_id).first()
    if signal is None or event not in EVENTS:
        return 0
    sent = 0
    for user, url in _recipients(signal, event):
        lang = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(lang):
            context = {
                "signal": signal,
                "event": event,
                "url": settings.COVENANT_SITE_URL.rstrip("/") + url,
                "agreement": signal.agreement,
            }
            subject = render_to_string("signals/email_subject.txt", context).strip()
            body = render_to_string("signals/email_body.txt", context)
        sent += send_mail(subject, body, None, [user.email])  # type: ignore[attr-defined]
    return sent
