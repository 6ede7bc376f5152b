"""Page and API timings on the demo agreement.

    .venv/bin/python benchmarks/pages.py            # SQLite (a fresh temporary database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/covenant_bench .venv/bin/python benchmarks/pages.py

Loads the demo into a fresh database, then requests each page/endpoint N times through
Django's test client (in-process: measures our code and the database, not the network) and
prints median and p95 latency and the number of SQL queries per request.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "ERROR")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

N = int(os.environ.get("BENCH_N", "30"))


def measure(client: Client, label: str, url: str, **headers: str) -> None:
    client.get(url, **headers)  # warm up
    times = []
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Django resets its own query log at each request start, so count with a wrapper.
    with connection.execute_wrapper(count):
        response = client.get(url, **headers)
    assert response.status_code == 200, (label, response.status_code)
    for _ in range(N):
        start = time.perf_counter()
        client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label:<38} {statistics.median(times):8.1f} ms {p95:8.1f} ms {len(queries):8d}")


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    start = time.perf_counter()
    call_command("load_demo", verbosity=0)
    load_s = time.perf_counter() - start
    from covenant.agreements.models import Brand, Membership, Organisation

    engine = connection.vendor
    print(
        f"database: {engine}; demo: {Organisation.objects.count()} organisations, "
        f"{Membership.objects.count()} memberships, {Brand.objects.count()} brands; "
        f"load_demo {load_s:.1f} s; {N} requests each"
    )
    print(f"{'request':<38} {'median':>11} {'p95':>11} {'queries':>8}")
    anon = Client()
    measure(anon, "GET / (home, 2 agreements)", "/")
    measure(anon, "GET /agreements/garments/", "/agreements/garments/")
    measure(anon, "GET /api/v1/agreements/garments/members", "/api/v1/agreements/garments/members")
    measure(
        anon, "GET /api/v1/agreements/garments/coverage", "/api/v1/agreements/garments/coverage"
    )
    from covenant.accounts.middleware import SESSION_VERIFIED_KEY
    from covenant.accounts.models import User

    sec = Client()
    user = User.objects.get(username="secretariat")
    sec.force_login(user)
    session = sec.session
    session[SESSION_VERIFIED_KEY] = user.pk
    session.save()
    measure(sec, "GET secretariat memberships page", "/secretariat/garments/memberships/")
    measure(sec, "GET secretariat market page", "/secretariat/garments/market/")
    measure(sec, "GET secretariat audit log", "/secretariat/audit/")


if __name__ == "__main__":
    main()
