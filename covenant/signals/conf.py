"""Settings of the signals app, read from Django settings with defaults from the environment,
so the app needs no block in config/settings (everything here is listed in .env.example)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def key_file() -> Path:
    """The keyring file (JSON). Production sets SIGNALS_KEY_FILE to a path outside the
    database backups (a mounted secret); dev and tests use var/signal-keys.json."""
    path = _get("SIGNALS_KEY_FILE", os.environ.get("SIGNALS_KEY_FILE", ""))
    return Path(path) if path else Path(settings.VAR_DIR) / "signal-keys.json"


def keys_from_env() -> str:
    """The keyring inline (same JSON as the file), for platforms that pass secrets as
    environment variables: SIGNALS_KEYS. Takes precedence over the file."""
    return str(_get("SIGNALS_KEYS", os.environ.get("SIGNALS_KEYS", "")))


def key_autocreate() -> bool:
    """Create the keyring on first use: dev and tests only. Production refuses to start
    encrypting without a configured key (a new key per process would lose data)."""
    default = settings.DEBUG or bool(getattr(settings, "COVENANT_DEMO", False))
    return bool(_get("SIGNALS_KEY_AUTOCREATE", default))


# Names of the languages of production countries, each in its own language. Offered on the
# reporting pages when listed in SIGNALS_LANGUAGES *and* the project has a catalogue for it
# (locale/<code>/LC_MESSAGES/django.mo); English always works.
LANGUAGE_NAMES = {
    "en": "English",
    "nl": "Nederlands",
    "bn": "বাংলা",
    "hi": "हिन्दी",
    "ta": "தமிழ்",
    "ur": "اردو",
    "zh-hans": "简体中文",
    "vi": "Tiếng Việt",
    "km": "ខ្មែរ",
    "tr": "Türkçe",
    "my": "မြန်မာ",
    "id": "Bahasa Indonesia",
}


# All of them by default. The catalogues other than English and Dutch were machine-written
# and need review by a native speaker (see docs/operations.md, "Languages").
DEFAULT_LANGUAGES = ",".join(LANGUAGE_NAMES)


def _has_catalogue(code: str) -> bool:
    from django.utils.translation import to_locale

    locale = to_locale(code)
    return any(
        (Path(p) / locale / "LC_MESSAGES" / "django.mo").exists() for p in settings.LOCALE_PATHS
    )


def languages() -> list[tuple[str, str]]:
    """Languages of the public reporting pages: (code, name in that language). A setting
    (SIGNALS_LANGUAGES, comma-separated codes); a language without a catalogue is left out
    rather than shown in English under its own name."""
    codes = _get("SIGNALS_LANGUAGES", os.environ.get("SIGNALS_LANGUAGES", DEFAULT_LANGUAGES))
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    return [
        (c, LANGUAGE_NAMES.get(c, c))
        for c in codes
        if c == "en" or (c in LANGUAGE_NAMES and _has_catalogue(c))
    ]


MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# Content types accepted, each recognised by its first bytes (not by the name the browser sent).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)),
    "application/pdf": (".pdf", (b"%PDF-",)),
}


def throttle_capacity() -> int:
    """Submissions one network (hashed address) may make in a burst before it is asked for a
    proof of work; refilled at SIGNALS_THROTTLE_PER_HOUR."""
    return int(_get("SIGNALS_THROTTLE_BURST", os.environ.get("SIGNALS_THROTTLE_BURST", "30")))


def throttle_per_hour() -> int:
    return int(_get("SIGNALS_THROTTLE_PER_HOUR", os.environ.get("SIGNALS_THROTTLE_PER_HOUR", "30")))


def hard_limit_per_hour() -> int:
    """Even with proofs of work: at most this many submissions per network and hour."""
    return int(
        _get("SIGNALS_HARD_LIMIT_PER_HOUR", os.environ.get("SIGNALS_HARD_LIMIT_PER_HOUR", "300"))
    )


def pow_bits() -> int:
    """Difficulty of the proof of work (leading zero bits of SHA-256): 18 is ~0.3 s of
    JavaScript on a cheap phone."""
    return int(_get("SIGNALS_POW_BITS", 18))


def code_failures_allowed() -> int:
    """Wrong receipt codes per network within 15 minutes before the follow-up page waits."""
    return int(_get("SIGNALS_CODE_FAILURES", 10))


def client_ip_header() -> str:
    """Behind a reverse proxy: the request header the proxy sets to the client's address
    (e.g. HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP); the right-most value is used, the one the
    proxy itself added. Empty: REMOTE_ADDR. Only set it when a proxy always sets the header,
    else clients choose their own address and the throttle is void."""
    return str(_get("SIGNALS_CLIENT_IP_HEADER", os.environ.get("SIGNALS_CLIENT_IP_HEADER", "")))
