"""End-to-end, in headless Chromium on a narrow phone-sized window (360x740): a reporter
chooses Bengali on the reporting page, reports an abuse and gets a receipt code; the
secretariat (second factor) asks a question; the reporter comes back with the code and
answers. Every reporter page is in Bengali. Screenshots test-artifacts/signal-bn-*.png."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

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
NARROW_PHONE = {"width": 360, "height": 740}


def bn(text: str) -> str:
    with translation.override("bn"):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} has no Bengali translation"
    return translated


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"page is {width}px wide on a 360px screen"


@pytest.mark.django_db(transaction=True)
def test_bengali_on_a_narrow_phone(world, published, live_server, browser_page):  # noqa: F811
    page = browser_page
    base = live_server.url
    page.set_viewport_size(NARROW_PHONE)

    # The reporter opens the reporting page and chooses Bengali.
    page.goto(f"{base}/agreements/garments/report/")
    page.click('.lang-links a[hreflang="bn"]')
    page.wait_for_selector('html[lang="bn"]')
    assert page.inner_text("h1") == bn("Report an abuse at a production location")
    assert page.get_attribute("html", "dir") is None
    page.fill("#id_q", "pionere knitwear")
    page.click("#location-search button[type=submit]")
    page.wait_for_selector("#location-results")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "signal-bn-1-pick-location.png"), full_page=True)
    page.click("#location-results a")
    page.wait_for_selector("#report-form")
    assert page.get_attribute("html", "lang") == "bn"
    assert "Pioneer Knitwear" in page.inner_text("#chosen-location")
    assert bn("What happened?") in page.inner_text("#report-form")
    page.check("#id_themes_0")
    page.fill("#id_description", "রাতের শিফট ষোল ঘণ্টা, ওভারটাইমের টাকা দেওয়া হয় না।")
    page.fill("#id_since", "2019-03-01")
    page.fill("#id_workers_affected", "120")
    page.fill("#id_reporter_name", REPORTER_NAME)
    page.fill("#id_reporter_contact", REPORTER_CONTACT)
    _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "signal-bn-2-report-form.png"), full_page=True)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    assert page.get_attribute("html", "lang") == "bn"
    assert page.inner_text("h1") == bn("Thank you. Your report was received.")
    code = page.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"([0-9A-Z]{4}-){5}[0-9A-Z]{4}", code), code
    _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "signal-bn-3-receipt.png"), full_page=True)
    signal = Signal.objects.get()
    assert signal.language == "bn"

    # The secretariat asks a question (its own pages stay in English).
    sec = new_page(page.context.browser)
    sign_in(sec, base, "sec", f"/secretariat/signals/{signal.reference}/", totp=world.totp_secret)
    sec.fill("#id_question", "কোন ভবন এবং কোন তলায়?")
    sec.click("#ask-form button[type=submit]")
    sec.wait_for_selector("text=কোন ভবন এবং কোন তলায়?")
    sec.context.close()

    # The reporter comes back with the code, in Bengali, reads the question and answers.
    page.goto(f"{base}/report/follow-up/?lang=bn")
    assert page.get_attribute("html", "lang") == "bn"
    page.fill("#id_code", code)
    page.click("#code-form button[type=submit]")
    page.wait_for_selector("#signal-status")
    assert page.get_attribute("html", "lang") == "bn"
    signal.refresh_from_db()
    with translation.override("bn"):
        status = str(signal.get_status_display())
    assert (
        page.inner_text("#signal-status")
        == status
        == bn(dict(Signal._meta.get_field("status").flatchoices)[signal.status])
    )
    assert "কোন ভবন এবং কোন তলায়?" in page.inner_text("#messages")
    assert code not in page.url and code.replace("-", "") not in page.url
    page.fill("#id_body", "ভবন বি, দ্বিতীয় তলা, সেলাই কক্ষ।")
    page.click("#add-form button[type=submit]")
    page.wait_for_selector("text=ভবন বি, দ্বিতীয় তলা, সেলাই কক্ষ।")
    assert page.get_attribute("html", "lang") == "bn"
    assert bn("Thank you: your information was added.") in page.inner_text("main")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "signal-bn-4-follow-up.png"), full_page=True)
    assert SignalMessage.objects.filter(direction="from_reporter").count() == 1
