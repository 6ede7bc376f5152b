"""Role matrix for every page (anonymous, another company, the company itself, a party, the
secretariat), plus the page journeys of membership administration."""

from __future__ import annotations

import pytest

from covenant.agreements.models import Membership, Organisation, Turnover
from covenant.core.models import AuditEvent

LOGIN = 302  # anonymous users are sent to the sign-in page
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")

# (url template, expected status per role in ROLES order)
PAGE_MATRIX = [
    ("/", (200, 200, 200, 200, 200)),
    ("/agreements/garments/", (200, 200, 200, 200, 200)),
    ("/organisations/own-fashion/", (200, 200, 200, 200, 200)),
    ("/organisations/clean-wear/", (200, 200, 200, 200, 200)),
    ("/companies/own-fashion/", (LOGIN, 403, 200, 403, 200)),
    ("/companies/other-apparel/", (LOGIN, 200, 403, 403, 200)),
    ("/agreements/garments/parties/clean-wear/commitment/", (LOGIN, 403, 403, 200, 200)),
    ("/secretariat/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/garments/memberships/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/memberships/{own_membership}/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/garments/market/", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/garments/market/?detail=1&year=2018", (LOGIN, 403, 403, 403, 200)),
    ("/secretariat/audit/", (LOGIN, 403, 403, 403, 200)),
    ("/accounts/users/", (LOGIN, 403, 403, 403, 200)),
    ("/me/", (LOGIN, 302, 302, 302, 302)),
]


def _url(template: str, world) -> str:
    own = Membership.objects.get(company=world.company)
    return template.format(own_membership=own.pk)


@pytest.mark.parametrize("template,expected", PAGE_MATRIX)
def test_page_role_matrix(world, template, expected):
    Turnover.objects.create(company=world.company, year=2018, amount_eur=123456789)
    url = _url(template, world)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status == 200 and role not in ("own_company", "secretariat"):
            # The confidential turnover never appears on a page for others.
            assert b"123.456.789" not in response.content and b"123456789" not in response.content


def test_anonymous_is_sent_to_login(world):
    response = world.client("anonymous").get("/companies/own-fashion/")
    assert response["Location"].startswith("/accounts/login/?next=/companies/own-fashion/")


def test_secretariat_without_second_factor_is_sent_to_verification(world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["secretariat"])
    response = client.get("/companies/own-fashion/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")
    response = client.get("/secretariat/garments/memberships/")
    assert response["Location"].startswith("/accounts/2fa/verify/")


def test_secretariat_read_of_company_workspace_is_audited(world):
    world.client("secretariat").get("/companies/own-fashion/")
    event = AuditEvent.objects.get(kind="read")
    assert event.action == "read.company_workspace"
    assert event.organisation == world.company
    assert event.actor == world.users["secretariat"]
    world.client("own_company").get("/companies/own-fashion/")
    assert AuditEvent.objects.filter(kind="read").count() == 1


def test_secretariat_admits_new_member_through_pages(world):
    client = world.client("secretariat")
    response = client.post(
        "/secretariat/garments/memberships/",
        {
            "new_company_name": "Nieuwe Mode BV",
            "new_company_city": "Utrecht",
            "applied_on": "2019-03-01",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(company__name="Nieuwe Mode BV")
    assert membership.status == "applied"
    response = client.post(
        f"/secretariat/memberships/{membership.pk}/",
        {"action": "approve", "effective_on": "2019-04-01", "note": "Welcome"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"
    assert str(membership.joined_on) == "2019-04-01"
    assert list(membership.events.values_list("to_status", flat=True)) == ["applied", "active"]
    assert AuditEvent.objects.filter(
        action="membership.active", organisation=membership.company
    ).exists()


def test_membership_form_errors_are_clear_and_write_nothing(world):
    client = world.client("secretariat")
    orgs = Organisation.objects.count()
    response = client.post("/secretariat/garments/memberships/", {"applied_on": "not a date"})
    assert response.status_code == 200
    assert b"Choose an existing company or type the name of a new one" in response.content
    assert b"Enter a valid date" in response.content
    assert Organisation.objects.count() == orgs
    # Ending without a reason, and an impossible transition, are refused with a message.
    membership = Membership.objects.get(company=world.company)
    response = client.post(
        f"/secretariat/memberships/{membership.pk}/",
        {"action": "end", "effective_on": "2019-01-01"},
    )
    assert b"This field is required" in response.content
    response = client.post(
        f"/secretariat/memberships/{membership.pk}/",
        {"action": "approve", "effective_on": "2019-01-01"},
    )
    assert b"cannot become" in response.content
    membership.refresh_from_db()
    assert membership.status == "active"


def test_company_enters_turnover_and_brand(world):
    client = world.client("own_company")
    response = client.post(
        "/companies/own-fashion/", {"action": "turnover", "year": "2019", "amount_eur": "2500000"}
    )
    assert response.status_code == 302
    assert Turnover.objects.get(company=world.company, year=2019).amount_eur == 2500000
    response = client.post(
        "/companies/own-fashion/", {"action": "turnover", "year": "twenty", "amount_eur": "-5"}
    )
    assert response.status_code == 200
    assert b"Enter a whole number" in response.content
    response = client.post("/companies/own-fashion/", {"action": "brand_add", "name": "Own Label"})
    assert b"already has a brand with that name" in response.content
    response = client.post(
        "/companies/own-fashion/", {"action": "brand_add", "name": "Second Label"}
    )
    assert response.status_code == 302
    assert world.company.brands.count() == 2


def test_other_company_cannot_post_to_workspace(world):
    response = world.client("other_company").post(
        "/companies/own-fashion/", {"action": "brand_add", "name": "X"}
    )
    assert response.status_code == 403
    assert world.company.brands.count() == 1


def test_party_edits_commitment(world):
    client = world.client("party")
    url = "/agreements/garments/parties/clean-wear/commitment/"
    response = client.post(
        url, {"action": "letter", "why_at_table": "For the workers", "contribution": "Training"}
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "target",
            "description": "Train 40 suppliers",
            "indicator": "suppliers trained",
            "baseline": "0",
            "target_value": "40",
            "due_year": "2020",
        },
    )
    assert response.status_code == 302
    target = world.party_signatory.commitment.targets.get()
    response = client.post(
        url, {"action": "progress", "target": target.pk, "year": "2019", "value": "12"}
    )
    assert response.status_code == 302
    assert target.progress.get().value == 12
    public = world.client("anonymous").get("/organisations/clean-wear/")
    assert b"For the workers" in public.content and b"Train 40 suppliers" in public.content


def test_language_switch_renders_dutch(world):
    client = world.client("anonymous")
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    response = client.get("/agreements/garments/")
    assert response.status_code == 200
    assert "Kleding en Textiel" in response.content.decode()
    assert 'lang="nl"' in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/agreements/garments/", "/secretariat/garments/memberships/"]
)
def test_public_pages_use_a_bounded_number_of_queries(world, url):
    """The number of queries does not grow with the number of members and brands."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from covenant.agreements.tests.factories import (
        BrandFactory,
        MembershipFactory,
        OrganisationFactory,
    )

    client = world.client("secretariat")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(8):
        company = OrganisationFactory(name=f"Extra {i}")
        BrandFactory(company=company)
        BrandFactory(company=company)
        MembershipFactory(agreement=world.agreement, company=company)
        Turnover.objects.create(company=company, year=2018, amount_eur=1000 + i)
    assert count() == before
    assert before <= 25
