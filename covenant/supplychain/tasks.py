"""Background tasks of the supply chain: thin, take ids, idempotent."""

from __future__ import annotations

from django_tasks import task

from covenant.supplychain.models import Disclosure
from covenant.supplychain.services.disclosures import disclosure_process


@task()
def process_disclosure(disclosure_id: int) -> str:
    """Parse, match and import an uploaded list. Returns the job's status afterwards
    ("missing" when the row is gone). Safe to run twice: an accepted job, or one that
    another run is processing, is left alone."""
    disclosure = Disclosure.objects.filter(pk=disclosure_id).first()
    if disclosure is None:
        return "missing"
    return disclosure_process(disclosure=disclosure).status
