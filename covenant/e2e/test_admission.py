"""End-to-end: a secretariat member signs in with a second factor and admits a new member,
in headless Chromium (Debian's /usr/bin/chromium driven by Playwright). Screenshots are
saved under test-artifacts/ as evidence of what was tested."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyotp
import pytest

from covenant.agreements.models import Membership

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(), reason="needs Debian chromium"
)


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_secretariat_admits_a_new_member(world, live_server, browser_page):
    page = browser_page
    base = live_server.url
    assert base.startswith("http://127.0.0.1:")

    page.goto(f"{base}/accounts/login/?next=/secretariat/garments/memberships/")
    page.fill("#id_username", "sec")
    page.fill("#id_password", "correct horse battery staple")
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.fill("#id_code", pyotp.TOTP(world.totp_secret).now())
    page.click("#otp-form button[type=submit]")
    page.wait_for_url("**/secretariat/garments/memberships/")

    page.fill("#id_new_company_name", "Zeeland Knitwear BV")
    page.fill("#id_new_company_city", "Middelburg")
    page.fill("#id_applied_on", "2019-02-01")
    page.screenshot(path=str(ARTIFACTS / "admission-1-application.png"), full_page=True)
    page.click("#application-form button[type=submit]")
    page.wait_for_url("**/secretariat/memberships/*/")
    assert page.inner_text("#membership-status") == "Applied"

    page.fill("#approve-form #id_effective_on", "2019-03-01")
    page.fill("#approve-form #id_note", "Admitted by the steering group")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#membership-status") == "Active"
    page.screenshot(path=str(ARTIFACTS / "admission-2-approved.png"), full_page=True)

    membership = Membership.objects.get(company__name="Zeeland Knitwear BV")
    assert membership.status == "active"
    assert membership.joined_on.isoformat() == "2019-03-01"

    # The new member shows on the public agreement page.
    page.goto(f"{base}/agreements/garments/")
    assert "Zeeland Knitwear BV" in page.inner_text("table.members")
    page.screenshot(path=str(ARTIFACTS / "admission-3-public-page.png"), full_page=True)
