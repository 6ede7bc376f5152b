"""Signals API: role matrix of every endpoint (anonymous, other company, own company, party,
secretariat), the identity only for the secretariat (and companies with consent), and the
handling steps through the API with clear errors."""

from __future__ import annotations

import pytest

from covenant.signals import services
from covenant.signals.models import Signal
from covenant.signals.tests.conftest import REPORTER_CONTACT, REPORTER_NAME, facility, submit

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")


@pytest.fixture
def forwarded(world, published):
    signal = submit(world, public_id=facility("Tiruppur").public_id).signal
    sec = world.users["secretariat"]
    services.signal_check(signal=signal, decision="admissible", note="", actor=sec)
    services.signal_forward(signal=signal, note="", actor=sec)
    return signal


def _no_identity(content: bytes) -> None:
    assert REPORTER_NAME.encode() not in content and REPORTER_CONTACT.encode() not in content


def test_get_role_matrix(world, forwarded, client):
    ref = forwarded.reference
    matrix = [
        ("/api/v1/secretariat/garments/signals", (401, 403, 403, 403, 200)),
        ("/api/v1/secretariat/garments/signals?overdue=true", (401, 403, 403, 403, 200)),
        (f"/api/v1/signals/{ref}", (401, 403, 403, 403, 200)),
        ("/api/v1/signals/S-00-NOPE", (401, 403, 403, 403, 404)),
        ("/api/v1/companies/own-fashion/signals", (401, 403, 200, 403, 403)),
        (f"/api/v1/companies/own-fashion/signals/{ref}", (401, 403, 200, 403, 403)),
        (f"/api/v1/companies/other-apparel/signals/{ref}", (401, 404, 403, 403, 403)),
        ("/api/v1/companies/other-apparel/signals", (401, 200, 403, 403, 403)),
    ]
    for url, expected in matrix:
        for role, status in zip(ROLES, expected, strict=True):
            response = client.get(url, **world.api_headers(role))
            assert response.status_code == status, f"{role} {url}: {response.status_code}"
            if role != "secretariat":
                _no_identity(response.content)
    detail = client.get(f"/api/v1/signals/{ref}", **world.api_headers("secretariat")).json()
    assert detail["reporter_name"] == REPORTER_NAME
    assert [f["company"] for f in detail["forwards"]] == ["own-fashion"]
    own = client.get("/api/v1/companies/own-fashion/signals", **world.api_headers("own_company"))
    assert [s["reference"] for s in own.json()] == [ref]
    assert own.json()[0]["reporter_name"] == ""
    other = client.get(
        "/api/v1/companies/other-apparel/signals", **world.api_headers("other_company")
    )
    assert other.json() == []


def test_post_role_matrix(world, forwarded, client):
    ref = forwarded.reference
    for role, status in zip(ROLES, (401, 403, 403, 403, 200), strict=True):
        response = client.post(
            f"/api/v1/signals/{ref}/questions",
            {"text": "Which floor?"},
            content_type="application/json",
            **world.api_headers(role),
        )
        assert response.status_code == status, role
    for role, status in zip(ROLES, (401, 403, 200, 403, 403), strict=True):
        response = client.post(
            f"/api/v1/companies/own-fashion/signals/{ref}/response",
            {"investigation": "Visited the factory."},
            content_type="application/json",
            **world.api_headers(role),
        )
        assert response.status_code == status, role
    assert forwarded.forwards.get().investigation == "Visited the factory."


def test_handling_through_the_api(world, published, client):
    signal = submit(world, public_id=facility("Pioneer").public_id, shareable=True).signal
    headers = world.api_headers("secretariat")
    url = f"/api/v1/signals/{signal.reference}"
    bad = client.post(
        f"{url}/check", {"decision": "maybe"}, content_type="application/json", **headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "decision"
    early = client.post(f"{url}/forward", {}, content_type="application/json", **headers)
    assert early.status_code == 422
    assert (
        early.json()["detail"][0]["message"]
        == "Only a signal checked as admissible can be forwarded."
    )
    ok = client.post(
        f"{url}/check", {"decision": "admissible"}, content_type="application/json", **headers
    )
    assert ok.json()["status"] == "admissible"
    forwarded = client.post(
        f"{url}/forward", {"note": "Joint follow-up"}, content_type="application/json", **headers
    )
    assert forwarded.status_code == 200
    assert sorted(f["company"] for f in forwarded.json()["forwards"]) == [
        "other-apparel",
        "own-fashion",
    ]
    # The reporter allowed it: the companies see the identity, and that others received it.
    own = client.get(
        f"/api/v1/companies/own-fashion/signals/{signal.reference}",
        **world.api_headers("own_company"),
    ).json()
    assert own["reporter_name"] == REPORTER_NAME and own["shared_with_others"] is True
    assert own["coordinating_with"] == []
    closed = client.post(
        f"{url}/close", {"outcome": "resolved"}, content_type="application/json", **headers
    )
    assert closed.json()["status"] == "closed"
    assert Signal.objects.get(pk=signal.pk).outcome == "resolved"
    empty = client.post(
        f"/api/v1/companies/own-fashion/signals/{signal.reference}/response",
        {},
        content_type="application/json",
        **world.api_headers("own_company"),
    )
    assert empty.status_code == 422
