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
from covenant.duediligence.models import (
    ActionTarget,
    Assessment,
    AssessmentRound,
    Attachment,
    FollowUpQuestion,
    Framework,
    Risk,
    SelfAssessment,
)


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


# --- risk register -------------------------------------------------------------------
def access_company_risks(
    *, principal: Principal, slug: str, agreement_slug: str | None, edit: bool = False
) -> tuple[Organisation, Agreement]:
    """A company's risk register in one of its agreements (the named one, else its first):
    read by its users and its agreement's secretariat (audited), changed by its admins."""
    from covenant.duediligence.selectors.self_assessments import company_agreements

    company = _company(slug)
    if edit:
        principal.require(principal.can_edit_risks(company))
    else:
        principal.require(principal.can_view_risks(company))
    agreements = company_agreements(company)
    agreement = next(
        (a for a in agreements if agreement_slug is None or a.slug == agreement_slug), None
    )
    if agreement is None:
        raise NotFound(_("The company keeps no risk register in this agreement."))
    if not edit and company.pk not in principal.company_ids:
        principal.require(principal.is_secretariat_for(agreement))
        assert principal.user is not None
        audit_confidential_read(actor=principal.user, what="risks", organisation=company)
    return company, agreement


def access_risk(*, principal: Principal, slug: str, risk_id: int, edit: bool = False) -> Risk:
    """One risk of the company with its action plan (same rules as the register)."""
    company = _company(slug)
    if edit:
        principal.require(principal.can_edit_risks(company))
    else:
        principal.require(principal.can_view_risks(company))
    risk = (
        Risk.objects.select_related(
            "agreement", "agreement__secretariat", "company", "theme", "facility"
        )
        .filter(pk=risk_id, company=company)
        .first()
    )
    if risk is None:
        raise NotFound(_("There is no such risk."))
    if not edit and company.pk not in principal.company_ids:
        principal.require(principal.is_secretariat_for(risk.agreement))
        assert principal.user is not None
        audit_confidential_read(
            actor=principal.user, what="risks", organisation=company, detail={"risk": risk.pk}
        )
    return risk


def access_action(*, principal: Principal, slug: str, risk_id: int, action_id: int) -> ActionTarget:
    risk = access_risk(principal=principal, slug=slug, risk_id=risk_id, edit=True)
    action = ActionTarget.objects.filter(pk=action_id, risk=risk).first()
    if action is None:
        raise NotFound(_("There is no such target in this action plan."))
    action.risk = risk
    return action


def access_shared_risks(*, principal: Principal, slug: str) -> Agreement:
    """Risks shared with the parties: the agreement's parties and its secretariat."""
    agreement = _agreement(slug)
    principal.require(principal.can_view_shared_risks(agreement))
    return agreement


# --- assessments ---------------------------------------------------------------------
def access_assessments_manage(*, principal: Principal, slug: str) -> Agreement:
    """The agreement's assessments as a whole (assignment, calibration, escalations): its
    secretariat."""
    agreement = _agreement(slug)
    principal.require(principal.can_manage_assessments(agreement))
    return agreement


def access_assessor_agreement(*, principal: Principal, slug: str) -> Agreement:
    agreement = _agreement(slug)
    principal.require(principal.can_assess(agreement))
    return agreement


def access_assessment(*, principal: Principal, assessment_id: int) -> tuple[Assessment, bool]:
    """One assessment, for its assessors and the agreement's secretariat (audited). Returns it
    and whether the view is blind (the second assessor during the second review: no first
    scores). Another assessor of the secretariat gets a 404."""
    assessment = (
        Assessment.objects.select_related(
            "self_assessment",
            "self_assessment__company",
            "self_assessment__round",
            "self_assessment__round__agreement",
            "self_assessment__round__agreement__secretariat",
            "self_assessment__round__framework",
            "first_assessor",
            "second_assessor",
            "outcome",
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise NotFound(_("There is no such assessment."))
    agreement = assessment.self_assessment.round.agreement
    principal.require(principal.can_assess(agreement))
    user_id = principal.user.pk if principal.user else None
    assigned = user_id in (assessment.first_assessor_id, assessment.second_assessor_id)
    if not assigned and not principal.can_manage_assessments(agreement):
        raise NotFound(_("There is no such assessment."))
    blind = (
        user_id == assessment.second_assessor_id and assessment.status == Assessment.Status.SECOND
    )
    assert principal.user is not None
    audit_confidential_read(
        actor=principal.user,
        what="assessment",
        organisation=assessment.self_assessment.company,
        detail={"assessment": assessment.pk},
    )
    return assessment, blind


def access_follow_up_question(
    *, principal: Principal, slug: str, question_id: int
) -> FollowUpQuestion:
    """A follow-up question to the company, for its admins to answer."""
    company = _company(slug)
    principal.require(principal.can_answer_follow_up(company))
    question = (
        FollowUpQuestion.objects.select_related("assessment__self_assessment")
        .filter(pk=question_id, assessment__self_assessment__company=company)
        .first()
    )
    if question is None:
        raise NotFound(_("There is no such question."))
    return question


def access_attachment(*, principal: Principal, slug: str, attachment_id: int) -> Attachment:
    """An uploaded document of the company: its users, its agreement's secretariat and the
    assessors of the self-assessment it belongs to (reads by them audited)."""
    company = _company(slug)
    attachment = (
        Attachment.objects.select_related(
            "self_assessment__round__agreement", "self_assessment__assessment"
        )
        .filter(pk=attachment_id, self_assessment__company=company)
        .first()
    )
    if principal.can_view_self_assessment(company):
        allowed = True
    else:
        review = getattr(attachment.self_assessment, "assessment", None) if attachment else None
        user_id = principal.user.pk if principal.user else None
        allowed = review is not None and user_id in (
            review.first_assessor_id,
            review.second_assessor_id,
        )
        if allowed and attachment is not None:
            principal.require(principal.can_assess(attachment.self_assessment.round.agreement))
    principal.require(allowed)
    if attachment is None:
        raise NotFound(_("There is no such document."))
    if company.pk not in principal.company_ids:
        assert principal.user is not None
        audit_confidential_read(
            actor=principal.user,
            what="attachment",
            organisation=company,
            detail={"attachment": attachment.pk},
        )
    return attachment
