"""E-mails of the due diligence cycle: deadline reminders to companies that have not
submitted, and new follow-up questions to the company's admins. Scheduling writes a row (so a
reminder goes out once) and queues the task on commit; the task sends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from covenant.accounts.models import RoleName, User
from covenant.agreements.models import Membership, Organisation
from covenant.core.side_effects import on_commit
from covenant.duediligence.models import (
    AssessmentRound,
    FollowUpQuestion,
    ReminderSent,
    SelfAssessment,
)

REMINDER_DAYS = (14, 3)


def _admins(company: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, roles__organisation=company, roles__role=RoleName.COMPANY_ADMIN
        )
        .exclude(email="")
        .distinct()
    )


def _send(user: User, template: str, context: Mapping[str, object]) -> int:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        full = {**context, "user": user}
        subject = render_to_string(f"duediligence/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"duediligence/email/{template}.txt", full)
    return int(send_mail(subject, body, None, [user.email]))


def reminders_schedule(*, round_: AssessmentRound, today: dt.date) -> int:
    """Queue the reminders due today (14 and 3 days before the deadline, or the nearest one
    not yet sent once inside that window) for member companies that have not submitted.
    Returns how many companies are reminded."""
    from covenant.duediligence.tasks import send_reminder

    days_left = (round_.deadline - today).days
    if days_left < 0:
        return 0
    due = [d for d in REMINDER_DAYS if days_left <= d]
    if not due:
        return 0
    days = min(due)
    members = (
        Membership.objects.filter(
            agreement_id=round_.agreement_id,
            joined_on__isnull=False,
            joined_on__year__lte=round_.year,
            status__in=Membership.MEMBER_STATUSES,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=round_.year))
        .values_list("company_id", flat=True)
    )
    done = set(
        SelfAssessment.objects.filter(
            round=round_, status=SelfAssessment.Status.SUBMITTED
        ).values_list("company_id", flat=True)
    )
    count = 0
    for company_id in sorted(set(members) - done):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(round=round_, company_id=company_id, days_before=days)
                on_commit(send_reminder.enqueue, round_.pk, company_id)
        except IntegrityError:
            continue  # sent before
        count += 1
    return count


def reminder_send(*, round_id: int, company_id: int) -> int:
    round_ = AssessmentRound.objects.select_related("agreement").filter(pk=round_id).first()
    company = Organisation.objects.filter(pk=company_id).first()
    if round_ is None or company is None:
        return 0
    context = {"round": round_, "agreement": round_.agreement, "company": company}
    return sum([_send(user, "reminder", context) for user in _admins(company)])


def question_notify(*, question_id: int) -> int:
    """E-mail the company's admins that an assessor asked a follow-up question."""
    question = (
        FollowUpQuestion.objects.select_related(
            "criterion",
            "assessment__self_assessment__company",
            "assessment__self_assessment__round__agreement",
        )
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return 0
    sa = question.assessment.self_assessment
    context = {
        "question": question,
        "company": sa.company,
        "round": sa.round,
        "agreement": sa.round.agreement,
    }
    return sum([_send(user, "question", context) for user in _admins(sa.company)])


def release_notify(*, assessment_id: int) -> int:
    """E-mail the company's admins that the outcome of their assessment is released."""
    from covenant.duediligence.models import Assessment

    assessment = (
        Assessment.objects.select_related(
            "outcome", "self_assessment__company", "self_assessment__round__agreement"
        )
        .filter(pk=assessment_id, status=Assessment.Status.RELEASED)
        .first()
    )
    if assessment is None:
        return 0
    sa = assessment.self_assessment
    context = {
        "assessment": assessment,
        "company": sa.company,
        "round": sa.round,
        "agreement": sa.round.agreement,
    }
    return sum([_send(user, "released", context) for user in _admins(sa.company)])
