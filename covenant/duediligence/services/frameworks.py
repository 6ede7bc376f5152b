"""Assessment frameworks: import a framework file as a new draft version, publish it (after
which it never changes), start the next version from an existing one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Theme
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.duediligence.framework_file import validate_framework_file
from covenant.duediligence.models import (
    CountryRiskHint,
    Criterion,
    Framework,
    MinimumScore,
    OutcomeCategory,
    Section,
)
from covenant.duediligence.selectors.frameworks import framework_export


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def framework_import(*, agreement: Agreement, data: Any, actor: User | None) -> Framework:
    """Validate a framework file against the agreement (its themes and OECD steps) and save it
    as the agreement's next version, a draft. Every problem is reported at once, in
    `extra["errors"]` (field path and message); nothing is saved then."""
    themes = {t.code: t for t in Theme.objects.filter(agreement=agreement)}
    steps = set(agreement.dd_steps.values_list("number", flat=True))
    spec, errors = validate_framework_file(data, theme_codes=themes, step_numbers=steps)
    if errors:
        raise ValidationFailed(
            _("The framework file has %(n)s problem(s); nothing was saved.")
            % {"n": len(errors.errors)},
            field=errors.errors[0]["field"] or "file",
            extra={"errors": errors.errors},
        )
    with transaction.atomic(durable=True):
        return _save(agreement=agreement, spec=spec, themes=themes, actor=actor)


def _save(
    *, agreement: Agreement, spec: dict[str, Any], themes: dict[str, Theme], actor: User | None
) -> Framework:
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    last = Framework.objects.filter(agreement=agreement).aggregate(v=Max("version"))["v"] or 0
    framework = Framework.objects.create(
        agreement=agreement,
        version=last + 1,
        name_nl=spec["name"]["nl"],
        name_en=spec["name"]["en"],
        description_nl=spec["description"]["nl"],
        description_en=spec["description"]["en"],
        valid_from_year=spec["valid_from_year"],
        shared_priority_risks=spec["shared_priority_risks"],
        created_by=_actor(actor),
    )
    criteria: list[Criterion] = []
    for si, s in enumerate(spec["sections"], 1):
        section = Section.objects.create(
            framework=framework,
            code=s["code"],
            sort_order=si,
            kind=s["kind"],
            name_nl=s["name"]["nl"],
            name_en=s["name"]["en"],
            description_nl=s["description"]["nl"],
            description_en=s["description"]["en"],
            oecd_steps=s["oecd_steps"],
        )
        for ci, c in enumerate(s["criteria"], 1):
            criteria.append(
                Criterion(
                    section=section,
                    code=c["code"],
                    sort_order=ci,
                    text_nl=c["text"]["nl"],
                    text_en=c["text"]["en"],
                    guidance_nl=c["guidance"]["nl"],
                    guidance_en=c["guidance"]["en"],
                    examples_nl=c["examples"]["nl"],
                    examples_en=c["examples"]["en"],
                    answer_type=c["answer_type"],
                    options=c["options"],
                    required=c["required"],
                    points=c["points"],
                    scoring=c["scoring"],
                    theme=themes.get(c["theme"]) if c["theme"] else None,
                )
            )
    Criterion.objects.bulk_create(criteria)
    MinimumScore.objects.bulk_create(
        MinimumScore(
            framework=framework, membership_year=m["membership_year"], min_percent=m["min_percent"]
        )
        for m in spec["minimums"]
    )
    OutcomeCategory.objects.bulk_create(
        OutcomeCategory(
            framework=framework,
            code=o["code"],
            sort_order=i,
            name_nl=o["name"]["nl"],
            name_en=o["name"]["en"],
            rule=o["rule"],
        )
        for i, o in enumerate(spec["outcomes"], 1)
    )
    CountryRiskHint.objects.bulk_create(
        CountryRiskHint(
            framework=framework,
            theme=themes[h["theme"]],
            country=h["country"],
            level=h["level"],
            note_nl=h["note"]["nl"],
            note_en=h["note"]["en"],
        )
        for h in spec["country_risks"]
    )
    audit_record(
        actor=_actor(actor),
        action="duediligence.framework.import",
        obj=framework,
        detail={"version": framework.version, "criteria": len(criteria)},
    )
    return framework


def framework_publish(*, framework: Framework, actor: User | None) -> Framework:
    """Publish a draft: from now on it is the framework of its reporting years and is never
    changed. An earlier published version with the same first year is retired."""
    with transaction.atomic(durable=True):
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.status != Framework.Status.DRAFT:
            raise ValidationFailed(
                _("Version %(v)s is already %(status)s; only a draft can be published.")
                % {"v": framework.version, "status": framework.get_status_display()},
                field="status",
            )
        Framework.objects.filter(
            agreement_id=framework.agreement_id,
            status=Framework.Status.PUBLISHED,
            valid_from_year=framework.valid_from_year,
        ).update(status=Framework.Status.RETIRED)
        framework.status = Framework.Status.PUBLISHED
        framework.published_at = timezone.now()
        framework.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=_actor(actor), action="duediligence.framework.publish", obj=framework)
        return framework


def framework_new_version(
    *, framework: Framework, valid_from_year: int, actor: User | None
) -> Framework:
    """A new draft version that starts as a copy of `framework`, for `valid_from_year`."""
    if not 2000 <= valid_from_year <= 2100:
        raise ValidationFailed(
            _("Give a reporting year between 2000 and 2100."), field="valid_from_year"
        )
    data = framework_export(framework)
    data["valid_from_year"] = valid_from_year
    return framework_import(agreement=framework.agreement, data=data, actor=actor)


def framework_delete_draft(*, framework: Framework, actor: User | None) -> None:
    """Throw away a draft version (a published one is kept for the assessments made with it)."""
    with transaction.atomic(durable=True):
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.status != Framework.Status.DRAFT:
            raise ValidationFailed(_("Only a draft version can be deleted."), field="status")
        audit_record(actor=_actor(actor), action="duediligence.framework.delete", obj=framework)
        framework.delete()
