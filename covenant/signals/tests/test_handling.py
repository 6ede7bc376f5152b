"""Handling a signal: the secretariat's checks, questions through the receipt-code channel,
forwarding to every member company linked to the location (without the identity unless the
reporter allowed it; companies sharing the location are told others received it, not who),
the company's response, the summary the reporter sees. Role matrix on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.signals import selectors, services
from covenant.signals.models import Signal, SignalForward
from covenant.signals.services import Upload
from covenant.signals.tests.conftest import (
    DESCRIPTION,
    PNG,
    REPORTER_CONTACT,
    REPORTER_NAME,
    facility,
    submit,
)

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


def _sec(world):
    return world.users["secretariat"]


def _admissible(world, signal):
    return services.signal_check(signal=signal, decision="admissible", note="", actor=_sec(world))


@pytest.fixture
def own_only(world, published):
    """A signal about a factory only the own company uses, forwarded, identity not shared."""
    signal = submit(world, public_id=facility("Tiruppur").public_id).signal
    _admissible(world, signal)
    services.signal_forward(signal=signal, note="Please investigate.", actor=_sec(world))
    return signal


def _identity_absent(content: bytes) -> None:
    for secret in (REPORTER_NAME, REPORTER_CONTACT):
        assert secret.encode() not in content, secret


def test_forward_reaches_every_linked_member_without_identity(
    world, shared_signal, django_capture_on_commit_callbacks
):
    signal = shared_signal.signal
    _admissible(world, signal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        forwards = services.signal_forward(signal=signal, note="", actor=_sec(world))
    assert sorted(f.company.slug for f in forwards) == ["other-apparel", "own-fashion"]
    assert all(f.shared_with_others and not f.identity_shared for f in forwards)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.FORWARDED and signal.forwarded_at
    # E-mails go to the companies' admins, without the report's content.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["own_company"].email, world.users["other_company"].email]
    )
    for m in mail.outbox:
        assert DESCRIPTION[:30] not in m.body and REPORTER_NAME not in m.body
        assert signal.reference in m.subject
    with pytest.raises(ValidationFailed, match="admissible"):
        services.signal_forward(signal=signal, note="", actor=_sec(world))


def test_company_page_without_identity_and_others_not_named(world, shared_signal):
    signal = shared_signal.signal
    _admissible(world, signal)
    services.signal_forward(signal=signal, note="", actor=_sec(world))
    page = world.client("own_company").get(f"/companies/own-fashion/signals/{signal.reference}/")
    assert page.status_code == 200
    assert DESCRIPTION[:40].encode() in page.content
    _identity_absent(page.content)
    assert b"known to the secretariat only" in page.content
    assert b"Other member companies that use this location received this signal too" in page.content
    assert b"Other Apparel" not in page.content
    staff = world.client("secretariat").get(f"/secretariat/signals/{signal.reference}/")
    assert b'id="joint-link"' in staff.content
    # The reporter's file is not shared either (a photo can identify).
    assert b"night-shift-proof.png" not in page.content
    attachment = signal.attachments.get()
    assert (
        world.client("own_company")
        .get(f"/companies/own-fashion/signals/{signal.reference}/files/{attachment.pk}/")
        .status_code
        == 404
    )


def test_identity_shared_when_allowed(world, published):
    signal = submit(world, public_id=facility("Tiruppur").public_id, shareable=True).signal
    _admissible(world, signal)
    services.signal_forward(signal=signal, note="", actor=_sec(world))
    client = world.client("own_company")
    page = client.get(f"/companies/own-fashion/signals/{signal.reference}/")
    assert REPORTER_NAME.encode() in page.content and REPORTER_CONTACT.encode() in page.content
    assert AuditEvent.objects.filter(
        action="read.signal.identity", actor=world.users["own_company"], kind="read"
    ).exists()
    assert b"Other member companies" not in page.content  # only one company uses it
    attachment = signal.attachments.get()
    response = client.get(
        f"/companies/own-fashion/signals/{signal.reference}/files/{attachment.pk}/"
    )
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Disposition"].startswith("attachment;")


def test_role_matrix_pages(world, own_only):
    ref = own_only.reference
    file_id = own_only.attachments.get().pk
    matrix = [
        ("/secretariat/garments/signals/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/signals/?status=all&overdue=1", (LOGIN, 403, 403, 403, 200)),
        (f"/secretariat/signals/{ref}/", (LOGIN, 403, 403, 403, 200)),
        (f"/secretariat/signals/{ref}/files/{file_id}/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/signals/S-00-NOPE/", (LOGIN, 403, 403, 403, 404)),
        ("/companies/own-fashion/signals/", (LOGIN, 403, 200, 403, 403)),
        (f"/companies/own-fashion/signals/{ref}/", (LOGIN, 403, 200, 403, 403)),
        (f"/companies/own-fashion/signals/{ref}/files/{file_id}/", (LOGIN, 403, 404, 403, 403)),
        ("/companies/other-apparel/signals/", (LOGIN, 200, 403, 403, 403)),
        # Not forwarded to the other company: it cannot even learn the signal exists.
        (f"/companies/other-apparel/signals/{ref}/", (LOGIN, 404, 403, 403, 403)),
    ]
    for url, expected in matrix:
        for role, status in zip(ROLES, expected, strict=True):
            response = world.client(role).get(url)
            assert response.status_code == status, f"{role} {url}: {response.status_code}"
            if role != "secretariat" and status == 200:
                _identity_absent(response.content)
    other_list = world.client("other_company").get("/companies/other-apparel/signals/")
    assert ref.encode() not in other_list.content
    own_list = world.client("own_company").get("/companies/own-fashion/signals/")
    assert ref.encode() in own_list.content


def test_post_role_matrix(world, own_only):
    ref = own_only.reference
    staff_url = f"/secretariat/signals/{ref}/"
    company_url = f"/companies/own-fashion/signals/{ref}/"
    for role, status in zip(ROLES, (LOGIN, 403, 403, 403, 302), strict=True):
        response = world.client(role).post(staff_url, {"action": "escalate", "note": "late"})
        assert response.status_code == status, role
    for role, status in zip(ROLES, (LOGIN, 403, 302, 403, 403), strict=True):
        response = world.client(role).post(company_url, {"action": "acknowledge"})
        assert response.status_code == status, role
    # A company member (not admin) reads but does not respond.
    from covenant.accounts.models import RoleName
    from covenant.agreements.tests.factories import user_with_role

    member = user_with_role(world.company, RoleName.COMPANY_MEMBER, username="member")
    from django.test import Client

    client = Client()
    client.force_login(member)
    assert client.get(company_url).status_code == 200
    assert b"response-form" not in client.get(company_url).content
    assert client.post(company_url, {"action": "acknowledge"}).status_code == 403


def test_secretariat_sees_identity_and_reads_are_audited(world, own_only):
    before = AuditEvent.objects.filter(kind="read", action="read.signal.detail").count()
    page = world.client("secretariat").get(f"/secretariat/signals/{own_only.reference}/")
    assert REPORTER_NAME.encode() in page.content and REPORTER_CONTACT.encode() in page.content
    assert b"Own Fashion BV" in page.content
    assert AuditEvent.objects.filter(kind="read", action="read.signal.detail").count() == before + 1


def test_question_and_answer_through_the_receipt_channel(world, published, client):
    submitted = submit(world, public_id=facility("Tiruppur").public_id)
    signal = submitted.signal
    response = world.client("secretariat").post(
        f"/secretariat/signals/{signal.reference}/",
        {"action": "ask", "question": "Which building? <b>bold</b>"},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEEDS_INFO and signal.acknowledged_at
    client.post("/report/follow-up/", {"code": submitted.receipt_code})
    page = client.get("/report/follow-up/status/")
    assert b"Which building? &lt;b&gt;bold&lt;/b&gt;" in page.content
    assert b'id="open-question"' in page.content
    client.post("/report/follow-up/status/", {"body": "Building B, second floor."})
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW  # back in the secretariat's queue
    staff = world.client("secretariat").get(f"/secretariat/signals/{signal.reference}/")
    assert b"Building B, second floor." in staff.content


def test_checks_with_reasons(world, published):
    signal = submit(world).signal  # unlisted
    with pytest.raises(ValidationFailed) as info:
        services.signal_check(signal=signal, decision="not_member", note="", actor=_sec(world))
    assert info.value.field == "note"
    with pytest.raises(ValidationFailed):
        services.signal_check(signal=signal, decision="maybe", note="", actor=_sec(world))
    _admissible(world, signal)
    with pytest.raises(ValidationFailed, match="Link the signal"):
        services.signal_forward(signal=signal, note="", actor=_sec(world))
    services.signal_set_location(
        signal=signal, public_id=facility("Anatolia").public_id, actor=_sec(world)
    )
    forwards = services.signal_forward(signal=signal, note="", actor=_sec(world))
    assert [f.company.slug for f in forwards] == ["own-fashion"]
    other = submit(world).signal
    services.signal_check(
        signal=other, decision="not_member", note="Not a member's supplier", actor=_sec(world)
    )
    other.refresh_from_db()
    assert other.status == Signal.Status.NOT_MEMBER and other.closed_at is not None
    with pytest.raises(ValidationFailed, match="closed"):
        services.signal_ask(signal=other, text="?", actor=_sec(world))


def test_company_response_and_reporter_summary(
    world, published, client, django_capture_on_commit_callbacks
):
    submitted = submit(world, public_id=facility("Tiruppur").public_id)
    signal = submitted.signal
    _admissible(world, signal)
    services.signal_forward(signal=signal, note="", actor=_sec(world))
    company = world.client("own_company")
    url = f"/companies/own-fashion/signals/{signal.reference}/"
    empty = company.post(url, {"action": "respond", "investigation": "", "actions": ""})
    assert empty.status_code == 422
    assert b"Describe at least what you investigated" in empty.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = company.post(
            url,
            {
                "action": "respond",
                "investigation": "Audit on 12 June confirmed the night shifts.",
                "actions": "Supplier agreed to end night shifts and pay overtime.",
                "remediation": "Back pay for 120 workers.",
                "evidence": [SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit", "application/pdf")],
            },
        )
    assert response.status_code == 302
    forward = SignalForward.objects.get(signal=signal)
    assert forward.status == SignalForward.Status.RESPONDED
    assert forward.evidence.count() == 1
    assert [m.to[0] for m in mail.outbox] == [_sec(world).email]
    # The evidence is the company's own: it may open it.
    evidence = forward.evidence.get()
    assert company.get(f"{url}files/{evidence.pk}/").status_code == 200
    # The reporter sees status and the approved summary, not the company's text nor its name.
    client.post("/report/follow-up/", {"code": submitted.receipt_code})
    page = client.get("/report/follow-up/status/")
    assert b"Audit on 12 June" not in page.content and b"Own Fashion" not in page.content
    assert b"A company responded" in page.content
    services.signal_summary_approve(
        signal=signal, text="The factory ended night shifts; back pay agreed.", actor=_sec(world)
    )
    services.signal_close(signal=signal, outcome="resolved", actor=_sec(world))
    page = client.get("/report/follow-up/status/")
    assert b"The factory ended night shifts; back pay agreed." in page.content
    assert b'id="signal-status">Closed<' in page.content
    assert b"add-form" not in page.content


def test_views_decrypt_only_for_allowed_viewers(world, own_only):
    forward = own_only.forwards.get()
    view = selectors.company_view(forward)
    assert view.reporter_name == "" and view.reporter_contact == ""
    assert view.messages == [] and view.attachments == []
    staff = selectors.secretariat_view(own_only)
    assert staff.reporter_name == REPORTER_NAME


def test_evidence_type_checked(world, own_only):
    forward = own_only.forwards.get()
    with pytest.raises(ValidationFailed) as info:
        services.forward_respond(
            forward=forward,
            investigation="x",
            actions="",
            remediation="",
            evidence=[Upload("a.html", b"<html><script>")],
            actor=world.users["own_company"],
        )
    assert info.value.field == "evidence"
    assert forward.evidence.count() == 0


def test_staff_list_filters(world, own_only, published):
    new = submit(world).signal
    page = world.client("secretariat").get("/secretariat/garments/signals/")
    content = page.content.decode()
    assert own_only.reference in content and new.reference in content
    page = world.client("secretariat").get("/secretariat/garments/signals/?status=forwarded")
    assert own_only.reference in page.content.decode()
    assert new.reference not in page.content.decode()
    assert re.search(r"Acknowledge: \d{4}-\d\d-\d\d", content)  # next deadline shown


def test_secretariat_is_told_of_new_signals_and_additions(
    world, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(world)
    assert [m.to[0] for m in mail.outbox] == [_sec(world).email]
    message = mail.outbox[0]
    assert message.subject == f"New signal {submitted.signal.reference}"
    assert f"/secretariat/signals/{submitted.signal.reference}/" in message.body
    for secret in (DESCRIPTION[:30], REPORTER_NAME, REPORTER_CONTACT, submitted.receipt_code):
        assert secret not in message.body and secret not in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_reporter_add(signal=submitted.signal, text="Addition", attachments=[])
    assert mail.outbox[-1].subject == (
        f"Signal {submitted.signal.reference}: the reporter added information"
    )
    assert "Addition" not in mail.outbox[-1].body


def test_companies_named_to_each_other_only_when_both_opted_in(world, shared_signal):
    from covenant.supplychain.models import IntroductionOptIn

    signal = shared_signal.signal
    _admissible(world, signal)
    services.signal_forward(signal=signal, note="", actor=_sec(world))
    url = f"/companies/own-fashion/signals/{signal.reference}/"
    IntroductionOptIn.objects.create(
        agreement=world.agreement, facility=signal.facility, company=world.company
    )
    page = world.client("own_company").get(url)
    assert b"Other Apparel" not in page.content  # the other company did not opt in
    IntroductionOptIn.objects.create(
        agreement=world.agreement, facility=signal.facility, company=world.other_company
    )
    page = world.client("own_company").get(url)
    assert b'id="coordinating"' in page.content and b"Other Apparel BV" in page.content
    other = world.client("other_company").get(
        f"/companies/other-apparel/signals/{signal.reference}/"
    )
    assert b"Own Fashion BV" in other.content
