"""`manage.py demo_accounts`: how to sign in to the demo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from covenant.agreements.demo import DEMO_PASSWORD, demo_account_rows, demo_is_loaded


class Command(BaseCommand):
    help = "Print the demo accounts with their password, role and organisation."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "COVENANT_DEMO", False):
            self.stdout.write("Demo accounts are disabled here (settings.COVENANT_DEMO is false).")
            return
        if not demo_is_loaded():
            self.stdout.write("The demo is not loaded yet: run `make demo` first.")
        header = ("username", "password", "role", "organisation", "note")
        rows = [
            (username, DEMO_PASSWORD, role, organisation, note)
            for username, role, organisation, note in demo_account_rows()
        ]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("Demo accounts (sign in at /accounts/login/):")
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(
            "secretariat, assessor and committee also need an authenticator code (two-factor "
            f"authentication). Their authenticator secret is {settings.DEMO_TOTP_SECRET} "
            "(add it to any TOTP app), or run `make otp` to print the current code."
        )
