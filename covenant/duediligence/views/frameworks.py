"""Framework pages: the public page of an agreement's framework (sections with their maxima,
criteria with guidance, minimums per membership year, outcome rules), its file download, and
the secretariat's page to import, publish, copy and delete versions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError, ValidationFailed
from covenant.duediligence import access
from covenant.duediligence.framework_file import load_json
from covenant.duediligence.models import Framework
from covenant.duediligence.selectors import frameworks as selectors
from covenant.duediligence.services import frameworks as services


def _version(request: HttpRequest) -> int | None:
    raw = request.GET.get("version", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else None


def framework_page(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    framework = access.access_framework(principal=principal, slug=slug, version=_version(request))
    agreement, manage = access.access_frameworks(principal=principal, slug=slug)
    versions = selectors.frameworks_of(agreement)
    if not manage:
        versions = versions.exclude(status=Framework.Status.DRAFT)
    return render(
        request,
        "duediligence/framework.html",
        {
            "agreement": agreement,
            "framework": framework,
            "view": selectors.framework_detail(framework),
            "versions": versions,
            "can_manage": manage,
        },
    )


def framework_download(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    framework = access.access_framework(principal=_principal(request), slug=slug, version=version)
    body = json.dumps(selectors.framework_export(framework), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="framework-{framework.agreement.slug}-v{framework.version}.json"'
    )
    return response


def frameworks_admin(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement, _f = access.access_framework_manage(principal=principal, slug=slug)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationFailed(_("Choose a framework file (JSON) to import."), field="file")
            try:
                data = load_json(upload.read())
            except ValueError as exc:
                raise ValidationFailed(str(exc), field="file") from None
            framework = services.framework_import(
                agreement=agreement, data=data, actor=principal.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = exc.extra.get("errors", [])
        else:
            messages.success(
                request, _("Imported as version %(v)s (a draft).") % {"v": framework.version}
            )
            return redirect("dd_frameworks_admin", slug=agreement.slug)
    views = [selectors.framework_detail(f) for f in selectors.frameworks_of(agreement)]
    return render(
        request,
        "duediligence/frameworks_admin.html",
        {"agreement": agreement, "views": views, "errors": errors},
        status=422 if errors else 200,
    )


@require_POST
def framework_action(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    principal = _principal(request)
    agreement, framework = access.access_framework_manage(
        principal=principal, slug=slug, version=version
    )
    assert framework is not None
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.framework_publish(framework=framework, actor=principal.user)
            messages.success(request, _("Version %(v)s is published.") % {"v": version})
        elif action == "copy":
            raw = request.POST.get("valid_from_year", "")
            year = int(raw) if raw.isdigit() else 0
            created = services.framework_new_version(
                framework=framework, valid_from_year=year, actor=principal.user
            )
            messages.success(
                request, _("Version %(v)s created as a draft.") % {"v": created.version}
            )
        elif action == "delete":
            services.framework_delete_draft(framework=framework, actor=principal.user)
            messages.success(request, _("Draft version %(v)s deleted.") % {"v": version})
        else:
            raise ValidationFailed(_("Unknown action."), field="action")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("dd_frameworks_admin", slug=agreement.slug)


urlpatterns = [
    path("agreements/<slug:slug>/framework/", framework_page, name="dd_framework"),
    path(
        "agreements/<slug:slug>/framework/v<int:version>.json",
        framework_download,
        name="dd_framework_download",
    ),
    path("secretariat/<slug:slug>/frameworks/", frameworks_admin, name="dd_frameworks_admin"),
    path(
        "secretariat/<slug:slug>/frameworks/v<int:version>/",
        framework_action,
        name="dd_framework_action",
    ),
]
