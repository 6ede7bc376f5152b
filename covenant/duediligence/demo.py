"""Due diligence demo: the garment agreement's assessment framework, following the real AGT
framework (published April 2018): five sections along the OECD steps, with targets and actions
on all themes worth 40% of the points, plus separate criteria for results achieved; minimum
scores of 20%, 40% and 60% in membership years 1-3 (60% after); outcome categories fully
compliant, on track and not meeting.

Loaded through the services (the real path): the framework; reporting years 2018 and 2019
(closed), each company's self-assessment, its assessment (a sample reviewed by a second
assessor) and the released outcome, reproducing the reports: 5 of 63 companies fully
compliant in 2018 (8%), 36 of 57 in 2019 (63%); 2020 open (deadline 60 days from loading) so
that the `company1` company (Noordzee Mode) can start its self-assessment prefilled from 2019;
its risk register with the top two risks shared.
Idempotent and resumable: each part is created only when missing;
``duediligence_demo_is_loaded`` is true once the open reporting year exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.core import side_effects
from covenant.duediligence.framework_file import FORMAT
from covenant.duediligence.models import (
    Assessment,
    AssessmentRound,
    Criterion,
    Framework,
    Risk,
    SelfAssessment,
)

GARMENTS_SLUG = "garments"


def _t(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _ynp(
    code: str,
    text: tuple[str, str],
    guidance: tuple[str, str],
    yes: int,
    partly: int,
    *,
    theme: str | None = None,
    examples: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    return {
        "code": code,
        "text": _t(*text),
        "guidance": _t(*guidance),
        "examples": _t(*examples),
        "answer_type": "yes_no_partly",
        "points": yes,
        "scoring": {"points": {"yes": yes, "partly": partly, "no": 0}},
        "theme": theme,
    }


def _hint(theme: str, country: str, level: str, nl: str, en: str) -> dict[str, Any]:
    return {"theme": theme, "country": country, "level": level, "note": _t(nl, en)}


# Theme code -> (Dutch, English) short name used in the per-theme criteria.
THEMES = (
    ("discrimination-gender", "discriminatie en gender", "discrimination and gender"),
    ("child-labour", "kinderarbeid", "child labour"),
    ("forced-labour", "dwangarbeid", "forced labour"),
    ("freedom-of-association", "vrijheid van vakvereniging", "freedom of association"),
    ("living-wage", "leefbaar loon", "living wage"),
    ("health-safety", "gezondheid en veiligheid", "health and safety"),
    ("raw-materials", "grondstoffen", "raw materials"),
    ("water-chemicals-energy", "water, chemicaliën en energie", "water, chemicals and energy"),
    ("animal-welfare", "dierenwelzijn", "animal welfare"),
)


def garment_framework_file(valid_from_year: int = 2017) -> dict[str, Any]:
    """The demo framework as a framework file (100 points; targets and actions: 40)."""
    policy = [
        {
            "code": "policy-document",
            "text": _t(
                "Upload of link naar uw due diligence-beleid",
                "Upload or link your due diligence policy",
            ),
            "guidance": _t(
                "Het beleid beschrijft hoe u gepaste zorgvuldigheid toepast op alle thema's van "
                "het convenant en is door de directie vastgesteld.",
                "The policy describes how you carry out due diligence on all themes of the "
                "agreement and has been adopted by the board.",
            ),
            "examples": _t(
                "Een openbaar beleidsdocument op uw website.",
                "A public policy document on your website.",
            ),
            "answer_type": "document",
            "points": 3,
            "scoring": {"provided": 3},
        },
        _ynp(
            "policy-board",
            (
                "Is het beleid door de directie vastgesteld?",
                "Has the board adopted the policy?",
            ),
            (
                "Gedeeltelijk: het beleid is in concept besproken maar nog niet vastgesteld.",
                "Partly: the board discussed a draft but has not adopted it yet.",
            ),
            3,
            1,
        ),
        {
            "code": "policy-responsible",
            "text": _t(
                "Wie is verantwoordelijk voor due diligence en hoeveel tijd is daarvoor beschikbaar?",
                "Who is responsible for due diligence, and how much time do they have for it?",
            ),
            "guidance": _t(
                "Noem de functie, niet de naam, en het aantal uren per week.",
                "Name the position, not the person, and the hours per week.",
            ),
            "answer_type": "text",
            "options": {"max_length": 2000},
            "points": 2,
            "scoring": {"provided": 2},
        },
        _ynp(
            "policy-supplier-code",
            (
                "Is uw gedragscode onderdeel van de contracten met leveranciers?",
                "Is your code of conduct part of your contracts with suppliers?",
            ),
            (
                "Gedeeltelijk: voor een deel van de leveranciers.",
                "Partly: for some of the suppliers.",
            ),
            4,
            2,
        ),
        {
            "code": "policy-purchasing",
            "text": _t(
                "In hoeverre houdt uw inkoopbeleid rekening met de gevolgen voor arbeidsomstandigheden?",
                "To what extent do your purchasing practices take account of their effect on working conditions?",
            ),
            "guidance": _t(
                "Denk aan levertijden, prijsafspraken en late wijzigingen in orders.",
                "Think of lead times, price agreements and late order changes.",
            ),
            "answer_type": "choice",
            "options": {
                "choices": [
                    {"value": "none", "label_nl": "Niet", "label_en": "Not at all"},
                    {
                        "value": "some",
                        "label_nl": "Bij enkele beslissingen",
                        "label_en": "In some decisions",
                    },
                    {"value": "integrated", "label_nl": "Structureel", "label_en": "Structurally"},
                ]
            },
            "points": 3,
            "scoring": {"points": {"none": 0, "some": 1, "integrated": 3}},
        },
    ]
    risk = [
        {
            "code": "risk-locations-known",
            "text": _t(
                "Welk deel van uw productielocaties (inkoopvolume) kent u?",
                "What share of your production locations (by purchase volume) do you know?",
            ),
            "guidance": _t(
                "Gebruik de lijst die u dit jaar bij het secretariaat heeft ingediend.",
                "Use the list you disclosed to the secretariat this year.",
            ),
            "answer_type": "number",
            "options": {"min": 0, "max": 100, "unit": "%"},
            "points": 5,
            "scoring": {"thresholds": [[50, 2], [80, 4], [100, 5]]},
        },
        _ynp(
            "risk-all-themes",
            (
                "Omvat uw risicoanalyse alle thema's van het convenant?",
                "Does your risk analysis cover all themes of the agreement?",
            ),
            (
                "Gedeeltelijk: een deel van de thema's of een deel van de keten.",
                "Partly: some of the themes, or part of the supply chain.",
            ),
            5,
            2,
        ),
        {
            "code": "risk-register",
            "text": _t("Uw belangrijkste risico's", "Your main risks"),
            "guidance": _t(
                "Per risico: thema, land, ernst en waarschijnlijkheid (1-5).",
                "Per risk: theme, country, severity and likelihood (1-5).",
            ),
            "answer_type": "table",
            "options": {
                "columns": [
                    {"key": "theme", "label_nl": "Thema", "label_en": "Theme", "type": "text"},
                    {"key": "country", "label_nl": "Land", "label_en": "Country", "type": "text"},
                    {
                        "key": "severity",
                        "label_nl": "Ernst",
                        "label_en": "Severity",
                        "type": "number",
                    },
                    {
                        "key": "likelihood",
                        "label_nl": "Waarschijnlijkheid",
                        "label_en": "Likelihood",
                        "type": "number",
                    },
                ],
                "max_rows": 50,
            },
            "points": 5,
            "scoring": {"provided": 5},
        },
        {
            "code": "risk-prioritisation",
            "text": _t(
                "Hoe heeft u uw risico's geprioriteerd?",
                "How did you prioritise your risks?",
            ),
            "guidance": _t(
                "Volgens de OECD-richtlijnen: eerst de ernst (schaal, reikwijdte, onherstelbaarheid), "
                "dan de waarschijnlijkheid.",
                "As the OECD guidance says: severity first (scale, scope, irremediable character), "
                "then likelihood.",
            ),
            "answer_type": "text",
            "options": {"max_length": 5000},
            "points": 5,
            "scoring": {"provided": 5},
        },
    ]
    targets = [
        {
            "code": "plan-smart",
            "text": _t(
                "Hoeveel van de doelen in uw plan van aanpak zijn SMART geformuleerd?",
                "How many of the targets in your action plan are SMART?",
            ),
            "guidance": _t(
                "Specifiek, meetbaar, acceptabel, realistisch en tijdgebonden.",
                "Specific, measurable, achievable, realistic and time-bound.",
            ),
            "answer_type": "choice",
            "options": {
                "choices": [
                    {"value": "none", "label_nl": "Geen", "label_en": "None"},
                    {"value": "some", "label_nl": "Enkele", "label_en": "Some"},
                    {"value": "all", "label_nl": "Alle", "label_en": "All"},
                ]
            },
            "points": 4,
            "scoring": {"points": {"none": 0, "some": 2, "all": 4}},
        }
    ]
    for code, nl, en in THEMES:
        targets.append(
            _ynp(
                f"plan-{code}",
                (
                    f"Bevat uw plan van aanpak doelen en maatregelen voor {nl}?",
                    f"Does your action plan set targets and measures on {en}?",
                ),
                (
                    "Ja als het thema een geprioriteerd risico is met een SMART-doel, of als u "
                    "onderbouwt waarom het thema voor uw keten geen risico is.",
                    "Yes if the theme is a prioritised risk with a SMART target, or you explain "
                    "why the theme is no risk in your supply chain.",
                ),
                4,
                2,
                theme=code,
            )
        )
    evaluation = [
        _ynp(
            "eval-monitoring",
            (
                "Controleert u of uw maatregelen werken?",
                "Do you check whether your measures work?",
            ),
            (
                "Bijvoorbeeld met audits, bezoeken of gesprekken met werknemers.",
                "For example with audits, visits or conversations with workers.",
            ),
            3,
            1,
        ),
        {
            "code": "eval-public-report",
            "text": _t(
                "Link naar uw openbare verslag over due diligence",
                "Link to your public report on due diligence",
            ),
            "guidance": _t(
                "Volgens de criteria voor communicatie door bedrijven (derde lidmaatschapsjaar).",
                "Following the criteria for communication by companies (third membership year).",
            ),
            "answer_type": "document",
            "required": False,
            "points": 3,
            "scoring": {"provided": 3},
        },
        _ynp(
            "eval-location-list",
            (
                "Heeft u uw productielocaties laten publiceren?",
                "Did you have your production locations published?",
            ),
            (
                "Gedeeltelijk: alleen de naam van het land of een deel van de locaties.",
                "Partly: only the countries, or some of the locations.",
            ),
            4,
            2,
        ),
    ]
    stakeholders = [
        {
            "code": "stake-consulted",
            "text": _t(
                "Met hoeveel belanghebbende organisaties (vakbonden, ngo's) heeft u overlegd?",
                "How many stakeholder organisations (unions, NGOs) did you consult?",
            ),
            "guidance": _t(
                "Tel organisaties, niet bijeenkomsten.", "Count organisations, not meetings."
            ),
            "answer_type": "number",
            "options": {"min": 0, "max": 1000},
            "points": 3,
            "scoring": {"thresholds": [[1, 1], [3, 3]]},
        },
        _ynp(
            "stake-grievance",
            (
                "Hebben werknemers in uw keten toegang tot een klachtenmechanisme?",
                "Do workers in your supply chain have access to a grievance mechanism?",
            ),
            ("Gedeeltelijk: bij een deel van de locaties.", "Partly: at some of the locations."),
            2,
            1,
        ),
    ]
    results = [
        {
            "code": "result-targets-met",
            "text": _t(
                "Welk deel van de doelen van vorig jaar heeft u gehaald?",
                "What share of last year's targets did you meet?",
            ),
            "guidance": _t(
                "Punten voor resultaten, niet voor plannen.", "Points for results, not for plans."
            ),
            "answer_type": "number",
            "options": {"min": 0, "max": 100, "unit": "%"},
            "points": 6,
            "scoring": {"thresholds": [[25, 2], [50, 4], [75, 6]]},
        },
        {
            "code": "result-remediation",
            "text": _t(
                "Welke gevallen van misstanden zijn hersteld, en hoe?",
                "Which cases of abuse were remedied, and how?",
            ),
            "guidance": _t(
                "Laat leeg als er geen gevallen waren.", "Leave empty if there were none."
            ),
            "answer_type": "text",
            "required": False,
            "options": {"max_length": 5000},
            "points": 2,
            "scoring": {"provided": 2},
        },
        {
            "code": "result-living-wage",
            "text": _t(
                "Betalen uw leveranciers aantoonbaar meer richting een leefbaar loon?",
                "Do your suppliers demonstrably pay closer to a living wage?",
            ),
            "answer_type": "choice",
            "options": {
                "choices": [
                    {"value": "no", "label_nl": "Nee", "label_en": "No"},
                    {"value": "pilot", "label_nl": "In een pilot", "label_en": "In a pilot"},
                    {"value": "scaled", "label_nl": "Op schaal", "label_en": "At scale"},
                ]
            },
            "points": 2,
            "scoring": {"points": {"no": 0, "pilot": 1, "scaled": 2}},
            "theme": "living-wage",
        },
    ]

    def section(
        code: str, name: tuple[str, str], steps: list[int], criteria: list, kind: str = "process"
    ) -> dict:
        return {
            "code": code,
            "kind": kind,
            "name": _t(*name),
            "oecd_steps": steps,
            "criteria": criteria,
        }

    return {
        "format": FORMAT,
        "name": _t("Beoordelingskader plan van aanpak", "Assessment framework for action plans"),
        "description": _t(
            "Het beoordelingskader van het convenant: vijf onderdelen langs de stappen van "
            "de OESO-richtlijnen, plus resultaten.",
            "The agreement's assessment framework: five sections along the OECD due diligence "
            "steps, plus results.",
        ),
        "valid_from_year": valid_from_year,
        "shared_priority_risks": 2,
        "sections": [
            section("policy", ("Beleid", "Policy"), [1], policy),
            section(
                "risk-analysis",
                (
                    "Risicoanalyse (inventarisatie en prioritering)",
                    "Risk analysis (inventory and prioritisation)",
                ),
                [2],
                risk,
            ),
            section(
                "targets-actions",
                ("Doelen en acties op alle thema's", "Targets and actions on all themes"),
                [3],
                targets,
            ),
            section(
                "evaluation-communication",
                ("Evaluatie en communicatie", "Evaluation and communication"),
                [4, 5],
                evaluation,
            ),
            section(
                "stakeholders",
                ("Overleg met belanghebbenden", "Stakeholder consultation"),
                [2, 6],
                stakeholders,
            ),
            section(
                "results", ("Behaalde resultaten", "Results achieved"), [4, 6], results, "results"
            ),
        ],
        "country_risks": [
            _hint(
                "living-wage",
                "BD",
                "high",
                "Minimumloon ver onder een leefbaar loon.",
                "Minimum wage far below a living wage.",
            ),
            _hint(
                "living-wage",
                "IN",
                "high",
                "Grote loonkloof in de kledingindustrie.",
                "Large wage gap in the garment industry.",
            ),
            _hint(
                "health-safety",
                "BD",
                "high",
                "Gebouw- en brandveiligheid.",
                "Building and fire safety.",
            ),
            _hint(
                "freedom-of-association",
                "CN",
                "high",
                "Geen vrije vakbonden.",
                "No independent trade unions.",
            ),
            _hint(
                "child-labour",
                "IN",
                "high",
                "Spinnerijen in Zuid-India.",
                "Spinning mills in South India.",
            ),
            _hint(
                "forced-labour",
                "IN",
                "high",
                "Sumangali-regelingen in spinnerijen.",
                "Sumangali schemes in spinning mills.",
            ),
            _hint(
                "water-chemicals-energy",
                "CN",
                "medium",
                "Afvalwater van ververijen.",
                "Waste water of dye houses.",
            ),
        ],
        "minimums": [
            {"membership_year": 1, "min_percent": 20},
            {"membership_year": 2, "min_percent": 40},
            {"membership_year": 3, "min_percent": 60},
        ],
        "outcomes": [
            {
                "code": "fully-compliant",
                "name": _t("Voldoet volledig", "Fully compliant"),
                "rule": {
                    "total_at_least_minimum": True,
                    "total_at_least": 60,
                    "each_section_at_least": 50,
                },
            },
            {
                "code": "on-track",
                "name": _t("Op koers", "On track"),
                "rule": {"total_at_least_minimum": True},
            },
            {"code": "not-meeting", "name": _t("Voldoet niet", "Not meeting"), "rule": {}},
        ],
    }


def garment_framework_file_v2() -> dict[str, Any]:
    """Version 2, for reporting years from 2020: the same criteria plus the materials used by
    volume (an inventory: no points, so the maxima stay as they were)."""
    data = garment_framework_file(valid_from_year=OPEN_YEAR)
    data["name"] = _t(
        "Beoordelingskader plan van aanpak (2020)", "Assessment framework for action plans (2020)"
    )
    risk = next(s for s in data["sections"] if s["code"] == "risk-analysis")
    risk["criteria"].insert(
        1,
        {
            "code": "inventory-materials",
            "text": _t(
                "Welke materialen gebruikt u, naar volume?",
                "Which materials do you use, by volume?",
            ),
            "guidance": _t(
                "Bijvoorbeeld katoen (gangbaar / duurzamer), polyester, wol; aandeel in procenten.",
                "For example cotton (conventional / more sustainable), polyester, wool; share in "
                "percent.",
            ),
            "answer_type": "table",
            "options": {
                "columns": [
                    {
                        "key": "material",
                        "label_nl": "Materiaal",
                        "label_en": "Material",
                        "type": "text",
                    },
                    {
                        "key": "share",
                        "label_nl": "Aandeel (%)",
                        "label_en": "Share (%)",
                        "type": "number",
                    },
                    {
                        "key": "sustainable",
                        "label_nl": "Duurzamer (ja/nee)",
                        "label_en": "More sustainable (yes/no)",
                        "type": "text",
                    },
                ],
                "max_rows": 30,
            },
            "required": False,
            "points": 0,
            "scoring": {"provided": 0},
        },
    )
    return data


@dataclass
class DueDiligenceDemoSummary:
    frameworks: int = 0
    rounds: int = 0
    self_assessments: int = 0
    risks: int = 0
    assessments: int = 0

    def summary_line(self) -> str:
        return (
            f"{self.frameworks} framework version(s), {self.rounds} reporting years, "
            f"{self.self_assessments} self-assessments, {self.assessments} released "
            f"assessments, {self.risks} risks"
        )


# Reporting year -> deadline. The current year's round stays open for the demo accounts.
ROUNDS = {2018: dt.date(2018, 5, 1), 2019: dt.date(2019, 5, 1)}
OPEN_YEAR = 2020
DEMO_COMPANY = "noordzee-mode"  # the company of the `company1` account


def _demo_answers(framework_file: dict[str, Any], level: float) -> dict[str, Any]:
    """Answers to every criterion at roughly `level` (0-1) of the points."""
    answers: dict[str, Any] = {}
    for section in framework_file["sections"]:
        for c in section["criteria"]:
            kind = c["answer_type"]
            if kind == "yes_no_partly":
                answers[c["code"]] = "yes" if level >= 0.75 else "partly" if level >= 0.35 else "no"
            elif kind == "choice":
                choices = [ch["value"] for ch in c["options"]["choices"]]
                answers[c["code"]] = choices[min(len(choices) - 1, int(level * len(choices)))]
            elif kind == "number":
                high = c["options"].get("max", 10)
                answers[c["code"]] = round(high * level)
            elif kind == "text":
                answers[c["code"]] = "Described in our action plan (demo answer)."
            elif kind == "document":
                answers[c["code"]] = {
                    "title": "Due diligence policy (demo)",
                    "url": "https://demo.covenant.example/documents/policy.pdf",
                }
            elif kind == "table":
                answers[c["code"]] = [
                    {"theme": "Living wage", "country": "BD", "severity": 4, "likelihood": 5},
                    {
                        "theme": "Freedom of association",
                        "country": "CN",
                        "severity": 4,
                        "likelihood": 4,
                    },
                ]
    return answers


# Assessed companies and how many were fully compliant, as in the agreement's reports.
ASSESSED = {2018: (63, 5), 2019: (57, 36)}
SEED = 20190601
LEVELS = {"strong": 0.8, "medium": 0.4, "weak": 0.2}


def duediligence_demo_is_loaded() -> bool:
    return (
        Assessment.objects.filter(
            self_assessment__round__agreement__slug=GARMENTS_SLUG,
            self_assessment__round__year=2019,
            status=Assessment.Status.RELEASED,
        ).count()
        >= ASSESSED[2019][0]
        and AssessmentRound.objects.filter(agreement__slug=GARMENTS_SLUG, year=OPEN_YEAR).exists()
    )


def load_duediligence_demo(*, log: Callable[[str], None] | None = None) -> DueDiligenceDemoSummary:
    """Load (the missing parts of) the due diligence demo of the garment agreement: the
    framework; reporting years 2018 and 2019 with 63 and 57 companies assessed (5 and 36 fully
    compliant), a share of them reviewed by a second assessor; 2020 open (deadline 60 days
    ahead) for the demo accounts; the `company1` company's risk register."""
    with side_effects.suppressed():  # history: no e-mails about outcomes of 2018 and 2019
        return _load(log)


def _load(log: Callable[[str], None] | None) -> DueDiligenceDemoSummary:
    from covenant.duediligence.services import self_assessments as sa
    from covenant.duediligence.services.frameworks import framework_import, framework_publish

    say = log or (lambda _msg: None)
    summary = DueDiligenceDemoSummary()
    agreement = Agreement.objects.filter(slug=GARMENTS_SLUG).first()
    if agreement is None:
        return summary
    data = garment_framework_file()
    framework = Framework.objects.filter(agreement=agreement, version=1).first()
    if framework is None:
        framework = framework_import(agreement=agreement, data=data, actor=None)
    if framework.status == Framework.Status.DRAFT:
        framework_publish(framework=framework, actor=None)
    # Version 2 (from 2020) asks for the materials inventory too: a new question in 2020.
    v2 = Framework.objects.filter(agreement=agreement, version=2).first()
    if v2 is None:
        v2 = framework_import(agreement=agreement, data=garment_framework_file_v2(), actor=None)
    if v2.status == Framework.Status.DRAFT:
        framework_publish(framework=v2, actor=None)
    summary.frameworks = Framework.objects.filter(agreement=agreement).count()
    say("Assessment framework v1 (from 2017) and v2 (from 2020) of the garment agreement")

    deadlines = {**ROUNDS, OPEN_YEAR: timezone.localdate() + dt.timedelta(days=60)}
    rounds = {}
    for year, deadline in deadlines.items():
        rounds[year] = AssessmentRound.objects.filter(agreement=agreement, year=year).first()
        if rounds[year] is None:
            rounds[year] = sa.assessment_round_open(
                agreement=agreement, year=year, deadline=deadline, actor=None
            )
    company = Organisation.objects.filter(slug=DEMO_COMPANY).first()
    assessor = User.objects.filter(username="assessor").first()
    second = User.objects.filter(username="secretariat").first()
    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic on purpose
    for year, (count, strong) in ASSESSED.items():
        plan = _assessment_plan(agreement, year, count, strong, rng)
        for org, kind in plan:
            _assess(rounds[year], org, data, kind, assessor, second, rng)
        say(f"{len(plan)} assessments of {year}")
    if company is not None:
        _load_risks(agreement, company)
    summary.rounds = AssessmentRound.objects.filter(agreement=agreement).count()
    summary.risks = Risk.objects.filter(agreement=agreement).count()
    summary.self_assessments = SelfAssessment.objects.filter(round__agreement=agreement).count()
    summary.assessments = Assessment.objects.filter(
        self_assessment__round__agreement=agreement, status=Assessment.Status.RELEASED
    ).count()
    say(f"{summary.rounds} reporting years, {summary.self_assessments} self-assessments")
    return summary


DEMO_RISKS = (
    # theme, country, material, description, scale, scope, irremediable, likelihood, involvement, leverage
    (
        "living-wage",
        "BD",
        "",
        "Wages at our cut-make-trim suppliers in Dhaka are below the living wage estimate (demo).",
        4,
        4,
        2,
        5,
        "contribute",
        "medium",
    ),
    (
        "freedom-of-association",
        "CN",
        "",
        "Workers at two suppliers cannot organise freely (demo).",
        4,
        4,
        3,
        4,
        "linked",
        "low",
    ),
    (
        "health-safety",
        "BD",
        "",
        "Building and fire safety at subcontracted units is not inspected (demo).",
        5,
        3,
        5,
        2,
        "linked",
        "low",
    ),
    (
        "raw-materials",
        "",
        "cotton",
        "Forced labour risk in conventional cotton from high-risk regions (demo).",
        5,
        4,
        4,
        2,
        "linked",
        "low",
    ),
    (
        "water-chemicals-energy",
        "IN",
        "",
        "Wastewater of the dye house is not tested (demo).",
        3,
        3,
        3,
        3,
        "contribute",
        "medium",
    ),
)


def _load_risks(agreement: Agreement, company: Organisation) -> None:
    """The register of the demo company: five risks, the top two shared with the parties, an
    action plan with progress and a result."""
    from covenant.duediligence.selectors.risks import register
    from covenant.duediligence.services import risks as rs

    if Risk.objects.filter(agreement=agreement, company=company).exists():
        return
    for theme, country, material, text, scale, scope, irr, likelihood, inv, lev in DEMO_RISKS:
        rs.risk_create(
            agreement=agreement,
            company=company,
            data={
                "theme": theme,
                "country": country,
                "material": material,
                "description": text,
                "scale": scale,
                "scope": scope,
                "irremediable": irr,
                "likelihood": likelihood,
                "involvement": inv,
                "leverage": lev,
            },
            actor=None,
        )
    top = register(agreement, company).rows[:2]
    for row in top:
        risk = Risk.objects.get(pk=row.risk.pk)
        rs.risk_share(
            risk=risk,
            consent=True,
            message="We welcome expertise of unions and NGOs here (demo).",
            actor=None,
        )
        action = rs.action_create(
            risk=risk,
            data={
                "target": f"Halve the gap on {risk.theme.name_en.lower()} at our main suppliers",
                "measures": "Supplier dialogue, training, joint project with a party (demo).",
                "owner": "Head of sourcing",
                "deadline": "2021-12-31",
                "indicator": "Suppliers where the measure is in place",
                "baseline": "0",
                "target_value": "10",
                "unit": "suppliers",
            },
            actor=None,
        )
        rs.action_progress_record(action=action, year=2018, value="2", note="", actor=None)
        rs.action_progress_record(action=action, year=2019, value="5", note="", actor=None)
    first = Risk.objects.get(pk=top[0].risk.pk).targets.first()
    if first is not None:
        rs.action_result_record(
            action=first,
            data={
                "achieved_on": "2019-10-01",
                "description": "Two suppliers raised wages by 8% after open costing (demo).",
                "evidence_url": "",
            },
            actor=None,
        )


def _members_on(agreement: Agreement, on: dt.date) -> list[Organisation]:
    from django.db.models import Q

    ids = (
        Membership.objects.filter(agreement=agreement, joined_on__lt=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("company_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=list(ids)).order_by("slug"))


def _assessment_plan(
    agreement: Agreement, year: int, count: int, strong: int, rng: random.Random
) -> list[tuple[Organisation, str]]:
    """Which members are assessed in `year` (members on 1 January: the demo company, then
    those staying the whole year, by slug; `count` in all) and how well each did: exactly `strong` fully compliant.
    The `company1` company is weak-to-medium in 2018 and strong in 2019."""
    leaving = set(
        Membership.objects.filter(agreement=agreement, ended_on__year=year).values_list(
            "company_id", flat=True
        )
    )
    members = _members_on(agreement, dt.date(year, 1, 1))
    members.sort(key=lambda m: (m.slug != DEMO_COMPANY, m.pk in leaving, m.slug))
    members = members[:count]
    kinds: dict[int, str] = {}
    demo = next((m for m in members if m.slug == DEMO_COMPANY), None)
    others = [m for m in members if m is not demo]
    if demo is not None:
        kinds[demo.pk] = "strong" if year >= 2019 else "medium"
    n_strong = strong - (1 if demo is not None and kinds[demo.pk] == "strong" else 0)
    for m in rng.sample(others, n_strong):
        kinds[m.pk] = "strong"
    for m in others:
        kinds.setdefault(m.pk, rng.choice(("medium", "weak")))
    return [(m, kinds[m.pk]) for m in members]


def _assess(
    round_: AssessmentRound,
    company: Organisation,
    data: dict[str, Any],
    kind: str,
    assessor: User | None,
    second: User | None,
    rng: random.Random,
) -> None:
    """Run (or finish) one company's cycle of a year through the services: self-assessment,
    submission, first assessor (who agrees with the self-score), the second review when the
    sample picks it (the second assessor differs now and then by a point), release."""
    from covenant.duediligence.services import assessments as asv
    from covenant.duediligence.services import self_assessments as sa

    noise = [rng.random() for _ in range(40)]  # drawn always, so later companies do not shift
    assessment = sa.self_assessment_start(round_=round_, company=company, actor=None)
    if assessment.status == SelfAssessment.Status.DRAFT:
        sa.self_assessment_save(
            assessment=assessment, answers=_demo_answers(data, LEVELS[kind]), actor=None
        )
        sa.self_assessment_submit(
            assessment=assessment, actor=None, today=round_.deadline - dt.timedelta(days=3)
        )
    if assessor is None or second is None:
        return
    review = Assessment.objects.filter(self_assessment=assessment).first()
    if review is None:
        review = asv.assessment_assign(self_assessment=assessment, assessor=assessor, actor=None)
    if review.status == Assessment.Status.RELEASED:
        return
    answers = dict(assessment.answers.values_list("criterion__code", "points"))
    maxima = dict(
        Criterion.objects.filter(section__framework_id=round_.framework_id).values_list(
            "code", "points"
        )
    )
    if review.status == Assessment.Status.FIRST:
        asv.criterion_scores_set(
            assessment=review,
            scores={code: (p, "") for code, p in answers.items()},
            assessor=assessor,
        )
        review = asv.assessment_complete(assessment=review, assessor=assessor)
    if review.status == Assessment.Status.SECOND:
        if review.second_assessor_id is None:
            review = asv.assessment_assign_second(assessment=review, assessor=second, actor=None)
        scores = {}
        for i, (code, p) in enumerate(sorted(answers.items())):
            r = noise[i % len(noise)]
            delta = -1 if r < 0.12 else 1 if r > 0.9 else 0
            scores[code] = (max(0, min(maxima[code], p + delta)), "")
        asv.criterion_scores_set(assessment=review, scores=scores, assessor=second)
        review = asv.assessment_complete(assessment=review, assessor=second)
    asv.assessment_release(
        assessment=review,
        outcome_code=None,
        feedback="Demo feedback: see the comments per section.",
        actor=None,
    )
