"""Writes for accounts: users, roles, second factor, API tokens, login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.accounts.models import ApiToken, Role, TOTPDevice, User
from covenant.accounts.permissions import ROLE_ORGANISATION_TYPES, RoleName
from covenant.agreements.models import Organisation
from covenant.core.audit import audit_record
from covenant.core.errors import PermissionDenied, ValidationFailed
from covenant.core.models import AuditEvent


# --- users and roles -------------------------------------------------------------------
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    actor: User | None,
    validate: bool = True,
) -> User:
    """Create an account. The password must pass the platform's strength rules."""
    username = username.strip()
    if not username:
        raise ValidationFailed(_("A username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("This username is already taken."), field="username")
    user = User(username=username, email=email.strip(), first_name=first_name, last_name=last_name)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="user.create", obj=user)
    return user


def role_grant(*, user: User, organisation: Organisation, role: str, actor: User | None) -> Role:
    """Give `user` a role in `organisation`; the role must fit the organisation's type."""
    if role not in RoleName.values:
        raise ValidationFailed(_("Unknown role."), field="role")
    if organisation.type not in ROLE_ORGANISATION_TYPES[role]:
        raise ValidationFailed(
            _("The role %(role)s cannot be given in an organisation of type %(type)s.")
            % {"role": RoleName(role).label, "type": organisation.get_type_display()},
            field="role",
        )
    with transaction.atomic():
        obj, created = Role.objects.get_or_create(user=user, organisation=organisation, role=role)
        if created:
            audit_record(
                actor=actor,
                action="role.grant",
                obj=obj,
                organisation=organisation,
                detail={"user": user.username, "role": role},
            )
    return obj


def role_revoke(*, role: Role, actor: User | None) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="role.revoke",
            obj=role,
            organisation=role.organisation,
            detail={"user": role.user.username, "role": role.role},
        )
        role.delete()


# --- second factor ---------------------------------------------------------------------
def totp_device_start(*, user: User) -> TOTPDevice:
    """Create (or restart) an unconfirmed authenticator for the user; returns it with a secret."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "confirmed": False, "last_used_step": 0},
    )
    return device


def totp_verify(*, user: User, code: str, confirm: bool = False) -> bool:
    """Check a 6-digit code (one step of clock drift allowed); a code is never accepted twice."""
    code = (code or "").strip().replace(" ", "")
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None or not code.isdigit() or len(code) != 6:
        return False
    if not device.confirmed and not confirm:
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    step_now = int(now.timestamp()) // 30
    for offset in (0, -1, 1):
        step = step_now + offset
        if step <= device.last_used_step:
            continue
        if secrets.compare_digest(totp.at(step * 30), code):
            device.last_used_step = step
            if confirm and not device.confirmed:
                device.confirmed = True
                audit_record(
                    actor=user, action="totp.confirm", obj=user, kind=AuditEvent.Kind.SECURITY
                )
            device.save(update_fields=["last_used_step", "confirmed", "updated_at"])
            return True
    return False


def totp_provisioning_uri(*, device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.username, issuer_name="Covenant"
    )


def user_has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- login throttling ------------------------------------------------------------------
def _throttle_keys(username: str, client: str) -> list[str]:
    user_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    client_key = hashlib.sha256(client.encode()).hexdigest()[:32]
    return [f"login-fail:u:{user_key}", f"login-fail:c:{client_key}"]


def login_is_throttled(*, username: str, client: str) -> bool:
    user_key, client_key = _throttle_keys(username, client)
    limit = settings.LOGIN_MAX_FAILURES
    # An address gets more room than one username: an office may share one address.
    return (cache.get(user_key, 0) >= limit) or (cache.get(client_key, 0) >= limit * 4)


def _record_failure(username: str, client: str) -> None:
    for key in _throttle_keys(username, client):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _throttled() -> PermissionDenied:
    minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
    return PermissionDenied(
        _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.")
        % {"minutes": minutes},
        extra={"code": "throttled"},
    )


def _otp_failure_key(user: User) -> str:
    return f"otp-fail:u:{user.pk}"


def otp_is_throttled(*, user: User) -> bool:
    """Wrong authenticator codes are counted per account on their own: a correct password
    resets the password counter, and must not also wipe the count of wrong codes (else
    whoever has the password could try codes without end)."""
    return bool(cache.get(_otp_failure_key(user), 0) >= settings.LOGIN_MAX_FAILURES)


def otp_record_failure(*, user: User) -> None:
    try:
        cache.incr(_otp_failure_key(user))
    except ValueError:
        cache.set(_otp_failure_key(user), 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def otp_failures_reset(*, user: User) -> None:
    cache.delete(_otp_failure_key(user))


def login_check(*, username: str, password: str, client: str) -> User:
    """Check credentials with throttling per username and per client address.
    Raises PermissionDenied with a message a person understands."""
    if login_is_throttled(username=username, client=client):
        raise _throttled()
    user = authenticate(username=username, password=password)
    if user is None:
        _record_failure(username, client)
        with transaction.atomic():
            audit_record(
                actor=None,
                action="login.failed",
                kind=AuditEvent.Kind.SECURITY,
                detail={"username": username[:150]},
            )
        raise PermissionDenied(_("Username or password is not correct."), extra={"code": "invalid"})
    assert isinstance(user, User)
    for key in _throttle_keys(username, client)[:1]:
        cache.delete(key)
    return user


# --- API tokens ------------------------------------------------------------------------
def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, username: str, password: str, otp: str | None, client: str) -> str:
    """Exchange credentials (and an authenticator code where the account has one or needs one)
    for a bearer token. Returns the raw token; only its hash is stored."""
    from covenant.accounts.permissions import Principal

    user = login_check(username=username, password=password, client=client)
    needs = Principal.for_user(user, verified=False).needs_two_factor
    has_device = user_has_confirmed_totp(user)
    verified = False
    if needs or has_device:
        if not has_device:
            raise PermissionDenied(
                _("This account needs two-factor authentication: set it up in the web app first."),
                extra={"code": "otp_setup_required"},
            )
        if not otp:
            raise PermissionDenied(
                _("Give the 6-digit code of your authenticator app in 'otp'."),
                extra={"code": "otp_required"},
            )
        if otp_is_throttled(user=user):
            raise _throttled()
        if not totp_verify(user=user, code=otp):
            _record_failure(username, client)
            otp_record_failure(user=user)
            raise PermissionDenied(
                _("The authenticator code is not correct."), extra={"code": "otp_invalid"}
            )
        otp_failures_reset(user=user)
        verified = True
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            key_hash=_hash_token(raw),
            prefix=raw[:8],
            otp_verified=verified,
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit_record(actor=user, action="api_token.issue", kind=AuditEvent.Kind.SECURITY, obj=user)
    return raw


def api_token_authenticate(raw: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(raw), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is not None and (
        token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5)
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
