"""Disclosures: a company's production locations for a reporting year, uploaded as a file
(processed by a background task) or entered one at a time.

Processing runs in two phases so that nothing is ever half-imported:

1. *outside* a long transaction: parse the file (``importing.parse_upload``); on row errors
   the job fails with the errors saved on it and nothing imported. Otherwise every row is
   matched: a remembered decision (MatchMemory, same company + row fingerprint) wins, the
   rest go through the process-wide matcher with ``self_match`` so that rows of one upload
   that are the same factory end on one facility. Progress (rows parsed / matched / total)
   is written every few hundred rows in short separate writes, for the page to poll.
2. in ONE transaction: lock the registry (``registry_lock``: other imports wait), re-match
   when another process changed the registry since phase 1, delete contributions of an
   earlier attempt, create the new facilities and the contributions in bulk, set the
   counts, accept this disclosure, supersede the earlier accepted one of the same year and
   store the difference with the previous year in ``summary``.

A crash anywhere leaves either the state before phase 2 or the whole import; a re-run
starts again from phase 1 and cannot duplicate rows or facilities.

The one-location form (``disclosure_add_location``) creates a new accepted version of the
year's disclosure (source "form"): the previous version's rows are copied unchanged (with
their facilities and review decisions) and only the new row is matched; the previous
version becomes superseded. Every accepted version is therefore a complete list, which is
what the diff, the published list and the API read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.core.side_effects import on_commit
from covenant.matching.records import Record
from covenant.supplychain.models import Contribution, Disclosure, Facility, MatchMemory
from covenant.supplychain.services import registry

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from covenant.accounts.models import User
    from covenant.supplychain.importing.result import LocationRow

logger = logging.getLogger(__name__)

S = Disclosure.Status
D = Contribution.Decision

MIN_YEAR = 2000
PROGRESS_EVERY = 250  # rows between two progress writes
MATCH_CHUNK = 500
MAX_STORED_ERRORS = 1000
MAX_STORED_WARNINGS = 200
# A job still "processing" without a progress write for this long has crashed.
STALLED_AFTER_SECONDS = 300
ALLOWED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")


def max_upload_bytes() -> int:
    return int(getattr(settings, "COVENANT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def max_upload_rows() -> int:
    return int(getattr(settings, "COVENANT_MAX_UPLOAD_ROWS", 200_000))


# --- rules -----------------------------------------------------------------------------
def max_year() -> int:
    return timezone.localdate().year + 1


def _check_may_disclose(*, agreement: Agreement, company: Organisation, year: int) -> None:
    if not company.is_company:
        raise ValidationFailed(_("Only companies disclose production locations."), field="company")
    member = Membership.objects.filter(
        agreement=agreement,
        company=company,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ASSOCIATED],
    ).exists()
    if not member:
        raise ValidationFailed(
            _("Only member companies of %(agreement)s disclose their production locations.")
            % {"agreement": agreement.name},
            field="agreement",
        )
    if not isinstance(year, int) or not MIN_YEAR <= year <= max_year():
        raise ValidationFailed(
            _("Give a reporting year between %(min)s and %(max)s.")
            % {"min": MIN_YEAR, "max": max_year()},
            field="year",
        )


def _too_large() -> ValidationFailed:
    return ValidationFailed(
        _("The file is larger than %(mb)s MB; split it or remove unused columns.")
        % {"mb": max(1, max_upload_bytes() // (1024 * 1024))},
        field="file",
    )


_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
)


def check_upload_file(*, filename: str, data: bytes) -> None:
    """Refuse at once what is plainly not a CSV or XLSX file (the parser checks the rest
    row by row): wrong extension, empty, too large, or the content of another format."""
    name = (filename or "").strip()
    ext = os.path.splitext(name.lower())[1]
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationFailed(
            _("Upload a CSV or XLSX file (the name ends in .csv or .xlsx)."), field="file"
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), field="file")
    if len(data) > max_upload_bytes():
        raise _too_large()
    head = data[:8]
    if ext == ".xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationFailed(
                _("This file is not an XLSX workbook. Save it as .xlsx or as CSV (UTF-8)."),
                field="file",
            )
    elif head.startswith(b"PK\x03\x04") or any(head.startswith(m) for m in _BINARY_MAGIC):
        raise ValidationFailed(
            _("This file is not a CSV text file. Save it as CSV (UTF-8) or upload the .xlsx."),
            field="file",
        )


# --- uploading ----------------------------------------------------------------------------
def disclosure_upload(
    *,
    agreement: Agreement,
    company: Organisation,
    year: int,
    file: UploadedFile | ContentFile[bytes],
    actor: User | None,
) -> Disclosure:
    """Store an uploaded list as a queued job and schedule its processing once committed."""
    _check_may_disclose(agreement=agreement, company=company, year=year)
    filename = os.path.basename(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if size is not None and size > max_upload_bytes():
        raise _too_large()
    file.seek(0)
    data = file.read()
    check_upload_file(filename=filename, data=data)
    with transaction.atomic(durable=True):
        disclosure = Disclosure(
            agreement=agreement,
            company=company,
            year=year,
            source="upload",
            original_filename=filename[:255],
            created_by=actor if actor is not None and actor.pk else None,
        )
        ext = os.path.splitext(filename.lower())[1] or ".csv"
        disclosure.file.save(f"{company.slug[:40]}-{year}{ext}", ContentFile(data), save=False)
        disclosure.save()
        audit_record(
            actor=actor,
            action="disclosure.uploaded",
            obj=disclosure,
            organisation=company,
            detail={"year": year, "filename": filename[:255], "bytes": len(data)},
        )
        _schedule(disclosure)
    return disclosure


def _schedule(disclosure: Disclosure) -> None:
    from covenant.supplychain.tasks import process_disclosure

    on_commit(process_disclosure.enqueue, disclosure.pk)


def disclosure_is_stalled(disclosure: Disclosure) -> bool:
    """Processing (or waiting) without news for too long: the worker died or is not running."""
    if disclosure.status not in (S.PROCESSING, S.QUEUED):
        return False
    age = (timezone.now() - disclosure.updated_at).total_seconds()
    return age > STALLED_AFTER_SECONDS


def disclosure_can_rerun(disclosure: Disclosure) -> bool:
    return bool(disclosure.file) and (
        disclosure.status == S.FAILED or disclosure_is_stalled(disclosure)
    )


def disclosure_rerun(*, disclosure: Disclosure, actor: User | None) -> Disclosure:
    """Queue a failed or stalled job again (the same file); it is processed from the start."""
    if not disclosure_can_rerun(disclosure):
        raise ValidationFailed(
            _("Only a refused or stalled upload can be processed again."), field="status"
        )
    with transaction.atomic(durable=True):
        Disclosure.objects.filter(pk=disclosure.pk).update(
            status=S.QUEUED, updated_at=timezone.now(), finished_at=None
        )
        audit_record(
            actor=actor,
            action="disclosure.rerun",
            obj=disclosure,
            organisation=disclosure.company,
            detail={"year": disclosure.year, "attempts": disclosure.attempts},
        )
        _schedule(disclosure)
    disclosure.refresh_from_db()
    return disclosure


# --- processing ---------------------------------------------------------------------------
def _progress(disclosure: Disclosure, **fields: Any) -> None:
    """A short write of its own (no surrounding transaction): the page polls these."""
    for key, value in fields.items():
        setattr(disclosure, key, value)
    Disclosure.objects.filter(pk=disclosure.pk).update(updated_at=timezone.now(), **fields)


def _claim(disclosure: Disclosure) -> bool:
    """Take the job: queued, failed or stalled → processing. False when another run has it
    or it is already accepted (a duplicate task run is then a no-op)."""
    now = timezone.now()
    stalled = now - dt.timedelta(seconds=STALLED_AFTER_SECONDS)
    claimed = (
        Disclosure.objects.filter(pk=disclosure.pk)
        .filter(Q(status__in=[S.QUEUED, S.FAILED]) | Q(status=S.PROCESSING, updated_at__lt=stalled))
        .update(
            status=S.PROCESSING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            rows_parsed=0,
            rows_matched=0,
            errors=[],
            updated_at=now,
        )
    )
    disclosure.refresh_from_db()
    return bool(claimed)


def _error_dicts(errors: Iterable[Any], limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for err in errors:
        if len(out) >= limit:
            break
        out.append({"row": err.row, "column": err.column, "message": err.message, "hint": err.hint})
    return out


def _fail(
    disclosure: Disclosure, errors: list[dict[str, Any]], *, summary: dict[str, Any] | None = None
) -> None:
    _progress(
        disclosure,
        status=S.FAILED,
        errors=errors,
        summary=summary or {},
        finished_at=timezone.now(),
    )


def crash_error() -> dict[str, Any]:
    return {
        "row": None,
        "column": "",
        "message": _("Processing stopped unexpectedly; nothing was imported."),
        "hint": _("Process the file again. If it stops again, tell the secretariat."),
    }


def disclosure_process(*, disclosure: Disclosure) -> Disclosure:
    """Process an uploaded job (idempotent: an accepted job or one another run holds is left
    alone). Row errors fail the job with the errors saved; an unexpected error fails it
    with a generic message and leaves nothing imported. Returns the disclosure."""
    from covenant.supplychain.importing import parse_upload

    if not _claim(disclosure):
        return disclosure
    started = time.monotonic()
    try:
        with disclosure.file.open("rb") as fh:
            data = fh.read()
        result = parse_upload(
            data,
            disclosure.original_filename or disclosure.file.name or "upload.csv",
            max_rows=max_upload_rows(),
        )
        _progress(disclosure, rows_total=result.total_rows, rows_parsed=len(result.rows))
        warnings = _error_dicts(result.warnings, MAX_STORED_WARNINGS)
        if not result.ok:
            _fail(
                disclosure,
                _error_dicts(result.errors, MAX_STORED_ERRORS),
                summary={"error_count": len(result.errors), "warnings": warnings},
            )
            return disclosure
        if not result.rows:
            _fail(
                disclosure,
                [
                    {
                        "row": None,
                        "column": "",
                        "message": _("The file has no locations."),
                        "hint": _("Fill in one row per production location under the header row."),
                    }
                ],
            )
            return disclosure
        _import(
            disclosure, result.rows, actor=disclosure.created_by, warnings=warnings, started=started
        )
    except Exception:
        logger.exception("disclosure %s: processing failed", disclosure.pk)
        registry.registry_matcher_invalidate()
        _fail(
            disclosure,
            [crash_error()],
        )
    disclosure.refresh_from_db()
    return disclosure


def disclosure_import_rows(
    *,
    agreement: Agreement,
    company: Organisation,
    year: int,
    rows: list[LocationRow],
    actor: User | None,
    source: str = "upload",
) -> Disclosure:
    """Import already parsed and validated rows synchronously (demo loader, scripts, tests):
    the same matching and the same all-or-nothing phase 2 as an upload, without a file.
    Returns the accepted disclosure."""
    _check_may_disclose(agreement=agreement, company=company, year=year)
    if not rows:
        raise ValidationFailed(_("There are no locations to import."), field="rows")
    disclosure = Disclosure.objects.create(
        agreement=agreement,
        company=company,
        year=year,
        source=source[:10],
        status=S.PROCESSING,
        attempts=1,
        started_at=timezone.now(),
        rows_total=len(rows),
        rows_parsed=len(rows),
        created_by=actor if actor is not None and actor.pk else None,
    )
    try:
        _import(disclosure, rows, actor=actor, started=time.monotonic())
    except Exception:
        registry.registry_matcher_invalidate()
        _fail(disclosure, [crash_error()])
        raise
    disclosure.refresh_from_db()
    return disclosure


# --- matching (phase 1) --------------------------------------------------------------------
@dataclass
class _Planned:
    """The decision for one row before anything is written. `target` is a facility public id,
    "row:<n>" (the facility of an earlier row of this upload) or "" (a new facility)."""

    row: LocationRow
    decision: str
    target: str = ""
    score: float = 0.0
    candidates: list[dict[str, Any]] = field(default_factory=list)
    carried: Contribution | None = None  # copied unchanged from the previous version


def _row_key(row_number: int) -> str:
    return f"row:{row_number}"


def _row_record(row: LocationRow) -> Record:
    return Record(
        id=_row_key(row.row_number),
        name=row.name,
        address=row.address,
        country=row.country,
        city=row.city,
        postal_code=row.postal_code,
        lat=row.lat,
        lng=row.lng,
    )


def _memory(company: Organisation, fingerprints: Iterable[str]) -> dict[str, str]:
    wanted = sorted({fp for fp in fingerprints if fp})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        found.update(
            MatchMemory.objects.filter(
                company=company, fingerprint__in=chunk, facility__status=Facility.Status.ACTIVE
            ).values_list("fingerprint", "facility__public_id")
        )
    return found


def _match(
    disclosure: Disclosure,
    rows: Sequence[LocationRow],
    *,
    progress: bool,
) -> tuple[list[_Planned], tuple[str, int]]:
    """Decide every row (memory first, then the matcher). Returns the plans in row order
    and the registry version the decisions were made against."""
    remembered = _memory(disclosure.company, (r.fingerprint for r in rows))
    plans: list[_Planned] = []
    pending: list[_Planned] = []
    for row in rows:
        target = remembered.get(row.fingerprint)
        if target:
            plans.append(_Planned(row=row, decision=D.REMEMBERED, target=target, score=1.0))
        else:
            plan = _Planned(row=row, decision=D.NEW)
            plans.append(plan)
            pending.append(plan)
    done = len(plans) - len(pending)
    if progress:
        _progress(disclosure, rows_matched=done)
    with registry.registry_matcher_lock():
        matcher = registry.registry_matcher()
        version = registry.registry_matcher_version()
        added: list[str] = []
        try:
            last_write = done
            for start in range(0, len(pending), MATCH_CHUNK):
                chunk = pending[start : start + MATCH_CHUNK]
                results = matcher.match_many(
                    [_row_record(p.row) for p in chunk], self_match=True, add_new=True
                )
                for plan, res in zip(chunk, results, strict=True):
                    if res.decision == "new":
                        added.append(_row_key(plan.row.row_number))
                    else:
                        plan.decision = D.MATCH if res.decision == "match" else D.REVIEW
                        plan.target = res.facility_id or ""
                        plan.score = float(res.score)
                    if res.decision != "match":
                        plan.candidates = [
                            {
                                "public_id": c.id,
                                "score": round(float(c.score), 4),
                                "reasons": list(c.reasons),
                            }
                            for c in res.candidates[:5]
                        ]
                done += len(chunk)
                if progress and done - last_write >= PROGRESS_EVERY:
                    _progress(disclosure, rows_matched=done)
                    last_write = done
        finally:
            # Rows of this upload were added to the index so later rows could match them;
            # they become facilities only if phase 2 commits (then added under their ids).
            registry.index_discard_temporary(added)
    if progress:
        _progress(disclosure, rows_matched=len(plans))
    return plans, version


# --- writing (phase 2) ---------------------------------------------------------------------
_CONTRIBUTION_TEXT = (
    "name",
    "address",
    "city",
    "province",
    "postal_code",
    "facility_type",
    "processing_type",
    "product_type",
    "parent_company",
    "tier",
    "os_id",
    "supplier_id",
)


_CONTRIBUTION_MAX: dict[str, int] = {
    f.name: f.max_length or 10_000
    for f in Contribution._meta.concrete_fields
    if isinstance(f, models.CharField)
}


def _contribution_fields(row: LocationRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in _CONTRIBUTION_TEXT:
        values[key] = (getattr(row, key, "") or "")[: _CONTRIBUTION_MAX[key]]
    values["country"] = (row.country or "").upper()[:2]
    values["lat"] = row.lat
    values["lng"] = row.lng
    workers = row.number_of_workers
    values["number_of_workers"] = workers if workers is not None and 0 <= workers < 2**31 else None
    values["extra"] = dict(row.extra or {})
    values["fingerprint"] = (row.fingerprint or "")[:64]
    return values


def _existing_ids(public_ids: set[str]) -> dict[str, int]:
    wanted = sorted(public_ids)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        found.update(
            Facility.objects.filter(
                public_id__in=wanted[start : start + 5000], status=Facility.Status.ACTIVE
            ).values_list("public_id", "pk")
        )
    return found


def _existing_targets(plans: list[_Planned]) -> set[str]:
    """Public ids of registry facilities the plans point at (not rows of this upload)."""
    return {
        p.target
        for p in plans
        if (p.carried is not None or p.decision != D.NEW) and not p.target.startswith("row:")
    }


def _resolve(plans: list[_Planned]) -> tuple[list[_Planned], dict[str, str]]:
    """Give every row a final target: new rows get a reserved public id; "row:<n>" targets
    and candidates become the public id of that row's facility."""
    new_plans = [p for p in plans if p.carried is None and p.decision == D.NEW]
    reserved = registry.facility_ids_reserve([p.row.country for p in new_plans])
    by_row: dict[str, str] = {}
    for plan, public_id in zip(new_plans, reserved, strict=True):
        plan.target = public_id
    for plan in plans:
        if plan.target.startswith("row:"):
            plan.target = by_row.get(plan.target, "")
            if not plan.target:  # pragma: no cover - the engine pointed at a later row
                plan.decision = D.NEW
        by_row[_row_key(plan.row.row_number)] = plan.target
        for cand in plan.candidates:
            if str(cand["public_id"]).startswith("row:"):
                cand["public_id"] = by_row.get(cand["public_id"], "")
        plan.candidates = [c for c in plan.candidates if c["public_id"]]
    # An earlier row that self-matched a later-created id: give any leftover "new" a fresh id.
    leftovers = [p for p in plans if not p.target]
    for plan, public_id in zip(
        leftovers, registry.facility_ids_reserve([p.row.country for p in leftovers]), strict=True
    ):
        plan.target = public_id
        plan.decision = D.NEW
    return plans, {p.target: p.row.country for p in new_plans}


def _import(
    disclosure: Disclosure,
    rows: Sequence[LocationRow],
    *,
    actor: User | None,
    warnings: list[dict[str, Any]] | None = None,
    started: float,
    carried: Sequence[Contribution] = (),
) -> None:
    plans, version = _match(disclosure, rows, progress=True)
    with transaction.atomic(durable=True):
        state = registry.registry_lock()
        if (state.token, state.version - 1) != version:
            # Another process changed the registry since phase 1: decide again against the
            # current registry (we hold the lock now, so nothing changes under us).
            plans, version = _match(disclosure, rows, progress=False)
        carried_plans = [
            _Planned(
                row=_row_of(c),
                decision=c.decision,
                target=c.facility.public_id if c.facility else "",
                score=c.score,
                candidates=list(c.candidates),
                carried=c,
            )
            for c in carried
        ]
        all_plans = carried_plans + plans
        targets = _existing_targets(all_plans)
        pk_by_id = _existing_ids(targets)
        if len(pk_by_id) != len(targets):
            # The index knew a facility the database no longer has (restored database,
            # rolled-back test): rebuild the index and decide again.
            registry.registry_matcher_reset()
            plans, version = _match(disclosure, rows, progress=False)
            all_plans = carried_plans + plans
            targets = _existing_targets(all_plans)
            pk_by_id = _existing_ids(targets)
        all_plans, _countries = _resolve(all_plans)
        Contribution.objects.filter(disclosure=disclosure).delete()
        new_facilities = []
        for plan in all_plans:
            if plan.decision == D.NEW and plan.carried is None and plan.target not in pk_by_id:
                facility = registry.facility_build(**_contribution_fields(plan.row))
                facility.public_id = plan.target
                new_facilities.append(facility)
                pk_by_id[plan.target] = -1
        Facility.objects.bulk_create(new_facilities, batch_size=1000)
        if any(f.pk is None for f in new_facilities):  # pragma: no cover - old SQLite
            pk_by_id.update(_existing_ids({f.public_id for f in new_facilities}))
        else:
            pk_by_id.update({f.public_id: f.pk for f in new_facilities})
        now = timezone.now()
        contributions = []
        for plan in all_plans:
            values = _contribution_fields(plan.row)
            old = plan.carried
            contributions.append(
                Contribution(
                    disclosure=disclosure,
                    row_number=plan.row.row_number,
                    facility_id=pk_by_id[plan.target],
                    decision=plan.decision,
                    score=plan.score,
                    candidates=plan.candidates,
                    decided_by=old.decided_by if old else None,
                    decided_at=old.decided_at if old else None,
                    **values,
                )
            )
        Contribution.objects.bulk_create(contributions, batch_size=1000)
        counts = {
            "match": sum(1 for p in all_plans if p.decision in (D.MATCH, D.CONFIRMED)),
            "remembered": sum(1 for p in all_plans if p.decision == D.REMEMBERED),
            "review": sum(1 for p in all_plans if p.decision == D.REVIEW),
            "new": sum(1 for p in all_plans if p.decision == D.NEW),
        }
        Disclosure.objects.filter(
            agreement_id=disclosure.agreement_id,
            company_id=disclosure.company_id,
            year=disclosure.year,
            status=S.ACCEPTED,
        ).exclude(pk=disclosure.pk).update(status=S.SUPERSEDED, updated_at=now)
        diff = _diff_counts(disclosure)
        summary = {
            "counts": counts,
            "facilities": len({p.target for p in all_plans}),
            "new_facilities": len(new_facilities),
            **diff,
            "warnings": warnings or [],
            "seconds": round(time.monotonic() - started, 3),
        }
        _progress(
            disclosure,
            status=S.ACCEPTED,
            rows_total=max(disclosure.rows_total, len(all_plans)),
            rows_parsed=len(all_plans),
            rows_matched=len(all_plans),
            count_match=counts["match"] + counts["remembered"],
            count_review=counts["review"],
            count_new=counts["new"],
            errors=[],
            summary=summary,
            finished_at=now,
        )
        audit_record(
            actor=actor,
            action="disclosure.accepted",
            obj=disclosure,
            organisation=disclosure.company,
            detail={"year": disclosure.year, "rows": len(all_plans), **counts},
        )
    # Committed (durable block): this process's index learns the new facilities now;
    # other processes notice the version bump.
    registry.index_add_committed(
        [registry.facility_record(f) for f in new_facilities],
        before=version,
        after=(state.token, state.version),
    )


def _row_of(contribution: Contribution) -> LocationRow:
    from covenant.supplychain.importing.result import LocationRow

    names = {f.name for f in dataclasses.fields(LocationRow)}
    values = {
        k: getattr(contribution, k) for k in names if hasattr(contribution, k) and k != "row_number"
    }
    return LocationRow(row_number=contribution.row_number, **values)


def _previous_accepted(disclosure: Disclosure) -> Disclosure | None:
    return (
        Disclosure.objects.filter(
            agreement_id=disclosure.agreement_id,
            company_id=disclosure.company_id,
            year__lt=disclosure.year,
            status=S.ACCEPTED,
        )
        .order_by("-year")
        .first()
    )


def _diff_counts(disclosure: Disclosure) -> dict[str, Any]:
    previous = _previous_accepted(disclosure)
    current = set(
        Contribution.objects.filter(disclosure=disclosure).values_list("facility_id", flat=True)
    )
    before: set[int] = set()
    if previous is not None:
        before = set(
            Contribution.objects.filter(disclosure=previous).values_list("facility_id", flat=True)
        )
    return {
        "previous_year": previous.year if previous else None,
        "previous_disclosure": previous.pk if previous else None,
        "added": len(current - before),
        "removed": len(before - current),
        "unchanged": len(current & before),
    }


# --- one location --------------------------------------------------------------------------
def disclosure_add_location(
    *,
    agreement: Agreement,
    company: Organisation,
    year: int,
    cleaned_fields: dict[str, Any],
    actor: User | None,
) -> Disclosure:
    """Add one location (form fields by column name, validated by the same row rules as an
    upload) to the year's list: a new accepted version containing the previous rows
    unchanged plus this one. Returns the new disclosure."""
    _check_may_disclose(agreement=agreement, company=company, year=year)
    current = Disclosure.objects.filter(
        agreement=agreement, company=company, year=year, status=S.ACCEPTED
    ).first()
    carried = (
        list(
            Contribution.objects.select_related("facility", "decided_by").filter(disclosure=current)
        )
        if current
        else []
    )
    row_number = max((c.row_number for c in carried), default=1) + 1
    row, errors = validate_location_fields(cleaned_fields, row_number=row_number)
    if errors or row is None:
        first = errors[0] if errors else None
        raise ValidationFailed(
            first.message if first else _("This location is not valid."),
            field=_field_of(first.column) if first else None,
            extra={"errors": _error_dicts(errors, 50)},
        )
    disclosure = Disclosure.objects.create(
        agreement=agreement,
        company=company,
        year=year,
        source="form",
        status=S.PROCESSING,
        attempts=1,
        started_at=timezone.now(),
        rows_total=len(carried) + 1,
        rows_parsed=len(carried) + 1,
        created_by=actor if actor is not None and actor.pk else None,
    )
    try:
        _import(disclosure, [row], actor=actor, started=time.monotonic(), carried=carried)
    except Exception:
        registry.registry_matcher_invalidate()
        _fail(disclosure, [crash_error()])
        raise
    disclosure.refresh_from_db()
    return disclosure


def validate_location_fields(
    fields: dict[str, Any], *, row_number: int = 2
) -> tuple[LocationRow | None, list[Any]]:
    """Validate one location given by canonical column name (name, address, country, city,
    …) with the importer's row rules, as if it were one row of an uploaded file. Returns
    the cleaned row (None when invalid) and the errors."""
    from covenant.supplychain.importing.columns import CANONICAL, map_header
    from covenant.supplychain.importing.result import RowError
    from covenant.supplychain.importing.validate import RowBuilder

    header = map_header(list(CANONICAL))
    errors: list[RowError] = []
    warnings: list[RowError] = []
    builder = RowBuilder(header, errors, warnings, errors.append)
    cells = ["" if fields.get(key) is None else str(fields.get(key)) for key in CANONICAL]
    row = builder.build(row_number, cells, None)
    return (row if not errors else None), errors


def _field_of(column: str) -> str:
    return (column or "").strip().lower().replace(" ", "_")
