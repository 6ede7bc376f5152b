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
)
from covenant.core.audit import audit_confidential_read
from covenant.core.errors import NotFound, ValidationFailed


def _agreement(slug: str) -> Agreement:
    agreement = Agreement.objects.select_related("secretariat").filter(slug=slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": slug})
    return agreement


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(_("There is no organisation '%(slug)s'.") % {"slug": slug})
    return org


def access_agreement_public(*, slug: str) -> Agreement:
    return _agreement(slug)


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
