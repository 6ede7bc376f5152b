"""`manage.py complaints_remind`: run once a day (next to signals_daily): e-mails the
committee about every case whose stage deadline is near or past, once per deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from covenant.complaints.services import complaints_remind


class Command(BaseCommand):
    help = "Remind the complaints committee of deadlines that are near or past."

    def handle(self, *args: Any, **options: Any) -> None:
        n = complaints_remind()
        self.stdout.write(f"{n} case(s) reminded of")
