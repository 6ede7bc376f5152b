"""Token authentication of the REST API: POST /auth/token, the bearer header, /auth/me."""

from __future__ import annotations

import datetime as dt
import json

import pyotp
import pytest
from django.utils import timezone

from covenant.accounts.models import ApiToken, RoleName, TOTPDevice
from covenant.accounts.services import _hash_token
from covenant.agreements.tests.factories import user_with_role
from covenant.conftest import PASSWORD
from covenant.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def post_token(client, **body):
    return client.post(TOKEN_URL, data=json.dumps(body), content_type="application/json")


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_valid_credentials_give_a_token_that_works(world, client, settings):
    response = post_token(client, username="own", password=PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in_hours"] == settings.API_TOKEN_TTL_HOURS
    token = body["token"]
    # Only a hash is stored.
    stored = ApiToken.objects.get(user=world.users["own_company"])
    assert stored.key_hash == _hash_token(token) != token
    assert stored.prefix == token[:8]
    assert stored.otp_verified is False
    assert AuditEvent.objects.filter(action="api_token.issue", actor=stored.user).count() == 1

    me = client.get(ME_URL, **bearer(token))
    assert me.status_code == 200
    assert me.json() == {
        "username": "own",
        "email": "own@example.org",
        "two_factor_verified": False,
        "roles": [
            {"role": "company_admin", "organisation": "own-fashion", "organisation_type": "company"}
        ],
    }
    # The token opens the company's confidential data.
    assert client.get("/api/v1/companies/own-fashion/turnover", **bearer(token)).status_code == 200


@pytest.mark.parametrize("username", ["own", "nobody"])
def test_wrong_password_or_unknown_user_is_401_with_message(world, client, username):
    response = post_token(client, username=username, password="wrong password")
    assert response.status_code == 401
    assert response.json() == {
        "detail": [{"message": "Username or password is not correct.", "code": "invalid"}]
    }
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="login.failed").count() == 1


def test_secretariat_without_otp_is_403_otp_required(world, client):
    response = post_token(client, username="sec", password=PASSWORD)
    assert response.status_code == 403
    detail = response.json()["detail"][0]
    assert detail["code"] == "otp_required"
    assert "otp" in detail["message"]
    assert not ApiToken.objects.exists()


def test_secretariat_with_wrong_otp_is_403_otp_invalid(world, client):
    code = pyotp.TOTP(world.totp_secret).now()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = post_token(client, username="sec", password=PASSWORD, otp=wrong)
    assert response.status_code == 403
    assert response.json()["detail"][0]["code"] == "otp_invalid"
    assert not ApiToken.objects.exists()


def test_secretariat_with_correct_otp_gets_a_verified_token(world, client):
    code = pyotp.TOTP(world.totp_secret).now()
    response = post_token(client, username="sec", password=PASSWORD, otp=code)
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=world.users["secretariat"]).otp_verified is True
    me = client.get(ME_URL, **bearer(token)).json()
    assert me["two_factor_verified"] is True
    assert me["roles"][0]["role"] == "secretariat"
    # Verified: the secretariat-only endpoints answer.
    audit = client.get("/api/v1/audit", **bearer(token))
    assert audit.status_code == 200

    # The same code is never accepted twice.
    again = post_token(client, username="sec", password=PASSWORD, otp=code)
    assert again.status_code == 403
    assert again.json()["detail"][0]["code"] == "otp_invalid"


def test_secretariat_without_authenticator_must_set_one_up(world, client):
    TOTPDevice.objects.filter(user=world.users["secretariat"]).delete()
    response = post_token(client, username="sec", password=PASSWORD, otp="123456")
    assert response.status_code == 403
    assert response.json()["detail"][0]["code"] == "otp_setup_required"


def test_unconfirmed_authenticator_does_not_count(world, client):
    TOTPDevice.objects.filter(user=world.users["secretariat"]).update(confirmed=False)
    code = pyotp.TOTP(world.totp_secret).now()
    response = post_token(client, username="sec", password=PASSWORD, otp=code)
    assert response.status_code == 403
    assert response.json()["detail"][0]["code"] == "otp_setup_required"


def test_company_user_with_authenticator_must_give_otp(world, client):
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.users["own_company"], secret=secret, confirmed=True)
    response = post_token(client, username="own", password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["detail"][0]["code"] == "otp_required"
    response = post_token(client, username="own", password=PASSWORD, otp=pyotp.TOTP(secret).now())
    assert response.status_code == 200


def test_throttled_after_max_failures(world, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert post_token(client, username="own", password="wrong").status_code == 401
    # Even the right password is refused now.
    response = post_token(client, username="own", password=PASSWORD)
    assert response.status_code == 429
    detail = response.json()["detail"][0]
    assert detail["code"] == "throttled"
    assert "Too many failed sign-in attempts" in detail["message"]
    assert not ApiToken.objects.exists()


def test_wrong_otps_count_towards_throttling(world, client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        response = post_token(client, username="sec", password=PASSWORD, otp="000000")
        assert response.status_code in (401, 403)
    code = pyotp.TOTP(world.totp_secret).now()
    response = post_token(client, username="sec", password=PASSWORD, otp=code)
    assert response.status_code == 429
    assert response.json()["detail"][0]["code"] == "throttled"


def test_expired_token_is_401(world, client):
    token = world.token("own_company")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(ME_URL, **bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": [{"message": "The token is missing, wrong or expired."}]}


def test_token_of_deactivated_user_is_401(world, client):
    token = world.token("own_company")
    user = world.users["own_company"]
    user.is_active = False
    user.save()
    assert client.get(ME_URL, **bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer garbage", "Bearer ", "Basic b3duOnB3", "Bearer " + "x" * 5000, "Token abc"],
)
def test_garbage_authorization_header_is_401_everywhere(world, client, header):
    """A wrong token is a 401 even on public endpoints: the client should know its token
    does not work, not silently get the public view."""
    for url in (ME_URL, "/api/v1/agreements", "/api/v1/companies/own-fashion/turnover"):
        response = client.get(url, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, (url, header)
        assert response.json()["detail"][0]["message"]


def test_me_without_token_is_401(db, client):
    response = client.get(ME_URL)
    assert response.status_code == 401
    assert response.json()["detail"][0]["code"] == "not_authenticated"


def test_party_token_has_party_role(world, client):
    token = world.token("party")
    me = client.get(ME_URL, **bearer(token)).json()
    assert me["roles"] == [
        {"role": RoleName.PARTY_MEMBER, "organisation": "clean-wear", "organisation_type": "ngo"}
    ]


def test_user_with_two_roles_lists_both(world, client):
    user = user_with_role(world.company, RoleName.COMPANY_MEMBER, username="both")
    from covenant.accounts.models import Role

    Role.objects.create(user=user, organisation=world.party_org, role=RoleName.PARTY_MEMBER)
    token = post_token(client, username="both", password=PASSWORD).json()["token"]
    roles = client.get(ME_URL, **bearer(token)).json()["roles"]
    assert {(r["role"], r["organisation"]) for r in roles} == {
        ("company_member", "own-fashion"),
        ("party_member", "clean-wear"),
    }


@pytest.mark.parametrize(
    "body,status,field",
    [
        ('{"username": ', 400, "body"),
        ("[]", 422, "username"),
        ("{}", 422, "username"),
        (json.dumps({"username": "own"}), 422, "password"),
        (json.dumps({"username": ["own"], "password": PASSWORD}), 422, "username"),
        (json.dumps({"username": "x" * 10_000, "password": PASSWORD}), 422, "username"),
        (json.dumps({"username": "own", "password": "x" * 10_000}), 422, "password"),
        (json.dumps({"username": "own", "password": PASSWORD, "otp": "1" * 100}), 422, "otp"),
        (json.dumps({"username": "", "password": PASSWORD}), 422, "username"),
        (json.dumps({"username": "own", "password": 12345}), 422, "password"),
    ],
)
def test_bad_token_requests(world, client, body, status, field):
    before = (ApiToken.objects.count(), AuditEvent.objects.count())
    response = client.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert detail[0]["message"]
    assert field in [d.get("field") for d in detail]
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == before
