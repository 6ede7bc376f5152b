"""The complaints procedure: who sees a case at each stage (anonymous, another company, the
company complained about, the filing party, the secretariat, a committee member, a recused
member), the public register without names, the procedure from filing to the published
ruling, messages and documents seen only by those they are for, bad input, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from covenant.accounts.middleware import SESSION_VERIFIED_KEY
from covenant.accounts.models import RoleName, User
from covenant.agreements.models import Organisation
from covenant.agreements.tests.factories import OrganisationFactory, user_with_role
from covenant.complaints import services
from covenant.complaints.models import Complaint, ComplaintDocument, ComplaintMessage, Stage

pytestmark = pytest.mark.django_db
ROLES = (
    "anonymous",
    "other_company",
    "own_company",
    "party",
    "secretariat",
    "committee",
    "recused",
)
LOGIN = 302
SECRET_TEXT = "Overtime of 80 hours a week at the Valuka Road factory"


@dataclass
class Case:
    world: object
    complaint: Complaint
    member: User
    recused: User

    def client(self, role: str) -> Client:
        if role in ("committee", "recused"):
            user = self.member if role == "committee" else self.recused
            client = Client()
            client.force_login(user)
            session = client.session
            session[SESSION_VERIFIED_KEY] = user.pk
            session.save()
            return client
        return self.world.client(role)  # type: ignore[attr-defined]


@pytest.fixture
def case(world) -> Case:
    committee = OrganisationFactory(
        name="Complaints Committee", slug="committee", type=Organisation.Type.COMMITTEE
    )
    world.agreement.committee = committee
    world.agreement.save()
    member = user_with_role(committee, RoleName.COMMITTEE_MEMBER, username="member", email="m@x.nl")
    recused = user_with_role(
        committee, RoleName.COMMITTEE_MEMBER, username="recused", email="r@x.nl"
    )
    complaint = services.complaint_file(
        agreement=world.agreement,
        kind="workers",
        filer_org=world.party_org,
        respondent=world.company,
        subject="Forced overtime at a supplier",
        description=SECRET_TEXT,
        on_behalf_of="workers of Pioneer Knitwear",
        country="BD",
        theme=world.agreement.themes.first(),
        actor=world.users["party"],
    )
    services.conflict_declare(complaint=complaint, member=recused, reason="I advised the company")
    return Case(world, complaint, member, recused)


def _statuses(case: Case, url: str) -> tuple[int, ...]:
    return tuple(case.client(role).get(url).status_code for role in ROLES)


def test_case_page_role_matrix_through_the_stages(case):
    url = f"/complaints/{case.complaint.reference}/"
    # Filed: the company complained about does not see it yet; the secretariat never does.
    assert _statuses(case, url) == (LOGIN, 404, 404, 200, 404, 200, 404)
    services.complaint_admissibility(
        complaint=case.complaint, admissible=True, reasons="Within scope", actor=case.member
    )
    assert _statuses(case, url) == (LOGIN, 404, 200, 200, 404, 200, 404)
    for role in ("other_company", "secretariat", "recused"):
        body = case.client(role).get(url).content
        assert SECRET_TEXT.encode() not in body
    # The lists follow the same rule.
    committee_list = "/committee/garments/complaints/"
    assert _statuses(case, committee_list) == (LOGIN, 403, 403, 403, 403, 200, 200)
    assert case.complaint.reference.encode() in case.client("committee").get(committee_list).content
    assert (
        case.complaint.reference.encode() not in case.client("recused").get(committee_list).content
    )
    mine = [case.client(r).get("/complaints/") for r in ROLES]
    assert mine[0].status_code == LOGIN
    assert [case.complaint.reference.encode() in r.content for r in mine[1:]] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]


def test_public_register_shows_no_names(case):
    for role in ROLES:
        response = case.client(role).get("/agreements/garments/complaints/?country=bd&theme=zz")
        assert response.status_code == 200
    body = Client().get("/agreements/garments/complaints/").content.decode()
    assert case.complaint.reference in body and "BD" in body and "Living wage" in body
    for secret in ("Own Fashion", "Clean Wear", "Forced overtime", SECRET_TEXT, "Pioneer"):
        assert secret not in body
    # Nothing published yet: the ruling page is not found.
    assert (
        Client()
        .get(f"/agreements/garments/complaints/rulings/{case.complaint.reference}/")
        .status_code
        == 404
    )


def test_the_procedure_from_filing_to_published_ruling(case, django_capture_on_commit_callbacks):
    ref = case.complaint.reference
    url = f"/complaints/{ref}/"
    committee, company, party = (
        case.client("committee"),
        case.client("own_company"),
        case.client("party"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(url, {"action": "admissible", "reasons": "It concerns a member's supplier."})
    assert Complaint.objects.get().stage == Stage.RESPONSE
    # Both sides agree to mediation.
    party.post(url, {"action": "consent", "consent": "yes"})
    assert Complaint.objects.get().stage == Stage.RESPONSE
    company.post(url, {"action": "consent", "consent": "yes"})
    assert Complaint.objects.get().stage == Stage.MEDIATION
    # Mediation fails; a hearing; the final ruling; published.
    committee.post(url, {"action": "hearing_plan", "note": "Mediation did not succeed"})
    committee.post(
        url,
        {
            "action": "hearing_record",
            "held_on": "2026-11-20",
            "place": "The Hague",
            "participants": "Both sides",
            "minutes": "The company admitted the overtime.",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(
            url,
            {
                "action": "ruling",
                "kind": "final",
                "outcome": "upheld",
                "text_en": "The complaint is well-founded. The company shall remediate.",
                "text_nl": "De klacht is gegrond. Het bedrijf herstelt de schade.",
            },
        )
    complaint = Complaint.objects.get()
    assert complaint.stage == Stage.FOLLOW_UP and complaint.outcome == "upheld"
    assert complaint.due_on == dt.date.today() + dt.timedelta(days=180) or complaint.due_on
    ruling = complaint.rulings.get()
    assert "well-founded" in party.get(url).content.decode()
    committee.post(url, {"action": "publish", "ruling": str(ruling.pk)})
    register = Client().get("/agreements/garments/complaints/?q=remediate").content.decode()
    assert ref in register and "well-founded" in register
    page = Client().get(f"/agreements/garments/complaints/rulings/{ref}/")
    assert page.status_code == 200 and b"shall remediate" in page.content
    nl = Client()
    nl.cookies["django_language"] = "nl"
    assert (
        "Het bedrijf herstelt"
        in nl.get(f"/agreements/garments/complaints/rulings/{ref}/").content.decode()
    )
    committee.post(url, {"action": "close", "note": "Remediation paid to 40 workers."})
    assert Complaint.objects.get().stage == Stage.CLOSED
    # E-mails went to the people concerned and never carried the case's text.
    assert mail.outbox
    for message in mail.outbox:
        assert SECRET_TEXT not in message.body and "well-founded" not in message.body
    assert "r@x.nl" not in {addr for m in mail.outbox for addr in m.to}


def test_messages_and_documents_reach_only_those_they_are_for(case):
    services.complaint_admissibility(
        complaint=case.complaint, admissible=True, reasons="Within scope", actor=case.member
    )
    url = f"/complaints/{case.complaint.reference}/"
    committee, company, party = (
        case.client("committee"),
        case.client("own_company"),
        case.client("party"),
    )
    committee.post(url, {"action": "message", "to_side": "filer", "body": "Question for the union"})
    company.post(
        url, {"action": "message", "to_side": "filer", "body": "Our answer for the committee"}
    )
    sent = ComplaintMessage.objects.get(body="Our answer for the committee")
    assert sent.to_side == "committee"  # a side writes to the committee only
    assert b"Question for the union" in party.get(url).content
    assert b"Question for the union" not in company.get(url).content
    assert b"Our answer for the committee" not in party.get(url).content
    assert b"Our answer for the committee" in committee.get(url).content
    pdf = SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit report")
    company.post(url, {"action": "document", "title": "Audit report", "file": pdf})  # not shared
    doc = ComplaintDocument.objects.get()
    assert not doc.shared
    doc_url = f"{url}documents/{doc.pk}/"
    assert company.get(doc_url).status_code == 200
    assert committee.get(doc_url).status_code == 200
    assert party.get(doc_url).status_code == 404
    assert case.client("recused").get(doc_url).status_code == 404
    # A file that is not what it says is refused with a message.
    fake = SimpleUploadedFile("photo.png", b"GIF89a not a png")
    response = party.post(url, {"action": "document", "title": "Photo", "file": fake}, follow=True)
    assert b"not what its extension says" in response.content
    assert ComplaintDocument.objects.count() == 1


def test_bad_input_and_wrong_steps(case):
    url = f"/complaints/{case.complaint.reference}/"
    committee = case.client("committee")
    # A ruling before admissibility is not a step of this stage: a message, nothing changes.
    response = committee.post(
        url, {"action": "ruling", "kind": "final", "outcome": "upheld", "text_en": "x"}, follow=True
    )
    assert response.status_code == 200 and b"msg-error" in response.content
    assert Complaint.objects.get().stage == Stage.FILED
    response = committee.post(url, {"action": "admissible", "reasons": "   "}, follow=True)
    assert b"required" in response.content and Complaint.objects.get().stage == Stage.FILED
    # A side cannot take the committee's steps.
    assert (
        case.client("party").post(url, {"action": "admissible", "reasons": "x"}).status_code == 403
    )
    # Filing: the form says what is missing; nothing is stored.
    before = Complaint.objects.count()
    response = case.client("party").post("/agreements/garments/complaints/file/", {"subject": ""})
    assert response.status_code == 422 and b"errorlist" in response.content
    filer = f"workers:{case.world.party_org.pk}"  # type: ignore[attr-defined]
    response = case.client("party").post(
        "/agreements/garments/complaints/file/",
        {
            "filer": filer,
            "respondent": str(case.world.company.pk),  # type: ignore[attr-defined]
            "subject": "<script>alert(1)</script>",
            "description": "Wages withheld",
            "country": "B1",
        },
    )
    assert response.status_code == 422 and b"ISO code" in response.content
    assert b"<script>alert(1)</script>" not in response.content
    assert Complaint.objects.count() == before
    assert (
        case.client("secretariat").get("/agreements/garments/complaints/file/").status_code == 403
    )


def test_filing_through_the_form_and_rules_per_agreement(case):
    world = case.world
    response = case.client("own_company").post(
        "/agreements/garments/complaints/file/",
        {
            "filer": f"company:{world.company.pk}",  # type: ignore[attr-defined]
            "respondent": str(world.agreement.secretariat_id),  # type: ignore[attr-defined]
            "subject": "Our assessment score",
            "description": "The assessor did not count our remediation results.",
        },
    )
    assert response.status_code == 302
    filed = Complaint.objects.get(subject="Our assessment score")
    assert filed.kind == "company" and filed.stage == Stage.FILED and filed.due_on is not None
    from covenant.complaints.models import ComplaintRules

    ComplaintRules.objects.create(agreement=world.agreement, filer_kinds=["workers", "party"])  # type: ignore[attr-defined]
    with pytest.raises(Exception, match="cannot be filed"):
        services.complaint_file(
            agreement=world.agreement,  # type: ignore[attr-defined]
            kind="company",
            filer_org=world.company,  # type: ignore[attr-defined]
            respondent=world.agreement.secretariat,  # type: ignore[attr-defined]
            subject="Again",
            description="Again",
            actor=None,
        )


def test_reminders_go_to_the_committee_once_per_deadline(case, django_capture_on_commit_callbacks):
    complaint = case.complaint
    assert complaint.due_on is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.complaints_remind(today=complaint.due_on - dt.timedelta(days=10)) == 0
        assert services.complaints_remind(today=complaint.due_on - dt.timedelta(days=2)) == 1
        assert services.complaints_remind(today=complaint.due_on + dt.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [["m@x.nl"]]
    assert SECRET_TEXT not in mail.outbox[0].body
    overdue = case.client("committee").get("/committee/garments/complaints/").content.decode()
    assert complaint.reference in overdue


def _api_headers(case: Case, role: str) -> dict[str, str]:
    if role in ("committee", "recused"):
        import pyotp

        from covenant.accounts.models import TOTPDevice
        from covenant.accounts.services import api_token_issue
        from covenant.conftest import PASSWORD

        user = case.member if role == "committee" else case.recused
        user.set_password(PASSWORD)
        user.save()
        secret = pyotp.random_base32()
        TOTPDevice.objects.update_or_create(
            user=user, defaults={"secret": secret, "confirmed": True}
        )
        token = api_token_issue(
            username=user.username, password=PASSWORD, otp=pyotp.TOTP(secret).now(), client="t"
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return case.world.api_headers(role)  # type: ignore[attr-defined,no-any-return]


def test_api_role_matrix(case):
    services.complaint_admissibility(
        complaint=case.complaint, admissible=True, reasons="Within scope", actor=case.member
    )
    url = f"/api/v1/complaints/{case.complaint.reference}"
    got = tuple(Client().get(url, **_api_headers(case, role)).status_code for role in ROLES)
    assert got == (401, 404, 200, 200, 404, 200, 404)
    body = Client().get(url, **_api_headers(case, "own_company")).json()
    assert body["side"] == "respondent" and body["description"] == SECRET_TEXT
    register = Client().get("/api/v1/agreements/garments/complaints?country=BD").json()
    assert [p["reference"] for p in register["pending"]] == [case.complaint.reference]
    assert set(register["pending"][0]) == {
        "reference", "filed_on", "sector", "country", "theme", "stage"
    }  # fmt: skip
    text = Client().get("/api/v1/agreements/garments/complaints").content.decode()
    for secret in ("own-fashion", "clean-wear", "Forced overtime", SECRET_TEXT):
        assert secret not in text
    assert Client().get("/api/v1/agreements/garments/complaints?country=BDX").status_code == 422


def test_the_committee_sets_the_rules(case):
    url = "/committee/garments/complaints/rules/"
    assert _statuses(case, url) == (LOGIN, 403, 403, 403, 403, 200, 200)
    committee = case.client("committee")
    response = committee.post(
        url,
        {"filer_kinds": ["workers", "party"], "deadline_filed": "21", "remind_days_before": "5"},
        follow=True,
    )
    assert b"saved" in response.content
    rules = services.rules_for(case.world.agreement)  # type: ignore[attr-defined]
    assert rules.filer_kinds == ["workers", "party"] and rules.deadline_days == {"filed": 21}
    assert services.deadline_days(case.world.agreement, "filed") == 21  # type: ignore[attr-defined]
    # Bad input: a message, the rules unchanged.
    for bad in (
        {"filer_kinds": [], "remind_days_before": "5"},
        {"filer_kinds": ["party"], "deadline_filed": "0", "remind_days_before": "5"},
        {"filer_kinds": ["party"], "deadline_filed": "ten", "remind_days_before": "5"},
        {"filer_kinds": ["party", "robots"], "remind_days_before": "5"},
        {"filer_kinds": ["party"], "remind_days_before": "99"},
    ):
        response = committee.post(url, bad, follow=True)
        assert response.status_code == 200 and b"msg-error" in response.content, bad
    rules.refresh_from_db()
    assert rules.filer_kinds == ["workers", "party"] and rules.remind_days_before == 5
    # The filing form offers only the kinds allowed now.
    form = case.client("own_company").get("/agreements/garments/complaints/file/")
    assert form.status_code == 200 and b"company:" not in form.content


def test_the_daily_command_reminds_once(case, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    Complaint.objects.filter(pk=case.complaint.pk).update(due_on=dt.date(2000, 1, 1))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("complaints_remind", stdout=out)
        call_command("complaints_remind", stdout=out)
    assert out.getvalue().splitlines() == ["1 case(s) reminded of", "0 case(s) reminded of"]
    assert [m.to for m in mail.outbox] == [["m@x.nl"]]
