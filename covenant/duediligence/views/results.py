"""Results pages: the public figures of an agreement's assessments per year (suppressed below
MIN_GROUP_SIZE) with the chart, and the secretariat's dashboard with the same figures and the
state of the current work (submissions, second reviews, kappa, escalations)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from covenant.accounts.permissions import page_principal as _principal
from covenant.duediligence import access
from covenant.duediligence.models import Assessment, SelfAssessment
from covenant.duediligence.selectors import aggregates
from covenant.duediligence.selectors.assessments import calibration, escalations


def public_results(request: HttpRequest, slug: str) -> HttpResponse:
    agreement, _drafts = access.access_frameworks(principal=_principal(request), slug=slug)
    years = aggregates.year_aggregates(agreement)
    return render(
        request,
        "duediligence/results.html",
        {"agreement": agreement, "years": years, "latest": years[-1] if years else None},
    )


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access.access_assessments_manage(principal=_principal(request), slug=slug)
    years = aggregates.year_aggregates(agreement)
    work = {
        "submitted": SelfAssessment.objects.filter(
            round__agreement=agreement, status=SelfAssessment.Status.SUBMITTED
        )
        .exclude(assessment__status=Assessment.Status.RELEASED)
        .count(),
        "with_assessors": Assessment.objects.filter(
            self_assessment__round__agreement=agreement,
            status__in=[Assessment.Status.FIRST, Assessment.Status.SECOND],
        ).count(),
        "ready": Assessment.objects.filter(
            self_assessment__round__agreement=agreement, status=Assessment.Status.READY
        ).count(),
    }
    return render(
        request,
        "duediligence/dashboard.html",
        {
            "agreement": agreement,
            "years": years,
            "work": work,
            # The latest year's agreement between assessors (all years: the calibration page).
            "kappa_year": years[-1].year if years else None,
            "calibration": calibration(agreement, years[-1].year if years else None),
            "escalations": len(escalations(agreement)),
        },
    )


urlpatterns = [
    path("agreements/<slug:slug>/due-diligence/", public_results, name="dd_results"),
    path("secretariat/<slug:slug>/due-diligence/dashboard/", dashboard, name="dd_dashboard"),
]
