"""The self-assessment page renders with a bounded number of queries, however many criteria
and answers it has (the benchmark measures time; this guards the query count)."""

from __future__ import annotations

import pytest

from covenant.duediligence.tests.conftest import submitted

pytestmark = pytest.mark.django_db


def test_self_assessment_page_query_count(world, round_2018, django_assert_max_num_queries):
    submitted(world, round_2018)
    client = world.client("own_company")
    url = "/companies/own-fashion/due-diligence/garments/2018/"
    client.get(url)  # session and caches warm
    with django_assert_max_num_queries(25) as ctx:
        assert client.get(url).status_code == 200
    first = len(ctx.captured_queries)
    # Twice the answers (a second year prefilled) does not add queries per answer.
    from covenant.duediligence.services import self_assessments as sa

    r2019 = sa.assessment_round_open(
        agreement=world.agreement, year=2019, deadline=round_2018.deadline, actor=None
    )
    sa.self_assessment_start(round_=r2019, company=world.company, actor=None)
    with django_assert_max_num_queries(first + 2):
        assert client.get("/companies/own-fashion/due-diligence/garments/2019/").status_code == 200
