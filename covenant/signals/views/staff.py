"""The secretariat's pages for signals: the list (new, overdue, all), one signal with its
actions (acknowledge, check, ask the reporter, link a location, forward, summary for the
reporter, close, escalate) and the files. Every open of a signal is an audited read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from covenant.accounts.permissions import Principal
from covenant.accounts.permissions import page_principal as _principal
from covenant.core.errors import ApplicationError
from covenant.signals import access, deadlines, selectors, services
from covenant.signals.models import Signal


def signal_list(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = access.access_signals_agreement(principal=_principal(request), slug=slug)
    status = request.GET.get("status", "open")
    signals = selectors.agreement_signals(agreement)
    if status == "open":
        signals = signals.exclude(status__in=services.TERMINAL)
    elif status in Signal.Status.values:
        signals = signals.filter(status=status)
    rows = deadlines.with_deadlines(list(signals[:500]))
    if request.GET.get("overdue") == "1":
        rows = [r for r in rows if r.overdue]
    return render(
        request,
        "signals/staff_list.html",
        {
            "agreement": agreement,
            "rows": rows,
            "status": status,
            "statuses": Signal.Status.choices,
            "overdue_only": request.GET.get("overdue") == "1",
        },
    )


ACTIONS = ("acknowledge", "check", "ask", "set_location", "forward", "summary", "close", "escalate")


@require_http_methods(["GET", "POST"])
def signal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    principal = _principal(request)
    if request.method == "POST":
        signal = access.access_signal_secretariat(principal=principal, reference=reference)
        action = request.POST.get("action", "")
        try:
            _act(signal, action, request.POST, principal)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            # The page shown again is a read of the signal like any other.
            signal = access.access_signal_secretariat(
                principal=principal, reference=reference, what="detail"
            )
            return _render(request, signal, status=exc.status_code, posted=request.POST)
        messages.success(request, _("Saved."))
        return redirect("signals:staff_detail", reference=signal.reference)
    signal = access.access_signal_secretariat(
        principal=principal, reference=reference, what="detail"
    )
    return _render(request, signal)


def _act(signal: Signal, action: str, data: Any, principal: Principal) -> None:
    actor = principal.user
    assert actor is not None
    if action == "acknowledge":
        services.signal_acknowledge(signal=signal, actor=actor)
    elif action == "check":
        services.signal_check(
            signal=signal, decision=data.get("decision", ""), note=data.get("note", ""), actor=actor
        )
    elif action == "ask":
        services.signal_ask(signal=signal, text=data.get("question", ""), actor=actor)
    elif action == "set_location":
        services.signal_set_location(
            signal=signal, public_id=data.get("public_id", ""), actor=actor
        )
    elif action == "forward":
        services.signal_forward(signal=signal, note=data.get("note", ""), actor=actor)
    elif action == "summary":
        services.signal_summary_approve(signal=signal, text=data.get("summary", ""), actor=actor)
    elif action == "close":
        services.signal_close(signal=signal, outcome=data.get("outcome", ""), actor=actor)
    elif action == "escalate":
        services.signal_escalate(signal=signal, note=data.get("note", ""), actor=actor)
    else:
        raise ApplicationError(_("Unknown action."), field="action")


def _render(
    request: HttpRequest, signal: Signal, *, status: int = 200, posted: Any = None
) -> HttpResponse:
    view = selectors.secretariat_view(signal)
    linked = (
        selectors.companies_linked(agreement=signal.agreement, facility=signal.facility)
        if signal.facility is not None and signal.status != Signal.Status.FORWARDED
        else []
    )
    return render(
        request,
        "signals/staff_detail.html",
        {
            "view": view,
            "signal": signal,
            "deadline": deadlines.with_deadlines([signal])[0],
            "linked_count": len(linked),
            "decisions": [
                ("admissible", _("Admissible")),
                ("needs_info", _("Needs more information")),
                ("not_member", _("Not about a member's location")),
                ("inadmissible", _("Not admissible")),
            ],
            "outcomes": [(o.value, o.label) for o in Signal.Outcome if o.value],
            "open": signal.status not in services.TERMINAL,
            "posted": posted or {},
        },
        status=status,
    )


def attachment(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponse:
    found = access.access_attachment(
        principal=_principal(request), reference=reference, attachment_id=attachment_id
    )
    return file_response(found.pk)


def file_response(attachment_id: int) -> HttpResponse:
    """Always a download (never rendered inline), with a sandboxing policy."""
    name, content_type, data = selectors.attachment_data(attachment_id)
    response = HttpResponse(data, content_type=content_type)
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[:100] or "file"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


SETTING_FIELDS = (
    ("acknowledge_days", _("Acknowledge within (days)")),
    ("forward_days", _("Forward within (days of receipt)")),
    ("response_days", _("Company response within (days of forwarding)")),
    ("outcome_days", _("Outcome within (days of receipt)")),
    ("retention_days", _("Anonymise closed signals after (days)")),
    ("retention_warning_days", _("Warn before anonymising (days)")),
)


@require_http_methods(["GET", "POST"])
def signal_settings(request: HttpRequest, slug: str) -> HttpResponse:
    principal = _principal(request)
    agreement = access.access_signals_agreement(principal=principal, slug=slug)
    current = deadlines.settings_for(agreement)
    values: dict[str, Any] = {name: getattr(current, name) for name, _label in SETTING_FIELDS}
    status = 200
    if request.method == "POST":
        posted: dict[str, Any] = {}
        for name, _label in SETTING_FIELDS:
            raw = request.POST.get(name, "").strip()
            posted[name] = int(raw) if raw.isdigit() else raw
        values.update(posted)
        try:
            assert principal.user is not None
            services.signal_settings_update(
                agreement=agreement, values=posted, actor=principal.user
            )
        except ApplicationError as exc:
            messages.error(request, f"{exc.message} ({exc.field})" if exc.field else exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("Saved."))
            return redirect("signals:staff_settings", slug=agreement.slug)
    fields = [(name, label, values[name]) for name, label in SETTING_FIELDS]
    return render(
        request,
        "signals/staff_settings.html",
        {"agreement": agreement, "fields": fields},
        status=status,
    )


urlpatterns = [
    path("secretariat/<slug:slug>/signals/", signal_list, name="staff_list"),
    path("secretariat/<slug:slug>/signals/settings/", signal_settings, name="staff_settings"),
    path("secretariat/signals/<str:reference>/", signal_detail, name="staff_detail"),
    path(
        "secretariat/signals/<str:reference>/files/<int:attachment_id>/",
        attachment,
        name="staff_file",
    ),
]
