"""The annual self-assessment: opening a reporting year, membership years, prefilling from
last year with changes marked, answers checked against their criterion (nothing saved on a
problem), submission refused with the missing answers or after the deadline, scores per
section, and the role matrix: only the company itself and the secretariat (audited) see it."""

from __future__ import annotations

import datetime as dt

import pytest

from covenant.agreements.models import Membership
from covenant.agreements.tests.factories import MembershipFactory, OrganisationFactory
from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.duediligence.models import Answer, SelfAssessment
from covenant.duediligence.selectors import self_assessments as sel
from covenant.duediligence.selectors.frameworks import framework_export
from covenant.duediligence.services import frameworks as framework_services
from covenant.duediligence.services import self_assessments as services
from covenant.duediligence.tests.conftest import FAR, full_answers

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


def _start(world, round_):
    return services.self_assessment_start(round_=round_, company=world.company, actor=None)


def test_open_round_rules(world, agreement, published):
    with pytest.raises(ValidationFailed, match="No published assessment framework applies to 2016"):
        services.assessment_round_open(agreement=agreement, year=2016, deadline=FAR, actor=None)
    with pytest.raises(ValidationFailed, match="in or after the reporting year"):
        services.assessment_round_open(
            agreement=agreement, year=2018, deadline=dt.date(2017, 12, 1), actor=None
        )
    r = services.assessment_round_open(agreement=agreement, year=2018, deadline=FAR, actor=None)
    assert r.framework == published
    with pytest.raises(ValidationFailed, match="already open"):
        services.assessment_round_open(agreement=agreement, year=2018, deadline=FAR, actor=None)


def test_membership_year_and_non_members(world, round_2018):
    assert _start(world, round_2018).membership_year == 3  # joined July 2016
    newcomer = OrganisationFactory(name="New BV", slug="new")
    MembershipFactory(agreement=world.agreement, company=newcomer, joined_on=dt.date(2018, 3, 1))
    sa = services.self_assessment_start(round_=round_2018, company=newcomer, actor=None)
    assert sa.membership_year == 1
    outsider = OrganisationFactory(name="Outside BV", slug="outside")
    with pytest.raises(ValidationFailed, match="was not a member"):
        services.self_assessment_start(round_=round_2018, company=outsider, actor=None)
    applicant = OrganisationFactory(name="Applicant BV", slug="applicant")
    MembershipFactory(
        agreement=world.agreement,
        company=applicant,
        status=Membership.Status.APPLIED,
        joined_on=None,
    )
    with pytest.raises(ValidationFailed, match="was not a member"):
        services.self_assessment_start(round_=round_2018, company=applicant, actor=None)


def test_answers_are_checked_and_nothing_is_saved_on_a_problem(world, round_2018):
    sa = _start(world, round_2018)
    with pytest.raises(ValidationFailed) as exc:
        services.self_assessment_save(
            assessment=sa,
            answers={
                "policy-board": "yes",
                "risk-locations-known": 140,
                "policy-purchasing": "sometimes",
                "nonsense": 1,
            },
            actor=None,
        )
    assert exc.value.extra["errors"] == [
        {"field": "risk-locations-known", "message": "The number must be at most 100."},
        {
            "field": "policy-purchasing",
            "message": "'sometimes' is not one of the answers: none, some, integrated.",
        },
        {"field": "nonsense", "message": "There is no such question in this framework."},
    ]
    assert not Answer.objects.filter(self_assessment=sa).exclude(value=None).exists()


def test_score_per_section_and_submit(world, round_2018):
    sa = _start(world, round_2018)
    services.self_assessment_save(
        assessment=sa, answers={"policy-board": "partly", "policy-supplier-code": "yes"}, actor=None
    )
    view = sel.self_assessment_detail(sa)
    assert [(s.code, s.points, s.maximum) for s in view.score.sections][:2] == [
        ("policy", 5, 15),
        ("risk-analysis", 0, 20),
    ]
    assert view.score.percent == 5.0 and view.minimum == 60.0 and not view.meets_minimum
    with pytest.raises(ValidationFailed) as exc:
        services.self_assessment_submit(assessment=sa, actor=None)
    missing = [m["field"] for m in exc.value.extra["missing"]]
    assert "policy-document" in missing and "policy-board" not in missing
    assert "eval-public-report" not in missing  # optional
    assert len(missing) == 23
    assert exc.value.message.startswith("23 required answer(s) are missing: policy-document, ")
    services.self_assessment_save(assessment=sa, answers=full_answers(), actor=None)
    view = sel.self_assessment_detail(sa)
    assert [s.points for s in view.score.sections] == [15, 19, 40, 10, 5, 8]
    assert view.score.percent == 97.0
    services.self_assessment_submit(assessment=sa, actor=None)
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.SUBMITTED and sa.submitted_at is not None
    with pytest.raises(ValidationFailed, match="can no longer be changed"):
        services.self_assessment_save(assessment=sa, answers={"policy-board": "no"}, actor=None)
    with pytest.raises(ValidationFailed, match="Say why"):
        services.self_assessment_reopen(assessment=sa, actor=None, note=" ")
    services.self_assessment_reopen(assessment=sa, actor=None, note="Company asked to correct")
    sa.refresh_from_db()
    assert sa.status == SelfAssessment.Status.DRAFT


def test_deadline(world, agreement, published):
    r = services.assessment_round_open(
        agreement=agreement, year=2018, deadline=dt.date(2018, 6, 1), actor=None
    )
    sa = _start(world, r)
    services.self_assessment_save(assessment=sa, answers=full_answers(), actor=None)
    with pytest.raises(ValidationFailed, match=r"The deadline \(2018-06-01\) has passed"):
        services.self_assessment_submit(assessment=sa, actor=None, today=dt.date(2018, 6, 2))
    services.assessment_round_set_deadline(round_=r, deadline=dt.date(2018, 7, 1), actor=None)
    sa.refresh_from_db()
    services.self_assessment_submit(assessment=sa, actor=None, today=dt.date(2018, 6, 2))


def test_prefilled_from_last_year_with_changes_marked(world, agreement, published, round_2018):
    sa = _start(world, round_2018)
    services.self_assessment_save(assessment=sa, answers=full_answers(), actor=None)
    services.self_assessment_submit(assessment=sa, actor=None)
    # 2019 uses a new version: one criterion is gone, one is new, one changed its range.
    data = framework_export(published)
    data["valid_from_year"] = 2019
    policy = data["sections"][0]["criteria"]
    policy[2] = {**policy[2], "code": "policy-budget", "text": {"nl": "Budget?", "en": "Budget?"}}
    risk = data["sections"][1]["criteria"]
    risk[0] = {**risk[0], "options": {"min": 95, "max": 100, "unit": "%"}}
    v2 = framework_services.framework_import(agreement=agreement, data=data, actor=None)
    framework_services.framework_publish(framework=v2, actor=None)
    r2019 = services.assessment_round_open(agreement=agreement, year=2019, deadline=FAR, actor=None)
    assert r2019.framework == v2
    sa2 = _start(world, r2019)
    assert sa2.previous == sa
    answers = {a.criterion.code: a for a in sa2.answers.select_related("criterion")}
    assert answers["policy-board"].value == "yes" and not answers["policy-board"].changed
    assert answers["policy-budget"].value is None and not answers["policy-budget"].has_previous
    # 90% no longer fits the new range (95-100): not copied, so marked as changed.
    assert answers["risk-locations-known"].value is None
    assert answers["risk-locations-known"].previous_value == 90
    assert answers["risk-locations-known"].changed
    assert answers["risk-register"].value == [
        {"theme": "Living wage", "country": "BD", "severity": 4.0, "likelihood": 5.0}
    ]
    services.self_assessment_save(assessment=sa2, answers={"policy-board": "partly"}, actor=None)
    view = sel.self_assessment_detail(sa2)
    assert view.changed == 2 and view.new == 1
    years = sel.company_years(world.company, agreement)
    assert [(y.round.year, y.assessment.status, y.score.percent) for y in years] == [
        (2019, "draft", sel.self_assessment_detail(sa2).score.percent),
        (2018, "submitted", 97.0),
    ]


# --- pages and API ---------------------------------------------------------------------
@pytest.fixture
def started(world, round_2018):
    sa = _start(world, round_2018)
    services.self_assessment_save(assessment=sa, answers={"policy-board": "yes"}, actor=None)
    return sa


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/companies/own-fashion/due-diligence/", (LOGIN, 403, 200, 403, 200)),
        ("/companies/own-fashion/due-diligence/garments/2018/", (LOGIN, 403, 200, 403, 200)),
        ("/companies/own-fashion/due-diligence/garments/2017/", (LOGIN, 403, 404, 403, 404)),
        ("/companies/clean-wear/due-diligence/", (404,) * 5),
        ("/secretariat/garments/due-diligence/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/due-diligence/2018/", (LOGIN, 403, 403, 403, 200)),
    ],
)
def test_page_role_matrix(world, started, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        if status == 200 and "own-fashion" in url:
            assert b"Own Fashion BV" in response.content


def test_secretariat_reads_are_audited(world, started):
    before = AuditEvent.objects.filter(kind="read").count()
    world.client("own_company").get("/companies/own-fashion/due-diligence/garments/2018/")
    assert AuditEvent.objects.filter(kind="read").count() == before
    world.client("secretariat").get("/companies/own-fashion/due-diligence/garments/2018/")
    event = AuditEvent.objects.filter(kind="read").first()
    assert event.action == "read.self_assessment" and event.organisation == world.company
    world.client("secretariat").get("/secretariat/garments/due-diligence/2018/")
    assert AuditEvent.objects.filter(kind="read", detail__overview=True).count() == 1


def test_page_form_save_errors_and_submit(world, round_2018):
    client = world.client("own_company")
    url = "/companies/own-fashion/due-diligence/garments/2018/"
    assert b"Start the self-assessment" in client.get(url).content
    assert client.post(url, {"action": "start"}).status_code == 302
    response = client.post(
        url, {"action": "save", "a-policy-board": "yes", "a-risk-locations-known": "lots"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a number." in html and 'value="lots"' in html
    assert Answer.objects.filter(criterion__code="policy-board", value="yes").count() == 0
    post = {"action": "save"}
    for code, value in full_answers().items():
        if isinstance(value, dict):
            post[f"a-{code}-title"], post[f"a-{code}-url"] = value["title"], value["url"]
        elif isinstance(value, list):
            post[f"a-{code}-rows"] = "2"
            for key, cell in value[0].items():
                post[f"a-{code}-0-{key}"] = str(cell)
        else:
            post[f"a-{code}"] = str(value)
    assert client.post(url, post).status_code == 302
    sa = SelfAssessment.objects.get()
    assert sel.self_assessment_detail(sa).score.percent == 97.0
    assert client.post(url, {**post, "action": "submit"}).status_code == 302
    sa.refresh_from_db()
    assert sa.status == "submitted"
    html = client.get(url).content.decode()
    assert "Submitted" in html and "97.0%" in html
    # Other companies and parties cannot post either.
    for role in ("other_company", "party"):
        assert world.client(role).post(url, {"action": "save"}).status_code == 403
    # A company member (not admin) reads but cannot change.
    assert world.client("secretariat").post(url, {"action": "save"}).status_code == 403


def test_page_submit_lists_missing(world, started):
    url = "/companies/own-fashion/due-diligence/garments/2018/"
    response = world.client("own_company").post(url, {"action": "submit"})
    assert response.status_code == 422
    assert "required answer(s) are missing" in response.content.decode()
    assert "An answer is required." in response.content.decode()


def test_secretariat_opens_rounds_on_the_page(world, published):
    client = world.client("secretariat")
    url = "/secretariat/garments/due-diligence/"
    assert client.post(url, {"year": "2018", "deadline": "tomorrow"}).status_code == 422
    assert client.post(url, {"year": "2018", "deadline": "2019-05-01"}).status_code == 302
    assert client.post(url, {"year": "2018", "deadline": "2019-05-01"}).status_code == 422
    response = client.post(url + "2018/", {"deadline": "2019-06-01"})
    assert response.status_code == 302
    assert (
        world.client("own_company")
        .post(url, {"year": "2019", "deadline": "2020-01-01"})
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("get", "/api/v1/agreements/garments/assessment-rounds", (200,) * 5),
        ("get", "/api/v1/companies/own-fashion/self-assessments", (401, 403, 200, 403, 200)),
        (
            "get",
            "/api/v1/companies/own-fashion/self-assessments/garments/2018",
            (401, 403, 200, 403, 200),
        ),
        (
            "get",
            "/api/v1/companies/own-fashion/self-assessments/garments/2019",
            (401, 403, 404, 403, 404),
        ),
        (
            "put",
            "/api/v1/companies/own-fashion/self-assessments/garments/2018/answers",
            (401, 403, 200, 403, 403),
        ),
        (
            "post",
            "/api/v1/companies/own-fashion/self-assessments/garments/2018/submit",
            (401, 403, 422, 403, 403),
        ),
        ("post", "/api/v1/agreements/garments/assessment-rounds", (401, 403, 403, 403, 422)),
    ],
)
def test_api_role_matrix(world, started, method, url, expected):
    body = (
        {"answers": {"policy-board": "partly"}}
        if method == "put"
        else {"year": 2018, "deadline": "2019-01-01"}
    )
    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(world.client("anonymous"), method)(
            url, data=body, content_type="application/json", **world.api_headers(role)
        )
        assert response.status_code == status, f"{role} {method} {url}: {response.status_code}"


def test_api_cycle(world, round_2018):
    client, headers = world.client("anonymous"), world.api_headers("own_company")
    base = "/api/v1/companies/own-fashion/self-assessments"
    response = client.post(
        base,
        data={"agreement": "garments", "year": 2018},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert response.json()["membership_year"] == 3 and response.json()["score"]["maximum"] == 100
    assert (
        client.post(
            base,
            data={"agreement": "garments", "year": 2018},
            content_type="application/json",
            **headers,
        ).status_code
        == 200
    )
    url = f"{base}/garments/2018"
    response = client.put(
        url + "/answers",
        data={"answers": {"policy-board": "sure"}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["errors"] == [
        {"field": "policy-board", "message": "'sure' is not one of the answers: yes, partly, no."}
    ]
    response = client.post(url + "/submit", **headers)
    assert response.status_code == 422 and len(response.json()["detail"][0]["missing"]) == 25
    response = client.put(
        url + "/answers",
        data={"answers": full_answers()},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    score = response.json()["score"]
    assert score["percent"] == 97.0 and score["minimum_percent"] == 60.0
    assert [s["maximum"] for s in score["sections"]] == [15, 20, 40, 10, 5, 10]
    assert client.post(url + "/submit", **headers).json()["status"] == "submitted"
    listing = client.get(base, **headers).json()
    assert listing == [
        {
            "agreement": "garments",
            "year": 2018,
            "deadline": "2099-12-31",
            "status": "submitted",
            "percent": 97.0,
            "minimum_percent": 60.0,
        }
    ]
    other = world.api_headers("other_company")
    assert (
        client.post(
            base,
            data={"agreement": "garments", "year": 2018},
            content_type="application/json",
            **other,
        ).status_code
        == 403
    )
