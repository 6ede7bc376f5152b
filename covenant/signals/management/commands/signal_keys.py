"""`manage.py signal_keys init|add|rotate|status|drop KEY_ID`: the keyring of the signals'
encryption at rest (docs/operations.md, ADR 0008).

- init: create the keyring file (refuses to overwrite one).
- add: add a new key to the file and make it current (new data uses it at once).
- rotate: re-encrypt every ciphertext that is not under the current key.
- status: which key ids hold how many ciphertexts.
- drop KEY_ID: remove an old key from the file, only when no ciphertext uses it any more.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from covenant.signals import conf, crypto, services


class Command(BaseCommand):
    help = "Manage the keys that encrypt signals at rest: init, add, rotate, status, drop."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "add", "rotate", "status", "drop"])
        parser.add_argument("key_id", nargs="?", default="")

    def handle(self, *args, action: str, key_id: str, **options):
        try:
            self._handle(action, key_id)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _handle(self, action: str, key_id: str) -> None:
        path = conf.key_file()
        if action in ("init", "add", "drop") and conf.keys_from_env():
            raise CommandError(
                "SIGNALS_KEYS is set: the keyring comes from the environment. Change it there "
                "(add a key, make it current), then run `signal_keys rotate`."
            )
        if action == "init":
            if path.exists():
                raise CommandError(f"{path} exists already; use `add` for a new key.")
            crypto.write_keyring(crypto.new_keyring(), path, create_only=True)
            crypto.keyring_reset()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {path} (mode 0600). Back it up apart from the database."
                )
            )
        elif action == "add":
            ring = crypto.keyring()
            new_id = crypto.new_key_id()
            keys = {**ring.keys, new_id: crypto.AESGCM.generate_key(256)}
            crypto.write_keyring(dataclasses.replace(ring, current=new_id, keys=keys), path)
            crypto.keyring_reset()
            self.stdout.write(
                self.style.SUCCESS(f"Key {new_id} added and current. Now run `signal_keys rotate`.")
            )
        elif action == "rotate":
            result = services.keys_rotate()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.rewritten} rows re-encrypted under {crypto.keyring().current}."
                )
            )
        elif action == "status":
            ring = crypto.keyring()
            counts = services.keys_in_use()
            for kid in sorted(set(ring.keys) | set(counts)):
                mark = " (current)" if kid == ring.current else ""
                missing = "" if kid in ring.keys else " MISSING FROM KEYRING"
                self.stdout.write(f"{kid}{mark}: {counts.get(kid, 0)} ciphertexts{missing}")
        elif action == "drop":
            ring = crypto.keyring()
            if key_id not in ring.keys:
                raise CommandError(f"There is no key '{key_id}' in the keyring.")
            if key_id == ring.current:
                raise CommandError("The current key cannot be dropped; `add` a new one first.")
            used = services.keys_in_use().get(key_id, 0)
            if used:
                raise CommandError(f"{used} ciphertexts still use {key_id}: run `rotate` first.")
            keys = {k: v for k, v in ring.keys.items() if k != key_id}
            crypto.write_keyring(dataclasses.replace(ring, keys=keys), path)
            crypto.keyring_reset()
            self.stdout.write(self.style.SUCCESS(f"Key {key_id} removed."))
