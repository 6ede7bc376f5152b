"""Shared suppliers: a company opts in (or withdraws) to be introduced to the other members
that use one of its facilities; when two or more users of a facility have opted in, the
secretariat introduces them. The introduction is recorded, audited and e-mailed to the
companies' admins by the task worker after the transaction commits.

Consent is the point: a company's name is given to another company only through an
introduction, and an introduction only includes companies that opted in for that facility
and still use it (their latest accepted disclosure lists it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.core.side_effects import on_commit
from covenant.supplychain.models import Facility, Introduction, IntroductionOptIn
from covenant.supplychain.selectors.sharing import facility_users

if TYPE_CHECKING:
    from covenant.accounts.models import User
    from covenant.agreements.models import Agreement, Organisation


def _uses(agreement: Agreement, company: Organisation, facility: Facility) -> set[int]:
    users = facility_users(agreement).get(facility.pk, set())
    if company.pk not in users:
        raise ValidationFailed(
            _("This facility is not on your latest list of production locations."),
            field="facility",
        )
    return users


def introduction_opt_in(
    *, agreement: Agreement, company: Organisation, facility: Facility, actor: User | None
) -> IntroductionOptIn:
    """The company agrees to be introduced to the other members that use `facility`
    (idempotent: opting in twice keeps the first)."""
    with transaction.atomic():
        _uses(agreement, company, facility)
        opt_in, created = IntroductionOptIn.objects.get_or_create(
            agreement=agreement,
            facility=facility,
            company=company,
            defaults={"created_by": actor if actor is not None and actor.pk else None},
        )
        if created:
            audit_record(
                actor=actor,
                action="introduction.opted_in",
                obj=facility,
                organisation=company,
                detail={"facility": facility.public_id},
            )
    return opt_in


def introduction_opt_out(
    *, agreement: Agreement, company: Organisation, facility: Facility, actor: User | None
) -> bool:
    """Withdraw the company's opt-in for `facility`. Returns whether there was one.
    Introductions already made stay recorded."""
    with transaction.atomic():
        deleted, _rows = IntroductionOptIn.objects.filter(
            agreement=agreement, facility=facility, company=company
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="introduction.withdrawn",
                obj=facility,
                organisation=company,
                detail={"facility": facility.public_id},
            )
    return bool(deleted)


def introduction_make(
    *, agreement: Agreement, facility: Facility, actor: User | None, note: str = ""
) -> Introduction:
    """Introduce to each other the companies that opted in for `facility` and still use it
    (two or more are needed). Companies already introduced at this facility are not
    introduced again: a new introduction needs at least one newcomer."""
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        users = facility_users(agreement).get(facility.pk, set())
        opted = set(
            IntroductionOptIn.objects.filter(
                agreement=agreement, facility=facility, company_id__in=users
            ).values_list("company_id", flat=True)
        )
        if len(opted) < 2:
            raise ValidationFailed(
                _("At least two companies that use this facility must have opted in."),
                field="facility",
            )
        already: set[int] = set()
        for intro in Introduction.objects.filter(agreement=agreement, facility=facility):
            members = set(intro.companies.values_list("pk", flat=True))
            if opted <= members:
                raise ValidationFailed(
                    _("These companies were introduced at this facility already."),
                    field="facility",
                )
            already |= members
        introduction = Introduction.objects.create(
            agreement=agreement,
            facility=facility,
            made_by=actor if actor is not None and actor.pk else None,
            note=note,
        )
        introduction.companies.set(sorted(opted))
        audit_record(
            actor=actor,
            action="introduction.made",
            obj=facility,
            detail={
                "facility": facility.public_id,
                "companies": sorted(opted),
                "introduction": introduction.pk,
            },
        )
        from covenant.supplychain.tasks import notify_introduction

        on_commit(notify_introduction.enqueue, introduction.pk)
    return introduction


def introduction_notify(*, introduction_id: int) -> int:
    """E-mail the admins of each introduced company the names of the other companies and
    the facility. Returns the number of e-mails sent (0 when the introduction is gone)."""
    from covenant.accounts.models import RoleName, User

    introduction = (
        Introduction.objects.select_related("facility", "agreement")
        .filter(pk=introduction_id)
        .first()
    )
    if introduction is None:
        return 0
    companies = list(introduction.companies.order_by("name"))
    sent = 0
    for company in companies:
        others = [c for c in companies if c.pk != company.pk]
        recipients = User.objects.filter(
            is_active=True, roles__organisation=company, roles__role=RoleName.COMPANY_ADMIN
        ).distinct()
        for user in recipients.exclude(email=""):
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context = {
                    "introduction": introduction,
                    "facility": introduction.facility,
                    "agreement": introduction.agreement,
                    "company": company,
                    "others": others,
                    "user": user,
                }
                subject = render_to_string(
                    "supplychain/sharing_introduction_email_subject.txt", context
                ).strip()
                body = render_to_string("supplychain/sharing_introduction_email.txt", context)
            sent += send_mail(subject, body, None, [user.email])
    return sent
