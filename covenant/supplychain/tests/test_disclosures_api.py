"""The disclosures, review and registry API: a role matrix for every endpoint, bad input,
and the main journeys with exact values."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from covenant.conftest import ROLES
from covenant.core.models import AuditEvent
from covenant.supplychain.models import Contribution, Disclosure, Facility, FacilityRedirect
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    FACTORIES,
    UNIT1,
    UNIT2,
    Data,
    csv_bytes,
    factory_rows,
    fill,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _client():
    return Client()


def _get(world, role, url):
    return _client().get(url, **world.api_headers(role))


READ_MATRIX = [
    ("/companies/own-fashion/disclosures", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{d}", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{failed}/errors", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{d}/contributions", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{d}/diff", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/locations", (401, 403, 200, 403, 200)),
    ("/companies/own-fashion/review", (401, 403, 200, 403, 200)),
    ("/agreements/garments/review", (401, 403, 403, 403, 200)),
    ("/review/{review}", (401, 403, 200, 403, 200)),
    ("/registry/facilities/{facility}", (401, 403, 403, 403, 200)),
    # Another company's job under one's own slug is not found, not revealed.
    ("/companies/other-apparel/disclosures/{d}", (404, 404, 404, 404, 404)),
]


def _fill(template, data):
    return API + fill(template, data)


@pytest.mark.parametrize("template,expected", READ_MATRIX)
def test_read_role_matrix(world, data, template, expected):
    url = _fill(template, data)
    for role, status in zip(ROLES, expected, strict=True):
        response = _get(world, role, url)
        assert response.status_code == status, (
            f"{role} {url}: {response.status_code} {response.content[:200]}"
        )
        if status in (401, 403, 404):
            body = response.content.decode()
            assert "Pioneer" not in body and "detail" in body


def test_secretariat_reads_are_audited(world, data):
    before = AuditEvent.objects.filter(kind="read").count()
    _get(world, "secretariat", _fill("/companies/own-fashion/disclosures/{d}/contributions", data))
    _get(world, "secretariat", _fill("/registry/facilities/{facility}", data))
    events = list(
        AuditEvent.objects.filter(kind="read")
        .order_by("id")
        .values_list("action", "organisation__slug")
    )[before:]
    assert events == [("read.disclosure", "own-fashion"), ("read.facility_sources", "own-fashion")]
    _get(world, "own_company", _fill("/companies/own-fashion/disclosures/{d}", data))
    assert AuditEvent.objects.filter(kind="read").count() == before + 2


WRITE_MATRIX = [
    # (method, url template, body kind, expected per role)
    ("upload", "/companies/own-fashion/disclosures", (401, 403, 202, 403, 403)),
    ("location", "/companies/own-fashion/locations", (401, 403, 201, 403, 403)),
    ("confirm", "/review/{review}/confirm", (401, 403, 200, 403, 200)),
    ("reject", "/review/{review}/reject", (401, 403, 200, 403, 200)),
    ("pick", "/review/{review}/pick", (401, 403, 200, 403, 200)),
    ("merge", "/registry/facilities/{facility}/merge", (401, 403, 403, 403, 200)),
    ("split", "/registry/facilities/{facility}/split", (401, 403, 403, 403, 201)),
    ("rerun", "/companies/own-fashion/disclosures/{failed}/rerun", (401, 403, 422, 403, 403)),
]


def _write(world, data, kind, url, role, capture):
    headers = world.api_headers(role)
    client = _client()
    if kind == "upload":
        f = SimpleUploadedFile("list.csv", csv_bytes(FACTORIES[:2]), content_type="text/csv")
        with capture(execute=True):
            return client.post(url, {"file": f, "year": "2019"}, **headers)
    if kind == "location":
        body = {"year": 2019, "name": "Dhaka Denim", "address": "Road 3, Gulshan", "country": "BD"}
    elif kind == "pick":
        body = {"facility": data.review_row.facility.public_id}
    elif kind == "merge":
        other = Facility.objects.exclude(pk=data.facility.pk).filter(country="CN").get()
        body = {"merged": other.public_id}
    elif kind == "split":
        # Give the facility a second row (another company's) to split off.
        Contribution.objects.filter(disclosure__company=world.other_company).update(
            facility=data.facility
        )
        body = {
            "contributions": [Contribution.objects.get(disclosure__company=world.other_company).pk]
        }
    else:
        body = {}
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("kind,template,expected", WRITE_MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_write_role_matrix(
    world, data, kind, template, expected, role_index, django_capture_on_commit_callbacks
):
    role = ROLES[role_index]
    response = _write(
        world, data, kind, _fill(template, data), role, django_capture_on_commit_callbacks
    )
    assert response.status_code == expected[role_index], response.content[:300]


def test_upload_journey(world, data, django_capture_on_commit_callbacks):
    headers = world.api_headers("own_company")
    f = SimpleUploadedFile(
        "list.csv",
        csv_bytes([FACTORIES[1], FACTORIES[3], FACTORIES[4], UNIT2]),
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{API}/companies/own-fashion/disclosures", {"file": f, "year": "2019"}, **headers
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    body = Client().get(f"{API}/companies/own-fashion/disclosures/{job_id}", **headers).json()
    assert body["status"] == "accepted" and body["year"] == 2019 and body["agreement"] == "garments"
    assert body["progress"] == {
        "rows_total": 4,
        "rows_parsed": 4,
        "rows_matched": 4,
        "percent": 100,
        "running": False,
    }
    assert body["counts"] == {"match": 1, "review": 1, "new": 2}
    assert body["diff"] == {"previous_year": 2018, "added": 2, "removed": 1, "unchanged": 2}
    diff = Client().get(f"{API}/companies/own-fashion/disclosures/{job_id}/diff", **headers).json()
    assert [f["name"] for f in diff["removed"]] == ["Pioneer Knitwear (BD) Ltd"]
    assert len(diff["added"]) == 2 and len(diff["unchanged"]) == 2
    rows = (
        Client()
        .get(
            f"{API}/companies/own-fashion/disclosures/{job_id}/contributions?decision=review",
            **headers,
        )
        .json()
    )
    assert rows["count"] == 1 and rows["items"][0]["name"] == "Anatolia Tekstil Unit 2"
    locations = Client().get(f"{API}/companies/own-fashion/locations", **headers).json()
    assert locations["year"] == 2019 and locations["count"] == 4
    assert all(item["facility"]["public_id"].startswith("CV") for item in locations["items"])
    old = Client().get(f"{API}/companies/own-fashion/locations?year=2018", **headers).json()
    assert old["count"] == 3


def test_review_journey_through_api(world, data):
    headers = world.api_headers("secretariat")
    queue = Client().get(f"{API}/agreements/garments/review", **headers).json()
    assert queue["count"] == 1
    item = queue["items"][0]
    assert item["company"] == "own-fashion" and item["row"]["name"] == "Anatolia Tekstil Unit 2"
    assert item["provisional"]["name"] == "Anatolia Tekstil Unit 1"
    assert item["candidates"][0]["public_id"] == item["provisional"]["public_id"]
    assert item["candidates"][0]["reasons"]
    response = Client().post(f"{API}/review/{item['id']}/reject", **headers)
    assert response.status_code == 200
    decided = response.json()
    assert (
        decided["decision"] == "new" and decided["provisional"]["name"] == "Anatolia Tekstil Unit 2"
    )
    assert Client().get(f"{API}/agreements/garments/review", **headers).json()["count"] == 0
    again = Client().post(f"{API}/review/{item['id']}/confirm", **headers)
    assert (
        again.status_code == 422 and "already been decided" in again.json()["detail"][0]["message"]
    )
    assert AuditEvent.objects.filter(action="review.rejected").count() == 1


def test_merge_and_split_through_api(world, data):
    headers = world.api_headers("secretariat")
    cn = Facility.objects.get(country="CN")
    url = f"{API}/registry/facilities/{data.facility.public_id}/merge"
    response = Client().post(
        url, json.dumps({"merged": cn.public_id}), content_type="application/json", **headers
    )
    assert response.status_code == 200 and response.json()["public_id"] == data.facility.public_id
    assert FacilityRedirect.objects.filter(old_public_id=cn.public_id).exists()
    # The old id now answers with the survivor.
    body = Client().get(f"{API}/registry/facilities/{cn.public_id}", **headers).json()
    assert body["facility"]["public_id"] == data.facility.public_id
    assert sorted(s["name"] for s in body["sources"]) == [
        "Pioneer Knitwear (BD) Ltd",
        "Shanghai Bright Garments Co., Ltd.",
    ]
    moved = next(s["contribution"] for s in body["sources"] if s["name"].startswith("Shanghai"))
    response = Client().post(
        f"{API}/registry/facilities/{data.facility.public_id}/split",
        json.dumps({"contributions": [moved]}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    new_id = response.json()["public_id"]
    assert new_id not in (cn.public_id, data.facility.public_id)
    assert Contribution.objects.get(pk=moved).facility.public_id == new_id


def test_bad_input_is_a_clear_4xx(world, data, settings):
    headers = world.api_headers("own_company")
    url = f"{API}/companies/own-fashion/disclosures"

    def upload(name, content, year="2019"):
        payload = {"year": year}
        if name is not None:
            payload["file"] = SimpleUploadedFile(name, content)
        return Client().post(url, payload, **headers)

    cases = [
        (upload(None, b""), 422, "file"),
        (upload("a.csv", b"name,address,country\nA,B,BD\n", year="abc"), 422, "year"),
        (upload("a.csv", b"name,address,country\nA,B,BD\n", year="1990"), 422, "year"),
        (upload("a.pdf", b"%PDF-1.7"), 422, "file"),
        (upload("a.xlsx", b"name,address,country\n"), 422, "file"),
        (upload("a.csv", b"\x89PNG\r\n\x1a\nxxxx"), 422, "file"),
        (upload("a.csv", b""), 422, "file"),
    ]
    settings.COVENANT_MAX_UPLOAD_BYTES = 10
    cases.append((upload("a.csv", b"name,address,country\nA,B,BD\n"), 422, "file"))
    for response, status, field in cases:
        assert response.status_code == status, response.content
        detail = response.json()["detail"]
        assert detail[0]["field"] == field and detail[0]["message"]
    assert Disclosure.objects.count() == 3  # nothing new stored
    loc = f"{API}/companies/own-fashion/locations"
    post = lambda body: Client().post(loc, body, content_type="application/json", **headers)  # noqa: E731
    assert post("{not json").status_code == 400
    assert post(json.dumps({"year": "x", "name": 1})).status_code == 422
    too_long = post(json.dumps({"year": 2019, "name": "x" * 301, "address": "a", "country": "BD"}))
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["field"] == "name"
    unknown = post(
        json.dumps({"year": 2019, "name": "A", "address": "B", "country": "BD", "colour": 1})
    )
    assert unknown.status_code == 422
    bad_country = post(
        json.dumps({"year": 2019, "name": "A", "address": "B", "country": "Atlantis"})
    )
    assert bad_country.status_code == 422 and bad_country.json()["detail"][0]["field"] == "country"
    sec = world.api_headers("secretariat")
    pick = Client().post(
        f"{API}/review/{data.review_row.pk}/pick",
        json.dumps({"facility": "nonsense"}),
        content_type="application/json",
        **sec,
    )
    assert pick.status_code == 422 and pick.json()["detail"][0]["field"] == "facility"
    assert Client().get(f"{API}/review/99999999999", **sec).status_code == 422
    merge_self = Client().post(
        f"{API}/registry/facilities/{data.facility.public_id}/merge",
        json.dumps({"merged": data.facility.public_id}),
        content_type="application/json",
        **sec,
    )
    assert merge_self.status_code == 422
    split_none = Client().post(
        f"{API}/registry/facilities/{data.facility.public_id}/split",
        json.dumps({"contributions": []}),
        content_type="application/json",
        **sec,
    )
    assert split_none.status_code == 422
    assert Client().get(f"{API}/registry/facilities/CVXX", **sec).status_code == 404
