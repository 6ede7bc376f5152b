"""Public search of a published list of 1,000,000 locations, over HTTP on 127.0.0.1, on
SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/public_search.py                      # both databases
    .venv/bin/python benchmarks/public_search.py --db sqlite          # one of them
    BENCH_SIZE=100000 BENCH_SECONDS=20 .venv/bin/python benchmarks/public_search.py

For each database: a throwaway database (a temporary SQLite file; PostgreSQL
`postgres://postgres@127.0.0.1:5432/covenant_bench`, dropped and created) is migrated and
loaded with one agreement and one published list of BENCH_SIZE fictional locations
(`covenant.matching.synthetic`); the real server (gunicorn, 2 sync workers, dev settings with
DEBUG off) is started on 127.0.0.1; each worker is warmed up (its first search builds the
list's in-memory index); then BENCH_THREADS client threads (keep-alive http.client) send
realistic queries for BENCH_SECONDS: words of names and addresses, a third with a typo, with
and without country and facility-type filters, later pages, the API and the HTML page. It
prints requests/s and latency p50/p95/p99 per database and per kind of request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pickle
import random
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SIZE = int(os.environ.get("BENCH_SIZE", "1000000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PG_URL = "postgres://postgres@127.0.0.1:5432/covenant_bench"
SLUG = "bench"
TYPES = (
    ("final_product_assembly", 0.55),
    ("textile_material", 0.2),
    ("printing_dyeing_laundering", 0.13),
    ("raw_material", 0.05),
    ("warehousing_distribution", 0.05),
    ("office_hq", 0.02),
)


def _env(db: str, sqlite_path: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    if db == "postgresql":
        env["DATABASE_URL"] = PG_URL
        env.pop("SQLITE_PATH", None)
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = sqlite_path
    return env


# --- data ------------------------------------------------------------------------------------
def rows_file(tmp: Path) -> Path:
    """The locations (generated once, reused for the second database)."""
    path = tmp / f"locations-{SIZE}.pickle"
    if path.exists():
        return path
    from covenant.matching.synthetic import generate_registry
    from covenant.supplychain.selectors.published import published_search_text

    started = time.monotonic()
    rng = random.Random(7)  # noqa: S311
    codes, weights = zip(*TYPES, strict=True)
    rows = []
    for i, rec in enumerate(generate_registry(SIZE, seed=11), 1):
        ftype = rng.choices(codes, weights)[0]
        rows.append(
            (
                f"CVBN{i:08d}",
                rec.name[:300],
                rec.address[:500],
                rec.city[:120],
                "",
                rec.country,
                ftype,
                published_search_text(rec.name, rec.address, rec.city),
            )
        )
    with path.open("wb") as f:
        pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"  generated {len(rows):,} locations in {time.monotonic() - started:.0f} s", flush=True)
    return path


def load(db: str, path: Path) -> None:
    """(In a subprocess with the database's settings.) Migrate and insert the list."""
    import django

    django.setup()
    path = rows_file(path)
    from django.core.management import call_command
    from django.db import connection

    from covenant.agreements.models import Agreement, Organisation
    from covenant.supplychain.models import PublishedList

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    secretariat = Organisation.objects.create(
        name="Bench secretariat", slug="bench-sec", type="secretariat"
    )
    agreement = Agreement.objects.create(
        slug=SLUG,
        sector="Garment and textile",
        name_nl="Bench",
        name_en="Bench",
        secretariat=secretariat,
    )
    published = PublishedList.objects.create(
        agreement=agreement, year=2024, published_on="2025-07-04", location_count=SIZE
    )
    with path.open("rb") as f:
        rows = pickle.load(f)  # noqa: S301 - our own file
    columns = "published_list_id, public_id, name, address, city, province, country, facility_type, search_text"
    table = "supplychain_publishedlocation"
    with connection.cursor() as cursor:
        if db == "postgresql":
            raw = connection.connection
            with raw.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row((published.pk, *r))
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"  # noqa: S608
            for start in range(0, len(rows), 50000):
                cursor.executemany(sql, [(published.pk, *r) for r in rows[start : start + 50000]])
    if db == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    print(f"  loaded {len(rows):,} locations in {time.monotonic() - started:.0f} s", flush=True)


def prepare(db: str, tmp: Path) -> str:
    sqlite_path = str(tmp / "search.sqlite3")
    if db == "postgresql":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS covenant_bench")
            c.execute("CREATE DATABASE covenant_bench")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path + suffix).unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [PY, __file__, "--load", db, "--rows", str(tmp)],
        env=_env(db, sqlite_path),
        check=True,
        cwd=ROOT,
    )
    return sqlite_path


# --- load ------------------------------------------------------------------------------------
def queries(path: Path, n: int = 4000) -> list[tuple[str, str]]:
    """(kind, url) pairs: name and address words (a third with a typo), filters, pages."""
    with path.open("rb") as f:
        rows = pickle.load(f)  # noqa: S301
    rng = random.Random(3)  # noqa: S311
    out = []
    for _ in range(n):
        _pid, _name, _address, _city, _prov, country, ftype, text = rows[rng.randrange(len(rows))]
        words = [w for w in text.split() if len(w) >= 4 and not w.isdigit()] or text.split()[:1]
        k = min(len(words), rng.choice((1, 1, 2, 2, 3)))
        q = " ".join(rng.sample(words, k))
        kind = "words"
        if rng.random() < 0.33 and len(q) >= 5:  # a typo: drop, swap or change a letter
            i = rng.randrange(1, len(q) - 1)
            q = rng.choice(
                (q[:i] + q[i + 1 :], q[:i] + q[i + 1] + q[i] + q[i + 2 :], q[:i] + "e" + q[i + 1 :])
            )
            kind = "typo"
        params = {"q": q}
        r = rng.random()
        if r < 0.08:
            params = {"country": country}
            kind = "browse"
        elif r < 0.35:
            params["country"] = country
        if rng.random() < 0.15:
            params["facility_type"] = ftype
        if rng.random() < 0.1:
            params["page"] = str(rng.randint(2, 5))
        query = urllib.parse.urlencode(params)
        if rng.random() < 0.3:
            out.append((f"page {kind}", f"/agreements/{SLUG}/locations/?{query}"))
        else:
            out.append((f"api {kind}", f"/api/v1/agreements/{SLUG}/locations?{query}"))
    return out


def run_load(port: int, urls: list[tuple[str, str]]) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS
    errors = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local: dict[str, list[float]] = {}
        while time.monotonic() < stop:
            kind, url = urls[rng.randrange(len(urls))]
            t = time.perf_counter()
            try:
                conn.request("GET", url)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors.append((resp.status, url))
            except (OSError, http.client.HTTPException) as exc:
                errors.append((str(exc), url))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            local.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
        with lock:
            for k, v in local.items():
                results.setdefault(k, []).extend(v)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:3]}")
    return results


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench(db: str, tmp: Path) -> dict[str, object]:
    print(f"{db}: preparing {SIZE:,} locations", flush=True)
    sqlite_path = prepare(db, tmp)
    port = 8765 if db == "sqlite" else 8766
    server = subprocess.Popen(  # noqa: S603
        [
            GUNICORN,
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(WORKERS),
            "--timeout",
            "600",
            "--log-level",
            "error",
        ],
        env=_env(db, sqlite_path),
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait(port)
        started = time.monotonic()
        _warm(port)
        warm = time.monotonic() - started
        print(f"  server up; workers warmed in {warm:.1f} s (index build)", flush=True)
        urls = queries(tmp / f"locations-{SIZE}.pickle")
        started = time.monotonic()
        results = run_load(port, urls)
        elapsed = time.monotonic() - started
        rss = _rss(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    everything = [v for vs in results.values() for v in vs]
    summary = {
        "db": db,
        "size": SIZE,
        "requests": len(everything),
        "rps": len(everything) / elapsed,
        "p50": pct(everything, 50),
        "p95": pct(everything, 95),
        "p99": pct(everything, 99),
        "warm_s": warm,
        "worker_rss_mb": rss,
        "kinds": {
            k: (len(v), pct(v, 50), pct(v, 95), pct(v, 99)) for k, v in sorted(results.items())
        },
    }
    print(
        f"  {db}: {summary['requests']} requests in {elapsed:.0f} s = {summary['rps']:.0f} req/s, "
        f"p50 {summary['p50']:.1f} ms, p95 {summary['p95']:.1f} ms, p99 {summary['p99']:.1f} ms; "
        f"worker RSS {rss} MB",
        flush=True,
    )
    for k, (n, p50, p95, p99) in summary["kinds"].items():  # type: ignore[union-attr]
        print(f"    {k:<14} {n:>6}  p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms")
    return summary


def _wait(port: int) -> None:
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/agreements")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def _warm(port: int) -> None:
    """Until two requests in a row are fast on every connection: each worker has its index."""

    def one() -> float:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        t = time.monotonic()
        conn.request("GET", f"/api/v1/agreements/{SLUG}/locations?q=garment")
        conn.getresponse().read()
        conn.close()
        return time.monotonic() - t

    fast = 0
    while fast < 4 * WORKERS:
        threads = [threading.Thread(target=one) for _ in range(WORKERS * 2)]
        t = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        fast = fast + WORKERS * 2 if time.monotonic() - t < 1 else 0


def _rss(pid: int) -> int:
    """Largest resident memory of the server's worker processes, in MB."""
    out = subprocess.run(  # noqa: S603
        ["/bin/ps", "-o", "rss=", "--ppid", str(pid)], capture_output=True, text=True
    )
    values = [int(v) for v in out.stdout.split() if v.strip().isdigit()]
    return max(values) // 1024 if values else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--load")
    parser.add_argument("--rows")
    args = parser.parse_args()
    if args.load:
        load(args.load, Path(args.rows))
        return
    tmp = Path(os.environ.get("BENCH_TMP") or tempfile.mkdtemp(prefix="covenant-search-"))
    tmp.mkdir(parents=True, exist_ok=True)
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    summaries = [bench(db, tmp) for db in dbs]
    print(json.dumps(summaries, default=str))


if __name__ == "__main__":
    main()
