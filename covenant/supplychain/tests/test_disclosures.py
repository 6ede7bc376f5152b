"""Disclosures through the services: import, self-duplicates, a second company, superseding,
the diff with the previous year, remembered decisions, crash and re-run, membership rules."""

from __future__ import annotations

import pytest

from covenant.agreements.models import Membership
from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.supplychain.models import Contribution, Disclosure, Facility
from covenant.supplychain.selectors.disclosures import company_locations, disclosure_diff
from covenant.supplychain.services import disclosures as svc
from covenant.supplychain.services import review
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    FACTORIES,
    factory_rows,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db


def _import(world, rows, *, company=None, year=2019):
    return svc.disclosure_import_rows(
        agreement=world.agreement,
        company=company or world.company,
        year=year,
        rows=rows,
        actor=world.users["own_company"],
    )


def test_import_rows_accepts_with_counts(world):
    d = _import(world, factory_rows())
    assert d.status == "accepted"
    assert (d.rows_total, d.rows_parsed, d.rows_matched) == (5, 5, 5)
    assert (d.count_match, d.count_review, d.count_new) == (0, 0, 5)
    assert Facility.objects.count() == 5
    assert d.summary["counts"] == {"match": 0, "remembered": 0, "review": 0, "new": 5}
    assert d.summary["previous_year"] is None
    assert (d.summary["added"], d.summary["removed"], d.summary["unchanged"]) == (5, 0, 0)
    first = d.contributions.get(row_number=2)
    assert first.facility.name == "Pioneer Knitwear (BD) Ltd"
    assert first.facility.country == "BD" and first.facility.public_id.startswith("CVBD")
    assert first.facility.search_text.startswith("pioneer knitwear")
    assert (
        AuditEvent.objects.filter(action="disclosure.accepted", organisation=world.company).count()
        == 1
    )


def test_duplicates_within_one_upload_end_on_one_facility(world):
    rows = [
        *factory_rows([0, 1]),
        row(4, "PIONEER KNITWEAR LIMITED", "Plot 12 Valuka Road Mymensingh", "BD", "Mymensingh"),
        row(5, "Pioneer Knitwear (BD) Ltd", "Plot 12, Valuka Road, Mymensingh", "BD", "Mymensingh"),
    ]
    d = _import(world, rows)
    assert Facility.objects.count() == 2
    facilities = dict(d.contributions.values_list("row_number", "facility__name"))
    assert facilities[4] == facilities[5] == facilities[2] == "Pioneer Knitwear (BD) Ltd"
    assert d.count_new == 2 and d.count_match + d.count_review == 2


def test_second_company_attaches_to_existing_facility(world):
    _import(world, factory_rows())
    d = _import(
        world,
        [row(2, "PIONEER KNITWEAR (BD) LIMITED", "Plot 12 Valuka Road", "BD", "Mymensingh")],
        company=world.other_company,
    )
    c = d.contributions.get()
    assert c.decision == "match" and c.score >= 0.9
    assert c.facility.name == "Pioneer Knitwear (BD) Ltd"
    assert Facility.objects.count() == 5


def test_different_country_never_matches(world):
    _import(world, factory_rows([0]))
    name, address, _country, city = FACTORIES[0]
    d = _import(world, [row(2, name, address, "IN", city)], company=world.other_company)
    assert d.contributions.get().decision == "new"
    assert Facility.objects.count() == 2


def test_reupload_same_year_supersedes_and_next_year_diff(world):
    first = _import(world, factory_rows([0, 1, 2]), year=2018)
    again = _import(world, factory_rows([0, 1, 2]), year=2018)
    first.refresh_from_db()
    assert first.status == "superseded" and again.status == "accepted"
    assert Facility.objects.count() == 3  # the same rows matched the same facilities
    nxt = _import(world, factory_rows([1, 2, 3, 4]), year=2019)
    assert nxt.summary["previous_year"] == 2018
    assert (nxt.summary["added"], nxt.summary["removed"], nxt.summary["unchanged"]) == (2, 1, 2)
    diff = disclosure_diff(nxt)
    assert diff.previous == again
    assert sorted(f.name for f in diff.added) == [
        "Saigon Stitch Company Limited",
        "Tiruppur Cotton Mills Pvt Ltd",
    ]
    assert [f.name for f in diff.removed] == ["Pioneer Knitwear (BD) Ltd"]
    assert len(diff.unchanged) == 2
    # The company's current list: the latest accepted year.
    year, rows = company_locations(company=world.company, agreement=world.agreement)
    assert year == 2019 and len(rows) == 4
    year, rows = company_locations(company=world.company, agreement=world.agreement, year=2018)
    assert year == 2018 and len(rows) == 3


def _review_case(world):
    """A sibling unit: the matcher must send it to review, not match it."""
    _import(
        world,
        [row(2, "Anatolia Tekstil Unit 1", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa")],
        year=2018,
    )
    d = _import(
        world,
        [row(2, "Anatolia Tekstil Unit 2", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa")],
        company=world.other_company,
        year=2018,
    )
    return d.contributions.get()


def test_review_decision_is_remembered_next_year(world):
    c = _review_case(world)
    assert c.decision == "review"
    assert c.candidates and c.candidates[0]["public_id"] == c.facility.public_id
    assert c.candidates[0]["reasons"]
    review.review_confirm(contribution=c, actor=world.users["secretariat"])
    c.refresh_from_db()
    assert c.decision == "confirmed"
    nxt = _import(
        world,
        [row(7, "Anatolia Tekstil Unit 2", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa")],
        company=world.other_company,
        year=2019,
    )
    again = nxt.contributions.get()
    assert again.decision == "remembered" and again.facility == c.facility
    assert nxt.count_review == 0 and nxt.count_match == 1
    assert nxt.summary["counts"]["remembered"] == 1
    assert (nxt.summary["added"], nxt.summary["removed"], nxt.summary["unchanged"]) == (0, 0, 1)


def test_crash_in_phase_two_leaves_nothing_and_rerun_creates_no_duplicates(world, monkeypatch):
    ok = _import(world, factory_rows([0]), year=2018)
    before = (Facility.objects.count(), Contribution.objects.count())
    calls = {"n": 0}
    real = svc._diff_counts

    def crash(disclosure):
        calls["n"] += 1
        raise RuntimeError("power cut")

    monkeypatch.setattr(svc, "_diff_counts", crash)
    with pytest.raises(RuntimeError):
        _import(world, factory_rows(), year=2019)
    assert (Facility.objects.count(), Contribution.objects.count()) == before
    failed = Disclosure.objects.get(year=2019)
    assert failed.status == "failed" and failed.errors[0]["row"] is None
    ok.refresh_from_db()
    assert ok.status == "accepted"
    # Re-running: the same rows, the registry unchanged by the failed attempt.
    monkeypatch.setattr(svc, "_diff_counts", real)
    d = _import(world, factory_rows(), year=2019)
    assert d.status == "accepted" and d.count_new == 4 and d.count_match == 1
    assert Facility.objects.count() == 5
    assert Contribution.objects.filter(disclosure=d).count() == 5


def test_only_members_disclose_and_years_are_sane(world):
    Membership.objects.filter(company=world.other_company).update(status="suspended")
    with pytest.raises(ValidationFailed) as exc:
        _import(world, factory_rows([0]), company=world.other_company)
    assert exc.value.field == "agreement"
    with pytest.raises(ValidationFailed) as exc:
        _import(world, factory_rows([0]), year=1999)
    assert exc.value.field == "year"
    with pytest.raises(ValidationFailed):
        _import(world, factory_rows([0]), company=world.party_org)
    with pytest.raises(ValidationFailed):
        _import(world, [])
    assert Disclosure.objects.count() == 0


def test_check_upload_file_refuses_other_formats():
    svc.check_upload_file(filename="list.csv", data=b"name,address,country\n")
    svc.check_upload_file(filename="list.xlsx", data=b"PK\x03\x04rest")
    for filename, data, needle in [
        ("list.pdf", b"%PDF-1.4", "CSV or XLSX"),
        ("list.csv", b"%PDF-1.4 ...", "not a CSV"),
        ("list.csv", b"PK\x03\x04...", "not a CSV"),
        ("list.xlsx", b"name,address\n", "not an XLSX"),
        ("list.csv", b"", "empty"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            svc.check_upload_file(filename=filename, data=data)
        assert needle in exc.value.message and exc.value.field == "file"


def test_one_location_form_adds_a_version_with_previous_rows(world):
    first = _import(world, factory_rows([0, 1]))
    c = first.contributions.get(row_number=2)
    d = svc.disclosure_add_location(
        agreement=world.agreement,
        company=world.company,
        year=2019,
        cleaned_fields={
            "name": "Dhaka Denim Ltd",
            "address": "House 5, Road 3, Gulshan",
            "country": "Bangladesh",
            "city": "Dhaka",
            "number_of_workers": "1200",
        },
        actor=world.users["own_company"],
    )
    first.refresh_from_db()
    assert first.status == "superseded" and d.status == "accepted" and d.source == "form"
    rows = list(d.contributions.order_by("row_number"))
    assert [r.row_number for r in rows] == [2, 3, 4]
    assert rows[0].facility == c.facility and rows[0].decision == "new"
    assert rows[2].name == "Dhaka Denim Ltd" and rows[2].country == "BD"
    assert rows[2].number_of_workers == 1200 and rows[2].decision == "new"
    assert (d.count_new, d.count_match, d.count_review) == (3, 0, 0)
    assert Facility.objects.count() == 3
    with pytest.raises(ValidationFailed) as exc:
        svc.disclosure_add_location(
            agreement=world.agreement,
            company=world.company,
            year=2019,
            cleaned_fields={"name": "X", "address": "", "country": "Atlantis"},
            actor=None,
        )
    assert exc.value.extra["errors"]
    assert Disclosure.objects.filter(status="accepted").get() == d


def _upload(world, data: bytes, filename="locations.csv", year=2019, capture=None):
    from django.core.files.base import ContentFile

    with capture(execute=True):
        d = svc.disclosure_upload(
            agreement=world.agreement,
            company=world.company,
            year=year,
            file=ContentFile(data, name=filename),
            actor=world.users["own_company"],
        )
    d.refresh_from_db()
    return d


def test_upload_is_processed_by_the_task_after_commit(world, django_capture_on_commit_callbacks):
    from covenant.supplychain.tests.test_disclosures_support import csv_bytes

    d = _upload(world, csv_bytes(FACTORIES), capture=django_capture_on_commit_callbacks)
    assert d.status == "accepted" and d.attempts == 1
    assert (d.rows_total, d.rows_parsed, d.rows_matched) == (5, 5, 5)
    assert (d.count_match, d.count_review, d.count_new) == (0, 0, 5)
    assert d.original_filename == "locations.csv" and d.file.name.endswith(".csv")
    assert sorted(d.contributions.values_list("row_number", flat=True)) == [2, 3, 4, 5, 6]
    # Running the task again is a no-op.
    from covenant.supplychain.tasks import process_disclosure

    assert process_disclosure.call(d.pk) == "accepted"
    assert Contribution.objects.count() == 5 and Facility.objects.count() == 5


def test_upload_with_row_errors_fails_and_imports_nothing(
    world, django_capture_on_commit_callbacks
):
    from covenant.supplychain.tests.test_disclosures_support import csv_bytes

    data = csv_bytes(
        [
            ("Good Factory Ltd", "1 Main Road", "BD", "Dhaka"),
            ("", "2 Main Road", "BD", "Dhaka"),
            ("Third Ltd", "3 Main Road", "Narnia", "X"),
        ]
    )
    d = _upload(world, data, capture=django_capture_on_commit_callbacks)
    assert d.status == "failed"
    assert [(e["row"], e["column"]) for e in d.errors] == [(3, "name"), (4, "country")]
    assert all(e["message"] and e["hint"] for e in d.errors)
    assert Contribution.objects.count() == 0 and Facility.objects.count() == 0
    # Missing required columns: one file-level error.
    d = _upload(world, b"factory,street\nA,B\n", capture=django_capture_on_commit_callbacks)
    assert d.status == "failed" and d.errors[0]["row"] is None
    assert "Required columns missing" in d.errors[0]["message"]


def test_crashed_job_can_be_rerun_without_duplicates(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from covenant.supplychain.tests.test_disclosures_support import csv_bytes

    real = svc._diff_counts

    def crash(disclosure):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(svc, "_diff_counts", crash)
    d = _upload(world, csv_bytes(FACTORIES), capture=django_capture_on_commit_callbacks)
    assert d.status == "failed" and d.errors[0]["row"] is None
    assert "nothing was imported" in d.errors[0]["message"]
    assert Contribution.objects.count() == 0 and Facility.objects.count() == 0
    assert svc.disclosure_can_rerun(d)
    monkeypatch.setattr(svc, "_diff_counts", real)
    with django_capture_on_commit_callbacks(execute=True):
        svc.disclosure_rerun(disclosure=d, actor=world.users["own_company"])
    d.refresh_from_db()
    assert d.status == "accepted" and d.attempts == 2
    assert Contribution.objects.count() == 5 and Facility.objects.count() == 5
    assert not svc.disclosure_can_rerun(d)
    with pytest.raises(ValidationFailed):
        svc.disclosure_rerun(disclosure=d, actor=None)
    assert AuditEvent.objects.filter(action="disclosure.rerun").count() == 1


def test_stalled_job_is_claimed_again(world, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from covenant.supplychain.tests.test_disclosures_support import csv_bytes

    with django_capture_on_commit_callbacks(execute=False):
        d = svc.disclosure_upload(
            agreement=world.agreement,
            company=world.company,
            year=2019,
            file=__import__("django.core.files.base", fromlist=["ContentFile"]).ContentFile(
                csv_bytes(FACTORIES[:2]), name="a.csv"
            ),
            actor=None,
        )
    # A worker took it and died: "processing" with no progress for 10 minutes.
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    Disclosure.objects.filter(pk=d.pk).update(status="processing", updated_at=long_ago)
    d.refresh_from_db()
    assert svc.disclosure_is_stalled(d) and svc.disclosure_can_rerun(d)
    d = svc.disclosure_process(disclosure=d)
    assert d.status == "accepted" and d.count_new == 2
    # A fresh "processing" job belongs to a live worker: another run leaves it alone.
    Disclosure.objects.filter(pk=d.pk).update(status="processing", updated_at=timezone.now())
    d.refresh_from_db()
    assert svc.disclosure_process(disclosure=d).status == "processing"
    assert Contribution.objects.count() == 2
