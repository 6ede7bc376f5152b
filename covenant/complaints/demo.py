"""Demo cases of the garment agreement's complaints committee (fictional, after the kinds of
cases the seeds describe): a settled dismissal case, a ruling on remediation that was
published, a pending case at the response stage and a company's complaint about its
assessment waiting for the admissibility decision. Idempotent; no e-mails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from covenant.accounts.models import User
from covenant.agreements.demo import COMMITTEE_SLUG, GARMENTS_SLUG
from covenant.agreements.models import Agreement, Organisation
from covenant.complaints import services
from covenant.complaints.models import Complaint, ComplaintRules
from covenant.core.side_effects import suppressed


def complaints_demo_is_loaded() -> bool:
    return Complaint.objects.filter(agreement__slug=GARMENTS_SLUG).exists()


def _org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def load_complaints_demo(*, log: Callable[[str], None] | None = None) -> int:
    """Load the demo cases; returns how many."""
    agreement = Agreement.objects.filter(slug=GARMENTS_SLUG).first()
    if agreement is None or complaints_demo_is_loaded():
        return 0
    committee = User.objects.filter(username="committee").first()
    union, ngo = _org("fnv"), _org("arisa")
    theme = {t.code: t for t in agreement.themes.all()}
    first_theme = next(iter(theme.values()), None)
    today = timezone.localdate()
    with suppressed():
        ComplaintRules.objects.get_or_create(
            agreement=agreement,
            defaults={"filer_kinds": ["workers", "party", "company"], "remind_days_before": 5},
        )
        # 1. Settled by mediation.
        c1 = services.complaint_file(
            agreement=agreement,
            kind="workers",
            filer_org=union,
            respondent=_org("tulip-denim"),
            subject="Dismissal of union members at a denim supplier",
            description=(
                "Eleven workers of a denim laundry in Tamil Nadu were dismissed two weeks after "
                "they founded a union branch. The brand sources from the laundry and did not "
                "act on the local union's letter."
            ),
            on_behalf_of="the dismissed workers of the laundry, through their local union",
            country="IN",
            theme=theme.get("freedom-of-association", first_theme),
            actor=None,
            filed_on=dt.date(2019, 3, 11),
        )
        services.complaint_admissibility(
            complaint=c1, admissible=True, reasons="A member's supplier; the union is a party.",
            actor=committee, on=dt.date(2019, 3, 25),
        )  # fmt: skip
        for side, day in (("filer", dt.date(2019, 4, 2)), ("respondent", dt.date(2019, 4, 9))):
            services.complaint_mediation_consent(
                complaint=c1, side=side, consent=True, actor=None, on=day
            )
        services.complaint_settle(
            complaint=c1,
            note="The workers were reinstated with back pay; the brand funds union training.",
            actor=committee,
            on=dt.date(2019, 6, 14),
        )
        # 2. A final ruling, published.
        c2 = services.complaint_file(
            agreement=agreement,
            kind="party",
            filer_org=ngo,
            respondent=_org("marktplein-mode-groep"),
            subject="No remediation after child labour was found at a spinning mill",
            description=(
                "An audit found children working at a spinning mill in the company's chain. "
                "The company stopped ordering without a remediation plan for the children."
            ),
            country="IN",
            theme=theme.get("child-labour", first_theme),
            actor=None,
            filed_on=dt.date(2020, 1, 20),
        )
        services.complaint_admissibility(
            complaint=c2, admissible=True, reasons="Within the scope of the agreement.",
            actor=committee, on=dt.date(2020, 2, 3),
        )  # fmt: skip
        services.complaint_to_hearing(
            complaint=c2, note="The company refused mediation.", actor=committee,
            on=dt.date(2020, 3, 2),
        )  # fmt: skip
        services.hearing_record(
            complaint=c2,
            held_on=dt.date(2020, 4, 16),
            place="The Hague",
            participants="The NGO, the company, the committee",
            minutes="The company said it had not known it was expected to remediate.",
            actor=committee,
        )
        ruling = services.ruling_issue(
            complaint=c2,
            kind="final",
            outcome="upheld",
            text_en=(
                "The complaint is well-founded. Disengaging without remediation is not in line "
                "with the OECD guidelines. The company shall, with the other buyers of the mill, "
                "fund schooling and an income for the families of the children found, and report "
                "on it to the committee within six months."
            ),
            text_nl=(
                "De klacht is gegrond. Zich terugtrekken zonder herstel is niet in lijn met de "
                "OESO-richtlijnen. Het bedrijf financiert samen met de andere afnemers van de "
                "spinnerij scholing en een inkomen voor de families van de aangetroffen kinderen, "
                "en rapporteert daarover binnen zes maanden aan de commissie."
            ),
            actor=committee,
            on=dt.date(2020, 5, 28),
        )
        services.ruling_publish(ruling=ruling, actor=committee, on=dt.date(2020, 6, 4))
        # 3. Pending: the company is to respond.
        c3 = services.complaint_file(
            agreement=agreement,
            kind="workers",
            filer_org=union,
            respondent=_org("noordzee-mode"),
            subject="Unpaid overtime at a garment factory",
            description=(
                "Workers at a knitwear factory near Dhaka report overtime of up to 80 hours a "
                "week, paid at the normal rate, during the peak season."
            ),
            on_behalf_of="the sewing workers of the factory",
            country="BD",
            theme=theme.get("living-wage", first_theme),
            actor=None,
            filed_on=today - dt.timedelta(days=20),
        )
        services.complaint_admissibility(
            complaint=c3, admissible=True, reasons="A member's supplier.", actor=committee,
            on=today - dt.timedelta(days=12),
        )  # fmt: skip
        # 4. Pending: waiting for the admissibility decision (its deadline is near).
        services.complaint_file(
            agreement=agreement,
            kind="company",
            filer_org=_org("noordzee-mode"),
            respondent=agreement.secretariat,
            subject="Our assessment did not count our remediation results",
            description=(
                "The secretariat scored our action plan as 'not meeting' although we documented "
                "the results achieved at two suppliers."
            ),
            actor=None,
            filed_on=today - dt.timedelta(days=10),
        )
    if log:
        log("complaints demo: 4 cases")
    assert COMMITTEE_SLUG  # the committee of the demo agreements handles these cases
    return 4
