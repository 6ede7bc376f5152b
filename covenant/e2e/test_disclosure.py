"""End-to-end, in headless Chromium: a company admin uploads the year's production
locations and sees the result and the changes; the progress bar of a running job moves and
the page turns into the result by itself (htmx polling); the secretariat decides a row of
the review queue side by side. Screenshots under test-artifacts/."""

from __future__ import annotations

import re

import pytest

from covenant.e2e.browser import ARTIFACTS, needs_chromium, sign_in
from covenant.supplychain.models import Contribution, Disclosure
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    FACTORIES,
    csv_bytes,
    data,
    fresh_registry_index,
)

pytestmark = [needs_chromium]


@pytest.mark.django_db(transaction=True)
def test_company_uploads_its_list(world, data, live_server, browser_page):  # noqa: F811
    page = browser_page
    base = live_server.url
    sign_in(page, base, "own", "/companies/own-fashion/")
    page.click("text=Production locations: upload your list")
    page.wait_for_url("**/companies/own-fashion/locations/")
    page.screenshot(path=str(ARTIFACTS / "disclosure-1-locations.png"), full_page=True)

    # Next year's list: two factories kept, one new, the Turkish unit dropped.
    rows = [FACTORIES[0], FACTORIES[1], FACTORIES[3]]
    page.fill("#id_year", "2019")
    page.set_input_files(
        "#id_file",
        {"name": "locations-2019.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)},
    )
    page.click("text=Upload and check")
    page.wait_for_url("**/companies/own-fashion/disclosures/*/")
    page.wait_for_selector("text=Accepted")
    text = page.inner_text("main")
    assert "1 added, 1 removed, 2 unchanged." in text
    assert "Saigon Stitch Company Limited" in text
    page.screenshot(path=str(ARTIFACTS / "disclosure-2-result.png"), full_page=True)
    accepted = Disclosure.objects.get(year=2019, status="accepted")
    assert accepted.contributions.count() == 3

    # A refused file lists what to fix, row by row.
    page.goto(f"{base}/companies/own-fashion/locations/upload/")
    page.fill("#id_year", "2020")
    bad = csv_bytes([FACTORIES[0], ("Bad Row Ltd", "Road 1", "Atlantis", "")])
    page.set_input_files(
        "#id_file", {"name": "locations-2020.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("text=nothing was imported")
    assert "country" in page.inner_text("main table")
    page.screenshot(path=str(ARTIFACTS / "disclosure-3-errors.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_progress_bar_moves_and_page_shows_the_result(world, data, live_server, browser_page):  # noqa: F811
    from playwright.sync_api import expect

    page = browser_page
    running = Disclosure.objects.create(
        agreement=world.agreement,
        company=world.company,
        year=2021,
        status="processing",
        rows_total=1000,
        rows_parsed=1000,
        rows_matched=200,
        original_filename="big-list.xlsx",
    )
    url = f"/companies/own-fashion/disclosures/{running.pk}/"
    sign_in(page, live_server.url, "own", url)
    assert page.get_attribute("#progress progress", "value") == "27"
    page.screenshot(path=str(ARTIFACTS / "disclosure-4-progress.png"), full_page=True)
    Disclosure.objects.filter(pk=running.pk).update(rows_matched=800)
    expect(page.locator("#progress progress")).to_have_attribute("value", "78", timeout=10_000)
    # Done: the fragment tells htmx to reload, and the page shows the failure's errors.
    Disclosure.objects.filter(pk=running.pk).update(
        status="failed",
        errors=[{"row": 7, "column": "country", "message": "Unknown country", "hint": "ISO"}],
    )
    page.wait_for_selector("text=nothing was imported", timeout=10_000)
    assert "Unknown country" in page.inner_text("main table")


@pytest.mark.django_db(transaction=True)
def test_secretariat_decides_a_review_row(world, data, live_server, browser_page):  # noqa: F811
    page = browser_page
    sign_in(page, live_server.url, "sec", "/secretariat/garments/review/", totp=world.totp_secret)
    assert "Anatolia Tekstil Unit 2" in page.inner_text("main table")
    page.click("main table a.button")
    page.wait_for_url(re.compile(r"/review/\d+/"))
    assert "Anatolia Tekstil Unit 1" in page.inner_text(".side-by-side")
    page.screenshot(path=str(ARTIFACTS / "disclosure-5-review.png"), full_page=True)
    page.click("text=None of these: a new facility")
    page.wait_for_url("**/secretariat/garments/review/")
    assert "Nothing to review." in page.inner_text("main")
    row = Contribution.objects.get(pk=data.review_row.pk)
    assert row.decision == "new"
