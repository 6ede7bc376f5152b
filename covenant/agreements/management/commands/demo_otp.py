"""`manage.py demo_otp` (`make otp`): the current code of the demo authenticator."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo secretariat, assessor and committee."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "COVENANT_DEMO", False):
            raise CommandError("Demo accounts are disabled here (settings.COVENANT_DEMO is false).")
        totp = pyotp.TOTP(settings.DEMO_TOTP_SECRET)
        now = time.time()
        seconds_left = totp.interval - int(now) % totp.interval
        self.stdout.write(
            f"{totp.at(now)}  (valid for {seconds_left} more seconds; "
            "for the users secretariat, assessor and committee)"
        )
