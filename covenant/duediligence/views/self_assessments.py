"""Self-assessment pages: the company's due diligence overview (every reporting year with its
score per section against the maximum and the minimum for its membership year), the
self-assessment form (prefilled, changes since last year highlighted, save as draft, submit),
and the secretariat's reporting years (open a year, deadlines, who submitted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError, ValidationFailed
from covenant.duediligence import access
from covenant.duediligence.answers_file import parse_upload
from covenant.duediligence.models import Criterion, SelfAssessment
from covenant.duediligence.selectors import self_assessments as selectors
from covenant.duediligence.selectors.inventory import location_inventory
from covenant.duediligence.services import self_assessments as services
from covenant.duediligence.services.attachments import attachment_upload

EXTRA_TABLE_ROWS = 3


def company_due_diligence(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    company = access.access_company_due_diligence(principal=principal, slug=slug)
    agreements = [
        (agreement, selectors.company_years(company, agreement))
        for agreement in selectors.company_agreements(company)
    ]
    return render(
        request,
        "duediligence/company.html",
        {
            "company": company,
            "agreements": agreements,
            "can_edit": principal.can_edit_self_assessment(company),
        },
    )


# --- the form --------------------------------------------------------------------------
def parse_answers(post: QueryDict, criteria: list[Criterion]) -> dict[str, Any]:
    """The posted answers by criterion code, raw (the service checks them). A criterion
    whose fields were not posted is left out (unchanged)."""
    answers: dict[str, Any] = {}
    for c in criteria:
        name = f"a-{c.code}"
        if c.answer_type == "document":
            if f"{name}-url" in post:
                url = post.get(f"{name}-url", "").strip()
                title = post.get(f"{name}-title", "").strip()
                answers[c.code] = {"title": title, "url": url} if url or title else None
        elif c.answer_type == "table":
            if f"{name}-rows" not in post:
                continue
            try:
                count = min(int(post.get(f"{name}-rows", "0")), 200)
            except ValueError:
                count = 0
            rows = []
            for i in range(count):
                row = {
                    col["key"]: post.get(f"{name}-{i}-{col['key']}", "")
                    for col in c.options.get("columns", [])
                }
                if any(str(v).strip() for v in row.values()):
                    rows.append(row)
            answers[c.code] = rows
        elif name in post:
            answers[c.code] = post.get(name, "")
    return answers


@dataclass
class FormRow:
    criterion: Criterion
    answer: Any
    value: Any
    error: str
    table_rows: list[list[tuple[dict[str, Any], Any]]]
    table_count: int


def _form_rows(
    view: selectors.SelfAssessmentView, posted: dict[str, Any], errors: dict[str, str]
) -> list[tuple[Any, list[FormRow]]]:
    out = []
    for section in view.sections:
        rows = []
        for r in section.rows:
            c = r.criterion
            assert isinstance(c, Criterion)
            value = posted.get(c.code, r.answer.value)
            table_rows: list[list[tuple[dict[str, Any], Any]]] = []
            if c.answer_type == "table":
                columns = c.options.get("columns", [])
                existing = value if isinstance(value, list) else []
                for row in [*existing, *([{}] * EXTRA_TABLE_ROWS)]:
                    table_rows.append([(col, (row or {}).get(col["key"])) for col in columns])
            rows.append(
                FormRow(c, r.answer, value, errors.get(c.code, ""), table_rows, len(table_rows))
            )
        out.append((section, rows))
    return out


def self_assessment_page(
    request: HttpRequest, slug: str, agreement: str, year: int
) -> HttpResponse:
    principal = _principal(request)
    edit = request.method == "POST" and request.POST.get("action") in (
        "start",
        "save",
        "submit",
        "import",
    )
    company, round_, assessment = access.access_self_assessment(
        principal=principal, slug=slug, agreement_slug=agreement, year=year, edit=edit
    )
    posted: dict[str, Any] = {}
    errors: dict[str, str] = {}
    import_errors: list[dict[str, str]] = []
    status = 200
    download = request.GET.get("download")
    if download in ("json", "xlsx") and assessment is not None:
        return _download(assessment, download)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                services.self_assessment_start(round_=round_, company=company, actor=principal.user)
                messages.success(
                    request,
                    _(
                        "Your self-assessment is ready, prefilled with last year's answers where there were any."
                    ),
                )
                return redirect(request.path)
            if action == "reply":
                from covenant.duediligence.services.assessments import follow_up_reply

                raw = request.POST.get("question", "")
                question = access.access_follow_up_question(
                    principal=principal,
                    slug=company.slug,
                    question_id=int(raw) if raw.isdigit() else 0,
                )
                follow_up_reply(
                    question=question,
                    text=request.POST.get("text", ""),
                    author=principal.user,  # type: ignore[arg-type]
                    from_company=True,
                )
                messages.success(request, _("Your answer is sent to the assessor."))
                return redirect(request.path)
            if action == "reopen":
                access.access_rounds_manage(principal=principal, slug=round_.agreement.slug)
                if assessment is None:
                    raise ValidationFailed(_("There is nothing to reopen."), field="status")
                services.self_assessment_reopen(
                    assessment=assessment, actor=principal.user, note=request.POST.get("note", "")
                )
                messages.success(request, _("The self-assessment is open for changes again."))
                return redirect(request.path)
            if assessment is None:
                raise ValidationFailed(_("Start the self-assessment first."), field="action")
            if action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed(
                        _("Choose a file (JSON or XLSX) to import."), field="file"
                    )
                parsed = parse_upload(
                    upload.read(), upload.name or "", selectors.answer_types(assessment)
                )
                services.self_assessment_save(
                    assessment=assessment,
                    answers=parsed.answers,
                    actor=principal.user,
                    where=parsed.where,
                    problems=parsed.problems,
                )
                messages.success(
                    request, _("%(n)s answer(s) imported.") % {"n": len(parsed.answers)}
                )
                return redirect(request.path)
            if action not in ("save", "submit"):
                raise ValidationFailed(_("Unknown action."), field="action")
            criteria = [
                r.criterion
                for s in selectors.self_assessment_detail(assessment).sections
                for r in s.rows
            ]
            posted = parse_answers(request.POST, criteria)
            for c in criteria:
                upload = request.FILES.get(f"a-{c.code}-file")
                if c.answer_type == "document" and upload is not None:
                    attachment_upload(
                        assessment=assessment,
                        criterion_code=c.code,
                        upload=upload,
                        actor=principal.user,
                    )
                    posted.pop(c.code, None)  # the upload is the answer
            services.self_assessment_save(
                assessment=assessment, answers=posted, actor=principal.user
            )
            if action == "submit":
                services.self_assessment_submit(assessment=assessment, actor=principal.user)
                messages.success(request, _("Submitted. The secretariat will assess it."))
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect(request.path)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = {e["field"]: e["message"] for e in exc.extra.get("errors", [])}
            import_errors = (
                exc.extra.get("errors", []) if request.POST.get("action") == "import" else []
            )
            errors.update(
                {e["field"]: _("An answer is required.") for e in exc.extra.get("missing", [])}
            )
            if exc.extra.get("missing"):
                posted = {}  # the answers were saved; show them as stored
            status = exc.status_code
            if assessment is not None:
                assessment.refresh_from_db()
    view = selectors.self_assessment_detail(assessment) if assessment is not None else None
    questions, released, released_score, distribution = [], None, None, None
    if assessment is not None:
        from covenant.duediligence.models import Assessment
        from covenant.duediligence.selectors.assessments import questions_of, released_assessment
        from covenant.duediligence.services.assessments import assessment_score

        existing = Assessment.objects.filter(self_assessment=assessment).first()
        if existing is not None:
            questions = questions_of(existing)
            released = released_assessment(assessment.pk)
            if released is not None:
                from covenant.duediligence.selectors.aggregates import member_distribution

                released_score = assessment_score(released)
                distribution = member_distribution(round_.agreement, round_.year)
    return render(
        request,
        "duediligence/self_assessment.html",
        {
            "company": company,
            "round": round_,
            "assessment": assessment,
            "view": view,
            "sections": _form_rows(view, posted, errors) if view else [],
            "can_edit": principal.can_edit_self_assessment(company),
            "editable": assessment is not None
            and assessment.is_editable
            and principal.can_edit_self_assessment(company),
            "can_reopen": principal.can_open_assessment_round(round_.agreement),
            "today": dt.date.today(),
            "questions": questions,
            "released": released,
            "released_score": released_score,
            "distribution": distribution,
            "import_errors": import_errors,
            "inventory": location_inventory(company, round_.agreement, round_.year)
            if assessment is not None
            else None,
            "can_answer": principal.can_answer_follow_up(company),
        },
        status=status,
    )


def _download(assessment: SelfAssessment, kind: str) -> HttpResponse:
    body, name, content_type = selectors.self_assessment_file(assessment, kind)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def attachment_download(request: HttpRequest, slug: str, attachment_id: int) -> HttpResponse:
    attachment = access.access_attachment(
        principal=_principal(request), slug=slug, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- secretariat: reporting years ------------------------------------------------------
def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed(_("Give the date as YYYY-MM-DD."), field=field) from None


def rounds_admin(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement, _r = access.access_rounds_manage(principal=principal, slug=slug)
    status = 200
    if request.method == "POST":
        try:
            raw_year = request.POST.get("year", "")
            if not raw_year.isdigit():
                raise ValidationFailed(_("Give the reporting year as a number."), field="year")
            services.assessment_round_open(
                agreement=agreement,
                year=int(raw_year),
                deadline=_date(request.POST.get("deadline", ""), "deadline"),
                actor=principal.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Reporting year %(year)s is open.") % {"year": raw_year})
            return redirect("dd_rounds_admin", slug=agreement.slug)
    return render(
        request,
        "duediligence/rounds_admin.html",
        {"agreement": agreement, "rounds": selectors.rounds_of(agreement).order_by("-year")},
        status=status,
    )


def round_admin(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    principal = _principal(request)
    agreement, round_ = access.access_rounds_manage(principal=principal, slug=slug, year=year)
    assert round_ is not None
    if request.method == "POST":
        try:
            services.assessment_round_set_deadline(
                round_=round_,
                deadline=_date(request.POST.get("deadline", ""), "deadline"),
                actor=principal.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Deadline changed."))
        return redirect("dd_round_admin", slug=agreement.slug, year=year)
    rows = access.access_round_overview(principal=principal, round_=round_)
    return render(
        request,
        "duediligence/round_admin.html",
        {
            "agreement": agreement,
            "round": round_,
            "rows": rows,
            "submitted": sum(
                1
                for r in rows
                if r.assessment and r.assessment.status == SelfAssessment.Status.SUBMITTED
            ),
        },
    )


urlpatterns = [
    path("companies/<slug:slug>/due-diligence/", company_due_diligence, name="dd_company"),
    # Before the self-assessment pattern, which would take "documents" for an agreement.
    path(
        "companies/<slug:slug>/due-diligence/documents/<int:attachment_id>/",
        attachment_download,
        name="dd_attachment",
    ),
    path(
        "companies/<slug:slug>/due-diligence/<slug:agreement>/<int:year>/",
        self_assessment_page,
        name="dd_self_assessment",
    ),
    path("secretariat/<slug:slug>/due-diligence/", rounds_admin, name="dd_rounds_admin"),
    path("secretariat/<slug:slug>/due-diligence/<int:year>/", round_admin, name="dd_round_admin"),
]
