"""Selectors of the agreements app: member counts at a date, year counts from the membership
history, and market coverage (aggregated, suppressed below MIN_GROUP_SIZE)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from covenant.agreements import selectors, services
from covenant.agreements.models import CoverageTarget, Membership, Organisation
from covenant.agreements.tests.factories import (
    AgreementFactory,
    BrandFactory,
    MembershipFactory,
    OrganisationFactory,
)

D = dt.date


def _join(world, name: str, applied: dt.date, joined: dt.date, **approve) -> Membership:
    company = OrganisationFactory(name=name)
    m = services.membership_apply(
        agreement=world.agreement, company=company, actor=None, applied_on=applied
    )
    return services.membership_approve(membership=m, actor=None, effective_on=joined, **approve)


# --- member counts ---------------------------------------------------------------------
def test_member_count_on_joined_and_ended_boundaries(world):
    m = _join(world, "Leaver BV", D(2017, 1, 10), D(2017, 2, 1))
    BrandFactory(company=m.company, name="Leaver Label")
    BrandFactory(company=m.company, name="Leaver Kids")
    services.membership_end(membership=m, reason="left", actor=None, effective_on=D(2018, 3, 1))

    def count(on: dt.date) -> tuple[int, int]:
        c = selectors.member_count_on(world.agreement, on)
        assert c.on == on
        return c.companies, c.brands

    assert count(D(2016, 7, 3)) == (0, 0)  # the world's two members join on 4 July 2016
    assert count(D(2016, 7, 4)) == (2, 2)
    assert count(D(2017, 1, 31)) == (2, 2)  # applied is not a member yet
    assert count(D(2017, 2, 1)) == (3, 4)
    assert count(D(2018, 2, 28)) == (3, 4)
    assert count(D(2018, 3, 1)) == (2, 2)  # not a member any more on the day it ended


def test_member_count_ignores_other_agreements(world):
    MembershipFactory(agreement=AgreementFactory(), company=OrganisationFactory())
    assert selectors.member_count_on(world.agreement, D(2019, 1, 1)).companies == 2


def test_suspended_member_still_counts(world):
    m = Membership.objects.get(company=world.company)
    services.membership_suspend(membership=m, actor=None, effective_on=D(2018, 1, 1), note="x")
    assert selectors.member_count_on(world.agreement, D(2018, 6, 1)).companies == 2


def test_members_on_lists_memberships_by_company_name(world):
    names = [m.company.name for m in selectors.members_on(world.agreement, D(2019, 1, 1))]
    assert names == ["Other Apparel BV", "Own Fashion BV"]


def test_membership_year_counts(world):
    a = _join(world, "A BV", D(2017, 1, 10), D(2017, 2, 1))
    b = _join(world, "B BV", D(2017, 3, 1), D(2017, 4, 1), sister_initiative="Textilbündnis")
    # A suspension and reinstatement is neither a join nor a leave.
    services.membership_suspend(membership=a, actor=None, effective_on=D(2018, 1, 5), note="x")
    a = services.membership_reinstate(membership=a, actor=None, effective_on=D(2018, 2, 1))
    services.membership_end(membership=a, reason="left", actor=None, effective_on=D(2018, 5, 1))
    services.membership_end(
        membership=b, reason="bankruptcy", actor=None, effective_on=D(2019, 1, 15)
    )
    own = Membership.objects.get(company=world.company)
    services.membership_end(
        membership=own,
        reason="merged",
        actor=None,
        effective_on=D(2019, 6, 1),
        merged_into=world.other_company,
    )
    # An application that was never approved does not count.
    c = services.membership_apply(
        agreement=world.agreement,
        company=OrganisationFactory(),
        actor=None,
        applied_on=D(2018, 1, 1),
    )
    services.membership_reject(membership=c, actor=None)

    rows = [
        (r.year, r.joined, r.left, r.left_by_reason, r.members_at_end)
        for r in selectors.membership_year_counts(world.agreement)
    ]
    assert rows == [
        (2016, 2, 0, {}, 2),
        (2017, 2, 0, {}, 4),
        (2018, 0, 1, {"left": 1}, 3),
        (2019, 0, 2, {"bankruptcy": 1, "merged": 1}, 1),
    ]


def test_membership_year_counts_empty(db):
    assert selectors.membership_year_counts(AgreementFactory()) == []


# --- market coverage -------------------------------------------------------------------
@pytest.fixture
def coverage_world(world, settings):
    """Two reporting members: own (2018: 100, 2019: 950) and other (2017: 50, the fallback
    for later years); market sizes 2017: 1000 and 2019: 2000; targets 2016: 50 %, 2020: 80 %."""
    settings.MIN_GROUP_SIZE = 3
    services.turnover_set(company=world.company, year=2018, amount_eur=100, actor=None)
    services.turnover_set(company=world.company, year=2019, amount_eur=950, actor=None)
    services.turnover_set(company=world.other_company, year=2017, amount_eur=50, actor=None)
    services.market_size_set(agreement=world.agreement, year=2017, amount_eur=1000, actor=None)
    services.market_size_set(agreement=world.agreement, year=2019, amount_eur=2000, actor=None)
    CoverageTarget.objects.create(agreement=world.agreement, year=2016, target_percent=50)
    CoverageTarget.objects.create(agreement=world.agreement, year=2020, target_percent=80)
    return world


def _point(p) -> tuple:
    return (p.companies, p.reporting, p.coverage_percent, p.target_percent, p.suppressed)


def test_coverage_suppressed_below_min_group_size(coverage_world):
    p = selectors.coverage_on(coverage_world.agreement, D(2018, 6, 1))
    assert (p.on, p.label) == (D(2018, 6, 1), "2018-06-01")
    assert _point(p) == (2, 2, None, 50.0, True)


def test_coverage_published_from_min_group_size(coverage_world):
    third = _join(coverage_world, "Third BV", D(2017, 1, 1), D(2017, 6, 1)).company
    services.turnover_set(company=third, year=2018, amount_eur=150, actor=None)
    # A member without any turnover counts as a member but not as reporting.
    _join(coverage_world, "Silent BV", D(2017, 1, 1), D(2017, 6, 1))

    p = selectors.coverage_on(coverage_world.agreement, D(2018, 6, 1), label="mid 2018")
    # (100 + 50 [2017 fallback] + 150) / 1000 [2017 market size, fallback] = 30.0 %
    assert p.label == "mid 2018"
    assert _point(p) == (4, 3, 30.0, 50.0, False)


def test_coverage_min_group_size_setting_is_read_at_call_time(coverage_world, settings):
    settings.MIN_GROUP_SIZE = 2
    p = selectors.coverage_on(coverage_world.agreement, D(2018, 6, 1))
    assert _point(p) == (2, 2, 15.0, 50.0, False)


def test_coverage_without_market_size_is_not_a_number(coverage_world, settings):
    settings.MIN_GROUP_SIZE = 2
    # Before the first market size (2017) there is nothing to divide by.
    services.turnover_set(company=coverage_world.company, year=2016, amount_eur=10, actor=None)
    services.turnover_set(
        company=coverage_world.other_company, year=2016, amount_eur=20, actor=None
    )
    p = selectors.coverage_on(coverage_world.agreement, D(2016, 12, 31))
    assert _point(p) == (2, 2, None, 50.0, False)


def test_coverage_counts_only_members_on_the_date(coverage_world, settings):
    settings.MIN_GROUP_SIZE = 1
    p = selectors.coverage_on(coverage_world.agreement, D(2016, 1, 1))
    assert _point(p) == (0, 0, None, 50.0, True)


def test_coverage_series_points(coverage_world, settings):
    settings.MIN_GROUP_SIZE = 2
    points = selectors.coverage_series(coverage_world.agreement, today=D(2019, 6, 1))
    assert [(p.label, p.on, *_point(p)) for p in points] == [
        # 2017: only other's 2017 figure exists, one company: suppressed
        ("1-1-2017", D(2017, 1, 1), 2, 1, None, 50.0, True),
        # 2018: (100 + 50) / 1000
        ("1-1-2018", D(2018, 1, 1), 2, 2, 15.0, 50.0, False),
        # 2019: (950 + 50) / 2000
        ("1-1-2019", D(2019, 1, 1), 2, 2, 50.0, 50.0, False),
        ("1-6-2019", D(2019, 6, 1), 2, 2, 50.0, 50.0, False),
    ]


def test_coverage_series_of_ended_agreement_stops_at_its_end(coverage_world):
    points = selectors.coverage_series(coverage_world.agreement, today=D(2030, 1, 1))
    assert [p.label for p in points] == [
        "1-1-2017",
        "1-1-2018",
        "1-1-2019",
        "1-1-2020",
        "1-1-2021",
        "4-7-2021",
    ]


def test_coverage_series_ending_on_1_january_has_no_double_point(coverage_world):
    points = selectors.coverage_series(coverage_world.agreement, today=D(2019, 1, 1))
    assert [p.label for p in points] == ["1-1-2017", "1-1-2018", "1-1-2019"]


def test_coverage_by_company(coverage_world):
    services.market_size_set(
        agreement=coverage_world.agreement, year=2018, amount_eur=300, actor=None
    )
    rows = selectors.coverage_by_company(coverage_world.agreement, 2018)
    assert [(r.company.name, r.year, r.amount_eur, r.share_percent) for r in rows] == [
        ("Other Apparel BV", 2018, None, None),  # no 2018 figure: no fallback here
        ("Own Fashion BV", 2018, Decimal(100), 33.33),
    ]


def test_coverage_by_company_without_market_size(coverage_world):
    rows = selectors.coverage_by_company(coverage_world.agreement, 2018)
    assert [(r.company.name, r.amount_eur, r.share_percent) for r in rows] == [
        ("Other Apparel BV", None, None),
        ("Own Fashion BV", Decimal(100), None),
    ]


def test_coverage_by_company_excludes_non_members(coverage_world):
    outsider = OrganisationFactory(name="Aaa Outsider", type=Organisation.Type.COMPANY)
    services.turnover_set(company=outsider, year=2018, amount_eur=5, actor=None)
    rows = selectors.coverage_by_company(coverage_world.agreement, 2018)
    assert [r.company.name for r in rows] == ["Other Apparel BV", "Own Fashion BV"]
