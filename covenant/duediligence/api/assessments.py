"""Assessment API: assign assessors (the secretariat), one assessment (its assessors, blind for
the second during the second review; the secretariat), scores per criterion, finish, follow-up
questions and the company's answers, release with feedback, the outcome for the company,
inter-rater agreement and the escalation list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from covenant.accounts.models import User
from covenant.accounts.permissions import Principal
from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.core.errors import NotFound, ValidationFailed
from covenant.duediligence import access
from covenant.duediligence.kappa import KappaRow
from covenant.duediligence.models import Assessment, FollowUpQuestion, SelfAssessment
from covenant.duediligence.selectors import assessments as selectors
from covenant.duediligence.services import assessments as services

router = Router(tags=["due diligence: assessments"])

RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**31 - 1


def _id() -> Any:
    return Path(..., ge=1, le=MAX_ID)


class AssignIn(Schema):
    company: str = Field(..., max_length=80)
    year: int = Field(..., ge=2000, le=2100)
    assessor: str = Field(..., max_length=150, description="username")


class SecondIn(Schema):
    assessor: str = Field(..., max_length=150, description="username")


class ScoreIn(Schema):
    points: int = Field(..., ge=0, le=1000)
    comment: str = Field("", max_length=3000)


class ScoresIn(Schema):
    scores: dict[str, ScoreIn] = Field(..., description="criterion code -> points and comment")


class QuestionIn(Schema):
    criterion: str = Field(..., max_length=40)
    text: str = Field(..., max_length=5000)
    deadline: dt.date


class MessageIn(Schema):
    text: str = Field(..., max_length=5000)


class ReleaseIn(Schema):
    outcome: str | None = Field(None, max_length=40, description="default: the proposed outcome")
    feedback: str = Field(..., max_length=10000)


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class MessageOut(Schema):
    from_company: bool
    text: str
    created_at: dt.datetime


class QuestionOut(Schema):
    id: int
    criterion: str
    status: str
    deadline: dt.date
    messages: list[MessageOut]


class CriterionScoreOut(Schema):
    criterion: str
    section: str
    max_points: int
    answer: Any
    self_points: int
    first_points: int | None = Field(
        None, description="Hidden from the second assessor until done."
    )
    first_comment: str | None = None
    second_points: int | None = None
    second_comment: str | None = None


class AssessmentSummaryOut(Schema):
    id: int
    company: str
    year: int
    status: str
    first_assessor: str
    second_assessor: str | None
    in_sample: bool
    sample_reason: str


class AssessmentOut(AssessmentSummaryOut):
    blind: bool
    membership_year: int
    total_percent: float | None
    minimum_percent: float | None
    proposed_outcome: str | None
    outcome: str | None
    feedback: str
    criteria: list[CriterionScoreOut]
    questions: list[QuestionOut]


class OutcomeOut(Schema):
    year: int
    outcome: str
    outcome_name: str
    total_percent: float
    minimum_percent: float
    feedback: str
    released_at: dt.datetime
    sections: list[dict[str, Any]]


class KappaOut(Schema):
    key: str
    label: str
    pairs: int
    kappa: float | None
    exact_agreement: float | None
    flag: bool = Field(..., description="kappa below 0.6")


class CalibrationOut(Schema):
    double_scored: int
    overall: KappaOut
    by_criterion: list[KappaOut]
    by_assessor: list[KappaOut]


class EscalationOut(Schema):
    company: str
    company_name: str
    year: int
    percent: float
    minimum: float
    years_below: int
    history: list[dict[str, Any]]


def _summary(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "company": a.self_assessment.company.slug,
        "year": a.self_assessment.round.year,
        "status": a.status,
        "first_assessor": a.first_assessor.get_username(),
        "second_assessor": a.second_assessor.get_username() if a.second_assessor else None,
        "in_sample": a.in_sample,
        "sample_reason": a.sample_reason,
    }


def _question_out(q: FollowUpQuestion) -> dict[str, Any]:
    return {
        "id": q.pk,
        "criterion": q.criterion.code,
        "status": q.status,
        "deadline": q.deadline,
        "messages": [
            {"from_company": m.from_company, "text": m.text, "created_at": m.created_at}
            for m in q.messages.all()
        ],
    }


def _assessment_out(a: Assessment, blind: bool) -> dict[str, Any]:
    view = selectors.assessment_detail(a, blind=blind)
    criteria = []
    for section, _max, rows in view.sections:
        for row in rows:
            criteria.append(
                {
                    "criterion": row.criterion.code,
                    "section": section.code,
                    "max_points": row.criterion.points,
                    "answer": row.answer.value if row.answer else None,
                    "self_points": row.answer.points if row.answer else 0,
                    "first_points": row.first.points if row.first else None,
                    "first_comment": row.first.comment if row.first else None,
                    "second_points": row.second.points if row.second else None,
                    "second_comment": row.second.comment if row.second else None,
                }
            )
    return {
        **_summary(a),
        "blind": blind,
        "membership_year": a.self_assessment.membership_year,
        "total_percent": None if blind or a.total_percent is None else float(a.total_percent),
        "minimum_percent": None if a.minimum_percent is None else float(a.minimum_percent),
        "proposed_outcome": None if blind else a.proposed_outcome or None,
        "outcome": a.outcome.code if a.outcome else None,
        "feedback": a.feedback,
        "criteria": criteria,
        "questions": [_question_out(q) for q in view.questions],
    }


def _kappa(r: KappaRow) -> dict[str, Any]:
    return {
        "key": r.key,
        "label": r.label,
        "pairs": r.pairs,
        "kappa": r.kappa,
        "exact_agreement": r.exact_agreement,
        "flag": r.flag,
    }


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationFailed(
            _("There is no user '%(u)s'.") % {"u": username[:80]}, field="assessor"
        )
    return user


def _reload(principal: Principal, assessment_id: int) -> dict[str, Any]:
    a, blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    return _assessment_out(a, blind)


@router.get(
    "/agreements/{slug}/assessments", response={200: list[AssessmentSummaryOut], **RESTRICTED}
)
def list_assessments(request: HttpRequest, slug: str, query: Query[YearQuery]) -> Any:
    """The secretariat: every assessment (of a year); an assessor: what waits for them."""
    principal = _principal(request)
    agreement = access.access_assessor_agreement(principal=principal, slug=slug)
    if principal.can_manage_assessments(agreement):
        qs = Assessment.objects.filter(self_assessment__round__agreement=agreement)
        if query.year:
            qs = qs.filter(self_assessment__round__year=query.year)
        items = list(
            qs.select_related(
                "self_assessment__company",
                "self_assessment__round",
                "first_assessor",
                "second_assessor",
            ).order_by("self_assessment__round__year", "self_assessment__company__name")
        )
    else:
        assert principal.user is not None
        items = selectors.assessor_queue(principal.user, agreement)
    return [_summary(a) for a in items]


@router.post("/agreements/{slug}/assessments", response={201: AssessmentSummaryOut, **RESTRICTED})
def assign(request: HttpRequest, slug: str, payload: AssignIn) -> Any:
    """Give a company's submitted self-assessment of a year to a first assessor."""
    principal = _principal(request)
    agreement = access.access_assessments_manage(principal=principal, slug=slug)
    sa = (
        SelfAssessment.objects.select_related("round__agreement", "company")
        .filter(round__agreement=agreement, round__year=payload.year, company__slug=payload.company)
        .first()
    )
    if sa is None:
        raise NotFound(_("That company has no self-assessment of that year."))
    a = services.assessment_assign(
        self_assessment=sa, assessor=_user(payload.assessor), actor=principal.user
    )
    a = Assessment.objects.select_related(
        "self_assessment__company", "self_assessment__round", "first_assessor", "second_assessor"
    ).get(pk=a.pk)
    return Status(201, _summary(a))


@router.post(
    "/assessments/{assessment_id}/second-assessor", response={200: AssessmentOut, **RESTRICTED}
)
def assign_second(request: HttpRequest, payload: SecondIn, assessment_id: int = _id()) -> Any:
    """Give the assessment to a second assessor, who scores blind (the secretariat)."""
    principal = _principal(request)
    a, _blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    access.access_assessments_manage(
        principal=principal, slug=a.self_assessment.round.agreement.slug
    )
    services.assessment_assign_second(
        assessment=a, assessor=_user(payload.assessor), actor=principal.user
    )
    return _reload(principal, assessment_id)


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, **RESTRICTED})
def get_assessment(request: HttpRequest, assessment_id: int = _id()) -> Any:
    """The criteria with the company's answers and the scores (blind: without the first
    assessor's)."""
    return _reload(_principal(request), assessment_id)


@router.put("/assessments/{assessment_id}/scores", response={200: AssessmentOut, **RESTRICTED})
def set_scores(request: HttpRequest, payload: ScoresIn, assessment_id: int = _id()) -> Any:
    """The assessor's points and comments per criterion; all problems listed, none saved."""
    principal = _principal(request)
    a, _blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    assert principal.user is not None
    services.criterion_scores_set(
        assessment=a,
        scores={code: (s.points, s.comment) for code, s in payload.scores.items()},
        assessor=principal.user,
    )
    return _reload(principal, assessment_id)


@router.post("/assessments/{assessment_id}/complete", response={200: AssessmentOut, **RESTRICTED})
def complete(request: HttpRequest, assessment_id: int = _id()) -> Any:
    """Finish scoring (refused with `detail[0].missing` while criteria have no score)."""
    principal = _principal(request)
    a, _blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    assert principal.user is not None
    services.assessment_complete(assessment=a, assessor=principal.user)
    return _reload(principal, assessment_id)


@router.post("/assessments/{assessment_id}/questions", response={201: QuestionOut, **RESTRICTED})
def ask(request: HttpRequest, payload: QuestionIn, assessment_id: int = _id()) -> Any:
    """Ask the company a follow-up question about one criterion, with a date to answer by."""
    principal = _principal(request)
    a, _blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    assert principal.user is not None
    q = services.follow_up_ask(
        assessment=a,
        criterion_code=payload.criterion,
        text=payload.text,
        deadline=payload.deadline,
        author=principal.user,
    )
    return Status(
        201, _question_out(FollowUpQuestion.objects.select_related("criterion").get(pk=q.pk))
    )


@router.post("/assessments/{assessment_id}/release", response={200: AssessmentOut, **RESTRICTED})
def release(request: HttpRequest, payload: ReleaseIn, assessment_id: int = _id()) -> Any:
    """Release the outcome and the feedback to the company (the secretariat)."""
    principal = _principal(request)
    a, _blind = access.access_assessment(principal=principal, assessment_id=assessment_id)
    access.access_assessments_manage(
        principal=principal, slug=a.self_assessment.round.agreement.slug
    )
    services.assessment_release(
        assessment=a, outcome_code=payload.outcome, feedback=payload.feedback, actor=principal.user
    )
    return _reload(principal, assessment_id)


@router.get(
    "/companies/{slug}/self-assessments/{agreement}/{year}/questions",
    response={200: list[QuestionOut], **RESTRICTED},
)
def company_questions(
    request: HttpRequest, slug: str, agreement: str, year: int = Path(..., ge=2000, le=2100)
) -> Any:
    """The assessors' follow-up questions to the company, with the threads."""
    _c, _r, sa = access.access_self_assessment(
        principal=_principal(request), slug=slug, agreement_slug=agreement, year=year
    )
    assessment = Assessment.objects.filter(self_assessment=sa).first() if sa else None
    return [_question_out(q) for q in selectors.questions_of(assessment)] if assessment else []


@router.post(
    "/companies/{slug}/questions/{question_id}/answer", response={200: QuestionOut, **RESTRICTED}
)
def answer(request: HttpRequest, slug: str, payload: MessageIn, question_id: int = _id()) -> Any:
    """The company's answer to a follow-up question (its admins)."""
    principal = _principal(request)
    q = access.access_follow_up_question(principal=principal, slug=slug, question_id=question_id)
    assert principal.user is not None
    services.follow_up_reply(
        question=q, text=payload.text, author=principal.user, from_company=True
    )
    q = (
        FollowUpQuestion.objects.select_related("criterion")
        .prefetch_related("messages")
        .get(pk=q.pk)
    )
    return _question_out(q)


@router.get(
    "/companies/{slug}/self-assessments/{agreement}/{year}/outcome",
    response={200: OutcomeOut, **RESTRICTED},
)
def outcome(
    request: HttpRequest, slug: str, agreement: str, year: int = Path(..., ge=2000, le=2100)
) -> Any:
    """The released outcome with the score per section and the feedback (404 before)."""
    _c, _r, sa = access.access_self_assessment(
        principal=_principal(request), slug=slug, agreement_slug=agreement, year=year
    )
    released = selectors.released_assessment(sa.pk) if sa else None
    if released is None or released.outcome is None:
        raise NotFound(_("The outcome has not been released yet."))
    score = services.assessment_score(released)
    return {
        "year": year,
        "outcome": released.outcome.code,
        "outcome_name": released.outcome.name,
        "total_percent": float(released.total_percent or 0),
        "minimum_percent": float(released.minimum_percent or 0),
        "feedback": released.feedback,
        "released_at": released.released_at,
        "sections": [
            {"code": s.code, "name": s.name, "points": s.points, "maximum": s.maximum}
            for s in score.sections
        ],
    }


@router.get("/agreements/{slug}/calibration", response={200: CalibrationOut, **RESTRICTED})
def calibration(request: HttpRequest, slug: str, query: Query[YearQuery]) -> Any:
    """Weighted kappa per criterion and per assessor on the double-scored assessments."""
    agreement = access.access_assessments_manage(principal=_principal(request), slug=slug)
    c = selectors.calibration(agreement, query.year)
    return {
        "double_scored": c.double_scored,
        "overall": _kappa(c.overall),
        "by_criterion": [_kappa(r) for r in c.by_criterion],
        "by_assessor": [_kappa(r) for r in c.by_assessor],
    }


@router.get("/agreements/{slug}/escalations", response={200: list[EscalationOut], **RESTRICTED})
def list_escalations(request: HttpRequest, slug: str) -> Any:
    """Companies below the minimum for their membership year, with their history."""
    agreement = access.access_assessments_manage(principal=_principal(request), slug=slug)
    return [
        {
            "company": r.company.slug,
            "company_name": r.company.name,
            "year": r.year,
            "percent": r.percent,
            "minimum": r.minimum,
            "years_below": r.years_below,
            "history": [
                {"year": y, "percent": p, "minimum": m, "outcome": o} for y, p, m, o in r.history
            ],
        }
        for r in selectors.escalations(agreement)
    ]
