"""Shared fixtures: a small agreement with the five viewpoints of every role-matrix test
(anonymous, another company, the company itself, a party, the secretariat)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from django.core.cache import cache
from django.test import Client

from covenant.accounts.middleware import SESSION_VERIFIED_KEY
from covenant.accounts.models import RoleName, TOTPDevice, User
from covenant.accounts.services import api_token_issue
from covenant.agreements.models import Agreement, Organisation, Signatory
from covenant.agreements.tests.factories import (
    AgreementFactory,
    BrandFactory,
    MembershipFactory,
    OrganisationFactory,
    SignatoryFactory,
    ThemeFactory,
    user_with_role,
)

ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
PASSWORD = "correct horse battery staple"


@dataclass
class World:
    agreement: Agreement
    secretariat_org: Organisation
    company: Organisation
    other_company: Organisation
    party_org: Organisation
    party_signatory: Signatory
    users: dict[str, User | None]
    totp_secret: str

    def client(self, role: str) -> Client:
        """A logged-in page client; secretariat sessions have passed the second factor."""
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
            if role == "secretariat":
                session = client.session
                session[SESSION_VERIFIED_KEY] = user.pk
                session.save()
        return client

    def token(self, role: str) -> str | None:
        user = self.users[role]
        if user is None:
            return None
        otp = pyotp.TOTP(self.totp_secret).now() if role == "secretariat" else None
        TOTPDevice.objects.filter(user=user).update(last_used_step=0)
        return api_token_issue(username=user.username, password=PASSWORD, otp=otp, client="test")

    def api_headers(self, role: str) -> dict[str, Any]:
        token = self.token(role)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    agreement = AgreementFactory(
        slug="garments", name_en="Garments and Textile", name_nl="Kleding en Textiel"
    )
    ThemeFactory(
        agreement=agreement,
        code="living-wage",
        name_en="Living wage",
        name_nl="Leefbaar loon",
        sort_order=5,
    )
    company = OrganisationFactory(name="Own Fashion BV", slug="own-fashion")
    other = OrganisationFactory(name="Other Apparel BV", slug="other-apparel")
    BrandFactory(company=company, name="Own Label")
    BrandFactory(company=other, name="Other Label")
    MembershipFactory(agreement=agreement, company=company)
    MembershipFactory(agreement=agreement, company=other)
    party_org = OrganisationFactory(
        name="Clean Wear NGO", slug="clean-wear", type=Organisation.Type.NGO
    )
    signatory = SignatoryFactory(agreement=agreement, organisation=party_org)
    from covenant.agreements.models import Commitment

    Commitment.objects.get_or_create(signatory=signatory)
    secretariat_user = user_with_role(agreement.secretariat, RoleName.SECRETARIAT, username="sec")
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=secretariat_user, secret=secret, confirmed=True)
    users: dict[str, User | None] = {
        "anonymous": None,
        "other_company": user_with_role(other, RoleName.COMPANY_ADMIN, username="other"),
        "own_company": user_with_role(company, RoleName.COMPANY_ADMIN, username="own"),
        "party": user_with_role(party_org, RoleName.PARTY_MEMBER, username="party"),
        "secretariat": secretariat_user,
    }
    return World(
        agreement, agreement.secretariat, company, other, party_org, signatory, users, secret
    )


@pytest.fixture
def today() -> dt.date:
    return dt.date(2019, 6, 1)
