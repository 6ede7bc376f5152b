"""The complaints demo: four cases at different stages, one published ruling, idempotent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from covenant.agreements.demo import load_demo
from covenant.complaints.demo import complaints_demo_is_loaded, load_complaints_demo
from covenant.complaints.models import Complaint, Ruling

pytestmark = pytest.mark.django_db


def test_demo_cases(settings):
    load_demo()
    assert not complaints_demo_is_loaded()
    assert load_complaints_demo() == 4
    assert load_complaints_demo() == 0  # idempotent
    stages = sorted(Complaint.objects.values_list("stage", flat=True))
    assert stages == ["closed", "filed", "follow_up", "response"]
    assert Ruling.objects.filter(published_on__isnull=False).count() == 1
    assert not mail.outbox  # no e-mails about demo history
    register = Client().get("/agreements/garments/complaints/").content.decode()
    assert "2 pending cases" in register and "well-founded" in register
    assert "Noordzee" not in register and "FNV" not in register
    assert "<svg" in register and 'id="stats"' in register
    from covenant.agreements.models import Agreement
    from covenant.complaints.selectors import yearly_stats

    stats = {r.year: r for r in yearly_stats(Agreement.objects.get(slug="garments"))}
    assert (stats[2019].filed, stats[2019].settled, stats[2020].upheld) == (1, 1, 1)
    from covenant.complaints.selectors import cases_by_stage

    stages = [
        (code, n) for code, _label, n in cases_by_stage(Agreement.objects.get(slug="garments"))
    ]
    assert stages == [("filed", 1), ("response", 1), ("follow_up", 1), ("closed", 1)]
    assert 'id="by-stage"' in register
