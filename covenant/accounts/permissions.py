"""Who may do what: every permission rule of the platform in one place.

A Principal is the user behind a request (page session or API token) with their roles loaded
once, plus whether the second factor was checked. Secretariat, assessor and committee roles
count only after a TOTP check: until then such a user is treated as having none of them, and
checks raise TwoFactorRequired so pages can send them to the verification step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from covenant.accounts.models import Role, RoleName
from covenant.core.errors import PermissionDenied, TwoFactorRequired

if TYPE_CHECKING:
    from django.http import HttpRequest

    from covenant.accounts.models import User
    from covenant.agreements.models import Agreement, Organisation

# Roles that see confidential data of many companies: they need a second factor.
TWO_FACTOR_ROLES = frozenset({RoleName.SECRETARIAT, RoleName.ASSESSOR, RoleName.COMMITTEE_MEMBER})

# Which organisation types a role may be granted in.
ROLE_ORGANISATION_TYPES: dict[str, tuple[str, ...]] = {
    RoleName.SECRETARIAT: ("secretariat",),
    RoleName.ASSESSOR: ("secretariat",),
    RoleName.COMMITTEE_MEMBER: ("committee",),
    RoleName.COMPANY_ADMIN: ("company",),
    RoleName.COMPANY_MEMBER: ("company",),
    RoleName.PARTY_MEMBER: ("trade_union", "ngo", "trade_association", "government", "supporter"),
}


@dataclass
class Principal:
    user: User | None
    verified: bool = False
    _roles: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(user=None)

    @classmethod
    def for_user(cls, user: User | None, *, verified: bool) -> Principal:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls.anonymous()
        roles = list(Role.objects.filter(user=user).values_list("role", "organisation_id"))
        return cls(user=user, verified=verified, _roles=roles)

    # --- raw facts -------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @cached_property
    def needs_two_factor(self) -> bool:
        return any(role in TWO_FACTOR_ROLES for role, _org in self._roles)

    @property
    def two_factor_pending(self) -> bool:
        return self.needs_two_factor and not self.verified

    def _orgs(self, *roles: str) -> frozenset[int]:
        if self.two_factor_pending and set(roles) & TWO_FACTOR_ROLES:
            return frozenset()
        return frozenset(org for role, org in self._roles if role in roles)

    @cached_property
    def secretariat_org_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.SECRETARIAT)

    @cached_property
    def assessor_org_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.SECRETARIAT, RoleName.ASSESSOR)

    @cached_property
    def committee_org_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.COMMITTEE_MEMBER)

    @cached_property
    def company_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.COMPANY_ADMIN, RoleName.COMPANY_MEMBER)

    @cached_property
    def admin_company_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.COMPANY_ADMIN)

    @cached_property
    def party_org_ids(self) -> frozenset[int]:
        return self._orgs(RoleName.PARTY_MEMBER)

    @property
    def is_secretariat(self) -> bool:
        return bool(self.secretariat_org_ids)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(org for _role, org in self._roles)

    def has_role(self, role: str) -> bool:
        return any(r == role for r, _org in self._roles)

    # --- rules -----------------------------------------------------------------------
    def is_secretariat_for(self, agreement: Agreement) -> bool:
        return agreement.secretariat_id in self.secretariat_org_ids

    def runs_agreement_of(self, company: Organisation) -> bool:
        """Secretariat of an agreement the company has (or applied for) a membership in;
        a company with no membership at all is visible to every secretariat."""
        if not self.secretariat_org_ids:
            return False
        from covenant.agreements.models import Membership

        memberships = Membership.objects.filter(company=company)
        if not memberships.exists():
            return True
        return memberships.filter(agreement__secretariat_id__in=self.secretariat_org_ids).exists()

    def can_view_company_confidential(self, company: Organisation) -> bool:
        """Turnover, membership history, and later: locations, risks, scores."""
        return company.pk in self.company_ids or self.runs_agreement_of(company)

    def can_edit_company(self, company: Organisation) -> bool:
        """Profile, brands and turnover: the company's admins (and the secretariat, to repair)."""
        return company.pk in self.admin_company_ids or self.runs_agreement_of(company)

    def can_apply_for_membership(self, company: Organisation) -> bool:
        return company.pk in self.admin_company_ids

    def can_manage_memberships(self, agreement: Agreement) -> bool:
        return self.is_secretariat_for(agreement)

    def can_set_market_size(self, agreement: Agreement) -> bool:
        return self.is_secretariat_for(agreement)

    def can_edit_commitment(self, organisation: Organisation) -> bool:
        """A party's letter of intent: its own members, and the secretariat of an agreement
        the party signed (not the secretariat of any agreement)."""
        if organisation.pk in self.party_org_ids:
            return True
        if not self.secretariat_org_ids:
            return False
        from covenant.agreements.models import Signatory

        return Signatory.objects.filter(
            organisation=organisation, agreement__secretariat_id__in=self.secretariat_org_ids
        ).exists()

    def can_manage_users(self) -> bool:
        return self.is_secretariat

    def can_read_audit_log(self) -> bool:
        return self.is_secretariat

    # --- supply chain: disclosures and registry ---------------------------------------
    def can_view_locations(self, company: Organisation) -> bool:
        """Which facilities a company sources from: the company's own users and the
        secretariat of its agreement (reads by the secretariat are audited)."""
        return self.can_view_company_confidential(company)

    def can_disclose_locations(self, company: Organisation) -> bool:
        """Uploading a list, adding a location, re-running a job: the company's admins."""
        return company.pk in self.admin_company_ids

    def can_review_rows_of(self, company: Organisation, agreement: Agreement) -> bool:
        """Deciding uncertain matches: the agreement's secretariat for every row, a company
        admin for the company's own rows."""
        return company.pk in self.admin_company_ids or self.is_secretariat_for(agreement)

    def can_review_queue(self, agreement: Agreement) -> bool:
        """The whole review queue of an agreement: its secretariat."""
        return self.is_secretariat_for(agreement)

    def can_manage_registry(self) -> bool:
        """Facility pages with their contributions, merging and splitting facilities: staff
        of a secretariat (the registry is shared by all agreements; which companies are
        shown stays limited to the agreements they run)."""
        return self.is_secretariat

    # --- supply chain: publication and sharing ---
    def can_publish_list(self, agreement: Agreement) -> bool:
        """Publishing the yearly list of production locations: the agreement's secretariat."""
        return self.is_secretariat_for(agreement)

    def can_view_shared_suppliers(self, agreement: Agreement) -> bool:
        """Which facilities several members use, and who they are: the agreement's
        secretariat (every company shown is an audited read)."""
        return self.is_secretariat_for(agreement)

    def can_make_introduction(self, agreement: Agreement) -> bool:
        return self.is_secretariat_for(agreement)

    def can_view_facility_sharing(self, company: Organisation) -> bool:
        """Per facility of a company, how many other members use it (a number): the
        company's own users and the secretariat of its agreement."""
        return self.can_view_company_confidential(company)

    def can_opt_in_introduction(self, company: Organisation) -> bool:
        """Agreeing (or withdrawing) to be introduced to other users of a facility: the
        company's admins."""
        return company.pk in self.admin_company_ids

    # --- due diligence: frameworks, self-assessments (issue 4) ------------------------
    def can_manage_framework(self, agreement: Agreement) -> bool:
        """Importing, publishing and versioning an agreement's assessment framework (drafts
        included): its secretariat. Published versions are public."""
        return self.is_secretariat_for(agreement)

    def can_open_assessment_round(self, agreement: Agreement) -> bool:
        """Opening a reporting year for self-assessments, setting its deadline."""
        return self.is_secretariat_for(agreement)

    def can_view_self_assessment(self, company: Organisation) -> bool:
        """A company's answers and scores: its own users and the secretariat of its agreement
        (audited). Parties and other companies never."""
        return self.can_view_company_confidential(company)

    def can_edit_self_assessment(self, company: Organisation) -> bool:
        """Answering, saving and submitting the self-assessment: the company's admins."""
        return company.pk in self.admin_company_ids

    def can_view_risks(self, company: Organisation) -> bool:
        """A company's risk register and action plan: its own users and the secretariat of
        its agreement (audited)."""
        return self.can_view_company_confidential(company)

    def can_edit_risks(self, company: Organisation) -> bool:
        """Adding and changing risks, the priority order, sharing, the action plan: the
        company's admins."""
        return company.pk in self.admin_company_ids

    def can_view_shared_risks(self, agreement: Agreement) -> bool:
        """Risks companies chose to share: members of the agreement's parties (not
        supporters) and its secretariat."""
        if self.is_secretariat_for(agreement):
            return True
        if not self.party_org_ids:
            return False
        from covenant.agreements.models import Signatory

        return Signatory.objects.filter(
            agreement=agreement,
            kind=Signatory.Kind.PARTY,
            organisation_id__in=self.party_org_ids,
            left_on__isnull=True,
        ).exists()

    def can_assess(self, agreement: Agreement) -> bool:
        """Scoring self-assessments: staff of the agreement's secretariat with the assessor
        (or secretariat) role. An assessor sees only what is assigned to them."""
        return agreement.secretariat_id in self.assessor_org_ids

    def can_manage_assessments(self, agreement: Agreement) -> bool:
        """Assigning assessors, the second review, releasing outcomes, calibration and the
        escalation list: the agreement's secretariat."""
        return self.is_secretariat_for(agreement)

    def can_answer_follow_up(self, company: Organisation) -> bool:
        """Answering the assessors' follow-up questions: the company's admins."""
        return company.pk in self.admin_company_ids

    # --- complaints and disputes (issue 5) ---------------------------------------------
    def is_committee_for(self, agreement: Agreement) -> bool:
        """A member of the agreement's complaints committee (second factor checked). A
        member recused from a case is excluded per case by `complaint_side`."""
        return (
            agreement.committee_id is not None and agreement.committee_id in self.committee_org_ids
        )

    def can_set_complaint_rules(self, agreement: Agreement) -> bool:
        """Who may file and the deadlines of the procedure: the committee itself."""
        return self.is_committee_for(agreement)

    def complaint_side(self, complaint: Any) -> str | None:
        """Which side of a case this user is on, or None (then the case is not shown at all):
        "committee" for a member of the agreement's committee without a declared conflict;
        "filer" for the user who filed it and the users of the filing organisation;
        "respondent" for the users of the responding organisation, once the committee has
        found the complaint admissible (before that it is not theirs to see). The secretariat
        has no access: the committee is independent of it."""
        from covenant.complaints.models import ConflictDeclaration, Stage

        user = self.user
        if user is None:
            return None
        if self.is_committee_for(complaint.agreement):
            recused = ConflictDeclaration.objects.filter(complaint=complaint, member=user)
            return None if recused.exists() else "committee"
        own = self.company_ids | self.party_org_ids | self.secretariat_org_ids
        if complaint.filed_by_id == user.pk or (
            complaint.filer_org_id is not None and complaint.filer_org_id in own
        ):
            return "filer"
        if complaint.respondent_id in own and complaint.stage not in (
            Stage.FILED,
            Stage.INADMISSIBLE,
        ):
            return "respondent"
        return None

    def complaint_filer_kinds(self, agreement: Agreement) -> list[tuple[str, int]]:
        """(kind, organisation id) this user may file a complaint as: the workers'
        representatives and parties through a party organisation of theirs, companies
        through a company they administer. The agreement's rules narrow the kinds."""
        out: list[tuple[str, int]] = []
        for org in sorted(self.party_org_ids):
            out += [("workers", org), ("party", org)]
        for org in sorted(self.admin_company_ids):
            out.append(("company", org))
        return out

    # --- signals: abuse reports about production locations (issue 5) -------------------
    # Reporters have no account: they reach their own signal with the receipt code only
    # (covenant/signals/access.py). Parties and other companies never see a signal.
    def can_handle_signals(self, agreement: Agreement) -> bool:
        """The agreement's signals with the reporter's identity, checks, questions to the
        reporter, forwarding, summaries, closing: its secretariat (reads audited)."""
        return self.is_secretariat_for(agreement)

    def can_view_signal_forward(self, forward: Any) -> bool:
        """A signal forwarded to a company: that company's users (the identity only when the
        reporter allowed it, see covenant/signals/selectors.company_view)."""
        return forward.company_id in self.company_ids

    def can_respond_signal(self, forward: Any) -> bool:
        """Acknowledging and answering a forwarded signal: the company's admins."""
        return forward.company_id in self.admin_company_ids

    # --- enforcement -----------------------------------------------------------------
    def require(self, allowed: bool) -> None:
        """Raise the right error when `allowed` is False."""
        if allowed:
            return
        if self.two_factor_pending:
            raise TwoFactorRequired(_("Confirm your sign-in with your authenticator code first."))
        if not self.is_authenticated:
            raise PermissionDenied(_("Please sign in."), extra={"code": "not_authenticated"})
        raise PermissionDenied(_("You do not have access to this."))


def page_principal(request: HttpRequest) -> Principal:
    """The principal of a page request (session; set by PrincipalMiddleware)."""
    return request.principal  # type: ignore[attr-defined,no-any-return]


def api_principal(request: HttpRequest) -> Principal:
    """The principal of an API request (bearer token; set by the API's auth)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
