"""Assessment by the secretariat: assignment, scores per criterion, the proposed outcome from
the rules, the second review (borderline cases always, a share drawn; blind to the first
scores), follow-up questions answered by the company, release with feedback, weighted kappa,
the escalation list, and the role matrix (assessors see only what is assigned to them)."""

from __future__ import annotations

import datetime as dt

import pytest

from covenant.core.errors import PermissionDenied, ValidationFailed
from covenant.duediligence.kappa import level, weighted_kappa
from covenant.duediligence.models import Assessment, Criterion, FollowUpQuestion
from covenant.duediligence.selectors import assessments as sel
from covenant.duediligence.services import assessments as services
from covenant.duediligence.tests.conftest import submitted

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302
FUTURE = dt.date(2099, 1, 1)


def test_weighted_kappa():
    assert weighted_kappa([(0, 0), (1, 1), (2, 2)], 3) == 1.0
    assert weighted_kappa([], 3) is None
    assert weighted_kappa([(2, 2), (2, 2)], 3) is None  # no variation: undefined
    # Agreement no better than chance.
    assert weighted_kappa([(0, 0), (0, 1), (1, 0), (1, 1)], 2) == 0.0
    # Observed disagreement (0+0+0+2)/2/4 = 0.25; from the marginals (2,1,1) and (1,1,2)
    # expected 16/2/16 = 0.5; kappa = 1 - 0.25/0.5.
    assert weighted_kappa([(0, 0), (1, 1), (2, 2), (0, 2)], 3) == 0.5
    assert weighted_kappa([(0, 2), (2, 0)], 3) == -1.0
    assert [level(p, 4) for p in range(5)] == [0, 1, 2, 3, 4]
    assert level(2, 3) == 3 and level(0, 0) == 0


def _codes(sa):
    return list(
        Criterion.objects.filter(section__framework=sa.round.framework)
        .order_by("section__sort_order", "sort_order")
        .values_list("code", "points")
    )


def _score_all(assessment, user, factor=1.0, *, only=None):
    scores = {
        code: (round(points * factor), "ok")
        for code, points in _codes(assessment.self_assessment)
        if only is None or code in only
    }
    services.criterion_scores_set(assessment=assessment, scores=scores, assessor=user)


@pytest.fixture
def case(world, round_2018, staff):
    sa = submitted(world, round_2018)
    return services.assessment_assign(self_assessment=sa, assessor=staff.users["anna"], actor=None)


def test_assignment_rules(world, round_2018, staff, agreement):
    from covenant.duediligence.services import self_assessments as sa_services

    draft = sa_services.self_assessment_start(round_=round_2018, company=world.company, actor=None)
    with pytest.raises(ValidationFailed, match="Only a submitted"):
        services.assessment_assign(self_assessment=draft, assessor=staff.users["anna"], actor=None)
    with pytest.raises(ValidationFailed, match="is not an assessor"):
        services.assessment_assign(
            self_assessment=draft, assessor=world.users["own_company"], actor=None
        )


def test_scores_checked_and_outcome_proposed(case, staff):
    anna, bert = staff.users["anna"], staff.users["bert"]
    with pytest.raises(PermissionDenied):
        _score_all(case, bert)
    with pytest.raises(ValidationFailed) as exc:
        services.criterion_scores_set(
            assessment=case, scores={"policy-board": (9, ""), "nope": (1, "")}, assessor=anna
        )
    assert exc.value.extra["errors"] == [
        {"field": "policy-board", "message": "Give 0 to 3 points for this criterion."},
        {"field": "nope", "message": "There is no criterion 'nope' in this framework."},
    ]
    _score_all(case, anna, only={"policy-board"})
    with pytest.raises(ValidationFailed, match="26 criteria have no score yet"):
        services.assessment_complete(assessment=case, assessor=anna)
    _score_all(case, anna, 0.5)
    done = services.assessment_complete(assessment=case, assessor=anna)
    # Half the points in membership year 3 (minimum 60%): not meeting.
    assert done.proposed_outcome == "not-meeting"
    assert float(done.total_percent) < 60 and float(done.minimum_percent) == 60.0
    with pytest.raises(PermissionDenied, match="no longer"):
        _score_all(done, anna)


def test_borderline_goes_to_a_blind_second_review(case, staff, world):
    anna, bert = staff.users["anna"], staff.users["bert"]
    case.self_assessment.round.second_review_percent = 0  # only borderline cases
    case.self_assessment.round.save()
    # 62%: within 5 points of the 60% minimum and of the 60% fully compliant boundary.
    scores = dict(_codes(case.self_assessment))
    picked, total = {}, 0
    for code, points in scores.items():
        give = points if total + points <= 62 else 0
        picked[code] = (give, "")
        total += give
    services.criterion_scores_set(assessment=case, scores=picked, assessor=anna)
    done = services.assessment_complete(assessment=case, assessor=anna)
    assert float(done.total_percent) == 62.0
    assert (done.in_sample, done.sample_reason, done.status) == (True, "borderline", "second")
    with pytest.raises(ValidationFailed, match="someone else"):
        services.assessment_assign_second(assessment=done, assessor=anna, actor=None)
    services.assessment_assign_second(assessment=done, assessor=bert, actor=None)
    view = sel.assessment_detail(done, blind=True)
    assert all(row.first is None for _s, _m, rows in view.sections for row in rows)
    # Through the page and the API too: no first scores for the second assessor.
    html = staff.client("bert").get(f"/assessments/{done.pk}/").content.decode()
    assert "first assessor's scores are hidden" in html and "proposed outcome" not in html
    data = (
        staff.client("bert").get(f"/api/v1/assessments/{done.pk}", **staff.headers("bert")).json()
    )
    assert data["blind"] and data["proposed_outcome"] is None and data["total_percent"] is None
    assert {c["first_points"] for c in data["criteria"]} == {None}
    _score_all(done, bert)
    done = services.assessment_complete(assessment=done, assessor=bert)
    assert done.status == "ready" and done.second_done_at is not None
    cal = sel.calibration(world.agreement)
    assert cal.double_scored == 1 and len(cal.by_criterion) == 27
    assert [r.label for r in cal.by_assessor] == ["anna", "bert"]
    assert cal.by_assessor[0].pairs == 27


def test_random_share_and_release(case, staff, world):
    anna = staff.users["anna"]
    case.self_assessment.round.second_review_percent = 100
    case.self_assessment.round.save()
    _score_all(case, anna)  # 100%: far from any boundary
    done = services.assessment_complete(assessment=case, assessor=anna)
    assert (done.sample_reason, done.status) == ("random", "second")
    with pytest.raises(ValidationFailed, match="Not ready for release"):
        services.assessment_release(assessment=done, outcome_code=None, feedback="x", actor=None)
    services.assessment_assign_second(assessment=done, assessor=staff.users["carl"], actor=None)
    _score_all(done, staff.users["carl"], 0.75)
    services.assessment_complete(assessment=done, assessor=staff.users["carl"])
    with pytest.raises(ValidationFailed, match="Write the feedback"):
        services.assessment_release(assessment=done, outcome_code=None, feedback=" ", actor=None)
    with pytest.raises(ValidationFailed, match="not an outcome category"):
        services.assessment_release(assessment=done, outcome_code="gold", feedback="x", actor=None)
    released = services.assessment_release(
        assessment=done, outcome_code=None, feedback="Strong plan.", actor=None
    )
    assert released.outcome.code == "fully-compliant" and released.status == "released"
    assert sel.escalations(world.agreement) == []


def test_follow_up_questions_threaded_and_answered_by_the_company(case, staff, world):
    anna = staff.users["anna"]
    with pytest.raises(PermissionDenied):
        services.follow_up_ask(
            assessment=case,
            criterion_code="policy-board",
            text="?",
            deadline=FUTURE,
            author=staff.users["bert"],
        )
    with pytest.raises(ValidationFailed, match="not be in the past"):
        services.follow_up_ask(
            assessment=case,
            criterion_code="policy-board",
            text="?",
            deadline=dt.date(2001, 1, 1),
            author=anna,
        )
    question = services.follow_up_ask(
        assessment=case,
        criterion_code="policy-board",
        text="Please send the board minutes.",
        deadline=FUTURE,
        author=anna,
    )
    url = "/companies/own-fashion/due-diligence/garments/2018/"
    html = world.client("own_company").get(url).content.decode()
    assert "Please send the board minutes." in html
    # Another company cannot answer it (not its question).
    response = world.client("other_company").post(
        url, {"action": "reply", "question": question.pk, "text": "x"}
    )
    assert response.status_code == 403
    response = world.client("own_company").post(
        url, {"action": "reply", "question": question.pk, "text": "Minutes of 3 May attached."}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == FollowUpQuestion.Status.ANSWERED
    assert [m.from_company for m in question.messages.all()] == [False, True]
    services.follow_up_reply(
        question=question, text="Thanks; and the annex?", author=anna, from_company=False
    )
    # Release is refused while a question waits for the company.
    _score_all(case, anna)
    case.self_assessment.round.second_review_percent = 0
    case.self_assessment.round.save()
    done = services.assessment_complete(assessment=case, assessor=anna)
    assert done.status == "ready"
    with pytest.raises(ValidationFailed, match="1 follow-up question"):
        services.assessment_release(assessment=done, outcome_code=None, feedback="x", actor=None)
    services.follow_up_close(question=question, actor=anna)
    services.assessment_release(assessment=done, outcome_code=None, feedback="Good.", actor=None)
    html = world.client("own_company").get(url).content.decode()
    assert "Outcome of the assessment" in html and "Fully compliant" in html and "Good." in html


def test_escalation_list_with_history(case, staff, world, round_2019):
    anna = staff.users["anna"]
    case.self_assessment.round.second_review_percent = 0
    case.self_assessment.round.save()
    _score_all(case, anna, 0.3)
    done = services.assessment_complete(assessment=case, assessor=anna)
    services.assessment_release(assessment=done, outcome_code=None, feedback="Below.", actor=None)
    rows = sel.escalations(world.agreement)
    assert [(r.company.slug, r.year, r.years_below) for r in rows] == [("own-fashion", 2018, 1)]
    assert rows[0].history[0][3] == "Not meeting"


# --- role matrix -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url,expected",
    [
        ("/assessments/{id}/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/assessments/2018/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/calibration/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/escalations/", (LOGIN, 403, 403, 403, 200)),
        ("/secretariat/garments/my-assessments/", (LOGIN, 403, 403, 403, 200)),
    ],
)
def test_page_role_matrix(world, case, staff, url, expected):
    url = url.format(id=case.pk)
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
    # The assigned assessor sees it; another assessor does not; neither manages.
    assert staff.client("anna").get(f"/assessments/{case.pk}/").status_code == 200
    assert staff.client("bert").get(f"/assessments/{case.pk}/").status_code == 404
    assert staff.client("anna").get("/secretariat/garments/escalations/").status_code == 403


@pytest.mark.parametrize(
    "method,url,expected",
    [
        ("get", "/api/v1/assessments/{id}", (401, 403, 403, 403, 200)),
        ("get", "/api/v1/agreements/garments/assessments", (401, 403, 403, 403, 200)),
        ("get", "/api/v1/agreements/garments/calibration", (401, 403, 403, 403, 200)),
        ("get", "/api/v1/agreements/garments/escalations", (401, 403, 403, 403, 200)),
        (
            "get",
            "/api/v1/companies/own-fashion/self-assessments/garments/2018/questions",
            (401, 403, 200, 403, 200),
        ),
        (
            "get",
            "/api/v1/companies/own-fashion/self-assessments/garments/2018/outcome",
            (401, 403, 404, 403, 404),
        ),
    ],
)
def test_api_role_matrix(world, case, method, url, expected):
    url = url.format(id=case.pk)
    for role, status in zip(ROLES, expected, strict=True):
        response = getattr(world.client("anonymous"), method)(url, **world.api_headers(role))
        assert response.status_code == status, f"{role} {url}: {response.status_code}"


def test_api_cycle(world, round_2018, staff):
    submitted(world, round_2018)
    round_2018.second_review_percent = 0
    round_2018.save()
    client = world.client("anonymous")
    sec = world.api_headers("secretariat")
    response = client.post(
        "/api/v1/agreements/garments/assessments",
        data={"company": "own-fashion", "year": 2018, "assessor": "anna"},
        content_type="application/json",
        **sec,
    )
    assert response.status_code == 201
    aid = response.json()["id"]
    anna = staff.headers("anna")
    assert [
        a["id"] for a in client.get("/api/v1/agreements/garments/assessments", **anna).json()
    ] == [aid]
    assert (
        client.get("/api/v1/agreements/garments/assessments", **staff.headers("bert")).json() == []
    )
    assert client.get(f"/api/v1/assessments/{aid}", **staff.headers("bert")).status_code == 404
    scores = {
        code: {"points": points, "comment": ""}
        for code, points in _codes(Assessment.objects.get().self_assessment)
    }
    response = client.put(
        f"/api/v1/assessments/{aid}/scores",
        data={"scores": scores},
        content_type="application/json",
        **anna,
    )
    assert response.status_code == 200
    response = client.post(
        f"/api/v1/assessments/{aid}/questions",
        data={"criterion": "risk-register", "text": "Which countries?", "deadline": "2099-01-01"},
        content_type="application/json",
        **anna,
    )
    assert response.status_code == 201
    qid = response.json()["id"]
    own = world.api_headers("own_company")
    response = client.post(
        f"/api/v1/companies/own-fashion/questions/{qid}/answer",
        data={"text": "BD and CN"},
        content_type="application/json",
        **own,
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    other = world.api_headers("other_company")
    assert (
        client.post(
            f"/api/v1/companies/other-apparel/questions/{qid}/answer",
            data={"text": "x"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/assessments/{aid}/complete", **anna).json()["proposed_outcome"]
        == "fully-compliant"
    )
    assert (
        client.post(
            f"/api/v1/assessments/{aid}/release",
            data={"feedback": "Well done"},
            content_type="application/json",
            **anna,
        ).status_code
        == 403
    )
    response = client.post(
        f"/api/v1/assessments/{aid}/release",
        data={"feedback": "Well done"},
        content_type="application/json",
        **sec,
    )
    assert response.status_code == 200 and response.json()["outcome"] == "fully-compliant"
    out = client.get(
        "/api/v1/companies/own-fashion/self-assessments/garments/2018/outcome", **own
    ).json()
    assert out["outcome_name"] == "Fully compliant" and out["feedback"] == "Well done"
    assert [s["maximum"] for s in out["sections"]] == [15, 20, 40, 10, 5, 10]
