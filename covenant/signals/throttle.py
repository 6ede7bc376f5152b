"""Throttling and anti-spam of the public reporting pages, designed not to lock out an NGO
office or a union whose members all share one address.

- Addresses are never stored: each is reduced to a keyed hash (crypto.lookup_hash).
- A token bucket per hashed address, kept in the shared cache: a generous burst
  (SIGNALS_THROTTLE_BURST, 30) refilled at SIGNALS_THROTTLE_PER_HOUR. While the bucket has
  tokens, a report goes through with nothing asked.
- When the bucket is empty the form carries a proof-of-work challenge: a tiny script finds a
  number whose SHA-256 with the challenge starts with N zero bits (about a second on a cheap
  phone; bots pay it for every report). A solved challenge lets the report through, up to a
  hard cap per address and hour (SIGNALS_HARD_LIMIT_PER_HOUR). Without JavaScript the person
  is told, in their language, how long to wait.
- Every form carries a signed, single-use form token: a report posted without loading the
  form, or posted twice, is refused (a double click does not make two reports).
- Wrong receipt codes: at most SIGNALS_CODE_FAILURES per address in 15 minutes, each one
  logged (ReceiptAttempt and the audit log), then the follow-up page asks to wait.

The cache operations are not atomic across processes; a burst of parallel requests can get a
few more reports through than the bucket holds. That is acceptable for anti-spam; the hard
cap uses the cache's atomic incr.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from covenant.signals import conf, crypto

FORM_SALT = "covenant.signals.form"
POW_SALT = "covenant.signals.pow"
FORM_MAX_AGE = 6 * 3600
FAILURE_WINDOW = 15 * 60


def client_hash(request: HttpRequest) -> str:
    """The keyed hash of the client's address (REMOTE_ADDR, or behind a reverse proxy the
    header named by SIGNALS_CLIENT_IP_HEADER, its right-most value)."""
    header = conf.client_ip_header()
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        address = forwarded.split(",")[-1].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return crypto.lookup_hash(address, purpose="signal.client")


# --- token bucket ----------------------------------------------------------------------------
@dataclass
class Bucket:
    tokens: float
    stamp: float


def _bucket_key(client: str) -> str:
    return f"signals:bucket:{client}"


def _load(client: str, now: float) -> Bucket:
    capacity = conf.throttle_capacity()
    raw = cache.get(_bucket_key(client))
    if raw is None:
        return Bucket(tokens=float(capacity), stamp=now)
    tokens, stamp = raw
    rate = conf.throttle_per_hour() / 3600.0
    return Bucket(tokens=min(float(capacity), tokens + (now - stamp) * rate), stamp=now)


def tokens_left(client: str) -> float:
    return _load(client, time.time()).tokens


def needs_proof_of_work(client: str) -> bool:
    return tokens_left(client) < 1


def seconds_until_token(client: str) -> int:
    bucket = _load(client, time.time())
    if bucket.tokens >= 1:
        return 0
    rate = conf.throttle_per_hour() / 3600.0
    return math.ceil((1 - bucket.tokens) / rate) if rate > 0 else 3600


def take(client: str) -> bool:
    """Take one token; False when the bucket is empty (then a proof of work is needed)."""
    now = time.time()
    bucket = _load(client, now)
    if bucket.tokens < 1:
        return False
    cache.set(_bucket_key(client), (bucket.tokens - 1, now), 24 * 3600)
    return True


def under_hard_limit(client: str) -> bool:
    key = f"signals:hard:{client}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3700)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3700)
        count = 1
    return count <= conf.hard_limit_per_hour()


# --- form tokens -----------------------------------------------------------------------------
def form_token_new() -> str:
    return signing.dumps({"n": secrets.token_urlsafe(12), "t": time.time()}, salt=FORM_SALT)


def form_token_use(token: str) -> bool:
    """True once for a token this server issued within FORM_MAX_AGE; False afterwards."""
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return False
    from django.db import IntegrityError, transaction

    from covenant.signals.models import UsedFormToken

    try:
        with transaction.atomic():
            UsedFormToken.objects.create(nonce=str(data["n"])[:40], used_at=timezone.now())
    except IntegrityError:
        return False
    return True


def form_tokens_purge(*, now: dt.datetime | None = None) -> int:
    """Forget used form tokens older than a token's validity (they are refused anyway by
    their signature's age). Returns how many were removed."""
    from covenant.signals.models import UsedFormToken

    cutoff = (now or timezone.now()) - dt.timedelta(seconds=FORM_MAX_AGE + 60)
    deleted, _ = UsedFormToken.objects.filter(used_at__lt=cutoff).delete()
    return int(deleted)


# --- proof of work ---------------------------------------------------------------------------
def pow_challenge_new() -> str:
    return signing.dumps(
        {"n": secrets.token_hex(8), "b": conf.pow_bits(), "t": time.time()}, salt=POW_SALT
    )


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def pow_solve(challenge: str) -> str:
    """What the page's script does (used by tests and the API documentation)."""
    data = signing.loads(challenge, salt=POW_SALT)
    counter = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{counter}".encode()).digest()
        if _leading_zero_bits(digest) >= data["b"]:
            return str(counter)
        counter += 1


def pow_verify(challenge: str, solution: str) -> bool:
    """A challenge this server issued (within an hour), solved, and not used before."""
    try:
        data = signing.loads(challenge, salt=POW_SALT, max_age=3600)
    except signing.BadSignature:
        return False
    if not solution.isdigit() or len(solution) > 12:
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    if _leading_zero_bits(digest) < data["b"]:
        return False
    return bool(cache.add(f"signals:pow:{data['n']}", 1, 3700))


# --- receipt codes ---------------------------------------------------------------------------
def code_attempts_blocked(client: str) -> bool:
    from covenant.signals.models import ReceiptAttempt

    since = timezone.now() - dt.timedelta(seconds=FAILURE_WINDOW)
    failures = ReceiptAttempt.objects.filter(client_hash=client, created_at__gte=since).count()
    return failures >= conf.code_failures_allowed()
