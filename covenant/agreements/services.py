"""Writes for agreements, organisations, brands, memberships, signatories, commitments and
market-coverage figures. Each public service owns its transaction and writes its audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.agreements.models import (
    Agreement,
    Brand,
    Commitment,
    CommitmentTarget,
    MarketSize,
    Membership,
    MembershipEvent,
    Organisation,
    Signatory,
    TargetProgress,
    Theme,
    Turnover,
)
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.core.side_effects import on_commit

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_AMOUNT = Decimal("1e15")

S = Membership.Status
# Allowed membership transitions: from -> to.
TRANSITIONS: dict[str, set[str]] = {
    S.APPLIED: {S.ACTIVE, S.ASSOCIATED, S.REJECTED},
    S.ACTIVE: {S.SUSPENDED, S.ENDED, S.ASSOCIATED},
    S.ASSOCIATED: {S.SUSPENDED, S.ENDED, S.ACTIVE},
    S.SUSPENDED: {S.ACTIVE, S.ASSOCIATED, S.ENDED},
    S.ENDED: set(),
    S.REJECTED: set(),
}


def _check_year(year: int, field: str = "year") -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            _("Year must be a whole number between %(min)d and %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            field=field,
        )
    return year


def _check_amount(amount: Any, field: str, *, positive: bool = False) -> Decimal:
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter an amount in euros, e.g. 1250000."), field=field) from None
    if not value.is_finite() or value < 0 or (positive and value == 0) or value >= MAX_AMOUNT:
        raise ValidationFailed(
            _("Enter an amount in euros greater than zero.")
            if positive
            else _("Enter an amount in euros of zero or more."),
            field=field,
        )
    return value.quantize(Decimal(1))


def _unique_slug(model: type, base: str) -> str:
    base = slugify(base)[:200] or "organisation"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():  # type: ignore[attr-defined]
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- organisations and brands ----------------------------------------------------------
def organisation_create(
    *,
    name: str,
    type: str,
    actor: User | None,
    country: str = "NL",
    city: str = "",
    website: str = "",
    description: str = "",
    slug: str | None = None,
) -> Organisation:
    """Register an organisation of any type."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("A name is required."), field="name")
    if type not in Organisation.Type.values:
        raise ValidationFailed(_("Unknown organisation type."), field="type")
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            slug=slug or _unique_slug(Organisation, name),
            type=type,
            country=(country or "NL").upper()[:2],
            city=city,
            website=website,
            description=description,
        )
        audit_record(actor=actor, action="organisation.create", obj=org, organisation=org)
    return org


def organisation_update(
    *, organisation: Organisation, actor: User | None, **fields: Any
) -> Organisation:
    allowed = {"name", "city", "website", "description", "country"}
    changed = {k: v for k, v in fields.items() if k in allowed and getattr(organisation, k) != v}
    if "name" in changed and not str(changed["name"]).strip():
        raise ValidationFailed(_("A name is required."), field="name")
    with transaction.atomic():
        for key, value in changed.items():
            setattr(organisation, key, value)
        organisation.save()
        if changed:
            audit_record(
                actor=actor,
                action="organisation.update",
                obj=organisation,
                organisation=organisation,
                detail={"fields": sorted(changed)},
            )
    return organisation


def brand_create(*, company: Organisation, name: str, actor: User | None) -> Brand:
    name = name.strip()
    if not company.is_company:
        raise ValidationFailed(_("Only companies own brands."), field="company")
    if not name:
        raise ValidationFailed(_("A brand name is required."), field="name")
    if len(name) > 200:
        raise ValidationFailed(_("A brand name is at most 200 characters."), field="name")
    if Brand.objects.filter(company=company, name__iexact=name).exists():
        raise ValidationFailed(_("This company already has a brand with that name."), field="name")
    with transaction.atomic():
        brand = Brand.objects.create(company=company, name=name)
        audit_record(actor=actor, action="brand.create", obj=brand, organisation=company)
    return brand


def brand_delete(*, brand: Brand, actor: User | None) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="brand.delete", obj=brand, organisation=brand.company)
        brand.delete()


# --- memberships -----------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _require_status(membership: Membership, allowed: set[str], to: str) -> None:
    """Some changes start from one state only: approve an application, reinstate a suspension.
    TRANSITIONS alone would let `reinstate` admit an applicant or `approve` lift a suspension."""
    if membership.status not in allowed:
        raise ValidationFailed(
            _("A membership that is %(current)s cannot become %(to)s.")
            % {"current": S(membership.status).label.lower(), "to": S(to).label.lower()},
            field="status",
        )


def _transition(
    *,
    membership: Membership,
    to: str,
    actor: User | None,
    effective_on: dt.date | None,
    reason: str = "",
    note: str = "",
) -> Membership:
    effective_on = effective_on or _today()
    current = membership.status
    if to not in TRANSITIONS.get(current, set()):
        raise ValidationFailed(
            _("A membership that is %(current)s cannot become %(to)s.")
            % {"current": S(current).label.lower(), "to": S(to).label.lower()},
            field="status",
        )
    last = membership.events.order_by("-effective_on", "-id").first()
    if last is not None and effective_on < last.effective_on:
        raise ValidationFailed(
            _("The date cannot be before the previous change (%(date)s).")
            % {"date": last.effective_on.isoformat()},
            field="effective_on",
        )
    membership.status = to
    if to in (S.ACTIVE, S.ASSOCIATED) and membership.joined_on is None:
        membership.joined_on = effective_on
    if to == S.ENDED:
        membership.ended_on = effective_on
        membership.end_reason = reason
    membership.save()
    event = MembershipEvent.objects.create(
        membership=membership,
        from_status=current,
        to_status=to,
        effective_on=effective_on,
        reason=reason,
        note=note,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=f"membership.{to}",
        obj=membership,
        organisation=membership.company,
        detail={
            "from": current,
            "to": to,
            "effective_on": effective_on.isoformat(),
            "reason": reason,
        },
    )
    _notify(event)
    return membership


def _notify(event: MembershipEvent) -> None:
    """E-mail the people concerned, once the change is committed."""
    from covenant.agreements.tasks import notify_membership_event

    on_commit(notify_membership_event.enqueue, event.pk)


def membership_apply(
    *,
    agreement: Agreement,
    company: Organisation,
    actor: User | None,
    applied_on: dt.date | None = None,
    note: str = "",
) -> Membership:
    """A company applies to join an agreement (entered by the company or the secretariat)."""
    if not company.is_company:
        raise ValidationFailed(_("Only companies can become members."), field="company")
    applied_on = applied_on or _today()
    open_exists = Membership.objects.filter(agreement=agreement, company=company).exclude(
        status__in=[S.ENDED, S.REJECTED]
    )
    if open_exists.exists():
        raise ValidationFailed(
            _("%(company)s already has an open application or membership for this agreement.")
            % {"company": company.name},
            field="company",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                agreement=agreement, company=company, status=S.APPLIED, applied_on=applied_on
            )
            event = MembershipEvent.objects.create(
                membership=membership,
                from_status="",
                to_status=S.APPLIED,
                effective_on=applied_on,
                note=note,
                actor=actor,
            )
            audit_record(
                actor=actor,
                action="membership.applied",
                obj=membership,
                organisation=company,
                detail={"agreement": agreement.slug, "applied_on": applied_on.isoformat()},
            )
            _notify(event)
    except IntegrityError:  # a concurrent application won the race
        raise ValidationFailed(
            _("This company already has an open application."), field="company"
        ) from None
    return membership


def membership_approve(
    *,
    membership: Membership,
    actor: User | None,
    effective_on: dt.date | None = None,
    sister_initiative: str = "",
    note: str = "",
) -> Membership:
    """Admit an applicant: active, or associated when admitted through a sister initiative."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if sister_initiative:
            membership.sister_initiative = sister_initiative.strip()[:200]
        to = S.ASSOCIATED if membership.sister_initiative else S.ACTIVE
        _require_status(membership, {S.APPLIED}, to)
        return _transition(
            membership=membership, to=to, actor=actor, effective_on=effective_on, note=note
        )


def membership_reject(*, membership: Membership, actor: User | None, note: str = "") -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        return _transition(
            membership=membership, to=S.REJECTED, actor=actor, effective_on=None, note=note
        )


def membership_suspend(
    *,
    membership: Membership,
    actor: User | None,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Membership:
    if not note.strip():
        raise ValidationFailed(_("Give the reason for the suspension."), field="note")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        return _transition(
            membership=membership, to=S.SUSPENDED, actor=actor, effective_on=effective_on, note=note
        )


def membership_reinstate(
    *,
    membership: Membership,
    actor: User | None,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        to = S.ASSOCIATED if membership.sister_initiative else S.ACTIVE
        _require_status(membership, {S.SUSPENDED}, to)
        return _transition(
            membership=membership, to=to, actor=actor, effective_on=effective_on, note=note
        )


def membership_end(
    *,
    membership: Membership,
    reason: str,
    actor: User | None,
    effective_on: dt.date | None = None,
    note: str = "",
    merged_into: Organisation | None = None,
) -> Membership:
    """End a membership with a reason: left, bankruptcy, excluded or merged."""
    if reason not in Membership.EndReason.values:
        raise ValidationFailed(
            _("Choose why the membership ends: left, bankruptcy, excluded or merged."),
            field="reason",
        )
    if (
        reason == Membership.EndReason.MERGED
        and merged_into is not None
        and not merged_into.is_company
    ):
        raise ValidationFailed(
            _("A company can only merge into another company."), field="merged_into"
        )
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if merged_into is not None:
            membership.merged_into = merged_into
        return _transition(
            membership=membership,
            to=S.ENDED,
            actor=actor,
            effective_on=effective_on,
            reason=reason,
            note=note,
        )


# --- signatories and commitments -------------------------------------------------------
def signatory_add(
    *,
    agreement: Agreement,
    organisation: Organisation,
    kind: str,
    actor: User | None,
    joined_on: dt.date | None = None,
    declaration: str = "",
) -> Signatory:
    if kind == Signatory.Kind.PARTY and not organisation.is_party_type:
        raise ValidationFailed(
            _("Parties are trade unions, NGOs, trade associations or government."),
            field="organisation",
        )
    if Signatory.objects.filter(agreement=agreement, organisation=organisation).exists():
        raise ValidationFailed(_("This organisation has already signed."), field="organisation")
    with transaction.atomic():
        sig = Signatory.objects.create(
            agreement=agreement,
            organisation=organisation,
            kind=kind,
            joined_on=joined_on or _today(),
            declaration=declaration,
        )
        if kind == Signatory.Kind.PARTY:
            Commitment.objects.create(signatory=sig)
        audit_record(actor=actor, action=f"signatory.{kind}", obj=sig, organisation=organisation)
    return sig


COMMITMENT_FIELDS = ("why_at_table", "contribution", "mandate", "expectations")


def commitment_update(*, commitment: Commitment, actor: User | None, **fields: str) -> Commitment:
    """Update the letter of intent of a party."""
    for key, value in fields.items():
        if key not in COMMITMENT_FIELDS:
            raise ValidationFailed(_("Unknown field."), field=key)
        if len(value or "") > 5000:
            raise ValidationFailed(_("At most 5000 characters."), field=key)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(commitment, key, (value or "").strip())
        commitment.save()
        audit_record(
            actor=actor,
            action="commitment.update",
            obj=commitment,
            organisation=commitment.signatory.organisation,
            detail={"fields": sorted(fields)},
        )
    return commitment


def commitment_target_add(
    *,
    commitment: Commitment,
    description: str,
    indicator: str,
    target_value: Any,
    due_year: int,
    actor: User | None,
    baseline: Any = 0,
    unit: str = "",
    theme: Theme | None = None,
) -> CommitmentTarget:
    """Add a SMART target: specific (description), measurable (indicator, baseline, target),
    time-bound (due year)."""
    if not description.strip():
        raise ValidationFailed(_("Describe the target."), field="description")
    if not indicator.strip():
        raise ValidationFailed(_("Say how the target is measured."), field="indicator")
    _check_year(due_year, "due_year")
    target = _check_number(target_value, "target_value")
    base = _check_number(baseline, "baseline")
    if theme is not None and theme.agreement_id != commitment.signatory.agreement_id:
        raise ValidationFailed(_("The theme belongs to another agreement."), field="theme")
    with transaction.atomic():
        obj = CommitmentTarget.objects.create(
            commitment=commitment,
            description=description.strip()[:500],
            indicator=indicator.strip()[:300],
            target_value=target,
            baseline=base,
            unit=unit.strip()[:50],
            due_year=due_year,
            theme=theme,
        )
        audit_record(
            actor=actor,
            action="commitment.target_add",
            obj=obj,
            organisation=commitment.signatory.organisation,
        )
    return obj


def _check_number(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationFailed(_("Enter a number."), field=field)
    return number


def target_progress_set(
    *, target: CommitmentTarget, year: int, value: Any, actor: User | None, note: str = ""
) -> TargetProgress:
    """Record (or correct) a target's value for a year."""
    _check_year(year)
    number = _check_number(value, "value")
    with transaction.atomic():
        obj, _created = TargetProgress.objects.update_or_create(
            target=target, year=year, defaults={"value": number, "note": note.strip()[:2000]}
        )
        audit_record(
            actor=actor,
            action="commitment.progress",
            obj=target,
            organisation=target.commitment.signatory.organisation,
            detail={"year": year, "value": str(number)},
        )
    return obj


# --- market coverage -------------------------------------------------------------------
def turnover_set(
    *, company: Organisation, year: int, amount_eur: Any, actor: User | None
) -> Turnover:
    """Record a company's turnover on the national market for a year (confidential)."""
    if not company.is_company:
        raise ValidationFailed(_("Only companies report turnover."), field="company")
    _check_year(year)
    amount = _check_amount(amount_eur, "amount_eur")
    with transaction.atomic():
        obj, created = Turnover.objects.update_or_create(
            company=company, year=year, defaults={"amount_eur": amount, "entered_by": actor}
        )
        # The amount itself stays out of the audit log: the log is read more widely.
        audit_record(
            actor=actor,
            action="turnover.set",
            obj=company,
            organisation=company,
            detail={"year": year, "created": created},
        )
    return obj


def market_size_set(
    *, agreement: Agreement, year: int, amount_eur: Any, actor: User | None, source: str = ""
) -> MarketSize:
    _check_year(year)
    amount = _check_amount(amount_eur, "amount_eur", positive=True)
    with transaction.atomic():
        obj, _created = MarketSize.objects.update_or_create(
            agreement=agreement,
            year=year,
            defaults={"amount_eur": amount, "source": source.strip()[:300], "entered_by": actor},
        )
        audit_record(
            actor=actor,
            action="market_size.set",
            obj=obj,
            detail={"agreement": agreement.slug, "year": year, "amount_eur": str(amount)},
        )
    return obj
