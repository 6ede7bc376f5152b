"""`manage.py load_demo`: load the demo agreements, companies and accounts (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from covenant.agreements.demo import demo_is_loaded, load_demo
from covenant.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Load the demo: the garment agreement (AGT 2016-2021) with fictional member companies, "
        "a natural-stone agreement and one account per role. Does nothing when the demo is "
        "already loaded. Only runs when settings.COVENANT_DEMO is true."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "COVENANT_DEMO", False):
            raise CommandError(
                "Demo data is disabled: settings.COVENANT_DEMO is false. The demo can only be "
                "loaded with the dev or test settings (or COVENANT_DEMO=1), never in production."
            )
        if demo_is_loaded():
            self.stdout.write("demo already loaded")
            return
        started = time.monotonic()
        verbose = options.get("verbosity", 1) > 1
        try:
            summary = load_demo(log=self.stdout.write if verbose else None)
        except ApplicationError as exc:
            raise CommandError(
                f"Could not load the demo (nothing was saved): {exc.message}"
                + (f" [{exc.field}]" if exc.field else "")
            ) from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {seconds:.1f} s: 2 agreements, {summary.companies} companies "
                f"with {summary.brands} brands, {summary.parties} party signatures, "
                f"{summary.supporters} supporters, {summary.users} accounts."
            )
        )
        self.stdout.write("Run `manage.py demo_accounts` to see how to sign in.")
