"""The permission rules of Principal as a matrix over the five viewpoints of the `world`
fixture, plus the second-factor gate and the boundary between agreements."""

from __future__ import annotations

import pytest

from covenant.accounts.models import RoleName
from covenant.accounts.permissions import Principal
from covenant.agreements.tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    user_with_role,
)
from covenant.conftest import ROLES
from covenant.core.errors import PermissionDenied, TwoFactorRequired


def principal(world, role: str, *, verified: bool = True) -> Principal:
    return Principal.for_user(world.users[role], verified=verified)


# Each rule, applied to the world's objects, and who may: own company = "own_company".
RULES = {
    "can_view_company_confidential": (
        lambda p, w: p.can_view_company_confidential(w.company),
        {"own_company", "secretariat"},
    ),
    "can_edit_company": (
        lambda p, w: p.can_edit_company(w.company),
        {"own_company", "secretariat"},
    ),
    "can_manage_memberships": (
        lambda p, w: p.can_manage_memberships(w.agreement),
        {"secretariat"},
    ),
    "can_set_market_size": (lambda p, w: p.can_set_market_size(w.agreement), {"secretariat"}),
    "can_edit_commitment": (
        lambda p, w: p.can_edit_commitment(w.party_org),
        {"party", "secretariat"},
    ),
    "can_manage_users": (lambda p, w: p.can_manage_users(), {"secretariat"}),
    "can_read_audit_log": (lambda p, w: p.can_read_audit_log(), {"secretariat"}),
    "can_apply_for_membership": (
        lambda p, w: p.can_apply_for_membership(w.company),
        {"own_company"},
    ),
}

MATRIX = [(rule, role) for rule in RULES for role in ROLES]


@pytest.mark.parametrize(("rule", "role"), MATRIX, ids=[f"{r}-{v}" for r, v in MATRIX])
def test_permission_matrix(world, rule, role):
    check, allowed = RULES[rule]
    assert check(principal(world, role), world) is (role in allowed)


def test_matrix_covers_the_five_viewpoints():
    assert ROLES == ("anonymous", "other_company", "own_company", "party", "secretariat")


def test_company_member_reads_but_does_not_edit(world):
    member = user_with_role(world.company, RoleName.COMPANY_MEMBER)
    p = Principal.for_user(member, verified=False)
    assert p.can_view_company_confidential(world.company) is True
    assert p.can_edit_company(world.company) is False
    assert p.can_apply_for_membership(world.company) is False
    assert p.two_factor_pending is False  # company roles need no second factor


@pytest.mark.parametrize("role", ROLES)
def test_require_allows_when_true(world, role):
    principal(world, role).require(True)


def test_require_for_anonymous_asks_to_sign_in(world):
    with pytest.raises(PermissionDenied) as exc:
        principal(world, "anonymous").require(False)
    assert not isinstance(exc.value, TwoFactorRequired)
    assert exc.value.extra == {"code": "not_authenticated"}


@pytest.mark.parametrize("role", ["other_company", "own_company", "party", "secretariat"])
def test_require_for_signed_in_user_is_plain_denial(world, role):
    with pytest.raises(PermissionDenied) as exc:
        principal(world, role).require(False)
    assert not isinstance(exc.value, TwoFactorRequired)
    assert exc.value.extra == {}


# --- second factor ---------------------------------------------------------------------
@pytest.fixture
def unverified(world) -> dict[str, Principal]:
    """Principals of secretariat, assessor and committee users who have not passed the TOTP."""
    committee = OrganisationFactory(type="committee")
    world.agreement.committee = committee
    world.agreement.save()
    return {
        "secretariat": principal(world, "secretariat", verified=False),
        "assessor": Principal.for_user(
            user_with_role(world.secretariat_org, RoleName.ASSESSOR), verified=False
        ),
        "committee": Principal.for_user(
            user_with_role(committee, RoleName.COMMITTEE_MEMBER), verified=False
        ),
    }


@pytest.mark.parametrize("who", ["secretariat", "assessor", "committee"])
def test_unverified_two_factor_roles_have_no_powers(world, unverified, who):
    p = unverified[who]
    assert (p.needs_two_factor, p.two_factor_pending, p.is_authenticated) == (True, True, True)
    assert {rule: check(p, world) for rule, (check, _allowed) in RULES.items()} == dict.fromkeys(
        RULES, False
    )
    assert (p.secretariat_org_ids, p.assessor_org_ids, p.committee_org_ids) == (
        frozenset(),
        frozenset(),
        frozenset(),
    )
    assert p.is_secretariat is False
    with pytest.raises(TwoFactorRequired):
        p.require(False)


def test_verified_two_factor_roles_get_their_powers(world, unverified):
    sec = principal(world, "secretariat", verified=True)
    assert sec.two_factor_pending is False
    assert sec.secretariat_org_ids == frozenset({world.secretariat_org.pk})
    assessor = Principal.for_user(unverified["assessor"].user, verified=True)
    assert assessor.assessor_org_ids == frozenset({world.secretariat_org.pk})
    assert assessor.can_manage_memberships(world.agreement) is False  # assessing is not running
    committee = Principal.for_user(unverified["committee"].user, verified=True)
    assert committee.committee_org_ids == frozenset({world.agreement.committee_id})


def test_unverified_secretariat_keeps_company_role(world):
    """A second-factor role pending does not take away roles that need no second factor."""
    user = world.users["own_company"]
    from covenant.accounts.models import Role

    Role.objects.create(user=user, organisation=world.secretariat_org, role=RoleName.SECRETARIAT)
    p = Principal.for_user(user, verified=False)
    assert p.two_factor_pending is True
    assert p.can_edit_company(world.company) is True
    assert p.can_manage_memberships(world.agreement) is False


def test_principal_for_inactive_user_is_anonymous(world):
    user = world.users["secretariat"]
    user.is_active = False
    user.save()
    p = Principal.for_user(user, verified=True)
    assert (p.is_authenticated, p.user) == (False, None)


# --- between agreements ----------------------------------------------------------------
@pytest.fixture
def foreign_secretariat(world) -> Principal:
    """Verified staff of the secretariat of another agreement."""
    other_agreement = AgreementFactory(slug="gold")
    user = user_with_role(other_agreement.secretariat, RoleName.SECRETARIAT, username="goldsec")
    return Principal.for_user(user, verified=True)


def test_secretariat_of_another_agreement_cannot_see_its_members(world, foreign_secretariat):
    p = foreign_secretariat
    assert p.is_secretariat is True
    assert p.can_view_company_confidential(world.company) is False
    assert p.can_edit_company(world.company) is False
    assert p.can_manage_memberships(world.agreement) is False
    assert p.can_set_market_size(world.agreement) is False


def test_secretariat_sees_company_member_of_both_agreements(world, foreign_secretariat):
    gold = AgreementFactory._meta.model.objects.get(slug="gold")
    MembershipFactory(agreement=gold, company=world.company)
    assert foreign_secretariat.can_view_company_confidential(world.company) is True
    assert foreign_secretariat.can_view_company_confidential(world.other_company) is False


def test_company_without_membership_is_visible_to_every_secretariat(world, foreign_secretariat):
    newcomer = OrganisationFactory()
    assert foreign_secretariat.can_view_company_confidential(newcomer) is True
    assert principal(world, "secretariat").can_view_company_confidential(newcomer) is True
    assert principal(world, "party").can_view_company_confidential(newcomer) is False


def test_secretariat_of_another_agreement_cannot_edit_its_party_commitments(
    world, foreign_secretariat
):
    assert foreign_secretariat.can_edit_commitment(world.party_org) is False
    assert principal(world, "secretariat").can_edit_commitment(world.party_org) is True
