"""Fixtures of the signals tests: a keyring of its own per test, a published list where two
member companies share a factory, and a signal submitted about it."""

from __future__ import annotations

import datetime as dt

import pytest

from covenant.signals import crypto
from covenant.signals.services import SignalInput, Upload, signal_submit
from covenant.supplychain.models import Facility
from covenant.supplychain.selectors import published as published_selectors
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.services.publication import published_list_publish
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    factory_rows,
    fresh_registry_index,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"SECRET-PHOTO-BYTES-7f3a"
REPORTER_NAME = "Rahima Begum Akhter"
REPORTER_CONTACT = "rahima.witness@example.org"
DESCRIPTION = (
    "Night shifts of sixteen hours without overtime pay since March; supervisors lock the exit."
)
LOCATION_TEXT = "Unnamed dye house behind Tongi rail station"


@pytest.fixture(autouse=True)
def signal_keys(settings, tmp_path):
    settings.SIGNALS_KEY_FILE = str(tmp_path / "keys" / "signal-keys.json")
    crypto.keyring_reset()
    published_selectors.search_index_reset()
    yield tmp_path / "keys" / "signal-keys.json"
    crypto.keyring_reset()
    published_selectors.search_index_reset()


@pytest.fixture
def published(world):
    """Own company uses all five factories, the other company the first two (shared)."""
    for company, rows in (
        (world.company, factory_rows()),
        (world.other_company, factory_rows([0, 1])),
    ):
        disclosure_import_rows(
            agreement=world.agreement, company=company, year=2017, rows=rows, actor=None
        )
    return published_list_publish(
        agreement=world.agreement, year=2017, actor=None, on=dt.date(2018, 7, 4)
    )


def facility(name_start: str) -> Facility:
    return Facility.objects.get(name__startswith=name_start)


def submit(world, *, public_id: str = "", shareable: bool = False, **kwargs):
    data = SignalInput(
        public_id=public_id,
        location_text="" if public_id else LOCATION_TEXT,
        country="" if public_id else "BD",
        theme_codes=["living-wage"],
        description=DESCRIPTION,
        since=dt.date(2019, 3, 1),
        workers_affected=120,
        reporter_name=REPORTER_NAME,
        reporter_contact=REPORTER_CONTACT,
        identity_shareable=shareable,
        attachments=[Upload(name="night-shift-proof.png", data=PNG)],
    )
    for key, value in kwargs.items():
        setattr(data, key, value)
    return signal_submit(agreement=world.agreement, data=data)


@pytest.fixture
def shared_signal(world, published):
    """A signal about the factory both member companies use."""
    return submit(world, public_id=facility("Pioneer").public_id)
