"""Public pages and API of the published lists, and the secretariat's publish page: the role
matrix (anonymous, other company, own company, party, secretariat), no company name ever on a
public answer, merges followed to the surviving id, downloads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from covenant.supplychain.models import Facility, PublishedList
from covenant.supplychain.selectors import published as sel
from covenant.supplychain.services import registry
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.services.publication import published_list_publish
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    factory_rows,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302
ALL = (200, 200, 200, 200, 200)


@pytest.fixture(autouse=True)
def _fresh_search_index():
    sel.search_index_reset()
    yield
    sel.search_index_reset()


@pytest.fixture
def published(world):
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


def _pid(name_start: str) -> str:
    return Facility.objects.get(name__startswith=name_start).public_id


COMPANY_NAMES = (b"Own Fashion", b"Other Apparel", b"own-fashion", b"other-apparel")


def _no_company(content: bytes) -> None:
    for name in COMPANY_NAMES:
        assert name not in content, name


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/agreements/garments/locations/", ALL),
        ("/agreements/garments/locations/?q=pionere&country=BD&year=2017", ALL),
        ("/agreements/garments/locations/?page=abc&year=x", ALL),
        ("/agreements/garments/locations/history/", ALL),
        ("/agreements/garments/locations/{pid}/", ALL),
        ("/agreements/garments/locations/download.csv", ALL),
        ("/agreements/garments/locations/download.xlsx?year=2017", ALL),
        ("/agreements/garments/locations/download.json", ALL),
        ("/agreements/garments/locations/download.osh", ALL),
        ("/agreements/garments/locations/download.pdf", (404,) * 5),
        ("/agreements/garments/locations/download.csv?year=2001", (404,) * 5),
        ("/agreements/garments/locations/CVXX0000000A/", (404,) * 5),
        ("/secretariat/garments/publish/", (LOGIN, 403, 403, 403, 200)),
    ],
)
def test_page_role_matrix(world, published, url, expected):
    url = url.format(pid=_pid("Pioneer"))
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status == 200 and "publish" not in url:
            _no_company(response.getvalue())


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/api/v1/agreements/garments/published-lists", ALL),
        ("/api/v1/agreements/garments/locations?q=shanghai", ALL),
        ("/api/v1/agreements/garments/locations/counts", ALL),
        ("/api/v1/agreements/garments/locations/download?format=osh", ALL),
        ("/api/v1/agreements/garments/locations/download?format=xlsx", ALL),
        ("/api/v1/agreements/garments/locations/{pid}", ALL),
        ("/api/v1/agreements/garments/locations?year=1999", (422,) * 5),
        ("/api/v1/agreements/garments/locations?year=2016", (404,) * 5),
        ("/api/v1/agreements/nope/locations", (404,) * 5),
    ],
)
def test_api_role_matrix(world, published, client, url, expected):
    url = url.format(pid=_pid("Pioneer"))
    for role, status in zip(ROLES, expected, strict=True):
        response = client.get(url, **world.api_headers(role))
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status == 200:
            _no_company(response.getvalue())


def test_api_publish_role_matrix(world, client):
    disclosure_import_rows(
        agreement=world.agreement, company=world.company, year=2017, rows=factory_rows(), actor=None
    )
    url = "/api/v1/agreements/garments/published-lists"
    for role, status in zip(ROLES, (401, 403, 403, 403, 201), strict=True):
        response = client.post(
            url, {"year": 2017}, content_type="application/json", **world.api_headers(role)
        )
        assert response.status_code == status, f"{role}: {response.content}"
    assert response.json() == {
        "year": 2017,
        "published_on": dt.date.today().isoformat(),
        "location_count": 5,
    }
    response = client.post(
        url, {"year": 2017}, content_type="application/json", **world.api_headers("secretariat")
    )
    assert response.status_code == 422 and "already" in response.json()["detail"][0]["message"]


def test_api_search_answer(world, published, client):
    body = client.get("/api/v1/agreements/garments/locations?q=pionere%20knitwear").json()
    assert body["count"] == 1 and body["typo_matches"] == 1 and body["year"] == 2017
    assert body["results"][0]["name"] == "Pioneer Knitwear (BD) Ltd"
    assert set(body["results"][0]) == {
        "public_id", "name", "address", "city", "province", "country", "facility_type"
    }  # fmt: skip
    body = client.get("/api/v1/agreements/garments/locations?country=cn").json()
    assert [r["country"] for r in body["results"]] == ["CN"]


def test_publish_page_publishes(world, published):
    client = world.client("secretariat")
    response = client.get("/secretariat/garments/publish/")
    assert b"2017" in response.content
    response = client.post("/secretariat/garments/publish/", {"year": "2017"})
    assert response.status_code == 200
    assert b"already" in response.content
    response = client.post("/secretariat/garments/publish/", {"year": "2017", "replace": "1"})
    assert response.status_code == 302
    assert PublishedList.objects.get().location_count == 5
    # Not for a company, even by POST.
    assert (
        world.client("own_company")
        .post("/secretariat/garments/publish/", {"year": "2017"})
        .status_code
        == 403
    )


def test_facility_detail_follows_merges(world, published, client):
    survivor = Facility.objects.get(name__startswith="Pioneer")
    merged = Facility.objects.get(name__startswith="Shanghai")
    registry.facility_merge(survivor=survivor, merged=merged, actor=None)
    response = client.get(f"/agreements/garments/locations/{merged.public_id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/agreements/garments/locations/{survivor.public_id}/"
    response = client.get(
        f"/agreements/garments/locations/{merged.public_id.lower()}/", follow=True
    )
    assert response.status_code == 200 and b"Pioneer Knitwear" in response.content
    body = client.get(f"/api/v1/agreements/garments/locations/{merged.public_id}").json()
    assert body["public_id"] == survivor.public_id and body["requested_id"] == merged.public_id
    assert body["years"] == [2017]


def test_facility_never_published_is_not_found(world, published, client):
    disclosure_import_rows(
        agreement=world.agreement,
        company=world.company,
        year=2018,
        rows=[row(2, "Brand New Mill", "9 Canal Lane", "PK", "Lahore")],
        actor=None,
    )
    new = Facility.objects.get(name="Brand New Mill")
    assert client.get(f"/agreements/garments/locations/{new.public_id}/").status_code == 404
    assert client.get(f"/api/v1/agreements/garments/locations/{new.public_id}").status_code == 404


def test_downloads(world, published, client):
    response = client.get("/agreements/garments/locations/download.csv")
    assert response["Content-Disposition"] == 'attachment; filename="garments-locations-2017.csv"'
    assert response.streaming  # from the file built once, not rebuilt in memory
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(sel.DOWNLOAD_COLUMNS) and len(lines) == 6
    data = json.loads(
        client.get("/api/v1/agreements/garments/locations/download?format=json").getvalue()
    )
    assert len(data) == 5
    response = client.get("/agreements/garments/locations/download.xlsx")
    assert response.getvalue()[:2] == b"PK"


def test_downloads_are_built_once_per_list(world, published, client, monkeypatch, settings):
    first = client.get("/agreements/garments/locations/download.osh").getvalue()
    built = list((settings.MEDIA_ROOT / "published-downloads").glob("garments-2017-osh-*.csv"))
    assert len(built) == 1 and built[0].read_bytes() == first

    def rebuilt(*args, **kwargs):
        raise AssertionError("the file should have been served from disk")

    monkeypatch.setattr(sel, "download_file", rebuilt)
    assert (
        client.get("/api/v1/agreements/garments/locations/download?format=osh").getvalue() == first
    )


def test_htmx_search_returns_the_partial(world, published, client):
    response = client.get("/agreements/garments/locations/?q=tiruppur", HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Tiruppur Cotton Mills" in response.content
    full = client.get("/agreements/garments/locations/?q=tiruppur")
    assert b"<html" in full.content and b"Tiruppur Cotton Mills" in full.content
    assert b"Shanghai Bright" not in full.content


def test_no_list_yet(world, client):
    response = client.get("/agreements/garments/locations/")
    assert response.status_code == 200 and b"No list has been published yet" in response.content
    assert client.get("/agreements/garments/locations/history/").status_code == 200
    assert client.get("/api/v1/agreements/garments/locations").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_wsgi_application_warms_the_search_index(world, published, monkeypatch):
    import importlib
    import threading

    import config.wsgi

    sel.search_index_reset()
    monkeypatch.setenv("COVENANT_WARM_SEARCH", "1")
    importlib.reload(config.wsgi)
    for thread in threading.enumerate():
        if thread.name == "warm-search":
            thread.join(timeout=60)
    assert sel._key(published) in sel._indexes
    sel.search_index_reset()
    monkeypatch.setenv("COVENANT_WARM_SEARCH", "0")
    importlib.reload(config.wsgi)
    assert not any(t.name == "warm-search" for t in threading.enumerate())
    assert sel._key(published) not in sel._indexes
