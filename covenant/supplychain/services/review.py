"""The review queue: rows the matcher was unsure about. Each is provisionally linked to its
best candidate, with the candidates and reasons stored on the row. A person confirms the
link, rejects it (the row becomes a new facility) or picks another facility. Every decision
is remembered (MatchMemory: company + row fingerprint → facility), so the same row in next
year's list is matched without review, and is written to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.supplychain.models import Contribution, Disclosure, Facility
from covenant.supplychain.services import registry

if TYPE_CHECKING:
    from covenant.accounts.models import User

D = Contribution.Decision


def _locked(contribution: Contribution) -> Contribution:
    row = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("disclosure", "facility")
        .get(pk=contribution.pk)
    )
    if row.decision != D.REVIEW:
        raise ValidationFailed(_("This row has already been decided."), field="decision")
    if row.disclosure.status != Disclosure.Status.ACCEPTED:
        raise ValidationFailed(
            _("This row belongs to a list that has since been replaced."), field="decision"
        )
    return row


def _decide(
    row: Contribution, *, facility: Facility, decision: str, actor: User | None, action: str
) -> Contribution:
    previous = row.facility.public_id if row.facility else ""
    row.facility = facility
    row.decision = decision
    row.decided_by = actor if actor is not None and actor.pk else None
    row.decided_at = timezone.now()
    row.save(update_fields=["facility", "decision", "decided_by", "decided_at"])
    registry.memory_remember(
        company_id=row.disclosure.company_id,
        fingerprint=row.fingerprint,
        facility=facility,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=row.disclosure,
        organisation=row.disclosure.company,
        detail={
            "contribution": row.pk,
            "row": row.row_number,
            "from": previous,
            "facility": facility.public_id,
        },
    )
    return row


def review_confirm(*, contribution: Contribution, actor: User | None) -> Contribution:
    """The provisional link is right: the row stays on that facility, now confirmed."""
    with transaction.atomic(durable=True):
        row = _locked(contribution)
        if row.facility is None or row.facility.status != Facility.Status.ACTIVE:
            facility = (
                registry.facility_by_public_id(row.facility.public_id) if row.facility else None
            )
            if facility is None:  # pragma: no cover - reviews always have a facility
                raise ValidationFailed(_("This row has no facility to confirm."), field="decision")
        else:
            facility = row.facility
        return _decide(
            row, facility=facility, decision=D.CONFIRMED, actor=actor, action="review.confirmed"
        )


def review_reject(*, contribution: Contribution, actor: User | None) -> Contribution:
    """The row is not the candidate: it becomes a new facility of its own."""
    with transaction.atomic(durable=True):
        state = registry.registry_lock()
        row = _locked(contribution)
        new = registry.facility_build(**{k: getattr(row, k) for k in registry.FACILITY_FIELDS})
        new.public_id = registry.facility_ids_reserve([new.country])[0]
        new.save()
        result = _decide(row, facility=new, decision=D.NEW, actor=actor, action="review.rejected")
    registry.index_add_committed(
        [registry.facility_record(new)],
        before=(state.token, state.version - 1),
        after=(state.token, state.version),
    )
    return result


def review_pick(
    *, contribution: Contribution, facility: Facility, actor: User | None
) -> Contribution:
    """The row is another facility than the provisional one (a candidate or any facility
    by its public id; a merged facility resolves to the one it was merged into)."""
    if facility.status != Facility.Status.ACTIVE:
        facility = registry.facility_by_public_id(facility.public_id)
    with transaction.atomic(durable=True):
        row = _locked(contribution)
        if facility.country != row.country:
            raise ValidationFailed(
                _("That facility is in another country than the row (%(a)s, %(b)s).")
                % {"a": facility.country, "b": row.country},
                field="facility",
            )
        return _decide(
            row, facility=facility, decision=D.CONFIRMED, actor=actor, action="review.picked"
        )
