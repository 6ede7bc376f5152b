"""The company and secretariat pages of production locations: a role matrix for every page,
and the journeys through them — upload with progress and result, a refused file with its
row errors, the next year's changes, one location by form, review decisions side by side,
merge and split in the registry."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from covenant.conftest import ROLES
from covenant.core.models import AuditEvent
from covenant.supplychain.models import Contribution, Disclosure, Facility, FacilityRedirect
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    FACTORIES,
    Data,
    csv_bytes,
    fill,
    fresh_registry_index,
)

pytestmark = pytest.mark.django_db
LOGIN = 302

MATRIX = [
    ("/companies/own-fashion/locations/", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/locations/?year=2018&page=x", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/locations/?year=abc", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/locations/upload/", (LOGIN, 403, 200, 403, 403)),
    ("/companies/own-fashion/locations/add/", (LOGIN, 403, 200, 403, 403)),
    ("/companies/own-fashion/disclosures/{d}/", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{d}/?decision=review&page=2", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{d}/progress/", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/disclosures/{failed}/", (LOGIN, 403, 200, 403, 200)),
    ("/companies/own-fashion/review/", (LOGIN, 403, 200, 403, 200)),
    ("/secretariat/garments/review/", (LOGIN, 403, 403, 403, 200)),
    ("/review/{review}/", (LOGIN, 403, 200, 403, 200)),
    ("/secretariat/registry/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/registry/?q=pioneer&country=bd&page=zz", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/registry/{facility}/", (LOGIN, 403, 403, 403, 200)),
    # Another company's job under one's own slug is not found, not revealed.
    ("/companies/other-apparel/disclosures/{d}/", (404, 404, 404, 404, 404)),
    ("/review/2147483647/", (404, 404, 404, 404, 404)),
]


@pytest.mark.parametrize("template,expected", MATRIX)
def test_page_role_matrix(world, data, template, expected):
    url = fill(template, data)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status != 200:
            assert b"Pioneer" not in response.content and b"Anatolia" not in response.content


WRITES = [
    ("/companies/own-fashion/locations/upload/", {"year": "2019"}),
    ("/companies/own-fashion/locations/add/", {"year": "2019", "name": "X", "address": "Y"}),
    ("/companies/own-fashion/disclosures/{failed}/rerun/", {}),
    ("/review/{review}/", {"action": "reject"}),
    ("/secretariat/registry/{facility}/", {"action": "split", "contributions": "1"}),
]


@pytest.mark.parametrize("template,payload", WRITES)
def test_writes_are_refused_to_others(world, data, template, payload):
    url = fill(template, data)
    before = (Disclosure.objects.count(), Facility.objects.count())
    for role in ("anonymous", "other_company", "party"):
        response = world.client(role).post(url, payload)
        assert response.status_code in (302, 403), f"{role} {url}"
        if role != "anonymous":
            assert response.status_code == 403
    data.review_row.refresh_from_db()
    assert data.review_row.decision == "review"
    assert (Disclosure.objects.count(), Facility.objects.count()) == before


def _upload(client, rows, year, filename="locations.csv", capture=None):
    f = SimpleUploadedFile(filename, csv_bytes(rows), content_type="text/csv")
    return client.post("/companies/own-fashion/locations/upload/", {"year": year, "file": f})


def test_upload_journey_progress_result_and_next_years_changes(
    world, django_capture_on_commit_callbacks
):
    client = world.client("own_company")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, [FACTORIES[i] for i in (0, 1, 2)], 2018)
    assert response.status_code == 302
    first = Disclosure.objects.get(year=2018)
    assert response["Location"] == f"/companies/own-fashion/disclosures/{first.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Accepted" in page and 'value="100"' in page
    assert "Pioneer Knitwear (BD) Ltd" in page and "first accepted list" in page
    assert 'http-equiv="refresh"' not in page  # finished: no reload any more

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, [FACTORIES[i] for i in (0, 1, 3)], 2019)
    second = Disclosure.objects.get(year=2019)
    page = client.get(response["Location"]).content.decode()
    assert "1 added, 1 removed, 2 unchanged." in page
    assert "Saigon Stitch" in page  # added
    listing = client.get("/companies/own-fashion/locations/").content.decode()
    assert "Your list for 2019" in listing and "Added since 2018" in listing
    assert f"/companies/own-fashion/disclosures/{second.pk}/" in listing
    # The filter by decision keeps to the chosen rows.
    page = client.get(f"/companies/own-fashion/disclosures/{second.pk}/?decision=review")
    assert b"Pioneer Knitwear" not in page.content


def test_progress_fragment_polls_while_running_and_refreshes_when_done(world, data):
    queued = Disclosure.objects.create(
        agreement=world.agreement,
        company=world.company,
        year=2020,
        status="processing",
        rows_total=200,
        rows_parsed=200,
        rows_matched=100,
    )
    client = world.client("own_company")
    url = f"/companies/own-fashion/disclosures/{queued.pk}/"
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page  # the fallback without JavaScript
    fragment = client.get(url + "progress/")
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="52"' in body
    assert "200 rows read, 100 matched, of 200" in body
    assert "HX-Refresh" not in fragment
    done = client.get(f"/companies/own-fashion/disclosures/{data.disclosure.pk}/progress/")
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_refused_file_shows_row_errors_and_imports_nothing(
    world, django_capture_on_commit_callbacks
):
    client = world.client("own_company")
    rows = [
        FACTORIES[0],
        ("Bad Row Ltd", "Road 1", "Atlantis", "Nowhere"),
        ("", "Road 2", "BD", ""),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, rows, 2018)
    failed = Disclosure.objects.get()
    assert failed.status == "failed"
    page = client.get(response["Location"]).content.decode()
    assert "nothing was imported" in page
    assert '<td class="num">3</td><td>country</td>' in page
    assert '<td class="num">4</td><td>name</td>' in page
    assert not Contribution.objects.exists() and not Facility.objects.exists()
    # A file that is not what its extension says is refused on the form, nothing stored.
    png = SimpleUploadedFile("list.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    response = client.post("/companies/own-fashion/locations/upload/", {"year": 2018, "file": png})
    assert response.status_code == 422
    assert "errorlist" in response.content.decode()
    assert Disclosure.objects.count() == 1
    # Missing year and file: the form says so.
    response = client.post("/companies/own-fashion/locations/upload/", {"year": "next"})
    assert response.status_code == 422 and response.content.count(b"errorlist") >= 2


def test_one_location_form(world, data):
    client = world.client("own_company")
    url = "/companies/own-fashion/locations/add/"
    before = Disclosure.objects.count()
    response = client.post(
        url, {"year": "2018", "name": "Dhaka Denim Ltd", "address": "Road 4", "country": "Atlantis"}
    )
    assert response.status_code == 422
    assert "country" in response.content.decode().lower()
    assert Disclosure.objects.count() == before
    response = client.post(
        url,
        {
            "year": "2018",
            "name": "Dhaka Denim Ltd",
            "address": "Road 4, Tejgaon",
            "country": "Bangladesh",
            "city": "Dhaka",
            "facility_type": "Final product assembly",
            "number_of_workers": "1200",
        },
    )
    assert response.status_code == 302
    latest = Disclosure.objects.filter(year=2018, status="accepted", company=world.company).get()
    added = latest.contributions.get(name="Dhaka Denim Ltd")
    assert added.country == "BD" and added.number_of_workers == 1200
    assert latest.contributions.count() == 4  # the earlier three rows are carried over
    page = client.get(f"/companies/own-fashion/disclosures/{latest.pk}/").content.decode()
    assert "Final product assembly" in page and "final_product_assembly" not in page


def test_review_side_by_side_and_decisions(world, data):
    row = data.review_row
    sec = world.client("secretariat")
    page = sec.get(f"/review/{row.pk}/").content.decode()
    assert "Anatolia Tekstil Unit 2" in page and "Anatolia Tekstil Unit 1" in page
    assert "Yes, this facility" in page and "None of these" in page
    assert "unit 2 vs unit 1" in page  # the engine's reason, in the page's language
    assert "Same group, another unit (unit 2 vs unit 1)" in page  # why it is in the queue
    sec.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = sec.get(f"/review/{row.pk}/").content.decode()
    assert "unit 2 tegenover unit 1" in dutch and "unit 2 vs unit 1" not in dutch
    assert "Zelfde groep, andere unit (unit 2 tegenover unit 1)" in dutch
    sec.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    queue = sec.get("/secretariat/garments/review/").content.decode()
    assert "Own Fashion BV" in queue and f"/review/{row.pk}/" in queue
    # The company picks Unit 1 (remembered); an outside `next` is ignored.
    unit1 = Facility.objects.get(name="Anatolia Tekstil Unit 1")
    own = world.client("own_company")
    response = own.post(
        f"/review/{row.pk}/",
        {"action": "pick", "facility": unit1.public_id, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/companies/own-fashion/review/"
    row.refresh_from_db()
    assert row.facility_id == unit1.pk and row.decision == "confirmed"
    assert row.decided_by == world.users["own_company"]
    assert b"Nothing to review." in own.get("/companies/own-fashion/review/").content
    # Deciding again is refused with a message and changes nothing.
    response = sec.post(f"/review/{row.pk}/", {"action": "reject"}, follow=True)
    assert b"already been decided" in response.content
    row.refresh_from_db()
    assert row.facility_id == unit1.pk
    assert b"Yes, this facility" not in response.content  # no forms on a decided row


def test_review_reject_and_unknown_pick(world, data):
    row = data.review_row
    sec = world.client("secretariat")
    # An unknown id is a message, not a 500, and changes nothing.
    response = sec.post(
        f"/review/{row.pk}/", {"action": "pick", "facility": "CVXX0000000A"}, follow=True
    )
    assert response.status_code == 200 and b"msg-error" in response.content
    row.refresh_from_db()
    assert row.decision == "review"
    # Rejecting makes the row a new facility and goes back to the queue.
    response = sec.post(
        f"/review/{row.pk}/", {"action": "reject", "next": "/secretariat/garments/review/"}
    )
    assert response["Location"] == "/secretariat/garments/review/"
    row.refresh_from_db()
    assert row.decision == "new" and row.facility.name == "Anatolia Tekstil Unit 2"
    assert row.decided_by == world.users["secretariat"]


def test_registry_merge_split_and_audit(world, data):
    sec = world.client("secretariat")
    bd = Facility.objects.get(country="BD")
    cn = Facility.objects.get(country="CN")
    search = sec.get("/secretariat/registry/?q=pioneer").content.decode()
    assert bd.public_id in search and cn.public_id not in search
    before = AuditEvent.objects.filter(kind="read").count()
    page = sec.get(f"/secretariat/registry/{bd.public_id}/").content.decode()
    assert "Own Fashion BV" in page and "Disclosed by 1 company" in page
    assert AuditEvent.objects.filter(kind="read").count() > before
    response = sec.post(
        f"/secretariat/registry/{bd.public_id}/", {"action": "merge", "merged": cn.public_id}
    )
    assert response.status_code == 302
    cn.refresh_from_db()
    assert (
        cn.status == "merged"
        and FacilityRedirect.objects.filter(old_public_id=cn.public_id).exists()
    )
    # The old id leads to the survivor, also lower-case.
    response = sec.get(f"/secretariat/registry/{cn.public_id.lower()}/")
    assert response.status_code == 302 and bd.public_id in response["Location"]
    moved = list(Contribution.objects.filter(facility=bd).values_list("pk", flat=True))
    assert len(moved) == 2
    response = sec.post(
        f"/secretariat/registry/{bd.public_id}/",
        {"action": "split", "contributions": [str(moved[1]), "junk"]},
    )
    assert response.status_code == 302
    new = Facility.objects.exclude(pk=bd.pk).get(contributions__pk=moved[1])
    assert response["Location"] == f"/secretariat/registry/{new.public_id}/"
    # Merging a facility into itself is refused with a message.
    response = sec.post(
        f"/secretariat/registry/{bd.public_id}/",
        {"action": "merge", "merged": bd.public_id},
        follow=True,
    )
    assert response.status_code == 200 and b"msg-error" in response.content


def test_links_from_the_workspaces(world, data):
    assert (
        b"/companies/own-fashion/locations/"
        in world.client("own_company").get("/companies/own-fashion/").content
    )
    home = world.client("secretariat").get("/secretariat/").content
    assert b"/secretariat/garments/review/" in home and b"/secretariat/registry/" in home


@pytest.mark.parametrize(
    ("reason", "dutch"),
    [
        ("same address", "zelfde adres"),
        ("postcode 400585 vs 400929", "postcode 400585 tegenover 400929"),
        ("legal form co ltd vs pvt", "rechtsvorm co ltd tegenover pvt"),
        ("unit 4 on one side only", "unit 4 aan één kant"),
        ("unit 4 vs unit 1", "unit 4 tegenover unit 1"),
        ("something new", "something new"),  # a reason the page does not know stays as it is
    ],
)
def test_match_reasons_in_dutch(reason, dutch):
    from django.utils import translation

    from covenant.supplychain.templatetags.supplychain_tags import match_reason

    with translation.override("nl"):
        assert match_reason(reason) == dutch
    with translation.override("en"):
        assert match_reason(reason) == reason


def test_unit_conflict_reason_is_picked_out():
    from covenant.supplychain.templatetags.supplychain_tags import unit_conflict

    assert unit_conflict(["name nearly the same", "unit 4 vs unit 1"]) == "unit 4 vs unit 1"
    assert unit_conflict(["same distinctive name", "address differs", "unit 2 vs unit 1"]) == (
        "unit 2 vs unit 1"
    )
    # another name with another unit number is another facility, not the same group
    assert unit_conflict(["name differs", "unit 2 vs unit 1"]) == ""
    assert unit_conflict(["postcode 1340 vs 1341", "legal form ltd vs sa"]) == ""
    assert unit_conflict(["unit 2 on one side only"]) == ""
    assert unit_conflict(None) == "" and unit_conflict(()) == ""
