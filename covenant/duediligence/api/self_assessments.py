"""Self-assessment API: reporting years of an agreement (open one: its secretariat), a
company's self-assessments (its own users and the secretariat, audited), start one
(prefilled from last year), save answers (each checked against its criterion, all problems
listed), submit (refused with the list of missing required answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from covenant.accounts.permissions import Principal
from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.core.errors import NotFound
from covenant.duediligence import access
from covenant.duediligence.models import AssessmentRound, SelfAssessment
from covenant.duediligence.selectors import self_assessments as selectors
from covenant.duediligence.services import self_assessments as services

router = Router(tags=["due diligence: self-assessments"])

FILE = File(..., description="JSON or XLSX in the export's format")
DOCUMENT = File(..., description="the document")
RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _year() -> Any:
    return Path(..., ge=2000, le=2100)


class RoundIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    deadline: dt.date


class RoundOut(Schema):
    agreement: str
    year: int
    framework_version: int
    deadline: dt.date


class SectionScoreOut(Schema):
    code: str
    name: str
    points: int
    maximum: int
    percent: float


class ScoreOut(Schema):
    points: int
    maximum: int
    percent: float
    minimum_percent: float = Field(..., description="The minimum for the membership year.")
    sections: list[SectionScoreOut]


class AnswerOut(Schema):
    criterion: str
    section: str
    answer_type: str
    required: bool
    value: Any
    points: int
    max_points: int
    previous_value: Any = Field(None, description="Last year's answer it was prefilled from.")
    changed: bool = Field(..., description="Differs from last year's answer.")
    new: bool = Field(..., description="No answer last year (a new question or a first year).")


class SelfAssessmentOut(Schema):
    company: str
    agreement: str
    year: int
    framework_version: int
    membership_year: int
    status: str
    deadline: dt.date
    submitted_at: dt.datetime | None
    prefilled_from: int | None
    score: ScoreOut
    answers: list[AnswerOut]


class SelfAssessmentSummaryOut(Schema):
    agreement: str
    year: int
    deadline: dt.date
    status: str = Field(..., description="not_started, draft or submitted")
    percent: float | None
    minimum_percent: float | None


class StartIn(Schema):
    agreement: str = Field(..., max_length=80)
    year: int = Field(..., ge=2000, le=2100)


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        ...,
        description="Criterion code -> answer: 'yes'/'partly'/'no', a choice value, a number, "
        "text, {'title', 'url'} for a document, a list of row objects for a table; null clears.",
    )


def _round_out(r: AssessmentRound) -> dict[str, Any]:
    return {
        "agreement": r.agreement.slug,
        "year": r.year,
        "framework_version": r.framework.version,
        "deadline": r.deadline,
    }


def self_assessment_out(sa: SelfAssessment) -> dict[str, Any]:
    view = selectors.self_assessment_detail(sa)
    return {
        "company": sa.company.slug,
        "agreement": sa.round.agreement.slug,
        "year": sa.round.year,
        "framework_version": sa.round.framework.version,
        "membership_year": sa.membership_year,
        "status": sa.status,
        "deadline": sa.round.deadline,
        "submitted_at": sa.submitted_at,
        "prefilled_from": sa.previous.round.year if sa.previous else None,
        "score": {
            "points": view.score.points,
            "maximum": view.score.maximum,
            "percent": view.score.percent,
            "minimum_percent": view.minimum,
            "sections": [
                {
                    "code": s.code,
                    "name": s.name,
                    "points": s.points,
                    "maximum": s.maximum,
                    "percent": s.percent,
                }
                for s in view.score.sections
            ],
        },
        "answers": [
            {
                "criterion": r.criterion.code,
                "section": s.section.code,
                "answer_type": r.criterion.answer_type,
                "required": r.criterion.required,
                "value": r.answer.value,
                "points": r.answer.points,
                "max_points": r.criterion.points,
                "previous_value": r.answer.previous_value,
                "changed": r.answer.changed,
                "new": not r.answer.has_previous,
            }
            for s in view.sections
            for r in s.rows
        ],
    }


@router.get("/agreements/{slug}/assessment-rounds", response={200: list[RoundOut], **RESTRICTED})
def list_rounds(request: HttpRequest, slug: str) -> Any:
    """Reporting years opened for self-assessment, with their framework version and deadline."""
    agreement, _d = access.access_frameworks(principal=_principal(request), slug=slug)
    return [_round_out(r) for r in selectors.rounds_of(agreement).order_by("-year")]


@router.post("/agreements/{slug}/assessment-rounds", response={201: RoundOut, **RESTRICTED})
def open_round(request: HttpRequest, slug: str, payload: RoundIn) -> Any:
    """Open a reporting year (the agreement's secretariat)."""
    principal = _principal(request)
    agreement, _r = access.access_rounds_manage(principal=principal, slug=slug)
    created = services.assessment_round_open(
        agreement=agreement, year=payload.year, deadline=payload.deadline, actor=principal.user
    )
    return Status(201, _round_out(created))


@router.get(
    "/companies/{slug}/self-assessments",
    response={200: list[SelfAssessmentSummaryOut], **RESTRICTED},
)
def list_self_assessments(request: HttpRequest, slug: str) -> Any:
    """Every reporting year of the company's agreements, with its status and score."""
    company = access.access_company_due_diligence(principal=_principal(request), slug=slug)
    out = []
    for agreement in selectors.company_agreements(company):
        for y in selectors.company_years(company, agreement):
            out.append(
                {
                    "agreement": agreement.slug,
                    "year": y.round.year,
                    "deadline": y.round.deadline,
                    "status": y.assessment.status if y.assessment else "not_started",
                    "percent": y.score.percent if y.score else None,
                    "minimum_percent": y.minimum,
                }
            )
    return out


@router.post(
    "/companies/{slug}/self-assessments",
    response={201: SelfAssessmentOut, 200: SelfAssessmentOut, **RESTRICTED},
)
def start_self_assessment(request: HttpRequest, slug: str, payload: StartIn) -> Any:
    """Start the self-assessment of a reporting year, prefilled from last year's answers
    (200 with the existing one when it was started already)."""
    principal = _principal(request)
    company, round_, existing = access.access_self_assessment(
        principal=principal,
        slug=slug,
        agreement_slug=payload.agreement,
        year=payload.year,
        edit=True,
    )
    if existing is not None:
        return self_assessment_out(existing)
    created = services.self_assessment_start(round_=round_, company=company, actor=principal.user)
    created = SelfAssessment.objects.select_related(
        "round", "round__framework", "round__agreement", "company", "previous"
    ).get(pk=created.pk)
    return Status(201, self_assessment_out(created))


def _existing(
    principal: Principal, slug: str, agreement: str, year: int, *, edit: bool
) -> SelfAssessment:
    _c, _r, sa = access.access_self_assessment(
        principal=principal, slug=slug, agreement_slug=agreement, year=year, edit=edit
    )
    if sa is None:
        raise NotFound(_("The company has not started this self-assessment."))
    return sa


@router.get(
    "/companies/{slug}/self-assessments/{agreement}/{year}",
    response={200: SelfAssessmentOut, **RESTRICTED},
)
def get_self_assessment(
    request: HttpRequest, slug: str, agreement: str, year: int = _year()
) -> Any:
    """Answers (with last year's, and what changed) and the score per section."""
    return self_assessment_out(_existing(_principal(request), slug, agreement, year, edit=False))


@router.put(
    "/companies/{slug}/self-assessments/{agreement}/{year}/answers",
    response={200: SelfAssessmentOut, **RESTRICTED},
)
def save_answers(
    request: HttpRequest, slug: str, agreement: str, payload: AnswersIn, year: int = _year()
) -> Any:
    """Save answers as a draft; criteria not named keep their answer. All problems are listed
    in `detail[0].errors` (field: the criterion code); nothing is saved then."""
    principal = _principal(request)
    sa = _existing(principal, slug, agreement, year, edit=True)
    services.self_assessment_save(assessment=sa, answers=payload.answers, actor=principal.user)
    return self_assessment_out(_existing(principal, slug, agreement, year, edit=True))


@router.post(
    "/companies/{slug}/self-assessments/{agreement}/{year}/submit",
    response={200: SelfAssessmentOut, **RESTRICTED},
)
def submit(request: HttpRequest, slug: str, agreement: str, year: int = _year()) -> Any:
    """Submit by the deadline; refused with `detail[0].missing` while required answers are
    missing."""
    principal = _principal(request)
    sa = _existing(principal, slug, agreement, year, edit=True)
    services.self_assessment_submit(assessment=sa, actor=principal.user)
    return self_assessment_out(_existing(principal, slug, agreement, year, edit=True))


class ExportQuery(Schema):
    format: str = Field("json", pattern="^(json|xlsx)$")


@router.get(
    "/companies/{slug}/self-assessments/{agreement}/{year}/export",
    response={200: None, **RESTRICTED},
)
def export(
    request: HttpRequest, slug: str, agreement: str, query: Query[ExportQuery], year: int = _year()
) -> Any:
    """The whole self-assessment as a file: JSON (answers by criterion code) or XLSX (one row
    per criterion), to fill in elsewhere and import again."""
    sa = _existing(_principal(request), slug, agreement, year, edit=False)
    body, name, content_type = selectors.self_assessment_file(sa, query.format)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/companies/{slug}/self-assessments/{agreement}/{year}/import",
    response={200: SelfAssessmentOut, **RESTRICTED},
)
def import_answers(
    request: HttpRequest, slug: str, agreement: str, year: int = _year(), file: UploadedFile = FILE
) -> Any:
    """Import answers from a JSON or XLSX file in the export's format (a draft only). Every
    problem is listed in `detail[0].errors` with its place in the file; nothing is saved then."""
    from covenant.duediligence.answers_file import parse_upload

    principal = _principal(request)
    sa = _existing(principal, slug, agreement, year, edit=True)
    parsed = parse_upload(file.read(), file.name or "", selectors.answer_types(sa))
    services.self_assessment_save(
        assessment=sa,
        answers=parsed.answers,
        actor=principal.user,
        where=parsed.where,
        problems=parsed.problems,
    )
    return self_assessment_out(_existing(principal, slug, agreement, year, edit=True))


@router.post(
    "/companies/{slug}/self-assessments/{agreement}/{year}/documents",
    response={200: SelfAssessmentOut, **RESTRICTED},
)
def upload_document(
    request: HttpRequest,
    slug: str,
    agreement: str,
    criterion: str = Form(..., max_length=40),
    year: int = _year(),
    file: UploadedFile = DOCUMENT,
) -> Any:
    """Upload a document (PDF, Word, Excel, OpenDocument, PowerPoint, image; at most 10 MB) as
    the answer to a document criterion; the answer then is "attachment:<id>"."""
    from covenant.duediligence.services.attachments import attachment_upload

    principal = _principal(request)
    sa = _existing(principal, slug, agreement, year, edit=True)
    attachment_upload(assessment=sa, criterion_code=criterion, upload=file, actor=principal.user)
    return self_assessment_out(_existing(principal, slug, agreement, year, edit=True))


@router.get("/companies/{slug}/documents/{attachment_id}", response={200: None, **RESTRICTED})
def download_document(
    request: HttpRequest, slug: str, attachment_id: int = Path(..., ge=1, le=2**31 - 1)
) -> Any:
    """An uploaded document (the company, the secretariat, the assessors of its assessment)."""
    from django.http import FileResponse

    attachment = access.access_attachment(
        principal=_principal(request), slug=slug, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
