"""Review and registry pages: the review queue (the agreement's secretariat sees all of it, a
company its own rows), one row side by side with its candidates (confirm / reject / pick
another), and the registry for the secretariat: search, a facility with the rows linked to
it from its agreements (audited), merge and split."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError
from covenant.supplychain import access
from covenant.supplychain.models import Contribution
from covenant.supplychain.selectors import registry as selectors
from covenant.supplychain.services import registry as registry_services
from covenant.supplychain.services import review as services
from covenant.supplychain.services.registry import facility_id_normalise

QUEUE_PAGE = 50
REGISTRY_PAGE = 50


def _queue_page(
    request: HttpRequest, rows: QuerySet[Contribution], title: str, back: str, **context: Any
) -> HttpResponse:
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("page"))
    items = access.access_review_rows(principal=_principal(request), rows=list(page))
    return render(
        request,
        "supplychain/review_queue.html",
        {
            "title": title,
            "page": page,
            "items": [(c, selectors.review_candidates(c)[:1]) for c in items],
            "back": back,
            **context,
        },
    )


def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_review_queue(principal=principal, agreement_slug=slug)
    return _queue_page(
        request,
        selectors.review_queue(agreement=agreement),
        _("Review queue"),
        reverse("review_queue", args=[agreement.slug]),
        agreement=agreement,
    )


def company_review(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    company = access.access_company_locations(principal=principal, slug=slug)
    rows = selectors.review_queue(company=company)
    if company.pk not in principal.company_ids:
        rows = rows.filter(disclosure__agreement__secretariat_id__in=principal.secretariat_org_ids)
    return _queue_page(
        request,
        rows,
        _("Rows waiting for a decision"),
        reverse("company_review", args=[company.slug]),
        company=company,
    )


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def review_item(request: HttpRequest, contribution_id: int) -> HttpResponse:
    """One row next to its provisional facility and the other candidates."""
    principal = _principal(request)
    row = access.access_contribution_review(principal=principal, contribution_id=contribution_id)
    company = row.disclosure.company
    default_back = (
        reverse("review_queue", args=[row.disclosure.agreement.slug])
        if principal.is_secretariat_for(row.disclosure.agreement)
        else reverse("company_review", args=[company.slug])
    )
    back = _next_url(request, default_back)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                services.review_confirm(contribution=row, actor=principal.user)
                messages.success(request, _("Confirmed: this row is that facility."))
            elif action == "reject":
                services.review_reject(contribution=row, actor=principal.user)
                messages.success(request, _("Noted: this row is a new facility."))
            elif action == "pick":
                facility = access.get_facility_for_field(
                    public_id=request.POST.get("facility", ""), field="facility"
                )
                services.review_pick(contribution=row, facility=facility, actor=principal.user)
                messages.success(
                    request,
                    _("Linked to %(id)s: %(name)s.")
                    % {"id": facility.public_id, "name": facility.name},
                )
            else:
                messages.error(request, _("Choose confirm, reject or another facility."))
                return redirect(request.get_full_path())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(request.get_full_path())
        return redirect(back)
    return render(
        request,
        "supplychain/review_item.html",
        {
            "row": row,
            "company": company,
            "candidates": selectors.review_candidates(row),
            "back": back,
            "decided": row.decision != Contribution.Decision.REVIEW,
        },
    )


def registry_search(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    access.access_registry(principal=principal)
    q = request.GET.get("q", "").strip()[:100]
    country = request.GET.get("country", "").strip().upper()[:2]
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    total, rows = selectors.facility_search(
        q=q, country=country, limit=REGISTRY_PAGE, offset=(number - 1) * REGISTRY_PAGE
    )
    pages = max(1, -(-total // REGISTRY_PAGE))
    query = urlencode({k: v for k, v in (("q", q), ("country", country)) if v})
    return render(
        request,
        "supplychain/registry_search.html",
        {
            "q": q,
            "country": country,
            "rows": rows,
            "total": total,
            "number": number,
            "pages": pages,
            "query": query + "&" if query else "",
        },
    )


def registry_facility(request: HttpRequest, public_id: str) -> HttpResponse:
    """A facility, the rows linked to it (which companies: confidential, audited), merge
    another facility into it, or split rows off to a new facility."""
    principal = _principal(request)
    facility = access.access_facility_registry(principal=principal, public_id=public_id)
    if facility.public_id != facility_id_normalise(public_id):
        return redirect("registry_facility", public_id=facility.public_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "merge":
                merged = access.get_facility_for_field(
                    public_id=request.POST.get("merged", ""), field="merged"
                )
                registry_services.facility_merge(
                    survivor=facility, merged=merged, actor=principal.user
                )
                messages.success(
                    request,
                    _("%(old)s was merged into this facility; its id now leads here.")
                    % {"old": merged.public_id},
                )
            elif action == "split":
                ids = []
                for value in request.POST.getlist("contributions"):
                    try:
                        ids.append(int(value))
                    except ValueError:
                        continue
                new = registry_services.facility_split(
                    facility=facility, contribution_ids=ids, actor=principal.user
                )
                messages.success(
                    request,
                    _("The chosen rows are now the new facility %(id)s.") % {"id": new.public_id},
                )
                return redirect("registry_facility", public_id=new.public_id)
            else:
                messages.error(request, _("Choose merge or split."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("registry_facility", public_id=facility.public_id)
    rows = access.access_facility_contributions(principal=principal, facility=facility)
    return render(
        request,
        "supplychain/registry_facility.html",
        {
            "facility": facility,
            "rows": rows,
            "companies": len({r.disclosure.company_id for r in rows}),
            "old_ids": list(facility.redirects.values_list("old_public_id", flat=True)),
        },
    )


urlpatterns = [
    path("secretariat/<slug:slug>/review/", review_queue, name="review_queue"),
    path("companies/<slug:slug>/review/", company_review, name="company_review"),
    path("review/<int:contribution_id>/", review_item, name="review_item"),
    path("secretariat/registry/", registry_search, name="registry_search"),
    path("secretariat/registry/<str:public_id>/", registry_facility, name="registry_facility"),
]
