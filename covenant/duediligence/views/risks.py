"""Risk register pages: the company's register in priority order with why (add a risk, its own
order with a reason, share a top priority risk with consent or withdraw it), one risk with its
action plan (SMART targets, yearly progress, results achieved), and the risks shared with the
parties of an agreement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from covenant.accounts.permissions import page_principal as _principal
from covenant.agreements.models import Theme
from covenant.core.errors import ApplicationError, ValidationFailed
from covenant.duediligence import access
from covenant.duediligence.models import ActionTarget, Risk
from covenant.duediligence.selectors import risks as selectors
from covenant.duediligence.services import risks as services

RISK_POST_FIELDS = services.RISK_FIELDS
ACTION_FIELDS = (
    "target",
    "measures",
    "owner",
    "deadline",
    "indicator",
    "baseline",
    "target_value",
    "unit",
    "status",
)


def _fields(request: HttpRequest, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: request.POST.get(name, "") for name in names}


def _errors(exc: ApplicationError) -> dict[str, str]:
    return {e["field"]: e["message"] for e in exc.extra.get("errors", [])}


def company_risks(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement_slug = request.GET.get("agreement") or request.POST.get("agreement") or None
    edit = request.method == "POST"
    company, agreement = access.access_company_risks(
        principal=principal, slug=slug, agreement_slug=agreement_slug, edit=edit
    )
    errors: dict[str, str] = {}
    posted: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                posted = _fields(request, RISK_POST_FIELDS)
                risk = services.risk_create(
                    agreement=agreement, company=company, data=posted, actor=principal.user
                )
                messages.success(request, _("Risk added."))
                return redirect("dd_risk", slug=company.slug, risk_id=risk.pk)
            if action == "reorder":
                positions = []
                for key, value in request.POST.items():
                    if key.startswith("pos-") and key[4:].isdigit():
                        try:
                            positions.append((float(value.replace(",", ".")), int(key[4:])))
                        except ValueError:
                            raise ValidationFailed(
                                _("Give each position as a number."), field="order"
                            ) from None
                order = [risk_id for _pos, risk_id in sorted(positions)]
                services.risk_reorder(
                    agreement=agreement,
                    company=company,
                    order=order,
                    reason=request.POST.get("reason", ""),
                    actor=principal.user,
                )
                messages.success(request, _("Your priority order is saved with its reason."))
            elif action in ("share", "unshare"):
                risk = access.access_risk(
                    principal=principal,
                    slug=company.slug,
                    risk_id=int(request.POST.get("risk", "0") or 0),
                    edit=True,
                )
                if action == "share":
                    services.risk_share(
                        risk=risk,
                        consent=request.POST.get("consent") == "1",
                        message=request.POST.get("message", ""),
                        actor=principal.user,
                    )
                    messages.success(request, _("Shared with the parties of the agreement."))
                else:
                    services.risk_unshare(risk=risk, actor=principal.user)
                    messages.success(request, _("Withdrawn: the parties no longer see this risk."))
            else:
                raise ValidationFailed(_("Unknown action."), field="action")
            return redirect(
                f"{reverse('dd_risks', args=[company.slug])}?agreement={agreement.slug}"
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = _errors(exc)
            status = exc.status_code
    reg = selectors.register(agreement, company)
    return render(
        request,
        "duediligence/risks.html",
        {
            "company": company,
            "agreement": agreement,
            "register": reg,
            "themes": Theme.objects.filter(agreement=agreement),
            "choices": Risk,
            "can_edit": principal.can_edit_risks(company),
            "errors": errors,
            "posted": posted,
            "scores": range(1, 6),
        },
        status=status,
    )


def risk_page(request: HttpRequest, slug: str, risk_id: int) -> HttpResponse:
    principal = _principal(request)
    edit = request.method == "POST"
    risk = access.access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=edit)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "update":
                services.risk_update(
                    risk=risk, data=_fields(request, RISK_POST_FIELDS), actor=principal.user
                )
                messages.success(request, _("Risk saved."))
            elif action == "add_target":
                services.action_create(
                    risk=risk, data=_fields(request, ACTION_FIELDS), actor=principal.user
                )
                messages.success(request, _("Target added to the action plan."))
            elif action in ("update_target", "progress", "result"):
                raw = request.POST.get("target_id", "")
                target = access.access_action(
                    principal=principal,
                    slug=slug,
                    risk_id=risk.pk,
                    action_id=int(raw) if raw.isdigit() else 0,
                )
                if action == "update_target":
                    services.action_update(
                        action=target, data=_fields(request, ACTION_FIELDS), actor=principal.user
                    )
                    messages.success(request, _("Target saved."))
                elif action == "progress":
                    services.action_progress_record(
                        action=target,
                        year=request.POST.get("year", ""),
                        value=request.POST.get("value", ""),
                        note=request.POST.get("note", ""),
                        actor=principal.user,
                    )
                    messages.success(request, _("Progress recorded."))
                else:
                    services.action_result_record(
                        action=target,
                        data=_fields(request, ("achieved_on", "description", "evidence_url")),
                        actor=principal.user,
                    )
                    messages.success(request, _("Result recorded."))
            else:
                raise ValidationFailed(_("Unknown action."), field="action")
            return redirect("dd_risk", slug=slug, risk_id=risk.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            errors = _errors(exc)
            status = exc.status_code
    reg = selectors.register(risk.agreement, risk.company)
    row = next(r for r in reg.rows if r.risk.pk == risk.pk)
    return render(
        request,
        "duediligence/risk.html",
        {
            "company": risk.company,
            "agreement": risk.agreement,
            "risk": row.risk,
            "row": row,
            "shared": risk.pk in reg.shared,
            "themes": Theme.objects.filter(agreement=risk.agreement),
            "choices": Risk,
            "statuses": ActionTarget.Status.choices,
            "can_edit": principal.can_edit_risks(risk.company),
            "errors": errors,
            "scores": range(1, 6),
        },
        status=status,
    )


def shared_risks(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access.access_shared_risks(principal=_principal(request), slug=slug)
    return render(
        request,
        "duediligence/shared_risks.html",
        {"agreement": agreement, "shares": selectors.shared_risks(agreement)},
    )


urlpatterns = [
    path("companies/<slug:slug>/risks/", company_risks, name="dd_risks"),
    path("companies/<slug:slug>/risks/<int:risk_id>/", risk_page, name="dd_risk"),
    path("agreements/<slug:slug>/shared-risks/", shared_risks, name="dd_shared_risks"),
]
