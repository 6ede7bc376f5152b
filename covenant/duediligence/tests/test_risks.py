"""Risk register and action plan: priority order (severity first, then likelihood) with the
reason, the company's own order with a recorded reason, sharing top priority risks with
explicit and revocable consent (parties see only what is shared), SMART targets with progress
and results recorded apart, bad input, and the role matrix of pages and API."""

from __future__ import annotations

import datetime as dt

import pytest

from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.duediligence.models import ActionTarget, Risk, RiskShare
from covenant.duediligence.priority import priority_order
from covenant.duediligence.selectors import risks as sel
from covenant.duediligence.services import risks as services

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


def risk_data(**overrides):
    data = {
        "theme": "living-wage",
        "country": "BD",
        "description": "Wages below the living wage at cut-make-trim suppliers.",
        "scale": 4,
        "scope": 4,
        "irremediable": 2,
        "likelihood": 5,
        "involvement": "contribute",
        "leverage": "medium",
    }
    data.update(overrides)
    return data


@pytest.fixture
def risks(world, agreement, published):
    """Four risks of the own company: severities 10, 12, 12, 6."""
    make = lambda **kw: services.risk_create(  # noqa: E731
        agreement=agreement, company=world.company, data=risk_data(**kw), actor=None
    )
    return {
        "wage": make(),  # severity 10, likelihood 5
        "fire": make(
            theme="health-safety",
            description="Locked fire exits.",
            scale=5,
            scope=3,
            irremediable=4,
            likelihood=3,
        ),
        "union": make(
            theme="freedom-of-association",
            description="Union organisers dismissed at two suppliers.",
            country="CN",
            scale=4,
            scope=4,
            irremediable=4,
            likelihood=4,
        ),
        "cotton": make(
            theme="raw-materials",
            country="",
            material="cotton",
            scale=2,
            scope=2,
            irremediable=2,
            likelihood=2,
            involvement="linked",
        ),
    }


def test_priority_severity_first_then_likelihood(world, agreement, risks):
    reg = sel.register(agreement, world.company)
    assert [r.risk.pk for r in reg.rows] == [
        risks["union"].pk,  # 12, likelihood 4
        risks["fire"].pk,  # 12, likelihood 3
        risks["wage"].pk,  # 10, likelihood 5: severity comes first
        risks["cotton"].pk,
    ]
    assert reg.rows[0].reason == (
        "severity 12 of 15 (scale 4, scope 4, irremediable 4), likelihood 4 of 5"
    )
    assert reg.limit == 2


def test_involvement_breaks_ties():
    class R:
        def __init__(self, pk, involvement):
            self.pk, self.involvement = pk, involvement
            self.scale = self.scope = self.irremediable = self.likelihood = 3

        @property
        def severity(self):
            return 9

    rows = priority_order([R(1, "linked"), R(2, "cause"), R(3, "contribute")])
    assert [r.risk.pk for r in rows] == [2, 3, 1]


def test_own_order_needs_a_reason_and_is_shown(world, agreement, risks):
    order = [risks["wage"].pk, risks["union"].pk]
    with pytest.raises(ValidationFailed, match="Say why"):
        services.risk_reorder(
            agreement=agreement, company=world.company, order=order, reason="", actor=None
        )
    with pytest.raises(ValidationFailed, match="not risks of your register: 999999"):
        services.risk_reorder(
            agreement=agreement, company=world.company, order=[999999], reason="x", actor=None
        )
    services.risk_reorder(
        agreement=agreement,
        company=world.company,
        order=order,
        reason="Living wage is our joint project with the union.",
        actor=None,
    )
    reg = sel.register(agreement, world.company)
    assert [r.risk.pk for r in reg.rows] == [
        risks["wage"].pk,
        risks["union"].pk,
        risks["fire"].pk,
        risks["cotton"].pk,
    ]
    assert reg.rows[0].moved and reg.rows[0].computed_rank == 3
    assert reg.rows[0].reason.endswith(
        "placed by the company (computed place 3): Living wage is our joint project with the union."
    )
    assert reg.rows[1].moved  # union: computed 1, now 2
    assert not reg.rows[3].moved
    # Back to the computed order.
    services.risk_reorder(
        agreement=agreement, company=world.company, order=[], reason="", actor=None
    )
    assert sel.register(agreement, world.company).rows[0].risk == risks["union"]


def test_bad_risk_input_lists_every_field(world, agreement, published):
    with pytest.raises(ValidationFailed) as exc:
        services.risk_create(
            agreement=agreement,
            company=world.company,
            data=risk_data(
                theme="weather",
                country="",
                scale=6,
                likelihood="often",
                involvement="owner",
                description="",
            ),
            actor=None,
        )
    fields = {e["field"]: e["message"] for e in exc.value.extra["errors"]}
    assert fields == {
        "theme": "Choose one of the agreement's themes (not 'weather').",
        "country": "Say where: a country, a facility or a material.",
        "description": "Describe the risk.",
        "scale": "Give a whole number from 1 to 5.",
        "likelihood": "Give a whole number from 1 to 5.",
        "involvement": "Choose cause, contribute or linked.",
    }
    assert not Risk.objects.exists()


def test_sharing_with_consent_top_two_and_revocable(world, agreement, risks):
    with pytest.raises(ValidationFailed, match="Tick the consent box"):
        services.risk_share(risk=risks["union"], consent=False, message="", actor=None)
    with pytest.raises(ValidationFailed, match="Only your top 2 priority risks"):
        services.risk_share(risk=risks["wage"], consent=True, message="", actor=None)
    services.risk_share(risk=risks["union"], consent=True, message="Help welcome", actor=None)
    with pytest.raises(ValidationFailed, match="already shared"):
        services.risk_share(risk=risks["union"], consent=True, message="", actor=None)
    services.risk_share(risk=risks["fire"], consent=True, message="", actor=None)
    assert [s.risk for s in sel.shared_risks(agreement)] == [risks["union"], risks["fire"]]
    # The company moves the wage risk to the top: still only two shares at a time.
    services.risk_reorder(
        agreement=agreement,
        company=world.company,
        order=[risks["wage"].pk],
        reason="joint project",
        actor=None,
    )
    with pytest.raises(ValidationFailed, match="already share 2 risks"):
        services.risk_share(risk=risks["wage"], consent=True, message="", actor=None)
    services.risk_unshare(risk=risks["fire"], actor=None)
    services.risk_share(risk=risks["wage"], consent=True, message="", actor=None)
    assert {s.risk.pk for s in sel.shared_risks(agreement)} == {risks["union"].pk, risks["wage"].pk}
    with pytest.raises(ValidationFailed, match="not shared"):
        services.risk_unshare(risk=risks["fire"], actor=None)
    assert RiskShare.objects.filter(revoked_at__isnull=False).count() == 1  # history kept
    # A closed risk is no longer shown to the parties.
    services.risk_update(risk=risks["wage"], data=risk_data(status="closed"), actor=None)
    assert {s.risk.pk for s in sel.shared_risks(agreement)} == {risks["union"].pk}


def test_action_plan_progress_and_results_apart(world, agreement, risks):
    target = {
        "target": "All tier-1 suppliers in Bangladesh pay at least the Anker benchmark",
        "measures": "Open costing, wage ladder with two suppliers",
        "owner": "Head of sourcing",
        "deadline": "2021-12-31",
        "indicator": "Share of workers paid the benchmark",
        "baseline": "10",
        "target_value": "100",
        "unit": "%",
    }
    with pytest.raises(ValidationFailed) as exc:
        services.action_create(
            risk=risks["wage"],
            data={**target, "owner": "", "deadline": "soon", "baseline": "x"},
            actor=None,
        )
    assert {e["field"] for e in exc.value.extra["errors"]} == {"owner", "deadline", "baseline"}
    action = services.action_create(risk=risks["wage"], data=target, actor=None)
    assert action.deadline == dt.date(2021, 12, 31) and action.status == "planned"
    services.action_progress_record(action=action, year=2019, value="25", note="", actor=None)
    services.action_progress_record(
        action=action, year=2019, value="30", note="corrected", actor=None
    )
    action.refresh_from_db()
    assert action.status == ActionTarget.Status.IN_PROGRESS
    assert [(p.year, str(p.value)) for p in action.progress.all()] == [(2019, "30.00")]
    with pytest.raises(ValidationFailed, match="need correcting"):
        services.action_result_record(
            action=action,
            data={"achieved_on": "2019-10-01", "description": "", "evidence_url": "ftp://x"},
            actor=None,
        )
    services.action_result_record(
        action=action,
        data={
            "achieved_on": "2019-10-01",
            "description": "Wage gap halved at supplier A",
            "evidence_url": "",
        },
        actor=None,
    )
    assert action.results.count() == 1 and action.progress.count() == 1


# --- pages and API ---------------------------------------------------------------------
@pytest.fixture
def shared_one(world, risks):
    services.risk_share(risk=risks["union"], consent=True, message="Help welcome", actor=None)
    return risks


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/companies/own-fashion/risks/", (LOGIN, 403, 200, 403, 200)),
        ("/companies/own-fashion/risks/{wage}/", (LOGIN, 403, 200, 403, 200)),
        ("/companies/other-apparel/risks/{wage}/", (LOGIN, 404, 403, 403, 404)),
        ("/agreements/garments/shared-risks/", (LOGIN, 403, 403, 200, 200)),
    ],
)
def test_page_role_matrix(world, shared_one, url, expected):
    url = url.format(wage=shared_one["wage"].pk)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"


def test_parties_see_only_what_was_shared(world, shared_one):
    html = world.client("party").get("/agreements/garments/shared-risks/").content.decode()
    assert "Freedom of association" in html and "Help welcome" in html
    assert "Wages below the living wage" not in html  # the wage risk was not shared
    data = (
        world.client("anonymous")
        .get("/api/v1/agreements/garments/shared-risks", **world.api_headers("party"))
        .json()
    )
    assert [(r["company"], r["theme"]) for r in data] == [("own-fashion", "freedom-of-association")]


def test_company_pages_add_reorder_share(world, risks):
    client = world.client("own_company")
    url = "/companies/own-fashion/risks/"
    response = client.post(url, {"action": "add", **risk_data(scale="9", theme="nope")})
    assert response.status_code == 422
    assert "Give a whole number from 1 to 5." in response.content.decode()
    response = client.post(url, {"action": "add", **risk_data(theme="child-labour", country="IN")})
    assert response.status_code == 302
    assert Risk.objects.filter(theme__code="child-labour").count() == 1
    post = {"action": "reorder", "reason": "our own view", f"pos-{risks['cotton'].pk}": "0.5"}
    assert client.post(url, post).status_code == 302
    assert sel.register(world.agreement, world.company).rows[0].risk == risks["cotton"]
    response = client.post(url, {"action": "share", "risk": risks["cotton"].pk})
    assert response.status_code == 422 and "Tick the consent box" in response.content.decode()
    assert (
        client.post(
            url, {"action": "share", "risk": risks["cotton"].pk, "consent": "1"}
        ).status_code
        == 302
    )
    assert RiskShare.objects.filter(risk=risks["cotton"], revoked_at__isnull=True).exists()
    assert client.post(url, {"action": "unshare", "risk": risks["cotton"].pk}).status_code == 302
    assert not RiskShare.objects.filter(revoked_at__isnull=True).exists()
    # Another company cannot change this register.
    assert (
        world.client("other_company").post(url, {"action": "add", **risk_data()}).status_code == 403
    )
    risk_url = f"/companies/own-fashion/risks/{risks['wage'].pk}/"
    response = client.post(
        risk_url,
        {
            "action": "add_target",
            "target": "x",
            "measures": "y",
            "owner": "z",
            "deadline": "2021-01-01",
            "indicator": "i",
            "baseline": "0",
            "target_value": "5",
        },
    )
    assert response.status_code == 302
    target = ActionTarget.objects.get()
    assert (
        client.post(
            risk_url, {"action": "progress", "target_id": target.pk, "year": "2019", "value": "2"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            risk_url,
            {
                "action": "result",
                "target_id": target.pk,
                "achieved_on": "2019-05-01",
                "description": "done",
            },
        ).status_code
        == 302
    )
    html = client.get(risk_url).content.decode()
    assert "2019: 2.00" in html and "done" in html


def test_secretariat_reads_risks_audited(world, risks):
    world.client("secretariat").get("/companies/own-fashion/risks/")
    assert AuditEvent.objects.filter(
        kind="read", action="read.risks", organisation=world.company
    ).exists()


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("get", "/api/v1/companies/own-fashion/risks", (401, 403, 200, 403, 200)),
        ("get", "/api/v1/companies/own-fashion/risks/{wage}", (401, 403, 200, 403, 200)),
        ("put", "/api/v1/companies/own-fashion/risks/{wage}", (401, 403, 200, 403, 403)),
        ("post", "/api/v1/companies/own-fashion/risks", (401, 403, 201, 403, 403)),
        ("get", "/api/v1/agreements/garments/shared-risks", (401, 403, 403, 200, 200)),
        ("delete", "/api/v1/companies/own-fashion/risks/{union}/share", (401, 403, 200, 403, 403)),
    ],
)
def test_api_role_matrix(world, shared_one, method, url, expected):
    url = url.format(wage=shared_one["wage"].pk, union=shared_one["union"].pk)
    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(world.client("anonymous"), method)(
            url, data=risk_data(), content_type="application/json", **world.api_headers(role)
        )
        assert response.status_code == status, f"{role} {method} {url}: {response.status_code}"


def test_api_register_order_share_actions(world, risks):
    client, headers = world.client("anonymous"), world.api_headers("own_company")
    data = client.get("/api/v1/companies/own-fashion/risks", **headers).json()
    assert [r["id"] for r in data["risks"]][:2] == [risks["union"].pk, risks["fire"].pk]
    assert data["risks"][0]["severity"] == 12 and data["share_limit"] == 2
    response = client.post(
        "/api/v1/companies/own-fashion/risk-order",
        data={"order": [risks["cotton"].pk], "reason": ""},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    response = client.post(
        f"/api/v1/companies/own-fashion/risks/{risks['union'].pk}/share",
        data={"consent": True},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["shared"] is True
    response = client.post(
        f"/api/v1/companies/own-fashion/risks/{risks['union'].pk}/actions",
        data={
            "target": "Union access at 10 factories",
            "measures": "Training",
            "owner": "CSR",
            "deadline": "2020-12-31",
            "indicator": "factories",
            "baseline": 0,
            "target_value": 10,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    action_id = response.json()["id"]
    response = client.post(
        f"/api/v1/companies/own-fashion/risks/{risks['union'].pk}/actions/{action_id}/progress",
        data={"year": 2019, "value": 4},
        content_type="application/json",
        **headers,
    )
    assert response.json()["progress"] == [{"year": 2019, "value": "4.00", "note": ""}]
    response = client.post(
        "/api/v1/companies/own-fashion/risks",
        data=risk_data(scale=0),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["errors"] == [
        {"field": "scale", "message": "Give a whole number from 1 to 5."}
    ]


def test_country_risk_hints_from_the_framework(world, agreement, risks):
    reg = sel.register(agreement, world.company)
    hints = {row.risk.pk: hint for row, hint in reg.rows_with_hints if hint}
    # The demo framework rates living wage and health and safety in BD high.
    assert hints[risks["wage"].pk].level == "high"
    assert hints[risks["fire"].pk].level == "high"
    assert hints[risks["union"].pk].level == "high"  # freedom of association, CN
    assert risks["cotton"].pk not in hints  # a material, no country
    html = world.client("own_company").get("/companies/own-fashion/risks/").content.decode()
    assert "agreement: High risk" in html
    data = (
        world.client("anonymous")
        .get("/api/v1/companies/own-fashion/risks", **world.api_headers("own_company"))
        .json()
    )
    assert {r["id"]: r["country_hint"] for r in data["risks"]}[risks["cotton"].pk] is None
    page = world.client("anonymous").get("/agreements/garments/framework/").content.decode()
    assert "Country risks per theme" in page and "Spinning mills in South India." in page
