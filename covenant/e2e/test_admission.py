"""End-to-end: a secretariat member signs in with a second factor and admits a new member,
in headless Chromium (Debian's /usr/bin/chromium driven by Playwright). Screenshots are
saved under test-artifacts/ as evidence of what was tested."""

from __future__ import annotations

import pyotp
import pytest

from covenant.agreements.models import Membership
from covenant.e2e.browser import ARTIFACTS, needs_chromium

pytestmark = [needs_chromium]


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
