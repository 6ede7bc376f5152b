"""Fetch-and-authorise helpers of the supply chain, used by pages and API alike. Each returns
the object or raises NotFound / PermissionDenied / TwoFactorRequired; reads of a company's
locations by the secretariat are audited here. Rules themselves live in
covenant/accounts/permissions.py."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.access import access_company_confidential
from covenant.agreements.models import Agreement, Organisation
from covenant.core.audit import audit_confidential_read
from covenant.core.errors import NotFound, ValidationFailed
from covenant.supplychain.models import Contribution, Disclosure, Facility
from covenant.supplychain.services.registry import facility_by_public_id


def _company(slug: str) -> Organisation:
    company = Organisation.objects.filter(slug=slug).first()
    if company is None or not company.is_company:
        raise NotFound(_("There is no company '%(slug)s'.") % {"slug": slug[:80]})
    return company


def _audit_read(
    principal: Principal, company: Organisation, what: str, detail: dict | None = None
) -> None:
    if company.pk not in principal.company_ids:
        assert principal.user is not None
        audit_confidential_read(
            actor=principal.user, what=what, organisation=company, detail=detail
        )


def access_company_locations(*, principal: Principal, slug: str) -> Organisation:
    """A company's production locations and disclosures: its own users and the secretariat
    of its agreement (audited)."""
    return access_company_confidential(principal=principal, slug=slug, what="locations")


def access_company_disclose(*, principal: Principal, slug: str) -> Organisation:
    """Uploading or adding locations for a company: its admins."""
    company = _company(slug)
    principal.require(principal.can_disclose_locations(company))
    return company


def get_disclosure_agreement(*, company: Organisation, slug: str | None) -> Agreement:
    """The agreement a company discloses to: the one named, else its only (first) one."""
    from covenant.supplychain.selectors.disclosures import disclosure_agreements

    agreements = disclosure_agreements(company=company)
    if slug:
        for agreement in agreements:
            if agreement.slug == slug:
                return agreement
        raise ValidationFailed(
            _("%(company)s is not a member of an agreement '%(slug)s'.")
            % {"company": company.name, "slug": slug[:80]},
            field="agreement",
        )
    if not agreements:
        raise ValidationFailed(
            _("Only member companies of an agreement disclose production locations."),
            field="agreement",
        )
    return agreements[0]


def access_disclosure(
    *,
    principal: Principal,
    disclosure_id: int,
    company_slug: str | None = None,
    manage: bool = False,
) -> Disclosure:
    """One upload (job) with its rows: the company's users and its agreement's secretariat
    read it (secretariat reads audited); `manage` (re-run) is for the company's admins.
    With `company_slug` the disclosure must belong to that company."""
    disclosure = (
        Disclosure.objects.select_related(
            "agreement", "agreement__secretariat", "company", "created_by"
        )
        .filter(pk=disclosure_id)
        .first()
    )
    if disclosure is None or (company_slug is not None and disclosure.company.slug != company_slug):
        raise NotFound(_("There is no such disclosure."))
    company = disclosure.company
    if manage:
        principal.require(principal.can_disclose_locations(company))
        return disclosure
    principal.require(
        company.pk in principal.company_ids or principal.is_secretariat_for(disclosure.agreement)
    )
    _audit_read(principal, company, "disclosure", {"disclosure": disclosure.pk})
    return disclosure


def access_review_queue(*, principal: Principal, agreement_slug: str) -> Agreement:
    """The agreement's whole review queue: its secretariat. The reads are audited per
    company by `access_review_rows`."""
    agreement = Agreement.objects.select_related("secretariat").filter(slug=agreement_slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": agreement_slug[:80]})
    principal.require(principal.can_review_queue(agreement))
    return agreement


def access_review_rows(
    *, principal: Principal, rows: QuerySet[Contribution] | list[Contribution]
) -> list[Contribution]:
    """Audit the secretariat's read of the queue rows shown: one row per company."""
    rows = list(rows)
    seen: set[int] = set()
    for row in rows:
        company = row.disclosure.company
        if company.pk in seen:
            continue
        seen.add(company.pk)
        _audit_read(principal, company, "review_queue")
    return rows


def access_contribution_review(*, principal: Principal, contribution_id: int) -> Contribution:
    """One row to review: the agreement's secretariat, or an admin of the company."""
    row = (
        Contribution.objects.select_related(
            "disclosure__company", "disclosure__agreement__secretariat", "facility"
        )
        .filter(pk=contribution_id)
        .first()
    )
    if row is None:
        raise NotFound(_("There is no such row."))
    disclosure = row.disclosure
    principal.require(principal.can_review_rows_of(disclosure.company, disclosure.agreement))
    _audit_read(principal, disclosure.company, "review_item", {"contribution": row.pk})
    return row


def access_registry(*, principal: Principal) -> None:
    """Searching the registry of facilities (not which companies use them): secretariat."""
    principal.require(principal.can_manage_registry())


def access_facility_registry(*, principal: Principal, public_id: str) -> Facility:
    """A facility as the registry keeps it, for secretariat staff (merge, split, which
    companies source there — the companies shown are audited by the selector's caller)."""
    principal.require(principal.can_manage_registry())
    return facility_by_public_id(public_id)


def access_facility_contributions(
    *, principal: Principal, facility: Facility
) -> list[Contribution]:
    """The rows linked to a facility from the agreements this secretariat runs (the
    current lists only), with one audited read per company shown."""
    from covenant.supplychain.selectors.registry import facility_contributions

    principal.require(principal.can_manage_registry())
    rows = facility_contributions(facility=facility, secretariat_ids=principal.secretariat_org_ids)
    seen: set[int] = set()
    for row in rows:
        company = row.disclosure.company
        if company.pk not in seen:
            seen.add(company.pk)
            _audit_read(principal, company, "facility_sources", {"facility": facility.public_id})
    return rows


def get_facility_for_field(*, public_id: str, field: str) -> Facility:
    """A facility named in input (not in the path): unknown is an error on `field`."""
    try:
        return facility_by_public_id(public_id)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field=field) from exc


# --- publication and sharing ---
from covenant.supplychain.selectors.published import PublishedFacility  # noqa: E402
from covenant.supplychain.selectors.sharing import SharedFacility  # noqa: E402


def access_agreement_publish(*, principal: Principal, slug: str) -> Agreement:
    """Publishing the agreement's list of production locations: its secretariat."""
    from covenant.agreements.access import access_agreement_public

    agreement = access_agreement_public(slug=slug)
    principal.require(principal.can_publish_list(agreement))
    return agreement


def access_published_facility(
    *, agreement: Agreement, public_id: str
) -> tuple[Facility, PublishedFacility]:
    """A facility on one of the agreement's published lists (public), following merge
    redirects: returns the surviving facility and its PublishedFacility. A facility that
    was never published by this agreement is not found (the registry itself is not public)."""
    from covenant.supplychain.selectors.published import published_facility

    facility = facility_by_public_id(public_id)
    published = published_facility(agreement, facility)
    if published is None:
        raise NotFound(
            _("There is no facility %(id)s on this agreement's lists.") % {"id": public_id[:40]}
        )
    return facility, published


def access_shared_suppliers(
    *, principal: Principal, agreement: Agreement, country: str = ""
) -> list[SharedFacility]:
    """Facilities used by 2+ members with their names: the agreement's secretariat; one
    audited read per company shown."""
    from covenant.supplychain.selectors.sharing import shared_facilities

    principal.require(principal.can_view_shared_suppliers(agreement))
    rows = shared_facilities(agreement, country=country)
    seen: set[int] = set()
    for row in rows:
        for company in row.companies:
            if company.pk not in seen:
                seen.add(company.pk)
                _audit_read(principal, company, "shared_suppliers", {"agreement": agreement.slug})
    return rows


def access_shared_facility(
    *, principal: Principal, agreement: Agreement, public_id: str
) -> SharedFacility:
    """One facility's users and opt-ins (secretariat, audited per company)."""
    from covenant.supplychain.selectors.sharing import shared_facility

    principal.require(principal.can_make_introduction(agreement))
    row = shared_facility(agreement, facility_by_public_id(public_id))
    for company in row.companies:
        _audit_read(principal, company, "shared_suppliers", {"facility": row.facility.public_id})
    return row


def access_company_sharing(
    *, principal: Principal, slug: str, agreement_slug: str | None = None
) -> tuple[Organisation, Agreement]:
    """A company's facilities with how many other members use each: its own users and the
    secretariat (audited)."""
    company = _company(slug)
    principal.require(principal.can_view_facility_sharing(company))
    agreement = get_disclosure_agreement(company=company, slug=agreement_slug)
    _audit_read(principal, company, "facility_sharing", {"agreement": agreement.slug})
    return company, agreement


def access_company_opt_in(
    *, principal: Principal, slug: str, agreement_slug: str | None = None
) -> tuple[Organisation, Agreement]:
    """Opting in to (or withdrawing from) introductions: the company's admins."""
    company = _company(slug)
    principal.require(principal.can_opt_in_introduction(company))
    return company, get_disclosure_agreement(company=company, slug=agreement_slug)


def access_introductions(*, principal: Principal, slug: str) -> Agreement:
    """Making and listing introductions: the agreement's secretariat."""
    from covenant.agreements.access import access_agreement_public

    agreement = access_agreement_public(slug=slug)
    principal.require(principal.can_make_introduction(agreement))
    return agreement
