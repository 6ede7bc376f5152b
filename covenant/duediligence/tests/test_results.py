"""Aggregates per agreement and year: shares per outcome category, score distribution and
prioritised risks, suppressed below MIN_GROUP_SIZE; the chart; public page, dashboard and API
with their role matrix; the demo figures of the reports (5 of 63 = 8%, 36 of 57 = 63%)."""

from __future__ import annotations

import pytest

from covenant.duediligence.selectors import aggregates
from covenant.duediligence.services import assessments as services
from covenant.duediligence.templatetags.dd_charts import outcome_chart
from covenant.duediligence.tests.conftest import submitted
from covenant.duediligence.tests.test_assessments import _score_all

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "other_company", "own_company", "party", "secretariat")
LOGIN = 302


@pytest.fixture
def released(world, round_2018, staff):
    round_2018.second_review_percent = 0
    round_2018.save()
    sa = submitted(world, round_2018)
    a = services.assessment_assign(self_assessment=sa, assessor=staff.users["anna"], actor=None)
    _score_all(a, staff.users["anna"])
    a = services.assessment_complete(assessment=a, assessor=staff.users["anna"])
    return services.assessment_release(assessment=a, outcome_code=None, feedback="ok", actor=None)


def test_suppressed_below_min_group_size(world, released):
    (year,) = aggregates.year_aggregates(world.agreement)
    assert (year.year, year.assessed, year.publishable) == (2018, None, False)
    assert {o.count for o in year.outcomes} == {None}
    assert {n for _label, n in year.bands} == {None}
    html = outcome_chart([year])
    assert "<svg" in html and "–" in html and "Fully compliant 2018" not in html
    page = world.client("anonymous").get("/agreements/garments/due-diligence/").content.decode()
    assert "Own Fashion" not in page and "the secretariat assessed" not in page


def test_shown_at_min_group_size(world, released, settings):
    settings.MIN_GROUP_SIZE = 1
    (year,) = aggregates.year_aggregates(world.agreement)
    assert year.assessed == 1 and year.publishable
    assert [(o.code, o.count, o.percent) for o in year.outcomes] == [
        ("fully-compliant", 1, 100.0),
        ("on-track", 0, 0.0),
        ("not-meeting", 0, 0.0),
    ]
    assert dict(year.bands)["80–100%"] == 1
    html = outcome_chart([year])
    assert "<title>Fully compliant 2018: 1 (100%)</title>" in html


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/agreements/garments/due-diligence/", (200,) * 5),
        ("/secretariat/garments/due-diligence/dashboard/", (LOGIN, 403, 403, 403, 200)),
    ],
)
def test_page_role_matrix(world, released, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        response = world.client(role).get(url)
        assert response.status_code == status, f"{role} {url}: {response.status_code}"
        assert b"Own Fashion" not in response.content or "secretariat" in url


def test_api(world, released, settings):
    url = "/api/v1/agreements/garments/due-diligence/results"
    data = world.client("anonymous").get(url).json()
    assert data[0]["assessed"] is None and data[0]["outcomes"][0]["count"] is None
    settings.MIN_GROUP_SIZE = 1
    data = world.client("anonymous").get(url).json()
    assert data[0]["outcomes"][0] == {
        "code": "fully-compliant",
        "name": "Fully compliant",
        "count": 1,
        "percent": 100.0,
    }
    assert (
        world.client("anonymous").get("/api/v1/agreements/nope/due-diligence/results").status_code
        == 404
    )


def test_company_sees_its_result_against_the_members(world, released, settings):
    url = "/companies/own-fashion/due-diligence/garments/2018/"
    html = world.client("own_company").get(url).content.decode()
    assert "Fully compliant" in html and "Across the member companies" not in html  # 1 < 3
    settings.MIN_GROUP_SIZE = 1
    html = world.client("own_company").get(url).content.decode()
    assert "Across the member companies this year" in html and "1 companies assessed" in html
    years = (
        world.client("own_company").get("/companies/own-fashion/due-diligence/").content.decode()
    )
    assert "<strong>Fully compliant</strong> (100.0%)" in years


def test_most_prioritised_themes_and_countries(world, agreement, published):
    from covenant.agreements.tests.factories import MembershipFactory, OrganisationFactory
    from covenant.duediligence.services import risks as risk_services
    from covenant.duediligence.tests.test_risks import risk_data

    companies = [world.company, world.other_company]
    third = OrganisationFactory(name="Third BV", slug="third")
    MembershipFactory(agreement=agreement, company=third)
    companies.append(third)
    for i, company in enumerate(companies):
        risk_services.risk_create(
            agreement=agreement, company=company, data=risk_data(), actor=None
        )
        # And a low one each: child labour at two companies, animal welfare at one.
        risk_services.risk_create(
            agreement=agreement,
            company=company,
            data=risk_data(
                theme="animal-welfare" if i == 0 else "child-labour",
                country="IN",
                scale=1,
                scope=1,
                irremediable=1,
                likelihood=1,
            ),
            actor=None,
        )
    themes, countries = aggregates.prioritised(agreement, top=1)
    assert themes == [("Living wage", 3)] and countries == [("BD", 3)]
    themes, countries = aggregates.prioritised(agreement, top=2)
    assert themes == [("Living wage", 3)]  # child labour: 2 companies, animal welfare: 1
    assert countries == [("BD", 3), ("IN", 3)]


def test_prioritised_in_the_database_matches_the_registers(world, agreement, published):
    """The window-function ranking gives the same top risks as each register page, also for
    a company with its own order."""
    import random

    from covenant.agreements.tests.factories import MembershipFactory, OrganisationFactory
    from covenant.duediligence.selectors.risks import register
    from covenant.duediligence.services import risks as risk_services
    from covenant.duediligence.tests.test_risks import risk_data

    rng = random.Random(7)
    themes = ["living-wage", "child-labour", "forced-labour", "health-safety", "raw-materials"]
    companies = [world.company, world.other_company]
    for i in range(4):
        c = OrganisationFactory(name=f"Extra {i}", slug=f"extra-{i}")
        MembershipFactory(agreement=agreement, company=c)
        companies.append(c)
    for company in companies:
        for _ in range(6):
            risk_services.risk_create(
                agreement=agreement,
                company=company,
                data=risk_data(
                    theme=rng.choice(themes),
                    country=rng.choice(["BD", "CN", "IN"]),
                    scale=rng.randint(1, 5),
                    scope=rng.randint(1, 5),
                    irremediable=rng.randint(1, 5),
                    likelihood=rng.randint(1, 5),
                    involvement=rng.choice(["cause", "contribute", "linked"]),
                ),
                actor=None,
            )
    last = list(world.company.dd_risks.order_by("-pk").values_list("pk", flat=True))[:2]
    risk_services.risk_reorder(
        agreement=agreement, company=world.company, order=last, reason="own view", actor=None
    )
    expected_themes: dict[str, set[int]] = {}
    expected_countries: dict[str, set[int]] = {}
    for company in companies:
        for row in register(agreement, company).open_rows[:3]:
            expected_themes.setdefault(row.risk.theme.name, set()).add(company.pk)
            expected_countries.setdefault(row.risk.country, set()).add(company.pk)

    def ranked(groups):
        return sorted(
            ((k, len(v)) for k, v in groups.items() if len(v) >= 3), key=lambda kv: (-kv[1], kv[0])
        )

    themes_got, countries_got = aggregates.prioritised(agreement, top=3)
    assert themes_got == ranked(expected_themes)
    assert countries_got == ranked(expected_countries)


def test_agreement_page_shows_the_outcome_chart(world, released, settings):
    html = world.client("anonymous").get("/agreements/garments/").content.decode()
    assert 'id="due-diligence-results"' in html  # one year: a suppressed bar
    assert "Fully compliant 2018" not in html
    settings.MIN_GROUP_SIZE = 1
    html = world.client("anonymous").get("/agreements/garments/").content.decode()
    assert "<title>Fully compliant 2018: 1 (100%)</title>" in html
