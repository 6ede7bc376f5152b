"""The registry of unique facilities: public ids, creating, merging and splitting facilities,
lookups that follow redirects, and the process-wide matcher index kept in step with the
database.

Public facility id
------------------
``CV`` + the ISO 3166-1 alpha-2 country of the facility when it was created + 7 random
Crockford base32 characters (``0-9A-Z`` without ``I L O U``) + one check character
computed with ISO 7064 MOD 37,36 over the first 11 characters (the check character is
any of ``0-9A-Z``). Example: ``CVCN3KQ9T7MZ4``. 12 characters, upper case; input is
accepted in any case and with spaces or hyphens. Like Open Supply Hub's OS ID, the
country stays in the id when a facility's country is corrected later; the check
character catches every single mistyped character and every swap of two neighbours.

Matcher index
-------------
Each process keeps one ``covenant.matching.Matcher`` with every active facility (record id =
public id), built on first use. Every registry write bumps ``RegistryState.version`` in
its transaction; before each use the process reads that row (one primary-key query): on a
new ``token`` (the row was re-created) it rebuilds, on a new ``version`` it tops up from
the facilities changed since its last sync (with a margin for long transactions) and
rebuilds when its size no longer equals the number of active facilities. Facilities
created by this process are added after their transaction commits.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from anyascii import anyascii
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from covenant.core.audit import audit_record
from covenant.core.errors import NotFound, ValidationFailed
from covenant.matching.records import Record
from covenant.supplychain.models import (
    Contribution,
    Facility,
    FacilityRedirect,
    IntroductionOptIn,
    MatchMemory,
    RegistryState,
)

if TYPE_CHECKING:
    from covenant.accounts.models import User
    from covenant.matching import Matcher

# --- public ids ----------------------------------------------------------------------
PREFIX = "CV"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ISO_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BODY_LENGTH = 7
ID_LENGTH = len(PREFIX) + 2 + _BODY_LENGTH + 1


def _check_character(text: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid system) check character for `text` (0-9A-Z)."""
    m = 36
    p = m
    for char in text:
        p = (p + _ISO_ALPHABET.index(char)) % m or m
        p = (p * 2) % (m + 1)
    return _ISO_ALPHABET[(m + 1 - p) % m]


def facility_id_normalise(text: str) -> str:
    """Upper case without spaces and hyphens: the form ids are stored and compared in."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def facility_id_valid(text: str) -> bool:
    """True when `text` (any case, spaces/hyphens allowed) is a well-formed public id with
    the right check character."""
    value = facility_id_normalise(text)
    if len(value) != ID_LENGTH or not value.startswith(PREFIX):
        return False
    country, body, check = value[2:4], value[4:-1], value[-1]
    if not country.isalpha() or not country.isascii():
        return False
    if any(ch not in CROCKFORD for ch in body):
        return False
    return _check_character(value[:-1]) == check


def facility_id_generate(country: str) -> str:
    """A new random public id for a facility in `country` (not checked for collisions)."""
    country = (country or "XX").upper()[:2]
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        country = "XX"
    body = "".join(secrets.choice(CROCKFORD) for _ in range(_BODY_LENGTH))
    text = PREFIX + country + body
    return text + _check_character(text)


def facility_ids_reserve(countries: Sequence[str]) -> list[str]:
    """One unused public id per country given, in order (random; collisions with existing
    ids are re-drawn)."""
    ids = [facility_id_generate(c) for c in countries]
    while True:
        taken: set[str] = set()
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            taken.update(
                Facility.objects.filter(public_id__in=chunk).values_list("public_id", flat=True)
            )
            taken.update(
                FacilityRedirect.objects.filter(old_public_id__in=chunk).values_list(
                    "old_public_id", flat=True
                )
            )
        seen: set[str] = set()
        again = False
        for i, value in enumerate(ids):
            if value in taken or value in seen:
                ids[i] = facility_id_generate(countries[i])
                again = True
            seen.add(ids[i])
        if not again:
            return ids


# --- facility fields -------------------------------------------------------------------
FACILITY_FIELDS = (
    "name",
    "address",
    "city",
    "province",
    "postal_code",
    "country",
    "lat",
    "lng",
    "facility_type",
    "processing_type",
)


_FACILITY_MAX: dict[str, int] = {
    f.name: f.max_length or 10_000
    for f in Facility._meta.concrete_fields
    if isinstance(f, models.CharField)
}


def search_text_for(name: str, address: str, city: str) -> str:
    return anyascii(f"{name} {address} {city}").lower()[:2000]


def facility_build(**fields: Any) -> Facility:
    """An unsaved Facility with the given fields (unknown keys ignored) and its search text;
    the caller sets `public_id` and saves (alone or in bulk)."""
    values = {k: fields.get(k) for k in FACILITY_FIELDS if k in fields}
    for key in ("name", "address", "city", "province", "postal_code", "facility_type"):
        values[key] = (values.get(key) or "")[: _FACILITY_MAX[key]]
    values["processing_type"] = (values.get("processing_type") or "")[:120]
    values["country"] = (values.get("country") or "").upper()[:2]
    facility = Facility(**values)
    facility.search_text = search_text_for(facility.name, facility.address, facility.city)
    return facility


def facility_record(facility: Facility) -> Record:
    return Record(
        id=facility.public_id,
        name=facility.name,
        address=facility.address,
        country=facility.country,
        city=facility.city,
        postal_code=facility.postal_code,
        lat=facility.lat,
        lng=facility.lng,
    )


# --- registry version (lock + change counter) --------------------------------------------
def _state_row() -> RegistryState:
    state = RegistryState.objects.order_by("pk").first()
    if state is not None:
        return state
    try:
        with transaction.atomic():
            return RegistryState.objects.create(token=uuid.uuid4().hex, version=0)
    except IntegrityError:  # pragma: no cover - another process created it first
        return RegistryState.objects.order_by("pk").first()  # type: ignore[return-value]


def registry_lock() -> RegistryState:
    """Inside a transaction: lock the registry for writing (other imports wait here) and
    bump its version, so every process knows its matcher must catch up. Returns the row
    with the new version."""
    state = _state_row()
    RegistryState.objects.filter(pk=state.pk).update(version=F("version") + 1)
    return RegistryState.objects.select_for_update().get(pk=state.pk)


def registry_version() -> tuple[str, int]:
    state = _state_row()
    return state.token, state.version


# --- the process-wide matcher ---------------------------------------------------------------
# A transaction may have written facilities with an updated_at this much before it committed.
TOP_UP_MARGIN = dt.timedelta(minutes=15)


@dataclass
class _Index:
    matcher: Matcher | None = None
    token: str = ""
    version: int = -1
    synced_at: dt.datetime | None = None
    known: set[str] | None = None
    dead: int = 0  # temporary entries removed again (the engine keeps their slots)


_index = _Index()
_index_lock = threading.RLock()


def _new_matcher() -> Matcher:
    from covenant.matching import Matcher

    return Matcher()


def _active_records(since: dt.datetime | None = None) -> Iterable[tuple[Record, str]]:
    qs = Facility.objects.all()
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    else:
        qs = qs.filter(status=Facility.Status.ACTIVE)
    fields = (
        "public_id",
        "name",
        "address",
        "country",
        "city",
        "postal_code",
        "lat",
        "lng",
        "status",
    )
    for row in qs.order_by().values_list(*fields).iterator(chunk_size=5000):
        pid, name, address, country, city, postal, lat, lng, status = row
        yield Record(pid, name, address, country, city, postal, lat, lng), status


def _rebuild(token: str, version: int) -> None:
    started = timezone.now()
    matcher = _new_matcher()
    known: set[str] = set()
    batch: list[Record] = []
    for record, _status in _active_records():
        batch.append(record)
        known.add(record.id)
        if len(batch) >= 10000:
            matcher.add_many(batch)
            batch = []
    if batch:
        matcher.add_many(batch)
    _index.matcher, _index.known, _index.dead = matcher, known, 0
    _index.token, _index.version, _index.synced_at = token, version, started


def _top_up(token: str, version: int) -> None:
    assert _index.matcher is not None and _index.known is not None and _index.synced_at
    started = timezone.now()
    for record, status in _active_records(since=_index.synced_at - TOP_UP_MARGIN):
        if status == Facility.Status.ACTIVE:
            if record.id not in _index.known:
                _index.matcher.add(record)
                _index.known.add(record.id)
        elif record.id in _index.known:
            _index.matcher.remove(record.id)
            _index.known.discard(record.id)
    if Facility.objects.filter(status=Facility.Status.ACTIVE).count() != len(_index.known):
        _rebuild(token, version)
        return
    _index.token, _index.version, _index.synced_at = token, version, started


def registry_matcher() -> Matcher:
    """The process-wide matcher, brought up to date with the database first. Callers that
    change the index (self-matching an upload) hold `registry_matcher_lock()`."""
    with _index_lock:
        token, version = registry_version()
        if _index.matcher is None or token != _index.token:
            _rebuild(token, version)
        elif version != _index.version:
            _top_up(token, version)
        assert _index.matcher is not None
        return _index.matcher


def registry_matcher_version() -> tuple[str, int]:
    """The registry version the in-memory index reflects (token, version)."""
    with _index_lock:
        return _index.token, _index.version


def registry_matcher_invalidate() -> None:
    """The index may hold changes that were rolled back: check it against the database
    (top up, or rebuild) before its next use."""
    with _index_lock:
        _index.version = -1


def index_add_committed(
    records: list[Record],
    *,
    before: tuple[str, int],
    after: tuple[str, int],
    remove: Sequence[str] = (),
) -> None:
    """After a committed registry write that moved the version from `before` to `after`:
    add its new facilities (and drop merged ones); when the index was exactly at `before`,
    it is now at `after` without a database check (nobody else wrote in between: the
    writer held the registry lock)."""
    with _index_lock:
        if remove:
            _index_remove(list(remove))
        _index_add(records)
        if _index.matcher is not None and (_index.token, _index.version) == before:
            _index.version = after[1]


def registry_matcher_lock() -> threading.RLock:
    return _index_lock


def registry_matcher_reset() -> None:
    """Forget the in-memory index (tests; after restoring a database)."""
    with _index_lock:
        _index.matcher, _index.known, _index.token, _index.version = None, None, "", -1


def registry_matcher_size() -> int:
    with _index_lock:
        return len(_index.known or ())


def _index_add(records: list[Record]) -> None:
    with _index_lock:
        if _index.matcher is None or _index.known is None:
            return  # built on first use, from the database
        fresh = [r for r in records if r.id not in _index.known]
        if fresh:
            _index.matcher.add_many(fresh)
            _index.known.update(r.id for r in fresh)


def index_discard_temporary(record_ids: list[str]) -> None:
    """Remove rows an import added to the index only to match later rows against them.
    The engine keeps removed slots; when they outnumber the live ones, rebuild on next use."""
    with _index_lock:
        if _index.matcher is None:
            return
        for rid in record_ids:
            if rid in _index.matcher:
                _index.matcher.remove(rid)
        _index.dead += len(record_ids)
        if _index.dead > max(50_000, len(_index.known or ())):
            _index.token = ""  # forces a rebuild


def _index_remove(public_ids: list[str]) -> None:
    with _index_lock:
        if _index.matcher is None or _index.known is None:
            return
        for pid in public_ids:
            if pid in _index.known:
                _index.matcher.remove(pid)
                _index.known.discard(pid)


def index_after_commit(*, add: list[Record] = (), remove: list[str] = ()) -> None:  # type: ignore[assignment]
    """Schedule index changes for when the current transaction commits (a rollback leaves
    the index alone). Import and demo loading call this even when side effects are
    suppressed: the index is this process's own memory, not a side effect."""
    add, remove = list(add), list(remove)

    def apply() -> None:
        if remove:
            _index_remove(remove)
        if add:
            _index_add(add)

    transaction.on_commit(apply)


# --- lookups -------------------------------------------------------------------------
def facility_by_public_id(public_id: str) -> Facility:
    """The facility with this public id, following redirects of merged facilities (a
    merged facility that has no redirect resolves through `merged_into`)."""
    value = facility_id_normalise(public_id)
    if not facility_id_valid(value):
        raise NotFound(_("'%(id)s' is not a valid facility id.") % {"id": public_id[:40]})
    facility = Facility.objects.filter(public_id=value).first()
    if facility is None:
        redirect = FacilityRedirect.objects.select_related("facility").filter(old_public_id=value)
        first = redirect.first()
        if first is None:
            raise NotFound(_("There is no facility %(id)s.") % {"id": value})
        facility = first.facility
    seen = {facility.pk}
    while facility.status == Facility.Status.MERGED and facility.merged_into_id:
        facility = Facility.objects.get(pk=facility.merged_into_id)
        if facility.pk in seen:  # pragma: no cover - a cycle would be a bug
            break
        seen.add(facility.pk)
    return facility


# --- writes --------------------------------------------------------------------------------
def facility_create(*, actor: User | None = None, **fields: Any) -> Facility:
    """A new active facility with a fresh public id (name, address and country required)."""
    for key in ("name", "address", "country"):
        if not (fields.get(key) or "").strip():
            raise ValidationFailed(_("This field is required."), field=key)
    with transaction.atomic():
        registry_lock()
        facility = facility_build(**fields)
        facility.public_id = facility_ids_reserve([facility.country])[0]
        facility.save()
        audit_record(actor=actor, action="facility.created", obj=facility)
        index_after_commit(add=[facility_record(facility)])
    return facility


def _active_facility(facility: Facility, role: str) -> Facility:
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if facility.status != Facility.Status.ACTIVE:
        raise ValidationFailed(
            _("Facility %(id)s has been merged; use the facility it was merged into.")
            % {"id": facility.public_id},
            field=role,
        )
    return facility


def facility_merge(*, survivor: Facility, merged: Facility, actor: User | None) -> Facility:
    """Merge `merged` into `survivor`: its contributions, remembered decisions and
    introduction opt-ins move, it becomes status merged with `merged_into`, its public id
    (and every id that already redirected to it) redirects to the survivor, and facilities
    merged into it earlier now point at the survivor (no chains). Returns the survivor."""
    if survivor.pk == merged.pk:
        raise ValidationFailed(_("A facility cannot be merged into itself."), field="merged")
    with transaction.atomic(durable=True):
        state = registry_lock()
        survivor = _active_facility(survivor, "survivor")
        merged = _active_facility(merged, "merged")
        moved = Contribution.objects.filter(facility=merged).update(facility=survivor)
        # Remembered decisions: where the company already has one for the survivor, the
        # unique constraint is on (company, fingerprint), so simply repoint them all.
        MatchMemory.objects.filter(facility=merged).update(facility=survivor)
        existing = set(
            IntroductionOptIn.objects.filter(facility=survivor).values_list(
                "agreement_id", "company_id"
            )
        )
        for opt in IntroductionOptIn.objects.filter(facility=merged):
            if (opt.agreement_id, opt.company_id) in existing:
                opt.delete()
            else:
                opt.facility = survivor
                opt.save(update_fields=["facility"])
        FacilityRedirect.objects.filter(facility=merged).update(facility=survivor)
        FacilityRedirect.objects.create(old_public_id=merged.public_id, facility=survivor)
        Facility.objects.filter(merged_into=merged).update(
            merged_into=survivor, updated_at=timezone.now()
        )
        merged.status = Facility.Status.MERGED
        merged.merged_into = survivor
        merged.save(update_fields=["status", "merged_into", "updated_at"])
        survivor.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action="facility.merged",
            obj=survivor,
            detail={
                "merged": merged.public_id,
                "survivor": survivor.public_id,
                "contributions": moved,
            },
        )
    index_add_committed(
        [],
        remove=[merged.public_id],
        before=(state.token, state.version - 1),
        after=(state.token, state.version),
    )
    return survivor


def facility_split(
    *, facility: Facility, contribution_ids: Sequence[int], actor: User | None
) -> Facility:
    """Move the chosen contributions of `facility` to a new facility (a new public id, its
    fields taken from the first chosen contribution); remembered decisions of those rows
    move with them. At least one contribution must stay. Returns the new facility."""
    ids = sorted({int(i) for i in contribution_ids})
    if not ids:
        raise ValidationFailed(
            _("Choose the rows that belong to another facility."), field="contributions"
        )
    with transaction.atomic(durable=True):
        state = registry_lock()
        facility = _active_facility(facility, "facility")
        chosen = list(
            Contribution.objects.select_related("disclosure")
            .filter(facility=facility, pk__in=ids)
            .order_by("pk")
        )
        if len(chosen) != len(ids):
            raise ValidationFailed(
                _("Some of the chosen rows are not linked to this facility."), field="contributions"
            )
        if not Contribution.objects.filter(facility=facility).exclude(pk__in=ids).exists():
            raise ValidationFailed(
                _("Leave at least one row on the facility; to correct it, edit it instead."),
                field="contributions",
            )
        first = chosen[0]
        new = facility_build(**{k: getattr(first, k) for k in FACILITY_FIELDS})
        new.public_id = facility_ids_reserve([new.country])[0]
        new.save()
        now = timezone.now()
        Contribution.objects.filter(pk__in=ids).update(
            facility=new,
            decided_by=actor if actor is not None and actor.pk else None,
            decided_at=now,
        )
        for contribution in chosen:
            MatchMemory.objects.filter(
                company_id=contribution.disclosure.company_id,
                fingerprint=contribution.fingerprint,
                facility=facility,
            ).update(facility=new)
        facility.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action="facility.split",
            obj=new,
            detail={"from": facility.public_id, "new": new.public_id, "contributions": ids},
        )
    index_add_committed(
        [facility_record(new)],
        before=(state.token, state.version - 1),
        after=(state.token, state.version),
    )
    return new


def memory_remember(
    *, company_id: int, fingerprint: str, facility: Facility, actor: User | None
) -> None:
    """Remember that this company's row (by fingerprint) is this facility."""
    if not fingerprint:
        return
    MatchMemory.objects.update_or_create(
        company_id=company_id,
        fingerprint=fingerprint,
        defaults={
            "facility": facility,
            "decided_by": actor if actor is not None and actor.pk else None,
        },
    )


__all__ = [
    "facility_by_public_id",
    "facility_create",
    "facility_id_generate",
    "facility_id_valid",
    "facility_merge",
    "facility_split",
    "index_after_commit",
    "registry_lock",
    "registry_matcher",
    "registry_matcher_reset",
]
