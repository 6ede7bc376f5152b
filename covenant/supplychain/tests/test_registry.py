"""The facility registry: public ids, merge and split with redirects, the matcher index."""

from __future__ import annotations

import pytest

from covenant.core.errors import NotFound, ValidationFailed
from covenant.core.models import AuditEvent
from covenant.supplychain.models import Contribution, Facility, FacilityRedirect, MatchMemory
from covenant.supplychain.services import registry
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    FACTORIES,
    factory_rows,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db


def test_public_id_format_and_checksum():
    pid = registry.facility_id_generate("cn")
    assert len(pid) == 12 and pid.startswith("CVCN")
    assert registry.facility_id_valid(pid)
    assert registry.facility_id_valid(pid.lower())
    assert registry.facility_id_valid(f"{pid[:4]}-{pid[4:8]} {pid[8:]}")
    # Every single changed character and every swap of two neighbours is caught.
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for i in range(4, 11):
        for ch in alphabet:
            if ch != pid[i]:
                assert not registry.facility_id_valid(pid[:i] + ch + pid[i + 1 :])
    for i in range(4, 11):
        if pid[i] != pid[i + 1]:
            swapped = pid[:i] + pid[i + 1] + pid[i] + pid[i + 2 :]
            assert not registry.facility_id_valid(swapped)
    assert not registry.facility_id_valid("")
    assert not registry.facility_id_valid("CVCN123")
    assert not registry.facility_id_valid("XXCN1234567A")
    # A known value (ISO 7064 MOD 37,36 over "CVCN0000000").
    assert registry._check_character("CVCN0000000") == registry.facility_id_generate.__globals__[
        "_check_character"
    ]("CVCN0000000")


def test_facility_create_and_lookup(world):
    facility = registry.facility_create(
        name="Pioneer Knitwear", address="Valuka", country="bd", actor=world.users["secretariat"]
    )
    assert facility.country == "BD" and facility.public_id.startswith("CVBD")
    assert registry.facility_by_public_id(facility.public_id.lower()) == facility
    with pytest.raises(NotFound):
        registry.facility_by_public_id("CVBD0000000Z")
    with pytest.raises(ValidationFailed) as exc:
        registry.facility_create(name="", address="x", country="BD")
    assert exc.value.field == "name"


def _two_companies_same_factory(world):
    """Two facilities that are really one (as if the matcher had missed it)."""
    a = disclosure_import_rows(
        agreement=world.agreement,
        company=world.company,
        year=2019,
        rows=factory_rows([0]),
        actor=None,
    )
    b = disclosure_import_rows(
        agreement=world.agreement,
        company=world.other_company,
        year=2019,
        rows=[row(2, "Completely Other Name Knit", "Different street 99, Dhaka", "BD")],
        actor=None,
    )
    fa = a.contributions.get().facility
    fb = b.contributions.get().facility
    assert fa != fb
    return fa, fb


def test_merge_moves_contributions_and_redirects(world):
    survivor, merged = _two_companies_same_factory(world)
    MatchMemory.objects.create(company=world.other_company, fingerprint="fp", facility=merged)
    actor = world.users["secretariat"]
    registry.facility_merge(survivor=survivor, merged=merged, actor=actor)
    merged.refresh_from_db()
    assert merged.status == "merged" and merged.merged_into == survivor
    assert Contribution.objects.filter(facility=survivor).count() == 2
    assert MatchMemory.objects.get(fingerprint="fp").facility == survivor
    assert registry.facility_by_public_id(merged.public_id) == survivor
    assert FacilityRedirect.objects.get(old_public_id=merged.public_id).facility == survivor
    event = AuditEvent.objects.get(action="facility.merged")
    assert event.detail["merged"] == merged.public_id and event.detail["contributions"] == 1
    # Merging again is refused; a chain collapses onto the final survivor.
    with pytest.raises(ValidationFailed):
        registry.facility_merge(survivor=survivor, merged=merged, actor=actor)
    third = registry.facility_create(name="Third", address="Somewhere 1", country="BD")
    registry.facility_merge(survivor=third, merged=survivor, actor=actor)
    assert FacilityRedirect.objects.get(old_public_id=merged.public_id).facility == third
    merged.refresh_from_db()
    assert merged.merged_into == third
    assert registry.facility_by_public_id(merged.public_id) == third
    assert Contribution.objects.filter(facility=third).count() == 2
    # The index no longer offers merged facilities.
    matcher = registry.registry_matcher()
    assert survivor.public_id not in matcher and merged.public_id not in matcher
    assert third.public_id in matcher


def test_split_moves_chosen_rows_to_a_new_facility(world):
    survivor, merged = _two_companies_same_factory(world)
    registry.facility_merge(survivor=survivor, merged=merged, actor=None)
    other_row = Contribution.objects.get(disclosure__company=world.other_company)
    MatchMemory.objects.create(
        company=world.other_company, fingerprint=other_row.fingerprint, facility=survivor
    )
    new = registry.facility_split(facility=survivor, contribution_ids=[other_row.pk], actor=None)
    assert new.public_id != survivor.public_id and registry.facility_id_valid(new.public_id)
    assert new.name == "Completely Other Name Knit"
    other_row.refresh_from_db()
    assert other_row.facility == new
    assert Contribution.objects.filter(facility=survivor).count() == 1
    assert MatchMemory.objects.get(fingerprint=other_row.fingerprint).facility == new
    assert AuditEvent.objects.filter(action="facility.split").count() == 1
    assert new.public_id in registry.registry_matcher()
    with pytest.raises(ValidationFailed):  # the last row stays
        registry.facility_split(
            facility=survivor,
            contribution_ids=list(survivor.contributions.values_list("pk", flat=True)),
            actor=None,
        )
    with pytest.raises(ValidationFailed):  # a row of another facility
        registry.facility_split(facility=survivor, contribution_ids=[other_row.pk], actor=None)


def test_index_notices_changes_made_by_another_process(world):
    matcher = registry.registry_matcher()
    assert len(matcher) == 0
    # Another process: writes facilities and bumps the version; our index is not told.
    name, address, country, city = FACTORIES[1]
    other = registry.facility_build(name=name, address=address, country=country, city=city)
    other.public_id = registry.facility_id_generate(country)
    other.save()
    registry.registry_lock()
    matcher = registry.registry_matcher()
    assert other.public_id in matcher
    assert registry.registry_matcher_size() == Facility.objects.count() == 1
