"""Fetch-and-authorise helpers used by pages and API alike. Each returns the object or raises
NotFound / PermissionDenied / TwoFactorRequired; reads of confidential company data by the
secretariat are written to the audit log here, so no interface can forget it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.models import (
    Agreement,
    Brand,
    Commitment,
    CommitmentTarget,
    Membership,
    Organisation,
    Signatory,
    Theme,
)
from covenant.core.audit import audit_confidential_read
from covenant.core.errors import NotFound, ValidationFailed


def _agreement(slug: str, *, prefetch: bool = False) -> Agreement:
    qs = Agreement.objects.select_related("secretariat", "committee")
    if prefetch:
        qs = qs.prefetch_related("themes", "dd_steps", "coverage_targets")
    agreement = qs.filter(slug=slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": slug})
    return agreement


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(_("There is no organisation '%(slug)s'.") % {"slug": slug})
    return org


def access_agreement_public(*, slug: str, prefetch: bool = False) -> Agreement:
    """Any agreement (public); `prefetch` loads its themes, steps and coverage targets."""
    return _agreement(slug, prefetch=prefetch)


def access_agreement_secretariat(*, principal: Principal, slug: str) -> Agreement:
    """The agreement, for the staff of its secretariat."""
    agreement = _agreement(slug)
    principal.require(principal.can_manage_memberships(agreement))
    return agreement


def access_company_confidential(*, principal: Principal, slug: str, what: str) -> Organisation:
    """A company's confidential data (`what` names it for the audit log): for the company's
    own users and the secretariat; reads by the secretariat are audited."""
    company = _organisation(slug)
    if not company.is_company:
        raise NotFound(_("'%(slug)s' is not a company.") % {"slug": slug})
    principal.require(principal.can_view_company_confidential(company))
    if company.pk not in principal.company_ids:
        assert principal.user is not None
        audit_confidential_read(actor=principal.user, what=what, organisation=company)
    return company


def access_company_edit(*, principal: Principal, slug: str) -> Organisation:
    company = _organisation(slug)
    if not company.is_company:
        raise NotFound(_("'%(slug)s' is not a company.") % {"slug": slug})
    principal.require(principal.can_edit_company(company))
    return company


def access_company_apply(*, principal: Principal, slug: str) -> Organisation:
    company = _organisation(slug)
    principal.require(principal.can_apply_for_membership(company))
    return company


def access_brand_edit(*, principal: Principal, brand_id: int) -> Brand:
    brand = Brand.objects.select_related("company").filter(pk=brand_id).first()
    if brand is None:
        raise NotFound(_("There is no such brand."))
    principal.require(principal.can_edit_company(brand.company))
    return brand


def access_membership(
    *, principal: Principal, membership_id: int, manage: bool = False
) -> Membership:
    """A membership with its history: the company's own users and the secretariat read it;
    only the agreement's secretariat changes it."""
    membership = (
        Membership.objects.select_related("agreement", "agreement__secretariat", "company")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("There is no such membership."))
    if manage:
        principal.require(principal.can_manage_memberships(membership.agreement))
    else:
        principal.require(
            membership.company_id in principal.company_ids
            or principal.is_secretariat_for(membership.agreement)
        )
        if membership.company_id not in principal.company_ids:
            assert principal.user is not None
            audit_confidential_read(
                actor=principal.user,
                what="membership_history",
                organisation=membership.company,
                detail={"membership": membership.pk},
            )
    return membership


def access_commitment_edit(
    *, principal: Principal, agreement_slug: str, org_slug: str
) -> Commitment:
    """A party's letter of intent and action plan, for that party's members (and the secretariat)."""
    signatory = (
        Signatory.objects.select_related("organisation", "agreement", "commitment")
        .filter(
            agreement__slug=agreement_slug, organisation__slug=org_slug, kind=Signatory.Kind.PARTY
        )
        .first()
    )
    if signatory is None:
        raise NotFound(_("This organisation is not a party to this agreement."))
    principal.require(
        signatory.organisation_id in principal.party_org_ids
        or principal.is_secretariat_for(signatory.agreement)
    )
    commitment, _created = Commitment.objects.get_or_create(signatory=signatory)
    return commitment


def access_target_edit(*, principal: Principal, target_id: int) -> CommitmentTarget:
    target = (
        CommitmentTarget.objects.select_related(
            "commitment__signatory__organisation", "commitment__signatory__agreement"
        )
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise NotFound(_("There is no such target."))
    sig = target.commitment.signatory
    principal.require(
        sig.organisation_id in principal.party_org_ids
        or principal.is_secretariat_for(sig.agreement)
    )
    return target


def get_company_for_application(*, slug: str) -> Organisation:
    company = _organisation(slug)
    if not company.is_company:
        raise ValidationFailed(_("Only companies can become members."), field="company")
    return company


def access_coverage_by_company(*, principal: Principal, agreement: Agreement, year: int) -> list:
    """Each member's turnover and market share in a year: the agreement's secretariat only;
    one confidential-read audit row per company whose turnover is shown."""
    from covenant.agreements.selectors import coverage_by_company

    principal.require(principal.can_set_market_size(agreement))
    rows = coverage_by_company(agreement, year)
    assert principal.user is not None
    for row in rows:
        if row.amount_eur is not None:
            audit_confidential_read(
                actor=principal.user,
                what="turnover",
                organisation=row.company,
                detail={"year": year},
            )
    return rows


def access_organisation_public(*, slug: str) -> Organisation:
    """Any organisation's public profile (name, type, brands, memberships, signatures)."""
    return _organisation(slug)


def access_commitment_public(*, agreement_slug: str, org_slug: str) -> Commitment:
    """A party's letter of intent with its targets and progress: public."""
    commitment = (
        Commitment.objects.select_related("signatory__organisation", "signatory__agreement")
        .prefetch_related("targets__progress", "targets__theme")
        .filter(
            signatory__agreement__slug=agreement_slug,
            signatory__organisation__slug=org_slug,
            signatory__kind=Signatory.Kind.PARTY,
        )
        .first()
    )
    if commitment is None:
        raise NotFound(_("This organisation is not a party to this agreement."))
    return commitment


def access_membership_application(
    *, principal: Principal, agreement_slug: str, company_slug: str
) -> tuple[Agreement, Organisation]:
    """An application to join: entered by the agreement's secretariat, or by an admin of the
    company itself. An unknown company is an input error on the `company` field."""
    agreement = _agreement(agreement_slug)
    company = Organisation.objects.filter(slug=company_slug).first()
    principal.require(
        principal.can_manage_memberships(agreement)
        or (company is not None and principal.can_apply_for_membership(company))
    )
    if company is None:
        raise ValidationFailed(
            _("There is no organisation '%(slug)s'.") % {"slug": company_slug}, field="company"
        )
    return agreement, company


def get_organisation_for_field(*, slug: str, field: str) -> Organisation:
    """An organisation named in input (not in the path): unknown is an error on `field`."""
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise ValidationFailed(
            _("There is no organisation '%(slug)s'.") % {"slug": slug}, field=field
        )
    return org


def get_theme_for_field(*, agreement: Agreement, code: str, field: str = "theme") -> Theme:
    theme = Theme.objects.filter(agreement=agreement, code=code).first()
    if theme is None:
        raise ValidationFailed(
            _("The agreement has no theme '%(code)s'.") % {"code": code}, field=field
        )
    return theme
