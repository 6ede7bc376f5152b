"""Fetch-and-authorise helpers of the signals app, used by pages and API alike. Rules live in
covenant/accounts/permissions.py (block "signals"); reads of a signal's content by the
secretariat are audited here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.agreements.models import Agreement
from covenant.core.errors import NotFound
from covenant.signals.models import Signal
from covenant.supplychain.models import PublishedLocation


def published_location(*, agreement: Agreement, public_id: str) -> PublishedLocation:
    """A location of the agreement's latest published list that has it (public)."""
    location = (
        PublishedLocation.objects.filter(
            published_list__agreement=agreement, public_id=public_id.upper()
        )
        .order_by("-published_list__year")
        .first()
    )
    if location is None:
        raise NotFound(_("There is no location %(id)s on the published list.") % {"id": public_id})
    return location


def access_signal_reporter(*, signal_id: int) -> Signal:
    """The reporter's own signal: only after the receipt code was checked (the caller holds
    the id from its session). Anonymised signals are gone for the reporter."""
    signal = (
        Signal.objects.select_related("agreement", "facility")
        .filter(pk=signal_id, anonymised_at__isnull=True)
        .first()
    )
    if signal is None:
        raise NotFound(_("There is no such report."))
    return signal
