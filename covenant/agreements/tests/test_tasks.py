from __future__ import annotations

import datetime as dt

from django.core import mail

from covenant.agreements import services
from covenant.agreements.models import Membership
from covenant.agreements.tasks import notify_membership_event


def test_approval_e_mails_company_admins_and_secretariat_after_commit(
    world, django_capture_on_commit_callbacks
):
    world.users["own_company"].email = "own@example.org"
    world.users["own_company"].save()
    membership = Membership.objects.get(company=world.company)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_suspend(
            membership=membership,
            actor=world.users["secretariat"],
            effective_on=dt.date(2019, 5, 1),
            note="No report",
        )
    assert len(mail.outbox) == 0  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["own@example.org", "sec@example.org"]
    assert "Own Fashion BV" in mail.outbox[0].subject
    assert "Suspended" in mail.outbox[0].subject
    assert "No report" in mail.outbox[0].body


def test_task_is_idempotent_for_missing_events(db):
    assert notify_membership_event.call(987654) == 0
