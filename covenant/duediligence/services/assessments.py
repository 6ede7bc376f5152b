"""Assessment by the secretariat: assignment to a first assessor, scores per criterion with a
comment, the decision whether a second assessor reviews it (every borderline case, and a
configurable share of the rest, drawn reproducibly), the second assessor's blind scores,
follow-up questions the company answers in the platform, and the release of the outcome with
written feedback."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.models import Role, RoleName, User
from covenant.agreements.models import Agreement
from covenant.core.audit import audit_record
from covenant.core.errors import PermissionDenied, ValidationFailed
from covenant.core.side_effects import on_commit
from covenant.duediligence.models import (
    Assessment,
    Criterion,
    CriterionScore,
    FollowUpMessage,
    FollowUpQuestion,
    OutcomeCategory,
    SelfAssessment,
)
from covenant.duediligence.scoring import Score, minimum_for_year, propose_outcome
from covenant.duediligence.selectors.frameworks import framework_detail
from covenant.duediligence.selectors.self_assessments import score_of


def is_assessor(user: User | None, agreement: Agreement) -> bool:
    """Staff of the agreement's secretariat with the assessor or secretariat role."""
    if user is None or not user.pk:
        return False
    return Role.objects.filter(
        user=user,
        organisation_id=agreement.secretariat_id,
        role__in=[RoleName.ASSESSOR, RoleName.SECRETARIAT],
    ).exists()


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "self_assessment",
            "self_assessment__round",
            "self_assessment__round__agreement",
            "self_assessment__round__framework",
            "self_assessment__company",
        )
        .get(pk=assessment.pk)
    )


def assessment_assign(
    *, self_assessment: SelfAssessment, assessor: User, actor: User | None
) -> Assessment:
    """Give a submitted self-assessment to a first assessor (again while they have not
    finished: reassigned)."""
    agreement = self_assessment.round.agreement
    if not is_assessor(assessor, agreement):
        raise ValidationFailed(
            _("%(user)s is not an assessor of this agreement's secretariat.")
            % {"user": assessor.get_username()},
            field="assessor",
        )
    with transaction.atomic(durable=True):
        sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
        if sa.status != SelfAssessment.Status.SUBMITTED:
            raise ValidationFailed(
                _("Only a submitted self-assessment can be assessed."), field="self_assessment"
            )
        assessment = Assessment.objects.filter(self_assessment=sa).first()
        if assessment is None:
            assessment = Assessment.objects.create(self_assessment=sa, first_assessor=assessor)
        elif assessment.status != Assessment.Status.FIRST:
            raise ValidationFailed(
                _("The first assessor has finished; it can no longer be reassigned."),
                field="assessor",
            )
        elif assessment.second_assessor_id == assessor.pk:
            raise ValidationFailed(
                _("The second assessor cannot also be the first."), field="assessor"
            )
        else:
            assessment.first_assessor = assessor
            assessment.save(update_fields=["first_assessor", "updated_at"])
        audit_record(
            actor=actor,
            action="duediligence.assessment.assign",
            obj=assessment,
            organisation=sa.company,
            detail={"assessor": assessor.get_username()},
        )
        return assessment


def assessment_assign_second(
    *, assessment: Assessment, assessor: User, actor: User | None
) -> Assessment:
    """Give the assessment to a second assessor (someone else than the first). An assessment
    not drawn into the sample is added to it."""
    with transaction.atomic(durable=True):
        assessment = _lock(assessment)
        agreement = assessment.self_assessment.round.agreement
        if not is_assessor(assessor, agreement):
            raise ValidationFailed(
                _("%(user)s is not an assessor of this agreement's secretariat.")
                % {"user": assessor.get_username()},
                field="assessor",
            )
        if assessor.pk == assessment.first_assessor_id:
            raise ValidationFailed(
                _("The second assessor must be someone else than the first."), field="assessor"
            )
        if assessment.status in (Assessment.Status.RELEASED,) or assessment.second_done_at:
            raise ValidationFailed(
                _("The second review is finished or the outcome released."), field="assessor"
            )
        assessment.second_assessor = assessor
        if not assessment.in_sample:
            assessment.in_sample, assessment.sample_reason = True, "manual"
        if assessment.status == Assessment.Status.READY:
            assessment.status = Assessment.Status.SECOND
        assessment.save()
        audit_record(
            actor=actor,
            action="duediligence.assessment.assign_second",
            obj=assessment,
            organisation=assessment.self_assessment.company,
            detail={"assessor": assessor.get_username()},
        )
        return assessment


def _role_of(assessment: Assessment, user: User | None) -> str:
    uid = user.pk if user is not None else None
    if uid == assessment.first_assessor_id and assessment.status == Assessment.Status.FIRST:
        return CriterionScore.Role.FIRST
    if uid == assessment.second_assessor_id and assessment.status == Assessment.Status.SECOND:
        return CriterionScore.Role.SECOND
    raise PermissionDenied(_("This assessment is not (or no longer) yours to score."))


def criterion_scores_set(
    *, assessment: Assessment, scores: dict[str, tuple[int, str]], assessor: User
) -> int:
    """The assessor's points (0 to each criterion's maximum) and comments, by criterion code.
    Every problem is listed in `extra["errors"]`; nothing is saved then."""
    with transaction.atomic(durable=True):
        assessment = _lock(assessment)
        role = _role_of(assessment, assessor)
        criteria = {
            c.code: c
            for c in Criterion.objects.filter(
                section__framework_id=assessment.self_assessment.round.framework_id
            )
        }
        errors: list[dict[str, str]] = []
        for code, (points, _comment) in scores.items():
            criterion = criteria.get(code)
            if criterion is None:
                errors.append(
                    {
                        "field": str(code)[:40],
                        "message": _("There is no criterion '%(code)s' in this framework.")
                        % {"code": str(code)[:40]},
                    }
                )
            elif not 0 <= points <= criterion.points:
                errors.append(
                    {
                        "field": code,
                        "message": _("Give 0 to %(max)s points for this criterion.")
                        % {"max": criterion.points},
                    }
                )
        if errors:
            raise ValidationFailed(
                _("%(n)s score(s) need correcting; nothing was saved.") % {"n": len(errors)},
                field=errors[0]["field"],
                extra={"errors": errors},
            )
        existing = {
            cs.criterion_id: cs
            for cs in CriterionScore.objects.filter(assessment=assessment, role=role)
        }
        new, changed = [], []
        now = timezone.now()
        for code, (points, comment) in scores.items():
            criterion = criteria[code]
            row = existing.get(criterion.pk)
            if row is None:
                new.append(
                    CriterionScore(
                        assessment=assessment,
                        criterion=criterion,
                        role=role,
                        assessor=assessor,
                        points=points,
                        comment=comment.strip()[:3000],
                    )
                )
            else:
                row.assessor, row.points, row.comment = assessor, points, comment.strip()[:3000]
                row.updated_at = now
                changed.append(row)
        CriterionScore.objects.bulk_create(new)
        CriterionScore.objects.bulk_update(changed, ["assessor", "points", "comment", "updated_at"])
        return len(scores)


def assessment_score(assessment: Assessment, role: str = CriterionScore.Role.FIRST) -> Score:
    view = framework_detail(assessment.self_assessment.round.framework)
    points = dict(
        CriterionScore.objects.filter(assessment=assessment, role=role).values_list(
            "criterion_id", "points"
        )
    )
    return score_of(view, points)


def _boundaries(assessment: Assessment, minimum: float) -> list[float]:
    rules = assessment.self_assessment.round.framework.outcomes.values_list("rule", flat=True)
    return [minimum] + [float(r["total_at_least"]) for r in rules if "total_at_least" in r]


def _drawn(assessment: Assessment, percent: int) -> bool:
    """A reproducible draw: the same assessment is always in or out for the same share."""
    digest = hashlib.sha256(f"dd-sample:{assessment.self_assessment_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def assessment_complete(*, assessment: Assessment, assessor: User) -> Assessment:
    """The assessor has scored every criterion. After the first assessor: the proposed outcome
    is computed and the sample decided (borderline cases always, the rest drawn at the round's
    share); after the second: ready for release."""
    with transaction.atomic(durable=True):
        assessment = _lock(assessment)
        role = _role_of(assessment, assessor)
        framework = assessment.self_assessment.round.framework
        scored = set(
            CriterionScore.objects.filter(assessment=assessment, role=role).values_list(
                "criterion_id", flat=True
            )
        )
        missing = [
            c.code
            for c in Criterion.objects.filter(section__framework=framework).order_by(
                "section__sort_order", "sort_order"
            )
            if c.pk not in scored
        ]
        if missing:
            raise ValidationFailed(
                _("%(n)s criteria have no score yet: %(codes)s.")
                % {"n": len(missing), "codes": ", ".join(missing)},
                field=missing[0],
                extra={"missing": missing},
            )
        now = timezone.now()
        if role == CriterionScore.Role.SECOND:
            assessment.second_done_at = now
            assessment.status = Assessment.Status.READY
            assessment.save()
            return assessment
        score = assessment_score(assessment)
        view = framework_detail(framework)
        minimum = minimum_for_year(view.minimums, assessment.self_assessment.membership_year)
        outcomes = [(o.code, o.rule) for o in view.outcomes]
        assessment.proposed_outcome = propose_outcome(outcomes, score, minimum)
        assessment.total_percent = Decimal(str(score.percent))
        assessment.minimum_percent = Decimal(str(minimum))
        assessment.first_done_at = now
        round_ = assessment.self_assessment.round
        borderline = any(
            abs(score.percent - b) <= round_.borderline_margin
            for b in _boundaries(assessment, minimum)
        )
        if assessment.in_sample:
            pass  # added by hand before the first assessor finished
        elif borderline:
            assessment.in_sample, assessment.sample_reason = True, "borderline"
        elif _drawn(assessment, round_.second_review_percent):
            assessment.in_sample, assessment.sample_reason = True, "random"
        assessment.status = (
            Assessment.Status.SECOND if assessment.in_sample else Assessment.Status.READY
        )
        assessment.save()
        audit_record(
            actor=assessor,
            action="duediligence.assessment.first_done",
            obj=assessment,
            organisation=assessment.self_assessment.company,
            detail={"percent": score.percent, "proposed": assessment.proposed_outcome},
        )
        return assessment


# --- follow-up questions ---------------------------------------------------------------
def follow_up_ask(
    *, assessment: Assessment, criterion_code: str, text: str, deadline: dt.date, author: User
) -> FollowUpQuestion:
    """A question about one criterion for the company, with a date to answer by."""
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the question."), field="text")
    if deadline < timezone.localdate():
        raise ValidationFailed(_("The answer date must not be in the past."), field="deadline")
    with transaction.atomic(durable=True):
        assessment = _lock(assessment)
        if author.pk not in (assessment.first_assessor_id, assessment.second_assessor_id):
            raise PermissionDenied(_("Only the assessors of this assessment ask questions."))
        if assessment.status == Assessment.Status.RELEASED:
            raise ValidationFailed(_("The outcome has been released."), field="status")
        criterion = Criterion.objects.filter(
            section__framework_id=assessment.self_assessment.round.framework_id,
            code=criterion_code,
        ).first()
        if criterion is None:
            raise ValidationFailed(
                _("There is no criterion '%(code)s' in this framework.")
                % {"code": criterion_code[:40]},
                field="criterion",
            )
        question = FollowUpQuestion.objects.create(
            assessment=assessment, criterion=criterion, asked_by=author, deadline=deadline
        )
        FollowUpMessage.objects.create(question=question, author=author, text=text[:5000])
        from covenant.duediligence.tasks import notify_question

        on_commit(notify_question.enqueue, question.pk)
        audit_record(
            actor=author,
            action="duediligence.question.ask",
            obj=question,
            organisation=assessment.self_assessment.company,
        )
        return question


def follow_up_reply(
    *, question: FollowUpQuestion, text: str, author: User, from_company: bool
) -> FollowUpMessage:
    """A message in the thread: the company's answer (the question is then answered) or the
    assessor's next question (open again)."""
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the answer."), field="text")
    with transaction.atomic(durable=True):
        question = FollowUpQuestion.objects.select_for_update().get(pk=question.pk)
        if question.status == FollowUpQuestion.Status.CLOSED:
            raise ValidationFailed(_("This question is closed."), field="status")
        message = FollowUpMessage.objects.create(
            question=question, author=author, text=text[:5000], from_company=from_company
        )
        question.status = (
            FollowUpQuestion.Status.ANSWERED if from_company else FollowUpQuestion.Status.OPEN
        )
        question.save(update_fields=["status", "updated_at"])
        return message


def follow_up_close(*, question: FollowUpQuestion, actor: User) -> FollowUpQuestion:
    with transaction.atomic(durable=True):
        question = FollowUpQuestion.objects.select_for_update().get(pk=question.pk)
        question.status = FollowUpQuestion.Status.CLOSED
        question.save(update_fields=["status", "updated_at"])
        return question


# --- release ---------------------------------------------------------------------------
def assessment_release(
    *, assessment: Assessment, outcome_code: str | None, feedback: str, actor: User | None
) -> Assessment:
    """Release the outcome (the proposed one unless the secretariat decides otherwise, which
    the feedback must explain) and the written feedback to the company."""
    feedback = feedback.strip()
    if not feedback:
        raise ValidationFailed(_("Write the feedback for the company."), field="feedback")
    with transaction.atomic(durable=True):
        assessment = _lock(assessment)
        if assessment.status != Assessment.Status.READY:
            raise ValidationFailed(
                _("Not ready for release: %(status)s.")
                % {"status": assessment.get_status_display()},
                field="status",
            )
        open_questions = FollowUpQuestion.objects.filter(
            assessment=assessment, status=FollowUpQuestion.Status.OPEN
        ).count()
        if open_questions:
            raise ValidationFailed(
                _("%(n)s follow-up question(s) still wait for the company.")
                % {"n": open_questions},
                field="questions",
            )
        code = outcome_code or assessment.proposed_outcome
        outcome = OutcomeCategory.objects.filter(
            framework_id=assessment.self_assessment.round.framework_id, code=code
        ).first()
        if outcome is None:
            raise ValidationFailed(
                _("'%(code)s' is not an outcome category of this framework.") % {"code": code[:40]},
                field="outcome",
            )
        assessment.outcome = outcome
        assessment.feedback = feedback[:10000]
        assessment.status = Assessment.Status.RELEASED
        assessment.released_at = timezone.now()
        assessment.released_by = actor if actor is not None and actor.pk else None
        assessment.save()
        audit_record(
            actor=assessment.released_by,
            action="duediligence.assessment.release",
            obj=assessment,
            organisation=assessment.self_assessment.company,
            detail={"outcome": code, "proposed": assessment.proposed_outcome},
        )
        from covenant.duediligence.tasks import notify_release

        on_commit(notify_release.enqueue, assessment.pk)
        return assessment
