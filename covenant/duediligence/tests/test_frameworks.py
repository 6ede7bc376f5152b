"""Assessment frameworks: the demo framework (five sections along the OECD steps plus results,
targets and actions 40% of the points, minimums 20/40/60%, three outcome categories), import
with every problem reported, export and re-import giving the same framework, versioning
(published versions never change), scoring rules, and the role matrix of pages and API."""

from __future__ import annotations

import copy
import io
import json

import pytest

from covenant.core.errors import ValidationFailed
from covenant.duediligence import scoring
from covenant.duediligence.demo import THEMES, garment_framework_file
from covenant.duediligence.models import Criterion, Framework
from covenant.duediligence.selectors import frameworks as sel
from covenant.duediligence.services import frameworks as services

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


def test_demo_framework_shape(published):
    view = sel.framework_detail(published)
    assert [s.section.code for s in view.sections] == [
        "policy",
        "risk-analysis",
        "targets-actions",
        "evaluation-communication",
        "stakeholders",
        "results",
    ]
    assert [s.maximum for s in view.sections] == [15, 20, 40, 10, 5, 10]
    assert view.maximum == 100
    targets = view.sections[2]
    assert targets.share_percent == 40.0
    assert {c.theme.code for c in targets.criteria if c.theme} == {c for c, _n, _e in THEMES}
    assert view.sections[5].section.kind == "results"
    assert [s.section.oecd_steps for s in view.sections][:3] == [[1], [2], [3]]
    assert view.minimums == [(1, 20.0), (2, 40.0), (3, 60.0)]
    assert [o.code for o in view.outcomes] == ["fully-compliant", "on-track", "not-meeting"]
    types = {c.answer_type for c in view.criteria}
    assert types == {"yes_no_partly", "choice", "number", "text", "document", "table"}
    assert published.status == Framework.Status.PUBLISHED and published.version == 1


def test_export_then_import_is_the_same_framework(published, agreement):
    data = sel.framework_export(published)
    again = services.framework_import(
        agreement=agreement, data=json.loads(json.dumps(data)), actor=None
    )
    assert again.version == 2 and again.status == Framework.Status.DRAFT
    exported = sel.framework_export(again)
    data.pop("source"), exported.pop("source")
    assert exported == data


def test_import_reports_every_problem_and_saves_nothing(agreement):
    data = garment_framework_file()
    bad = copy.deepcopy(data)
    bad["format"] = "other"
    bad["sections"][0]["criteria"][0]["points"] = 9  # the rule gives 3
    bad["sections"][1]["oecd_steps"] = [7]
    bad["sections"][2]["criteria"][1]["theme"] = "no-such-theme"
    bad["sections"][3]["criteria"][0]["answer_type"] = "essay"
    bad["sections"][4]["code"] = "policy"
    bad["minimums"] = [{"membership_year": 2, "min_percent": 140}]
    bad["outcomes"][2]["rule"] = {"total_at_least": 10, "magic": 1}
    with pytest.raises(ValidationFailed) as exc:
        services.framework_import(agreement=agreement, data=bad, actor=None)
    fields = {e["field"]: e["message"] for e in exc.value.extra["errors"]}
    assert fields["format"] == "The format must be 'covenant-framework/1'."
    assert fields["sections[0].criteria[0].points"] == (
        "The points (9) must equal the most the scoring rule gives (3)."
    )
    assert fields["sections[1].oecd_steps"].startswith("7 is not a due diligence step")
    assert (
        fields["sections[2].criteria[1].theme"]
        == "'no-such-theme' is not a theme of this agreement."
    )
    assert "sections[3].criteria[0].answer_type" in fields
    assert fields["sections[4].code"] == "The code 'policy' is used twice."
    assert fields["minimums[0].min_percent"] == "Must be between 0 and 100."
    assert fields["minimums"] == "A minimum for membership year 1 is required."
    assert "outcomes[2].rule.magic" in fields
    assert fields["outcomes[2].rule"].startswith(
        "The last outcome category must have an empty rule"
    )
    assert not Framework.objects.exists()
    with pytest.raises(ValidationFailed):
        services.framework_import(agreement=agreement, data=[1, 2], actor=None)


def test_versions_published_ones_never_change(published, agreement):
    with pytest.raises(ValidationFailed, match="only a draft can be published"):
        services.framework_publish(framework=published, actor=None)
    with pytest.raises(ValidationFailed, match="Only a draft"):
        services.framework_delete_draft(framework=published, actor=None)
    v2 = services.framework_new_version(framework=published, valid_from_year=2019, actor=None)
    assert sel.framework_for_year(agreement, 2019) == published  # v2 still a draft
    services.framework_publish(framework=v2, actor=None)
    assert sel.framework_for_year(agreement, 2018) == published
    assert sel.framework_for_year(agreement, 2019) == v2
    assert sel.framework_for_year(agreement, 2016) is None
    assert sel.framework_current(agreement) == v2
    # Each version has its own criteria rows: old assessments keep pointing at v1's.
    assert Criterion.objects.filter(section__framework=published).count() == 27
    assert Criterion.objects.filter(section__framework=v2).count() == 27
    v3 = services.framework_new_version(framework=v2, valid_from_year=2019, actor=None)
    services.framework_publish(framework=v3, actor=None)
    v2.refresh_from_db()
    assert v2.status == Framework.Status.RETIRED  # same first year: the older one retires
    with pytest.raises(ValidationFailed, match="between 2000 and 2100"):
        services.framework_new_version(framework=v2, valid_from_year=1900, actor=None)


class C:
    def __init__(self, answer_type, points, scoring_rule, options=None):
        self.answer_type, self.points, self.scoring, self.options = (
            answer_type,
            points,
            scoring_rule,
            options or {},
        )


def test_answers_are_validated_against_their_type_and_range():
    ynp = C("yes_no_partly", 4, {"points": {"yes": 4, "partly": 2, "no": 0}})
    assert scoring.clean_answer(ynp, " partly ") == "partly"
    assert scoring.answer_points(ynp, "partly") == 2
    with pytest.raises(
        scoring.AnswerError, match="'maybe' is not one of the answers: yes, partly, no"
    ):
        scoring.clean_answer(ynp, "maybe")
    number = C("number", 5, {"thresholds": [[50, 2], [80, 4], [100, 5]]}, {"min": 0, "max": 100})
    assert scoring.clean_answer(number, "85,5") == 85.5
    assert scoring.answer_points(number, 85.5) == 4
    assert scoring.answer_points(number, 49) == 0
    with pytest.raises(scoring.AnswerError, match="at most 100"):
        scoring.clean_answer(number, 101)
    with pytest.raises(scoring.AnswerError, match="Enter a number"):
        scoring.clean_answer(number, "lots")
    doc = C("document", 3, {"provided": 3})
    assert scoring.clean_answer(doc, "https://example.org/policy.pdf")["url"] == (
        "https://example.org/policy.pdf"
    )
    with pytest.raises(scoring.AnswerError, match="https://"):
        scoring.clean_answer(doc, {"title": "x", "url": "javascript:alert(1)"})
    table = C(
        "table",
        5,
        {"provided": 5},
        {
            "columns": [{"key": "theme", "type": "text"}, {"key": "severity", "type": "number"}],
            "max_rows": 2,
        },
    )
    assert scoring.clean_answer(table, [{"theme": "Living wage", "severity": "4"}, {}]) == [
        {"theme": "Living wage", "severity": 4.0}
    ]
    with pytest.raises(scoring.AnswerError, match="Row 1, column severity: enter a number"):
        scoring.clean_answer(table, [{"severity": "high"}])
    with pytest.raises(scoring.AnswerError, match="unknown column colour"):
        scoring.clean_answer(table, [{"colour": "red"}])
    assert scoring.clean_answer(table, []) is None
    text = C("text", 2, {"provided": 2}, {"max_length": 5})
    with pytest.raises(scoring.AnswerError, match="6 characters; at most 5"):
        scoring.clean_answer(text, "abcdef")


def test_outcome_rules_and_minimums():
    outcomes = [(o["code"], o["rule"]) for o in garment_framework_file()["outcomes"]]
    minimums = [(1, 20), (2, 40), (3, 60)]
    assert [scoring.minimum_for_year(minimums, y) for y in (1, 2, 3, 4, 9)] == [20, 40, 60, 60, 60]

    def score(*pairs):
        return scoring.Score(
            tuple(scoring.SectionScore(str(i), "", p, m) for i, (p, m) in enumerate(pairs))
        )

    strong = score((8, 10), (60, 90))  # 68%, every section >= 50%
    assert scoring.propose_outcome(outcomes, strong, 60) == "fully-compliant"
    lopsided = score((2, 10), (66, 90))  # 68% but one section at 20%
    assert scoring.propose_outcome(outcomes, lopsided, 60) == "on-track"
    assert scoring.propose_outcome(outcomes, score((3, 10), (27, 90)), 20) == "on-track"
    assert scoring.propose_outcome(outcomes, score((3, 10), (27, 90)), 40) == "not-meeting"


# --- pages and API: the role matrix ----------------------------------------------------
@pytest.mark.parametrize(
    "url,expected",
    [
        ("/agreements/garments/framework/", (200,) * 5),
        ("/agreements/garments/framework/?version=1", (200,) * 5),
        ("/agreements/garments/framework/?version=2", (404, 404, 404, 404, 200)),  # a draft
        ("/agreements/garments/framework/v1.json", (200,) * 5),
        ("/agreements/garments/framework/v2.json", (404, 404, 404, 404, 200)),
        ("/agreements/garments/framework/v9.json", (404,) * 5),
        ("/agreements/nope/framework/", (404,) * 5),
        ("/secretariat/garments/frameworks/", (LOGIN, 403, 403, 403, 200)),
    ],
)
def test_page_role_matrix(world, published, url, expected):
    services.framework_new_version(framework=published, valid_from_year=2019, actor=None)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"


def test_framework_page_shows_section_maxima(world, published):
    html = world.client("own_company").get("/agreements/garments/framework/").content.decode()
    assert "Targets and actions on all themes" in html
    assert "40.0%" in html and ">100<" in html
    assert "Membership year 3 and later: 60.0% of the maximum" in html


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("get", "/api/v1/agreements/garments/frameworks", (200,) * 5),
        ("get", "/api/v1/agreements/garments/frameworks/current", (200,) * 5),
        ("get", "/api/v1/agreements/garments/frameworks/1", (200,) * 5),
        ("get", "/api/v1/agreements/garments/frameworks/2", (404, 404, 404, 404, 200)),
        ("get", "/api/v1/agreements/garments/frameworks/1/export", (200,) * 5),
        ("post", "/api/v1/agreements/garments/frameworks/2/publish", (401, 403, 403, 403, 200)),
        ("post", "/api/v1/agreements/garments/frameworks/1/publish", (401, 403, 403, 403, 422)),
    ],
)
def test_api_role_matrix(world, published, method, url, expected):
    services.framework_new_version(framework=published, valid_from_year=2019, actor=None)
    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(world.client("anonymous"), method)(url, **world.api_headers(role))
        assert response.status_code == status, f"{role} {url}: {response.status_code}"


def test_api_lists_drafts_only_to_the_secretariat(world, published):
    services.framework_new_version(framework=published, valid_from_year=2019, actor=None)
    url = "/api/v1/agreements/garments/frameworks"
    public = world.client("anonymous").get(url).json()
    assert [(f["version"], f["status"], f["maximum"]) for f in public] == [(1, "published", 100)]
    sec = world.client("anonymous").get(url, **world.api_headers("secretariat")).json()
    assert [f["version"] for f in sec] == [2, 1]
    detail = world.client("anonymous").get(url + "/1").json()
    assert [s["maximum"] for s in detail["sections"]] == [15, 20, 40, 10, 5, 10]


def test_api_import_and_errors(world, agreement):
    url = "/api/v1/agreements/garments/frameworks"
    headers = world.api_headers("secretariat")
    client = world.client("anonymous")
    bad = garment_framework_file()
    bad["sections"][0]["criteria"][0]["scoring"] = {"provided": "lots"}
    response = client.post(url, data=bad, content_type="application/json", **headers)
    assert response.status_code == 422
    errors = response.json()["detail"][0]["errors"]
    assert errors == [
        {
            "field": "sections[0].criteria[0].scoring.provided",
            "message": "A whole number is required.",
        }
    ]
    response = client.post(
        url, data=garment_framework_file(), content_type="application/json", **headers
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    response = client.post(
        url + "/1/new-version",
        data={"valid_from_year": 2020},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201 and response.json()["version"] == 2
    other = world.api_headers("own_company")
    assert (
        client.post(
            url, data=garment_framework_file(), content_type="application/json", **other
        ).status_code
        == 403
    )


def test_secretariat_page_import_publish_copy_delete(world, agreement):
    client = world.client("secretariat")
    url = "/secretariat/garments/frameworks/"
    upload = io.BytesIO(b'{"format": "covenant-framework/1", "sections": []')
    upload.name = "f.json"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200  # not JSON: message, nothing saved
    assert "not valid JSON" in response.content.decode()
    bad = garment_framework_file()
    bad["minimums"] = []
    upload = io.BytesIO(json.dumps(bad).encode())
    upload.name = "f.json"
    response = client.post(url, {"file": upload})
    assert response.status_code == 422
    assert "A minimum for membership year 1 is required." not in response.content.decode()
    assert (
        "At least one minimum score (for membership year 1) is required."
        in response.content.decode()
    )
    upload = io.BytesIO(json.dumps(garment_framework_file()).encode())
    upload.name = "f.json"
    assert client.post(url, {"file": upload}).status_code == 302
    framework = Framework.objects.get()
    assert client.post(url + "v1/", {"action": "publish"}).status_code == 302
    framework.refresh_from_db()
    assert framework.status == Framework.Status.PUBLISHED
    client.post(url + "v1/", {"action": "copy", "valid_from_year": "2020"})
    assert Framework.objects.get(version=2).valid_from_year == 2020
    client.post(url + "v2/", {"action": "delete"})
    assert not Framework.objects.filter(version=2).exists()
    assert world.client("own_company").post(url + "v1/", {"action": "publish"}).status_code == 403


def test_country_risks_in_the_file(agreement):
    bad = garment_framework_file()
    bad["country_risks"] = [
        {"theme": "weather", "country": "BD", "level": "high"},
        {"theme": "living-wage", "country": "Bangladesh", "level": "severe"},
        {"theme": "child-labour", "country": "IN", "level": "high"},
        {"theme": "child-labour", "country": "in", "level": "low"},
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.framework_import(agreement=agreement, data=bad, actor=None)
    fields = {e["field"]: e["message"] for e in exc.value.extra["errors"]}
    assert fields == {
        "country_risks[0].theme": "'weather' is not a theme of this agreement.",
        "country_risks[1].country": "Give a two-letter country code.",
        "country_risks[1].level": "The level must be high, medium or low.",
        "country_risks[3]": "This theme and country are given twice.",
    }
    framework = services.framework_import(
        agreement=agreement, data=garment_framework_file(), actor=None
    )
    assert framework.country_risks.count() == 7
    assert sel.framework_export(framework)["country_risks"][0]["note"]["en"]


def test_every_due_diligence_endpoint_is_described():
    from config.api import api

    schema = api.get_openapi_schema()
    ops = [
        op
        for ops in schema["paths"].values()
        for op in ops.values()
        if "duediligence" in op["operationId"]
    ]
    assert len(ops) == 44
    assert [op["operationId"] for op in ops if not op.get("description")] == []
