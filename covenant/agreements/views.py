"""Pages: public (agreements, organisations), company workspace, party commitments and the
secretariat's membership administration. Thin: parse, call one access helper and one
service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.agreements import access, selectors, services
from covenant.agreements.forms import (
    ApplicationForm,
    ApproveForm,
    BrandForm,
    CommitmentForm,
    EndForm,
    MarketSizeForm,
    ProfileForm,
    ProgressForm,
    TargetForm,
    TransitionForm,
    TurnoverForm,
)
from covenant.agreements.models import Agreement, Membership, Organisation, Signatory
from covenant.core.errors import ApplicationError
from covenant.core.forms import add_error
from covenant.core.models import AuditEvent


def _today() -> dt.date:
    return timezone.localdate()


# --- public ----------------------------------------------------------------------------
def home(request: HttpRequest) -> HttpResponse:
    today = _today()
    cards = []
    for agreement in selectors.agreement_list():
        counts = selectors.member_count_on(agreement, today)
        cards.append(
            {
                "agreement": agreement,
                "counts": counts,
                "parties": selectors.signatories(agreement, Signatory.Kind.PARTY).count(),
                "supporters": selectors.signatories(agreement, Signatory.Kind.SUPPORTER).count(),
                "coverage": selectors.coverage_series(agreement, today=today),
            }
        )
    return render(request, "agreements/home.html", {"cards": cards})


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_get(slug)
    if agreement is None:
        raise Http404
    today = _today()
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "members": selectors.current_members(agreement),
            "counts": selectors.member_count_on(agreement, today),
            "parties": selectors.signatories(agreement, Signatory.Kind.PARTY),
            "supporters": selectors.signatories(agreement, Signatory.Kind.SUPPORTER),
            "coverage": selectors.coverage_series(agreement, today=today),
            "year_counts": selectors.membership_year_counts(agreement),
            "is_secretariat": _principal(request).is_secretariat_for(agreement),
        },
    )


def organisation_profile(request: HttpRequest, slug: str) -> HttpResponse:
    org = selectors.organisation_get(slug)
    if org is None:
        raise Http404
    principal = _principal(request)
    return render(
        request,
        "agreements/organisation_profile.html",
        {
            "org": org,
            "memberships": selectors.organisation_public_memberships(org),
            "signatures": selectors.organisation_signatures(org),
            "can_open_workspace": org.is_company and principal.can_view_company_confidential(org),
            "editable_party": org.pk in principal.party_org_ids,
        },
    )


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    if principal.is_secretariat or principal.two_factor_pending:
        return redirect("secretariat")
    org = Organisation.objects.filter(pk__in=principal.organisation_ids).order_by("name").first()
    if org is None:
        messages.info(
            request, _("Your account is not linked to an organisation yet. Ask the secretariat.")
        )
        return redirect("home")
    if org.is_company:
        return redirect("company_workspace", slug=org.slug)
    return redirect("organisation_profile", slug=org.slug)


# --- company workspace -----------------------------------------------------------------
def company_workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The company's own page: profile, brands, turnover, membership history, applying."""
    principal = _principal(request)
    company = access.access_company_confidential(
        principal=principal, slug=slug, what="company_workspace"
    )
    can_edit = principal.can_edit_company(company)
    forms = {
        "profile": ProfileForm(
            initial={k: getattr(company, k) for k in ("name", "city", "website", "description")}
        ),
        "brand": BrandForm(),
        "turnover": TurnoverForm(initial={"year": _today().year - 1}),
    }
    if request.method == "POST":
        if not can_edit:
            principal.require(False)
        action = request.POST.get("action", "")
        form_key = {"profile": "profile", "brand_add": "brand", "turnover": "turnover"}.get(action)
        try:
            if form_key:
                form = {"profile": ProfileForm, "brand": BrandForm, "turnover": TurnoverForm}[
                    form_key
                ](request.POST)
                forms[form_key] = form
                if form.is_valid():
                    data = form.cleaned_data
                    try:
                        if action == "profile":
                            services.organisation_update(
                                organisation=company, actor=principal.user, **data
                            )
                        elif action == "brand_add":
                            services.brand_create(
                                company=company, name=data["name"], actor=principal.user
                            )
                        else:
                            services.turnover_set(
                                company=company,
                                year=data["year"],
                                amount_eur=data["amount_eur"],
                                actor=principal.user,
                            )
                    except ApplicationError as exc:
                        add_error(form, exc)
                    else:
                        messages.success(request, _("Saved."))
                        return redirect("company_workspace", slug=company.slug)
            elif action == "brand_delete":
                brand = access.access_brand_edit(
                    principal=principal, brand_id=int(request.POST.get("brand", "0") or 0)
                )
                if brand.company_id != company.pk:
                    raise Http404
                services.brand_delete(brand=brand, actor=principal.user)
                messages.success(request, _("Brand removed."))
                return redirect("company_workspace", slug=company.slug)
            elif action == "apply" and principal.can_apply_for_membership(company):
                agreement = access.access_agreement_public(slug=request.POST.get("agreement", ""))
                services.membership_apply(
                    agreement=agreement, company=company, actor=principal.user
                )
                messages.success(request, _("Your application has been sent to the secretariat."))
                return redirect("company_workspace", slug=company.slug)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("That request was not understood."))
    memberships = list(selectors.memberships_for_company(company))
    open_agreements = {m.agreement_id for m in memberships if m.status not in ("ended", "rejected")}
    return render(
        request,
        "agreements/company_workspace.html",
        {
            "company": company,
            "brands": company.brands.all(),
            "turnovers": company.turnovers.order_by("-year"),
            "memberships": memberships,
            "can_edit": can_edit,
            "can_apply": principal.can_apply_for_membership(company),
            "apply_agreements": Agreement.objects.exclude(pk__in=open_agreements).exclude(
                status=Agreement.Status.ENDED
            ),
            "forms": forms,
        },
    )


# --- party commitments -----------------------------------------------------------------
def commitment_page(request: HttpRequest, slug: str, org: str) -> HttpResponse:
    principal = _principal(request)
    commitment = access.access_commitment_edit(
        principal=principal, agreement_slug=slug, org_slug=org
    )
    agreement = commitment.signatory.agreement
    themes = agreement.themes.all()
    letter_form = CommitmentForm(
        initial={f: getattr(commitment, f) for f in services.COMMITMENT_FIELDS}
    )
    target_form = TargetForm(themes=themes)
    progress_form = ProgressForm(initial={"year": _today().year})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "letter":
                letter_form = CommitmentForm(request.POST)
                if letter_form.is_valid():
                    services.commitment_update(
                        commitment=commitment, actor=principal.user, **letter_form.cleaned_data
                    )
                    messages.success(request, _("Letter of intent saved."))
                    return redirect(request.path)
            elif action == "target":
                target_form = TargetForm(request.POST, themes=themes)
                if target_form.is_valid():
                    services.commitment_target_add(
                        commitment=commitment, actor=principal.user, **target_form.cleaned_data
                    )
                    messages.success(request, _("Target added."))
                    return redirect(request.path)
            elif action == "progress":
                target = access.access_target_edit(
                    principal=principal, target_id=int(request.POST.get("target", "0") or 0)
                )
                if target.commitment_id != commitment.pk:
                    raise Http404
                progress_form = ProgressForm(request.POST)
                if progress_form.is_valid():
                    services.target_progress_set(
                        target=target, actor=principal.user, **progress_form.cleaned_data
                    )
                    messages.success(request, _("Progress recorded."))
                    return redirect(request.path)
                messages.error(request, _("Progress not saved: give a year and a number."))
        except ApplicationError as exc:
            form = {"letter": letter_form, "target": target_form}.get(action or "")
            if form is not None:
                add_error(form, exc)
            else:
                messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("That request was not understood."))
    targets = commitment.targets.select_related("theme").prefetch_related("progress")
    return render(
        request,
        "agreements/commitment.html",
        {
            "commitment": commitment,
            "agreement": agreement,
            "org": commitment.signatory.organisation,
            "targets": targets,
            "letter_form": letter_form,
            "target_form": target_form,
            "progress_form": progress_form,
        },
    )


# --- secretariat -----------------------------------------------------------------------
def secretariat_home(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    principal.require(principal.is_secretariat)
    agreements = Agreement.objects.filter(secretariat_id__in=principal.secretariat_org_ids)
    rows = []
    for agreement in agreements:
        rows.append(
            {
                "agreement": agreement,
                "applications": agreement.memberships.filter(
                    status=Membership.Status.APPLIED
                ).count(),
                "members": agreement.memberships.filter(
                    status__in=Membership.MEMBER_STATUSES
                ).count(),
            }
        )
    recent = AuditEvent.objects.select_related("organisation")[:10]
    return render(request, "agreements/secretariat_home.html", {"rows": rows, "recent": recent})


def memberships_page(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_agreement_secretariat(principal=principal, slug=slug)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                company = data["company"] or services.organisation_create(
                    name=data["new_company_name"],
                    type=Organisation.Type.COMPANY,
                    city=data["new_company_city"],
                    actor=principal.user,
                )
                membership = services.membership_apply(
                    agreement=agreement,
                    company=company,
                    applied_on=data["applied_on"],
                    note=data["note"],
                    actor=principal.user,
                )
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request, _("Application of %(company)s registered.") % {"company": company.name}
            )
            return redirect("membership_detail", pk=membership.pk)
    status = request.GET.get("status", "")
    if status and status not in Membership.Status.values:
        status = ""
    context = {
        "agreement": agreement,
        "memberships": selectors.memberships_for_secretariat(agreement, status or None),
        "status": status,
        "statuses": Membership.Status.choices,
        "form": form,
    }
    if request.headers.get("HX-Request"):
        return render(request, "agreements/_membership_table.html", context)
    return render(request, "agreements/memberships.html", context)


def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    membership = access.access_membership(principal=principal, membership_id=pk, manage=True)
    forms = {
        "approve": ApproveForm(),
        "reject": TransitionForm(),
        "suspend": TransitionForm(),
        "reinstate": TransitionForm(),
        "end": EndForm(),
    }
    allowed = services.TRANSITIONS[membership.status]
    S = Membership.Status
    can = {
        "approve": membership.status == S.APPLIED,
        "reject": S.REJECTED in allowed,
        "suspend": S.SUSPENDED in allowed,
        "reinstate": membership.status == S.SUSPENDED,
        "end": S.ENDED in allowed,
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = {"approve": ApproveForm, "end": EndForm}.get(action, TransitionForm)
        if action in forms:
            form = form_class(request.POST)
            forms[action] = form
            if form.is_valid():
                data = form.cleaned_data
                common = {"membership": membership, "actor": principal.user}
                try:
                    if action == "approve":
                        services.membership_approve(
                            **common,
                            effective_on=data["effective_on"],
                            sister_initiative=data["sister_initiative"],
                            note=data["note"],
                        )
                    elif action == "reject":
                        services.membership_reject(**common, note=data["note"])
                    elif action == "suspend":
                        services.membership_suspend(
                            **common, effective_on=data["effective_on"], note=data["note"]
                        )
                    elif action == "reinstate":
                        services.membership_reinstate(
                            **common, effective_on=data["effective_on"], note=data["note"]
                        )
                    else:
                        services.membership_end(
                            **common,
                            reason=data["reason"],
                            effective_on=data["effective_on"],
                            note=data["note"],
                            merged_into=data["merged_into"],
                        )
                except ApplicationError as exc:
                    if can.get(action):
                        add_error(form, exc)
                    else:  # the form for this action is not on the page: say it at the top
                        messages.error(request, exc.message)
                else:
                    messages.success(request, _("Membership updated."))
                    return redirect("membership_detail", pk=membership.pk)
    return render(
        request,
        "agreements/membership_detail.html",
        {
            "membership": membership,
            "history": selectors.membership_history(membership),
            "forms": forms,
            "can": can,
        },
    )


def market_page(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_agreement_secretariat(principal=principal, slug=slug)
    form = MarketSizeForm(request.POST or None, initial={"year": _today().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.market_size_set(agreement=agreement, actor=principal.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Market size saved."))
            return redirect("market", slug=agreement.slug)
    try:
        year = int(request.GET.get("year", "") or _today().year - 1)
    except ValueError:
        year = _today().year - 1
    year = min(max(year, 1990), 2100)
    by_company = None
    if request.GET.get("detail"):
        with transaction.atomic():
            by_company = access.access_coverage_by_company(
                principal=principal, agreement=agreement, year=year
            )
    return render(
        request,
        "agreements/market.html",
        {
            "agreement": agreement,
            "form": form,
            "sizes": agreement.market_sizes.order_by("-year"),
            "coverage": selectors.coverage_series(agreement, today=_today()),
            "year": year,
            "by_company": by_company,
        },
    )


def audit_page(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    principal.require(principal.can_read_audit_log())
    events = AuditEvent.objects.select_related("organisation")
    kind = request.GET.get("kind", "")
    if kind in AuditEvent.Kind.values:
        events = events.filter(kind=kind)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        events = (
            events.filter(action__icontains=q)
            | events.filter(actor_name__icontains=q)
            | events.filter(organisation__name__icontains=q)
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "q": q, "kinds": AuditEvent.Kind.choices}
    if request.headers.get("HX-Request"):
        return render(request, "agreements/_audit_table.html", context)
    return render(request, "agreements/audit.html", context)
