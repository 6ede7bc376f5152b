"""The risk register and action plan of a company: risks (checked: theme of the agreement,
scores 1-5, a country, facility or material), the company's own priority order with its
reason, sharing top priority risks with the parties (explicit, revocable consent), SMART
targets with yearly progress and, apart from them, results achieved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Organisation, Theme
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.duediligence.models import (
    ActionProgress,
    ActionResult,
    ActionTarget,
    Risk,
    RiskOrder,
    RiskShare,
)

RISK_FIELDS = (
    "theme",
    "country",
    "facility",
    "material",
    "description",
    "scale",
    "scope",
    "irremediable",
    "likelihood",
    "involvement",
    "leverage",
    "status",
)


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def _score(data: dict[str, Any], field: str, errors: list[dict[str, str]]) -> int:
    raw = data.get(field)
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors.append({"field": field, "message": _("Give a whole number from 1 to 5.")})
    return value


def clean_risk(*, agreement: Agreement, data: dict[str, Any]) -> dict[str, Any]:
    """The risk's fields, checked; raises with every problem listed in `extra["errors"]`."""
    from covenant.supplychain.models import Facility

    errors: list[dict[str, str]] = []
    out: dict[str, Any] = {}
    theme_code = str(data.get("theme") or "").strip()
    theme = Theme.objects.filter(agreement=agreement, code=theme_code).first()
    if theme is None:
        errors.append(
            {
                "field": "theme",
                "message": _("Choose one of the agreement's themes (not '%(code)s').")
                % {"code": theme_code[:40]},
            }
        )
    out["theme"] = theme
    country = str(data.get("country") or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors.append({"field": "country", "message": _("Give a two-letter country code.")})
    out["country"] = country
    facility = None
    public_id = str(data.get("facility") or "").strip()
    if public_id:
        facility = Facility.objects.filter(public_id=public_id).first()
        if facility is None:
            errors.append(
                {
                    "field": "facility",
                    "message": _("There is no facility '%(id)s'.") % {"id": public_id[:40]},
                }
            )
    out["facility"] = facility
    out["material"] = str(data.get("material") or "").strip()[:100]
    if not (country or public_id or out["material"]):
        errors.append(
            {"field": "country", "message": _("Say where: a country, a facility or a material.")}
        )
    description = str(data.get("description") or "").strip()
    if not description:
        errors.append({"field": "description", "message": _("Describe the risk.")})
    elif len(description) > 3000:
        errors.append({"field": "description", "message": _("At most 3000 characters.")})
    out["description"] = description
    for field in ("scale", "scope", "irremediable", "likelihood"):
        out[field] = _score(data, field, errors)
    involvement = str(data.get("involvement") or "")
    if involvement not in Risk.Involvement.values:
        errors.append({"field": "involvement", "message": _("Choose cause, contribute or linked.")})
    out["involvement"] = involvement
    leverage = str(data.get("leverage") or "")
    if leverage not in Risk.Leverage.values:
        errors.append({"field": "leverage", "message": _("Choose low, medium or high.")})
    out["leverage"] = leverage
    status = str(data.get("status") or Risk.Status.OPEN)
    if status not in Risk.Status.values:
        errors.append({"field": "status", "message": _("Choose open or closed.")})
    out["status"] = status
    if errors:
        raise ValidationFailed(
            _("%(n)s field(s) need correcting.") % {"n": len(errors)},
            field=errors[0]["field"],
            extra={"errors": errors},
        )
    return out


def risk_create(
    *, agreement: Agreement, company: Organisation, data: dict[str, Any], actor: User | None
) -> Risk:
    fields = clean_risk(agreement=agreement, data=data)
    with transaction.atomic(durable=True):
        risk = Risk.objects.create(
            agreement=agreement, company=company, created_by=_actor(actor), **fields
        )
        audit_record(
            actor=_actor(actor), action="duediligence.risk.create", obj=risk, organisation=company
        )
        return risk


def risk_update(*, risk: Risk, data: dict[str, Any], actor: User | None) -> Risk:
    """Change a risk (all fields given again)."""
    fields = clean_risk(agreement=risk.agreement, data=data)
    with transaction.atomic(durable=True):
        risk = (
            Risk.objects.select_for_update(of=("self",)).select_related("company").get(pk=risk.pk)
        )
        for key, value in fields.items():
            setattr(risk, key, value)
        risk.save()
        audit_record(
            actor=_actor(actor),
            action="duediligence.risk.update",
            obj=risk,
            organisation=risk.company,
        )
        return risk


def risk_reorder(
    *,
    agreement: Agreement,
    company: Organisation,
    order: list[int],
    reason: str,
    actor: User | None,
) -> RiskOrder:
    """Put the company's own priority order over the computed one; the reason is required
    and shown with every risk that moved. An empty order goes back to the computed one."""
    reason = reason.strip()
    if order and not reason:
        raise ValidationFailed(_("Say why you change the order."), field="reason")
    ids = set(
        Risk.objects.filter(agreement=agreement, company=company).values_list("pk", flat=True)
    )
    unknown = [i for i in order if i not in ids]
    if unknown:
        raise ValidationFailed(
            _("These are not risks of your register: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in unknown[:10])},
            field="order",
        )
    if len(set(order)) != len(order):
        raise ValidationFailed(_("A risk appears twice in the order."), field="order")
    with transaction.atomic(durable=True):
        row = RiskOrder.objects.create(
            agreement=agreement,
            company=company,
            order=list(order),
            reason=reason[:2000],
            actor=_actor(actor),
        )
        audit_record(
            actor=_actor(actor),
            action="duediligence.risk.reorder",
            obj=row,
            organisation=company,
            detail={"order": list(order)},
        )
        return row


def risk_share(*, risk: Risk, consent: bool, message: str, actor: User | None) -> RiskShare:
    """Share one risk with the agreement's parties, with the company's explicit consent. Only
    a risk among the company's top priorities (the framework's number, demo: two) can be
    shared, and at most that many at a time."""
    from covenant.duediligence.selectors.risks import register, share_limit

    if not consent:
        raise ValidationFailed(
            _("Tick the consent box: the parties of the agreement will see this risk."),
            field="consent",
        )
    limit = share_limit(risk.agreement)
    with transaction.atomic(durable=True):
        Risk.objects.select_for_update().filter(company=risk.company_id).first()
        if RiskShare.objects.filter(risk=risk, revoked_at__isnull=True).exists():
            raise ValidationFailed(_("This risk is already shared."), field="risk")
        top = [row.risk.pk for row in register(risk.agreement, risk.company).rows[:limit]]
        if risk.pk not in top:
            raise ValidationFailed(
                _("Only your top %(n)s priority risks can be shared.") % {"n": limit},
                field="risk",
            )
        active = RiskShare.objects.filter(
            risk__company=risk.company_id,
            risk__agreement=risk.agreement_id,
            revoked_at__isnull=True,
        ).count()
        if active >= limit:
            raise ValidationFailed(
                _("You already share %(n)s risks; withdraw one first.") % {"n": active},
                field="risk",
            )
        share = RiskShare.objects.create(
            risk=risk, consented_by=_actor(actor), message=message.strip()[:2000]
        )
        audit_record(
            actor=_actor(actor),
            action="duediligence.risk.share",
            obj=risk,
            organisation=risk.company,
        )
        return share


def risk_unshare(*, risk: Risk, actor: User | None) -> None:
    """Withdraw the consent: the parties no longer see the risk."""
    with transaction.atomic(durable=True):
        updated = RiskShare.objects.filter(risk=risk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=_actor(actor)
        )
        if not updated:
            raise ValidationFailed(_("This risk is not shared."), field="risk")
        audit_record(
            actor=_actor(actor),
            action="duediligence.risk.unshare",
            obj=risk,
            organisation=risk.company,
        )


# --- action plan ---------------------------------------------------------------------
def _decimal(raw: Any, field: str, errors: list[dict[str, str]]) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.append({"field": field, "message": _("Enter a number.")})
        return Decimal(0)
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        errors.append({"field": field, "message": _("Enter a number.")})
        return Decimal(0)
    return value.quantize(Decimal("0.01"))


def _date(raw: Any, field: str, errors: list[dict[str, str]]) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.append({"field": field, "message": _("Give the date as YYYY-MM-DD.")})
        return dt.date(2000, 1, 1)


def _raise(errors: list[dict[str, str]]) -> None:
    if errors:
        raise ValidationFailed(
            _("%(n)s field(s) need correcting.") % {"n": len(errors)},
            field=errors[0]["field"],
            extra={"errors": errors},
        )


def clean_action(data: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    out: dict[str, Any] = {}
    for field, limit in (("target", 500), ("measures", 3000), ("owner", 200), ("indicator", 300)):
        value = str(data.get(field) or "").strip()
        if not value:
            errors.append({"field": field, "message": _("This field is required.")})
        elif len(value) > limit:
            errors.append(
                {"field": field, "message": _("At most %(n)s characters.") % {"n": limit}}
            )
        out[field] = value
    out["deadline"] = _date(data.get("deadline"), "deadline", errors)
    out["baseline"] = _decimal(data.get("baseline"), "baseline", errors)
    out["target_value"] = _decimal(data.get("target_value"), "target_value", errors)
    out["unit"] = str(data.get("unit") or "").strip()[:50]
    status = str(data.get("status") or ActionTarget.Status.PLANNED)
    if status not in ActionTarget.Status.values:
        errors.append({"field": "status", "message": _("Unknown status.")})
    out["status"] = status
    if not errors and out["baseline"] == out["target_value"]:
        errors.append(
            {
                "field": "target_value",
                "message": _("The target value must differ from the baseline."),
            }
        )
    _raise(errors)
    return out


def action_create(*, risk: Risk, data: dict[str, Any], actor: User | None) -> ActionTarget:
    """A SMART target for a risk: specific target, measures, owner, deadline, indicator with
    its baseline and target value."""
    fields = clean_action(data)
    with transaction.atomic(durable=True):
        action = ActionTarget.objects.create(risk=risk, **fields)
        audit_record(
            actor=_actor(actor),
            action="duediligence.action.create",
            obj=action,
            organisation=risk.company,
        )
        return action


def action_update(
    *, action: ActionTarget, data: dict[str, Any], actor: User | None
) -> ActionTarget:
    fields = clean_action(data)
    with transaction.atomic(durable=True):
        for key, value in fields.items():
            setattr(action, key, value)
        action.save()
        audit_record(
            actor=_actor(actor),
            action="duediligence.action.update",
            obj=action,
            organisation=action.risk.company,
        )
        return action


def action_progress_record(
    *, action: ActionTarget, year: Any, value: Any, note: str, actor: User | None
) -> ActionProgress:
    """The indicator's value in a year (recorded again: replaced)."""
    errors: list[dict[str, str]] = []
    try:
        year_n = int(str(year))
    except ValueError:
        year_n = 0
    if not 2000 <= year_n <= 2100:
        errors.append({"field": "year", "message": _("Give a year between 2000 and 2100.")})
    amount = _decimal(value, "value", errors)
    _raise(errors)
    with transaction.atomic(durable=True):
        progress, _created = ActionProgress.objects.update_or_create(
            action=action, year=year_n, defaults={"value": amount, "note": note.strip()[:2000]}
        )
        if action.status == ActionTarget.Status.PLANNED:
            action.status = ActionTarget.Status.IN_PROGRESS
            action.save(update_fields=["status", "updated_at"])
        return progress


def action_result_record(
    *, action: ActionTarget, data: dict[str, Any], actor: User | None
) -> ActionResult:
    """A result achieved, recorded apart from the plan (points in the framework go to results,
    not only to plans)."""
    errors: list[dict[str, str]] = []
    achieved_on = _date(data.get("achieved_on"), "achieved_on", errors)
    description = str(data.get("description") or "").strip()
    if not description:
        errors.append({"field": "description", "message": _("Describe the result.")})
    url = str(data.get("evidence_url") or "").strip()
    if url and not (url.startswith("https://") or url.startswith("http://")):
        errors.append(
            {
                "field": "evidence_url",
                "message": _("Give a link starting with https:// or http://."),
            }
        )
    _raise(errors)
    with transaction.atomic(durable=True):
        result = ActionResult.objects.create(
            action=action,
            achieved_on=achieved_on,
            description=description[:3000],
            evidence_url=url[:500],
        )
        audit_record(
            actor=_actor(actor),
            action="duediligence.action.result",
            obj=action,
            organisation=action.risk.company,
        )
        return result
