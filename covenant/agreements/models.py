"""Agreements, their themes and targets; organisations and brands; memberships with history;
parties and supporters with their commitments; market coverage figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from covenant.core.models import TimeStampedModel


class Localized:
    """Picks the `<field>_nl` or `<field>_en` value for the active language (falls back to en)."""

    def localized(self, field: str) -> str:
        lang = (get_language() or "en")[:2]
        value = getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_en", "")
        return str(value or "")

    @property
    def name(self) -> str:
        return self.localized("name")


class Organisation(TimeStampedModel):
    class Type(models.TextChoices):
        COMPANY = "company", _("Company")
        TRADE_UNION = "trade_union", _("Trade union")
        NGO = "ngo", _("NGO")
        TRADE_ASSOCIATION = "trade_association", _("Trade association")
        GOVERNMENT = "government", _("Government")
        SUPPORTER = "supporter", _("Supporter")
        SECRETARIAT = "secretariat", _("Secretariat")
        COMMITTEE = "committee", _("Complaints and disputes committee")

    PARTY_TYPES = (Type.TRADE_UNION, Type.NGO, Type.TRADE_ASSOCIATION, Type.GOVERNMENT)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="NL")
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_company(self) -> bool:
        return self.type == self.Type.COMPANY

    @property
    def is_party_type(self) -> bool:
        return self.type in self.PARTY_TYPES


class Brand(TimeStampedModel):
    """A consumer label owned by a company."""

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="brands", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="brand_unique_per_company")
        ]

    def __str__(self) -> str:
        return self.name


class Agreement(Localized, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        ACTIVE = "active", _("Running")
        ENDED = "ended", _("Ended")

    slug = models.SlugField(max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    secretariat = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="run_agreements",
        limit_choices_to={"type": Organisation.Type.SECRETARIAT},
    )
    committee = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_agreements",
        limit_choices_to={"type": Organisation.Type.COMMITTEE},
    )
    facility_taxonomy = models.CharField(
        _("facility taxonomy"), max_length=50, default="open-supply-hub-2023"
    )
    list_publication_month = models.PositiveSmallIntegerField(default=7)
    list_publication_day = models.PositiveSmallIntegerField(default=4)

    class Meta:
        ordering = ["-status", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_publication_month__gte=1, list_publication_month__lte=12)
                & Q(list_publication_day__gte=1, list_publication_day__lte=31),
                name="agreement_publication_date_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ends_on__gt=models.F("signed_on")),
                name="agreement_ends_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class Theme(Localized, models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="themes")
    code = models.SlugField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    joint_aims_nl = models.TextField(blank=True)
    joint_aims_en = models.TextField(blank=True)
    expected_measures_nl = models.TextField(blank=True)
    expected_measures_en = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_en


class DueDiligenceStep(Localized, models.Model):
    """The OECD due diligence steps as the agreement words them."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="dd_steps")
    number = models.PositiveSmallIntegerField()
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="dd_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_en}"


class CoverageTarget(models.Model):
    """Share of the national market the member companies should cover by a year."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="coverage_targets"
    )
    year = models.PositiveSmallIntegerField()
    target_percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="coverage_target_unique"),
            models.CheckConstraint(
                condition=Q(target_percent__gte=0, target_percent__lte=100),
                name="coverage_target_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.slug} {self.year}: {self.target_percent}%"


class MarketSize(TimeStampedModel):
    """Size of the national market of the agreement's sector in a year, set by the secretariat."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="market_sizes")
    year = models.PositiveSmallIntegerField()
    amount_eur = models.DecimalField(max_digits=16, decimal_places=0)
    source = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="market_size_unique"),
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="market_size_positive"),
        ]


class Turnover(TimeStampedModel):
    """A company's turnover on the national market in a year. Confidential to it and the
    secretariat; others only ever see an aggregate over MIN_GROUP_SIZE companies."""

    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="turnovers")
    year = models.PositiveSmallIntegerField()
    amount_eur = models.DecimalField(max_digits=16, decimal_places=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["company", "year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="turnover_unique"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="turnover_non_negative"),
        ]


class Membership(TimeStampedModel):
    """A company's membership of an agreement. The current state lives here; every change
    is a MembershipEvent, from which history and year counts are derived."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        ASSOCIATED = "associated", _("Associated")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        REJECTED = "rejected", _("Rejected")

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left")
        BANKRUPTCY = "bankruptcy", _("Bankruptcy")
        EXCLUDED = "excluded", _("Excluded")
        MERGED = "merged", _("Merged")

    MEMBER_STATUSES = (Status.ACTIVE, Status.ASSOCIATED, Status.SUSPENDED)

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="memberships")
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField()
    joined_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    sister_initiative = models.CharField(
        _("sister initiative"),
        max_length=200,
        blank=True,
        help_text=_("For associated members: the initiative recognised mutually."),
    )
    merged_into = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "company__name"]
        constraints = [
            # One open (not ended/rejected) membership per company and agreement.
            models.UniqueConstraint(
                fields=["agreement", "company"],
                condition=~Q(status__in=["ended", "rejected"]),
                name="membership_one_open_per_company",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | ~Q(end_reason=""),
                name="membership_ended_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.agreement.slug} ({self.status})"

    @property
    def is_member(self) -> bool:
        return self.status in self.MEMBER_STATUSES


class MembershipEvent(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Membership.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Membership.Status.choices)
    effective_on = models.DateField(db_index=True)
    reason = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.effective_on}: {self.from_status or '—'} → {self.to_status}"


class Signatory(TimeStampedModel):
    """A party (signatory organisation other than a company) or a supporter of an agreement."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party")
        SUPPORTER = "supporter", _("Supporter")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="signatures"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    declaration = models.TextField(_("declaration"), blank=True, max_length=10000)

    class Meta:
        ordering = ["agreement", "kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="signatory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.kind}, {self.agreement.slug})"


class Commitment(TimeStampedModel):
    """A party's letter of intent for an agreement, with its light action plan (targets)."""

    signatory = models.OneToOneField(Signatory, on_delete=models.CASCADE, related_name="commitment")
    why_at_table = models.TextField(_("why we are at the table"), blank=True, max_length=5000)
    contribution = models.TextField(_("our contribution"), blank=True, max_length=5000)
    mandate = models.TextField(_("our mandate"), blank=True, max_length=5000)
    expectations = models.TextField(_("what we expect of others"), blank=True, max_length=5000)

    def __str__(self) -> str:
        return f"Commitment of {self.signatory.organisation}"


class CommitmentTarget(TimeStampedModel):
    """A SMART target in a party's action plan."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="targets")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL)
    description = models.CharField(_("specific target"), max_length=500)
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=50, blank=True)
    due_year = models.PositiveSmallIntegerField(_("due year"))

    class Meta:
        ordering = ["commitment", "due_year", "id"]

    def __str__(self) -> str:
        return self.description


class TargetProgress(TimeStampedModel):
    target = models.ForeignKey(CommitmentTarget, on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["target", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="target_progress_unique")
        ]
