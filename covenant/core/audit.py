"""Audit trail: role and membership changes, and reads of confidential data by the secretariat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from covenant.core.models import AuditEvent

if TYPE_CHECKING:
    from covenant.accounts.models import User
    from covenant.agreements.models import Organisation


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    kind: str = AuditEvent.Kind.CHANGE,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. Call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None and actor.pk else "",
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        organisation=organisation,
        detail=detail or {},
    )


def audit_confidential_read(
    *, actor: User, what: str, organisation: Organisation, detail: dict[str, Any] | None = None
) -> AuditEvent:
    """Record that secretariat staff read a company's confidential data."""
    return audit_record(
        actor=actor,
        action=f"read.{what}",
        obj=organisation,
        organisation=organisation,
        kind=AuditEvent.Kind.READ,
        detail=detail,
    )
