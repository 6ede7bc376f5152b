"""Background tasks of the agreements app: thin, take ids, idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from covenant.accounts.models import RoleName, User
from covenant.agreements.models import MembershipEvent


@task()
def notify_membership_event(event_id: int) -> int:
    """E-mail the company's admins and the agreement's secretariat about a membership change.
    Returns the number of e-mails sent (0 when the event no longer exists)."""
    event = (
        MembershipEvent.objects.select_related("membership__company", "membership__agreement")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    membership = event.membership
    recipients = User.objects.filter(
        is_active=True,
        roles__organisation__in=[membership.company_id, membership.agreement.secretariat_id],
        roles__role__in=[RoleName.COMPANY_ADMIN, RoleName.SECRETARIAT],
    ).distinct()
    sent = 0
    for user in recipients.exclude(email=""):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {"event": event, "membership": membership, "user": user}
            subject = render_to_string(
                "agreements/email/membership_event_subject.txt", context
            ).strip()
            body = render_to_string("agreements/email/membership_event.txt", context)
        sent += send_mail(subject, body, None, [user.email])
    return sent
