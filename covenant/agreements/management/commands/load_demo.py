"""`manage.py load_demo`: load the demo agreements, companies and accounts (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
            self._supplychain(options)
            self._duediligence(options)
            self._complaints()
            self._signals()
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
        self._supplychain(options)
        self._duediligence(options)
        self._complaints()
        self._signals()
        self.stdout.write("Run `manage.py demo_accounts` to see how to sign in.")

    def _supplychain(self, options: dict[str, Any]) -> None:
        """Production locations of the garment demo: loaded on their own check, so a database
        with the foundation demo but without them gets them."""
        from covenant.supplychain.demo import load_supplychain_demo, supplychain_demo_is_loaded

        if supplychain_demo_is_loaded():
            self.stdout.write("supply-chain demo already loaded")
            return
        if transaction.get_connection().in_atomic_block:
            # Each disclosure import owns a durable transaction; it cannot run nested.
            self.stdout.write("supply-chain demo skipped (inside a transaction): run again")
            return
        verbose = options.get("verbosity", 1) > 1
        try:
            s = load_supplychain_demo(log=self.stdout.write if verbose else None)
        except ApplicationError as exc:
            raise CommandError(
                f"Could not load the supply-chain demo: {exc.message}. Run the command again "
                "to complete it (finished disclosures are kept)."
            ) from exc
        published = ", ".join(f"{y}: {n}" for y, n in sorted((s.published or {}).items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Supply-chain demo loaded in {s.seconds:.1f} s: {s.disclosures} disclosures with "
                f"{s.rows} rows, {s.facilities} facilities, {s.review} rows to review, "
                f"published lists {published}, {s.shared} shared facilities, "
                f"{s.opt_ins} opt-ins, {s.introductions} introductions."
            )
        )

    def _complaints(self) -> None:
        """Cases of the garment agreement's complaints committee, on their own check."""
        from covenant.complaints.demo import complaints_demo_is_loaded, load_complaints_demo

        if complaints_demo_is_loaded():
            self.stdout.write("complaints demo already loaded")
            return
        try:
            n = load_complaints_demo()
        except ApplicationError as exc:
            raise CommandError(f"Could not load the complaints demo: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"Complaints demo loaded: {n} cases."))

    def _duediligence(self, options: dict[str, Any]) -> None:
        """Assessment framework (and later the cycle) of the garment demo, on its own check."""
        from covenant.duediligence.demo import duediligence_demo_is_loaded, load_duediligence_demo

        if duediligence_demo_is_loaded():
            self.stdout.write("due diligence demo already loaded")
            return
        if transaction.get_connection().in_atomic_block:
            # The services own durable transactions; they cannot run nested.
            self.stdout.write("due diligence demo skipped (inside a transaction): run again")
            return
        verbose = options.get("verbosity", 1) > 1
        try:
            s = load_duediligence_demo(log=self.stdout.write if verbose else None)
        except ApplicationError as exc:
            raise CommandError(f"Could not load the due diligence demo: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"Due diligence demo loaded: {s.summary_line()}"))

    def _signals(self) -> None:
        """Demo signals (abuse reports) about facilities of the supply-chain demo."""
        from covenant.signals.demo import load_signals_demo, signals_demo_is_loaded

        if signals_demo_is_loaded():
            self.stdout.write("signals demo already loaded")
            return
        if transaction.get_connection().in_atomic_block:
            self.stdout.write("signals demo skipped (inside a transaction): run again")
            return
        try:
            n = load_signals_demo()
        except ApplicationError as exc:
            raise CommandError(f"Could not load the signals demo: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Signals demo loaded: {n} signals (receipt codes DEMS-1GNA-1C0D-E000-0000-0001 to 4)."
            )
        )
