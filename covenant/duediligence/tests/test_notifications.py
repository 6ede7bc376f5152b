"""E-mails: deadline reminders (14 and 3 days before, once each, only to companies that have
not submitted) and follow-up questions to the company's admins, sent after commit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from covenant.duediligence.models import ReminderSent
from covenant.duediligence.services import assessments as services
from covenant.duediligence.services import self_assessments as sa_services
from covenant.duediligence.services.notifications import reminders_schedule
from covenant.duediligence.tests.conftest import submitted

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2018, 6, 1)


@pytest.fixture
def round_(agreement, published):
    return sa_services.assessment_round_open(
        agreement=agreement, year=2018, deadline=DEADLINE, actor=None
    )


def test_reminders_once_each_to_companies_not_submitted(
    world, round_, django_capture_on_commit_callbacks
):
    sa = sa_services.self_assessment_start(round_=round_, company=world.company, actor=None)
    assert reminders_schedule(round_=round_, today=DEADLINE - dt.timedelta(days=20)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_schedule(round_=round_, today=DEADLINE - dt.timedelta(days=14)) == 2
    assert len(mail.outbox) == 2  # the admin of each company
    assert mail.outbox[0].subject == "Reminder: submit your self-assessment 2018 by 1 June 2018"
    assert {m.to[0] for m in mail.outbox} == {"own@example.org", "other@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_schedule(round_=round_, today=DEADLINE - dt.timedelta(days=10)) == 0
    from covenant.duediligence.tests.conftest import full_answers

    sa_services.self_assessment_save(assessment=sa, answers=full_answers(), actor=None)
    sa_services.self_assessment_submit(
        assessment=sa, actor=None, today=DEADLINE - dt.timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_schedule(round_=round_, today=DEADLINE - dt.timedelta(days=2)) == 1
    assert mail.outbox[-1].to == ["other@example.org"]
    assert ReminderSent.objects.count() == 3
    assert reminders_schedule(round_=round_, today=DEADLINE + dt.timedelta(days=1)) == 0


def test_reminder_command(world, agreement, published):
    sa_services.assessment_round_open(
        agreement=agreement, year=2099, deadline=dt.date(2099, 12, 31), actor=None
    )
    out = io.StringIO()
    call_command("duediligence_reminders", stdout=out)
    assert "0 reminders queued" in out.getvalue()  # far from the deadline


def test_question_emails_the_company(world, round_2018, staff, django_capture_on_commit_callbacks):
    sa = submitted(world, round_2018)
    a = services.assessment_assign(self_assessment=sa, assessor=staff.users["anna"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_ask(
            assessment=a,
            criterion_code="policy-board",
            text="Minutes?",
            deadline=dt.date(2099, 1, 1),
            author=staff.users["anna"],
        )
    assert [m.to for m in mail.outbox] == [["own@example.org"]]
    assert "follow-up question" in mail.outbox[0].subject
    assert "Has the board adopted the policy?" in mail.outbox[0].body


def test_release_emails_the_company(world, round_2018, staff, django_capture_on_commit_callbacks):
    round_2018.second_review_percent = 0
    round_2018.save()
    sa = submitted(world, round_2018)
    a = services.assessment_assign(self_assessment=sa, assessor=staff.users["anna"], actor=None)
    from covenant.duediligence.models import Criterion

    scores = {
        c: (p, "")
        for c, p in Criterion.objects.filter(section__framework=round_2018.framework).values_list(
            "code", "points"
        )
    }
    services.criterion_scores_set(assessment=a, scores=scores, assessor=staff.users["anna"])
    a = services.assessment_complete(assessment=a, assessor=staff.users["anna"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_release(assessment=a, outcome_code=None, feedback="Good.", actor=None)
    assert [m.to for m in mail.outbox] == [["own@example.org"]]
    assert mail.outbox[0].subject == "The outcome of your self-assessment 2018 is released"
    assert "Outcome: Fully compliant." in mail.outbox[0].body
