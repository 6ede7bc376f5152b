"""Writes of the complaints procedure. Every step checks the stage it may be taken in,
records a ComplaintEvent and an audit row in the same transaction, and sets the deadline of
the stage entered from the agreement's rules; e-mails go out after commit."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.agreements.models import Agreement, Organisation, Theme
from covenant.complaints.models import (
    DEFAULT_DEADLINE_DAYS,
    OPEN_STAGES,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintRules,
    ConflictDeclaration,
    FilerKind,
    Hearing,
    Ruling,
    Side,
    Stage,
)
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.core.side_effects import on_commit

if TYPE_CHECKING:
    from covenant.accounts.models import User

MAX_TEXT = 20_000
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".txt": b"",
}


def _today() -> dt.date:
    return timezone.localdate()


def rules_for(agreement: Agreement) -> ComplaintRules:
    rules = ComplaintRules.objects.filter(agreement=agreement).first()
    return rules or ComplaintRules(agreement=agreement)


def deadline_days(agreement: Agreement, stage: str) -> int | None:
    days = rules_for(agreement).deadline_days or {}
    value = days.get(stage, DEFAULT_DEADLINE_DAYS.get(stage))  # type: ignore[call-overload]
    return int(value) if value is not None else None


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(text) > limit:
        raise ValidationFailed(
            _("At most %(max)s characters (this text has %(n)s).") % {"max": limit, "n": len(text)},
            field=field,
        )
    return text


def _enter(
    complaint: Complaint, stage: str, *, actor: User | None, action: str, note: str = "",
    on: dt.date | None = None,
) -> None:  # fmt: skip
    day = on or _today()
    complaint.stage = stage
    complaint.stage_since = day
    days = deadline_days(complaint.agreement, stage)
    complaint.due_on = day + dt.timedelta(days=days) if days is not None else None
    complaint.reminded_for = None
    complaint.save()
    _event(complaint, action, actor=actor, note=note, on=day)


def _event(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None,
    note: str = "",
    on: dt.date | None = None,
) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        stage=complaint.stage,
        note=note,
        actor=actor if actor is not None and actor.pk else None,
        on=on or _today(),
    )
    audit_record(
        actor=actor,
        action=f"complaint.{action}",
        obj=complaint,
        detail={"reference": complaint.reference, "stage": complaint.stage},
    )


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .get(pk=complaint.pk)
    )


def _require_stage(complaint: Complaint, *stages: str) -> None:
    if complaint.stage not in stages:
        raise ValidationFailed(
            _("This step is not possible while the case is at the stage '%(stage)s'.")
            % {"stage": complaint.get_stage_display()},
            field="stage",
        )


def _next_reference(agreement: Agreement, year: int) -> str:
    prefix = f"{agreement.slug.split('-')[0][:8].upper()}-{year}-"
    last = (
        Complaint.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


def rules_update(
    *, agreement: Agreement, filer_kinds: list[str], deadline_days: dict[str, int],
    remind_days_before: int, actor: User | None,
) -> ComplaintRules:  # fmt: skip
    """Set who may file (at least one kind), the deadline of each stage (1..730 days) and the
    reminder period (0..60 days) of an agreement's procedure."""
    kinds = [k for k in FilerKind.values if k in set(filer_kinds)]
    if not kinds or len(kinds) != len(set(filer_kinds)):
        raise ValidationFailed(_("Choose who may file, at least one."), field="filer_kinds")
    days: dict[str, int] = {}
    for stage, value in deadline_days.items():
        if stage not in DEFAULT_DEADLINE_DAYS:
            raise ValidationFailed(_("Unknown stage."), field="deadline_days")
        if not 1 <= int(value) <= 730:
            raise ValidationFailed(
                _("A deadline is between 1 and 730 days."), field=f"deadline_{stage}"
            )
        days[stage] = int(value)
    if not 0 <= remind_days_before <= 60:
        raise ValidationFailed(
            _("Reminders come between 0 and 60 days before a deadline."), field="remind_days_before"
        )
    with transaction.atomic():
        rules, _created = ComplaintRules.objects.select_for_update().get_or_create(
            agreement=agreement
        )
        rules.filer_kinds = kinds
        rules.deadline_days = days
        rules.remind_days_before = remind_days_before
        rules.save()
        audit_record(
            actor=actor,
            action="complaint.rules",
            obj=rules,
            detail={"filer_kinds": kinds, "deadline_days": days, "remind": remind_days_before},
        )
    return rules


# --- filing -------------------------------------------------------------------------------
def complaint_file(
    *,
    agreement: Agreement,
    kind: str,
    filer_org: Organisation,
    respondent: Organisation,
    subject: str,
    description: str,
    actor: User | None,
    country: str = "",
    theme: Theme | None = None,
    on_behalf_of: str = "",
    filed_on: dt.date | None = None,
) -> Complaint:
    """File a complaint. Who may file what is the agreement's rule (ComplaintRules)."""
    if kind not in FilerKind.values:
        raise ValidationFailed(_("Choose who is filing."), field="kind")
    allowed = rules_for(agreement).filer_kinds or list(FilerKind.values)
    if kind not in allowed:
        raise ValidationFailed(
            _("Under this agreement a complaint cannot be filed as '%(kind)s'.")
            % {"kind": FilerKind(kind).label},
            field="kind",
        )
    if kind == FilerKind.COMPANY and not filer_org.is_company:
        raise ValidationFailed(_("Only a company files as a company."), field="kind")
    if respondent.pk == filer_org.pk:
        raise ValidationFailed(_("A complaint is about another organisation."), field="respondent")
    if agreement.committee_id is None:
        raise ValidationFailed(
            _("This agreement has no complaints committee yet."), field="agreement"
        )
    if theme is not None and theme.agreement_id != agreement.pk:
        raise ValidationFailed(_("Choose one of the agreement's themes."), field="theme")
    subject = _text(subject, "subject", limit=200)
    description = _text(description, "description")
    on_behalf_of = _text(on_behalf_of, "on_behalf_of", required=False, limit=300)
    if kind == FilerKind.WORKERS and not on_behalf_of:
        raise ValidationFailed(
            _("Say on whose behalf you file (e.g. the workers of which factory)."),
            field="on_behalf_of",
        )
    country = (country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationFailed(_("Give the country as a two-letter ISO code."), field="country")
    day = filed_on or _today()
    with transaction.atomic():
        complaint = Complaint(
            agreement=agreement,
            reference=_next_reference(agreement, day.year),
            kind=kind,
            filed_by=actor if actor is not None and actor.pk else None,
            filer_org=filer_org,
            on_behalf_of=on_behalf_of,
            respondent=respondent,
            subject=subject,
            description=description,
            country=country,
            theme=theme,
            stage=Stage.FILED,
            stage_since=day,
            filed_on=day,
        )
        _enter(complaint, Stage.FILED, actor=actor, action="filed", on=day)
        on_commit(_notify, complaint.pk, "filed")
    return complaint


def signal_history(signal: Any) -> str:
    """The timeline of a signal as text for the complaint's file: dates and steps, and each
    company's response stage (no names of reporters, no staff notes)."""
    lines = [
        f"{e.created_at.date().isoformat()}: {e.get_kind_display()}" for e in signal.events.all()
    ]
    for forward in signal.forwards.select_related("company"):
        lines.append(f"{forward.company.name}: {forward.get_status_display()}")
    return "\n".join(lines)


def complaint_from_signal(
    *, signal: Any, respondent: Organisation, subject: str, description: str,
    reporter_consents: bool, actor: User | None,
) -> Complaint:  # fmt: skip
    """Turn an unresolved signal into a formal complaint, filed through the secretariat on
    the reporter's behalf: only with the reporter's consent (asked through the receipt
    channel), only against a company the signal was forwarded to, once per company. The
    text is what the secretariat submits (prefilled with the report, which it may shorten or
    redact); the signal's timeline is attached. The reporter's identity is not copied."""
    if not reporter_consents:
        raise ValidationFailed(
            _("A signal becomes a complaint only when the reporter agreed to it."),
            field="reporter_consents",
        )
    if signal.status == "closed" or signal.anonymised_at is not None:
        raise ValidationFailed(_("This signal is closed."), field="signal")
    if not signal.forwards.filter(company=respondent).exists():
        raise ValidationFailed(
            _("Choose a company the signal was forwarded to."), field="respondent"
        )
    if Complaint.objects.filter(signal_reference=signal.reference, respondent=respondent).exists():
        raise ValidationFailed(
            _("This signal is already a complaint about this company."), field="respondent"
        )
    history = signal_history(signal)
    text = _text(description, "description", limit=MAX_TEXT - len(history) - 100)
    with transaction.atomic():
        complaint = complaint_file(
            agreement=signal.agreement,
            kind=FilerKind.WORKERS,
            filer_org=signal.agreement.secretariat,
            respondent=respondent,
            subject=subject,
            description=f"{text}\n\n{_('History of the signal')} {signal.reference}:\n{history}",
            country=signal.country or "",
            theme=signal.themes.order_by("sort_order").first(),
            on_behalf_of=_("the reporter of signal %(ref)s, through the secretariat")
            % {"ref": signal.reference},
            actor=actor,
        )
        complaint.signal_reference = signal.reference
        complaint.save(update_fields=["signal_reference"])
        _event(complaint, "from_signal", actor=actor, note=signal.reference)
    return complaint


# --- committee steps ------------------------------------------------------------------------
def complaint_admissibility(
    *, complaint: Complaint, admissible: bool, reasons: str, actor: User | None,
    on: dt.date | None = None,
) -> Complaint:  # fmt: skip
    """The committee's decision on admissibility, with its reasons (required either way).
    Admissible: the other side is asked to respond. Not admissible: the case is closed."""
    reasons = _text(reasons, "reasons")
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.FILED)
        if admissible:
            _enter(complaint, Stage.RESPONSE, actor=actor, action="admissible", note=reasons, on=on)
        else:
            complaint.outcome = Complaint.Outcome.INADMISSIBLE
            _enter(
                complaint,
                Stage.INADMISSIBLE,
                actor=actor,
                action="inadmissible",
                note=reasons,
                on=on,
            )
        on_commit(_notify, complaint.pk, "admissibility")
    return complaint


def complaint_mediation_consent(
    *, complaint: Complaint, side: str, consent: bool, actor: User | None, on: dt.date | None = None
) -> Complaint:
    """A side says whether it agrees to mediation; when both agree (during the response
    stage) the case goes to mediation."""
    if side not in (Side.FILER, Side.RESPONDENT):
        raise ValidationFailed(_("Only the two sides consent to mediation."), field="side")
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.RESPONSE)
        if side == Side.FILER:
            complaint.filer_consents_mediation = consent
        else:
            complaint.respondent_consents_mediation = consent
        complaint.save()
        _event(
            complaint,
            "mediation_consent" if consent else "mediation_refused",
            actor=actor,
            note=str(Side(side).label),
            on=on,
        )
        if complaint.filer_consents_mediation and complaint.respondent_consents_mediation:
            _enter(complaint, Stage.MEDIATION, actor=actor, action="mediation", on=on)
    return complaint


def complaint_to_hearing(
    *, complaint: Complaint, note: str, actor: User | None, on: dt.date | None = None
) -> Complaint:
    """After the response (or failed mediation, or an interim ruling): to a hearing."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.RESPONSE, Stage.MEDIATION, Stage.INTERIM)
        _enter(
            complaint,
            Stage.HEARING,
            actor=actor,
            action="hearing_planned",
            note=note.strip(),
            on=on,
        )
    return complaint


def complaint_settle(
    *, complaint: Complaint, note: str, actor: User | None, on: dt.date | None = None
) -> Complaint:
    """Mediation succeeded: the case is closed as settled."""
    note = _text(note, "note")
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.MEDIATION)
        complaint.outcome = Complaint.Outcome.SETTLED
        _enter(complaint, Stage.CLOSED, actor=actor, action="settled", note=note, on=on)
    return complaint


def hearing_record(
    *, complaint: Complaint, held_on: dt.date, place: str, participants: str, minutes: str,
    actor: User | None,
) -> Hearing:  # fmt: skip
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.HEARING)
        if held_on > _today() + dt.timedelta(days=365):
            raise ValidationFailed(_("The date is too far ahead."), field="held_on")
        hearing = Hearing.objects.create(
            complaint=complaint,
            held_on=held_on,
            place=_text(place, "place", required=False, limit=200),
            participants=_text(participants, "participants", required=False),
            minutes=_text(minutes, "minutes", required=False, limit=100_000),
        )
        _event(complaint, "hearing", actor=actor, note=held_on.isoformat(), on=held_on)
    return hearing


def ruling_issue(
    *, complaint: Complaint, kind: str, text_en: str, text_nl: str = "", outcome: str = "",
    actor: User | None, on: dt.date | None = None,
) -> Ruling:  # fmt: skip
    """An interim ruling (the case goes on) or the final, binding ruling (the case goes to
    the follow-up of compliance). Given after a hearing; an interim one also from the
    response stage (e.g. urgent measures)."""
    if kind not in Ruling.Kind.values:
        raise ValidationFailed(_("Choose an interim or a final ruling."), field="kind")
    text_en = _text(text_en, "text_en", limit=100_000)
    text_nl = _text(text_nl, "text_nl", required=False, limit=100_000)
    if kind == Ruling.Kind.FINAL and outcome not in (
        Complaint.Outcome.UPHELD,
        Complaint.Outcome.PARTLY,
        Complaint.Outcome.REJECTED,
    ):
        raise ValidationFailed(
            _("A final ruling says whether the complaint is well-founded."), field="outcome"
        )
    with transaction.atomic():
        complaint = _locked(complaint)
        if kind == Ruling.Kind.INTERIM:
            _require_stage(complaint, Stage.RESPONSE, Stage.HEARING)
        else:
            _require_stage(complaint, Stage.HEARING, Stage.INTERIM)
        day = on or _today()
        ruling = Ruling.objects.create(
            complaint=complaint,
            kind=kind,
            decided_on=day,
            outcome=outcome if kind == Ruling.Kind.FINAL else "",
            text_en=text_en,
            text_nl=text_nl,
        )
        if kind == Ruling.Kind.FINAL:
            complaint.outcome = outcome
            _enter(complaint, Stage.FOLLOW_UP, actor=actor, action="final_ruling", on=day)
        else:
            _enter(complaint, Stage.INTERIM, actor=actor, action="interim_ruling", on=day)
        on_commit(_notify, complaint.pk, "ruling")
    return ruling


def ruling_publish(*, ruling: Ruling, actor: User | None, on: dt.date | None = None) -> Ruling:
    """Publish a ruling's text in the public register (as the committee wrote it)."""
    with transaction.atomic():
        ruling = Ruling.objects.select_for_update().select_related("complaint").get(pk=ruling.pk)
        if ruling.published_on is not None:
            raise ValidationFailed(_("This ruling is published already."), field="ruling")
        ruling.published_on = on or _today()
        ruling.save(update_fields=["published_on"])
        _event(ruling.complaint, "ruling_published", actor=actor, note=ruling.kind, on=on)
    return ruling


def complaint_close(
    *, complaint: Complaint, note: str, actor: User | None, on: dt.date | None = None
) -> Complaint:
    """The follow-up found the ruling complied with (or the filer withdrew): closed."""
    note = _text(note, "note")
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_stage(complaint, Stage.FOLLOW_UP, *OPEN_STAGES)
        if complaint.stage != Stage.FOLLOW_UP:
            complaint.outcome = Complaint.Outcome.WITHDRAWN
        _enter(complaint, Stage.CLOSED, actor=actor, action="closed", note=note, on=on)
    return complaint


def conflict_declare(*, complaint: Complaint, member: User, reason: str) -> ConflictDeclaration:
    """A committee member declares a conflict of interest and is recused from the case."""
    reason = _text(reason, "reason", limit=2000)
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            complaint=complaint, member=member, defaults={"reason": reason}
        )
        if not created:
            raise ValidationFailed(
                _("You declared a conflict in this case already."), field="reason"
            )
        _event(complaint, "conflict_declared", actor=member)
    return declaration


# --- both sides ------------------------------------------------------------------------------
ALLOWED_ADDRESSEES = {
    Side.COMMITTEE: (Side.FILER, Side.RESPONDENT),
    Side.FILER: (Side.COMMITTEE,),
    Side.RESPONDENT: (Side.COMMITTEE,),
}


def message_send(
    *, complaint: Complaint, from_side: str, to_side: str, body: str, actor: User | None
) -> ComplaintMessage:
    """A message between the committee and one side (the sides write to the committee; the
    committee to one side at a time), visible only to those two."""
    if to_side not in ALLOWED_ADDRESSEES.get(from_side, ()):  # type: ignore[call-overload]
        raise ValidationFailed(_("Choose whom the message is for."), field="to_side")
    body = _text(body, "body")
    if complaint.stage in (Stage.CLOSED, Stage.INADMISSIBLE):
        raise ValidationFailed(_("The case is closed."), field="body")
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            author=actor if actor is not None and actor.pk else None,
            from_side=from_side,
            to_side=to_side,
            body=body,
        )
        audit_record(
            actor=actor,
            action="complaint.message",
            obj=complaint,
            detail={"from": from_side, "to": to_side},
        )
        on_commit(_notify, complaint.pk, f"message:{to_side}")
    return message


def document_add(
    *, complaint: Complaint, side: str, title: str, filename: str, data: bytes, shared: bool,
    actor: User | None,
) -> ComplaintDocument:  # fmt: skip
    """A document for the current stage: PDF, image, Word, Excel or text, up to 10 MB,
    its content checked against its extension."""
    title = _text(title, "title", limit=200)
    name = os.path.basename(filename or "")[:255]
    ext = os.path.splitext(name.lower())[1]
    if ext not in DOCUMENT_TYPES:
        raise ValidationFailed(
            _("Upload a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or text file."), field="file"
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), field="file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(_("The file is larger than 10 MB."), field="file")
    magic = DOCUMENT_TYPES[ext]
    if magic and not data.startswith(magic):
        raise ValidationFailed(
            _("The file is not what its extension says (%(ext)s).") % {"ext": ext}, field="file"
        )
    if ext == ".txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(_("A text file must be UTF-8."), field="file") from None
    if complaint.stage in (Stage.CLOSED, Stage.INADMISSIBLE):
        raise ValidationFailed(_("The case is closed."), field="file")
    with transaction.atomic():
        document = ComplaintDocument(
            complaint=complaint,
            stage=complaint.stage,
            side=side,
            title=title,
            original_filename=name,
            size=len(data),
            shared=shared or side == Side.COMMITTEE,
            uploaded_by=actor if actor is not None and actor.pk else None,
        )
        document.file.save(f"{complaint.reference}{ext}", ContentFile(data), save=False)
        document.save()
        _event(complaint, "document", actor=actor, note=title)
    return document


# --- reminders -------------------------------------------------------------------------------
def complaints_remind(*, today: dt.date | None = None) -> int:
    """E-mail the committee (members without a conflict) about every case whose deadline
    is within the agreement's reminder period or past, once per deadline. Returns the number
    of cases reminded of."""
    day = today or _today()
    count = 0
    for complaint in Complaint.objects.filter(due_on__isnull=False).select_related("agreement"):
        if complaint.stage in (Stage.CLOSED, Stage.INADMISSIBLE):
            continue
        before = rules_for(complaint.agreement).remind_days_before
        assert complaint.due_on is not None
        if complaint.due_on - dt.timedelta(days=before) > day:
            continue
        if complaint.reminded_for == complaint.due_on:
            continue
        with transaction.atomic():
            Complaint.objects.filter(pk=complaint.pk).update(reminded_for=complaint.due_on)
            on_commit(_notify, complaint.pk, "reminder")
        count += 1
    return count


def _notify(complaint_id: int, what: str) -> None:
    from covenant.complaints.tasks import notify_complaint

    notify_complaint.enqueue(complaint_id, what)
