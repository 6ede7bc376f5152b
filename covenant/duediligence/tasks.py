"""Background tasks of the due diligence cycle: thin, take ids, idempotent enough to re-run
(a re-run sends the e-mail again, never to anybody else)."""

from __future__ import annotations

from django_tasks import task

from covenant.duediligence.services.notifications import (
    question_notify,
    release_notify,
    reminder_send,
)


@task()
def send_reminder(round_id: int, company_id: int) -> int:
    return reminder_send(round_id=round_id, company_id=company_id)


@task()
def notify_question(question_id: int) -> int:
    return question_notify(question_id=question_id)


@task()
def notify_release(assessment_id: int) -> int:
    return release_notify(assessment_id=assessment_id)
