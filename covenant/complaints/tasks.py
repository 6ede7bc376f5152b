"""Background tasks of the complaints procedure: thin, take ids. E-mails say that something
happened in a case and link to it; they never carry the case's content (confidential)."""

from __future__ import annotations

from django_tasks import task

from covenant.complaints.notify import complaint_notify


@task()
def notify_complaint(complaint_id: int, what: str) -> int:
    """E-mail the people concerned by `what` ("filed", "admissibility", "ruling",
    "message:<side>", "reminder"); returns the number of e-mails sent."""
    return complaint_notify(complaint_id=complaint_id, what=what)
