"""Services of the agreements app: membership lifecycle, brands, market-coverage figures and
party commitments. Every write is checked for its audit row; every refusal for its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from covenant.agreements import services
from covenant.agreements.models import (
    CommitmentTarget,
    MarketSize,
    Membership,
    MembershipEvent,
    Organisation,
    TargetProgress,
    Turnover,
)
from covenant.agreements.tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    ThemeFactory,
)
from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent

S = Membership.Status
D = dt.date


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _events(membership: Membership) -> list[tuple[str, str, dt.date, str, str]]:
    return list(
        MembershipEvent.objects.filter(membership=membership)
        .order_by("id")
        .values_list("from_status", "to_status", "effective_on", "reason", "note")
    )


@pytest.fixture
def applicant(world) -> Organisation:
    return OrganisationFactory(name="New Denim BV", slug="new-denim")


@pytest.fixture
def sec(world):
    return world.users["secretariat"]


# --- membership lifecycle ----------------------------------------------------------------
def test_membership_full_lifecycle_writes_events_and_audit(world, applicant, sec):
    AuditEvent.objects.all().delete()
    m = services.membership_apply(
        agreement=world.agreement, company=applicant, actor=sec, applied_on=D(2017, 1, 10)
    )
    assert (m.status, m.applied_on, m.joined_on, m.ended_on) == (
        S.APPLIED,
        D(2017, 1, 10),
        None,
        None,
    )

    m = services.membership_approve(membership=m, actor=sec, effective_on=D(2017, 2, 1))
    assert (m.status, m.joined_on) == (S.ACTIVE, D(2017, 2, 1))

    m = services.membership_suspend(
        membership=m, actor=sec, effective_on=D(2018, 3, 1), note="No self-assessment"
    )
    assert m.status == S.SUSPENDED

    m = services.membership_reinstate(membership=m, actor=sec, effective_on=D(2018, 9, 1))
    assert (m.status, m.joined_on) == (S.ACTIVE, D(2017, 2, 1))  # first join date kept

    m = services.membership_end(
        membership=m, reason="left", actor=sec, effective_on=D(2019, 12, 31), note="Bye"
    )
    m.refresh_from_db()
    assert (m.status, m.ended_on, m.end_reason, m.merged_into) == (
        S.ENDED,
        D(2019, 12, 31),
        "left",
        None,
    )
    assert _events(m) == [
        ("", "applied", D(2017, 1, 10), "", ""),
        ("applied", "active", D(2017, 2, 1), "", ""),
        ("active", "suspended", D(2018, 3, 1), "", "No self-assessment"),
        ("suspended", "active", D(2018, 9, 1), "", ""),
        ("active", "ended", D(2019, 12, 31), "left", "Bye"),
    ]
    assert _actions() == [
        "membership.applied",
        "membership.active",
        "membership.suspended",
        "membership.active",
        "membership.ended",
    ]
    audits = list(AuditEvent.objects.order_by("id"))
    assert {a.actor_id for a in audits} == {sec.pk}
    assert {a.organisation_id for a in audits} == {applicant.pk}
    assert {(a.object_type, a.object_id) for a in audits} == {("agreements.membership", str(m.pk))}
    assert audits[0].detail == {"agreement": "garments", "applied_on": "2017-01-10"}
    assert audits[-1].detail == {
        "from": "active",
        "to": "ended",
        "effective_on": "2019-12-31",
        "reason": "left",
    }
    assert all(a.kind == AuditEvent.Kind.CHANGE for a in audits)


def test_apply_rejects_second_open_application(world, applicant, sec):
    services.membership_apply(agreement=world.agreement, company=applicant, actor=sec)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_apply(agreement=world.agreement, company=applicant, actor=sec)
    assert exc.value.field == "company"
    assert Membership.objects.filter(company=applicant).count() == 1


def test_apply_rejects_company_that_is_already_a_member(world, sec):
    with pytest.raises(ValidationFailed) as exc:
        services.membership_apply(agreement=world.agreement, company=world.company, actor=sec)
    assert exc.value.field == "company"


def test_apply_again_after_rejection_or_end_is_allowed(world, applicant, sec):
    first = services.membership_apply(
        agreement=world.agreement, company=applicant, actor=sec, applied_on=D(2017, 1, 1)
    )
    services.membership_reject(membership=first, actor=sec, note="Incomplete")
    second = services.membership_apply(agreement=world.agreement, company=applicant, actor=sec)
    assert second.pk != first.pk
    assert list(
        Membership.objects.filter(company=applicant).order_by("id").values_list("status", flat=True)
    ) == ["rejected", "applied"]


def test_apply_refuses_non_company(world, sec):
    with pytest.raises(ValidationFailed) as exc:
        services.membership_apply(agreement=world.agreement, company=world.party_org, actor=sec)
    assert exc.value.field == "company"
    assert not Membership.objects.filter(company=world.party_org).exists()


def test_approve_with_sister_initiative_gives_associated(world, applicant, sec):
    m = services.membership_apply(
        agreement=world.agreement, company=applicant, actor=sec, applied_on=D(2019, 1, 1)
    )
    m = services.membership_approve(
        membership=m, actor=sec, effective_on=D(2019, 2, 1), sister_initiative="  Textilbündnis "
    )
    m.refresh_from_db()
    assert (m.status, m.sister_initiative, m.joined_on) == (
        S.ASSOCIATED,
        "Textilbündnis",
        D(2019, 2, 1),
    )
    assert _actions()[-1] == "membership.associated"

    # Reinstating an associated member after a suspension keeps it associated.
    m = services.membership_suspend(
        membership=m, actor=sec, effective_on=D(2019, 3, 1), note="Late"
    )
    m = services.membership_reinstate(membership=m, actor=sec, effective_on=D(2019, 4, 1))
    assert m.status == S.ASSOCIATED


def test_suspend_needs_a_note(world, sec):
    m = Membership.objects.get(company=world.company)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_suspend(membership=m, actor=sec, note="   ")
    assert exc.value.field == "note"
    m.refresh_from_db()
    assert m.status == S.ACTIVE


def test_end_with_merged_records_merged_into(world, sec):
    m = Membership.objects.get(company=world.company)
    m = services.membership_end(
        membership=m,
        reason="merged",
        actor=sec,
        effective_on=D(2019, 1, 1),
        merged_into=world.other_company,
    )
    m.refresh_from_db()
    assert (m.status, m.end_reason, m.merged_into_id, m.ended_on) == (
        S.ENDED,
        "merged",
        world.other_company.pk,
        D(2019, 1, 1),
    )
    assert _events(m)[-1] == ("active", "ended", D(2019, 1, 1), "merged", "")


def test_end_merged_into_must_be_a_company(world, sec):
    m = Membership.objects.get(company=world.company)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_end(
            membership=m, reason="merged", actor=sec, merged_into=world.party_org
        )
    assert exc.value.field == "merged_into"


@pytest.mark.parametrize("reason", ["", "moved", "LEFT"])
def test_end_needs_a_known_reason(world, sec, reason):
    m = Membership.objects.get(company=world.company)
    with pytest.raises(ValidationFailed) as exc:
        services.membership_end(membership=m, reason=reason, actor=sec)
    assert exc.value.field == "reason"


def _membership_in(world, status: str) -> Membership:
    """A membership of a fresh company brought to `status` through the services."""
    sec = world.users["secretariat"]
    company = OrganisationFactory()
    m = services.membership_apply(
        agreement=world.agreement, company=company, actor=sec, applied_on=D(2017, 1, 1)
    )
    if status == S.REJECTED:
        return services.membership_reject(membership=m, actor=sec)
    if status == S.APPLIED:
        return m
    sister = "Textilbündnis" if status == S.ASSOCIATED else ""
    m = services.membership_approve(
        membership=m, actor=sec, effective_on=D(2017, 2, 1), sister_initiative=sister
    )
    if status == S.SUSPENDED:
        m = services.membership_suspend(
            membership=m, actor=sec, effective_on=D(2017, 3, 1), note="x"
        )
    if status == S.ENDED:
        m = services.membership_end(
            membership=m, reason="left", actor=sec, effective_on=D(2017, 3, 1)
        )
    return m


def _approve(m, sec):
    return services.membership_approve(membership=m, actor=sec)


def _reject(m, sec):
    return services.membership_reject(membership=m, actor=sec)


def _suspend(m, sec):
    return services.membership_suspend(membership=m, actor=sec, note="reason")


def _reinstate(m, sec):
    return services.membership_reinstate(membership=m, actor=sec)


def _end(m, sec):
    return services.membership_end(membership=m, reason="left", actor=sec)


INVALID_TRANSITIONS = [
    (S.APPLIED, _suspend),
    (S.APPLIED, _reinstate),
    (S.APPLIED, _end),
    (S.ACTIVE, _approve),
    (S.ACTIVE, _reject),
    (S.ACTIVE, _reinstate),
    (S.ASSOCIATED, _approve),
    (S.ASSOCIATED, _reject),
    (S.ASSOCIATED, _reinstate),
    (S.SUSPENDED, _approve),
    (S.SUSPENDED, _reject),
    (S.SUSPENDED, _suspend),
    (S.ENDED, _approve),
    (S.ENDED, _reject),
    (S.ENDED, _suspend),
    (S.ENDED, _reinstate),
    (S.ENDED, _end),
    (S.REJECTED, _approve),
    (S.REJECTED, _reject),
    (S.REJECTED, _suspend),
    (S.REJECTED, _reinstate),
    (S.REJECTED, _end),
]


@pytest.mark.parametrize(
    ("status", "change"),
    INVALID_TRANSITIONS,
    ids=[f"{s}-{f.__name__}" for s, f in INVALID_TRANSITIONS],
)
def test_invalid_transition_is_refused_without_writing(world, status, change):
    sec = world.users["secretariat"]
    m = _membership_in(world, status)
    assert m.status == status
    events, audits = MembershipEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        change(m, sec)
    assert exc.value.field == "status"
    m.refresh_from_db()
    assert m.status == status
    assert (MembershipEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_date_before_previous_change_is_refused(world, applicant, sec):
    m = services.membership_apply(
        agreement=world.agreement, company=applicant, actor=sec, applied_on=D(2018, 5, 1)
    )
    with pytest.raises(ValidationFailed) as exc:
        services.membership_approve(membership=m, actor=sec, effective_on=D(2018, 4, 30))
    assert exc.value.field == "effective_on"
    m = services.membership_approve(membership=m, actor=sec, effective_on=D(2018, 5, 1))
    assert m.status == S.ACTIVE  # the same day as the previous change is fine
    with pytest.raises(ValidationFailed) as exc:
        services.membership_end(membership=m, reason="left", actor=sec, effective_on=D(2018, 1, 1))
    assert exc.value.field == "effective_on"
    m.refresh_from_db()
    assert (m.status, m.ended_on) == (S.ACTIVE, None)
    assert len(_events(m)) == 2


# --- brands ----------------------------------------------------------------------------
def test_brand_create_and_audit(world):
    admin = world.users["own_company"]
    brand = services.brand_create(company=world.company, name="  Second Label ", actor=admin)
    assert (brand.name, brand.company_id) == ("Second Label", world.company.pk)
    audit = AuditEvent.objects.get(action="brand.create")
    assert (audit.actor_id, audit.organisation_id, audit.object_id) == (
        admin.pk,
        world.company.pk,
        str(brand.pk),
    )


@pytest.mark.parametrize("name", ["Own Label", "own label", " OWN LABEL "])
def test_brand_create_refuses_duplicate_case_insensitive(world, name):
    with pytest.raises(ValidationFailed) as exc:
        services.brand_create(company=world.company, name=name, actor=None)
    assert exc.value.field == "name"
    assert world.company.brands.count() == 1


def test_brand_same_name_at_another_company_is_fine(world):
    brand = services.brand_create(company=world.company, name="Other Label", actor=None)
    assert brand.name == "Other Label"


@pytest.mark.parametrize(("name", "field"), [("", "name"), ("   ", "name"), ("x" * 201, "name")])
def test_brand_create_validates_name(world, name, field):
    with pytest.raises(ValidationFailed) as exc:
        services.brand_create(company=world.company, name=name, actor=None)
    assert exc.value.field == field


def test_brand_create_only_for_companies(world):
    with pytest.raises(ValidationFailed) as exc:
        services.brand_create(company=world.party_org, name="Label", actor=None)
    assert exc.value.field == "company"


def test_brand_delete_audits(world):
    brand = world.company.brands.get()
    services.brand_delete(brand=brand, actor=world.users["own_company"])
    assert not world.company.brands.exists()
    assert AuditEvent.objects.get(action="brand.delete").object_repr == "Own Label"


# --- turnover and market size ----------------------------------------------------------
def test_turnover_set_upserts_and_keeps_amount_out_of_audit(world):
    admin = world.users["own_company"]
    t = services.turnover_set(company=world.company, year=2018, amount_eur="1,250,000", actor=admin)
    assert (t.year, t.amount_eur, t.entered_by_id) == (2018, Decimal(1250000), admin.pk)
    t2 = services.turnover_set(company=world.company, year=2018, amount_eur=900, actor=admin)
    assert t2.pk == t.pk
    assert list(Turnover.objects.values_list("company_id", "year", "amount_eur")) == [
        (world.company.pk, 2018, Decimal(900))
    ]
    details = list(
        AuditEvent.objects.filter(action="turnover.set")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [{"year": 2018, "created": True}, {"year": 2018, "created": False}]


def test_turnover_zero_is_allowed(world):
    t = services.turnover_set(company=world.company, year=2018, amount_eur="0", actor=None)
    assert t.amount_eur == Decimal(0)


@pytest.mark.parametrize(
    ("year", "amount", "field"),
    [
        (2018, -1, "amount_eur"),
        (2018, "-0.5", "amount_eur"),
        (2018, "abc", "amount_eur"),
        (2018, "", "amount_eur"),
        (2018, None, "amount_eur"),
        (2018, "NaN", "amount_eur"),
        (2018, "Infinity", "amount_eur"),
        (2018, "1e15", "amount_eur"),
        (1989, 100, "year"),
        (2101, 100, "year"),
        ("2018", 100, "year"),
    ],
)
def test_turnover_set_validation(world, year, amount, field):
    with pytest.raises(ValidationFailed) as exc:
        services.turnover_set(company=world.company, year=year, amount_eur=amount, actor=None)
    assert exc.value.field == field
    assert not Turnover.objects.exists()


def test_turnover_only_for_companies(world):
    with pytest.raises(ValidationFailed) as exc:
        services.turnover_set(company=world.party_org, year=2018, amount_eur=1, actor=None)
    assert exc.value.field == "company"


def test_market_size_set_upserts_and_audits(world):
    sec = world.users["secretariat"]
    ms = services.market_size_set(
        agreement=world.agreement, year=2018, amount_eur="15000000000", actor=sec, source=" CBS "
    )
    assert (ms.year, ms.amount_eur, ms.source, ms.entered_by_id) == (
        2018,
        Decimal(15_000_000_000),
        "CBS",
        sec.pk,
    )
    services.market_size_set(agreement=world.agreement, year=2018, amount_eur=16e9, actor=sec)
    assert list(MarketSize.objects.values_list("year", "amount_eur", "source")) == [
        (2018, Decimal(16_000_000_000), "")
    ]
    audit = AuditEvent.objects.filter(action="market_size.set").order_by("id").last()
    assert audit.detail == {"agreement": "garments", "year": 2018, "amount_eur": "16000000000"}


@pytest.mark.parametrize(
    ("year", "amount", "field"),
    [
        (2018, 0, "amount_eur"),
        (2018, "0", "amount_eur"),
        (2018, -5, "amount_eur"),
        (2018, "lots", "amount_eur"),
        (1900, 100, "year"),
        (2200, 100, "year"),
    ],
)
def test_market_size_set_validation(world, year, amount, field):
    with pytest.raises(ValidationFailed) as exc:
        services.market_size_set(
            agreement=world.agreement, year=year, amount_eur=amount, actor=None
        )
    assert exc.value.field == field
    assert not MarketSize.objects.exists()


# --- commitments -----------------------------------------------------------------------
@pytest.fixture
def commitment(world):
    return world.party_signatory.commitment


def test_commitment_update(world, commitment):
    party = world.users["party"]
    services.commitment_update(
        commitment=commitment, actor=party, why_at_table="  Workers first ", mandate="m"
    )
    commitment.refresh_from_db()
    assert (commitment.why_at_table, commitment.mandate, commitment.contribution) == (
        "Workers first",
        "m",
        "",
    )
    audit = AuditEvent.objects.get(action="commitment.update")
    assert (audit.organisation_id, audit.detail) == (
        world.party_org.pk,
        {"fields": ["mandate", "why_at_table"]},
    )


def test_commitment_update_length_limit(world, commitment):
    services.commitment_update(commitment=commitment, actor=None, contribution="x" * 5000)
    with pytest.raises(ValidationFailed) as exc:
        services.commitment_update(commitment=commitment, actor=None, contribution="x" * 5001)
    assert exc.value.field == "contribution"
    commitment.refresh_from_db()
    assert len(commitment.contribution) == 5000


def test_commitment_update_unknown_field(world, commitment):
    with pytest.raises(ValidationFailed) as exc:
        services.commitment_update(commitment=commitment, actor=None, signatory="x")
    assert exc.value.field == "signatory"


def test_commitment_target_add(world, commitment):
    theme = world.agreement.themes.get()
    target = services.commitment_target_add(
        commitment=commitment,
        description=" Train 40 factory committees ",
        indicator="committees trained",
        target_value="40",
        baseline=5,
        unit="committees",
        due_year=2020,
        theme=theme,
        actor=world.users["party"],
    )
    target.refresh_from_db()
    assert (
        target.description,
        target.indicator,
        target.target_value,
        target.baseline,
        target.unit,
        target.due_year,
        target.theme_id,
    ) == (
        "Train 40 factory committees",
        "committees trained",
        Decimal(40),
        Decimal(5),
        "committees",
        2020,
        theme.pk,
    )
    assert AuditEvent.objects.get(action="commitment.target_add").organisation_id == (
        world.party_org.pk
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"indicator": ""}, "indicator"),
        ({"due_year": 1980}, "due_year"),
        ({"due_year": 2101}, "due_year"),
        ({"target_value": "forty"}, "target_value"),
        ({"target_value": "1e12"}, "target_value"),
        ({"target_value": "NaN"}, "target_value"),
        ({"baseline": "none"}, "baseline"),
    ],
)
def test_commitment_target_add_validation(world, commitment, overrides, field):
    kwargs = {
        "description": "Train committees",
        "indicator": "committees",
        "target_value": 40,
        "due_year": 2020,
        **overrides,
    }
    with pytest.raises(ValidationFailed) as exc:
        services.commitment_target_add(commitment=commitment, actor=None, **kwargs)
    assert exc.value.field == field
    assert not CommitmentTarget.objects.exists()


def test_commitment_target_theme_of_other_agreement_refused(world, commitment):
    foreign = ThemeFactory(agreement=AgreementFactory())
    with pytest.raises(ValidationFailed) as exc:
        services.commitment_target_add(
            commitment=commitment,
            description="d",
            indicator="i",
            target_value=1,
            due_year=2020,
            theme=foreign,
            actor=None,
        )
    assert exc.value.field == "theme"


def test_target_progress_set_upserts(world, commitment):
    target = services.commitment_target_add(
        commitment=commitment,
        description="d",
        indicator="i",
        target_value=40,
        due_year=2020,
        actor=None,
    )
    first = services.target_progress_set(target=target, year=2018, value="12", actor=None)
    second = services.target_progress_set(
        target=target, year=2018, value="15.5", actor=None, note=" corrected "
    )
    services.target_progress_set(target=target, year=2019, value=30, actor=None)
    assert second.pk == first.pk
    assert list(
        TargetProgress.objects.filter(target=target)
        .order_by("year")
        .values_list("year", "value", "note")
    ) == [(2018, Decimal("15.50"), "corrected"), (2019, Decimal("30.00"), "")]
    details = list(
        AuditEvent.objects.filter(action="commitment.progress")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        {"year": 2018, "value": "12"},
        {"year": 2018, "value": "15.5"},
        {"year": 2019, "value": "30"},
    ]


@pytest.mark.parametrize(
    ("year", "value", "field"), [(1989, 1, "year"), (2018, "x", "value"), (2018, "", "value")]
)
def test_target_progress_set_validation(world, commitment, year, value, field):
    target = services.commitment_target_add(
        commitment=commitment,
        description="d",
        indicator="i",
        target_value=40,
        due_year=2020,
        actor=None,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.target_progress_set(target=target, year=year, value=value, actor=None)
    assert exc.value.field == field
    assert not TargetProgress.objects.exists()
