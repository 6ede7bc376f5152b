"""Encryption at rest of what a reporter gives us (identity, contact, free text, files).

AES-256-GCM (the `cryptography` package) with keys kept outside the database, in a keyring:

    {"current": "k20261203a", "keys": {"k20261203a": "<base64 of 32 bytes>", ...},
     "lookup": "<base64 of 32 bytes>"}

from SIGNALS_KEYS (the JSON inline) or the file SIGNALS_KEY_FILE (default var/signal-keys.json,
created with mode 0600 on first use in dev and tests only). Every ciphertext starts with the id
of the key that made it, so keys rotate: add a key, make it current, re-encrypt with
`manage.py signal_keys rotate`, then drop the old key (docs/operations.md, ADR 0008).

Layout of a ciphertext: b"S1" | len(key id) (1 byte) | key id (ASCII) | nonce (12) | GCM
ciphertext+tag. The associated data is the purpose (e.g. "signal.description"), so a value
cannot be moved to another column and still decrypt.

The "lookup" key is for keyed hashes (HMAC-SHA256) of receipt codes and client addresses:
with a database dump alone they can be neither verified nor reversed. It is not rotated by
`rotate` (every receipt code would stop working).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from covenant.signals import conf

MAGIC = b"S1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A ciphertext whose key is missing from the keyring, or that was tampered with."""


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    lookup: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "current": self.current,
                "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()},
                "lookup": base64.b64encode(self.lookup).decode(),
            },
            indent=2,
        )


def _parse(text: str, where: str) -> Keyring:
    try:
        data = json.loads(text)
        keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
        ring = Keyring(
            current=str(data["current"]),
            keys=keys,
            lookup=base64.b64decode(data["lookup"], validate=True),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(f"The signal keyring in {where} is not valid: {exc}") from exc
    if ring.current not in ring.keys:
        raise ImproperlyConfigured(f"The signal keyring in {where} has no key '{ring.current}'.")
    for key_id, key in ring.keys.items():
        if len(key) != 32 or not key_id.isascii() or not 0 < len(key_id) < 64:
            raise ImproperlyConfigured(f"Key '{key_id}' in {where} must be 32 bytes.")
    if len(ring.lookup) < 32:
        raise ImproperlyConfigured(f"The lookup key in {where} must be at least 32 bytes.")
    return ring


def new_key_id() -> str:
    return f"k{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}{secrets.token_hex(2)}"


def new_keyring() -> Keyring:
    key_id = new_key_id()
    return Keyring(current=key_id, keys={key_id: AESGCM.generate_key(256)}, lookup=os.urandom(32))


def write_keyring(ring: Keyring, path: Path, *, create_only: bool = False) -> None:
    """Write the file atomically with mode 0600 (never world-readable, not even briefly).
    `create_only` raises FileExistsError instead of replacing a keyring another process
    made meanwhile (replacing it would lose the key of what that process encrypted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(ring.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    if create_only:
        try:
            os.link(tmp, path)  # atomic: fails when the file exists
        finally:
            os.unlink(tmp)
    else:
        os.replace(tmp, path)


_lock = threading.Lock()
_cached: tuple[tuple[str, float], Keyring] | None = None


def keyring() -> Keyring:
    """The keyring in force (re-read when the file changes, so a rotation needs no restart)."""
    global _cached
    inline = conf.keys_from_env()
    if inline:
        stamp = ("env:" + hashlib.sha256(inline.encode()).hexdigest(), 0.0)
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, _parse(inline, "SIGNALS_KEYS"))
        return _cached[1]
    path = conf.key_file()
    with _lock:
        if not path.exists():
            if not conf.key_autocreate():
                raise ImproperlyConfigured(
                    f"No signal keyring at {path}: create one with "
                    "`manage.py signal_keys init` or set SIGNALS_KEYS (docs/operations.md)."
                )
            # Another process may win the race: then its keyring is the one.
            with contextlib.suppress(FileExistsError):
                write_keyring(new_keyring(), path, create_only=True)
        mtime = path.stat().st_mtime
        stamp = (str(path), mtime)
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, _parse(path.read_text(), str(path)))
        return _cached[1]


def keyring_reset() -> None:
    global _cached
    _cached = None


def encrypt(data: bytes | str, *, purpose: str, ring: Keyring | None = None) -> bytes:
    """Encrypt with the current key; `purpose` binds the value to where it is stored."""
    ring = ring or keyring()
    raw = data.encode() if isinstance(data, str) else data
    key_id = ring.current.encode("ascii")
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(ring.keys[ring.current]).encrypt(nonce, raw, purpose.encode())
    return MAGIC + bytes([len(key_id)]) + key_id + nonce + body


def key_id_of(token: bytes) -> str:
    token = bytes(token)
    if token[:2] != MAGIC or len(token) < 3:
        raise DecryptionError("not a signal ciphertext")
    n = token[2]
    return token[3 : 3 + n].decode("ascii", "replace")


def decrypt(token: bytes | memoryview, *, purpose: str, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    token = bytes(token)
    key_id = key_id_of(token)
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key '{key_id}' is not in the keyring")
    start = 3 + len(key_id.encode("ascii"))
    nonce, body = token[start : start + NONCE_BYTES], token[start + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, purpose.encode())
    except InvalidTag as exc:
        raise DecryptionError("the ciphertext does not match its key or purpose") from exc


def encrypt_text(text: str, *, purpose: str) -> bytes | None:
    """None for an empty value (nothing to hide; the column stays NULL)."""
    return encrypt(text, purpose=purpose) if text else None


def decrypt_text(token: bytes | memoryview | None, *, purpose: str) -> str:
    if token is None:
        return ""
    return decrypt(token, purpose=purpose).decode()


def lookup_hash(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC-SHA256 with the lookup key) for finding a row by a secret value."""
    mac = hmac.new(keyring().lookup, f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return mac.hexdigest()
