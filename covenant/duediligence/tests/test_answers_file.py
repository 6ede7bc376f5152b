"""A whole self-assessment as a file: export as JSON and XLSX, import either back, every
problem reported with its place in the file and nothing saved then; role matrix."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from covenant.duediligence.answers_file import parse_sheet_rows
from covenant.duediligence.models import Answer
from covenant.duediligence.services import self_assessments as sa_services
from covenant.duediligence.tests.conftest import full_answers

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
URL = "/companies/own-fashion/due-diligence/garments/2018/"
API = "/api/v1/companies/own-fashion/self-assessments/garments/2018"


@pytest.fixture
def filled(world, round_2018):
    sa = sa_services.self_assessment_start(round_=round_2018, company=world.company, actor=None)
    sa_services.self_assessment_save(assessment=sa, answers=full_answers(), actor=None)
    return sa


def _upload(content: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def test_json_round_trip(world, filled, round_2018):
    client = world.client("own_company")
    response = client.get(URL + "?download=json")
    assert response["Content-Disposition"].endswith('self-assessment-own-fashion-2018.json"')
    data = json.loads(response.content)
    assert data["format"] == "covenant-self-assessment/1" and data["framework_version"] == 1
    assert data["answers"]["policy-document"]["url"] == "https://example.org/policy.pdf"
    Answer.objects.filter(self_assessment=filled).update(value=None, points=0)
    response = client.post(URL, {"action": "import", "file": _upload(response.content, "x.json")})
    assert response.status_code == 302
    assert Answer.objects.filter(self_assessment=filled, value__isnull=True).count() == 0


def test_xlsx_round_trip_and_row_errors(world, filled):
    client = world.client("own_company")
    content = client.get(URL + "?download=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == ["section", "criterion", "question", "answer_type", "answer", "last_year"]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["policy-document"][4].value == "Policy | https://example.org/policy.pdf"
    assert json.loads(rows["risk-register"][4].value)[0]["country"] == "BD"
    rows["policy-board"][4].value = "maybe"
    rows["risk-register"][4].value = "[not json"
    rows["stake-consulted"][4].value = "2"
    out = io.BytesIO()
    book.save(out)
    response = client.post(URL, {"action": "import", "file": _upload(out.getvalue(), "a.xlsx")})
    assert response.status_code == 422
    html = response.content.decode()
    row_board = rows["policy-board"][0].row
    assert f"row {row_board} (policy-board)" in html
    assert "A table answer must be JSON: a list of rows." in html
    assert Answer.objects.get(self_assessment=filled, criterion__code="stake-consulted").value == 3
    rows["policy-board"][4].value = "partly"
    rows["risk-register"][4].value = "[]"
    out = io.BytesIO()
    book.save(out)
    assert (
        client.post(
            URL, {"action": "import", "file": _upload(out.getvalue(), "a.xlsx")}
        ).status_code
        == 302
    )
    answers = dict(
        Answer.objects.filter(self_assessment=filled).values_list("criterion__code", "value")
    )
    assert answers["policy-board"] == "partly" and answers["stake-consulted"] == 2
    assert answers["risk-register"] is None


def test_sheet_parser_without_database():
    parsed = parse_sheet_rows([(1, ["Answer", "x"]), (2, ["a", "b"])], {})
    assert parsed.problems[0]["message"].startswith("The first row must name the columns")
    parsed = parse_sheet_rows(
        [(1, ["criterion", "answer"]), (2, ["a", "1"]), (3, ["a", "2"]), (4, ["", "x"])], {}
    )
    assert parsed.answers == {"a": "1"}
    assert parsed.problems == [{"field": "row 3 (a)", "message": "This criterion appears twice."}]


@pytest.mark.parametrize(
    "url,expected",
    [
        (API + "/export?format=json", (401, 403, 200, 403, 200)),
        (API + "/export?format=xlsx", (401, 403, 200, 403, 200)),
        (API + "/export?format=pdf", (422,) * 5),
    ],
)
def test_api_export_role_matrix(world, filled, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client("anonymous").get(url, **world.api_headers(role))
        assert response.status_code == status, f"{role} {url}: {response.status_code}"


def test_api_import(world, filled):
    client, headers = world.client("anonymous"), world.api_headers("own_company")
    body = json.dumps(
        {
            "format": "covenant-self-assessment/1",
            "answers": {"policy-board": "no", "risk-locations-known": 500},
        }
    )
    response = client.post(API + "/import", {"file": _upload(body.encode(), "a.json")}, **headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["errors"] == [
        {
            "field": "answers.risk-locations-known (risk-locations-known)",
            "message": "The number must be at most 100.",
        }
    ]
    body = json.dumps({"format": "covenant-self-assessment/1", "answers": {"policy-board": "no"}})
    response = client.post(API + "/import", {"file": _upload(body.encode(), "a.json")}, **headers)
    assert response.status_code == 200
    for role in ("other_company", "party", "secretariat"):
        response = client.post(
            API + "/import", {"file": _upload(body.encode(), "a.json")}, **world.api_headers(role)
        )
        assert response.status_code == 403, role
