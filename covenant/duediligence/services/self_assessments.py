"""The annual self-assessment: the secretariat opens a reporting year; a member company starts
its self-assessment (prefilled from last year's answers), saves answers as a draft (each one
checked against its criterion) and submits by the deadline (refused, with the list, while
required answers are missing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.duediligence.models import (
    Answer,
    AssessmentRound,
    Attachment,
    Criterion,
    SelfAssessment,
)
from covenant.duediligence.scoring import AnswerError, answer_points, clean_answer, is_empty
from covenant.duediligence.selectors.frameworks import framework_for_year


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def assessment_round_open(
    *, agreement: Agreement, year: int, deadline: dt.date, actor: User | None
) -> AssessmentRound:
    """Open reporting year `year` with the framework version published for it."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Give a reporting year between 2000 and 2100."), field="year")
    if deadline.year < year:
        raise ValidationFailed(
            _("The deadline must fall in or after the reporting year."), field="deadline"
        )
    framework = framework_for_year(agreement, year)
    if framework is None:
        raise ValidationFailed(
            _("No published assessment framework applies to %(year)s yet.") % {"year": year},
            field="year",
        )
    with transaction.atomic(durable=True):
        if AssessmentRound.objects.filter(agreement=agreement, year=year).exists():
            raise ValidationFailed(
                _("Reporting year %(year)s is already open.") % {"year": year}, field="year"
            )
        round_ = AssessmentRound.objects.create(
            agreement=agreement,
            year=year,
            framework=framework,
            deadline=deadline,
            opened_by=_actor(actor),
        )
        audit_record(
            actor=_actor(actor),
            action="duediligence.round.open",
            obj=round_,
            detail={"framework": framework.version, "deadline": deadline.isoformat()},
        )
        return round_


def assessment_round_set_deadline(
    *, round_: AssessmentRound, deadline: dt.date, actor: User | None
) -> AssessmentRound:
    if deadline.year < round_.year:
        raise ValidationFailed(
            _("The deadline must fall in or after the reporting year."), field="deadline"
        )
    with transaction.atomic(durable=True):
        old = round_.deadline
        round_.deadline = deadline
        round_.save(update_fields=["deadline", "updated_at"])
        audit_record(
            actor=_actor(actor),
            action="duediligence.round.deadline",
            obj=round_,
            detail={"from": old.isoformat(), "to": deadline.isoformat()},
        )
        return round_


def membership_year(*, agreement: Agreement, company: Organisation, year: int) -> int:
    """1 in the calendar year the company joined, 2 the year after, and so on. Raises when
    the company was not a member in `year`."""
    membership = (
        Membership.objects.filter(
            agreement=agreement, company=company, joined_on__isnull=False, joined_on__year__lte=year
        )
        .exclude(status=Membership.Status.REJECTED)
        .exclude(ended_on__year__lt=year)
        .order_by("joined_on")
        .first()
    )
    if membership is None or membership.joined_on is None:
        raise ValidationFailed(
            _("%(company)s was not a member of %(agreement)s in %(year)s.")
            % {"company": company.name, "agreement": agreement.name, "year": year},
            field="company",
        )
    return year - membership.joined_on.year + 1


def self_assessment_start(
    *, round_: AssessmentRound, company: Organisation, actor: User | None
) -> SelfAssessment:
    """Create the company's self-assessment of the round's year, prefilled from its latest
    earlier one in the agreement: an answer is copied when the criterion with the same code
    still exists and the old answer still fits it."""
    years = membership_year(agreement=round_.agreement, company=company, year=round_.year)
    with transaction.atomic(durable=True):
        existing = SelfAssessment.objects.filter(round=round_, company=company).first()
        if existing is not None:
            return existing
        previous = (
            SelfAssessment.objects.filter(
                company=company, round__agreement=round_.agreement, round__year__lt=round_.year
            )
            .order_by("-round__year")
            .first()
        )
        assessment = SelfAssessment.objects.create(
            round=round_, company=company, membership_year=years, previous=previous
        )
        old: dict[str, Any] = {}
        if previous is not None:
            old = dict(
                Answer.objects.filter(self_assessment=previous).values_list(
                    "criterion__code", "value"
                )
            )
        answers = []
        for criterion in Criterion.objects.filter(section__framework_id=round_.framework_id):
            value = None
            has_previous = criterion.code in old
            if has_previous:
                try:
                    value = clean_answer(criterion, old[criterion.code])
                except AnswerError:
                    value = None  # the criterion changed: last year's answer no longer fits
            answers.append(
                Answer(
                    self_assessment=assessment,
                    criterion=criterion,
                    value=value,
                    points=answer_points(criterion, value),
                    has_previous=has_previous,
                    previous_value=old.get(criterion.code),
                )
            )
        Answer.objects.bulk_create(answers)
        audit_record(
            actor=_actor(actor),
            action="duediligence.self_assessment.start",
            obj=assessment,
            organisation=company,
            detail={
                "year": round_.year,
                "prefilled_from": previous.round.year if previous else None,
            },
        )
        return assessment


def self_assessment_save(
    *,
    assessment: SelfAssessment,
    answers: dict[str, Any],
    actor: User | None,
    where: dict[str, str] | None = None,
    problems: list[dict[str, str]] | None = None,
) -> SelfAssessment:
    """Save answers (criterion code -> value) as a draft. Every answer is checked against its
    criterion's type and range; with any problem nothing is saved and all problems are listed
    in `extra["errors"]` (field: the criterion code). An import passes `where` (code -> "row
    7") to name the place in the file, and the `problems` its parser found."""

    def label(code: str) -> str:
        return f"{where[code]} ({code})" if where and code in where else code

    with transaction.atomic(durable=True):
        assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
        _require_draft(assessment)
        rows = {
            a.criterion.code: a
            for a in Answer.objects.filter(self_assessment=assessment).select_related("criterion")
        }
        errors: list[dict[str, str]] = list(problems or [])
        changed: list[Answer] = []
        for code, raw in answers.items():
            answer = rows.get(code)
            if answer is None:
                errors.append(
                    {
                        "field": label(str(code)[:40]),
                        "message": _("There is no such question in this framework."),
                    }
                )
                continue
            try:
                value = clean_answer(answer.criterion, raw)
            except AnswerError as exc:
                errors.append({"field": label(code), "message": str(exc)})
                continue
            if isinstance(value, dict) and str(value.get("url", "")).startswith("attachment:"):
                ref = int(value["url"].split(":", 1)[1])
                if not Attachment.objects.filter(
                    pk=ref, self_assessment__company_id=assessment.company_id
                ).exists():
                    errors.append(
                        {"field": label(code), "message": _("There is no such uploaded document.")}
                    )
                    continue
            if value != answer.value:
                answer.value = value
                answer.points = answer_points(answer.criterion, value)
                answer.updated_by = _actor(actor)
                changed.append(answer)
        if errors:
            raise ValidationFailed(
                _("%(n)s answer(s) need correcting; nothing was saved.") % {"n": len(errors)},
                field=errors[0]["field"],
                extra={"errors": errors},
            )
        now = timezone.now()
        for answer in changed:
            answer.updated_at = now
        Answer.objects.bulk_update(changed, ["value", "points", "updated_by", "updated_at"])
        if changed:
            assessment.save(update_fields=["updated_at"])
        return assessment


def self_assessment_missing(assessment: SelfAssessment) -> list[Criterion]:
    """Required criteria without an answer, in framework order."""
    return [
        a.criterion
        for a in Answer.objects.filter(self_assessment=assessment, criterion__required=True)
        .select_related("criterion")
        .order_by("criterion__section__sort_order", "criterion__sort_order")
        if is_empty(a.value)
    ]


def self_assessment_submit(
    *, assessment: SelfAssessment, actor: User | None, today: dt.date | None = None
) -> SelfAssessment:
    """Submit for assessment: refused after the deadline and while required answers are
    missing (all of them listed in `extra["missing"]`)."""
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("round", "company")
            .get(pk=assessment.pk)
        )
        _require_draft(assessment)
        if today > assessment.round.deadline:
            raise ValidationFailed(
                _("The deadline (%(date)s) has passed; ask the secretariat for an extension.")
                % {"date": assessment.round.deadline.isoformat()},
                field="deadline",
            )
        missing = self_assessment_missing(assessment)
        if missing:
            raise ValidationFailed(
                _("%(n)s required answer(s) are missing: %(codes)s.")
                % {"n": len(missing), "codes": ", ".join(c.code for c in missing)},
                field=missing[0].code,
                extra={
                    "missing": [{"field": c.code, "message": c.text_en} for c in missing],
                },
            )
        assessment.status = SelfAssessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = _actor(actor)
        assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        audit_record(
            actor=_actor(actor),
            action="duediligence.self_assessment.submit",
            obj=assessment,
            organisation=assessment.company,
        )
        return assessment


def self_assessment_reopen(
    *, assessment: SelfAssessment, actor: User | None, note: str
) -> SelfAssessment:
    """Send a submitted self-assessment back to the company as a draft (the secretariat, e.g.
    when the company asks to correct it)."""
    note = note.strip()
    if not note:
        raise ValidationFailed(_("Say why the self-assessment is reopened."), field="note")
    with transaction.atomic(durable=True):
        assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=assessment.pk)
        )
        if assessment.status != SelfAssessment.Status.SUBMITTED:
            raise ValidationFailed(
                _("Only a submitted self-assessment can be reopened."), field="status"
            )
        assessment.status = SelfAssessment.Status.DRAFT
        assessment.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=_actor(actor),
            action="duediligence.self_assessment.reopen",
            obj=assessment,
            organisation=assessment.company,
            detail={"note": note[:500]},
        )
        return assessment


def _require_draft(assessment: SelfAssessment) -> None:
    if assessment.status != SelfAssessment.Status.DRAFT:
        raise ValidationFailed(
            _("This self-assessment has been submitted and can no longer be changed."),
            field="status",
        )
