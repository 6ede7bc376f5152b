"""Shared suppliers: who sees which company uses which facility (only that company and the
secretariat), counts without names for the company, opt-in and withdrawal, introductions with
their e-mails on commit, and the role matrix of every page and endpoint."""

from __future__ import annotations

import pytest
from django.core import mail

from covenant.agreements.tests.factories import MembershipFactory, OrganisationFactory
from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.supplychain.models import Facility, Introduction, IntroductionOptIn
from covenant.supplychain.selectors import sharing as sel
from covenant.supplychain.services import sharing as services
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    factory_rows,
    fresh_registry_index,
)

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


@pytest.fixture
def shared(world):
    """Own company: factories 0-4; other company: 0, 1 (2017) and then 0 only (2018)."""
    a = world.agreement
    disclosure_import_rows(
        agreement=a, company=world.company, year=2018, rows=factory_rows(), actor=None
    )
    disclosure_import_rows(
        agreement=a, company=world.other_company, year=2017, rows=factory_rows([0, 1]), actor=None
    )
    disclosure_import_rows(
        agreement=a, company=world.other_company, year=2018, rows=factory_rows([0]), actor=None
    )
    return world


def _f(name_start: str) -> Facility:
    return Facility.objects.get(name__startswith=name_start)


def test_latest_lists_decide_who_uses_what(shared):
    users = sel.facility_users(shared.agreement)
    assert users[_f("Pioneer").pk] == {shared.company.pk, shared.other_company.pk}
    assert users[_f("Shanghai").pk] == {shared.company.pk}  # other company dropped it in 2018
    rows = sel.shared_facilities(shared.agreement)
    assert [(r.facility.name, [c.name for c in r.companies]) for r in rows] == [
        ("Pioneer Knitwear (BD) Ltd", ["Other Apparel BV", "Own Fashion BV"])
    ]
    mine = sel.company_facilities(shared.agreement, shared.company, shared_only=True)
    assert [(r.facility.name, r.other_users) for r in mine] == [("Pioneer Knitwear (BD) Ltd", 1)]
    assert len(sel.company_facilities(shared.agreement, shared.company, shared_only=False)) == 5


def test_opt_in_withdraw_and_introduction(shared, django_capture_on_commit_callbacks):
    a, pioneer = shared.agreement, _f("Pioneer")
    shared.users["own_company"].email = "own@example.org"
    shared.users["own_company"].save()
    shared.users["other_company"].email = "other@example.org"
    shared.users["other_company"].save()
    with pytest.raises(ValidationFailed, match="not on your latest list"):
        services.introduction_opt_in(
            agreement=a, company=shared.other_company, facility=_f("Shanghai"), actor=None
        )
    services.introduction_opt_in(agreement=a, company=shared.company, facility=pioneer, actor=None)
    services.introduction_opt_in(agreement=a, company=shared.company, facility=pioneer, actor=None)
    assert IntroductionOptIn.objects.count() == 1
    with pytest.raises(ValidationFailed, match="two companies"):
        services.introduction_make(agreement=a, facility=pioneer, actor=None)
    services.introduction_opt_in(
        agreement=a, company=shared.other_company, facility=pioneer, actor=None
    )
    assert services.introduction_opt_out(
        agreement=a, company=shared.other_company, facility=pioneer, actor=None
    )
    assert not services.introduction_opt_out(
        agreement=a, company=shared.other_company, facility=pioneer, actor=None
    )
    services.introduction_opt_in(
        agreement=a, company=shared.other_company, facility=pioneer, actor=None
    )
    assert sel.shared_facilities(a)[0].can_introduce
    with django_capture_on_commit_callbacks(execute=True):
        intro = services.introduction_make(
            agreement=a, facility=pioneer, actor=shared.users["secretariat"], note="Joint audit?"
        )
    assert set(intro.companies.all()) == {shared.company, shared.other_company}
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "own@example.org"]
    own_mail = next(m for m in mail.outbox if m.to == ["own@example.org"])
    assert (
        "Other Apparel BV" in own_mail.body
        and "Own Fashion BV" not in own_mail.body.split("too:")[1]
    )
    assert "Joint audit?" in own_mail.body
    with pytest.raises(ValidationFailed, match="already"):
        services.introduction_make(agreement=a, facility=pioneer, actor=None)
    actions = list(
        AuditEvent.objects.filter(action__startswith="introduction.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("introduction.opted_in") == 3 and "introduction.made" in actions


def test_third_company_joins_a_later_introduction(shared):
    a, pioneer = shared.agreement, _f("Pioneer")
    third = OrganisationFactory(name="Third Wear BV", slug="third-wear")
    MembershipFactory(agreement=a, company=third)
    disclosure_import_rows(
        agreement=a, company=third, year=2018, rows=factory_rows([0]), actor=None
    )
    for company in (shared.company, shared.other_company):
        services.introduction_opt_in(agreement=a, company=company, facility=pioneer, actor=None)
    services.introduction_make(agreement=a, facility=pioneer, actor=None)
    services.introduction_opt_in(agreement=a, company=third, facility=pioneer, actor=None)
    second = services.introduction_make(agreement=a, facility=pioneer, actor=None)
    assert second.companies.count() == 3 and Introduction.objects.count() == 2
    assert sel.company_facilities(a, third)[0].other_users == 2


COMPANY_PAGE = "/companies/own-fashion/shared-suppliers/"
PAGES = [
    ("/secretariat/garments/shared-suppliers/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/garments/shared-suppliers/{pid}/", (LOGIN, 403, 403, 403, 200)),
    (COMPANY_PAGE, (LOGIN, 403, 200, 403, 200)),
    (COMPANY_PAGE + "?all=1", (LOGIN, 403, 200, 403, 200)),
]


@pytest.mark.parametrize("url,expected", PAGES)
def test_page_role_matrix(shared, url, expected):
    url = url.format(pid=_f("Pioneer").public_id)
    for role, status in zip(ROLES, expected, strict=True):
        response = shared.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status == 200 and role == "own_company":
            # The company sees a count, never the other company's name.
            assert b"Other Apparel" not in response.content
            assert b"Pioneer Knitwear" in response.content


def test_secretariat_pages_name_companies_and_are_audited(shared):
    response = shared.client("secretariat").get("/secretariat/garments/shared-suppliers/")
    assert b"Other Apparel BV" in response.content and b"Own Fashion BV" in response.content
    reads = AuditEvent.objects.filter(kind="read", action="read.shared_suppliers")
    assert {e.organisation for e in reads} == {shared.company, shared.other_company}
    shared.client("secretariat").get(COMPANY_PAGE)
    assert (
        AuditEvent.objects.filter(
            action="read.facility_sharing", organisation=shared.company
        ).count()
        == 1
    )


def test_company_opts_in_and_secretariat_introduces_through_pages(shared):
    pid = _f("Pioneer").public_id
    for role in ("own_company", "other_company"):
        slug = "own-fashion" if role == "own_company" else "other-apparel"
        response = shared.client(role).post(
            f"/companies/{slug}/shared-suppliers/", {"facility": pid, "action": "opt_in"}
        )
        assert response.status_code == 302
    assert IntroductionOptIn.objects.count() == 2
    # Someone else cannot opt a company in.
    for role, status in (("anonymous", LOGIN), ("other_company", 403), ("party", 403)):
        response = shared.client(role).post(COMPANY_PAGE, {"facility": pid, "action": "withdraw"})
        assert response.status_code == status
    assert IntroductionOptIn.objects.count() == 2
    client = shared.client("secretariat")
    for role, status in (("own_company", 403), ("party", 403), ("anonymous", LOGIN)):
        assert (
            shared.client(role).post(f"/secretariat/garments/shared-suppliers/{pid}/").status_code
            == status
        )
    response = client.post(f"/secretariat/garments/shared-suppliers/{pid}/", {"note": "hello"})
    assert response.status_code == 302 and Introduction.objects.count() == 1
    response = shared.client("own_company").post(
        COMPANY_PAGE, {"facility": pid, "action": "withdraw"}
    )
    assert IntroductionOptIn.objects.count() == 1


API = [
    ("get", "/api/v1/agreements/garments/shared-suppliers", (401, 403, 403, 403, 200)),
    ("get", "/api/v1/agreements/garments/introductions", (401, 403, 403, 403, 200)),
    ("get", "/api/v1/companies/own-fashion/shared-suppliers", (401, 403, 200, 403, 200)),
    ("get", "/api/v1/companies/own-fashion/shared-suppliers?all=true", (401, 403, 200, 403, 200)),
    (
        "put",
        "/api/v1/companies/own-fashion/shared-suppliers/{pid}/opt-in",
        (401, 403, 200, 403, 403),
    ),
    (
        "delete",
        "/api/v1/companies/own-fashion/shared-suppliers/{pid}/opt-in",
        (401, 403, 200, 403, 403),
    ),
    (
        "post",
        "/api/v1/agreements/garments/shared-suppliers/{pid}/introductions",
        (401, 403, 403, 403, 422),
    ),
]


@pytest.mark.parametrize("method,url,expected", API)
def test_api_role_matrix(shared, client, method, url, expected):
    url = url.format(pid=_f("Pioneer").public_id)
    for role, status in zip(ROLES, expected, strict=True):
        kwargs = (
            {"content_type": "application/json", "data": {}} if method in ("put", "post") else {}
        )
        response = getattr(client, method)(url, **kwargs, **shared.api_headers(role))
        assert response.status_code == status, f"{role} {method} {url}: {response.content[:200]}"
        if status == 200 and role == "own_company":
            assert (
                b"other-apparel" not in response.content
                and b"Other Apparel" not in response.content
            )


def test_api_answers(shared, client):
    pid = _f("Pioneer").public_id
    body = client.get(
        "/api/v1/companies/own-fashion/shared-suppliers", **shared.api_headers("own_company")
    ).json()
    assert body["count"] == 1 and body["results"][0]["other_users"] == 1
    assert body["results"][0]["public_id"] == pid
    for role in ("own_company", "other_company"):
        slug = "own-fashion" if role == "own_company" else "other-apparel"
        r = client.put(
            f"/api/v1/companies/{slug}/shared-suppliers/{pid}/opt-in",
            data={},
            content_type="application/json",
            **shared.api_headers(role),
        )
        assert r.json() == {"public_id": pid, "opted_in": True}
    sec = shared.api_headers("secretariat")
    body = client.get("/api/v1/agreements/garments/shared-suppliers", **sec).json()
    assert body["results"][0]["can_introduce"] is True
    assert {c["slug"] for c in body["results"][0]["companies"]} == {"own-fashion", "other-apparel"}
    r = client.post(
        f"/api/v1/agreements/garments/shared-suppliers/{pid}/introductions",
        data={"note": "Let's talk"},
        content_type="application/json",
        **sec,
    )
    assert r.status_code == 201 and r.json()["companies"] == ["other-apparel", "own-fashion"]
    assert (
        client.get("/api/v1/agreements/garments/introductions", **sec).json()[0]["facility"] == pid
    )
