"""Shared suppliers pages: the secretariat's list of facilities several members use (with
who they are: audited), one facility with its opt-ins and the introduction form; and the
company's own list with how many other members use each facility and its opt-ins."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError
from covenant.supplychain import access
from covenant.supplychain.selectors import sharing as selectors
from covenant.supplychain.services import sharing as services


def shared_suppliers(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_introductions(principal=principal, slug=slug)
    country = request.GET.get("country", "").strip().upper()[:2]
    rows = access.access_shared_suppliers(principal=principal, agreement=agreement, country=country)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "supplychain/sharing_secretariat.html",
        {
            "agreement": agreement,
            "page": page,
            "total": len(rows),
            "country": country,
            "ready": sum(1 for r in rows if r.can_introduce),
            "introductions": selectors.introductions(agreement)[:20],
        },
    )


def shared_facility(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_introductions(principal=principal, slug=slug)
    row = access.access_shared_facility(
        principal=principal, agreement=agreement, public_id=public_id
    )
    if request.method == "POST":
        try:
            services.introduction_make(
                agreement=agreement,
                facility=row.facility,
                actor=principal.user,
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Introduction made: the companies' admins will receive an e-mail.")
            )
            return redirect("sharing_facility", slug=agreement.slug, public_id=public_id)
    return render(
        request,
        "supplychain/sharing_facility.html",
        {
            "agreement": agreement,
            "row": row,
            "past": [
                i for i in selectors.introductions(agreement) if i.facility_id == row.facility.pk
            ],
        },
    )


def company_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement_slug = request.GET.get("agreement") or request.POST.get("agreement") or None
    if request.method == "POST":
        company, agreement = access.access_company_opt_in(
            principal=principal, slug=slug, agreement_slug=agreement_slug
        )
        from covenant.supplychain.access import get_facility_for_field

        try:
            facility = get_facility_for_field(
                public_id=request.POST.get("facility", ""), field="facility"
            )
            if request.POST.get("action") == "withdraw":
                services.introduction_opt_out(
                    agreement=agreement, company=company, facility=facility, actor=principal.user
                )
                messages.success(request, _("You withdrew from introductions at this facility."))
            else:
                services.introduction_opt_in(
                    agreement=agreement, company=company, facility=facility, actor=principal.user
                )
                messages.success(
                    request,
                    _(
                        "Noted: the secretariat may introduce you to the other members at this "
                        "facility that opted in too."
                    ),
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    company, agreement = access.access_company_sharing(
        principal=principal, slug=slug, agreement_slug=agreement_slug
    )
    shared_only = request.GET.get("all") != "1"
    rows = selectors.company_facilities(agreement, company, shared_only=shared_only)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "supplychain/sharing_company.html",
        {
            "company": company,
            "agreement": agreement,
            "page": page,
            "total": len(rows),
            "shared_only": shared_only,
            "can_opt_in": principal.can_opt_in_introduction(company),
        },
    )


urlpatterns = [
    path("secretariat/<slug:slug>/shared-suppliers/", shared_suppliers, name="sharing_secretariat"),
    path(
        "secretariat/<slug:slug>/shared-suppliers/<str:public_id>/",
        shared_facility,
        name="sharing_facility",
    ),
    path("companies/<slug:slug>/shared-suppliers/", company_sharing, name="sharing_company"),
]
