"""The complaints and disputes procedure before the agreement's independent committee: the
agreement's rules (who may file, deadline per stage), complaints with their stage history,
messages addressed to one side, documents, hearings, rulings, and the committee members'
declarations of conflicts of interest (a declared member is recused from the case)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from covenant.agreements.models import Agreement, Organisation, Theme
from covenant.core.models import TimeStampedModel


class FilerKind(models.TextChoices):
    WORKERS = "workers", _("Affected workers or their representatives")
    PARTY = "party", _("A party to the agreement")
    COMPANY = "company", _("A member company")


class Stage(models.TextChoices):
    FILED = "filed", _("Filed: admissibility to be decided")
    RESPONSE = "response", _("Response of the other side")
    MEDIATION = "mediation", _("Mediation")
    HEARING = "hearing", _("Hearing")
    INTERIM = "interim", _("Interim ruling given")
    FOLLOW_UP = "follow_up", _("Final ruling: follow-up of compliance")
    CLOSED = "closed", _("Closed")
    INADMISSIBLE = "inadmissible", _("Not admissible")


OPEN_STAGES = (Stage.FILED, Stage.RESPONSE, Stage.MEDIATION, Stage.HEARING, Stage.INTERIM)
"""Stages of a pending case (the public register lists these)."""

DEFAULT_DEADLINE_DAYS = {
    Stage.FILED: 14,  # admissibility decision
    Stage.RESPONSE: 28,
    Stage.MEDIATION: 56,
    Stage.HEARING: 42,
    Stage.INTERIM: 56,
    Stage.FOLLOW_UP: 180,
}


class Side(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    FILER = "filer", _("Filing side")
    RESPONDENT = "respondent", _("Responding side")


class ComplaintRules(models.Model):
    """Per agreement: who may file (kinds), the deadline of each stage in days, and how many
    days before a deadline the committee is reminded."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="complaint_rules"
    )
    filer_kinds = models.JSONField(default=list)  # [FilerKind]; empty = all kinds
    deadline_days = models.JSONField(default=dict)  # {stage: days}; missing = the default
    remind_days_before = models.PositiveSmallIntegerField(default=3)

    def __str__(self) -> str:
        return f"complaint rules of {self.agreement}"


class Complaint(TimeStampedModel):
    class Outcome(models.TextChoices):
        NONE = "", _("Not decided")
        UPHELD = "upheld", _("Well-founded")
        PARTLY = "partly", _("Partly well-founded")
        REJECTED = "rejected", _("Unfounded")
        SETTLED = "settled", _("Settled by mediation")
        INADMISSIBLE = "inadmissible", _("Not admissible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="complaints")
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=FilerKind.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filer_org = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.CharField(max_length=300, blank=True)  # e.g. "workers of …"
    respondent = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    description = models.TextField()
    country = models.CharField(max_length=2, blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.FILED)
    stage_since = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True)  # the due date last reminded of
    filed_on = models.DateField()
    filer_consents_mediation = models.BooleanField(null=True, blank=True)
    respondent_consents_mediation = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    signal_reference = models.CharField(max_length=20, blank=True)  # the signal it came from

    class Meta:
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["agreement", "stage"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.stage})"

    @property
    def is_pending(self) -> bool:
        return self.stage in OPEN_STAGES


EVENT_LABELS = {
    "filed": _("Complaint filed"),
    "from_signal": _("Filed from a signal, with the reporter's consent"),
    "admissible": _("Found admissible; the other side is asked to respond"),
    "inadmissible": _("Found not admissible"),
    "mediation_consent": _("A side agreed to mediation"),
    "mediation_refused": _("A side declined mediation"),
    "mediation": _("Mediation started"),
    "hearing_planned": _("To a hearing"),
    "hearing": _("Hearing held"),
    "interim_ruling": _("Interim ruling"),
    "final_ruling": _("Final ruling; follow-up of compliance"),
    "ruling_published": _("Ruling published"),
    "settled": _("Settled by mediation"),
    "closed": _("Case closed"),
    "document": _("Document added"),
    "conflict_declared": _("A committee member declared a conflict of interest"),
}


class ComplaintEvent(models.Model):
    """One step of the procedure: a stage entered, a consent, a hearing, a ruling…"""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    stage = models.CharField(max_length=12, choices=Stage.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action} {self.on}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class ComplaintMessage(models.Model):
    """A message between the committee and one side; visible to the committee, its author's
    side and the side it is addressed to — never to the other side."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_side = models.CharField(max_length=10, choices=Side.choices)
    to_side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_side} -> {self.to_side}"


class ComplaintDocument(models.Model):
    """A document of a stage. `shared`: the other side sees it too (the committee always)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="complaints/%Y/")
    original_filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    shared = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Hearing(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    participants = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"hearing {self.held_on}"


class Ruling(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim ruling")
        FINAL = "final", _("Final ruling (binding)")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="rulings")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    decided_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=Complaint.Outcome.choices, blank=True)
    text_en = models.TextField()
    text_nl = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} ruling {self.decided_on}"

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("nl") and self.text_nl:
            return self.text_nl
        return self.text_en


class ConflictDeclaration(models.Model):
    """A committee member's conflict of interest in a case: the member is recused."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "member"], name="one_declaration_per_case")
        ]

    def __str__(self) -> str:
        return f"conflict of {self.member_id} in {self.complaint_id}"
