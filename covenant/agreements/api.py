"""The agreements part of the REST API: agreements, organisations and brands, memberships,
market coverage and party commitments. Each endpoint parses its input, calls one access
helper (fetch + authorise, audit of confidential reads) and one service or selector, and
returns its output schema. Money and measured values are decimal strings, see schemas.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from covenant.accounts.permissions import api_principal as _principal
from covenant.accounts.schemas import ErrorOut
from covenant.agreements import access, selectors, services
from covenant.agreements.schemas import (
    MAX_YEAR,
    MIN_YEAR,
    AgreementListOut,
    AgreementOut,
    AuditEventOut,
    AuditQuery,
    BrandIn,
    BrandOut,
    CommitmentIn,
    CommitmentOut,
    CompanyCoverageOut,
    CompanyCoverageQuery,
    CoverageOut,
    MarketSizeIn,
    MarketSizeOut,
    MemberOut,
    MembershipApplyIn,
    MembershipApproveIn,
    MembershipEndIn,
    MembershipListOut,
    MembershipListQuery,
    MembershipOut,
    MembershipReinstateIn,
    MembershipRejectIn,
    MembershipSuspendIn,
    OrganisationListOut,
    OrganisationListQuery,
    OrganisationOut,
    ProgressIn,
    ProgressOut,
    SignatoryOut,
    SignatoryQuery,
    TargetIn,
    TargetOut,
    ThemeOut,
    TurnoverIn,
    TurnoverOut,
    YearCountsOut,
)
from covenant.core.selectors import audit_events

router = Router(tags=["agreements"])

MAX_ID = 2**31 - 1

# Declared error responses, by kind of endpoint.
# A wrong or expired token is a 401 even on public endpoints.
PUBLIC = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
RESTRICTED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _year() -> Any:
    return Path(..., ge=MIN_YEAR, le=MAX_YEAR, description="A year between 1990 and 2100.")


def _id() -> Any:
    return Path(..., ge=1, le=MAX_ID)


# --- agreements ----------------------------------------------------------------------
@router.get("/agreements", response={200: list[AgreementListOut], 401: ErrorOut})
def agreement_list(request: HttpRequest) -> Any:
    """Every agreement on the platform with the number of member companies today (public)."""
    return selectors.agreements_public()


@router.get("/agreements/{slug}", response={200: AgreementOut, **PUBLIC})
def agreement_detail(request: HttpRequest, slug: str) -> Any:
    """One agreement: dates, themes, due diligence steps, coverage targets, the date the
    production-location list is published each year and the facility taxonomy (public)."""
    return access.access_agreement_public(slug=slug, prefetch=True)


@router.get("/agreements/{slug}/themes", response={200: list[ThemeOut], **PUBLIC})
def agreement_themes(request: HttpRequest, slug: str) -> Any:
    """The themes of an agreement in their order, with joint aims and expected measures."""
    agreement = access.access_agreement_public(slug=slug)
    return agreement.themes.order_by("sort_order", "code")


@router.get("/agreements/{slug}/members", response={200: list[MemberOut], **PUBLIC})
def agreement_members(request: HttpRequest, slug: str) -> Any:
    """Companies that are a member today (active, associated or suspended) with their
    brands and the date they joined (public)."""
    agreement = access.access_agreement_public(slug=slug)
    return selectors.current_members(agreement)


@router.get("/agreements/{slug}/signatories", response={200: list[SignatoryOut], **PUBLIC})
def agreement_signatories(request: HttpRequest, slug: str, filters: Query[SignatoryQuery]) -> Any:
    """Parties and supporters that signed the agreement, with their declarations (public).
    `kind=party` or `kind=supporter` lists only one kind."""
    agreement = access.access_agreement_public(slug=slug)
    return selectors.signatories(agreement, filters.kind)


@router.get(
    "/agreements/{slug}/membership-stats",
    response={200: list[YearCountsOut], **PUBLIC},
)
def agreement_membership_stats(request: HttpRequest, slug: str) -> Any:
    """Per year: companies that joined, that left (by reason) and the members at year end,
    derived from the membership history (public)."""
    agreement = access.access_agreement_public(slug=slug)
    return selectors.membership_year_counts(agreement)


# --- coverage ------------------------------------------------------------------------
@router.get(
    "/agreements/{slug}/coverage",
    response={200: CoverageOut, **PUBLIC},
    tags=["coverage"],
)
def coverage(request: HttpRequest, slug: str) -> Any:
    """Market coverage of the member companies at the start of each year and today,
    against the target (public). A point over fewer than `min_group_size` reporting
    companies is suppressed: `coverage_percent` and `reporting` are null."""
    agreement = access.access_agreement_public(slug=slug)
    return {
        "min_group_size": settings.MIN_GROUP_SIZE,
        "points": selectors.coverage_series(agreement, today=timezone.localdate()),
    }


@router.get(
    "/agreements/{slug}/coverage/companies",
    response={200: list[CompanyCoverageOut], **RESTRICTED},
    tags=["coverage"],
)
def coverage_companies(
    request: HttpRequest, slug: str, filters: Query[CompanyCoverageQuery]
) -> Any:
    """Confidential: each member's turnover and share of the market in a year. For the
    agreement's secretariat only; every company shown is written to the audit log."""
    agreement = access.access_agreement_public(slug=slug)
    return access.access_coverage_by_company(
        principal=_principal(request), agreement=agreement, year=filters.year
    )


@router.get(
    "/agreements/{slug}/market-size",
    response={200: list[MarketSizeOut], **RESTRICTED},
    tags=["coverage"],
)
def market_size_list(request: HttpRequest, slug: str) -> Any:
    """The national market size per year as set by the secretariat (secretariat only)."""
    agreement = access.access_agreement_secretariat(principal=_principal(request), slug=slug)
    return selectors.market_sizes(agreement)


@router.put(
    "/agreements/{slug}/market-size/{year}",
    response={200: MarketSizeOut, **RESTRICTED},
    tags=["coverage"],
)
def market_size_set(
    request: HttpRequest, slug: str, payload: MarketSizeIn, year: int = _year()
) -> Any:
    """Set (or correct) the national market size of a year, in euros (secretariat only)."""
    principal = _principal(request)
    agreement = access.access_agreement_secretariat(principal=principal, slug=slug)
    return services.market_size_set(
        agreement=agreement,
        year=year,
        amount_eur=payload.amount_eur,
        source=payload.source,
        actor=principal.user,
    )


# --- memberships ---------------------------------------------------------------------
@router.get(
    "/agreements/{slug}/memberships",
    response={200: list[MembershipListOut], **RESTRICTED},
    tags=["memberships"],
)
def membership_list(request: HttpRequest, slug: str, filters: Query[MembershipListQuery]) -> Any:
    """All memberships of the agreement, applications and ended ones included, optionally
    of one status (secretariat only)."""
    agreement = access.access_agreement_secretariat(principal=_principal(request), slug=slug)
    return selectors.memberships_for_secretariat(agreement, filters.status)


@router.post(
    "/agreements/{slug}/memberships",
    response={201: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_apply(request: HttpRequest, slug: str, payload: MembershipApplyIn) -> Any:
    """Apply to join: an admin of the company applies for it, or the secretariat registers
    an application. Only the secretariat may set `applied_on`; otherwise it is today."""
    principal = _principal(request)
    agreement, company = access.access_membership_application(
        principal=principal, agreement_slug=slug, company_slug=payload.company
    )
    membership = services.membership_apply(
        agreement=agreement,
        company=company,
        actor=principal.user,
        applied_on=payload.applied_on if principal.can_manage_memberships(agreement) else None,
        note=payload.note,
    )
    return Status(201, membership)


@router.get(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_detail(request: HttpRequest, membership_id: int = _id()) -> Any:
    """A membership with its full history. Confidential: the company's own users and the
    secretariat (whose reads are audited)."""
    return access.access_membership(principal=_principal(request), membership_id=membership_id)


@router.post(
    "/memberships/{membership_id}/approve",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_approve(
    request: HttpRequest, payload: MembershipApproveIn, membership_id: int = _id()
) -> Any:
    """Admit an applicant: active, or associated when `sister_initiative` is given
    (secretariat of the agreement only)."""
    principal = _principal(request)
    membership = access.access_membership(
        principal=principal, membership_id=membership_id, manage=True
    )
    return services.membership_approve(
        membership=membership,
        actor=principal.user,
        effective_on=payload.effective_on,
        sister_initiative=payload.sister_initiative,
        note=payload.note,
    )


@router.post(
    "/memberships/{membership_id}/reject",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_reject(
    request: HttpRequest, payload: MembershipRejectIn, membership_id: int = _id()
) -> Any:
    """Reject an application (secretariat of the agreement only)."""
    principal = _principal(request)
    membership = access.access_membership(
        principal=principal, membership_id=membership_id, manage=True
    )
    return services.membership_reject(
        membership=membership, actor=principal.user, note=payload.note
    )


@router.post(
    "/memberships/{membership_id}/suspend",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_suspend(
    request: HttpRequest, payload: MembershipSuspendIn, membership_id: int = _id()
) -> Any:
    """Suspend a member; `note` gives the reason (secretariat of the agreement only)."""
    principal = _principal(request)
    membership = access.access_membership(
        principal=principal, membership_id=membership_id, manage=True
    )
    return services.membership_suspend(
        membership=membership,
        actor=principal.user,
        effective_on=payload.effective_on,
        note=payload.note,
    )


@router.post(
    "/memberships/{membership_id}/reinstate",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_reinstate(
    request: HttpRequest, payload: MembershipReinstateIn, membership_id: int = _id()
) -> Any:
    """Lift a suspension (secretariat of the agreement only)."""
    principal = _principal(request)
    membership = access.access_membership(
        principal=principal, membership_id=membership_id, manage=True
    )
    return services.membership_reinstate(
        membership=membership,
        actor=principal.user,
        effective_on=payload.effective_on,
        note=payload.note,
    )


@router.post(
    "/memberships/{membership_id}/end",
    response={200: MembershipOut, **RESTRICTED},
    tags=["memberships"],
)
def membership_end(
    request: HttpRequest, payload: MembershipEndIn, membership_id: int = _id()
) -> Any:
    """End a membership with its reason: left, bankruptcy, excluded, or merged (then
    `merged_into` names the company it merged into). Secretariat of the agreement only."""
    principal = _principal(request)
    membership = access.access_membership(
        principal=principal, membership_id=membership_id, manage=True
    )
    merged_into = (
        access.get_organisation_for_field(slug=payload.merged_into, field="merged_into")
        if payload.merged_into
        else None
    )
    return services.membership_end(
        membership=membership,
        reason=payload.reason,
        actor=principal.user,
        effective_on=payload.effective_on,
        note=payload.note,
        merged_into=merged_into,
    )


# --- organisations and brands --------------------------------------------------------
@router.get(
    "/organisations",
    response={200: list[OrganisationListOut], 401: ErrorOut, 422: ErrorOut},
    tags=["organisations"],
)
def organisation_list(request: HttpRequest, filters: Query[OrganisationListQuery]) -> Any:
    """Organisations of every type, by name; `q` searches names and brand names (public)."""
    qs = selectors.organisations_public(type=filters.type, q=filters.q)
    return qs[filters.offset : filters.offset + filters.limit]


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **PUBLIC},
    tags=["organisations"],
)
def organisation_detail(request: HttpRequest, slug: str) -> Any:
    """Public profile: brands, current memberships and signatures with declarations."""
    return access.access_organisation_public(slug=slug)


@router.get(
    "/organisations/{slug}/brands",
    response={200: list[BrandOut], **PUBLIC},
    tags=["organisations"],
)
def brand_list(request: HttpRequest, slug: str) -> Any:
    """The brands (consumer labels) of a company (public)."""
    return access.access_organisation_public(slug=slug).brands.order_by("name")


@router.post(
    "/organisations/{slug}/brands",
    response={201: BrandOut, **RESTRICTED},
    tags=["organisations"],
)
def brand_create(request: HttpRequest, slug: str, payload: BrandIn) -> Any:
    """Add a brand to a company (its admins, or the secretariat)."""
    principal = _principal(request)
    company = access.access_company_edit(principal=principal, slug=slug)
    return Status(
        201, services.brand_create(company=company, name=payload.name, actor=principal.user)
    )


@router.delete(
    "/brands/{brand_id}",
    response={204: None, **RESTRICTED},
    tags=["organisations"],
)
def brand_delete(request: HttpRequest, brand_id: int = _id()) -> Any:
    """Remove a brand (the company's admins, or the secretariat)."""
    principal = _principal(request)
    brand = access.access_brand_edit(principal=principal, brand_id=brand_id)
    services.brand_delete(brand=brand, actor=principal.user)
    return Status(204, None)


@router.get(
    "/companies/{slug}/turnover",
    response={200: list[TurnoverOut], **RESTRICTED},
    tags=["coverage"],
)
def turnover_list(request: HttpRequest, slug: str) -> Any:
    """Confidential: a company's turnover on the national market per year. The company's
    own users and the secretariat (whose reads are audited)."""
    company = access.access_company_confidential(
        principal=_principal(request), slug=slug, what="turnover"
    )
    return selectors.turnovers_for_company(company)


@router.put(
    "/companies/{slug}/turnover/{year}",
    response={200: TurnoverOut, **RESTRICTED},
    tags=["coverage"],
)
def turnover_set(request: HttpRequest, slug: str, payload: TurnoverIn, year: int = _year()) -> Any:
    """Report (or correct) a company's turnover of a year, in euros (its admins, or the
    secretariat). The amount is never published, only aggregates of it."""
    principal = _principal(request)
    company = access.access_company_edit(principal=principal, slug=slug)
    return services.turnover_set(
        company=company, year=year, amount_eur=payload.amount_eur, actor=principal.user
    )


# --- commitments ---------------------------------------------------------------------
@router.get(
    "/agreements/{slug}/parties/{org}/commitment",
    response={200: CommitmentOut, **PUBLIC},
    tags=["commitments"],
)
def commitment_detail(request: HttpRequest, slug: str, org: str) -> Any:
    """A party's letter of intent, its SMART targets and the progress on them (public)."""
    return access.access_commitment_public(agreement_slug=slug, org_slug=org)


@router.put(
    "/agreements/{slug}/parties/{org}/commitment",
    response={200: CommitmentOut, **RESTRICTED},
    tags=["commitments"],
)
def commitment_update(request: HttpRequest, slug: str, org: str, payload: CommitmentIn) -> Any:
    """Change the letter of intent: only the fields sent change (the party's members, or
    the secretariat)."""
    principal = _principal(request)
    commitment = access.access_commitment_edit(
        principal=principal, agreement_slug=slug, org_slug=org
    )
    return services.commitment_update(
        commitment=commitment,
        actor=principal.user,
        **{k: v or "" for k, v in payload.model_dump(exclude_unset=True).items()},
    )


@router.post(
    "/agreements/{slug}/parties/{org}/commitment/targets",
    response={201: TargetOut, **RESTRICTED},
    tags=["commitments"],
)
def commitment_target_add(request: HttpRequest, slug: str, org: str, payload: TargetIn) -> Any:
    """Add a SMART target to the party's action plan (the party's members, or the
    secretariat). `theme` is the code of one of the agreement's themes."""
    principal = _principal(request)
    commitment = access.access_commitment_edit(
        principal=principal, agreement_slug=slug, org_slug=org
    )
    theme = (
        access.get_theme_for_field(agreement=commitment.signatory.agreement, code=payload.theme)
        if payload.theme
        else None
    )
    target = services.commitment_target_add(
        commitment=commitment,
        description=payload.description,
        indicator=payload.indicator,
        baseline=payload.baseline,
        target_value=payload.target_value,
        unit=payload.unit,
        due_year=payload.due_year,
        theme=theme,
        actor=principal.user,
    )
    return Status(201, target)


@router.put(
    "/commitment-targets/{target_id}/progress/{year}",
    response={200: ProgressOut, **RESTRICTED},
    tags=["commitments"],
)
def target_progress_set(
    request: HttpRequest, payload: ProgressIn, target_id: int = _id(), year: int = _year()
) -> Any:
    """Record (or correct) the value a target reached in a year (the party's members, or
    the secretariat)."""
    principal = _principal(request)
    target = access.access_target_edit(principal=principal, target_id=target_id)
    return services.target_progress_set(
        target=target, year=year, value=payload.value, note=payload.note, actor=principal.user
    )


# --- audit ---------------------------------------------------------------------------
@router.get(
    "/audit",
    response={200: list[AuditEventOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    tags=["audit"],
)
def audit_list(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    """The audit trail, newest first: changes, confidential reads and security events
    (secretariat only). `action` matches an action or its start, e.g. `membership.`."""
    principal = _principal(request)
    principal.require(principal.can_read_audit_log())
    return audit_events(
        action=filters.action,
        organisation_slug=filters.organisation,
        kind=filters.kind,
        limit=filters.limit,
    )
