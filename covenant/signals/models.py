"""Signals: abuse reports about a production location, made without an account and followed
up with a receipt code. Everything the reporter writes or sends (identity, contact, the
description, an unlisted location, messages, files) is stored encrypted (see crypto.py);
the columns ending in `_enc` hold ciphertexts, never plain text. The receipt code itself is
not stored: only a keyed hash of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from covenant.core.models import TimeStampedModel


class SignalSettings(models.Model):
    """Deadlines and retention of one agreement (data, not code). Missing means defaults."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="signal_settings"
    )
    acknowledge_days = models.PositiveSmallIntegerField(default=7)
    forward_days = models.PositiveSmallIntegerField(default=14)
    response_days = models.PositiveSmallIntegerField(default=30)
    outcome_days = models.PositiveSmallIntegerField(default=90)
    retention_days = models.PositiveSmallIntegerField(default=365)
    retention_warning_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledge_days__gte=1)
                & Q(forward_days__gte=1)
                & Q(response_days__gte=1)
                & Q(outcome_days__gte=1)
                & Q(retention_days__gte=1),
                name="signal_settings_positive",
            )
        ]

    def __str__(self) -> str:
        return f"signal settings {self.agreement_id}"


class Signal(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("Received")
        NEEDS_INFO = "needs_info", _("More information needed")
        ADMISSIBLE = "admissible", _("Admissible, being prepared")
        NOT_MEMBER = "not_member", _("Not about a member's location")
        INADMISSIBLE = "inadmissible", _("Not admissible")
        FORWARDED = "forwarded", _("Forwarded to the companies")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("No outcome yet")
        RESOLVED = "resolved", _("Resolved")
        PARTLY = "partly", _("Partly resolved")
        UNRESOLVED = "unresolved", _("Not resolved")
        NOT_HANDLED = "not_handled", _("Not handled (outside the agreement)")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="signals"
    )
    reference = models.CharField(max_length=20, unique=True)  # S-2026-0001, for staff
    receipt_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    # Where: a facility of the published list, or an unlisted one described by the reporter.
    facility = models.ForeignKey(
        "supplychain.Facility",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    country = models.CharField(max_length=2, blank=True)  # kept for statistics
    location_enc = models.BinaryField(null=True, blank=True)  # unlisted location, as described
    themes = models.ManyToManyField("agreements.Theme", related_name="signals", blank=True)
    since = models.DateField(null=True, blank=True)
    workers_affected = models.PositiveIntegerField(null=True, blank=True)
    description_enc = models.BinaryField(null=True, blank=True)
    reporter_name_enc = models.BinaryField(null=True, blank=True)
    reporter_contact_enc = models.BinaryField(null=True, blank=True)
    identity_shareable = models.BooleanField(default=False)
    # The summary for the reporter, approved by the secretariat (staff text, not encrypted).
    reporter_summary = models.TextField(blank=True, max_length=5000)
    summary_approved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    retention_warned_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agreement", "status"], name="signal_agreement_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="signal_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(workers_affected__isnull=True) | Q(workers_affected__lte=10_000_000),
                name="signal_workers_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_identity(self) -> bool:
        return self.reporter_name_enc is not None or self.reporter_contact_enc is not None


class SignalAttachment(models.Model):
    """A file from the reporter (or evidence from a company); bytes and name encrypted."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    forward = models.ForeignKey(
        "signals.SignalForward",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    filename_enc = models.BinaryField()
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    data_enc = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of {self.signal_id}"


class SignalMessage(models.Model):
    """The receipt-code channel: questions from the secretariat and the reporter's answers or
    additions. Bodies encrypted either way (a question can quote the reporter)."""

    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("Question to the reporter")
        FROM_REPORTER = "from_reporter", _("From the reporter")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=14, choices=Direction.choices)
    body_enc = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.signal_id}"


class SignalEvent(models.Model):
    """The timeline. `public` events are shown to the reporter (with their label only)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Report received")
        ACKNOWLEDGED = "acknowledged", _("Receipt acknowledged by the secretariat")
        CHECKED = "checked", _("Checked by the secretariat")
        QUESTION = "question", _("Question to the reporter")
        REPORTER_INFO = "reporter_info", _("Information added by the reporter")
        FORWARDED = "forwarded", _("Forwarded to the companies linked to the location")
        COMPANY_RESPONSE = "company_response", _("A company responded")
        SUMMARY = "summary", _("Summary of the follow-up published")
        REMINDER = "reminder", _("Reminder sent")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")
        ANONYMISED = "anonymised", _("Personal data removed (retention period)")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)  # staff only
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.signal_id}"


class SignalForward(TimeStampedModel):
    """The signal as forwarded to one member company linked to the location, and that
    company's response inside the platform."""

    class Status(models.TextChoices):
        FORWARDED = "forwarded", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged, investigating")
        RESPONDED = "responded", _("Response given")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="forwards")
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.PROTECT, related_name="signal_forwards"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FORWARDED)
    identity_shared = models.BooleanField(default=False)
    shared_with_others = models.BooleanField(default=False)  # other members received it too
    note_from_secretariat = models.TextField(blank=True, max_length=5000)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    investigation = models.TextField(blank=True, max_length=10000)
    actions = models.TextField(blank=True, max_length=10000)
    remediation = models.TextField(blank=True, max_length=10000)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "company"], name="signal_forward_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} -> {self.company_id}"


class ReceiptAttempt(models.Model):
    """A failed receipt-code attempt: when and from which (hashed) network. For the
    secretariat's security view and the throttle; the code tried is never stored."""

    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"failed code {self.created_at:%Y-%m-%d %H:%M}"


class UsedFormToken(models.Model):
    """A reporting form's single-use token, once used (its random part only). Kept in the
    database, not in the cache, so that no cache eviction lets a form be posted twice;
    `form_tokens_purge` removes them once the token would have expired anyway."""

    nonce = models.CharField(max_length=40, unique=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"form token used {self.used_at:%Y-%m-%d %H:%M}"
