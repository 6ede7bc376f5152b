"""End-to-end, in headless Chromium on a phone-sized window: a reporter without an account
finds the factory on the published list (with a typo), reports an abuse, gets a receipt
code; the secretariat (second factor) asks a question and forwards the signal; the reporter
comes back with the code, reads the question and answers; the company sees the signal
without the reporter's identity. Screenshots under test-artifacts/."""

from __future__ import annotations

import re

import pytest

from covenant.e2e.browser import ARTIFACTS, needs_chromium, new_page, sign_in
from covenant.signals.models import Signal, SignalMessage
from covenant.signals.tests.conftest import (  # noqa: F401
    REPORTER_CONTACT,
    REPORTER_NAME,
    fresh_registry_index,
    published,
    signal_keys,
)

pytestmark = [needs_chromium]
PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_report_follow_up_and_forward(world, published, live_server, browser_page):  # noqa: F811
    page = browser_page
    base = live_server.url
    page.set_viewport_size(PHONE)

    # The reporter: find the factory (typo in the name), report, get the code.
    page.goto(f"{base}/agreements/garments/report/")
    page.fill("#id_q", "pionere knitwear")
    page.click("#location-search button[type=submit]")
    page.wait_for_selector("#location-results")
    page.screenshot(path=str(ARTIFACTS / "signal-1-pick-location.png"), full_page=True)
    page.click("#location-results a")
    page.wait_for_selector("#report-form")
    assert "Pioneer Knitwear" in page.inner_text("#chosen-location")
    page.check("#id_themes_0")
    page.fill(
        "#id_description",
        "Night shifts of sixteen hours without overtime pay; the exit is locked at night.",
    )
    page.fill("#id_since", "2019-03-01")
    page.fill("#id_workers_affected", "120")
    page.fill("#id_reporter_name", REPORTER_NAME)
    page.fill("#id_reporter_contact", REPORTER_CONTACT)
    page.screenshot(path=str(ARTIFACTS / "signal-2-report-form.png"), full_page=True)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"([0-9A-Z]{4}-){5}[0-9A-Z]{4}", code), code
    page.screenshot(path=str(ARTIFACTS / "signal-3-receipt.png"), full_page=True)
    signal = Signal.objects.get()
    assert code.replace("-", "") not in signal.receipt_hash

    # The secretariat: ask a question, check as admissible, forward.
    sec = new_page(page.context.browser)
    sign_in(sec, base, "sec", f"/secretariat/signals/{signal.reference}/", totp=world.totp_secret)
    assert REPORTER_NAME in sec.inner_text("#reporter-identity")
    sec.fill("#id_question", "Which building and which floor?")
    sec.click("#ask-form button[type=submit]")
    sec.wait_for_selector("text=Which building and which floor?")
    sec.check("#check-form input[value=admissible]")
    sec.click("#check-form button[type=submit]")
    sec.wait_for_selector("#forward-form")
    sec.click("#forward-form button[type=submit]")
    sec.wait_for_selector("#forward-own-fashion")
    assert sec.inner_text("#signal-status") == "Forwarded to the companies"
    sec.screenshot(path=str(ARTIFACTS / "signal-4-secretariat.png"), full_page=True)

    # The reporter comes back with the code (typed in lower case, without dashes).
    page.goto(f"{base}/report/follow-up/")
    page.fill("#id_code", code.replace("-", " ").lower())
    page.click("#code-form button[type=submit]")
    page.wait_for_selector("#signal-status")
    assert page.inner_text("#signal-status") == "Forwarded to the companies"
    assert "Which building and which floor?" in page.inner_text("#messages")
    assert code not in page.url and code.replace("-", "") not in page.url
    page.fill("#id_body", "Building B, second floor, the sewing hall.")
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("text=Building B, second floor, the sewing hall.")
    assert "Forwarded to the companies linked to the location" in page.inner_text("#timeline")
    page.screenshot(path=str(ARTIFACTS / "signal-5-follow-up.png"), full_page=True)
    assert SignalMessage.objects.filter(direction="from_reporter").count() == 1

    # The company sees the signal, without the reporter's identity.
    own = new_page(page.context.browser)
    sign_in(own, base, "own", f"/companies/own-fashion/signals/{signal.reference}/")
    text = own.inner_text("main")
    assert "Night shifts of sixteen hours" in text
    assert REPORTER_NAME not in text and REPORTER_CONTACT not in text
    assert "Other member companies that use this location received this signal too" in text
    own.screenshot(path=str(ARTIFACTS / "signal-6-company.png"), full_page=True)
    # The company responds in the platform.
    own.fill("#id_investigation", "Our auditor visited the sewing hall on 2 April.")
    own.fill("#id_actions", "Night shifts end at 22:00; overtime is paid at 125%.")
    own.fill("#id_remediation", "Back pay for the unpaid overtime since March.")
    own.click("#response-form button[type=submit]")
    own.wait_for_selector("text=Back pay for the unpaid overtime since March.")
    own.context.close()

    # The secretariat (still signed in) reads the response and closes the signal.
    sec.goto(f"{base}/secretariat/signals/{signal.reference}/")
    assert "Back pay for the unpaid overtime" in sec.inner_text("main")
    sec.select_option("#id_outcome", index=1)
    sec.click("#close-form button[type=submit]")
    sec.wait_for_selector("text=Closed")
    assert sec.inner_text("#signal-status") == "Closed"
    sec.screenshot(path=str(ARTIFACTS / "signal-7-closed.png"), full_page=True)
    sec.context.close()
    signal.refresh_from_db()
    assert signal.status == "closed" and signal.outcome
