"""Services of the accounts app: users, roles, the second factor, login throttling, API tokens."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from unittest import mock

import pyotp
import pytest
from django.utils import timezone

from covenant.accounts import services
from covenant.accounts.models import ApiToken, Role, RoleName, TOTPDevice, User
from covenant.agreements.tests.factories import UserFactory
from covenant.conftest import PASSWORD
from covenant.core.errors import PermissionDenied, ValidationFailed
from covenant.core.models import AuditEvent

NOW = dt.datetime(2024, 3, 1, 12, 0, 10, tzinfo=dt.UTC)
STEP = int(NOW.timestamp()) // 30


# --- users -----------------------------------------------------------------------------
def test_user_create_with_strong_password(db):
    actor = UserFactory(username="admin")
    user = services.user_create(
        username=" jdevries ",
        email=" j@example.org ",
        password="Lighthouse-Harbour-1984",
        first_name="Jan",
        actor=actor,
    )
    user.refresh_from_db()
    assert (user.username, user.email, user.first_name) == ("jdevries", "j@example.org", "Jan")
    assert user.check_password("Lighthouse-Harbour-1984")
    audit = AuditEvent.objects.get(action="user.create")
    assert (audit.actor_id, audit.object_id) == (actor.pk, str(user.pk))


@pytest.mark.parametrize(
    "password",
    [
        "short1!",  # under 12 characters
        "password1234",  # common
        "123456789012345",  # only digits
        "jdevries2024",  # like the username
    ],
)
def test_user_create_rejects_weak_passwords(db, password):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(username="jdevries", email="", password=password, actor=None)
    assert exc.value.field == "password"
    assert not User.objects.filter(username="jdevries").exists()
    assert not AuditEvent.objects.exists()


def test_user_create_without_validation_accepts_any_password(db):
    user = services.user_create(
        username="fixture", email="", password="short", actor=None, validate=False
    )
    assert user.check_password("short")


@pytest.mark.parametrize("username", ["taken", "TAKEN", " Taken "])
def test_user_create_rejects_duplicate_username(db, username):
    UserFactory(username="taken")
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            username=username, email="", password="Lighthouse-Harbour-1984", actor=None
        )
    assert exc.value.field == "username"
    assert User.objects.count() == 1


def test_user_create_needs_username(db):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(username="  ", email="", password="x", actor=None)
    assert exc.value.field == "username"


# --- roles -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "org"),
    [
        (RoleName.COMPANY_ADMIN, "party_org"),
        (RoleName.COMPANY_MEMBER, "secretariat_org"),
        (RoleName.SECRETARIAT, "company"),
        (RoleName.ASSESSOR, "party_org"),
        (RoleName.COMMITTEE_MEMBER, "secretariat_org"),
        (RoleName.PARTY_MEMBER, "company"),
    ],
)
def test_role_grant_refuses_role_that_does_not_fit_organisation(world, role, org):
    user = UserFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.role_grant(
            user=user, organisation=getattr(world, org), role=role, actor=world.users["secretariat"]
        )
    assert exc.value.field == "role"
    assert not Role.objects.filter(user=user).exists()


def test_role_grant_refuses_unknown_role(world):
    with pytest.raises(ValidationFailed) as exc:
        services.role_grant(
            user=UserFactory(), organisation=world.company, role="owner", actor=None
        )
    assert exc.value.field == "role"


def test_role_grant_and_revoke_are_audited(world):
    sec = world.users["secretariat"]
    user = UserFactory(username="newbie")
    role = services.role_grant(
        user=user, organisation=world.company, role=RoleName.COMPANY_MEMBER, actor=sec
    )
    again = services.role_grant(
        user=user, organisation=world.company, role=RoleName.COMPANY_MEMBER, actor=sec
    )
    assert again.pk == role.pk  # granting twice changes nothing and is not audited twice
    services.role_revoke(role=role, actor=sec)
    assert not Role.objects.filter(user=user).exists()
    rows = list(
        AuditEvent.objects.filter(action__startswith="role.")
        .order_by("id")
        .values_list("action", "actor_id", "organisation_id", "detail")
    )
    detail = {"user": "newbie", "role": "company_member"}
    assert rows == [
        ("role.grant", sec.pk, world.company.pk, detail),
        ("role.revoke", sec.pk, world.company.pk, detail),
    ]


# --- second factor ---------------------------------------------------------------------
@pytest.fixture
def device(db) -> TOTPDevice:
    return services.totp_device_start(user=UserFactory())


def _code(device: TOTPDevice, step: int) -> str:
    return pyotp.TOTP(device.secret).at(step * 30)


def _wrong_code(device: TOTPDevice) -> str:
    accepted = {_code(device, STEP + offset) for offset in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in accepted)


@pytest.fixture
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def test_totp_confirm_then_replay_is_rejected(device, frozen_now):
    code = _code(device, STEP)
    assert services.totp_verify(user=device.user, code=code) is False  # not confirmed yet
    assert services.totp_verify(user=device.user, code=code, confirm=True) is True
    device.refresh_from_db()
    assert (device.confirmed, device.last_used_step) == (True, STEP)
    assert services.totp_verify(user=device.user, code=code) is False  # replay
    assert (
        AuditEvent.objects.filter(
            action="totp.confirm", kind=AuditEvent.Kind.SECURITY, actor=device.user
        ).count()
        == 1
    )


def test_totp_one_step_of_drift_each_code_once(device, frozen_now):
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    user = device.user
    assert services.totp_verify(user=user, code=_code(device, STEP - 1)) is True
    assert services.totp_verify(user=user, code=_code(device, STEP)) is True
    # Older than the last accepted step: refused even though within the drift window.
    assert services.totp_verify(user=user, code=_code(device, STEP - 1)) is False
    assert services.totp_verify(user=user, code=_code(device, STEP + 1)) is True
    assert services.totp_verify(user=user, code=_code(device, STEP + 1)) is False
    assert services.totp_verify(user=user, code=_code(device, STEP + 2)) is False  # too far


def test_totp_accepts_code_with_spaces(device, frozen_now):
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    code = _code(device, STEP)
    assert services.totp_verify(user=device.user, code=f" {code[:3]} {code[3:]} ") is True


def test_totp_rejects_wrong_code(device, frozen_now):
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    assert services.totp_verify(user=device.user, code=_wrong_code(device)) is False
    device.refresh_from_db()
    assert device.last_used_step == 0


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12-456", None])
def test_totp_rejects_malformed_code(device, frozen_now, code):
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    assert services.totp_verify(user=device.user, code=code) is False


def test_totp_without_device_is_false(db):
    assert services.totp_verify(user=UserFactory(), code="123456") is False


def test_totp_device_start_restarts_unconfirmed(device):
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, last_used_step=99)
    restarted = services.totp_device_start(user=device.user)
    assert restarted.pk == device.pk
    assert (restarted.confirmed, restarted.last_used_step) == (False, 0)
    assert restarted.secret != device.secret
    assert not services.user_has_confirmed_totp(device.user)


# --- login throttling ------------------------------------------------------------------
def test_login_check_success(db):
    user = UserFactory(username="alice")
    assert services.login_check(username="alice", password=PASSWORD, client="10.0.0.1") == user


def test_login_check_throttles_per_username(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    UserFactory(username="alice")
    UserFactory(username="bob")
    for n in range(3):
        with pytest.raises(PermissionDenied) as exc:
            # A different address each time: the limit per username still applies.
            services.login_check(username="alice", password="wrong", client=f"10.0.0.{n}")
        assert exc.value.extra == {"code": "invalid"}
    with pytest.raises(PermissionDenied) as exc:
        services.login_check(username="alice", password=PASSWORD, client="10.0.0.99")
    assert exc.value.extra == {"code": "throttled"}
    assert "15 minutes" in exc.value.message
    # Another username is not affected.
    assert services.login_check(username="bob", password=PASSWORD, client="10.0.0.1").username == (
        "bob"
    )
    rows = list(
        AuditEvent.objects.filter(action="login.failed")
        .order_by("id")
        .values_list("kind", "actor_id", "detail")
    )
    assert rows == [(AuditEvent.Kind.SECURITY, None, {"username": "alice"})] * 3


def test_login_check_throttle_key_ignores_case(db, settings):
    settings.LOGIN_MAX_FAILURES = 2
    UserFactory(username="alice")
    for name in ("alice", "ALICE"):
        with pytest.raises(PermissionDenied):
            services.login_check(username=name, password="wrong", client="a")
    with pytest.raises(PermissionDenied) as exc:
        services.login_check(username="Alice ", password=PASSWORD, client="b")
    assert exc.value.extra == {"code": "throttled"}


def test_login_success_resets_username_counter(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    UserFactory(username="alice")
    for _ in range(2):
        with pytest.raises(PermissionDenied):
            services.login_check(username="alice", password="wrong", client="x")
    services.login_check(username="alice", password=PASSWORD, client="x")
    for _ in range(2):
        with pytest.raises(PermissionDenied):
            services.login_check(username="alice", password="wrong", client="x")
    assert services.login_check(username="alice", password=PASSWORD, client="x").username == (
        "alice"
    )


def test_login_throttles_one_address_trying_many_usernames(db, settings):
    settings.LOGIN_MAX_FAILURES = 2  # an address gets four times the room: 8 failures
    UserFactory(username="alice")
    for n in range(8):
        with pytest.raises(PermissionDenied):
            services.login_check(username=f"guess{n}", password="x", client="6.6.6.6")
    with pytest.raises(PermissionDenied) as exc:
        services.login_check(username="alice", password=PASSWORD, client="6.6.6.6")
    assert exc.value.extra == {"code": "throttled"}
    assert services.login_check(username="alice", password=PASSWORD, client="1.1.1.1")


def test_login_check_refuses_inactive_user(db):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(PermissionDenied) as exc:
        services.login_check(username="gone", password=PASSWORD, client="x")
    assert exc.value.extra == {"code": "invalid"}


# --- API tokens ------------------------------------------------------------------------
def test_api_token_issue_and_authenticate(world):
    user = world.users["own_company"]
    raw = services.api_token_issue(username="own", password=PASSWORD, otp=None, client="t")
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != raw and len(token.key_hash) == 64
    assert token.prefix == raw[:8]
    assert token.otp_verified is False
    assert services.api_token_authenticate(raw) == token
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (
        AuditEvent.objects.filter(
            action="api_token.issue", kind=AuditEvent.Kind.SECURITY, actor=user
        ).count()
        == 1
    )


def test_api_token_lifetime(world, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    before = timezone.now()
    services.api_token_issue(username="own", password=PASSWORD, otp=None, client="t")
    token = ApiToken.objects.get()
    assert before + timedelta(hours=2) <= token.expires_at <= timezone.now() + timedelta(hours=2)


def test_api_token_expired_or_unknown_is_none(world):
    raw = services.api_token_issue(username="own", password=PASSWORD, otp=None, client="t")
    assert services.api_token_authenticate(raw + "x") is None
    assert services.api_token_authenticate("") is None
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.api_token_authenticate(raw) is None


def test_api_token_of_deactivated_user_is_none(world):
    raw = services.api_token_issue(username="own", password=PASSWORD, otp=None, client="t")
    User.objects.filter(username="own").update(is_active=False)
    assert services.api_token_authenticate(raw) is None


def test_api_token_issue_wrong_password(world):
    with pytest.raises(PermissionDenied) as exc:
        services.api_token_issue(username="own", password="nope", otp=None, client="t")
    assert exc.value.extra == {"code": "invalid"}
    assert not ApiToken.objects.exists()


def test_api_token_for_secretariat_needs_otp(world):
    with pytest.raises(PermissionDenied) as exc:
        services.api_token_issue(username="sec", password=PASSWORD, otp=None, client="t")
    assert exc.value.extra == {"code": "otp_required"}
    with pytest.raises(PermissionDenied) as exc:
        services.api_token_issue(username="sec", password=PASSWORD, otp="000000x", client="t")
    assert exc.value.extra == {"code": "otp_invalid"}
    assert not ApiToken.objects.exists()
    raw = services.api_token_issue(
        username="sec", password=PASSWORD, otp=pyotp.TOTP(world.totp_secret).now(), client="t"
    )
    token = services.api_token_authenticate(raw)
    assert token is not None and token.otp_verified is True


def test_api_token_for_secretariat_without_device(world):
    from covenant.agreements.tests.factories import user_with_role

    user_with_role(world.secretariat_org, RoleName.ASSESSOR, username="nodevice")
    with pytest.raises(PermissionDenied) as exc:
        services.api_token_issue(username="nodevice", password=PASSWORD, otp="123456", client="t")
    assert exc.value.extra == {"code": "otp_setup_required"}
