"""Assessment pages: the secretariat's submissions of a reporting year (assign first and second
assessors), an assessor's queue, one assessment (scores per criterion with comments, follow-up
questions per criterion, finish, release with feedback), inter-rater agreement and the
escalation list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError, ValidationFailed
from covenant.duediligence import access
from covenant.duediligence.models import Assessment, FollowUpQuestion, SelfAssessment
from covenant.duediligence.selectors import assessments as selectors
from covenant.duediligence.selectors.self_assessments import rounds_of
from covenant.duediligence.services import assessments as services


def _user(raw: str) -> User:
    user = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if user is None:
        raise ValidationFailed(_("Choose an assessor."), field="assessor")
    return user


def _int(raw: str, field: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed(_("Give a whole number."), field=field) from None


def submissions_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_assessments_manage(principal=principal, slug=slug)
    _a, round_ = access.access_rounds_manage(principal=principal, slug=slug, year=year)
    assert round_ is not None
    if request.method == "POST":
        try:
            sa = SelfAssessment.objects.filter(
                round=round_, pk=_int(request.POST.get("self_assessment", ""), "self_assessment")
            ).first()
            if sa is None:
                raise ValidationFailed(_("There is no such submission."), field="self_assessment")
            assessor = _user(request.POST.get("assessor", ""))
            if request.POST.get("action") == "second":
                assessment = Assessment.objects.filter(self_assessment=sa).first()
                if assessment is None:
                    raise ValidationFailed(_("Assign a first assessor first."), field="assessor")
                services.assessment_assign_second(
                    assessment=assessment, assessor=assessor, actor=principal.user
                )
            else:
                services.assessment_assign(
                    self_assessment=sa, assessor=assessor, actor=principal.user
                )
            messages.success(request, _("Assigned."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("dd_submissions", slug=slug, year=year)
    return render(
        request,
        "duediligence/submissions.html",
        {
            "agreement": agreement,
            "round": round_,
            "rows": selectors.submissions(round_),
            "assessors": selectors.assessors_of(agreement),
            "rounds": rounds_of(agreement).order_by("-year"),
        },
    )


def assessor_queue(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_assessor_agreement(principal=principal, slug=slug)
    assert principal.user is not None
    return render(
        request,
        "duediligence/assessor_queue.html",
        {"agreement": agreement, "queue": selectors.assessor_queue(principal.user, agreement)},
    )


def assessment_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    principal = _principal(request)
    assessment, blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    agreement = assessment.self_assessment.round.agreement
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        user = principal.user
        assert user is not None
        try:
            if action == "score":
                scores: dict[str, tuple[int, str]] = {}
                for key, raw in request.POST.items():
                    if key.startswith("points-") and raw.strip():
                        code = key[len("points-") :]
                        scores[code] = (
                            _int(raw.strip(), code),
                            request.POST.get(f"comment-{code}", ""),
                        )
                count = services.criterion_scores_set(
                    assessment=assessment, scores=scores, assessor=user
                )
                messages.success(request, _("%(n)s score(s) saved.") % {"n": count})
            elif action == "complete":
                services.assessment_complete(assessment=assessment, assessor=user)
                messages.success(request, _("Your scoring is finished."))
            elif action == "ask":
                raw_date = request.POST.get("deadline", "")
                try:
                    deadline = dt.date.fromisoformat(raw_date)
                except ValueError:
                    raise ValidationFailed(
                        _("Give the date as YYYY-MM-DD."), field="deadline"
                    ) from None
                services.follow_up_ask(
                    assessment=assessment,
                    criterion_code=request.POST.get("criterion", ""),
                    text=request.POST.get("text", ""),
                    deadline=deadline,
                    author=user,
                )
                messages.success(request, _("Question sent to the company."))
            elif action in ("reply", "close"):
                question = FollowUpQuestion.objects.filter(
                    assessment=assessment, pk=_int(request.POST.get("question", ""), "question")
                ).first()
                if question is None:
                    raise ValidationFailed(_("There is no such question."), field="question")
                if action == "reply":
                    services.follow_up_reply(
                        question=question,
                        text=request.POST.get("text", ""),
                        author=user,
                        from_company=False,
                    )
                else:
                    services.follow_up_close(question=question, actor=user)
                messages.success(request, _("Saved."))
            elif action == "release":
                access.access_assessments_manage(principal=principal, slug=agreement.slug)
                services.assessment_release(
                    assessment=assessment,
                    outcome_code=request.POST.get("outcome") or None,
                    feedback=request.POST.get("feedback", ""),
                    actor=user,
                )
                messages.success(request, _("The outcome is released to the company."))
            else:
                raise ValidationFailed(_("Unknown action."), field="action")
            return redirect("dd_assessment", assessment_id=assessment.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
            assessment, blind = access.access_assessment(
                principal=principal, assessment_id=assessment_id
            )
    user_id = principal.user.pk if principal.user else None
    scoring_role = None
    if user_id == assessment.first_assessor_id and assessment.status == Assessment.Status.FIRST:
        scoring_role = "first"
    elif user_id == assessment.second_assessor_id and assessment.status == Assessment.Status.SECOND:
        scoring_role = "second"
    return render(
        request,
        "duediligence/assessment.html",
        {
            "agreement": agreement,
            "assessment": assessment,
            "view": selectors.assessment_detail(assessment, blind=blind),
            "blind": blind,
            "scoring_role": scoring_role,
            "can_ask": user_id in (assessment.first_assessor_id, assessment.second_assessor_id)
            and assessment.status != Assessment.Status.RELEASED,
            "can_release": principal.can_manage_assessments(agreement)
            and assessment.status == Assessment.Status.READY,
            "outcomes": assessment.self_assessment.round.framework.outcomes.all(),
            "today": dt.date.today(),
        },
        status=status,
    )


def calibration_page(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access.access_assessments_manage(principal=_principal(request), slug=slug)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    return render(
        request,
        "duediligence/calibration.html",
        {
            "agreement": agreement,
            "year": year,
            "calibration": selectors.calibration(agreement, year),
            "rounds": rounds_of(agreement).order_by("-year"),
        },
    )


def escalations_page(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access.access_assessments_manage(principal=_principal(request), slug=slug)
    return render(
        request,
        "duediligence/escalations.html",
        {"agreement": agreement, "rows": selectors.escalations(agreement)},
    )


urlpatterns = [
    path(
        "secretariat/<slug:slug>/assessments/<int:year>/",
        submissions_page,
        name="dd_submissions",
    ),
    path("secretariat/<slug:slug>/my-assessments/", assessor_queue, name="dd_assessor_queue"),
    path("assessments/<int:assessment_id>/", assessment_page, name="dd_assessment"),
    path("secretariat/<slug:slug>/calibration/", calibration_page, name="dd_calibration"),
    path("secretariat/<slug:slug>/escalations/", escalations_page, name="dd_escalations"),
]
