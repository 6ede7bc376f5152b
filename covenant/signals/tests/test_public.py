"""The public reporting and follow-up pages: every viewpoint may report (no account needed),
the location search reuses the published list, the receipt code is shown once and never put
in a URL, the form token and the throttle stop floods without blocking a shared network,
wrong receipt codes are logged and throttled, and what reporters send is escaped."""

from __future__ import annotations

import re

import pytest

from covenant.core.models import AuditEvent
from covenant.signals import conf, throttle
from covenant.signals.models import ReceiptAttempt, Signal, SignalMessage
from covenant.signals.tests.conftest import PNG, REPORTER_CONTACT, REPORTER_NAME, facility

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
REPORT = "/agreements/garments/report/"


@pytest.fixture(autouse=True)
def _easy_pow(settings):
    settings.SIGNALS_POW_BITS = 8


def _token(content: bytes, name: str = "form_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"'.encode(), content)
    return match.group(1).decode() if match else ""


def _post_report(client, location="unlisted", token=None, solve=False, **fields):
    page = client.get(f"{REPORT}?location={location}")
    challenge = _token(page.content, "pow_challenge")
    if solve:
        assert challenge, "the form carries no challenge"
        fields["pow_solution"] = throttle.pow_solve(challenge)
    data = {
        "location": location,
        "form_token": _token(page.content) if token is None else token,
        "pow_challenge": challenge,
        "location_text": "Dye house behind the rail station, Tongi",
        "country": "BD",
        "themes": ["living-wage"],
        "description": "Sixteen-hour night shifts without overtime pay; the exit is locked.",
        "since": "2019-03-01",
        "workers_affected": "120",
        "reporter_name": REPORTER_NAME,
        "reporter_contact": REPORTER_CONTACT,
    }
    data.update(fields)
    return client.post(REPORT, data)


def _code(response) -> str:
    match = re.search(rb'id="receipt-code">([0-9A-Z-]+)<', response.content)
    assert match, response.content[:2000]
    return match.group(1).decode()


@pytest.mark.parametrize(
    "url,status",
    [
        (REPORT, 200),
        (f"{REPORT}?q=pionere", 200),
        (f"{REPORT}?location=unlisted", 200),
        (f"{REPORT}?location={{pid}}", 200),
        (f"{REPORT}?location=CV0000000XXX", 404),
        ("/agreements/nope/report/", 404),
        ("/report/follow-up/", 200),
        ("/report/follow-up/status/", 302),
    ],
)
def test_public_pages_for_every_viewpoint(world, published, url, status):
    url = url.format(pid=facility("Pioneer").public_id)
    for role in ROLES:
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}"
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"
        if status == 200:
            # No company name on a public page, ever.
            assert b"Own Fashion" not in response.content
            assert b"Other Apparel" not in response.content
            # Light: no htmx on the reporting pages.
            assert b"htmx" not in response.content


def test_typo_tolerant_search_from_the_published_list(world, published, client):
    response = client.get(f"{REPORT}?q=pionere+knitwer")
    assert b"Pioneer Knitwear" in response.content
    pid = facility("Pioneer").public_id
    assert f"?location={pid}".encode() in response.content


def test_report_about_a_listed_location(world, published, client):
    pid = facility("Pioneer").public_id
    page = client.get(f"{REPORT}?location={pid}")
    assert b"Pioneer Knitwear" in page.content
    assert b'name="location_text"' not in page.content
    response = _post_report(client, location=pid, location_text="", country="")
    assert response.status_code == 200
    signal = Signal.objects.get()
    assert signal.facility == facility("Pioneer")
    code = _code(response)
    assert len(code.replace("-", "")) == 24
    assert response["Cache-Control"] == "no-store"


def test_report_with_attachment_and_identity_choice(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _post_report(
        client,
        identity_shareable="on",
        attachments=[SimpleUploadedFile("proof.png", PNG, content_type="image/png")],
    )
    assert response.status_code == 200
    signal = Signal.objects.get()
    assert signal.identity_shareable is True
    assert signal.attachments.count() == 1


def test_wrong_file_type_keeps_the_report_and_says_why(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _post_report(
        client, attachments=[SimpleUploadedFile("x.png", b"MZ\x90binary", content_type="image/png")]
    )
    assert response.status_code == 422
    assert b"is not a photo (JPEG, PNG) or a PDF document" in response.content
    assert b"Sixteen-hour night shifts" in response.content  # what was typed is still there
    assert Signal.objects.count() == 0
    assert _token(response.content)  # a new single-use token to send it again


def test_missing_fields_are_named(world, client):
    response = _post_report(client, description="", location_text="")
    assert response.status_code == 422
    assert b'id="field-description"' in response.content
    assert b"This field is required." in response.content
    assert Signal.objects.count() == 0


def test_form_token_is_single_use_and_required(world, client):
    page = client.get(f"{REPORT}?location=unlisted")
    token = _token(page.content)
    assert _post_report(client, token=token).status_code == 200
    again = _post_report(client, token=token)
    assert again.status_code == 409
    assert b"already sent or is too old" in again.content
    assert _post_report(client, token="forged:token").status_code == 409
    missing = _post_report(client, token="")
    assert missing.status_code == 422
    assert b"already sent or is too old" in missing.content
    assert Signal.objects.count() == 1


def test_a_used_form_token_stays_used_when_the_cache_is_emptied(world, client):
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from covenant.signals.models import UsedFormToken

    page = client.get(f"{REPORT}?location=unlisted")
    token = _token(page.content)
    assert _post_report(client, token=token).status_code == 200
    cache.clear()  # e.g. the database cache culling entries past MAX_ENTRIES
    assert _post_report(client, token=token).status_code == 409
    assert Signal.objects.count() == 1
    # Used tokens are forgotten only once they would have expired anyway.
    assert throttle.form_tokens_purge() == 0
    later = timezone.now() + dt.timedelta(seconds=throttle.FORM_MAX_AGE + 120)
    assert throttle.form_tokens_purge(now=later) == 1 and not UsedFormToken.objects.exists()


def test_throttle_asks_for_proof_of_work_not_a_block(world, client, settings):
    settings.SIGNALS_THROTTLE_BURST = 2
    settings.SIGNALS_THROTTLE_PER_HOUR = 1
    assert _post_report(client).status_code == 200
    assert _post_report(client).status_code == 200
    # The bucket is empty: the form now carries a challenge; without solving it, a clear 429.
    refused = _post_report(client)
    assert refused.status_code == 429
    assert b"Many reports were sent from your network recently" in refused.content
    assert b"signals/pow.js" in refused.content
    assert Signal.objects.count() == 2
    # The page's script solves the challenge: the report goes through.
    solved = _post_report(client, solve=True)
    assert solved.status_code == 200
    assert Signal.objects.count() == 3
    # A solution is single-use and must be right.
    challenge = throttle.pow_challenge_new()
    solution = throttle.pow_solve(challenge)
    assert not throttle.pow_verify(challenge, "x")
    assert throttle.pow_verify(challenge, solution)
    assert not throttle.pow_verify(challenge, solution)


def test_another_network_is_not_throttled(world, settings):
    from django.test import Client

    settings.SIGNALS_THROTTLE_BURST = 1
    office = Client(REMOTE_ADDR="203.0.113.7")
    assert _post_report(office).status_code == 200
    assert _post_report(office).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert _post_report(elsewhere).status_code == 200


def test_hard_cap_even_with_proof_of_work(world, client, settings):
    settings.SIGNALS_THROTTLE_BURST = 1
    settings.SIGNALS_HARD_LIMIT_PER_HOUR = 2
    assert _post_report(client).status_code == 200
    assert _post_report(client, solve=True).status_code == 200
    assert _post_report(client, solve=True).status_code == 429
    assert Signal.objects.count() == 2


def test_follow_up_with_the_code(world, client):
    code = _code(_post_report(client, description="<script>alert('x')</script> and more text"))
    other = world.client("anonymous")
    assert other.get("/report/follow-up/status/").status_code == 302
    response = other.post("/report/follow-up/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert code not in response["Location"] and code.replace("-", "") not in response["Location"]
    page = other.get("/report/follow-up/status/")
    assert page.status_code == 200
    content = page.content
    assert b'id="signal-status">Received<' in content
    assert b"Report received" in content
    assert b"&lt;script&gt;alert" in content and b"<script>alert" not in content
    # The reporter's identity is not shown back (a code in the wrong hands).
    assert REPORTER_NAME.encode() not in content and REPORTER_CONTACT.encode() not in content
    added = other.post("/report/follow-up/status/", {"body": "The gate is locked at night too."})
    assert added.status_code == 302
    assert SignalMessage.objects.filter(direction="from_reporter").count() == 1
    page = other.get(added["Location"])
    assert b"The gate is locked at night too." in page.content
    assert b"your information was added" in page.content
    empty = other.post("/report/follow-up/status/", {"body": ""})
    assert empty.status_code == 422
    assert b"Write something or attach a file." in empty.content
    other.post("/report/follow-up/leave/")
    assert other.get("/report/follow-up/status/").status_code == 302


def test_wrong_codes_are_logged_and_throttled(world, client, settings):
    settings.SIGNALS_CODE_FAILURES = 3
    code = _code(_post_report(client))
    guesser = world.client("anonymous")
    for _i in range(3):
        response = guesser.post("/report/follow-up/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"})
        assert response.status_code == 404
        assert b"This code is not known" in response.content
    assert ReceiptAttempt.objects.count() == 3
    assert AuditEvent.objects.filter(action="signal.receipt_failed", kind="security").count() == 3
    # Now even the right code waits: guessing is not rewarded.
    blocked = guesser.post("/report/follow-up/", {"code": code})
    assert blocked.status_code == 429
    assert b"Too many wrong codes" in blocked.content
    # From another network the right code works.
    from django.test import Client

    assert (
        Client(REMOTE_ADDR="198.51.100.9").post("/report/follow-up/", {"code": code}).status_code
        == 302
    )
    # The codes tried are not stored anywhere.
    assert not AuditEvent.objects.filter(detail__icontains="AAAA").exists()


def test_language_is_a_setting(world, client, settings, monkeypatch):
    response = client.get(f"{REPORT}?lang=nl")
    assert b'<html lang="nl">' in response.content
    assert response["Content-Language"] == "nl"
    settings.SIGNALS_LANGUAGES = "en"
    response = client.get(f"{REPORT}?lang=nl")
    assert b'<html lang="en">' in response.content
    assert b'hreflang="nl"' not in response.content
    # A listed language without a catalogue of ours is not offered (it would be English).
    monkeypatch.setitem(conf.LANGUAGE_NAMES, "sw", "Kiswahili")
    settings.SIGNALS_LANGUAGES = "en,nl,sw"
    response = client.get(f"{REPORT}?lang=sw")
    assert b'<html lang="en">' in response.content
    assert b'hreflang="sw"' not in response.content and b'hreflang="nl"' in response.content


def test_large_upload_refused_without_a_temporary_file(world, client, monkeypatch):
    """A 6 MB file: refused by its size, and never written to a temporary file."""
    from django.core.files import uploadedfile
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def recording(self, *args, **kwargs):
        made.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", recording)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (6 * 1024 * 1024))
    response = _post_report(client, attachments=[big])
    assert response.status_code == 422
    assert b"big.png is larger than 5 MB." in response.content
    assert made == []
    assert Signal.objects.count() == 0
    # Elsewhere Django's default handlers still apply.
    big.seek(0)
    client.post("/report/follow-up/", {"code": "x", "f": big})
    assert made, "the check above could not fail"


def test_csrf_is_still_checked_on_the_reporting_form(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(f"{REPORT}?location=unlisted")
    data = {
        "location": "unlisted",
        "form_token": _token(page.content),
        "location_text": "Somewhere",
        "description": "Long enough description of what happened.",
    }
    assert strict.post(REPORT, data).status_code == 403
    token = _token(page.content, "csrfmiddlewaretoken")
    assert strict.post(REPORT, {**data, "csrfmiddlewaretoken": token}).status_code == 200


def test_client_address_behind_a_proxy(world, settings):
    from django.test import RequestFactory

    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    other = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    # Without the setting the header is ignored: both are the proxy's address.
    assert throttle.client_hash(spoofed) == throttle.client_hash(other)
    settings.SIGNALS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert throttle.client_hash(spoofed) != throttle.client_hash(other)
    # The right-most value counts (the one the proxy added), not what the client sent first.
    same = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert throttle.client_hash(spoofed) == throttle.client_hash(same)
    assert "203.0.113.5" not in throttle.client_hash(spoofed)
