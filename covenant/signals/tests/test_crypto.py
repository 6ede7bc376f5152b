"""Encryption at rest: round trips, the key id in every ciphertext, tampering and purpose
binding, keyring configuration, rotation, and a raw read of the signal tables (SQLite file
or PostgreSQL) that finds none of the reporter's plain text."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from covenant.signals import crypto, services
from covenant.signals.models import Signal, SignalAttachment, SignalMessage
from covenant.signals.tests.conftest import (
    DESCRIPTION,
    LOCATION_TEXT,
    PNG,
    REPORTER_CONTACT,
    REPORTER_NAME,
    submit,
)


def test_round_trip_and_key_id(db, signal_keys):
    token = crypto.encrypt("geheim", purpose="signal.description")
    ring = crypto.keyring()
    assert crypto.key_id_of(token) == ring.current
    assert b"geheim" not in token
    assert crypto.decrypt(token, purpose="signal.description") == b"geheim"
    # Same plain text, new nonce: ciphertexts differ.
    assert crypto.encrypt("geheim", purpose="signal.description") != token


def test_keyring_file_created_private(db, signal_keys):
    crypto.keyring()
    assert signal_keys.exists()
    assert stat.S_IMODE(os.stat(signal_keys).st_mode) == 0o600
    data = json.loads(signal_keys.read_text())
    assert data["current"] in data["keys"]


def test_wrong_purpose_or_tampering_fails(db, signal_keys):
    token = crypto.encrypt("geheim", purpose="signal.description")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="signal.reporter_name")
    tampered = token[:-1] + bytes([token[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, purpose="signal.description")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(b"plain text", purpose="signal.description")


def test_production_refuses_without_keyring(db, settings, signal_keys):
    settings.SIGNALS_KEY_AUTOCREATE = False
    crypto.keyring_reset()
    with pytest.raises(ImproperlyConfigured, match="No signal keyring"):
        crypto.encrypt("x", purpose="p")
    assert not signal_keys.exists()


def test_keyring_from_environment_setting(db, settings):
    ring = crypto.new_keyring()
    settings.SIGNALS_KEYS = ring.to_json()
    crypto.keyring_reset()
    token = crypto.encrypt("x", purpose="p")
    assert crypto.key_id_of(token) == ring.current
    settings.SIGNALS_KEYS = '{"current": "a", "keys": {}}'
    crypto.keyring_reset()
    with pytest.raises(ImproperlyConfigured, match=r"not valid|no key"):
        crypto.encrypt("x", purpose="p")


def test_missing_key_is_a_clear_error(db, signal_keys):
    token = crypto.encrypt("x", purpose="p")
    other = crypto.new_keyring()
    with pytest.raises(crypto.DecryptionError, match="not in the keyring"):
        crypto.decrypt(token, purpose="p", ring=other)


def _signal_rows() -> bytes:
    """Every column of every row of the signal tables, as the database returns them."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("signals_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        out.append(bytes(value))
                    elif value is not None:
                        out.append(str(value).encode())
    return b"\x00".join(out)


def _pg_dump() -> bytes:
    params = connection.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    command = ["pg_dump", "--data-only", "-d", params["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    return subprocess.run(command, capture_output=True, check=True, env=env, timeout=120).stdout


SECRETS = [
    REPORTER_NAME,
    REPORTER_CONTACT,
    DESCRIPTION,
    LOCATION_TEXT,
    "night-shift-proof.png",
    "SECRET-PHOTO-BYTES-7f3a",
    "Sixteen hours again last week",
]


@pytest.mark.django_db(transaction=True)
def test_raw_database_read_has_no_plain_text(world):
    submitted = submit(world)
    services.signal_reporter_add(
        signal=submitted.signal, text="Sixteen hours again last week", attachments=[]
    )
    dump = _signal_rows()
    assert len(dump) > 200
    for secret in [*SECRETS, submitted.receipt_code, submitted.receipt_code_display]:
        for variant in {secret, secret.lower(), secret.upper()}:
            assert variant.encode() not in dump, secret
    # Not in any other table either (the audit log, the task queue).
    if connection.vendor == "sqlite":
        connection.close()
        raw = open(connection.settings_dict["NAME"], "rb").read()  # noqa: SIM115
        wal = connection.settings_dict["NAME"] + "-wal"
        if os.path.exists(wal):
            raw += open(wal, "rb").read()  # noqa: SIM115
        for secret in SECRETS:
            assert secret.encode() not in raw, secret
    if connection.vendor == "postgresql" and shutil.which("pg_dump"):
        dump_bytes = _pg_dump()
        assert b"signals_signal" in dump_bytes
        for secret in SECRETS:
            assert secret.encode() not in dump_bytes, secret
    # And the data is really there, for those with the key.
    signal = Signal.objects.get(pk=submitted.signal.pk)
    assert crypto.decrypt_text(signal.reporter_name_enc, purpose=services.P_NAME) == REPORTER_NAME
    attachment = SignalAttachment.objects.get(signal=signal)
    assert crypto.decrypt(attachment.data_enc, purpose=services.P_FILE) == PNG


@pytest.mark.django_db(transaction=True)
def test_rotation_re_encrypts_everything(world, signal_keys, capsys):
    submitted = submit(world)
    services.signal_reporter_add(signal=submitted.signal, text="More detail", attachments=[])
    old = crypto.keyring().current
    call_command("signal_keys", "add")
    new = crypto.keyring().current
    assert new != old
    assert services.keys_in_use() == {old: 7}  # location, description, name, contact, msg, file x2
    call_command("signal_keys", "rotate")
    assert services.keys_in_use() == {new: 7}
    # Running it again changes nothing (idempotent).
    assert services.keys_rotate().rewritten == 0
    call_command("signal_keys", "drop", old)
    assert old not in json.loads(signal_keys.read_text())["keys"]
    signal = Signal.objects.get(pk=submitted.signal.pk)
    assert (
        crypto.decrypt_text(signal.description_enc, purpose=services.P_DESCRIPTION) == DESCRIPTION
    )
    message = SignalMessage.objects.get(signal=signal)
    assert crypto.decrypt_text(message.body_enc, purpose=services.P_MESSAGE) == "More detail"
    call_command("signal_keys", "status")
    assert f"{new} (current): 7 ciphertexts" in capsys.readouterr().out


def test_drop_refuses_a_key_in_use(world, signal_keys):
    from django.core.management.base import CommandError

    submit(world)
    old = crypto.keyring().current
    call_command("signal_keys", "add")
    with pytest.raises(CommandError, match="still use"):
        call_command("signal_keys", "drop", old)
    with pytest.raises(CommandError, match="current key"):
        call_command("signal_keys", "drop", crypto.keyring().current)


def test_init_refuses_to_overwrite(db, signal_keys):
    from django.core.management.base import CommandError

    call_command("signal_keys", "init")
    with pytest.raises(CommandError, match="exists already"):
        call_command("signal_keys", "init")


def test_status_fails_clearly_without_a_keyring(db, settings, signal_keys):
    from django.core.management.base import CommandError

    settings.SIGNALS_KEY_AUTOCREATE = False
    crypto.keyring_reset()
    with pytest.raises(CommandError, match="No signal keyring"):
        call_command("signal_keys", "status")
