"""Submitting a signal through the service: receipt codes (long, random, only a hash kept),
the location from the published list or unlisted, and every bad input refused with the
field named and nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest

from covenant.core.errors import ValidationFailed
from covenant.signals import services
from covenant.signals.models import Signal, SignalAttachment, SignalEvent
from covenant.signals.services import Upload
from covenant.signals.tests.conftest import facility, submit

pytestmark = pytest.mark.django_db


def test_receipt_code_shape_and_hash(world):
    submitted = submit(world)
    code = submitted.receipt_code
    assert len(code) == 24 and set(code) <= set(services.CODE_ALPHABET)
    assert submitted.receipt_code_display.count("-") == 5
    signal = submitted.signal
    assert signal.receipt_hash == services.receipt_hash(code)
    assert code not in signal.receipt_hash
    # Typing is forgiving: lower case, spaces, O for 0 and I/L for 1.
    sloppy = submitted.receipt_code_display.lower().replace("-", " ").replace("0", "o")
    assert services.receipt_hash(sloppy) == signal.receipt_hash
    assert submit(world).receipt_code != code


def test_unlisted_location(world):
    signal = submit(world).signal
    assert signal.facility is None and signal.country == "BD"
    assert signal.status == Signal.Status.NEW
    assert [t.code for t in signal.themes.all()] == ["living-wage"]
    assert SignalAttachment.objects.filter(signal=signal).get().content_type == "image/png"
    assert list(signal.events.values_list("kind", flat=True)) == [SignalEvent.Kind.RECEIVED]
    assert signal.identity_shareable is False


def test_listed_location_follows_the_published_list(world, published):
    pid = facility("Pioneer").public_id
    signal = submit(world, public_id=pid.lower(), shareable=True).signal
    assert signal.facility == facility("Pioneer")
    assert signal.country == "BD"
    assert signal.location_enc is None
    assert signal.identity_shareable is True


def test_shareable_without_identity_is_not_shareable(world):
    signal = submit(world, shareable=True, reporter_name="", reporter_contact="").signal
    assert signal.identity_shareable is False
    assert signal.reporter_name_enc is None and signal.reporter_contact_enc is None


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"description": "short"}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"public_id": "CV0000000XXX"}, "location"),
        ({"location_text": ""}, "location"),
        ({"country": "XX"}, "country"),
        ({"theme_codes": ["no-such-theme"]}, "themes"),
        ({"since": dt.date(2999, 1, 1)}, "since"),
        ({"workers_affected": 0}, "workers_affected"),
        ({"reporter_name": "n" * 201}, "reporter_name"),
        ({"attachments": [Upload("a.exe", b"MZ\x90\x00binary")]}, "attachments"),
        ({"attachments": [Upload("a.png", b"")]}, "attachments"),
        ({"attachments": [Upload("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))]}, "attachments"),
        ({"attachments": [Upload(f"{i}.pdf", b"%PDF-1") for i in range(4)]}, "attachments"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, changes, field):
    with pytest.raises(ValidationFailed) as info:
        submit(world, **changes)
    assert info.value.field == field
    assert Signal.objects.count() == 0
    assert SignalAttachment.objects.count() == 0


def test_reporter_adds_information(world):
    signal = submit(world).signal
    services.signal_reporter_add(
        signal=signal,
        text="<script>alert(1)</script> more",
        attachments=[Upload("b.pdf", b"%PDF-1.4")],
    )
    assert signal.messages.count() == 1
    assert signal.attachments.count() == 2
    with pytest.raises(ValidationFailed, match="Write something"):
        services.signal_reporter_add(signal=signal, text="  ", attachments=[])
