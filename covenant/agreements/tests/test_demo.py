"""The demo data: `manage.py load_demo` reproduces the figures of the garment agreement's
reports, is idempotent, loads all or nothing, and refuses without COVENANT_DEMO.

The demo is loaded once for the module inside a transaction that is rolled back at the end;
each test runs in a savepoint within it. The tests that need an empty database come first."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pyotp
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase

from covenant.accounts.models import Role, RoleName, TOTPDevice, User
from covenant.agreements import demo, selectors
from covenant.agreements.models import (
    Agreement,
    Brand,
    CommitmentTarget,
    Membership,
    Organisation,
    Signatory,
    TargetProgress,
)
from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# --- on an empty database (before the module's demo is loaded) ---------------------------
def test_refuses_when_demo_is_disabled(settings):
    settings.COVENANT_DEMO = False
    with pytest.raises(CommandError, match="COVENANT_DEMO"):
        call_command("load_demo")
    assert not Agreement.objects.exists()


def test_a_failure_loads_nothing(monkeypatch):
    def fail(summary):
        raise ValidationFailed("This username is already taken.", field="username")

    monkeypatch.setattr(demo, "_load_accounts", fail)
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_demo")
    assert not Agreement.objects.exists()
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


# --- on the loaded demo ----------------------------------------------------------------
@dataclass
class Loaded:
    output: str
    on_commit_callbacks: int


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        with TestCase.captureOnCommitCallbacks() as callbacks:
            call_command("load_demo", stdout=out)
        yield Loaded(out.getvalue(), len(callbacks))
        transaction.set_rollback(True)


@pytest.fixture
def garments(loaded) -> Agreement:
    return Agreement.objects.get(slug="garments")


def test_load_reports_what_it_did_and_sends_nothing(loaded):
    assert "Demo loaded" in loaded.output
    # Membership changes from 2016 on must not e-mail anybody or queue tasks.
    assert loaded.on_commit_callbacks == 0


def test_garment_agreement(garments):
    assert garments.name_nl == "Convenant Duurzame Kleding en Textiel"
    assert garments.name_en == "Dutch Agreement on Sustainable Garments and Textile"
    assert garments.short_name == "AGT"
    assert garments.sector == "Garment and textile"
    assert (garments.signed_on, garments.ends_on) == (dt.date(2016, 7, 4), dt.date(2021, 7, 4))
    assert garments.status == Agreement.Status.ACTIVE
    assert (garments.list_publication_month, garments.list_publication_day) == (7, 4)
    assert garments.facility_taxonomy == "open-supply-hub-2023"
    assert garments.secretariat.type == Organisation.Type.SECRETARIAT
    assert garments.committee is not None
    assert garments.committee.type == Organisation.Type.COMMITTEE


def test_nine_themes_six_steps_and_targets(garments):
    themes = list(garments.themes.all())
    assert len(themes) == 9
    assert [t.sort_order for t in themes] == list(range(1, 10))
    names = {t.name_nl: t.name_en for t in themes}
    assert names["Leefbaar loon"] == "Living wage"
    assert names["Dierenwelzijn"] == "Animal welfare"
    assert names["Vrijheid van vakvereniging"] == "Freedom of association"
    for theme in themes:
        for field in ("description", "joint_aims", "expected_measures"):
            assert getattr(theme, f"{field}_nl") and getattr(theme, f"{field}_en"), (theme, field)
    assert garments.dd_steps.count() == 6
    targets = dict(garments.coverage_targets.values_list("year", "target_percent"))
    assert targets == {2018: 50, 2020: 80}


def test_members_and_brands_on_1_january_2019(garments):
    count = selectors.member_count_on(garments, dt.date(2019, 1, 1))
    assert (count.companies, count.brands) == (71, 92)
    # The 2017 annual report: 63 companies with 79 labels.
    count = selectors.member_count_on(garments, dt.date(2018, 1, 1))
    assert (count.companies, count.brands) == (63, 79)


def test_joins_and_leaves_in_2019(garments):
    years = {y.year: y for y in selectors.membership_year_counts(garments)}
    assert (years[2019].joined, years[2019].left) == (5, 7)
    assert years[2019].left_by_reason.get("bankruptcy") == 1
    assert years[2019].members_at_end == 69
    # "The number of brands stayed the same."
    assert selectors.member_count_on(garments, dt.date(2019, 12, 31)).brands == 92
    assert years[2016].joined > 40
    assert years[2017].joined and years[2018].joined
    assert years[2017].left and years[2018].left and years[2020].left


def test_market_coverage_2019(garments):
    start = selectors.coverage_on(garments, dt.date(2019, 1, 1))
    end = selectors.coverage_on(garments, dt.date(2019, 12, 31))
    assert start.coverage_percent is not None and 47 <= start.coverage_percent <= 49
    assert end.coverage_percent is not None and 40 <= end.coverage_percent <= 45
    assert start.target_percent == 50


def test_membership_states(garments):
    memberships = Membership.objects.filter(agreement=garments)
    associated = memberships.filter(status=Membership.Status.ASSOCIATED)
    assert associated.count() == 2
    assert set(associated.values_list("sister_initiative", flat=True)) == {"Textilbündnis"}
    assert memberships.filter(status=Membership.Status.SUSPENDED).count() == 1
    assert memberships.filter(status=Membership.Status.APPLIED).count() == 1
    merged = memberships.get(end_reason=Membership.EndReason.MERGED)
    assert merged.merged_into is not None and merged.merged_into.slug == "tulip-denim"
    # Every membership has its history, and every change was audited.
    assert all(m.events.exists() for m in memberships)
    assert (
        AuditEvent.objects.filter(action="membership.ended").count()
        == Membership.objects.filter(status=Membership.Status.ENDED).count()
    )


def test_companies_are_fictional_and_have_one_to_three_brands(garments):
    companies = Organisation.objects.filter(type=Organisation.Type.COMPANY)
    assert 60 <= companies.filter(memberships__agreement=garments).count() <= 90
    for company in companies.prefetch_related("brands"):
        assert 1 <= len(company.brands.all()) <= 3, company
        assert "fictional" in company.description
    assert 80 <= Brand.objects.filter(company__memberships__agreement=garments).count() <= 120


def test_parties_and_supporters(garments):
    parties = Signatory.objects.filter(agreement=garments, kind=Signatory.Kind.PARTY)
    assert parties.count() == 11
    types = sorted(parties.values_list("organisation__type", flat=True))
    assert types.count("government") == 1
    assert types.count("trade_union") == 2
    assert types.count("trade_association") == 3
    assert types.count("ngo") == 5
    for party in parties.select_related("commitment"):
        commitment = party.commitment
        assert commitment.why_at_table and commitment.contribution
        assert commitment.mandate and commitment.expectations
        assert 1 <= commitment.targets.count() <= 3
    assert (
        TargetProgress.objects.filter(target__commitment__signatory__agreement=garments).count()
        > 20
    )
    assert not CommitmentTarget.objects.filter(progress__isnull=True).exists()
    supporters = Signatory.objects.filter(agreement=garments, kind=Signatory.Kind.SUPPORTER)
    assert supporters.count() == 17
    assert all(s.declaration for s in supporters)
    assert set(supporters.values_list("organisation__type", flat=True)) == {"supporter"}


def test_natural_stone_agreement(loaded):
    assert Agreement.objects.count() == 2
    stone = Agreement.objects.get(slug="natural-stone")
    assert stone.signed_on == dt.date(2019, 6, 24)
    assert stone.themes.count() >= 4
    assert selectors.member_count_on(stone, dt.date(2021, 1, 1)).companies == 6
    assert Signatory.objects.filter(agreement=stone, kind=Signatory.Kind.PARTY).count() >= 2
    few = selectors.coverage_on(stone, dt.date(2020, 1, 1))
    assert few.suppressed and few.coverage_percent is None
    later = selectors.coverage_on(stone, dt.date(2021, 1, 1))
    assert not later.suppressed and later.coverage_percent is not None


def test_demo_accounts(loaded):
    expected = {
        "secretariat": (RoleName.SECRETARIAT, "secretariat"),
        "assessor": (RoleName.ASSESSOR, "secretariat"),
        "committee": (RoleName.COMMITTEE_MEMBER, "committee"),
        "company1": (RoleName.COMPANY_ADMIN, "company"),
        "company1-staff": (RoleName.COMPANY_MEMBER, "company"),
        "company2": (RoleName.COMPANY_ADMIN, "company"),
        "company3": (RoleName.COMPANY_ADMIN, "company"),
        "ngo": (RoleName.PARTY_MEMBER, "ngo"),
        "union": (RoleName.PARTY_MEMBER, "trade_union"),
    }
    for username, (role, org_type) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        roles = list(Role.objects.filter(user=user).select_related("organisation"))
        assert [(r.role, r.organisation.type) for r in roles] == [(role, org_type)], username
        device = TOTPDevice.objects.filter(user=user).first()
        if username in ("secretariat", "assessor", "committee"):
            assert device is not None and device.confirmed
            assert device.secret == settings.DEMO_TOTP_SECRET
        else:
            assert device is None
    company_ids = {
        Role.objects.get(user__username=u).organisation_id
        for u in ("company1", "company2", "company3")
    }
    assert len(company_ids) == 3
    assert (
        Role.objects.get(user__username="company1-staff").organisation_id
        == Role.objects.get(user__username="company1").organisation_id
    )


def test_second_run_changes_nothing(loaded):
    before = _counts()
    assert "demo already loaded" in _run("load_demo")
    assert _counts() == before


def test_demo_accounts_command(loaded):
    out = _run("demo_accounts")
    for username in ("secretariat", "assessor", "committee", "company1", "company1-staff"):
        assert username in out
    assert demo.DEMO_PASSWORD in out
    assert "Noordzee Mode BV" in out
    assert settings.DEMO_TOTP_SECRET in out
    assert "make otp" in out
    assert "not loaded" not in out


def test_demo_otp_command():
    out = _run("demo_otp")
    code = re.match(r"(\d{6})", out)
    assert code is not None
    assert pyotp.TOTP(settings.DEMO_TOTP_SECRET).verify(code.group(1), valid_window=1)
