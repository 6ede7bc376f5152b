"""The agreements REST API: a role matrix for every endpoint, bad input for every endpoint
that takes a body or parameters, confidentiality of turnover, and the main journeys."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from covenant.accounts.models import RoleName
from covenant.agreements.models import (
    Brand,
    Commitment,
    CommitmentTarget,
    MarketSize,
    Membership,
    MembershipEvent,
    Organisation,
    Signatory,
    TargetProgress,
    Turnover,
)
from covenant.agreements.tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    user_with_role,
)
from covenant.conftest import ROLES, World
from covenant.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1"
SECRET_AMOUNT = 7_654_321  # a turnover figure that must never leak into public answers


@dataclass
class Ids:
    own_membership: int
    applicant_membership: int
    suspended_membership: int
    own_brand: int
    target: int


@pytest.fixture
def ids(world: World) -> Ids:
    """Extra data the role matrix needs: an application, a suspended member, a second
    agreement of the same secretariat, turnover, a market size and a party target."""
    AgreementFactory(slug="timber", secretariat=world.secretariat_org)
    applicant = OrganisationFactory(name="Applicant BV", slug="applicant")
    applied = MembershipFactory(
        agreement=world.agreement, company=applicant, status="applied", joined_on=None
    )
    paused = OrganisationFactory(name="Paused BV", slug="paused")
    suspended = MembershipFactory(agreement=world.agreement, company=paused, status="suspended")
    MembershipEvent.objects.create(
        membership=suspended,
        from_status="active",
        to_status="suspended",
        effective_on=dt.date(2018, 1, 1),
        note="no report",
    )
    Turnover.objects.create(company=world.company, year=2019, amount_eur=SECRET_AMOUNT)
    MarketSize.objects.create(agreement=world.agreement, year=2019, amount_eur=10**9)
    commitment = Commitment.objects.get(signatory=world.party_signatory)
    target = CommitmentTarget.objects.create(
        commitment=commitment,
        description="Train 100 workers",
        indicator="workers trained",
        target_value=100,
        due_year=2020,
    )
    return Ids(
        own_membership=Membership.objects.get(agreement=world.agreement, company=world.company).pk,
        applicant_membership=applied.pk,
        suspended_membership=suspended.pk,
        own_brand=Brand.objects.get(company=world.company).pk,
        target=target.pk,
    )


def call(
    client: Client, method: str, url: str, body: Any = None, headers: dict[str, Any] | None = None
) -> Any:
    kwargs: dict[str, Any] = dict(headers or {})
    if body is not None:
        kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method)(url, **kwargs)


# --- 1. role matrix --------------------------------------------------------------------
ALL_200 = (200, 200, 200, 200, 200)
OWN_AND_SEC = (401, 403, 200, 403, 200)
SEC_ONLY = (401, 403, 403, 403, 200)
PARTY_AND_SEC = (401, 403, 403, 200, 200)

# (name, method, url, body, expected status per role in ROLES order)
MATRIX: list[tuple[str, str, str, Any, tuple[int, ...]]] = [
    ("agreement list", "get", "/agreements", None, ALL_200),
    ("agreement detail", "get", "/agreements/garments", None, ALL_200),
    ("themes", "get", "/agreements/garments/themes", None, ALL_200),
    ("members", "get", "/agreements/garments/members", None, ALL_200),
    ("signatories", "get", "/agreements/garments/signatories?kind=party", None, ALL_200),
    ("membership stats", "get", "/agreements/garments/membership-stats", None, ALL_200),
    ("coverage", "get", "/agreements/garments/coverage", None, ALL_200),
    (
        "coverage by company",
        "get",
        "/agreements/garments/coverage/companies?year=2019",
        None,
        SEC_ONLY,
    ),
    ("market size list", "get", "/agreements/garments/market-size", None, SEC_ONLY),
    (
        "market size set",
        "put",
        "/agreements/garments/market-size/2020",
        {"amount_eur": 2_000_000_000, "source": "CBS"},
        SEC_ONLY,
    ),
    ("membership list", "get", "/agreements/garments/memberships?status=applied", None, SEC_ONLY),
    (
        "membership apply",
        "post",
        "/agreements/timber/memberships",
        {"company": "own-fashion", "note": "We want to join."},
        (401, 403, 201, 403, 201),
    ),
    ("membership detail", "get", "/memberships/{own_membership}", None, OWN_AND_SEC),
    ("membership approve", "post", "/memberships/{applicant_membership}/approve", {}, SEC_ONLY),
    ("membership reject", "post", "/memberships/{applicant_membership}/reject", {}, SEC_ONLY),
    (
        "membership suspend",
        "post",
        "/memberships/{own_membership}/suspend",
        {"note": "No annual report."},
        SEC_ONLY,
    ),
    (
        "membership reinstate",
        "post",
        "/memberships/{suspended_membership}/reinstate",
        {},
        SEC_ONLY,
    ),
    ("membership end", "post", "/memberships/{own_membership}/end", {"reason": "left"}, SEC_ONLY),
    ("organisation list", "get", "/organisations?type=company&q=fashion", None, ALL_200),
    ("organisation detail", "get", "/organisations/own-fashion", None, ALL_200),
    ("brand list", "get", "/organisations/own-fashion/brands", None, ALL_200),
    (
        "brand create",
        "post",
        "/organisations/own-fashion/brands",
        {"name": "New Label"},
        (401, 403, 201, 403, 201),
    ),
    ("brand delete", "delete", "/brands/{own_brand}", None, (401, 403, 204, 403, 204)),
    ("turnover list", "get", "/companies/own-fashion/turnover", None, OWN_AND_SEC),
    (
        "turnover set",
        "put",
        "/companies/own-fashion/turnover/2020",
        {"amount_eur": "8000000"},
        OWN_AND_SEC,
    ),
    (
        "commitment read",
        "get",
        "/agreements/garments/parties/clean-wear/commitment",
        None,
        ALL_200,
    ),
    (
        "commitment update",
        "put",
        "/agreements/garments/parties/clean-wear/commitment",
        {"why_at_table": "Workers' voices.", "mandate": "Members of the union."},
        PARTY_AND_SEC,
    ),
    (
        "target add",
        "post",
        "/agreements/garments/parties/clean-wear/commitment/targets",
        {
            "description": "Visit 10 factories",
            "indicator": "factories visited",
            "target_value": 10,
            "due_year": 2021,
            "theme": "living-wage",
        },
        (401, 403, 403, 201, 201),
    ),
    (
        "progress set",
        "put",
        "/commitment-targets/{target}/progress/2019",
        {"value": "40.5", "note": "Halfway."},
        PARTY_AND_SEC,
    ),
    ("audit log", "get", "/audit?action=membership.&limit=10", None, SEC_ONLY),
]


def test_matrix_covers_every_operation_of_the_router():
    from covenant.agreements.api import router

    operations = {
        (method.lower(), path)
        for path, view in router.path_operations.items()
        for op in view.operations
        for method in op.methods
    }
    in_matrix = {(method, url.split("?")[0]) for _name, method, url, _b, _e in MATRIX}
    # The matrix uses concrete values; map them back to the route templates.
    replacements = {
        "/agreements/garments": "/agreements/{slug}",
        "/agreements/timber": "/agreements/{slug}",
        "/organisations/own-fashion": "/organisations/{slug}",
        "/companies/own-fashion": "/companies/{slug}",
        "/parties/clean-wear": "/parties/{org}",
        "{own_membership}": "{membership_id}",
        "{applicant_membership}": "{membership_id}",
        "{suspended_membership}": "{membership_id}",
        "{own_brand}": "{brand_id}",
        "{target}": "{target_id}",
        "/2020": "/{year}",
        "/2019": "/{year}",
    }
    normalised = set()
    for method, url in in_matrix:
        for old, new in replacements.items():
            url = url.replace(old, new)
        normalised.add((method, url))
    assert normalised == operations


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name,method,url,body,expected", MATRIX, ids=[row[0] for row in MATRIX])
def test_role_matrix(world, ids, client, name, method, url, body, expected, role_index, role):
    response = call(client, method, API + url.format(**vars(ids)), body, world.api_headers(role))
    assert response.status_code == expected[role_index], response.content
    if response.status_code >= 400:
        detail = response.json()["detail"]
        assert detail[0]["message"]
    if response.status_code == 401:
        assert response.json()["detail"][0]["code"] == "not_authenticated"


def test_secretariat_without_second_factor_is_refused(world, ids, client):
    """A secretariat token issued without an authenticator code does not exist (the token
    endpoint refuses); a token of an unverified session is treated as having no role."""
    from covenant.accounts.models import ApiToken
    from covenant.accounts.services import _hash_token

    user = world.users["secretariat"]
    raw = "unverified-token-for-test"
    ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(raw),
        prefix=raw[:8],
        otp_verified=False,
        expires_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    )
    response = client.get(
        f"{API}/companies/own-fashion/turnover", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 403
    assert "authenticator" in response.json()["detail"][0]["message"]


# --- confidentiality ---------------------------------------------------------------
PUBLIC_URLS = [url for _n, method, url, _b, expected in MATRIX if expected == ALL_200]


def test_turnover_never_appears_in_public_answers(world, ids, client):
    Turnover.objects.create(company=world.other_company, year=2019, amount_eur=SECRET_AMOUNT + 1)
    for role in ROLES:
        headers = world.api_headers(role)
        for url in PUBLIC_URLS:
            response = client.get(API + url, **headers)
            assert response.status_code == 200
            text = response.content.decode()
            assert str(SECRET_AMOUNT) not in text, url
            assert str(SECRET_AMOUNT + 1) not in text, url
    # Also the profile of the other company and the organisation list.
    text = client.get(f"{API}/organisations/other-apparel").content.decode()
    assert str(SECRET_AMOUNT + 1) not in text


def test_own_company_reads_its_turnover_without_audit(world, ids, client):
    before = AuditEvent.objects.filter(kind="read").count()
    response = client.get(
        f"{API}/companies/own-fashion/turnover", **world.api_headers("own_company")
    )
    assert response.status_code == 200
    assert response.json() == [
        {
            "year": 2019,
            "amount_eur": str(SECRET_AMOUNT),
            "updated_at": response.json()[0]["updated_at"],
        }
    ]
    assert AuditEvent.objects.filter(kind="read").count() == before


def test_secretariat_read_of_turnover_is_audited(world, ids, client):
    headers = world.api_headers("secretariat")
    before = AuditEvent.objects.filter(kind="read").count()
    response = client.get(f"{API}/companies/own-fashion/turnover", **headers)
    assert response.status_code == 200
    assert response.json()[0]["amount_eur"] == str(SECRET_AMOUNT)
    reads = AuditEvent.objects.filter(kind="read")
    assert reads.count() == before + 1
    event = reads.order_by("-id").first()
    assert event.action == "read.turnover"
    assert event.organisation == world.company
    assert event.actor == world.users["secretariat"]


def test_secretariat_read_of_membership_history_is_audited(world, ids, client):
    headers = world.api_headers("secretariat")
    response = client.get(f"{API}/memberships/{ids.own_membership}", **headers)
    assert response.status_code == 200
    event = AuditEvent.objects.filter(kind="read").order_by("-id").first()
    assert event.action == "read.membership_history"
    assert event.detail == {"membership": ids.own_membership}


def test_coverage_by_company_is_audited_per_company(world, ids, client):
    headers = world.api_headers("secretariat")
    response = client.get(f"{API}/agreements/garments/coverage/companies?year=2019", **headers)
    assert response.status_code == 200
    rows = {row["company"]: row for row in response.json()}
    assert rows["own-fashion"] == {
        "company": "own-fashion",
        "name": "Own Fashion BV",
        "year": 2019,
        "amount_eur": str(SECRET_AMOUNT),
        "share_percent": round(SECRET_AMOUNT / 10**9 * 100, 2),
    }
    assert rows["other-apparel"]["amount_eur"] is None
    reads = AuditEvent.objects.filter(kind="read", action="read.turnover")
    assert [e.organisation for e in reads] == [world.company]


# --- 2. bad input ----------------------------------------------------------------------
def _snapshot(world: World) -> tuple[Any, ...]:
    """Everything a bad request could have written."""
    commitment = Commitment.objects.get(signatory=world.party_signatory)
    return (
        Brand.objects.count(),
        Membership.objects.count(),
        list(Membership.objects.order_by("pk").values_list("status", "end_reason")),
        MembershipEvent.objects.count(),
        MarketSize.objects.count(),
        list(MarketSize.objects.values_list("amount_eur", flat=True)),
        Turnover.objects.count(),
        list(Turnover.objects.values_list("amount_eur", flat=True)),
        CommitmentTarget.objects.count(),
        TargetProgress.objects.count(),
        (commitment.why_at_table, commitment.mandate),
        Organisation.objects.count(),
        Signatory.objects.count(),
        AuditEvent.objects.count(),
    )


LONG = "x" * 10_000
BROKEN_JSON = '{"name": '

# (name, role, method, url, body, expected status, expected field or None)
# fmt: off
BAD: list[tuple[str, str, str, str, Any, int, str | None]] = [
    # market size
    ("ms broken json", "secretariat", "put", "/agreements/garments/market-size/2020", BROKEN_JSON, 400, "body"),
    ("ms not an object", "secretariat", "put", "/agreements/garments/market-size/2020", "[1, 2]", 422, "body"),
    ("ms year text", "secretariat", "put", "/agreements/garments/market-size/soon", {"amount_eur": 5}, 422, "year"),
    ("ms year absurd", "secretariat", "put", "/agreements/garments/market-size/1800", {"amount_eur": 5}, 422, "year"),
    ("ms year huge", "secretariat", "put", "/agreements/garments/market-size/99999999999999999999", {"amount_eur": 5}, 422, "year"),
    ("ms amount zero", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": 0}, 422, "amount_eur"),
    ("ms amount negative", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": -5}, 422, "amount_eur"),
    ("ms amount absurd", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": 1e20}, 422, "amount_eur"),
    ("ms amount text", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": "lots"}, 422, "amount_eur"),
    ("ms amount nan", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": "NaN"}, 422, "amount_eur"),
    ("ms amount list", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": [5]}, 422, "amount_eur"),
    ("ms amount missing", "secretariat", "put", "/agreements/garments/market-size/2020", {}, 422, "amount_eur"),
    ("ms source long", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": 5, "source": LONG}, 422, "source"),
    ("ms unknown field", "secretariat", "put", "/agreements/garments/market-size/2020", {"amount_eur": 5, "amount": 6}, 422, "amount"),
    # coverage by company
    ("cov year missing", "secretariat", "get", "/agreements/garments/coverage/companies", None, 422, "year"),
    ("cov year text", "secretariat", "get", "/agreements/garments/coverage/companies?year=last", None, 422, "year"),
    ("cov year absurd", "secretariat", "get", "/agreements/garments/coverage/companies?year=30000", None, 422, "year"),
    # signatories, memberships, organisations, audit: query parameters
    ("sig kind unknown", "anonymous", "get", "/agreements/garments/signatories?kind=friend", None, 422, "kind"),
    ("ml status unknown", "secretariat", "get", "/agreements/garments/memberships?status=pending", None, 422, "status"),
    ("org type unknown", "anonymous", "get", "/organisations?type=club", None, 422, "type"),
    ("org q long", "anonymous", "get", "/organisations?q=" + "x" * 1000, None, 422, "q"),
    ("org limit zero", "anonymous", "get", "/organisations?limit=0", None, 422, "limit"),
    ("org limit huge", "anonymous", "get", "/organisations?limit=100000", None, 422, "limit"),
    ("org offset text", "anonymous", "get", "/organisations?offset=first", None, 422, "offset"),
    ("audit limit huge", "secretariat", "get", "/audit?limit=100000", None, 422, "limit"),
    ("audit kind unknown", "secretariat", "get", "/audit?kind=gossip", None, 422, "kind"),
    ("audit action long", "secretariat", "get", "/audit?action=" + "x" * 500, None, 422, "action"),
    # membership application
    ("apply broken json", "secretariat", "post", "/agreements/timber/memberships", BROKEN_JSON, 400, "body"),
    ("apply company missing", "secretariat", "post", "/agreements/timber/memberships", {}, 422, "company"),
    ("apply company list", "secretariat", "post", "/agreements/timber/memberships", {"company": ["own-fashion"]}, 422, "company"),
    ("apply company long", "secretariat", "post", "/agreements/timber/memberships", {"company": LONG}, 422, "company"),
    ("apply company unknown", "secretariat", "post", "/agreements/timber/memberships", {"company": "nobody"}, 422, "company"),
    ("apply not a company", "secretariat", "post", "/agreements/timber/memberships", {"company": "clean-wear"}, 422, "company"),
    ("apply duplicate", "secretariat", "post", "/agreements/garments/memberships", {"company": "own-fashion"}, 422, "company"),
    ("apply date invalid", "secretariat", "post", "/agreements/timber/memberships", {"company": "own-fashion", "applied_on": "2019-13-45"}, 422, "applied_on"),
    ("apply date absurd", "secretariat", "post", "/agreements/timber/memberships", {"company": "own-fashion", "applied_on": "9999-01-01"}, 422, "applied_on"),
    ("apply note long", "own_company", "post", "/agreements/timber/memberships", {"company": "own-fashion", "note": LONG}, 422, "note"),
    # membership changes
    ("detail id text", "secretariat", "get", "/memberships/first", None, 422, "membership_id"),
    ("detail id huge", "secretariat", "get", "/memberships/99999999999999999999", None, 422, "membership_id"),
    ("detail id zero", "secretariat", "get", "/memberships/0", None, 422, "membership_id"),
    ("approve broken json", "secretariat", "post", "/memberships/{applicant_membership}/approve", BROKEN_JSON, 400, "body"),
    ("approve active member", "secretariat", "post", "/memberships/{own_membership}/approve", {}, 422, "status"),
    ("approve date text", "secretariat", "post", "/memberships/{applicant_membership}/approve", {"effective_on": "tomorrow"}, 422, "effective_on"),
    ("approve date before", "secretariat", "post", "/memberships/{applicant_membership}/approve", {"effective_on": "2000-01-01"}, 422, "effective_on"),
    ("approve sister long", "secretariat", "post", "/memberships/{applicant_membership}/approve", {"sister_initiative": LONG}, 422, "sister_initiative"),
    ("reject member", "secretariat", "post", "/memberships/{own_membership}/reject", {}, 422, "status"),
    ("reject note list", "secretariat", "post", "/memberships/{applicant_membership}/reject", {"note": ["no"]}, 422, "note"),
    ("suspend no note", "secretariat", "post", "/memberships/{own_membership}/suspend", {}, 422, "note"),
    ("suspend empty note", "secretariat", "post", "/memberships/{own_membership}/suspend", {"note": ""}, 422, "note"),
    ("suspend blank note", "secretariat", "post", "/memberships/{own_membership}/suspend", {"note": "   "}, 422, "note"),
    ("suspend applicant", "secretariat", "post", "/memberships/{applicant_membership}/suspend", {"note": "x"}, 422, "status"),
    ("reinstate active", "secretariat", "post", "/memberships/{own_membership}/reinstate", {}, 422, "status"),
    ("reinstate date absurd", "secretariat", "post", "/memberships/{suspended_membership}/reinstate", {"effective_on": "0001-01-01"}, 422, "effective_on"),
    ("end reason unknown", "secretariat", "post", "/memberships/{own_membership}/end", {"reason": "bored"}, 422, "reason"),
    ("end reason missing", "secretariat", "post", "/memberships/{own_membership}/end", {}, 422, "reason"),
    ("end merged into unknown", "secretariat", "post", "/memberships/{own_membership}/end", {"reason": "merged", "merged_into": "nobody"}, 422, "merged_into"),
    ("end merged into ngo", "secretariat", "post", "/memberships/{own_membership}/end", {"reason": "merged", "merged_into": "clean-wear"}, 422, "merged_into"),
    ("end merged into without merge", "secretariat", "post", "/memberships/{own_membership}/end", {"reason": "left", "merged_into": "other-apparel"}, 422, "merged_into"),
    ("end applicant", "secretariat", "post", "/memberships/{applicant_membership}/end", {"reason": "left"}, 422, "status"),
    ("end broken json", "secretariat", "post", "/memberships/{own_membership}/end", BROKEN_JSON, 400, "body"),
    # brands
    ("brand broken json", "own_company", "post", "/organisations/own-fashion/brands", BROKEN_JSON, 400, "body"),
    ("brand not utf8", "own_company", "post", "/organisations/own-fashion/brands", b"\xff\xfe{", 400, "body"),
    ("brand name list", "own_company", "post", "/organisations/own-fashion/brands", {"name": ["a", "b"]}, 422, "name"),
    ("brand name number", "own_company", "post", "/organisations/own-fashion/brands", {"name": 42}, 422, "name"),
    ("brand name long", "own_company", "post", "/organisations/own-fashion/brands", {"name": LONG}, 422, "name"),
    ("brand name empty", "own_company", "post", "/organisations/own-fashion/brands", {"name": ""}, 422, "name"),
    ("brand name blank", "own_company", "post", "/organisations/own-fashion/brands", {"name": "  "}, 422, "name"),
    ("brand duplicate", "own_company", "post", "/organisations/own-fashion/brands", {"name": "own label"}, 422, "name"),
    ("brand null body", "own_company", "post", "/organisations/own-fashion/brands", "null", 422, "body"),
    ("brand delete id text", "own_company", "delete", "/brands/abc", None, 422, "brand_id"),
    ("brand delete id huge", "own_company", "delete", "/brands/99999999999999999999", None, 422, "brand_id"),
    # turnover
    ("turnover broken json", "own_company", "put", "/companies/own-fashion/turnover/2020", BROKEN_JSON, 400, "body"),
    ("turnover year text", "own_company", "put", "/companies/own-fashion/turnover/last", {"amount_eur": 5}, 422, "year"),
    ("turnover year absurd", "own_company", "put", "/companies/own-fashion/turnover/-1", {"amount_eur": 5}, 422, "year"),
    ("turnover negative", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": -1}, 422, "amount_eur"),
    ("turnover absurd", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": "1e16"}, 422, "amount_eur"),
    ("turnover infinite", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": "Infinity"}, 422, "amount_eur"),
    ("turnover text", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": "a lot"}, 422, "amount_eur"),
    ("turnover bool", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": True}, 422, "amount_eur"),
    ("turnover too precise", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": "10.001"}, 422, "amount_eur"),
    ("turnover long", "own_company", "put", "/companies/own-fashion/turnover/2020", {"amount_eur": "9" * 10_000}, 422, "amount_eur"),
    # commitments
    ("commitment broken json", "party", "put", "/agreements/garments/parties/clean-wear/commitment", BROKEN_JSON, 400, "body"),
    ("commitment long", "party", "put", "/agreements/garments/parties/clean-wear/commitment", {"why_at_table": LONG}, 422, "why_at_table"),
    ("commitment list", "party", "put", "/agreements/garments/parties/clean-wear/commitment", {"mandate": ["a"]}, 422, "mandate"),
    ("commitment unknown field", "party", "put", "/agreements/garments/parties/clean-wear/commitment", {"vision": "x"}, 422, "vision"),
    ("target broken json", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", BROKEN_JSON, 400, "body"),
    ("target missing", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {}, 422, "description"),
    ("target year text", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": "d", "indicator": "i", "target_value": 1, "due_year": "soon"}, 422, "due_year"),
    ("target year absurd", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": "d", "indicator": "i", "target_value": 1, "due_year": 3000}, 422, "due_year"),
    ("target value absurd", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": "d", "indicator": "i", "target_value": 1e13, "due_year": 2020}, 422, "target_value"),
    ("target value text", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": "d", "indicator": "i", "target_value": "ten", "due_year": 2020}, 422, "target_value"),
    ("target description long", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": LONG, "indicator": "i", "target_value": 1, "due_year": 2020}, 422, "description"),
    ("target blank description", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {"description": "  ", "indicator": "i", "target_value": 1, "due_year": 2020}, 422, "description"),
    ("target theme unknown", "party", "post", "/agreements/garments/parties/clean-wear/commitment/targets", {
            "description": "d",
            "indicator": "i",
            "target_value": 1,
            "due_year": 2020,
            "theme": "gold",
        }, 422, "theme"),
    ("progress broken json", "party", "put", "/commitment-targets/{target}/progress/2019", BROKEN_JSON, 400, "body"),
    ("progress year text", "party", "put", "/commitment-targets/{target}/progress/now", {"value": 1}, 422, "year"),
    ("progress year absurd", "party", "put", "/commitment-targets/{target}/progress/12345", {"value": 1}, 422, "year"),
    ("progress id text", "party", "put", "/commitment-targets/abc/progress/2019", {"value": 1}, 422, "target_id"),
    ("progress value text", "party", "put", "/commitment-targets/{target}/progress/2019", {"value": "half"}, 422, "value"),
    ("progress value absurd", "party", "put", "/commitment-targets/{target}/progress/2019", {"value": "-1e13"}, 422, "value"),
    ("progress note long", "party", "put", "/commitment-targets/{target}/progress/2019", {"value": 1, "note": LONG}, 422, "note"),
]
# fmt: on


@pytest.mark.parametrize("name,role,method,url,body,status,field", BAD, ids=[row[0] for row in BAD])
def test_bad_input_is_refused_and_writes_nothing(
    world, ids, client, name, role, method, url, body, status, field
):
    headers = world.api_headers(role)  # issuing the token writes an audit row: do it first
    before = _snapshot(world)
    kwargs: dict[str, Any] = dict(headers)
    if body is not None:
        kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
        kwargs["content_type"] = "application/json"
    response = getattr(client, method)(API + url.format(**vars(ids)), **kwargs)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail and all(d["message"] for d in detail)
    if field is not None:
        assert field in [d.get("field") for d in detail], detail
    assert _snapshot(world) == before


def test_broken_json_message(world, client):
    response = client.post(
        f"{API}/organisations/own-fashion/brands",
        data=BROKEN_JSON,
        content_type="application/json",
        **world.api_headers("own_company"),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": [{"field": "body", "message": "The request body is not valid JSON."}]
    }


def test_oversized_body_is_413_json(world, ids, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    headers = world.api_headers("own_company")
    before = _snapshot(world)
    response = client.post(
        f"{API}/organisations/own-fashion/brands",
        data=json.dumps({"name": "x" * 20_000}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": [{"field": "body", "message": "The request body is too large."}]
    }
    assert _snapshot(world) == before


def test_unknown_objects_are_404(world, ids, client):
    headers = world.api_headers("secretariat")
    for method, url, body in [
        ("get", "/agreements/nope", None),
        ("get", "/agreements/nope/members", None),
        ("get", "/agreements/nope/coverage", None),
        ("get", "/organisations/nope", None),
        ("get", "/companies/nope/turnover", None),
        ("get", "/companies/clean-wear/turnover", None),
        ("get", "/memberships/999999", None),
        ("delete", "/brands/999999", None),
        ("get", "/agreements/garments/parties/own-fashion/commitment", None),
        ("put", "/commitment-targets/999999/progress/2019", {"value": 1}),
        ("post", "/agreements/nope/memberships", {"company": "own-fashion"}),
    ]:
        response = call(client, method, API + url, body, headers)
        assert response.status_code == 404, (url, response.content)
        assert response.json()["detail"][0]["message"]


# --- 3. functional ---------------------------------------------------------------------
def test_agreement_list_and_detail(world, ids, client):
    listing = client.get(f"{API}/agreements").json()
    garments = next(a for a in listing if a["slug"] == "garments")
    assert garments == {
        "slug": "garments",
        "sector": "Garment and textile",
        "name_en": "Garments and Textile",
        "name_nl": "Kleding en Textiel",
        "status": "active",
        "signed_on": "2016-07-04",
        "ends_on": "2021-07-04",
        "member_count": 3,  # own, other and the suspended one; not the applicant
    }
    detail = client.get(f"{API}/agreements/garments").json()
    assert detail["themes"][0]["code"] == "living-wage"
    assert detail["themes"][0]["name_nl"] == "Leefbaar loon"
    assert (detail["list_publication_month"], detail["list_publication_day"]) == (7, 4)
    assert detail["facility_taxonomy"] == "open-supply-hub-2023"
    assert detail["secretariat"] == world.secretariat_org.slug
    assert detail["dd_steps"] == [] and detail["coverage_targets"] == []


def test_members_and_signatories(world, ids, client):
    members = client.get(f"{API}/agreements/garments/members").json()
    assert members == [
        {
            "company": "other-apparel",
            "name": "Other Apparel BV",
            "status": "active",
            "joined_on": "2016-07-04",
            "brands": ["Other Label"],
        },
        {
            "company": "own-fashion",
            "name": "Own Fashion BV",
            "status": "active",
            "joined_on": "2016-07-04",
            "brands": ["Own Label"],
        },
        {
            "company": "paused",
            "name": "Paused BV",
            "status": "suspended",
            "joined_on": "2016-07-04",
            "brands": [],
        },
    ]
    supporter = OrganisationFactory(
        name="Friendly Foundation", slug="friendly", type=Organisation.Type.SUPPORTER
    )
    Signatory.objects.create(
        agreement=world.agreement,
        organisation=supporter,
        kind="supporter",
        declaration="We support.",
    )
    parties = client.get(f"{API}/agreements/garments/signatories?kind=party").json()
    assert [p["organisation"] for p in parties] == ["clean-wear"]
    supporters = client.get(f"{API}/agreements/garments/signatories?kind=supporter").json()
    assert supporters[0]["organisation"] == "friendly"
    assert supporters[0]["declaration"] == "We support."
    both = client.get(f"{API}/agreements/garments/signatories").json()
    assert {s["organisation"] for s in both} == {"clean-wear", "friendly"}


def test_application_approve_end_journey(world, ids, client):
    own = world.api_headers("own_company")
    sec = world.api_headers("secretariat")
    response = call(
        client,
        "post",
        f"{API}/agreements/timber/memberships",
        {"company": "own-fashion", "applied_on": "2000-01-01", "note": "Please."},
        own,
    )
    assert response.status_code == 201
    applied = response.json()
    # A company cannot backdate its application: it is today.
    assert applied["applied_on"] != "2000-01-01"
    assert applied["status"] == "applied"
    assert [e["to_status"] for e in applied["events"]] == ["applied"]
    assert applied["events"][0]["note"] == "Please."
    membership_id = applied["id"]

    listing = client.get(f"{API}/agreements/timber/memberships?status=applied", **sec).json()
    assert [m["company"] for m in listing] == ["own-fashion"]
    assert listing[0]["brand_count"] == 1

    response = call(client, "post", f"{API}/memberships/{membership_id}/approve", {}, sec)
    assert response.status_code == 200
    approved = response.json()
    assert approved["status"] == "active"
    assert approved["joined_on"] == applied["applied_on"]
    assert [(e["from_status"], e["to_status"]) for e in approved["events"]] == [
        ("", "applied"),
        ("applied", "active"),
    ]
    assert AuditEvent.objects.filter(
        action="membership.active", object_id=str(membership_id)
    ).exists()

    # The own company reads its history; the other company may not.
    assert client.get(f"{API}/memberships/{membership_id}", **own).json()["status"] == "active"
    assert (
        client.get(
            f"{API}/memberships/{membership_id}", **world.api_headers("other_company")
        ).status_code
        == 403
    )

    response = call(
        client,
        "post",
        f"{API}/memberships/{membership_id}/end",
        {"reason": "excluded", "note": "No due diligence."},
        sec,
    )
    assert response.status_code == 200
    ended = response.json()
    assert (ended["status"], ended["end_reason"]) == ("ended", "excluded")
    assert ended["events"][-1]["reason"] == "excluded"
    assert ended["events"][-1]["note"] == "No due diligence."

    # Ended: a second end is refused, a new application is possible.
    response = call(
        client, "post", f"{API}/memberships/{membership_id}/end", {"reason": "left"}, sec
    )
    assert response.status_code == 422
    response = call(
        client, "post", f"{API}/agreements/timber/memberships", {"company": "own-fashion"}, own
    )
    assert response.status_code == 201


def test_secretariat_registers_backdated_application_and_associated_member(world, ids, client):
    sec = world.api_headers("secretariat")
    response = call(
        client,
        "post",
        f"{API}/agreements/timber/memberships",
        {"company": "other-apparel", "applied_on": "2017-03-01"},
        sec,
    )
    assert response.status_code == 201
    assert response.json()["applied_on"] == "2017-03-01"
    membership_id = response.json()["id"]
    response = call(
        client,
        "post",
        f"{API}/memberships/{membership_id}/approve",
        {"effective_on": "2017-04-01", "sister_initiative": "Textilbündnis"},
        sec,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "associated"
    assert response.json()["sister_initiative"] == "Textilbündnis"
    assert response.json()["joined_on"] == "2017-04-01"


def test_suspend_reinstate_and_merge(world, ids, client):
    sec = world.api_headers("secretariat")
    url = f"{API}/memberships/{ids.own_membership}"
    response = call(
        client, "post", f"{url}/suspend", {"note": "No report.", "effective_on": "2019-02-01"}, sec
    )
    assert response.json()["status"] == "suspended"
    response = call(client, "post", f"{url}/reinstate", {"effective_on": "2019-03-01"}, sec)
    assert response.json()["status"] == "active"
    response = call(
        client,
        "post",
        f"{url}/end",
        {"reason": "merged", "merged_into": "other-apparel", "effective_on": "2019-12-01"},
        sec,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["end_reason"], body["merged_into"]) == (
        "ended",
        "merged",
        "other-apparel",
    )
    assert body["ended_on"] == "2019-12-01"

    stats = client.get(f"{API}/agreements/garments/membership-stats").json()
    by_year = {row["year"]: row for row in stats}
    assert by_year[2016]["joined"] == 3
    assert by_year[2019] == {
        "year": 2019,
        "joined": 0,
        "left": 1,
        "left_by_reason": {"merged": 1},
        "members_at_end": 2,
    }


def test_reject_application(world, ids, client):
    response = call(
        client,
        "post",
        f"{API}/memberships/{ids.applicant_membership}/reject",
        {"note": "Not in the sector."},
        world.api_headers("secretariat"),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["events"][-1]["note"] == "Not in the sector."


def test_public_coverage_is_suppressed_below_min_group_size(world, ids, client, settings):
    settings.MIN_GROUP_SIZE = 3
    points = client.get(f"{API}/agreements/garments/coverage").json()
    assert points["min_group_size"] == 3
    point_2020 = next(p for p in points["points"] if p["on"] == "2020-01-01")
    assert point_2020 == {
        "on": "2020-01-01",
        "label": "1-1-2020",
        "companies": 3,
        "reporting": None,
        "coverage_percent": None,
        "target_percent": None,
        "suppressed": True,
    }


def test_public_coverage_is_shown_from_min_group_size(world, ids, client, settings):
    settings.MIN_GROUP_SIZE = 3
    Turnover.objects.create(company=world.other_company, year=2019, amount_eur=2_345_679)
    paused = Organisation.objects.get(slug="paused")
    Turnover.objects.create(company=paused, year=2019, amount_eur=90_000_000)
    world.agreement.coverage_targets.create(year=2016, target_percent=Decimal("50"))
    points = client.get(f"{API}/agreements/garments/coverage").json()["points"]
    point_2020 = next(p for p in points if p["on"] == "2020-01-01")
    # (7,654,321 + 2,345,679 + 90,000,000) / 1,000,000,000 = 10.0 %
    assert point_2020 == {
        "on": "2020-01-01",
        "label": "1-1-2020",
        "companies": 3,
        "reporting": 3,
        "coverage_percent": 10.0,
        "target_percent": 50.0,
        "suppressed": False,
    }


def test_market_size_and_turnover_set(world, ids, client):
    sec = world.api_headers("secretariat")
    response = call(
        client,
        "put",
        f"{API}/agreements/garments/market-size/2020",
        {"amount_eur": "2500000000", "source": "CBS Statline"},
        sec,
    )
    assert response.status_code == 200
    assert response.json()["amount_eur"] == "2500000000"
    listing = client.get(f"{API}/agreements/garments/market-size", **sec).json()
    assert [(m["year"], m["amount_eur"], m["source"]) for m in listing] == [
        (2019, "1000000000", ""),
        (2020, "2500000000", "CBS Statline"),
    ]
    response = call(
        client,
        "put",
        f"{API}/companies/own-fashion/turnover/2020",
        {"amount_eur": 1234.5},
        world.api_headers("own_company"),
    )
    assert response.status_code == 200
    assert response.json()["amount_eur"] == "1234"  # whole euros (banker's rounding)
    assert Turnover.objects.get(company=world.company, year=2020).amount_eur == Decimal(1234)
    # The turnover amount stays out of the audit log.
    event = AuditEvent.objects.filter(action="turnover.set").order_by("-id").first()
    assert "1234" not in json.dumps(event.detail)


def test_brands_create_list_delete(world, ids, client):
    own = world.api_headers("own_company")
    response = call(
        client, "post", f"{API}/organisations/own-fashion/brands", {"name": " Blue "}, own
    )
    assert response.status_code == 201
    brand_id = response.json()["id"]
    assert response.json()["name"] == "Blue"
    names = [b["name"] for b in client.get(f"{API}/organisations/own-fashion/brands").json()]
    assert names == ["Blue", "Own Label"]
    response = client.delete(f"{API}/brands/{brand_id}", **own)
    assert response.status_code == 204
    assert not Brand.objects.filter(pk=brand_id).exists()
    # The other company's admin cannot remove our brand.
    response = client.delete(f"{API}/brands/{ids.own_brand}", **world.api_headers("other_company"))
    assert response.status_code == 403
    assert Brand.objects.filter(pk=ids.own_brand).exists()


def test_organisation_list_and_profile(world, ids, client):
    names = [o["slug"] for o in client.get(f"{API}/organisations?type=company").json()]
    assert names == ["applicant", "other-apparel", "own-fashion", "paused"]
    # q searches brand names too.
    found = client.get(f"{API}/organisations?q=own label").json()
    assert [o["slug"] for o in found] == ["own-fashion"]
    page = client.get(f"{API}/organisations?type=company&limit=2&offset=1").json()
    assert [o["slug"] for o in page] == ["other-apparel", "own-fashion"]
    profile = client.get(f"{API}/organisations/own-fashion").json()
    assert profile["memberships"] == [
        {"agreement": "garments", "status": "active", "joined_on": "2016-07-04"}
    ]
    assert profile["brands"] == [{"id": ids.own_brand, "name": "Own Label"}]
    party = client.get(f"{API}/organisations/clean-wear").json()
    assert [s["agreement"] for s in party["signatures"]] == ["garments"]
    assert party["signatures"][0]["kind"] == "party"
    # The applicant's pending application is not public.
    assert client.get(f"{API}/organisations/applicant").json()["memberships"] == []


def test_commitment_edit_targets_and_progress(world, ids, client):
    party = world.api_headers("party")
    url = f"{API}/agreements/garments/parties/clean-wear/commitment"
    response = call(
        client, "put", url, {"why_at_table": " Workers first. ", "contribution": "Research."}, party
    )
    assert response.status_code == 200
    assert response.json()["why_at_table"] == "Workers first."
    # Fields not sent stay; null clears.
    response = call(client, "put", url, {"contribution": None}, party)
    assert response.json()["why_at_table"] == "Workers first."
    assert response.json()["contribution"] == ""

    response = call(
        client,
        "post",
        f"{url}/targets",
        {
            "description": "Living wage benchmarks",
            "indicator": "benchmarks published",
            "baseline": "1",
            "target_value": 4,
            "unit": "benchmarks",
            "due_year": 2021,
            "theme": "living-wage",
        },
        party,
    )
    assert response.status_code == 201
    target = response.json()
    assert target["baseline"] == "1.00"
    assert target["target_value"] == "4.00"
    assert target["theme"] == "living-wage"
    assert target["progress"] == []

    response = call(
        client,
        "put",
        f"{API}/commitment-targets/{target['id']}/progress/2020",
        {"value": 2.5, "note": "On track."},
        party,
    )
    assert response.status_code == 200
    assert response.json() == {"year": 2020, "value": "2.50", "note": "On track."}

    public = client.get(url).json()
    assert public["why_at_table"] == "Workers first."
    added = next(t for t in public["targets"] if t["id"] == target["id"])
    assert added["progress"] == [{"year": 2020, "value": "2.50", "note": "On track."}]


def test_party_cannot_edit_another_partys_commitment(world, ids, client):
    union = OrganisationFactory(name="Union", slug="union", type=Organisation.Type.TRADE_UNION)
    Signatory.objects.create(agreement=world.agreement, organisation=union, kind="party")
    member = user_with_role(union, RoleName.PARTY_MEMBER, username="unionist")
    from covenant.accounts.services import api_token_issue
    from covenant.conftest import PASSWORD

    token = api_token_issue(username=member.username, password=PASSWORD, otp=None, client="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = call(
        client,
        "put",
        f"{API}/agreements/garments/parties/clean-wear/commitment",
        {"mandate": "x"},
        headers,
    )
    assert response.status_code == 403
    response = call(
        client, "put", f"{API}/commitment-targets/{ids.target}/progress/2019", {"value": 1}, headers
    )
    assert response.status_code == 403


def test_audit_log_filters(world, ids, client):
    sec = world.api_headers("secretariat")
    call(client, "post", f"{API}/memberships/{ids.applicant_membership}/approve", {}, sec)
    client.get(f"{API}/companies/own-fashion/turnover", **sec)
    rows = client.get(f"{API}/audit?action=membership.", **sec).json()
    assert [r["action"] for r in rows] == ["membership.active"]
    assert rows[0]["organisation"] == "applicant"
    assert rows[0]["actor_name"] == "sec"
    reads = client.get(f"{API}/audit?kind=read&organisation=own-fashion", **sec).json()
    assert [r["action"] for r in reads] == ["read.turnover"]
    limited = client.get(f"{API}/audit?limit=1", **sec).json()
    assert len(limited) == 1


# --- 4. OpenAPI ------------------------------------------------------------------------
def test_openapi_document_is_committed_and_served(client, db):
    from pathlib import Path

    from django.conf import settings

    from covenant.core.management.commands.openapi_export import openapi_document

    generated = json.loads(openapi_document())
    served = client.get(f"{API}/openapi.json").json()
    committed = json.loads((Path(settings.BASE_DIR) / "docs" / "openapi.json").read_text())
    assert served == generated
    assert committed == generated, "docs/openapi.json is stale: run `make openapi`"
    tags = {
        tag for path in generated["paths"].values() for op in path.values() for tag in op["tags"]
    }
    assert {"agreements", "organisations", "memberships", "coverage", "commitments"} <= tags
    for path in generated["paths"].values():
        for op in path.values():
            assert op.get("description"), op["operationId"]
