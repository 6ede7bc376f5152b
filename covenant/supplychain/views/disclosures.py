"""Company pages of the production locations: the year's list with the difference from the
previous year, the upload form, one upload (job) with its progress bar, row errors, rows and
changes, re-running a refused job, and the one-location form.

Confidential: the company's own users and the secretariat of its agreement (reads audited by
the access helpers); uploads and changes by the company's admins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.agreements.models import Agreement, Organisation
from covenant.core.errors import ApplicationError
from covenant.core.forms import add_error
from covenant.supplychain import access
from covenant.supplychain.importing.taxonomy import FACILITY_TYPES
from covenant.supplychain.models import Contribution, Disclosure
from covenant.supplychain.selectors import disclosures as selectors
from covenant.supplychain.selectors import registry as registry_selectors
from covenant.supplychain.services import disclosures as services

ROWS_PER_PAGE = 100
DECISIONS = [c for c, _label in Contribution.Decision.choices]


def _default_year() -> int:
    return timezone.localdate().year - 1


# --- forms -------------------------------------------------------------------------------
class _AgreementChoice(forms.ChoiceField):
    def __init__(self, agreements: list[Agreement], **kwargs: Any) -> None:
        super().__init__(
            choices=[(a.slug, a.name) for a in agreements],
            label=gettext_lazy("Agreement"),
            **kwargs,
        )


class UploadForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Reporting year"), min_value=services.MIN_YEAR, max_value=2100
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Columns name, address and country are required; city, province, postal_code, "
            "lat, lng, facility_type, processing_type, product_type, number_of_workers, "
            "parent_company, tier, os_id and supplier_id are optional. The Open Supply Hub "
            "template works as it is."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args: Any, agreements: list[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(agreements) > 1:
            self.fields["agreement"] = _AgreementChoice(agreements)


class LocationForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Reporting year"), min_value=services.MIN_YEAR, max_value=2100
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=500)
    city = forms.CharField(label=gettext_lazy("City"), max_length=120, required=False)
    province = forms.CharField(label=gettext_lazy("Province"), max_length=120, required=False)
    postal_code = forms.CharField(label=gettext_lazy("Postal code"), max_length=30, required=False)
    country = forms.CharField(
        label=gettext_lazy("Country"),
        max_length=100,
        help_text=gettext_lazy("ISO code (BD) or the name in any common spelling."),
    )
    lat = forms.FloatField(
        label=gettext_lazy("Latitude"), min_value=-90, max_value=90, required=False
    )
    lng = forms.FloatField(
        label=gettext_lazy("Longitude"), min_value=-180, max_value=180, required=False
    )
    facility_type = forms.ChoiceField(label=gettext_lazy("Facility type"), required=False)
    processing_type = forms.CharField(
        label=gettext_lazy("Processing type"), max_length=200, required=False
    )
    product_type = forms.CharField(
        label=gettext_lazy("Product type"), max_length=200, required=False
    )
    number_of_workers = forms.IntegerField(
        label=gettext_lazy("Number of workers"), min_value=0, max_value=10_000_000, required=False
    )
    parent_company = forms.CharField(
        label=gettext_lazy("Parent company"), max_length=300, required=False
    )
    tier = forms.CharField(label=gettext_lazy("Tier"), max_length=20, required=False)
    os_id = forms.CharField(label=gettext_lazy("Open Supply Hub id"), max_length=30, required=False)
    supplier_id = forms.CharField(
        label=gettext_lazy("Your own reference"), max_length=100, required=False
    )

    def __init__(self, *args: Any, agreements: list[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dutch = (get_language() or "").startswith("nl")
        self.fields["facility_type"].choices = [("", "—")] + [
            (t.label, t.label_nl if dutch else t.label) for t in FACILITY_TYPES.values()
        ]
        if len(agreements) > 1:
            self.fields["agreement"] = _AgreementChoice(agreements)


def _agreement(company: Organisation, form: forms.Form) -> Agreement:
    return access.get_disclosure_agreement(
        company=company, slug=form.cleaned_data.get("agreement") or None
    )


# --- pages ---------------------------------------------------------------------------------
def company_locations(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's accepted list (latest year by default), the changes since the previous
    year, every upload, and the upload form for the company's admins."""
    principal = _principal(request)
    company = access.access_company_locations(principal=principal, slug=slug)
    agreements = selectors.disclosure_agreements(company=company)
    uploads = list(selectors.disclosures_for_company(company=company)[:50])
    years = sorted(
        {d.year for d in uploads if d.status == Disclosure.Status.ACCEPTED}, reverse=True
    )
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else None
    accepted = None
    if agreements and year is not None:
        accepted = selectors.accepted_disclosure(
            company=company, agreement=agreements[0], year=year
        )
    rows = (
        selectors.disclosure_contributions(disclosure=accepted)
        if accepted
        else Contribution.objects.none()
    )
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    can_disclose = principal.can_disclose_locations(company) and bool(agreements)
    return render(
        request,
        "supplychain/company_locations.html",
        {
            "company": company,
            "agreements": agreements,
            "uploads": uploads,
            "years": years,
            "year": year,
            "accepted": accepted,
            "diff": selectors.disclosure_diff(accepted).counts if accepted else None,
            "page": page,
            "can_disclose": can_disclose,
            "review_count": registry_selectors.review_queue(company=company).count(),
            "form": UploadForm(agreements=agreements, initial={"year": _default_year()})
            if can_disclose
            else None,
        },
    )


def disclosure_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a list: the job is queued and the browser goes to its progress page."""
    principal = _principal(request)
    company = access.access_company_disclose(principal=principal, slug=slug)
    agreements = selectors.disclosure_agreements(company=company)
    form = UploadForm(agreements=agreements, initial={"year": _default_year()})
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, agreements=agreements)
        if form.is_valid():
            try:
                disclosure = services.disclosure_upload(
                    agreement=_agreement(company, form),
                    company=company,
                    year=form.cleaned_data["year"],
                    file=form.cleaned_data["file"],
                    actor=principal.user,
                )
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                return redirect("disclosure_detail", slug=company.slug, disclosure_id=disclosure.pk)
    return render(
        request,
        "supplychain/disclosure_new.html",
        {"company": company, "form": form, "agreements": agreements},
        status=422 if form.errors else 200,
    )


def _disclosure(request: HttpRequest, slug: str, disclosure_id: int, **kw: Any) -> Disclosure:
    return access.access_disclosure(
        principal=_principal(request), disclosure_id=disclosure_id, company_slug=slug, **kw
    )


def _progress_context(disclosure: Disclosure) -> dict[str, Any]:
    return {
        "disclosure": disclosure,
        "progress": selectors.disclosure_progress(disclosure),
        "stalled": services.disclosure_is_stalled(disclosure),
    }


def disclosure_detail(request: HttpRequest, slug: str, disclosure_id: int) -> HttpResponse:
    """One upload: progress while it runs; then its result, errors, rows and changes."""
    principal = _principal(request)
    disclosure = _disclosure(request, slug, disclosure_id)
    decision = request.GET.get("decision", "")
    if decision not in DECISIONS:
        decision = ""
    context = _progress_context(disclosure)
    finished = disclosure.status in (Disclosure.Status.ACCEPTED, Disclosure.Status.SUPERSEDED)
    rows = selectors.disclosure_contributions(disclosure=disclosure, decision=decision or None)
    summary = disclosure.summary or {}
    context.update(
        {
            "company": disclosure.company,
            "decision": decision,
            "decisions": Contribution.Decision.choices,
            "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
            if finished
            else None,
            "diff": selectors.disclosure_diff(disclosure) if finished else None,
            "errors": disclosure.errors or [],
            "error_count": int(summary.get("error_count", len(disclosure.errors or []))),
            "warnings": summary.get("warnings", []),
            "can_rerun": services.disclosure_can_rerun(disclosure)
            and principal.can_disclose_locations(disclosure.company),
            "can_review": principal.can_review_rows_of(disclosure.company, disclosure.agreement),
        }
    )
    return render(request, "supplychain/disclosure_detail.html", context)


def disclosure_progress(request: HttpRequest, slug: str, disclosure_id: int) -> HttpResponse:
    """The progress bar alone, polled by htmx; tells the browser to reload when done."""
    disclosure = _disclosure(request, slug, disclosure_id)
    context = _progress_context(disclosure)
    response = render(request, "supplychain/_disclosure_progress.html", context)
    if not context["progress"]["running"]:
        response["HX-Refresh"] = "true"
    return response


def disclosure_rerun(request: HttpRequest, slug: str, disclosure_id: int) -> HttpResponse:
    principal = _principal(request)
    disclosure = _disclosure(request, slug, disclosure_id, manage=True)
    if request.method == "POST":
        try:
            disclosure = services.disclosure_rerun(disclosure=disclosure, actor=principal.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The upload is being processed again."))
    return redirect("disclosure_detail", slug=slug, disclosure_id=disclosure.pk)


def location_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add one production location to a year's list (the same rules as a row of a file)."""
    principal = _principal(request)
    company = access.access_company_disclose(principal=principal, slug=slug)
    agreements = selectors.disclosure_agreements(company=company)
    form = LocationForm(agreements=agreements, initial={"year": _default_year()})
    if request.method == "POST":
        form = LocationForm(request.POST, agreements=agreements)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("agreement", None)
            year = data.pop("year")
            try:
                disclosure = services.disclosure_add_location(
                    agreement=_agreement(company, form),
                    company=company,
                    year=year,
                    cleaned_fields=data,
                    actor=principal.user,
                )
            except ApplicationError as exc:
                add_error(form, exc)
                for extra in exc.extra.get("errors", [])[1:]:
                    form.add_error(None, extra.get("message", ""))
            else:
                messages.success(
                    request,
                    _("Location added to your list for %(year)s.") % {"year": disclosure.year},
                )
                return redirect("disclosure_detail", slug=company.slug, disclosure_id=disclosure.pk)
    return render(
        request,
        "supplychain/location_add.html",
        {"company": company, "form": form},
        status=422 if form.errors else 200,
    )


urlpatterns = [
    path("companies/<slug:slug>/locations/", company_locations, name="company_locations"),
    path("companies/<slug:slug>/locations/upload/", disclosure_new, name="disclosure_new"),
    path("companies/<slug:slug>/locations/add/", location_add, name="location_add"),
    path(
        "companies/<slug:slug>/disclosures/<int:disclosure_id>/",
        disclosure_detail,
        name="disclosure_detail",
    ),
    path(
        "companies/<slug:slug>/disclosures/<int:disclosure_id>/progress/",
        disclosure_progress,
        name="disclosure_progress",
    ),
    path(
        "companies/<slug:slug>/disclosures/<int:disclosure_id>/rerun/",
        disclosure_rerun,
        name="disclosure_rerun",
    ),
]
