"""Documents uploaded as answers: type and size checked, the answer refers to the upload and
earns the criterion's points, the download is for the company, the secretariat and the
assessors of the assessment only; another company's document cannot be referred to."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from covenant.core.errors import ValidationFailed
from covenant.duediligence.models import Answer, Attachment
from covenant.duediligence.services import assessments as assessment_services
from covenant.duediligence.services import self_assessments as sa_services
from covenant.duediligence.services.attachments import attachment_upload
from covenant.duediligence.tests.conftest import full_answers

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302
URL = "/companies/own-fashion/due-diligence/garments/2018/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(world, round_2018):
    return sa_services.self_assessment_start(round_=round_2018, company=world.company, actor=None)


def _pdf(name="policy.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


def test_upload_checks_and_answer(world, draft):
    with pytest.raises(ValidationFailed, match="Upload a PDF"):
        attachment_upload(
            assessment=draft, criterion_code="policy-document", upload=_pdf("x.exe"), actor=None
        )
    with pytest.raises(ValidationFailed, match="not a question that asks for a document"):
        attachment_upload(
            assessment=draft, criterion_code="policy-board", upload=_pdf(), actor=None
        )
    a = attachment_upload(
        assessment=draft, criterion_code="policy-document", upload=_pdf(), actor=None
    )
    answer = Answer.objects.get(self_assessment=draft, criterion__code="policy-document")
    assert (
        answer.value == {"title": "policy.pdf", "url": f"attachment:{a.pk}"} and answer.points == 3
    )
    # The reference survives saving the form again; another company's upload cannot be used.
    sa_services.self_assessment_save(
        assessment=draft, answers={"policy-document": answer.value}, actor=None
    )
    other = sa_services.self_assessment_start(
        round_=draft.round, company=world.other_company, actor=None
    )
    with pytest.raises(ValidationFailed) as exc:
        sa_services.self_assessment_save(
            assessment=other, answers={"policy-document": answer.value}, actor=None
        )
    assert exc.value.extra["errors"][0]["message"] == "There is no such uploaded document."


def test_too_large(draft, monkeypatch):
    from covenant.duediligence.services import attachments

    monkeypatch.setattr(attachments, "MAX_BYTES", 50)
    with pytest.raises(ValidationFailed, match="larger than 10 MB"):
        attachment_upload(
            assessment=draft, criterion_code="policy-document", upload=_pdf(), actor=None
        )
    assert not Attachment.objects.exists()


def test_page_upload_and_download_role_matrix(world, draft, staff):
    client = world.client("own_company")
    post = {"action": "save", "a-policy-document-file": _pdf(), "a-policy-board": "yes"}
    assert client.post(URL, post).status_code == 302
    a = Attachment.objects.get()
    url = f"/companies/own-fashion/due-diligence/documents/{a.pk}/"
    assert f'href="{url}"' in client.get(URL).content.decode()
    expected = (LOGIN, 403, 200, 403, 200)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, role
        if status == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Under its own company's address another company finds no such document.
    response = world.client("other_company").get(
        f"/companies/other-apparel/due-diligence/documents/{a.pk}/"
    )
    assert response.status_code == 404
    # Assessors: only those of its assessment.
    assert staff.client("anna").get(url).status_code == 403
    sa_services.self_assessment_save(
        assessment=draft,
        answers={
            **full_answers(),
            "policy-document": Answer.objects.get(
                self_assessment=draft, criterion__code="policy-document"
            ).value,
        },
        actor=None,
    )
    sa_services.self_assessment_submit(assessment=draft, actor=None)
    assessment_services.assessment_assign(
        self_assessment=draft, assessor=staff.users["anna"], actor=None
    )
    assert staff.client("anna").get(url).status_code == 200
    assert staff.client("bert").get(url).status_code == 403


def test_api_upload_and_download(world, draft):
    client, headers = world.client("anonymous"), world.api_headers("own_company")
    api = "/api/v1/companies/own-fashion/self-assessments/garments/2018/documents"
    response = client.post(api, {"criterion": "policy-document", "file": _pdf()}, **headers)
    assert response.status_code == 200
    doc = next(a for a in response.json()["answers"] if a["criterion"] == "policy-document")
    ref = doc["value"]["url"]
    assert ref.startswith("attachment:") and doc["points"] == 3
    download = f"/api/v1/companies/own-fashion/documents/{ref.split(':')[1]}"
    assert client.get(download, **headers).status_code == 200
    assert client.get(download, **world.api_headers("party")).status_code == 403
    response = client.post(api, {"criterion": "policy-board", "file": _pdf()}, **headers)
    assert response.status_code == 422
    response = client.post(
        api, {"criterion": "policy-document", "file": _pdf()}, **world.api_headers("other_company")
    )
    assert response.status_code == 403
