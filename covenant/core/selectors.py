"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from covenant.core.models import AuditEvent


def audit_events(
    *, action: str = "", organisation_slug: str = "", kind: str | None = None, limit: int = 100
) -> QuerySet[AuditEvent]:
    """The newest audit rows first; `action` matches the action or its start (`membership.`)."""
    qs = AuditEvent.objects.select_related("organisation")
    if action:
        qs = qs.filter(action__startswith=action)
    if organisation_slug:
        qs = qs.filter(organisation__slug=organisation_slug)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")[:limit]
