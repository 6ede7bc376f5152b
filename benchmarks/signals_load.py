"""Public reporting and receipt-code pages of the signals app under load, over HTTP on
127.0.0.1 against the real server (gunicorn), on SQLite.

    .venv/bin/python benchmarks/signals_load.py
    BENCH_SECONDS=20 BENCH_SUBMISSIONS=2000 .venv/bin/python benchmarks/signals_load.py

A throwaway SQLite database in a temporary directory is migrated and loaded with one agreement
(two themes), one published list of BENCH_SIZE (10,000) fictional locations for the location
picker, and BENCH_SEED_SIGNALS (200) reports made through the service, whose receipt codes the
read mix uses. A settings module in the temporary directory (dev settings, DEBUG off) sets the
signals key file there (created on first use, before the server starts) and
SIGNALS_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR, so that the benchmark can send a distinct
X-Forwarded-For per simulated reporter (real reporters come from many addresses). The throttle
itself stays on with its defaults. The real server (gunicorn, BENCH_WORKERS=2 sync workers) is
started on 127.0.0.1; BENCH_THREADS client threads (keep-alive http.client, each with its own
cookies, CSRF token and address) then run two phases:

1. read mix for BENCH_SECONDS (30): the location search on the report page, the report form
   for a listed or an unlisted location, the follow-up page, and a receipt code posted on the
   follow-up page followed by the status page (redirect followed by hand);
2. BENCH_SUBMISSIONS (10,000) full submissions (GET the form, read its single-use token, POST
   the report, read the receipt code); afterwards every receipt code (or BENCH_VERIFY of them)
   is posted on the follow-up page and its status page must show that report's description,
   and the database must hold exactly the submitted number of reports.

It prints requests/s and latency p50/p95/p99 per kind of request and overall, the
submissions/s, how long 10,000 submissions would take, and a JSON summary.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SIZE = int(os.environ.get("BENCH_SIZE", "10000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "10000"))
VERIFY = int(os.environ.get("BENCH_VERIFY", "0"))  # 0: every receipt code
SEED_SIGNALS = int(os.environ.get("BENCH_SEED_SIGNALS", "200"))
PER_ADDRESS = 5  # submissions per simulated reporter address (the burst allows 30)
PORT = int(os.environ.get("BENCH_PORT", "8767"))
SLUG = "bench"
REPORT = f"/agreements/{SLUG}/report/"
FOLLOW_UP = "/report/follow-up/"
STATUS = "/report/follow-up/status/"
SETTINGS = """from config.settings.dev import *  # noqa: F403

SIGNALS_KEY_FILE = {key_file!r}
SIGNALS_KEY_AUTOCREATE = True
SIGNALS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
"""


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_signals_settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
        PYTHONPATH=f"{tmp}{os.pathsep}{ROOT}",
        SQLITE_PATH=str(tmp / "signals.sqlite3"),
    )
    return env


# --- data (in a subprocess with the throwaway settings) ---------------------------------------
def load(tmp: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from covenant.agreements.models import Agreement, Organisation, Theme
    from covenant.matching.synthetic import generate_registry
    from covenant.signals import services
    from covenant.supplychain.models import PublishedList, PublishedLocation
    from covenant.supplychain.selectors.published import published_search_text

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
    Theme.objects.create(
        agreement=agreement, code="living-wage", name_en="Living wage", name_nl="Leefbaar loon"
    )
    Theme.objects.create(agreement=agreement, code="safety", name_en="Safety", name_nl="Veiligheid")
    published = PublishedList.objects.create(
        agreement=agreement, year=2024, published_on="2025-07-04", location_count=SIZE
    )
    rows = []
    for i, rec in enumerate(generate_registry(SIZE, seed=11), 1):
        rows.append(
            PublishedLocation(
                published_list=published,
                public_id=f"CVBN{i:08d}",
                name=rec.name[:300],
                address=rec.address[:500],
                city=rec.city[:120],
                province="",
                country=rec.country,
                facility_type="final_product_assembly",
                search_text=published_search_text(rec.name, rec.address, rec.city),
            )
        )
    PublishedLocation.objects.bulk_create(rows, batch_size=2000)
    codes = []
    for i in range(SEED_SIGNALS):  # also creates the key file, before the workers start
        submitted = services.signal_submit(
            agreement=agreement,
            data=services.SignalInput(
                public_id=rows[i * 7 % len(rows)].public_id,
                theme_codes=["living-wage"],
                description=f"Seeded report bench-seed-{i}: overtime without pay.",
                language="en",
            ),
        )
        codes.append(submitted.receipt_code_display)
    words = []
    rng = random.Random(5)  # noqa: S311
    for r in rng.sample(rows, 500):
        ws = [w for w in r.search_text.split() if len(w) >= 4 and not w.isdigit()]
        if ws:
            words.append(" ".join(rng.sample(ws, min(len(ws), rng.choice((1, 2))))))
    (tmp / "data.json").write_text(
        json.dumps({"codes": codes, "pids": [r.public_id for r in rows], "queries": words})
    )
    print(
        f"  loaded {len(rows):,} locations and {SEED_SIGNALS} seeded reports in "
        f"{time.monotonic() - started:.0f} s",
        flush=True,
    )


# --- a simulated browser -----------------------------------------------------------------------
class Browser:
    """Keep-alive connection, its own cookies and client address (X-Forwarded-For)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)

    def request(
        self, method: str, path: str, fields: dict[str, object] | None = None
    ) -> tuple[int, str, str]:
        headers = {"X-Forwarded-For": self.address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
            raise
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return resp.status, resp.headers.get("Location", ""), text


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]+)<')


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


class Timings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: dict[str, list[float]] = {}
        self.errors: list[tuple[str, object, str]] = []

    def timed(
        self,
        b: Browser,
        kind: str,
        method: str,
        path: str,
        fields: dict[str, object] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, str, str] | None:
        t = time.perf_counter()
        try:
            status, location, text = b.request(method, path, fields)
        except (OSError, http.client.HTTPException) as exc:
            with self.lock:
                self.errors.append((kind, str(exc), path))
            return None
        ms = (time.perf_counter() - t) * 1000
        with self.lock:
            self.kinds.setdefault(kind, []).append(ms)
            if status not in expect:
                self.errors.append((kind, status, path))
        return status, location, text

    def report(self, elapsed: float, title: str) -> dict[str, object]:
        everything = [v for vs in self.kinds.values() for v in vs]
        summary: dict[str, object] = {
            "requests": len(everything),
            "seconds": round(elapsed, 1),
            "rps": round(len(everything) / elapsed, 1),
            "p50": round(pct(everything, 50), 1),
            "p95": round(pct(everything, 95), 1),
            "p99": round(pct(everything, 99), 1),
            "errors": len(self.errors),
            "kinds": {
                k: (len(v), round(pct(v, 50), 1), round(pct(v, 95), 1), round(pct(v, 99), 1))
                for k, v in sorted(self.kinds.items())
            },
        }
        print(
            f"  {title}: {summary['requests']} requests in {elapsed:.0f} s = "
            f"{summary['rps']} req/s, p50 {summary['p50']} ms, p95 {summary['p95']} ms, "
            f"p99 {summary['p99']} ms, {len(self.errors)} unexpected answers",
            flush=True,
        )
        for k, (n, p50, p95, p99) in summary["kinds"].items():  # type: ignore[attr-defined]
            print(f"    {k:<22} {n:>6}  p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms")
        if self.errors:
            print(f"    e.g. {self.errors[:3]}")
        return summary


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def open_code(t: Timings, b: Browser, code: str, csrf: str, kind: str) -> str | None:
    """Post a receipt code on the follow-up page, follow the redirect: the status page."""
    r = t.timed(
        b,
        f"{kind} code POST",
        "POST",
        FOLLOW_UP,
        {"code": code, "csrfmiddlewaretoken": csrf},
        expect=(302,),
    )
    if r is None or r[0] != 302:
        return None
    location = urllib.parse.urlsplit(r[1])
    path = location.path + (f"?{location.query}" if location.query else "")
    s = t.timed(b, f"{kind} status GET", "GET", path)
    return s[2] if s is not None and s[0] == 200 else None


# --- phase 1: read mix ---------------------------------------------------------------------------
def read_mix(data: dict[str, list[str]]) -> dict[str, object]:
    t = Timings()
    stop = time.monotonic() + SECONDS

    def worker(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311
        b = Browser(_address(60000 + seed))
        first = b.request("GET", FOLLOW_UP)
        csrf = _field(first[2], "csrfmiddlewaretoken")
        while time.monotonic() < stop:
            r = rng.random()
            if r < 0.15:
                q = urllib.parse.quote_plus(rng.choice(data["queries"]))
                t.timed(b, "report search GET", "GET", f"{REPORT}?q={q}")
            elif r < 0.40:
                loc = "unlisted" if rng.random() < 0.2 else rng.choice(data["pids"])
                t.timed(b, "report form GET", "GET", f"{REPORT}?location={loc}")
            elif r < 0.65:
                t.timed(b, "follow-up GET", "GET", FOLLOW_UP)
            else:
                open_code(t, b, rng.choice(data["codes"]), csrf, "read")

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return t.report(time.monotonic() - started, "read mix")


# --- phase 2: submissions ------------------------------------------------------------------------
def submissions(data: dict[str, list[str]]) -> tuple[dict[str, object], list[tuple[int, str]]]:
    t = Timings()
    receipts: list[tuple[int, str]] = []
    first: dict[str, object] = {}
    refused: list[tuple[int, object]] = []
    lock = threading.Lock()
    counter = iter(range(SUBMISSIONS))

    def worker(seed: int) -> None:
        rng = random.Random(1000 + seed)  # noqa: S311
        b: Browser | None = None
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            if b is None or i % PER_ADDRESS == 0:  # a new reporter: new address and cookies
                if b is not None:
                    b.conn.close()
                b = Browser(_address(i // PER_ADDRESS + 1))
            unlisted = rng.random() < 0.2
            loc = "unlisted" if unlisted else rng.choice(data["pids"])
            r = t.timed(b, "submit form GET", "GET", f"{REPORT}?location={loc}")
            if r is None or r[0] != 200:
                with lock:
                    refused.append((i, "form"))
                continue
            fields: dict[str, object] = {
                "csrfmiddlewaretoken": _field(r[2], "csrfmiddlewaretoken"),
                "location": loc,
                "form_token": _field(r[2], "form_token"),
                "pow_challenge": _field(r[2], "pow_challenge"),
                "pow_solution": "",
                "themes": rng.sample(["living-wage", "safety"], rng.choice((1, 1, 2))),
                "description": (
                    f"Report bench-report-{i}: sixteen-hour night shifts without overtime pay; "
                    "the emergency exit is locked during the shift. " * rng.choice((1, 2, 4))
                ),
                "since": f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "workers_affected": str(rng.randint(1, 2000)),
                "reporter_name": rng.choice(("", "A. Worker")),
                "reporter_contact": rng.choice(("", "+880 1700 000000")),
            }
            if unlisted:
                fields.update(
                    location_text="Dye house behind the rail station, Tongi", country="BD"
                )
            p = t.timed(b, "submit POST", "POST", REPORT, fields)
            if i == 0:
                first.update(fields)
            match = RECEIPT.search(p[2]) if p is not None and p[0] == 200 else None
            with lock:
                if match:
                    receipts.append((i, match.group(1)))
                    if len(receipts) % 1000 == 0:
                        print(
                            f"    {len(receipts)} accepted after "
                            f"{time.monotonic() - started:.0f} s",
                            flush=True,
                        )
                else:
                    refused.append((i, p[0] if p is not None else "error"))

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - started
    summary = t.report(elapsed, f"{SUBMISSIONS} submissions")
    summary["accepted"] = len(receipts)
    summary["refused"] = len(refused)
    summary["submissions_per_s"] = round(len(receipts) / elapsed, 1)
    rate = len(receipts) / elapsed if receipts else 0
    summary["seconds_for_10000"] = round(10000 / rate) if rate else None
    print(
        f"  accepted {len(receipts)} of {SUBMISSIONS} ({len(refused)} refused, e.g. "
        f"{refused[:3]}) = {summary['submissions_per_s']} submissions/s; 10,000 would take "
        f"{summary['seconds_for_10000']} s "
        f"({'fits' if rate and 10000 / rate <= 3600 else 'does NOT fit'} in an hour)",
        flush=True,
    )
    summary["first_fields"] = first
    return summary, receipts


def replay(fields: dict[str, object]) -> object:
    """The first submission's single-use form token, posted again after all the others: the
    server must refuse it (409) whatever else went through its cache meanwhile."""
    if not fields:
        return None
    b = Browser(_address(80000))
    page = b.request("GET", f"{REPORT}?location={fields['location']}")
    status = b.request(
        "POST", REPORT, {**fields, "csrfmiddlewaretoken": _field(page[2], "csrfmiddlewaretoken")}
    )[0]
    print(
        f"  replay of the first form token after the run: {status} "
        f"({'refused, good' if status == 409 else 'ACCEPTED: the single-use token was forgotten'})",
        flush=True,
    )
    return status


def verify(receipts: list[tuple[int, str]]) -> dict[str, object]:
    sample = (
        receipts
        if not VERIFY or len(receipts) <= VERIFY
        else random.Random(9).sample(receipts, VERIFY)  # noqa: S311
    )
    t = Timings()
    bad: list[tuple[int, str]] = []
    lock = threading.Lock()
    chunks = [sample[i::THREADS] for i in range(THREADS)]

    def worker(seed: int) -> None:
        b = Browser(_address(70000 + seed))
        csrf = _field(b.request("GET", FOLLOW_UP)[2], "csrfmiddlewaretoken")
        for i, code in chunks[seed]:
            page = open_code(t, b, code, csrf, "verify")
            if page is None or f"bench-report-{i}:" not in page:
                with lock:
                    bad.append((i, code))

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    summary = t.report(time.monotonic() - started, f"verify {len(sample)} receipt codes")
    summary["checked"] = len(sample)
    summary["failed"] = len(bad)
    print(
        f"  {len(sample) - len(bad)} of {len(sample)} codes open their own report; failed: {bad[:3]}"
    )
    return summary


def _count(tmp: Path) -> int:
    with sqlite3.connect(tmp / "signals.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM signals_signal").fetchone()[0])


def _wait() -> None:
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            conn.request("GET", FOLLOW_UP)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def _warm() -> None:
    """Each worker builds the list's search index on its first search."""
    threads = []
    for n in range(WORKERS * 3):
        b = Browser(_address(50000 + n))
        threads.append(threading.Thread(target=b.request, args=("GET", f"{REPORT}?q=garment")))
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load")
    args = parser.parse_args()
    if args.load:
        load(Path(args.load))
        return
    tmp = Path(tempfile.mkdtemp(prefix="covenant-signals-"))
    (tmp / "bench_signals_settings.py").write_text(
        SETTINGS.format(key_file=str(tmp / "signal-keys.json"))
    )
    print(f"load average before: {loadavg()} (2 cores, shared)", flush=True)
    print(
        f"preparing {SIZE:,} published locations, {SEED_SIGNALS} seeded reports in {tmp}",
        flush=True,
    )
    env = _env(tmp)
    subprocess.run([PY, __file__, "--load", str(tmp)], env=env, check=True, cwd=ROOT)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [
            GUNICORN,
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--timeout",
            "600",
            "--log-level",
            "error",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    out: dict[str, object] = {"size": SIZE, "threads": THREADS, "workers": WORKERS}
    try:
        _wait()
        _warm()
        print(
            f"phase 1: read mix, {SECONDS:.0f} s, {THREADS} threads, {SEED_SIGNALS} codes",
            flush=True,
        )
        data = json.loads((tmp / "data.json").read_text())
        out["read"] = read_mix(data)
        before = _count(tmp)
        print(
            f"phase 2: {SUBMISSIONS} submissions, {THREADS} threads, {PER_ADDRESS} per address",
            flush=True,
        )
        out["submit"], receipts = submissions(data)
        added = _count(tmp) - before
        out["db_added"] = added
        print(
            f"  database: {added} new reports for {len(receipts)} receipt codes "
            f"({'exact' if added == len(receipts) == SUBMISSIONS else 'MISMATCH'})",
            flush=True,
        )
        first = out["submit"].pop("first_fields")  # type: ignore[attr-defined]
        out["replay_status"] = replay(first)  # type: ignore[arg-type]
        out["verify"] = verify(receipts)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after: {loadavg()}", flush=True)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
