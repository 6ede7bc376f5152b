"""Pages of the complaints procedure: the public register (pending cases anonymised,
published rulings searchable), filing a complaint, the committee's case list, a user's own
cases, and the case page with the steps each side may take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from covenant.accounts.permissions import Principal
from covenant.accounts.permissions import page_principal as _principal
from covenant.agreements.access import access_agreement_public
from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.complaints import access, selectors, services
from covenant.complaints.models import (
    DEFAULT_DEADLINE_DAYS,
    Complaint,
    FilerKind,
    Ruling,
    Side,
    Stage,
)
from covenant.core.errors import ApplicationError
from covenant.core.forms import add_error
from covenant.core.templatetags.charts import Series, bar_chart


# --- public register ---------------------------------------------------------------------------
def register(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access_agreement_public(slug=slug)
    q = request.GET.get("q", "").strip()[:200]
    country = request.GET.get("country", "").strip().upper()[:2]
    theme = request.GET.get("theme", "").strip()[:40]
    pending = selectors.register_pending(agreement, country=country, theme=theme)
    rulings = Paginator(selectors.rulings_published(agreement, q=q), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "complaints/register.html",
        {
            "agreement": agreement,
            "pending": pending[:200],
            "pending_count": pending.count(),
            "rulings": rulings,
            "q": q,
            "country": country,
            "theme": theme,
            "themes": agreement.themes.order_by("sort_order"),
            **_stats(agreement),
        },
    )


def _stats(agreement: Agreement) -> dict[str, Any]:
    rows = selectors.yearly_stats(agreement)
    if not rows:
        return {"stats": rows}
    by_stage = selectors.cases_by_stage(agreement)
    chart = bar_chart(
        [str(r.year) for r in rows],
        [
            Series(_("Filed"), [r.filed for r in rows], "s1"),
            Series(_("Well-founded (in full or in part)"), [r.upheld for r in rows], "s2"),
        ],
        title=_("Complaints per year"),
    )
    return {"stats": rows, "stats_chart": chart, "by_stage": by_stage}


def ruling_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    agreement, rulings = access.access_published_ruling(slug=slug, reference=reference)
    return render(
        request,
        "complaints/ruling.html",
        {"agreement": agreement, "complaint": rulings[0].complaint, "rulings": rulings},
    )


# --- filing -----------------------------------------------------------------------------------
class FileForm(forms.Form):
    filer = forms.ChoiceField(label=gettext_lazy("Filed by"))
    on_behalf_of = forms.CharField(
        label=gettext_lazy("On behalf of"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "For affected workers: whose complaint this is (e.g. the workers of a factory). "
            "Names stay with the committee; the public register never shows who filed."
        ),
    )
    respondent = forms.ChoiceField(label=gettext_lazy("About"))
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What is the complaint?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=services.MAX_TEXT,
    )
    country = forms.CharField(
        label=gettext_lazy("Country (ISO code)"), max_length=2, required=False
    )
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)

    def __init__(self, *args: Any, agreement: Agreement, principal: Principal, **kw: Any):
        super().__init__(*args, **kw)
        allowed = services.rules_for(agreement).filer_kinds or list(FilerKind.values)
        orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=principal.organisation_ids)}
        self.fields["filer"].choices = [
            (f"{kind}:{org}", f"{FilerKind(kind).label} — {orgs[org].name}")
            for kind, org in principal.complaint_filer_kinds(agreement)
            if kind in allowed and org in orgs
        ]
        members = (
            Organisation.objects.filter(
                memberships__agreement=agreement,
                memberships__status__in=Membership.MEMBER_STATUSES,
            )
            .distinct()
            .order_by("name")
        )
        respondents = [(str(o.pk), o.name) for o in members]
        respondents.append((str(agreement.secretariat_id), agreement.secretariat.name))
        self.fields["respondent"].choices = respondents
        self.fields["theme"].choices = [("", "—")] + [
            (t.code, t.name) for t in agreement.themes.order_by("sort_order")
        ]


def complaint_new(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access_agreement_public(slug=slug)
    principal.require(bool(principal.complaint_filer_kinds(agreement)))
    form = FileForm(request.POST or None, agreement=agreement, principal=principal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, org_id = data["filer"].split(":")
        try:
            complaint = services.complaint_file(
                agreement=agreement,
                kind=kind,
                filer_org=Organisation.objects.get(pk=int(org_id)),
                respondent=Organisation.objects.get(pk=int(data["respondent"])),
                subject=data["subject"],
                description=data["description"],
                country=data["country"],
                theme=agreement.themes.filter(code=data["theme"]).first()
                if data["theme"]
                else None,
                on_behalf_of=data["on_behalf_of"],
                actor=principal.user,
            )
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your complaint was filed as %(ref)s. The committee decides first whether it "
                    "is admissible."
                )
                % {"ref": complaint.reference},
            )
            return redirect("complaint_detail", reference=complaint.reference)
    return render(
        request,
        "complaints/file.html",
        {"agreement": agreement, "form": form},
        status=422 if form.errors else 200,
    )


# --- lists ------------------------------------------------------------------------------------
def committee_cases(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_committee(principal=principal, slug=slug)
    assert principal.user is not None
    show_all = request.GET.get("all") == "1"
    rows = selectors.committee_cases(agreement, principal.user.pk, open_only=not show_all)
    return render(
        request,
        "complaints/committee.html",
        {"agreement": agreement, "rows": rows, "show_all": show_all},
    )


def complaint_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The procedure's rules of an agreement: who may file, deadlines, reminders."""
    principal = _principal(request)
    agreement = access.access_complaint_rules(principal=principal, slug=slug)
    rules = services.rules_for(agreement)
    stages = [(s, Stage(s).label) for s in DEFAULT_DEADLINE_DAYS]
    if request.method == "POST":
        try:
            days = {}
            for stage, _label in stages:
                raw = request.POST.get(f"deadline_{stage}", "").strip()
                if raw:
                    try:
                        days[stage] = int(raw)
                    except ValueError:
                        raise ApplicationError(
                            _("A deadline is a whole number of days."), field=f"deadline_{stage}"
                        ) from None
            try:
                remind = int(request.POST.get("remind_days_before", "3"))
            except ValueError:
                raise ApplicationError(
                    _("Reminders: a whole number of days."), field="remind_days_before"
                ) from None
            services.rules_update(
                agreement=agreement,
                filer_kinds=request.POST.getlist("filer_kinds"),
                deadline_days=days,
                remind_days_before=remind,
                actor=principal.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The rules of the procedure are saved."))
        return redirect("complaint_rules", slug=agreement.slug)
    current = {**DEFAULT_DEADLINE_DAYS, **(rules.deadline_days or {})}
    return render(
        request,
        "complaints/rules.html",
        {
            "agreement": agreement,
            "kinds": [
                (k, label, k in (rules.filer_kinds or FilerKind.values))
                for k, label in FilerKind.choices
            ],
            "stages": [(s, label, current[s]) for s, label in stages],
            "remind": rules.remind_days_before,
        },
    )


def my_complaints(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    principal.require(principal.is_authenticated)
    assert principal.user is not None
    cases = selectors.user_cases(
        user_id=principal.user.pk,
        organisation_ids=principal.company_ids | principal.party_org_ids,
    )
    committees = Agreement.objects.filter(committee_id__in=principal.committee_org_ids)
    fileable = [
        a for a in Agreement.objects.order_by("name_en") if principal.complaint_filer_kinds(a)
    ]
    return render(
        request,
        "complaints/mine.html",
        {"cases": cases[:200], "committees": committees, "fileable": fileable},
    )


# --- the case ---------------------------------------------------------------------------------
def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ApplicationError(_("Give the date as YYYY-MM-DD."), field=field) from None


def _act(request: HttpRequest, complaint: Complaint, side: str) -> str:
    """Run the POSTed step; returns the success message. Raises ApplicationError."""
    principal = _principal(request)
    actor = principal.user
    post = request.POST
    action = post.get("action", "")
    committee_actions: dict[str, Callable[[], str]] = {
        "admissible": lambda: (
            services.complaint_admissibility(
                complaint=complaint, admissible=True, reasons=post.get("reasons", ""), actor=actor
            )
            and _("The complaint is admissible; the other side is asked to respond.")
        ),
        "inadmissible": lambda: (
            services.complaint_admissibility(
                complaint=complaint, admissible=False, reasons=post.get("reasons", ""), actor=actor
            )
            and _("The complaint is not admissible; the case is closed.")
        ),
        "hearing_plan": lambda: (
            services.complaint_to_hearing(
                complaint=complaint, note=post.get("note", ""), actor=actor
            )
            and _("The case goes to a hearing.")
        ),
        "hearing_record": lambda: (
            services.hearing_record(
                complaint=complaint,
                held_on=_date(post.get("held_on", ""), "held_on"),
                place=post.get("place", ""),
                participants=post.get("participants", ""),
                minutes=post.get("minutes", ""),
                actor=actor,
            )
            and _("The hearing is recorded.")
        ),
        "ruling": lambda: (
            services.ruling_issue(
                complaint=complaint,
                kind=post.get("kind", ""),
                text_en=post.get("text_en", ""),
                text_nl=post.get("text_nl", ""),
                outcome=post.get("outcome", ""),
                actor=actor,
            )
            and _("The ruling is recorded and the sides are told.")
        ),
        "publish": lambda: (
            services.ruling_publish(ruling=_ruling(complaint, post.get("ruling", "")), actor=actor)
            and _("The ruling is published in the public register.")
        ),
        "settle": lambda: (
            services.complaint_settle(complaint=complaint, note=post.get("note", ""), actor=actor)
            and _("The case is closed as settled.")
        ),
        "close": lambda: (
            services.complaint_close(complaint=complaint, note=post.get("note", ""), actor=actor)
            and _("The case is closed.")
        ),
        "conflict": lambda: (
            services.conflict_declare(
                complaint=complaint,
                member=actor,
                reason=post.get("reason", ""),  # type: ignore[arg-type]
            )
            and _("Your conflict of interest is recorded: you no longer see this case.")
        ),
    }
    side_actions: dict[str, Callable[[], str]] = {
        "consent": lambda: (
            services.complaint_mediation_consent(
                complaint=complaint, side=side, consent=post.get("consent") == "yes", actor=actor
            )
            and _("Your answer on mediation is recorded.")
        ),
    }
    if action == "message":
        to_side = post.get("to_side", "") if side == Side.COMMITTEE else Side.COMMITTEE
        services.message_send(
            complaint=complaint, from_side=side, to_side=to_side, body=post.get("body", ""),
            actor=actor,
        )  # fmt: skip
        return _("Message sent.")
    if action == "document":
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Choose a file."), field="file")
        if upload.size and upload.size > services.MAX_DOCUMENT_BYTES:
            raise ApplicationError(_("The file is larger than 10 MB."), field="file")
        services.document_add(
            complaint=complaint,
            side=side,
            title=post.get("title", ""),
            filename=upload.name or "",
            data=upload.read(),
            shared=post.get("shared") == "1",
            actor=actor,
        )
        return _("Document added.")
    table = committee_actions if side == Side.COMMITTEE else side_actions
    if action not in table:
        principal.require(False)
    return table[action]()


def _ruling(complaint: Complaint, value: str) -> Ruling:
    try:
        return Ruling.objects.get(complaint=complaint, pk=int(value))
    except (ValueError, Ruling.DoesNotExist):
        raise ApplicationError(_("There is no such ruling."), field="ruling") from None


def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    principal = _principal(request)
    complaint, side = access.access_complaint(principal=principal, reference=reference)
    if request.method == "POST":
        try:
            message = _act(request, complaint, side)
        except ApplicationError as exc:
            if exc.status_code in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
            if request.POST.get("action") == "conflict":
                return redirect("my_complaints")
        return redirect("complaint_detail", reference=complaint.reference)
    view = selectors.case_view(complaint, side)
    return render(
        request,
        "complaints/case.html",
        {
            "c": complaint,
            "view": view,
            "side": side,
            "is_committee": side == Side.COMMITTEE,
            "Stage": Stage,
            "outcomes": [
                o for o in Complaint.Outcome.choices if o[0] in ("upheld", "partly", "rejected")
            ],
            "my_consent": complaint.filer_consents_mediation
            if side == Side.FILER
            else complaint.respondent_consents_mediation,
        },
    )


def complaint_from_signal(request: HttpRequest, reference: str) -> HttpResponse:
    """The secretariat turns an unresolved signal into a complaint (with the reporter's
    consent): the form is prefilled with the report, which it may shorten or redact."""
    from covenant.signals.access import access_signal_secretariat
    from covenant.signals.crypto import decrypt_text
    from covenant.signals.services import P_DESCRIPTION

    principal = _principal(request)
    signal = access_signal_secretariat(principal=principal, reference=reference, what="complaint")
    forwards = list(signal.forwards.select_related("company").order_by("company__name"))
    values = {
        "subject": request.POST.get("subject", ""),
        "description": request.POST.get("description")
        if request.method == "POST"
        else decrypt_text(signal.description_enc, purpose=P_DESCRIPTION),
        "respondent": request.POST.get("respondent", ""),
    }
    if request.method == "POST":
        respondent = next(
            (f.company for f in forwards if str(f.company_id) == values["respondent"]), None
        )
        try:
            if respondent is None:
                raise ApplicationError(
                    _("Choose a company the signal was forwarded to."), field="respondent"
                )
            complaint = services.complaint_from_signal(
                signal=signal,
                respondent=respondent,
                subject=values["subject"],
                description=values["description"] or "",
                reporter_consents=request.POST.get("reporter_consents") == "1",
                actor=principal.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Signal %(signal)s is now complaint %(ref)s before the committee.")
                % {"signal": signal.reference, "ref": complaint.reference},
            )
            return redirect("complaint_detail", reference=complaint.reference)
    return render(
        request,
        "complaints/from_signal.html",
        {
            "signal": signal,
            "forwards": forwards,
            "values": values,
            "history": services.signal_history(signal),
            "existing": Complaint.objects.filter(signal_reference=signal.reference),
        },
        status=200 if request.method == "GET" else 422,
    )


def complaint_document(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    document = access.access_complaint_document(
        principal=_principal(request), reference=reference, document_id=document_id
    )
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_filename
    )


urlpatterns = [
    path("agreements/<slug:slug>/complaints/", register, name="complaints_register"),
    path(
        "agreements/<slug:slug>/complaints/rulings/<str:reference>/",
        ruling_detail,
        name="complaints_ruling",
    ),
    path("agreements/<slug:slug>/complaints/file/", complaint_new, name="complaint_new"),
    path("committee/<slug:slug>/complaints/", committee_cases, name="committee_cases"),
    path("committee/<slug:slug>/complaints/rules/", complaint_rules, name="complaint_rules"),
    path("complaints/", my_complaints, name="my_complaints"),
    path(
        "complaints/from-signal/<str:reference>/",
        complaint_from_signal,
        name="complaint_from_signal",
    ),
    path("complaints/<str:reference>/", complaint_detail, name="complaint_detail"),
    path(
        "complaints/<str:reference>/documents/<int:document_id>/",
        complaint_document,
        name="complaint_document",
    ),
]
