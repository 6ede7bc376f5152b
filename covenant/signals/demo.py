"""Demo signals of the garment agreement (fictional), loaded by `load_demo` after the
supply-chain demo (they are about facilities of its published list):

1. new: an anonymous report about an unlisted dye house, just received;
2. needs_info: a report the secretariat asked a question about;
3. forwarded: a report about a factory that two demo members (company1's Noordzee Mode and
   company2's Tulip Denim) share, forwarded without the reporter's identity; Noordzee Mode
   responded, Tulip Denim is overdue;
4. closed: a resolved report with the summary the reporter sees.

Each has a documented receipt code (demo only: real codes are random and shown once), so the
follow-up pages can be tried: DEMS-1GNA-1C0D-E000-0000-000N with N = 1 to 4. Idempotent: a
signal whose code exists is skipped. No e-mails (side effects suppressed)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Organisation
from covenant.core.side_effects import suppressed
from covenant.signals import services
from covenant.signals.models import Signal, SignalEvent
from covenant.supplychain.models import Contribution, Disclosure, PublishedLocation

GARMENTS_SLUG = "garments"
DEMO_CODES = [f"DEMS-1GNA-1C0D-E000-0000-000{n}" for n in range(1, 5)]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def signals_demo_is_loaded() -> bool:
    return Signal.objects.filter(receipt_hash=services.receipt_hash(DEMO_CODES[-1])).exists()


def _shared_location(
    agreement: Agreement, companies: list[Organisation]
) -> PublishedLocation | None:
    """A location of the latest published list that all `companies` disclosed last."""
    latest = [
        Disclosure.objects.filter(agreement=agreement, company=c, status="accepted")
        .order_by("-year")
        .values_list("pk", flat=True)
        .first()
        for c in companies
    ]
    if None in latest:
        return None
    facility_ids = (
        Contribution.objects.filter(disclosure_id__in=latest, facility__isnull=False)
        .values("facility_id")
        .annotate(n=Count("disclosure_id", distinct=True))
        .filter(n=len(companies))
        .order_by("facility_id")
        .values_list("facility_id", flat=True)
    )
    return (
        PublishedLocation.objects.filter(
            published_list__agreement=agreement, facility_id__in=list(facility_ids[:500])
        )
        .order_by("-published_list__year", "public_id")
        .first()
    )


def _only_location(agreement: Agreement, company: Organisation) -> PublishedLocation | None:
    """A published location that only `company` of the members uses."""
    from covenant.signals.selectors import companies_linked

    latest = (
        Disclosure.objects.filter(agreement=agreement, company=company, status="accepted")
        .order_by("-year")
        .values_list("pk", flat=True)
        .first()
    )
    candidates = (
        PublishedLocation.objects.filter(
            published_list__agreement=agreement,
            facility__contributions__disclosure_id=latest,
        )
        .select_related("facility")
        .order_by("-published_list__year", "public_id")[:200]
    )
    for location in candidates:
        assert location.facility is not None
        if companies_linked(agreement=agreement, facility=location.facility) == [company]:
            return location
    return None


def _set_code(submitted: services.Submitted, code: str) -> Signal:
    Signal.objects.filter(pk=submitted.signal.pk).update(receipt_hash=services.receipt_hash(code))
    return Signal.objects.get(pk=submitted.signal.pk)


def _backdate(signal: Signal, days: int) -> None:
    """Make the demo's history look lived-in: the signal and its events `days` ago."""
    past = timezone.now() - dt.timedelta(days=days)
    Signal.objects.filter(pk=signal.pk).update(created_at=past)
    SignalEvent.objects.filter(signal=signal, kind="received").update(created_at=past)


def load_signals_demo() -> int:
    """Load the demo signals; returns how many were created."""
    agreement = Agreement.objects.filter(slug=GARMENTS_SLUG).first()
    secretariat = User.objects.filter(username="secretariat").first()
    company1 = User.objects.filter(username="company1").first()
    if agreement is None or secretariat is None or company1 is None:
        return 0
    noordzee = Organisation.objects.filter(slug="noordzee-mode").first()
    tulip = Organisation.objects.filter(slug="tulip-denim").first()
    if noordzee is None or tulip is None:
        return 0
    shared = _shared_location(agreement, [noordzee, tulip])
    own = _only_location(agreement, noordzee)
    themes = [t.code for t in agreement.themes.all()]

    def theme(*wanted: str) -> list[str]:
        return [t for t in wanted if t in themes] or themes[:1]

    created = 0
    with suppressed():
        existing = set(Signal.objects.values_list("receipt_hash", flat=True))
        todo = [c for c in DEMO_CODES if services.receipt_hash(c) not in existing]
        if DEMO_CODES[0] in todo:
            s = services.signal_submit(
                agreement=agreement,
                data=services.SignalInput(
                    location_text="Dye house without a name, behind the Tongi rail station, Gazipur",
                    country="BD",
                    theme_codes=theme("health-safety", "occupational-health-and-safety"),
                    description=(
                        "Workers in the dye house handle chemicals without gloves or masks. "
                        "Two workers fainted last week. The exit at the back is locked at night."
                    ),
                    since=timezone.localdate() - dt.timedelta(days=60),
                    workers_affected=40,
                    language="en",
                    attachments=[services.Upload("dye-house.png", PNG)],
                ),
            )
            _set_code(s, DEMO_CODES[0])
            created += 1
        if DEMO_CODES[1] in todo and own is not None:
            s = services.signal_submit(
                agreement=agreement,
                data=services.SignalInput(
                    public_id=own.public_id,
                    theme_codes=theme("living-wage"),
                    description="Wages for the last two months were paid late and short.",
                    workers_affected=300,
                    reporter_contact="+880 1700 000000 (WhatsApp)",
                    language="en",
                ),
            )
            signal = _set_code(s, DEMO_CODES[1])
            _backdate(signal, 5)
            services.signal_ask(
                signal=signal,
                text="Which departments are affected, and how much was paid short?",
                actor=secretariat,
            )
            created += 1
        if DEMO_CODES[2] in todo and shared is not None:
            s = services.signal_submit(
                agreement=agreement,
                data=services.SignalInput(
                    public_id=shared.public_id,
                    theme_codes=theme("freedom-of-association"),
                    description=(
                        "Three union organisers were dismissed after they asked for a meeting "
                        "with the management about overtime."
                    ),
                    since=timezone.localdate() - dt.timedelta(days=90),
                    workers_affected=3,
                    reporter_name="Demo Reporter (fictional)",
                    reporter_contact="demo-reporter@example.org",
                    identity_shareable=False,
                    language="en",
                ),
            )
            signal = _set_code(s, DEMO_CODES[2])
            _backdate(signal, 50)
            services.signal_check(signal=signal, decision="admissible", note="", actor=secretariat)
            forwards = services.signal_forward(
                signal=signal,
                note="Both of you source here: the secretariat proposes a joint follow-up.",
                actor=secretariat,
            )
            Signal.objects.filter(pk=signal.pk).update(
                forwarded_at=timezone.now() - dt.timedelta(days=40)
            )
            for forward in forwards:
                if forward.company_id == noordzee.pk:
                    services.forward_respond(
                        forward=forward,
                        investigation="Our auditor spoke with the workers off-site on 3 March.",
                        actions="The supplier agreed to reinstate the three organisers.",
                        remediation="Back pay for the weeks they were dismissed.",
                        actor=company1,
                    )
            created += 1
        if DEMO_CODES[3] in todo and own is not None:
            s = services.signal_submit(
                agreement=agreement,
                data=services.SignalInput(
                    public_id=own.public_id,
                    theme_codes=theme("child-labour"),
                    description="Two girls of about 14 work in the finishing department.",
                    workers_affected=2,
                    language="nl",
                ),
            )
            signal = _set_code(s, DEMO_CODES[3])
            _backdate(signal, 120)
            services.signal_check(signal=signal, decision="admissible", note="", actor=secretariat)
            forwards = services.signal_forward(signal=signal, note="", actor=secretariat)
            for forward in forwards:
                services.forward_respond(
                    forward=forward,
                    investigation="Confirmed by an unannounced visit.",
                    actions="The girls were taken out of work with pay and enrolled in school.",
                    remediation="Wages continue until they are 16; school costs are paid.",
                    actor=company1,
                )
            services.signal_summary_approve(
                signal=signal,
                text=(
                    "The company confirmed the situation. The two girls no longer work; they "
                    "go to school and their family keeps receiving their wage."
                ),
                actor=secretariat,
            )
            services.signal_close(signal=signal, outcome="resolved", actor=secretariat)
            created += 1
    return created
