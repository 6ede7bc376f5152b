"""Production locations: disclosures (one upload = one job row), their rows (contributions),
the registry of unique facilities with stable public ids, remembered match decisions,
published lists (snapshots without company links) and shared-supplier introductions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from covenant.core.models import TimeStampedModel


class Facility(TimeStampedModel):
    """A unique production location. `public_id` is stable: merges keep the survivor's id
    and redirect the others (FacilityRedirect)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged into another facility")

    public_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=500)
    city = models.CharField(max_length=120, blank=True)
    province = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=2, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    facility_type = models.CharField(max_length=60, blank=True, db_index=True)
    processing_type = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    # Lower-cased, transliterated "name address city" for portable (SQLite and PostgreSQL) search.
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name_plural = "facilities"
        indexes = [
            models.Index(fields=["country", "facility_type"]),
            # The matcher index of other processes tops up from recently changed facilities.
            models.Index(fields=["updated_at"], name="facility_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="facility_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(lng__isnull=True) | Q(lng__gte=-180, lng__lte=180),
                name="facility_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.name}"


class FacilityRedirect(models.Model):
    """An old public id (of a merged facility) that now points to another facility."""

    old_public_id = models.CharField(max_length=20, unique=True)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_public_id} -> {self.facility_id}"


class Disclosure(TimeStampedModel):
    """One upload of a company's production locations for a reporting year. Also the job row
    the page polls: status, counts, progress and row-level errors."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        FAILED = "failed", _("Refused: see the errors")
        ACCEPTED = "accepted", _("Accepted")
        SUPERSEDED = "superseded", _("Replaced by a later upload")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="disclosures"
    )
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.PROTECT, related_name="disclosures"
    )
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    source = models.CharField(max_length=10, default="upload")  # upload | form
    file = models.FileField(upload_to="disclosures/%Y/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_parsed = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    count_match = models.PositiveIntegerField(default=0)
    count_review = models.PositiveIntegerField(default=0)
    count_new = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{row, column, message, hint}]
    summary = models.JSONField(default=dict, blank=True)  # counts, diff with the previous year
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # processing runs (re-runs count)

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "company", "year"],
                condition=Q(status="accepted"),
                name="disclosure_one_accepted_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.year} ({self.status})"


class Contribution(models.Model):
    """One disclosed row: what the company sent, the cleaned fields, and the facility it is
    linked to (automatic match, a match awaiting review, or a new facility)."""

    class Decision(models.TextChoices):
        MATCH = "match", _("Matched automatically")
        REVIEW = "review", _("Awaiting review")
        NEW = "new", _("New facility")
        CONFIRMED = "confirmed", _("Confirmed by a person")
        REMEMBERED = "remembered", _("Matched by an earlier decision")

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="contributions"
    )
    row_number = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=500)
    city = models.CharField(max_length=120, blank=True)
    province = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=2)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    facility_type = models.CharField(max_length=60, blank=True)
    processing_type = models.CharField(max_length=120, blank=True)
    product_type = models.CharField(max_length=200, blank=True)
    number_of_workers = models.PositiveIntegerField(null=True, blank=True)
    parent_company = models.CharField(max_length=300, blank=True)
    tier = models.CharField(max_length=20, blank=True)
    os_id = models.CharField(max_length=30, blank=True)
    supplier_id = models.CharField(max_length=100, blank=True)
    extra = models.JSONField(default=dict, blank=True)  # unknown columns, kept as sent
    fingerprint = models.CharField(max_length=64, db_index=True)  # of the normalised row
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices)
    score = models.FloatField(default=0)
    candidates = models.JSONField(default=list, blank=True)  # [{public_id, score, reasons}]
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["disclosure", "row_number"]
        indexes = [models.Index(fields=["decision"], name="contribution_decision_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "row_number"], name="contribution_row_unique"
            )
        ]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.name}"


class MatchMemory(models.Model):
    """A person's decision, remembered: the same row (by fingerprint) from the same company
    goes to the same facility next time without review."""

    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "fingerprint"], name="match_memory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.fingerprint[:12]} -> {self.facility_id}"


class RegistryState(models.Model):
    """One row: a counter bumped in the same transaction as every change to the registry
    (new, merged or split facilities). Each process keeps its matcher index in memory and
    compares this counter (and `token`, new when the row is re-created) before using it,
    so changes made by another process are noticed with one primary-key read. The row is
    also the lock that serialises registry writes (phase 2 of an import)."""

    token = models.CharField(max_length=32)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"registry v{self.version}"


class PublishedList(models.Model):
    """The public list of one agreement and year: a snapshot, never with company links."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="published_lists"
    )
    year = models.PositiveSmallIntegerField()
    published_on = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="published_list_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.slug} {self.year}"


class PublishedLocation(models.Model):
    published_list = models.ForeignKey(
        PublishedList, on_delete=models.CASCADE, related_name="locations"
    )
    facility = models.ForeignKey(Facility, null=True, on_delete=models.SET_NULL, related_name="+")
    public_id = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=500)
    city = models.CharField(max_length=120, blank=True)
    province = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2)
    facility_type = models.CharField(max_length=60, blank=True)
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["published_list", "country", "name"]
        indexes = [models.Index(fields=["published_list", "country", "facility_type"])]

    def __str__(self) -> str:
        return f"{self.public_id} {self.name}"


class IntroductionOptIn(models.Model):
    """A company agrees to be introduced to the other members that use a facility."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="opt_ins")
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "facility", "company"], name="opt_in_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id} opts in at {self.facility_id}"


class Introduction(models.Model):
    """The secretariat introduced companies that share a facility (all had opted in)."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="introductions")
    companies = models.ManyToManyField("agreements.Organisation", related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"introduction at {self.facility_id} ({self.created_at:%Y-%m-%d})"
