"""A company's pages for the signals forwarded to it: the list, one signal (without the
reporter's identity unless they allowed it) with the company's response, and files."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError
from covenant.signals import access, selectors, services
from covenant.signals.uploads import in_memory_uploads
from covenant.signals.views.public import _read_uploads
from covenant.signals.views.staff import file_response


def company_list(request: HttpRequest, slug: str) -> HttpResponse:
    company = access.access_company_signals(principal=_principal(request), slug=slug)
    return render(
        request,
        "signals/company_list.html",
        {"company": company, "forwards": selectors.company_forwards(company)},
    )


@in_memory_uploads
@require_http_methods(["GET", "POST"])
def company_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    principal = _principal(request)
    status = 200
    if request.method == "POST":
        forward = access.access_signal_forward(
            principal=principal, slug=slug, reference=reference, respond=True
        )
        assert principal.user is not None
        try:
            if request.POST.get("action") == "acknowledge":
                services.forward_acknowledge(forward=forward, actor=principal.user)
            else:
                services.forward_respond(
                    forward=forward,
                    investigation=request.POST.get("investigation", ""),
                    actions=request.POST.get("actions", ""),
                    remediation=request.POST.get("remediation", ""),
                    evidence=_read_uploads(request.FILES.getlist("evidence")),
                    actor=principal.user,
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Saved."))
            return redirect("signals:company_detail", slug=slug, reference=forward.signal.reference)
    forward = access.access_signal_forward(principal=principal, slug=slug, reference=reference)
    forward.refresh_from_db()
    return render(
        request,
        "signals/company_detail.html",
        {
            "company": forward.company,
            "forward": forward,
            "view": selectors.company_view(forward),
            "can_respond": principal.can_respond_signal(forward),
            "posted": request.POST if status != 200 else {},
        },
        status=status,
    )


def company_file(
    request: HttpRequest, slug: str, reference: str, attachment_id: int
) -> HttpResponse:
    found = access.access_attachment(
        principal=_principal(request), reference=reference, attachment_id=attachment_id, slug=slug
    )
    return file_response(found.pk)


urlpatterns = [
    path("companies/<slug:slug>/signals/", company_list, name="company_list"),
    path("companies/<slug:slug>/signals/<str:reference>/", company_detail, name="company_detail"),
    path(
        "companies/<slug:slug>/signals/<str:reference>/files/<int:attachment_id>/",
        company_file,
        name="company_file",
    ),
]
