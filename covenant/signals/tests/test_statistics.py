"""Figures for the annual report: counts per year, medians per stage, by country and theme,
suppressed below MIN_GROUP_SIZE, surviving anonymisation; the public page for everyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from covenant.signals import services
from covenant.signals.models import Signal
from covenant.signals.statistics import signal_statistics
from covenant.signals.tests.conftest import submit

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")


def test_counts_medians_and_suppression(world, settings):
    settings.MIN_GROUP_SIZE = 3
    sec = world.users["secretariat"]
    bd = [submit(world).signal for _i in range(4)]
    cn = submit(world, country="CN").signal
    for s in bd[:3]:
        services.signal_acknowledge(signal=s, actor=sec)
    services.signal_check(signal=bd[3], decision="inadmissible", note="vague", actor=sec)
    year = timezone.now().year
    figures = signal_statistics(world.agreement, year)
    assert (figures.received, figures.forwarded, figures.closed) == (5, 0, 1)
    assert dict(figures.by_country)["BD"].value == 4
    assert dict(figures.by_country)["CN"].suppressed
    assert dict(figures.by_theme)["Living wage"].value == 5
    assert figures.median_days["acknowledge"].value is not None  # 4 acknowledged
    assert figures.median_days["close"].suppressed  # one closed signal
    # Anonymising the closed signal keeps it in the figures.
    Signal.objects.filter(pk=bd[3].pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    services.signals_retention()
    assert signal_statistics(world.agreement, year).received == 5
    assert cn.country == "CN"


def test_public_page(world):
    for _i in range(3):
        submit(world)
    for role in ROLES:
        response = world.client(role).get("/agreements/garments/signals/statistics/")
        assert response.status_code == 200, role
        assert b"<strong>3</strong> received" in response.content
    assert (
        world.client("anonymous")
        .get("/agreements/garments/signals/statistics/?year=abc")
        .status_code
        == 200
    )
    assert world.client("anonymous").get("/agreements/nope/signals/statistics/").status_code == 404
