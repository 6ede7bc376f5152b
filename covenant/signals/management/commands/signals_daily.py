"""`manage.py signals_daily`: run once a day (cron or a systemd timer, docs/operations.md):
reminders for overdue stages (e-mailed by the task worker) and retention (warnings, then
anonymising closed signals past the agreement's period). Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from covenant.signals import services


class Command(BaseCommand):
    help = "Send reminders for overdue signals and apply the retention periods."

    def add_arguments(self, parser):
        parser.add_argument("--no-reminders", action="store_true")
        parser.add_argument("--no-retention", action="store_true")

    def handle(self, *args, no_reminders: bool = False, no_retention: bool = False, **options):
        if not no_reminders:
            n = services.deadlines_remind()
            self.stdout.write(f"{n} reminders scheduled")
        if not no_retention:
            result = services.signals_retention()
            self.stdout.write(
                f"{result.warned} signals warned, {result.anonymised} signals anonymised"
            )
        from covenant.signals.throttle import form_tokens_purge

        self.stdout.write(f"{form_tokens_purge()} expired form tokens forgotten")
