"""Deadlines per agreement (acknowledge, forward, company response, outcome), the overdue
list, reminders through the task worker after commit (once per stage), escalation, the
settings page, and retention: closed signals anonymised after the agreement's period with a
warning before, counts surviving."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from covenant.core.errors import ValidationFailed
from covenant.signals import deadlines, selectors, services
from covenant.signals.models import Signal, SignalEvent, SignalSettings
from covenant.signals.tests.conftest import facility, submit

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")


def _age(signal: Signal, days: int, **fields) -> None:
    past = timezone.now() - dt.timedelta(days=days)
    Signal.objects.filter(pk=signal.pk).update(created_at=past, **fields)
    signal.refresh_from_db()


def _stages(signal):
    return {s.key: s for s in deadlines.with_deadlines([signal])[0].stages}


def test_stages_follow_the_agreement_settings(world):
    signal = submit(world).signal
    _age(signal, 8)
    stages = _stages(signal)
    assert stages["acknowledge"].overdue and not stages["forward"].overdue
    assert "response" not in stages
    SignalSettings.objects.create(agreement=world.agreement, acknowledge_days=10)
    assert not _stages(signal)["acknowledge"].overdue
    services.signal_acknowledge(signal=signal, actor=world.users["secretariat"])
    signal.refresh_from_db()
    assert _stages(signal)["acknowledge"].done_at is not None


def test_overdue_list(world):
    late = submit(world).signal
    _age(late, 15)
    fresh = submit(world).signal
    page = world.client("secretariat").get("/secretariat/garments/signals/?overdue=1")
    content = page.content.decode()
    assert late.reference in content and fresh.reference not in content
    assert "overdue" in content


def test_reminders_once_per_stage_after_commit(
    world, published, django_capture_on_commit_callbacks
):
    signal = submit(world, public_id=facility("Tiruppur").public_id).signal
    _age(signal, 8)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadlines_remind() == 1
    assert [m.to[0] for m in mail.outbox] == [world.users["secretariat"].email]
    assert "overdue" in mail.outbox[0].subject and signal.reference in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadlines_remind() == 0
    assert len(mail.outbox) == 1
    event = SignalEvent.objects.get(signal=signal, kind="reminder")
    assert event.note == "acknowledge" and event.public is False


def test_company_response_overdue_reminds_the_company(
    world, published, django_capture_on_commit_callbacks
):
    signal = submit(world, public_id=facility("Tiruppur").public_id).signal
    services.signal_check(
        signal=signal, decision="admissible", note="", actor=world.users["secretariat"]
    )
    services.signal_forward(signal=signal, note="", actor=world.users["secretariat"])
    Signal.objects.filter(pk=signal.pk).update(forwarded_at=timezone.now() - dt.timedelta(days=31))
    signal.refresh_from_db()
    assert _stages(signal)["response"].overdue
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadlines_remind() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["secretariat"].email, world.users["own_company"].email]
    )
    forward = signal.forwards.get()
    services.forward_respond(
        forward=forward,
        investigation="Done.",
        actions="",
        remediation="",
        actor=world.users["own_company"],
    )
    signal.refresh_from_db()
    assert _stages(signal)["response"].done_at is not None


def test_escalation_is_one_action(world, published, django_capture_on_commit_callbacks):
    signal = submit(world, public_id=facility("Pioneer").public_id).signal
    sec = world.users["secretariat"]
    services.signal_check(signal=signal, decision="admissible", note="", actor=sec)
    services.signal_forward(signal=signal, note="", actor=sec)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("secretariat").post(
            f"/secretariat/signals/{signal.reference}/", {"action": "escalate", "note": "No answer"}
        )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.escalated_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [sec.email, world.users["own_company"].email, world.users["other_company"].email]
    )
    empty = world.client("secretariat").post(
        f"/secretariat/signals/{signal.reference}/", {"action": "escalate", "note": ""}
    )
    assert empty.status_code == 422
    assert b"Say why the signal is escalated." in empty.content


def test_settings_page_role_matrix_and_validation(world):
    url = "/secretariat/garments/signals/settings/"
    for role, status in zip(ROLES, (302, 403, 403, 403, 200), strict=True):
        assert world.client(role).get(url).status_code == status, role
    for role, status in zip(ROLES, (302, 403, 403, 403, 302), strict=True):
        data = {
            "acknowledge_days": "5",
            "forward_days": "10",
            "response_days": "20",
            "outcome_days": "60",
            "retention_days": "180",
            "retention_warning_days": "14",
        }
        assert world.client(role).post(url, data).status_code == status, role
    conf = SignalSettings.objects.get(agreement=world.agreement)
    assert (conf.acknowledge_days, conf.retention_days) == (5, 180)
    bad = world.client("secretariat").post(url, {**data, "forward_days": "0"})
    assert bad.status_code == 422
    assert b"Give a number of days from 1 to 3650. (forward_days)" in bad.content
    with pytest.raises(ValidationFailed) as info:
        services.signal_settings_update(
            agreement=world.agreement,
            values={**dict.fromkeys(data, 10), "retention_warning_days": 10},
            actor=world.users["secretariat"],
        )
    assert info.value.field == "retention_warning_days"


def _closed(world, days_ago: int) -> services.Submitted:
    submitted = submit(world)
    signal = submitted.signal
    services.signal_reporter_add(signal=signal, text="More", attachments=[])
    services.signal_check(
        signal=signal, decision="inadmissible", note="Too vague", actor=world.users["secretariat"]
    )
    Signal.objects.filter(pk=signal.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return submitted


def test_retention_anonymises_and_counts_survive(world, django_capture_on_commit_callbacks):
    old = _closed(world, 400)
    warn = _closed(world, 340)
    recent = _closed(world, 10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.signals_retention()
    assert (result.warned, result.anonymised) == (1, 1)
    assert [m.subject for m in mail.outbox] == [
        f"Signal {warn.signal.reference} will soon be anonymised"
    ]
    gone = Signal.objects.get(pk=old.signal.pk)
    assert gone.anonymised_at is not None
    assert gone.description_enc is None and gone.reporter_name_enc is None
    assert gone.reporter_contact_enc is None and gone.location_enc is None
    assert gone.messages.count() == 0 and gone.attachments.count() == 0
    assert not gone.events.exclude(note="").exists()
    assert selectors.signal_by_receipt(old.receipt_code) is None
    # Statistics survive: the row, its country, themes, status, dates.
    assert Signal.objects.count() == 3
    assert gone.country == "BD" and gone.themes.count() == 1 and gone.status == "inadmissible"
    assert selectors.signal_by_receipt(recent.receipt_code) is not None
    # Idempotent.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.signals_retention()
    assert (again.warned, again.anonymised) == (0, 0)


def test_anonymised_signal_is_gone_for_everyone_but_counts(world, published):
    signal = submit(world, public_id=facility("Tiruppur").public_id).signal
    sec = world.users["secretariat"]
    services.signal_check(signal=signal, decision="admissible", note="", actor=sec)
    services.signal_forward(signal=signal, note="", actor=sec)
    services.signal_close(signal=signal, outcome="resolved", actor=sec)
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    services.signals_retention()
    assert (
        world.client("own_company")
        .get(f"/companies/own-fashion/signals/{signal.reference}/")
        .status_code
        == 404
    )
    page = world.client("secretariat").get(f"/secretariat/signals/{signal.reference}/")
    assert page.status_code == 200  # the shell for statistics: no content left
    assert signal.forwards.get().investigation == ""


def test_daily_command(world, capsys):
    from covenant.signals.models import ReceiptAttempt

    ReceiptAttempt.objects.create(client_hash="a" * 64)
    ReceiptAttempt.objects.filter().update(created_at=timezone.now() - dt.timedelta(days=2))
    ReceiptAttempt.objects.create(client_hash="b" * 64)
    _closed(world, 400)
    late = submit(world).signal
    _age(late, 8)
    call_command("signals_daily")
    out = capsys.readouterr().out
    assert "1 reminders scheduled" in out and "0 signals warned, 1 signals anonymised" in out
    assert list(ReceiptAttempt.objects.values_list("client_hash", flat=True)) == ["b" * 64]
