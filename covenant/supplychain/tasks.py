"""Background tasks of the supply chain: thin, take ids, idempotent."""

from __future__ import annotations

from django_tasks import task

from covenant.supplychain.models import Disclosure
from covenant.supplychain.services.disclosures import disclosure_process
from covenant.supplychain.services.sharing import introduction_notify


@task()
def process_disclosure(disclosure_id: int) -> str:
    """Parse, match and import an uploaded list. Returns the job's status afterwards
    ("missing" when the row is gone). Safe to run twice: an accepted job, or one that
    another run is processing, is left alone."""
    disclosure = Disclosure.objects.filter(pk=disclosure_id).first()
    if disclosure is None:
        return "missing"
    return disclosure_process(disclosure=disclosure).status


@task()
def notify_introduction(introduction_id: int) -> int:
    """E-mail the admins of each introduced company (see services.sharing); returns the
    number of e-mails sent, 0 when the introduction is gone."""
    return introduction_notify(introduction_id=introduction_id)
