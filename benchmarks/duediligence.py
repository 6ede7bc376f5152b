"""Due diligence at scale, on SQLite and on PostgreSQL: 500 companies x 5 reporting years of
self-assessments with about 100 criteria each (250,000 answers), every one assessed and
released (first scores, 20% second-scored: ~300,000 scores), and 50,000 risk-register entries.

    .venv/bin/python benchmarks/duediligence.py                 # both databases
    .venv/bin/python benchmarks/duediligence.py --db sqlite     # one of them
    BENCH_COMPANIES=100 .venv/bin/python benchmarks/duediligence.py

For each database a throwaway database (a temporary SQLite file; PostgreSQL
`postgres://postgres@127.0.0.1:5432/covenant_bench_dd`, dropped and created) is migrated and
filled with bulk inserts (the framework through `framework_import`). Then, in the same process
with the real URL routing, templates and middleware (Django's test client, DEBUG off), it
times: the aggregate report (`year_aggregates`), the public results page, the secretariat
dashboard (aggregates + kappa over all double-scored assessments + escalation list), and one
company's self-assessment page (with its query count). Each is run 5 times; the median and
the worst are printed. Goals: dashboard and aggregate report <= 1 s, self-assessment page
<= 200 ms with a bounded number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/covenant_bench_dd"
COMPANIES = int(os.environ.get("BENCH_COMPANIES", "500"))
YEARS = (2016, 2017, 2018, 2019, 2020)
RISKS_PER_COMPANY = 100
RUNS = 5


def _child(db: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    import datetime as dt
    import random
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from covenant.accounts.middleware import SESSION_VERIFIED_KEY
    from covenant.accounts.models import Role, RoleName, User
    from covenant.agreements.models import (
        Agreement,
        DueDiligenceStep,
        Membership,
        Organisation,
        Theme,
    )
    from covenant.duediligence.demo import THEMES, garment_framework_file
    from covenant.duediligence.models import (
        Answer,
        Assessment,
        AssessmentRound,
        Criterion,
        CriterionScore,
        OutcomeCategory,
        Risk,
        SelfAssessment,
    )
    from covenant.duediligence.selectors.aggregates import year_aggregates
    from covenant.duediligence.services.frameworks import framework_import, framework_publish

    call_command("migrate", verbosity=0)
    rng = random.Random(4)  # noqa: S311 - benchmark data
    started = time.monotonic()
    sec_org = Organisation.objects.create(name="Secretariat", slug="sec", type="secretariat")
    agreement = Agreement.objects.create(
        slug="bench", sector="Garments", name_nl="Bench", name_en="Bench", secretariat=sec_org
    )
    DueDiligenceStep.objects.bulk_create(
        DueDiligenceStep(agreement=agreement, number=n, name_nl=f"S{n}", name_en=f"S{n}")
        for n in range(1, 7)
    )
    themes = Theme.objects.bulk_create(
        Theme(agreement=agreement, code=c, name_nl=nl, name_en=en, sort_order=i)
        for i, (c, nl, en) in enumerate(THEMES)
    )
    # The demo framework has 27 criteria; repeat its process sections' criteria to ~100.
    data = garment_framework_file(2016)
    for section in data["sections"]:
        base = list(section["criteria"])
        k = 0
        while len(section["criteria"]) < {"targets-actions": 40}.get(section["code"], 12):
            c = dict(base[k % len(base)])
            c["code"] = f"{c['code']}-x{k}"
            section["criteria"].append(c)
            k += 1
    framework = framework_publish(
        framework=framework_import(agreement=agreement, data=data, actor=None), actor=None
    )
    criteria = list(Criterion.objects.filter(section__framework=framework))
    outcomes = {o.code: o for o in OutcomeCategory.objects.filter(framework=framework)}
    companies = Organisation.objects.bulk_create(
        Organisation(name=f"Company {i:03d}", slug=f"company-{i:03d}", type="company")
        for i in range(COMPANIES)
    )
    Membership.objects.bulk_create(
        Membership(
            agreement=agreement,
            company=c,
            status="active",
            applied_on=dt.date(2016, 1, 1),
            joined_on=dt.date(2016, 1, 2),
        )
        for c in companies
    )
    rounds = [
        AssessmentRound.objects.create(
            agreement=agreement, year=y, framework=framework, deadline=dt.date(y, 6, 1)
        )
        for y in YEARS
    ]
    assessor = User.objects.create_user("anna", password="x")
    second = User.objects.create_user("bert", password="x")
    sec = User.objects.create_user("sec", password="x")
    Role.objects.bulk_create(
        [
            Role(user=assessor, organisation=sec_org, role=RoleName.ASSESSOR),
            Role(user=second, organisation=sec_org, role=RoleName.ASSESSOR),
            Role(user=sec, organisation=sec_org, role=RoleName.SECRETARIAT),
        ]
    )
    owner = User.objects.create_user("owner", password="x")
    Role.objects.create(user=owner, organisation=companies[0], role=RoleName.COMPANY_ADMIN)
    maximum = sum(c.points for c in criteria)
    for r in rounds:
        sas = SelfAssessment.objects.bulk_create(
            SelfAssessment(
                round=r,
                company=c,
                membership_year=r.year - 2015,
                status="submitted",
            )
            for c in companies
        )
        answers, assessments, scores = [], [], []
        for sa in sas:
            level = rng.random()
            total = 0
            points_of = {}
            for c in criteria:
                p = round(c.points * min(1, level + rng.random() * 0.3))
                points_of[c.pk] = p
                total += p
                answers.append(
                    Answer(
                        self_assessment=sa,
                        criterion=c,
                        value="yes",
                        points=p,
                        has_previous=True,
                        previous_value="yes",
                    )
                )
            percent = round(100 * total / maximum, 1)
            code = (
                "fully-compliant"
                if percent >= 60
                else "on-track"
                if percent >= 40
                else "not-meeting"
            )
            sampled = rng.random() < 0.2
            assessments.append(
                Assessment(
                    self_assessment=sa,
                    status="released",
                    first_assessor=assessor,
                    second_assessor=second if sampled else None,
                    in_sample=sampled,
                    sample_reason="random" if sampled else "",
                    second_done_at=dt.datetime(r.year, 7, 1, tzinfo=dt.UTC) if sampled else None,
                    proposed_outcome=code,
                    outcome=outcomes[code],
                    total_percent=Decimal(str(percent)),
                    minimum_percent=Decimal(60),
                    feedback="x",
                )
            )
            scores.append((sa, points_of, sampled))
        Answer.objects.bulk_create(answers, batch_size=5000)
        made = {a.self_assessment_id: a for a in Assessment.objects.bulk_create(assessments)}
        rows = []
        for sa, points_of, sampled in scores:
            a = made[sa.pk]
            for c in criteria:
                rows.append(
                    CriterionScore(
                        assessment=a,
                        criterion=c,
                        role="first",
                        assessor=assessor,
                        points=points_of[c.pk],
                    )
                )
                if sampled:
                    p = max(0, min(c.points, points_of[c.pk] + rng.choice((-1, 0, 0, 0, 1))))
                    rows.append(
                        CriterionScore(
                            assessment=a, criterion=c, role="second", assessor=second, points=p
                        )
                    )
        CriterionScore.objects.bulk_create(rows, batch_size=5000)
    countries = ["BD", "CN", "IN", "TR", "VN", "PK", "KH", "MM"]
    Risk.objects.bulk_create(
        (
            Risk(
                agreement=agreement,
                company=c,
                theme=rng.choice(themes),
                country=rng.choice(countries),
                description="bench",
                scale=rng.randint(1, 5),
                scope=rng.randint(1, 5),
                irremediable=rng.randint(1, 5),
                likelihood=rng.randint(1, 5),
                involvement=rng.choice(("cause", "contribute", "linked")),
                leverage="medium",
            )
            for c in companies
            for _ in range(RISKS_PER_COMPANY)
        ),
        batch_size=5000,
    )
    load = time.monotonic() - started
    counts = {
        "answers": Answer.objects.count(),
        "scores": CriterionScore.objects.count(),
        "risks": Risk.objects.count(),
        "criteria": len(criteria),
    }

    def timed(fn):
        out = []
        for _ in range(RUNS):
            t = time.monotonic()
            fn()
            out.append(time.monotonic() - t)
        return statistics.median(out), max(out)

    def client_for(user, verified=False):
        c = Client()
        c.force_login(user)
        if verified:
            s = c.session
            s[SESSION_VERIFIED_KEY] = user.pk
            s.save()
        return c

    secretariat = client_for(sec, verified=True)
    company = client_for(owner)
    anonymous = Client()

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results = {
        "aggregate report (year_aggregates)": timed(lambda: year_aggregates(agreement)),
        "public results page": timed(lambda: get(anonymous, "/agreements/bench/due-diligence/")),
        "secretariat dashboard": timed(
            lambda: get(secretariat, "/secretariat/bench/due-diligence/dashboard/")
        ),
        "self-assessment page": timed(
            lambda: get(company, "/companies/company-000/due-diligence/bench/2020/")
        ),
    }
    with CaptureQueriesContext(connection) as ctx:
        get(company, "/companies/company-000/due-diligence/bench/2020/")
    print(f"db={db} load={load:.1f}s {counts} vendor={connection.vendor}")
    for name, (median, worst) in results.items():
        print(f"  {name}: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms")
    print(f"  self-assessment page queries: {len(ctx.captured_queries)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"))
    parser.add_argument("--child", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    for db in [args.db] if args.db else ["sqlite", "postgresql"]:
        env = dict(os.environ)
        with tempfile.TemporaryDirectory() as tmp:
            if db == "sqlite":
                env["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
                env.pop("DATABASE_URL", None)
            else:
                admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
                subprocess.run(  # noqa: S603 - a fixed command on the local test server
                    ["psql", admin, "-qc", "drop database if exists covenant_bench_dd"],  # noqa: S607
                    check=True,
                )
                subprocess.run(  # noqa: S603
                    ["psql", admin, "-qc", "create database covenant_bench_dd"],  # noqa: S607
                    check=True,
                )
                env["DATABASE_URL"] = PG_URL
            subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, __file__, "--child", db], env=env, check=True, cwd=ROOT
            )


if __name__ == "__main__":
    main()
