"""The signals demo: four signals at different stages about facilities of the supply-chain
demo, each reachable with its documented receipt code; loading again changes nothing.
(Slow: it needs the full supply-chain demo, about 25 s.)"""

from __future__ import annotations

import pytest
from django.core import mail

from covenant.agreements.demo import load_demo
from covenant.signals import selectors
from covenant.signals.demo import DEMO_CODES, load_signals_demo, signals_demo_is_loaded
from covenant.signals.models import Signal, SignalForward
from covenant.supplychain.demo import load_supplychain_demo
from covenant.supplychain.tests.test_disclosures_support import fresh_registry_index  # noqa: F401

pytestmark = pytest.mark.django_db


def test_signals_demo():
    load_demo()
    load_supplychain_demo()
    mail.outbox.clear()
    assert not signals_demo_is_loaded()
    assert load_signals_demo() == 4
    assert signals_demo_is_loaded()
    statuses = [selectors.signal_by_receipt(code).status for code in DEMO_CODES]
    assert statuses == ["new", "needs_info", "forwarded", "closed"]
    shared = selectors.signal_by_receipt(DEMO_CODES[2])
    forwards = {f.company.slug: f for f in SignalForward.objects.filter(signal=shared)}
    assert {"noordzee-mode", "tulip-denim"} <= set(forwards)
    assert forwards["noordzee-mode"].status == "responded"
    assert forwards["tulip-denim"].status == "forwarded"
    assert all(f.shared_with_others and not f.identity_shared for f in forwards.values())
    closed = selectors.signal_by_receipt(DEMO_CODES[3])
    assert [f.company.slug for f in closed.forwards.all()] == ["noordzee-mode"]
    assert mail.outbox == []  # demo data e-mails no one
    before = Signal.objects.count()
    assert load_signals_demo() == 0
    assert Signal.objects.count() == before
