"""Fetch-and-authorise helpers of the due diligence cycle, used by pages and API alike. Each
returns the object or raises NotFound / PermissionDenied / TwoFactorRequired; reads of a
company's self-assessment by the secretariat are audited here. Rules live in
covenant/accounts/permissions.py."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.models import Agreement, Organisation
from covenant.core.audit import audit_confidential_read
from covenant.core.errors import NotFound
from covenant.duediligence.models import AssessmentRound, Framework, SelfAssessment


def _agreement(slug: str) -> Agreement:
    agreement = Agreement.objects.select_related("secretariat").filter(slug=slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": slug[:80]})
    return agreement


def access_frameworks(*, principal: Principal, slug: str) -> tuple[Agreement, bool]:
    """The agreement whose frameworks are listed, and whether drafts are shown (to its
    secretariat only; published versions are public)."""
    agreement = _agreement(slug)
    return agreement, principal.can_manage_framework(agreement)


def access_framework(*, principal: Principal, slug: str, version: int | None) -> Framework:
    """One version (None: the current published one). Drafts and retired versions are shown
    to the secretariat; retired ones stay public because assessments were made with them."""
    from covenant.duediligence.selectors.frameworks import framework_current

    agreement = _agreement(slug)
    if version is None:
        framework = framework_current(agreement)
    else:
        framework = Framework.objects.filter(agreement=agreement, version=version).first()
    if framework is None or (
        framework.status == Framework.Status.DRAFT and not principal.can_manage_framework(agreement)
    ):
        raise NotFound(_("This agreement has no such assessment framework."))
    framework.agreement = agreement
    return framework


def access_framework_manage(
    *, principal: Principal, slug: str, version: int | None = None
) -> tuple[Agreement, Framework | None]:
    """The agreement (and a version of its framework) for its secretariat to change."""
    agreement = _agreement(slug)
    principal.require(principal.can_manage_framework(agreement))
    if version is None:
        return agreement, None
    framework = Framework.objects.filter(agreement=agreement, version=version).first()
    if framework is None:
        raise NotFound(_("This agreement has no version %(v)s of its framework.") % {"v": version})
    framework.agreement = agreement
    return agreement, framework


# --- self-assessments ----------------------------------------------------------------
def _company(slug: str) -> Organisation:
    company = Organisation.objects.filter(slug=slug).first()
    if company is None or not company.is_company:
        raise NotFound(_("There is no company '%(slug)s'.") % {"slug": slug[:80]})
    return company


def access_company_due_diligence(
    *, principal: Principal, slug: str, edit: bool = False, what: str = "self_assessment"
) -> Organisation:
    """A company's self-assessments and scores: its own users and the secretariat of its
    agreement read them (secretariat reads audited); `edit` is for the company's admins."""
    company = _company(slug)
    if edit:
        principal.require(principal.can_edit_self_assessment(company))
        return company
    principal.require(principal.can_view_self_assessment(company))
    if company.pk not in principal.company_ids:
        assert principal.user is not None
        audit_confidential_read(actor=principal.user, what=what, organisation=company)
    return company


def access_self_assessment(
    *, principal: Principal, slug: str, agreement_slug: str, year: int, edit: bool = False
) -> tuple[Organisation, AssessmentRound, SelfAssessment | None]:
    """The company's self-assessment of a reporting year of an agreement (None when it has not
    started it), after the company check of `access_company_due_diligence`."""
    company = access_company_due_diligence(principal=principal, slug=slug, edit=edit)
    round_ = (
        AssessmentRound.objects.select_related("agreement", "framework", "agreement__secretariat")
        .filter(agreement__slug=agreement_slug, year=year)
        .first()
    )
    if round_ is None:
        raise NotFound(
            _("Reporting year %(year)s of '%(agreement)s' is not open.")
            % {"year": year, "agreement": agreement_slug[:80]}
        )
    assessment = (
        SelfAssessment.objects.select_related(
            "round",
            "round__framework",
            "round__agreement",
            "company",
            "previous",
            "previous__round",
        )
        .filter(round=round_, company=company)
        .first()
    )
    return company, round_, assessment


def access_rounds_manage(
    *, principal: Principal, slug: str, year: int | None = None
) -> tuple[Agreement, AssessmentRound | None]:
    """The agreement (and one of its reporting years) for its secretariat."""
    agreement = _agreement(slug)
    principal.require(principal.can_open_assessment_round(agreement))
    if year is None:
        return agreement, None
    round_ = (
        AssessmentRound.objects.filter(agreement=agreement, year=year)
        .select_related("framework")
        .first()
    )
    if round_ is None:
        raise NotFound(_("Reporting year %(year)s is not open.") % {"year": year})
    round_.agreement = agreement
    return agreement, round_


def access_round_overview(*, principal: Principal, round_: AssessmentRound) -> list:
    """Every member's status and self-score in a reporting year, for the agreement's
    secretariat; one audited read per company whose self-assessment is shown."""
    from covenant.duediligence.selectors.self_assessments import round_overview

    principal.require(principal.can_open_assessment_round(round_.agreement))
    rows = round_overview(round_)
    assert principal.user is not None
    for row in rows:
        if row.assessment is not None:
            audit_confidential_read(
                actor=principal.user,
                what="self_assessment",
                organisation=row.company,
                detail={"year": round_.year, "overview": True},
            )
    return rows
