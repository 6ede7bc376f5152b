from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from covenant.core.models import TimeStampedModel


class User(AbstractUser):
    """A person. What they may do comes from their Roles in organisations."""

    preferred_language = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["username"]


class RoleName(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    ASSESSOR = "assessor", _("Assessor")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    COMPANY_ADMIN = "company_admin", _("Company admin")
    COMPANY_MEMBER = "company_member", _("Company member")
    PARTY_MEMBER = "party_member", _("Party member")


class Role(TimeStampedModel):
    """A user's role in one organisation. Which organisation types a role fits is checked
    by `role_grant`; see covenant/accounts/permissions.py for what each role may do."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=RoleName.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"


class TOTPDevice(TimeStampedModel):
    """A time-based one-time-password authenticator (RFC 6238) of a user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP of {self.user}"


class ApiToken(models.Model):
    """A bearer token for machine clients. Only a SHA-256 hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    otp_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
