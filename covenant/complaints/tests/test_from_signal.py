"""A signal turned into a complaint by the secretariat: only with the reporter's consent,
against a company the signal was forwarded to, once; the timeline attached; the reporter's
identity not copied; only the secretariat of the agreement may do it."""

from __future__ import annotations

import pytest

from covenant.agreements.models import Organisation
from covenant.agreements.tests.factories import OrganisationFactory
from covenant.complaints.models import Complaint
from covenant.conftest import ROLES
from covenant.signals import services as signal_services
from covenant.signals.tests.conftest import (  # noqa: F401
    DESCRIPTION,
    REPORTER_CONTACT,
    REPORTER_NAME,
    facility,
    published,
    signal_keys,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(world, published):  # noqa: F811
    committee = OrganisationFactory(slug="committee", type=Organisation.Type.COMMITTEE)
    world.agreement.committee = committee
    world.agreement.save()
    signal = submit(world, public_id=facility("Pioneer").public_id).signal
    sec = world.users["secretariat"]
    signal_services.signal_check(signal=signal, decision="admissible", note="", actor=sec)
    signal_services.signal_forward(signal=signal, note="", actor=sec)
    signal.refresh_from_db()
    return signal


def test_only_the_secretariat_turns_a_signal_into_a_complaint(world, forwarded):
    url = f"/complaints/from-signal/{forwarded.reference}/"
    got = tuple(world.client(role).get(url).status_code for role in ROLES)
    assert got == (302, 403, 403, 403, 200)
    page = world.client("secretariat").get(url).content.decode()
    assert DESCRIPTION[:40] in page and "Own Fashion BV" in page
    assert REPORTER_NAME not in page and REPORTER_CONTACT not in page
    signal_page = world.client("secretariat").get(f"/secretariat/signals/{forwarded.reference}/")
    assert url.encode() in signal_page.content


def test_consent_company_and_once(world, forwarded):
    url = f"/complaints/from-signal/{forwarded.reference}/"
    sec = world.client("secretariat")
    form = {
        "respondent": str(world.company.pk),
        "subject": "Night shifts without overtime pay",
        "description": DESCRIPTION,
    }
    response = sec.post(url, form)  # no consent
    assert response.status_code == 422 and b"reporter agreed" in response.content
    assert not Complaint.objects.exists()
    party_org = world.party_org
    response = sec.post(url, {**form, "respondent": str(party_org.pk), "reporter_consents": "1"})
    assert response.status_code == 422 and not Complaint.objects.exists()
    response = sec.post(url, {**form, "reporter_consents": "1"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.signal_reference == forwarded.reference
    assert complaint.respondent == world.company and complaint.kind == "workers"
    assert "History of the signal" in complaint.description
    assert "Forwarded to the companies" in complaint.description
    assert REPORTER_NAME not in complaint.description
    assert REPORTER_CONTACT not in complaint.description
    response = sec.post(url, {**form, "reporter_consents": "1"})
    assert response.status_code == 422 and b"already a complaint" in response.content
    assert Complaint.objects.count() == 1
