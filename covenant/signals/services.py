"""Writes of the signals app. The outermost service owns the transaction; every piece of the
reporter's text or files is encrypted before it reaches the ORM (crypto.py); side effects
(e-mails) are scheduled on commit; role-sensitive changes write an audit row."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.agreements.models import Agreement, Theme
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.signals import conf, crypto, notify
from covenant.signals.models import (
    ReceiptAttempt,
    Signal,
    SignalAttachment,
    SignalEvent,
    SignalMessage,
)

if TYPE_CHECKING:
    from covenant.accounts.models import User

# Receipt codes: 24 symbols of Crockford's base32 (no I, L, O, U): 120 random bits, shown in
# groups of four. Typing is forgiving: case, spaces, dashes, O for 0 and I/L for 1.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 24
_CODE_FIXES = str.maketrans("OIL", "011")
MAX_TEXT = 10_000
MAX_SHORT = 500

# Purposes bind each ciphertext to its column (associated data of AES-GCM).
P_DESCRIPTION = "signal.description"
P_LOCATION = "signal.location"
P_NAME = "signal.reporter_name"
P_CONTACT = "signal.reporter_contact"
P_MESSAGE = "signal.message"
P_FILENAME = "signal.attachment.filename"
P_FILE = "signal.attachment.data"
P_RECEIPT = "signal.receipt"


# --- receipt codes ---------------------------------------------------------------------------
def receipt_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def receipt_code_format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_code_normalise(text: str) -> str:
    cleaned = text.upper().translate(_CODE_FIXES)
    return "".join(ch for ch in cleaned if ch in CODE_ALPHABET)[: CODE_LENGTH + 1]


def receipt_hash(code: str) -> str:
    return crypto.lookup_hash(receipt_code_normalise(code), purpose=P_RECEIPT)


def receipt_attempt_failed(*, client_hash: str) -> None:
    """Log a wrong receipt code (not the code tried) for the throttle and the audit log."""
    with transaction.atomic():
        ReceiptAttempt.objects.create(client_hash=client_hash)
        audit_record(
            actor=None,
            action="signal.receipt_failed",
            kind="security",
            detail={"client": client_hash[:16]},
        )


# --- attachments -----------------------------------------------------------------------------
@dataclass
class Upload:
    name: str
    data: bytes


def _check_uploads(uploads: Sequence[Upload], field_name: str = "attachments") -> list[str]:
    """The content type of each upload, recognised from its bytes; a clear error otherwise."""
    if len(uploads) > conf.MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("Attach at most %(n)d files.") % {"n": conf.MAX_ATTACHMENTS}, field=field_name
        )
    types = []
    for upload in uploads:
        name = upload.name[:200] or "file"
        if len(upload.data) > conf.MAX_ATTACHMENT_BYTES:
            raise ValidationFailed(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": name, "mb": conf.MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                field=field_name,
            )
        if not upload.data:
            raise ValidationFailed(_("%(name)s is empty.") % {"name": name}, field=field_name)
        found = next(
            (
                ctype
                for ctype, (_ext, magics) in conf.ATTACHMENT_TYPES.items()
                if any(upload.data.startswith(m) for m in magics)
            ),
            None,
        )
        if found is None:
            raise ValidationFailed(
                _("%(name)s is not a photo (JPEG, PNG) or a PDF document.") % {"name": name},
                field=field_name,
            )
        types.append(found)
    return types


def _store_uploads(
    *,
    signal: Signal,
    uploads: Sequence[Upload],
    types: list[str],
    forward: Any = None,
    actor: User | None = None,
) -> None:
    for upload, ctype in zip(uploads, types, strict=True):
        SignalAttachment.objects.create(
            signal=signal,
            forward=forward,
            filename_enc=crypto.encrypt(upload.name[:200] or "file", purpose=P_FILENAME),
            content_type=ctype,
            size=len(upload.data),
            data_enc=crypto.encrypt(upload.data, purpose=P_FILE),
            uploaded_by=actor,
        )


# --- submission ------------------------------------------------------------------------------
@dataclass
class SignalInput:
    public_id: str = ""  # a facility of the agreement's published list, or
    location_text: str = ""  # an unlisted location as the reporter describes it
    country: str = ""
    theme_codes: list[str] = field(default_factory=list)
    description: str = ""
    since: dt.date | None = None
    workers_affected: int | None = None
    reporter_name: str = ""
    reporter_contact: str = ""
    identity_shareable: bool = False
    language: str = "en"
    attachments: list[Upload] = field(default_factory=list)


@dataclass
class Submitted:
    signal: Signal
    receipt_code: str  # shown once, never stored

    @property
    def receipt_code_display(self) -> str:
        return receipt_code_format(self.receipt_code)


def _validate(agreement: Agreement, data: SignalInput, today: dt.date) -> dict[str, Any]:
    from covenant.matching.countries import country_codes
    from covenant.supplychain.models import PublishedLocation

    out: dict[str, Any] = {}
    description = data.description.strip()
    if len(description) < 10:
        raise ValidationFailed(
            _("Describe what happened (at least a sentence)."), field="description"
        )
    if len(description) > MAX_TEXT:
        raise ValidationFailed(
            _("The description is too long (at most %(n)d characters).") % {"n": MAX_TEXT},
            field="description",
        )
    out["description"] = description
    public_id = data.public_id.strip().upper()
    location_text = data.location_text.strip()
    country = data.country.strip().upper()
    if public_id:
        location = (
            PublishedLocation.objects.filter(
                published_list__agreement=agreement, public_id=public_id
            )
            .select_related("facility")
            .order_by("-published_list__year")
            .first()
        )
        if location is None:
            raise ValidationFailed(
                _("There is no location %(id)s on the published list.") % {"id": public_id[:20]},
                field="location",
            )
        facility = location.facility
        if facility is not None and facility.merged_into_id:
            facility = facility.merged_into
        out["facility"] = facility
        out["country"] = location.country
        out["location_text"] = ""
    else:
        if len(location_text) < 3:
            raise ValidationFailed(
                _("Pick the location from the list or describe it (name, address, city)."),
                field="location",
            )
        if len(location_text) > MAX_SHORT:
            raise ValidationFailed(
                _("The location description is too long (at most %(n)d characters).")
                % {"n": MAX_SHORT},
                field="location_text",
            )
        if country and country not in set(country_codes()):
            raise ValidationFailed(_("Pick a country from the list."), field="country")
        out.update(facility=None, country=country, location_text=location_text)
    codes = list(dict.fromkeys(c for c in data.theme_codes if c))
    themes = list(Theme.objects.filter(agreement=agreement, code__in=codes))
    if len(themes) != len(codes):
        raise ValidationFailed(_("Pick themes from the list."), field="themes")
    out["themes"] = themes
    if data.since is not None and not (dt.date(1990, 1, 1) <= data.since <= today):
        raise ValidationFailed(_("The date must be between 1990 and today."), field="since")
    if data.workers_affected is not None and not 1 <= data.workers_affected <= 10_000_000:
        raise ValidationFailed(
            _("The number of workers must be between 1 and 10,000,000."),
            field="workers_affected",
        )
    for name, value, limit in (
        ("reporter_name", data.reporter_name, 200),
        ("reporter_contact", data.reporter_contact, MAX_SHORT),
    ):
        if len(value.strip()) > limit:
            raise ValidationFailed(
                _("This is too long (at most %(n)d characters).") % {"n": limit}, field=name
            )
    out["types"] = _check_uploads(data.attachments)
    return out


def _new_reference(today: dt.date) -> str:
    return f"S-{today:%y}-{secrets.token_hex(3).upper()}"


def signal_submit(*, agreement: Agreement, data: SignalInput) -> Submitted:
    """Record a report from someone without an account. Returns the signal and its receipt
    code (shown once: only a keyed hash is stored). Nothing is saved when any field is wrong."""
    today = timezone.localdate()
    checked = _validate(agreement, data, today)
    name = data.reporter_name.strip()
    contact = data.reporter_contact.strip()
    language = data.language if data.language in dict(conf.languages()) else "en"
    for _attempt in range(5):
        code = receipt_code_new()
        try:
            with transaction.atomic(durable=True):
                signal = Signal.objects.create(
                    agreement=agreement,
                    reference=_new_reference(today),
                    receipt_hash=receipt_hash(code),
                    language=language,
                    facility=checked["facility"],
                    country=checked["country"],
                    location_enc=crypto.encrypt_text(checked["location_text"], purpose=P_LOCATION),
                    since=data.since,
                    workers_affected=data.workers_affected,
                    description_enc=crypto.encrypt_text(
                        checked["description"], purpose=P_DESCRIPTION
                    ),
                    reporter_name_enc=crypto.encrypt_text(name, purpose=P_NAME),
                    reporter_contact_enc=crypto.encrypt_text(contact, purpose=P_CONTACT),
                    identity_shareable=bool(data.identity_shareable and (name or contact)),
                )
                signal.themes.set(checked["themes"])
                _store_uploads(signal=signal, uploads=data.attachments, types=checked["types"])
                SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.RECEIVED)
                notify.schedule(signal_id=signal.pk, event="new")
        except IntegrityError:  # a reference or code collision: astronomically rare, retry
            continue
        return Submitted(signal=signal, receipt_code=code)
    raise ValidationFailed(_("The report could not be saved; please try again."))


def signal_reporter_add(
    *, signal: Signal, text: str, attachments: Sequence[Upload] = ()
) -> SignalMessage | None:
    """The reporter adds information or answers a question (through the receipt code)."""
    text = text.strip()
    if not text and not attachments:
        raise ValidationFailed(_("Write something or attach a file."), field="body")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("The text is too long (at most %(n)d characters).") % {"n": MAX_TEXT}, field="body"
        )
    if signal.anonymised_at is not None or signal.status == Signal.Status.CLOSED:
        raise ValidationFailed(_("This report is closed; information can no longer be added."))
    types = _check_uploads(attachments)
    already = signal.attachments.filter(forward__isnull=True).count()
    if already + len(attachments) > conf.MAX_ATTACHMENTS * 3:
        raise ValidationFailed(
            _("This report has as many files as it can take."), field="attachments"
        )
    with transaction.atomic(durable=True):
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        message = None
        if text:
            message = SignalMessage.objects.create(
                signal=locked,
                direction=SignalMessage.Direction.FROM_REPORTER,
                body_enc=crypto.encrypt(text, purpose=P_MESSAGE),
            )
        _store_uploads(signal=locked, uploads=attachments, types=types)
        SignalEvent.objects.create(signal=locked, kind=SignalEvent.Kind.REPORTER_INFO)
        if locked.status == Signal.Status.NEEDS_INFO:
            locked.status = Signal.Status.NEW
            locked.save(update_fields=["status", "updated_at"])
        notify.schedule(signal_id=signal.pk, event="reporter_added")
    return message


# --- keys ------------------------------------------------------------------------------------
ENCRYPTED = {
    Signal: {
        "location_enc": P_LOCATION,
        "description_enc": P_DESCRIPTION,
        "reporter_name_enc": P_NAME,
        "reporter_contact_enc": P_CONTACT,
    },
    SignalMessage: {"body_enc": P_MESSAGE},
    SignalAttachment: {"filename_enc": P_FILENAME, "data_enc": P_FILE},
}


@dataclass
class RotationResult:
    rewritten: int = 0
    by_key_before: dict[str, int] = field(default_factory=dict)


def keys_rotate(*, batch_size: int = 200) -> RotationResult:
    """Re-encrypt every ciphertext that is not under the current key (after a new key was
    made current). Idempotent and resumable: each batch is its own transaction, rows already
    under the current key are skipped."""
    ring = crypto.keyring()
    result = RotationResult()
    for model, columns in ENCRYPTED.items():
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()  # type: ignore[attr-defined]
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", *columns)[:batch_size]
                )
                if not rows:
                    break
                for row in rows:
                    changed = []
                    for column, purpose in columns.items():
                        token = getattr(row, column)
                        if token is None:
                            continue
                        key_id = crypto.key_id_of(token)
                        result.by_key_before[key_id] = result.by_key_before.get(key_id, 0) + 1
                        if key_id == ring.current:
                            continue
                        plain = crypto.decrypt(token, purpose=purpose, ring=ring)
                        setattr(row, column, crypto.encrypt(plain, purpose=purpose, ring=ring))
                        changed.append(column)
                    if changed:
                        row.save(update_fields=changed)
                        result.rewritten += 1
                last = rows[-1].pk
    return result


def keys_in_use() -> dict[str, int]:
    """How many ciphertexts each key id holds (to know when an old key may be removed)."""
    counts: dict[str, int] = {}
    for model, columns in ENCRYPTED.items():
        for values in model.objects.values_list(*columns).iterator():  # type: ignore[attr-defined]
            for token in values:
                if token is not None:
                    key_id = crypto.key_id_of(token)
                    counts[key_id] = counts.get(key_id, 0) + 1
    return counts


# --- handling by the secretariat ----------------------------------------------------------------
CHECK_DECISIONS = {
    "admissible": Signal.Status.ADMISSIBLE,
    "needs_info": Signal.Status.NEEDS_INFO,
    "not_member": Signal.Status.NOT_MEMBER,
    "inadmissible": Signal.Status.INADMISSIBLE,
}
TERMINAL = (Signal.Status.NOT_MEMBER, Signal.Status.INADMISSIBLE, Signal.Status.CLOSED)


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update().select_related("agreement").get(pk=signal.pk)


def _require_open(signal: Signal) -> None:
    if signal.status in TERMINAL or signal.anonymised_at is not None:
        raise ValidationFailed(_("This signal is closed."), field="status")


def _event(
    signal: Signal, kind: str, *, actor: User | None, public: bool = True, note: str = ""
) -> SignalEvent:
    return SignalEvent.objects.create(
        signal=signal, kind=kind, actor=actor, public=public, note=note[:500]
    )


def signal_acknowledge(*, signal: Signal, actor: User) -> Signal:
    """The secretariat confirms receipt (the first deadline). Idempotent."""
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        if signal.acknowledged_at is None:
            signal.acknowledged_at = timezone.now()
            signal.save(update_fields=["acknowledged_at", "updated_at"])
            _event(signal, SignalEvent.Kind.ACKNOWLEDGED, actor=actor)
            audit_record(actor=actor, action="signal.acknowledge", obj=signal)
    return signal


def signal_ask(*, signal: Signal, text: str, actor: User) -> SignalMessage:
    """A question to the reporter through the receipt-code channel (encrypted)."""
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write the question."), field="question")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("The text is too long (at most %(n)d characters).") % {"n": MAX_TEXT},
            field="question",
        )
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        message = SignalMessage.objects.create(
            signal=signal,
            direction=SignalMessage.Direction.TO_REPORTER,
            body_enc=crypto.encrypt(text, purpose=P_MESSAGE),
            author=actor,
        )
        if signal.acknowledged_at is None:
            signal.acknowledged_at = timezone.now()
            _event(signal, SignalEvent.Kind.ACKNOWLEDGED, actor=actor)
        if signal.status == Signal.Status.NEW:
            signal.status = Signal.Status.NEEDS_INFO
        signal.save(update_fields=["status", "acknowledged_at", "updated_at"])
        _event(signal, SignalEvent.Kind.QUESTION, actor=actor)
        audit_record(actor=actor, action="signal.ask", obj=signal)
    return message


def signal_check(*, signal: Signal, decision: str, note: str, actor: User) -> Signal:
    """The secretariat's check: admissible, needs more information (then ask a question),
    not about a member's location, or not admissible (both end the signal)."""
    status = CHECK_DECISIONS.get(decision)
    if status is None:
        raise ValidationFailed(_("Choose one of the decisions."), field="decision")
    if status in TERMINAL and not note.strip():
        raise ValidationFailed(_("Give the reason (the reporter sees the decision)."), field="note")
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        if signal.status == Signal.Status.FORWARDED:
            raise ValidationFailed(_("The signal was already forwarded."), field="decision")
        now = timezone.now()
        signal.status = status
        signal.checked_at = now
        if signal.acknowledged_at is None:
            signal.acknowledged_at = now
            _event(signal, SignalEvent.Kind.ACKNOWLEDGED, actor=actor)
        if status in TERMINAL:
            signal.closed_at = now
            signal.outcome = Signal.Outcome.NOT_HANDLED
        signal.save()
        _event(signal, SignalEvent.Kind.CHECKED, actor=actor, note=f"{decision}: {note.strip()}")
        audit_record(actor=actor, action="signal.check", obj=signal, detail={"decision": decision})
    return signal


def signal_set_location(*, signal: Signal, public_id: str, actor: User) -> Signal:
    """Link a signal about an unlisted location to a facility of the registry, once the
    secretariat found it (then it can be forwarded to the companies that use it)."""
    from covenant.supplychain.services.registry import facility_by_public_id

    facility = facility_by_public_id(public_id)
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        if signal.status == Signal.Status.FORWARDED:
            raise ValidationFailed(_("The signal was already forwarded."), field="public_id")
        signal.facility = facility
        signal.country = facility.country
        signal.save(update_fields=["facility", "country", "updated_at"])
        audit_record(
            actor=actor,
            action="signal.set_location",
            obj=signal,
            detail={"facility": facility.public_id},
        )
    return signal


def signal_forward(*, signal: Signal, note: str, actor: User) -> list[Any]:
    """Forward an admissible signal to every member company linked to its location. The
    reporter's identity goes along only when they allowed it; when several members share
    the location each is told that others received it too (not who)."""
    from covenant.signals.models import SignalForward
    from covenant.signals.selectors import companies_linked

    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        if signal.status != Signal.Status.ADMISSIBLE:
            raise ValidationFailed(
                _("Only a signal checked as admissible can be forwarded."), field="status"
            )
        if signal.facility is None:
            raise ValidationFailed(
                _("Link the signal to a location of the registry first."), field="public_id"
            )
        companies = companies_linked(agreement=signal.agreement, facility=signal.facility)
        if not companies:
            raise ValidationFailed(
                _(
                    "No member company is linked to this location. Check it as not about "
                    "a member's location instead."
                ),
                field="status",
            )
        now = timezone.now()
        forwards = [
            SignalForward.objects.create(
                signal=signal,
                company=company,
                identity_shared=signal.identity_shareable,
                shared_with_others=len(companies) > 1,
                note_from_secretariat=note.strip()[:5000],
                forwarded_by=actor,
            )
            for company in companies
        ]
        signal.status = Signal.Status.FORWARDED
        signal.forwarded_at = now
        signal.acknowledged_at = signal.acknowledged_at or now
        signal.checked_at = signal.checked_at or now
        signal.save()
        _event(signal, SignalEvent.Kind.FORWARDED, actor=actor)
        audit_record(
            actor=actor,
            action="signal.forward",
            obj=signal,
            detail={"companies": [c.pk for c in companies], "identity": signal.identity_shareable},
        )
    notify.schedule(signal_id=signal.pk, event="forwarded")
    return forwards


def signal_summary_approve(*, signal: Signal, text: str, actor: User) -> Signal:
    """The summary of the follow-up that the reporter sees, written or approved by the
    secretariat (the companies' own texts never reach the reporter directly)."""
    text = text.strip()
    if len(text) < 10:
        raise ValidationFailed(_("Write the summary for the reporter."), field="summary")
    if len(text) > 5000:
        raise ValidationFailed(
            _("The text is too long (at most %(n)d characters).") % {"n": 5000}, field="summary"
        )
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        if signal.anonymised_at is not None:
            raise ValidationFailed(_("This signal is closed."))
        signal.reporter_summary = text
        signal.summary_approved_at = timezone.now()
        signal.save(update_fields=["reporter_summary", "summary_approved_at", "updated_at"])
        _event(signal, SignalEvent.Kind.SUMMARY, actor=actor)
        audit_record(actor=actor, action="signal.summary", obj=signal)
    return signal


def signal_close(*, signal: Signal, outcome: str, actor: User) -> Signal:
    if outcome not in {o.value for o in Signal.Outcome if o.value}:
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        signal.status = Signal.Status.CLOSED
        signal.outcome = outcome
        signal.closed_at = timezone.now()
        signal.save()
        _event(signal, SignalEvent.Kind.CLOSED, actor=actor)
        audit_record(actor=actor, action="signal.close", obj=signal, detail={"outcome": outcome})
    return signal


def signal_escalate(*, signal: Signal, note: str, actor: User) -> Signal:
    """One action for an overdue signal: marked escalated, the secretariat and the companies
    that have not responded are e-mailed."""
    if not note.strip():
        raise ValidationFailed(_("Say why the signal is escalated."), field="note")
    with transaction.atomic(durable=True):
        signal = _locked(signal)
        _require_open(signal)
        signal.escalated_at = timezone.now()
        signal.save(update_fields=["escalated_at", "updated_at"])
        _event(signal, SignalEvent.Kind.ESCALATED, actor=actor, public=False, note=note)
        audit_record(actor=actor, action="signal.escalate", obj=signal)
    notify.schedule(signal_id=signal.pk, event="escalated")
    return signal


# --- the company's response --------------------------------------------------------------------
def forward_acknowledge(*, forward: Any, actor: User) -> Any:
    from covenant.signals.models import SignalForward

    with transaction.atomic(durable=True):
        forward = SignalForward.objects.select_for_update().get(pk=forward.pk)
        if forward.acknowledged_at is None:
            forward.acknowledged_at = timezone.now()
            if forward.status == SignalForward.Status.FORWARDED:
                forward.status = SignalForward.Status.ACKNOWLEDGED
            forward.save()
            audit_record(
                actor=actor,
                action="signal.company_acknowledge",
                obj=forward.signal,
                organisation=forward.company,
            )
    return forward


def forward_respond(
    *,
    forward: Any,
    investigation: str,
    actions: str,
    remediation: str,
    evidence: Sequence[Upload] = (),
    actor: User,
) -> Any:
    """The company's response: what it investigated, the actions agreed with the supplier,
    remediation for the affected workers, evidence files. Can be updated later."""
    from covenant.signals.models import SignalForward

    texts = {
        "investigation": investigation.strip(),
        "actions": actions.strip(),
        "remediation": remediation.strip(),
    }
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            raise ValidationFailed(
                _("The text is too long (at most %(n)d characters).") % {"n": MAX_TEXT},
                field=name,
            )
    if not texts["investigation"] and not texts["actions"]:
        raise ValidationFailed(
            _("Describe at least what you investigated or the actions agreed."),
            field="investigation",
        )
    types = _check_uploads(evidence, "evidence")
    with transaction.atomic(durable=True):
        forward = (
            SignalForward.objects.select_for_update()
            .select_related("signal", "company")
            .get(pk=forward.pk)
        )
        signal = forward.signal
        _require_open(signal)
        now = timezone.now()
        for name, value in texts.items():
            setattr(forward, name, value)
        forward.acknowledged_at = forward.acknowledged_at or now
        forward.responded_at = now
        forward.responded_by = actor
        forward.status = SignalForward.Status.RESPONDED
        forward.save()
        _store_uploads(signal=signal, uploads=evidence, types=types, forward=forward, actor=actor)
        _event(signal, SignalEvent.Kind.COMPANY_RESPONSE, actor=actor)
        audit_record(
            actor=actor, action="signal.company_response", obj=signal, organisation=forward.company
        )
    notify.schedule(signal_id=signal.pk, event="company_response")
    return forward


# --- deadlines, reminders, retention -----------------------------------------------------------
def deadlines_remind(*, now: dt.datetime | None = None) -> int:
    """One reminder per overdue stage of each open signal: a staff-only timeline event and
    an e-mail (the secretariat; for an overdue company response also the companies that
    have not responded), sent by the task worker after commit. Safe to run every day: a stage
    already reminded is not reminded again. Returns the number of reminders."""
    from covenant.signals.deadlines import with_deadlines

    now = now or timezone.now()
    open_signals = Signal.objects.exclude(status__in=TERMINAL).filter(anonymised_at__isnull=True)
    count = 0
    for row in with_deadlines(open_signals.select_related("agreement"), now=now):
        for stage in row.overdue_stages:
            with transaction.atomic(durable=True):
                signal = _locked(row.signal)
                done = SignalEvent.objects.filter(
                    signal=signal, kind=SignalEvent.Kind.REMINDER, note=stage.key
                ).exists()
                if done:
                    continue
                _event(signal, SignalEvent.Kind.REMINDER, actor=None, public=False, note=stage.key)
                notify.schedule(signal_id=signal.pk, event="reminder")
                count += 1
    return count


@dataclass
class RetentionResult:
    warned: int = 0
    anonymised: int = 0
    attempts_removed: int = 0


def signals_retention(*, now: dt.datetime | None = None) -> RetentionResult:
    """Closed signals older than the agreement's retention period lose everything personal:
    the reporter's identity, contact, texts, the conversation, files, company texts and
    staff notes; the receipt code stops working. What counts for statistics survives:
    agreement, location, country, themes, dates, status, outcome, number of companies.
    The secretariat is warned `retention_warning_days` before."""
    from covenant.signals.deadlines import settings_for
    from covenant.signals.models import SignalForward

    now = now or timezone.now()
    result = RetentionResult()
    # Failed receipt-code attempts only matter for the 15-minute throttle; the audit log
    # keeps the record of each.
    result.attempts_removed, _counts = ReceiptAttempt.objects.filter(
        created_at__lt=now - dt.timedelta(days=1)
    ).delete()
    ended = Signal.objects.filter(
        status__in=TERMINAL, closed_at__isnull=False, anonymised_at__isnull=True
    ).select_related("agreement")
    for signal in ended.iterator():
        conf_ = settings_for(signal.agreement)
        assert signal.closed_at is not None
        due = signal.closed_at + dt.timedelta(days=conf_.retention_days)
        if now >= due:
            with transaction.atomic(durable=True):
                locked = _locked(signal)
                if locked.anonymised_at is not None:
                    continue
                for name in ENCRYPTED[Signal]:
                    setattr(locked, name, None)
                locked.receipt_hash = f"gone-{secrets.token_hex(16)}"
                locked.reporter_summary = ""
                locked.identity_shareable = False
                locked.anonymised_at = now
                locked.save()
                locked.messages.all().delete()
                locked.attachments.all().delete()
                SignalForward.objects.filter(signal=locked).update(
                    investigation="", actions="", remediation="", note_from_secretariat=""
                )
                locked.events.update(note="")
                _event(locked, SignalEvent.Kind.ANONYMISED, actor=None, public=False)
                audit_record(actor=None, action="signal.anonymise", obj=locked)
            result.anonymised += 1
        elif (
            now >= due - dt.timedelta(days=conf_.retention_warning_days)
            and signal.retention_warned_at is None
        ):
            with transaction.atomic(durable=True):
                Signal.objects.filter(pk=signal.pk).update(retention_warned_at=now)
                notify.schedule(signal_id=signal.pk, event="retention")
            result.warned += 1
    return result


def signal_settings_update(*, agreement: Agreement, values: dict[str, int], actor: User) -> Any:
    """Deadlines and retention of an agreement (days, each 1 to 3650)."""
    from covenant.signals.models import SignalSettings

    fields = (
        "acknowledge_days",
        "forward_days",
        "response_days",
        "outcome_days",
        "retention_days",
        "retention_warning_days",
    )
    clean: dict[str, int] = {}
    for name in fields:
        value = values.get(name)
        if not isinstance(value, int) or not 1 <= value <= 3650:
            raise ValidationFailed(_("Give a number of days from 1 to 3650."), field=name)
        clean[name] = value
    if clean["retention_warning_days"] >= clean["retention_days"]:
        raise ValidationFailed(
            _("The warning must come before the end of the retention period."),
            field="retention_warning_days",
        )
    with transaction.atomic(durable=True):
        settings_row, _created = SignalSettings.objects.update_or_create(
            agreement=agreement, defaults=clean
        )
        audit_record(actor=actor, action="signal.settings", obj=agreement, detail=clean)
    return settings_row
