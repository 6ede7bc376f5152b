"""Public pages of the published lists (no sign-in): search, facility detail, downloads and
history; and the secretariat's page to publish a year. Thin: parse, one access helper,
one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.agreements.access import access_agreement_public
from covenant.agreements.models import Agreement
from covenant.core.errors import ApplicationError
from covenant.core.templatetags.charts import Series, bar_chart
from covenant.supplychain import access
from covenant.supplychain.importing.taxonomy import FACILITY_TYPES
from covenant.supplychain.models import PublishedList
from covenant.supplychain.selectors import published as selectors
from covenant.supplychain.services import publication


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def facility_type_choices() -> list[tuple[str, str]]:
    lang = get_language() or "en"
    return [(code, ft.label_for(lang)) for code, ft in FACILITY_TYPES.items()]


def _country_name(code: str) -> str:
    from covenant.matching.countries import country_name

    try:
        return country_name(code) or code
    except Exception:
        return code


# --- search ------------------------------------------------------------------------------------
def locations(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access_agreement_public(slug=slug)
    lists = selectors.published_lists(agreement)
    year = _int(request.GET.get("year"))
    published = next((p for p in lists if p.year == year), lists[0] if lists else None)
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    country = request.GET.get("country", "").strip().upper()[:2]
    ftype = request.GET.get("facility_type", "").strip()[:60]
    context = {
        "agreement": agreement,
        "lists": lists,
        "published": published,
        "q": q,
        "country": country,
        "facility_type": ftype,
        "facility_types": facility_type_choices(),
        "can_publish": _principal(request).can_publish_list(agreement),
    }
    if published is not None:
        result = selectors.published_search(
            published,
            q=q,
            country=country,
            facility_type=ftype,
            page=_int(request.GET.get("page"), 1) or 1,
        )
        counts = selectors.list_counts(published)
        labels = dict(facility_type_choices())
        for loc in result.locations:
            loc.type_label = labels.get(loc.facility_type, loc.facility_type)  # type: ignore[attr-defined]
        context.update(
            {
                "result": result,
                "countries": sorted(
                    ((c, _country_name(c)) for c, _n in counts.by_country), key=lambda x: x[1]
                ),
            }
        )
    if request.headers.get("HX-Request"):
        return render(request, "supplychain/public_results.html", context)
    return render(request, "supplychain/public_locations.html", context)


def facility_detail(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agreement = access_agreement_public(slug=slug)
    facility, found = access.access_published_facility(agreement=agreement, public_id=public_id)
    if facility.public_id != public_id:  # merged, or typed in another case: the surviving id
        return redirect("public_facility", slug=agreement.slug, public_id=facility.public_id)
    return render(
        request,
        "supplychain/public_facility.html",
        {
            "agreement": agreement,
            "facility": found,
            "location": found.location,
            "country_name": _country_name(found.location.country),
            "type_labels": dict(facility_type_choices()),
        },
    )


# --- downloads ---------------------------------------------------------------------------------
def download_response(published: PublishedList, fmt: str) -> FileResponse:
    """A published list as a download, streamed from its file on disk (built once)."""
    path, file = selectors.download_path(published, fmt)
    response = FileResponse(
        path.open("rb"), content_type=file.content_type, as_attachment=True, filename=file.filename
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in selectors.DOWNLOAD_FORMATS:
        raise Http404
    agreement = access_agreement_public(slug=slug)
    published = selectors.published_list_for(agreement, _int(request.GET.get("year")))
    if published is None:
        raise Http404
    return download_response(published, fmt)


# --- history -----------------------------------------------------------------------------------
def history_charts(agreement: Agreement) -> dict[str, object]:
    rows = selectors.history(agreement)
    labels = dict(facility_type_choices())
    if not rows:
        return {"rows": rows}
    latest = rows[-1]
    top = [c for c, _n in latest.by_country[:8]]
    types = [t for t, _n in latest.by_type]
    per_year = bar_chart(
        [str(r.year) for r in rows],
        [Series(_("Locations"), [r.total for r in rows], "s1")],
        title=_("Published locations per year"),
    )
    per_country = bar_chart(
        top,
        [
            Series(str(r.year), [dict(r.by_country).get(c, 0) for c in top], f"s{i % 2 + 1}")
            for i, r in enumerate(rows[-2:])
        ],
        title=_("Locations per country (largest countries)"),
    )
    per_type = bar_chart(
        [str(i + 1) for i in range(len(types))],
        [
            Series(str(r.year), [dict(r.by_type).get(t, 0) for t in types], f"s{i % 2 + 1}")
            for i, r in enumerate(rows[-2:])
        ],
        title=_("Locations per facility type"),
    )
    return {
        "rows": rows,
        "per_year": per_year,
        "per_country": per_country,
        "per_type": per_type,
        "type_keys": [(i + 1, labels.get(t, t) or _("Not given")) for i, t in enumerate(types)],
        "type_labels": labels,
        "country_names": {c: _country_name(c) for r in rows for c, _n in r.by_country},
    }


def history(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access_agreement_public(slug=slug)
    return render(
        request,
        "supplychain/public_history.html",
        {"agreement": agreement, **history_charts(agreement)},
    )


# --- publishing (secretariat) ---------------------------------------------------------------------
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_agreement_publish(principal=principal, slug=slug)
    today = timezone.localdate()
    default_year = today.year - 1
    if request.method == "POST":
        year = _int(request.POST.get("year"))
        if year is None or not 2000 <= year <= today.year:
            messages.error(request, _("Choose a year."))
        else:
            try:
                published = publication.published_list_publish(
                    agreement=agreement,
                    year=year,
                    actor=principal.user,
                    replace=request.POST.get("replace") == "1",
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("The list of %(year)s is public: %(count)s locations.")
                    % {"year": published.year, "count": published.location_count},
                )
                return redirect(
                    reverse("public_locations", args=[agreement.slug]) + f"?year={year}"
                )
        default_year = year or default_year
    # The years that have accepted disclosures, plus the one due now.
    years = sorted({default_year, *publication.disclosure_years(agreement=agreement)}, reverse=True)
    previews = [publication.publication_preview(agreement=agreement, year=y) for y in years]
    return render(
        request,
        "supplychain/publish_list.html",
        {
            "agreement": agreement,
            "previews": [p for p in previews if p.disclosures or p.published],
            "today": today,
            "lists": selectors.published_lists(agreement),
        },
    )


urlpatterns = [
    path("agreements/<slug:slug>/locations/", locations, name="public_locations"),
    path("agreements/<slug:slug>/locations/history/", history, name="public_history"),
    path(
        "agreements/<slug:slug>/locations/download.<str:fmt>",
        download,
        name="public_download",
    ),
    path(
        "agreements/<slug:slug>/locations/<str:public_id>/",
        facility_detail,
        name="public_facility",
    ),
    path("secretariat/<slug:slug>/publish/", publish, name="publish_list"),
]
