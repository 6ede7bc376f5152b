"""The due diligence cycle: versioned assessment frameworks of an agreement (sections mapped to
the OECD steps, criteria with their answer type and scoring rule, minimum scores per membership
year, outcome categories with their rules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from covenant.agreements.models import Agreement, Localized, Theme
from covenant.core.models import TimeStampedModel


class Framework(Localized, TimeStampedModel):
    """One version of an agreement's assessment framework. A published version never changes:
    a new year that changes the criteria gets a new version, and assessments stay tied to the
    version they were made with."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="frameworks")
    version = models.PositiveSmallIntegerField()
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True, max_length=5000)
    description_en = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    valid_from_year = models.PositiveSmallIntegerField(
        _("first reporting year"),
        help_text=_("The first reporting year assessed with this version."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    shared_priority_risks = models.PositiveSmallIntegerField(
        default=2,
        help_text=_("How many of its top priority risks a company may share with the parties."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="dd_framework_version"),
            models.CheckConstraint(
                condition=Q(valid_from_year__gte=2000, valid_from_year__lte=2100),
                name="dd_framework_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.slug} v{self.version}"

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Section(Localized, models.Model):
    class Kind(models.TextChoices):
        PROCESS = "process", _("Due diligence process")
        RESULTS = "results", _("Results achieved")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROCESS)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_nl = models.TextField(blank=True, max_length=5000)
    description_en = models.TextField(blank=True, max_length=5000)
    # Numbers of the agreement's DueDiligenceStep rows this section covers.
    oecd_steps = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dd_section_code"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.code}"


class AnswerType(models.TextChoices):
    YES_NO_PARTLY = "yes_no_partly", _("Yes / no / partly")
    CHOICE = "choice", _("Choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")
    DOCUMENT = "document", _("Document")
    TABLE = "table", _("Table")


class Criterion(Localized, models.Model):
    """One question of the framework. `scoring` says which answers earn points:
    yes/no/partly and choice: {"points": {"<value>": n}}; number: {"thresholds": [[at_least,
    n], ...]}; text, document, table: {"provided": n}. `points` is the maximum it can earn
    (checked against the rule when the framework is saved)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    text_nl = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500)
    guidance_nl = models.TextField(blank=True, max_length=5000)
    guidance_en = models.TextField(blank=True, max_length=5000)
    examples_nl = models.TextField(blank=True, max_length=5000)
    examples_en = models.TextField(blank=True, max_length=5000)
    answer_type = models.CharField(max_length=15, choices=AnswerType.choices)
    # choice: {"choices": [{"value", "label_nl", "label_en"}]}; number: {"min", "max", "unit"};
    # table: {"columns": [{"key", "label_nl", "label_en", "type": "text"|"number"}],
    # "max_rows": n}; text: {"max_length": n}.
    options = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(default=True)
    points = models.PositiveSmallIntegerField(default=0)
    scoring = models.JSONField(default=dict, blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["section", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="dd_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.section.code}/{self.code}"

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def guidance(self) -> str:
        return self.localized("guidance")

    @property
    def examples(self) -> str:
        return self.localized("examples")


class MinimumScore(models.Model):
    """The minimum total score (percent of the maximum) in a membership year; the row with the
    highest year at or below a company's membership year applies (so the last row holds for
    every later year)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="minimums")
    membership_year = models.PositiveSmallIntegerField()
    min_percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["framework", "membership_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "membership_year"], name="dd_minimum_year"
            ),
            models.CheckConstraint(
                condition=Q(min_percent__gte=0, min_percent__lte=100),
                name="dd_minimum_percent_range",
            ),
            models.CheckConstraint(condition=Q(membership_year__gte=1), name="dd_minimum_year_1"),
        ]

    def __str__(self) -> str:
        return f"year {self.membership_year}: {self.min_percent}%"


class OutcomeCategory(Localized, models.Model):
    """An outcome of an assessment. Categories are tried in order; the first whose rule holds
    is the proposed outcome. Rule keys (all optional, all must hold): "total_at_least_minimum"
    (true), "total_at_least" (percent), "each_section_at_least" (percent of each section's
    maximum). The last category has an empty rule and catches the rest."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="outcomes")
    code = models.SlugField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    rule = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["framework", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dd_outcome_code"),
        ]

    def __str__(self) -> str:
        return self.code


# --- the annual self-assessment ---------------------------------------------------------
class AssessmentRound(TimeStampedModel):
    """A reporting year opened by the secretariat: the framework version it uses and the
    deadline for submitting."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="assessment_rounds"
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    deadline = models.DateField(_("deadline"))
    second_review_percent = models.PositiveSmallIntegerField(
        _("share reviewed by a second assessor (%)"), default=20
    )
    borderline_margin = models.PositiveSmallIntegerField(
        _("borderline margin (percentage points)"),
        default=5,
        help_text=_(
            "A first score this close to the minimum or to an outcome boundary always gets a "
            "second assessor."
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="dd_round_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.slug} {self.year}"


class SelfAssessment(TimeStampedModel):
    """A company's self-assessment of one reporting year. Confidential to the company and the
    agreement's secretariat."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.PROTECT, related_name="self_assessments"
    )
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.PROTECT, related_name="self_assessments"
    )
    membership_year = models.PositiveSmallIntegerField(
        help_text=_("1 in the first calendar year of membership.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "company"], name="dd_self_assessment_once"),
            models.CheckConstraint(
                condition=Q(membership_year__gte=1), name="dd_self_assessment_year_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.round}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Answer(models.Model):
    """The company's answer to one criterion. `previous_value` is last year's answer it was
    prefilled from (`has_previous`), so the page can show what changed."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=0)
    has_previous = models.BooleanField(default=False)
    previous_value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["self_assessment", "criterion__section__sort_order", "criterion__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "criterion"], name="dd_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment} {self.criterion.code}"

    @property
    def changed(self) -> bool:
        """Differs from last year's answer (False when there was none)."""
        return self.has_previous and self.value != self.previous_value


# --- risk register and action plan -----------------------------------------------------
class Risk(TimeStampedModel):
    """A risk of adverse impact in a company's supply chain, per theme and country, facility or
    material. Severity is scale + scope + irremediable character (each 1-5, so 3-15); the
    priority order sorts by severity, then likelihood (as the OECD guidance says)."""

    class Involvement(models.TextChoices):
        CAUSE = "cause", _("Causes")
        CONTRIBUTE = "contribute", _("Contributes")
        LINKED = "linked", _("Directly linked")

    class Leverage(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.PROTECT, related_name="dd_risks"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    country = models.CharField(_("country"), max_length=2, blank=True)
    facility = models.ForeignKey(
        "supplychain.Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    material = models.CharField(_("material"), max_length=100, blank=True)
    description = models.TextField(_("description"), max_length=3000)
    scale = models.PositiveSmallIntegerField(_("scale"))
    scope = models.PositiveSmallIntegerField(_("scope"))
    irremediable = models.PositiveSmallIntegerField(_("irremediable character"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    involvement = models.CharField(max_length=10, choices=Involvement.choices)
    leverage = models.CharField(max_length=10, choices=Leverage.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["company", "id"]
        indexes = [models.Index(fields=["agreement", "company", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__gte=1, scale__lte=5)
                & Q(scope__gte=1, scope__lte=5)
                & Q(irremediable__gte=1, irremediable__lte=5)
                & Q(likelihood__gte=1, likelihood__lte=5),
                name="dd_risk_scores_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(country="") | Q(facility__isnull=False) | ~Q(material=""),
                name="dd_risk_has_where",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme.code} {self.country or self.material}"

    @property
    def severity(self) -> int:
        return self.scale + self.scope + self.irremediable


class RiskOrder(models.Model):
    """A company's own priority order of its risks, with the reason it gave. The latest row
    applies; risks missing from it follow in the computed order."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    order = models.JSONField(default=list)
    reason = models.TextField(max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"order of {self.company_id} at {self.created_at}"


class RiskShare(models.Model):
    """The company's explicit, revocable consent to show one risk to the agreement's parties."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="shares")
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consented_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("message to the parties"), blank=True, max_length=2000)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk"],
                condition=Q(revoked_at__isnull=True),
                name="dd_risk_share_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"share of risk {self.risk_id}"


class ActionTarget(TimeStampedModel):
    """A SMART target of the action plan for a risk, with its measures, owner, deadline and
    indicator. Progress per year and results achieved are recorded apart from the plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED = "dropped", _("Dropped")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="targets")
    target = models.CharField(_("specific target"), max_length=500)
    measures = models.TextField(_("measures"), max_length=3000)
    owner = models.CharField(_("owner"), max_length=200)
    deadline = models.DateField(_("deadline"))
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["risk", "deadline", "id"]

    def __str__(self) -> str:
        return self.target


class ActionProgress(TimeStampedModel):
    """The indicator's value in a year."""

    action = models.ForeignKey(ActionTarget, on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["action", "year"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="dd_action_progress_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class ActionResult(TimeStampedModel):
    """A result achieved (an outcome for workers or the environment), apart from the plan."""

    action = models.ForeignKey(ActionTarget, on_delete=models.CASCADE, related_name="results")
    achieved_on = models.DateField(_("achieved on"))
    description = models.TextField(_("result"), max_length=3000)
    evidence_url = models.URLField(_("evidence"), blank=True, max_length=500)

    class Meta:
        ordering = ["action", "achieved_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


# --- assessment by the secretariat ---------------------------------------------------
class Assessment(TimeStampedModel):
    """The secretariat's assessment of a submitted self-assessment: a first assessor scores
    every criterion; a sample (and every borderline case) gets a second assessor who scores
    blind to the first; the proposed outcome follows from the rules; the secretariat releases
    the outcome with written feedback."""

    class Status(models.TextChoices):
        FIRST = "first", _("With the first assessor")
        SECOND = "second", _("With the second assessor")
        READY = "ready", _("Ready for release")
        RELEASED = "released", _("Released")

    self_assessment = models.OneToOneField(
        SelfAssessment, on_delete=models.PROTECT, related_name="assessment"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FIRST)
    first_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    second_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_sample = models.BooleanField(default=False)
    sample_reason = models.CharField(max_length=20, blank=True)  # "borderline" or "random"
    first_done_at = models.DateTimeField(null=True, blank=True)
    second_done_at = models.DateTimeField(null=True, blank=True)
    proposed_outcome = models.CharField(max_length=40, blank=True)
    outcome = models.ForeignKey(
        OutcomeCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    minimum_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True, max_length=10000)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["self_assessment__round", "self_assessment__company__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_assessor__isnull=True)
                | ~Q(second_assessor=models.F("first_assessor")),
                name="dd_assessment_two_people",
            )
        ]

    def __str__(self) -> str:
        return f"assessment of {self.self_assessment}"

    @property
    def below_minimum(self) -> bool:
        return (
            self.total_percent is not None
            and self.minimum_percent is not None
            and self.total_percent < self.minimum_percent
        )


class CriterionScore(TimeStampedModel):
    """An assessor's points for one criterion, with a comment."""

    class Role(models.TextChoices):
        FIRST = "first", _("First assessor")
        SECOND = "second", _("Second assessor")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=3000)

    class Meta:
        ordering = ["assessment", "criterion__section__sort_order", "criterion__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion", "role"], name="dd_criterion_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.role}: {self.points}"


class FollowUpQuestion(TimeStampedModel):
    """A follow-up question of an assessor about one criterion, answered by the company in
    the platform; the messages form the thread."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the company")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateField(_("answer by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["assessment", "created_at"]

    def __str__(self) -> str:
        return f"question on {self.criterion.code}"


class FollowUpMessage(models.Model):
    question = models.ForeignKey(
        FollowUpQuestion, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_company = models.BooleanField(default=False)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReminderSent(models.Model):
    """A deadline reminder sent to a company, so each goes out once."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="reminders")
    company = models.ForeignKey(
        "agreements.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "company", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "company", "days_before"], name="dd_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.days_before} days before {self.round}"


class Attachment(TimeStampedModel):
    """A document a company uploads as the answer to a document criterion (a policy, a
    report). The answer then refers to it as "attachment:<id>"; it is confidential like the
    self-assessment."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="attachments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="duediligence/%Y/")
    original_filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["self_assessment", "-created_at"]

    def __str__(self) -> str:
        return self.original_filename


class CountryRiskHint(models.Model):
    """The agreement's view of the risk on a theme in a country (from its framework file),
    shown to companies next to their own risks as a hint."""

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="country_risks")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=2)
    level = models.CharField(max_length=10, choices=Level.choices)
    note_nl = models.CharField(max_length=500, blank=True)
    note_en = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["framework", "theme__sort_order", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "theme", "country"], name="dd_country_risk_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme.code} {self.country}: {self.level}"

    @property
    def note(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "en")[:2]
        return (self.note_nl if lang == "nl" else self.note_en) or self.note_en
