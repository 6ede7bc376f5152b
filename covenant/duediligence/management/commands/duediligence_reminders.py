"""`manage.py duediligence_reminders`: queue today's deadline reminders (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from covenant.duediligence.models import AssessmentRound
from covenant.duediligence.services.notifications import reminders_schedule


class Command(BaseCommand):
    help = (
        "Remind member companies that have not submitted their self-assessment, 14 and 3 days "
        "before the deadline. Each reminder is sent once; safe to run more than once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        total = 0
        for round_ in AssessmentRound.objects.filter(deadline__gte=today).select_related(
            "agreement"
        ):
            n = reminders_schedule(round_=round_, today=today)
            total += n
            if n:
                self.stdout.write(f"{round_.agreement.slug} {round_.year}: {n} companies reminded")
        self.stdout.write(f"{total} reminders queued")
