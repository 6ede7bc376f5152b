"""Demo data: the garment agreement (AGT/CKT 2016-2021) with fictional companies whose
membership history reproduces the figures of the public reports, a small natural-stone
agreement, and one account per role.

Everything is written through the services (so the membership history, the audit log and
the derived figures are exactly what a real secretariat would produce); rows are created
directly only where no service exists (agreement, themes, due diligence steps, coverage
targets, the demo authenticators).

Figures the garment demo reproduces (see the tests):
- 1 January 2018: 63 member companies with 79 brands;
- 1 January 2019: 71 member companies with 92 brands, market coverage 48%;
- 2019: 5 companies joined, 7 left (one through bankruptcy), the number of brands stayed
  the same, and coverage fell to about 43% at the end of the year.

All companies and brands are invented. Parties and supporters carry the names of the real
organisations that signed or supported the agreement, but their letters of intent, targets
and declarations are illustrative texts written for the demo, not their statements.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from covenant.accounts.models import RoleName, TOTPDevice, User
from covenant.accounts.services import role_grant, user_create
from covenant.agreements import services
from covenant.agreements.models import (
    Agreement,
    CoverageTarget,
    DueDiligenceStep,
    Membership,
    Organisation,
    Signatory,
    Theme,
)
from covenant.core import side_effects

GARMENTS_SLUG = "garments"
STONE_SLUG = "natural-stone"
DEMO_PASSWORD = "covenant-demo-2026"
SECRETARIAT_SLUG = "secretariaat-imvo-convenanten-demo"
COMMITTEE_SLUG = "klachten-en-geschillencommissie"
RANDOM_SEED = 20160704
T = Organisation.Type
REAL_ORG_NOTE = (
    "Demo data: the texts shown for this organisation are illustrative and were written "
    "for the Covenant demo; they are not statements of the organisation."
)


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# --- accounts --------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation_slug: str
    first_name: str
    last_name: str
    two_factor: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("secretariat", RoleName.SECRETARIAT, SECRETARIAT_SLUG, "Sanne", "Verbeek", True),
    DemoAccount("assessor", RoleName.ASSESSOR, SECRETARIAT_SLUG, "Ruben", "Hoekstra", True),
    DemoAccount("committee", RoleName.COMMITTEE_MEMBER, COMMITTEE_SLUG, "Ineke", "Smulders", True),
    DemoAccount("company1", RoleName.COMPANY_ADMIN, "noordzee-mode", "Femke", "Dekker"),
    DemoAccount("company1-staff", RoleName.COMPANY_MEMBER, "noordzee-mode", "Jasper", "Kok"),
    DemoAccount("company2", RoleName.COMPANY_ADMIN, "tulip-denim", "Lotte", "Brouwer"),
    DemoAccount("company3", RoleName.COMPANY_ADMIN, "marktplein-mode-groep", "Daan", "Visscher"),
    DemoAccount("ngo", RoleName.PARTY_MEMBER, "arisa", "Noor", "Hendriks"),
    DemoAccount("union", RoleName.PARTY_MEMBER, "fnv", "Bram", "Willems"),
)


# --- garment agreement: the agreement, its themes and steps ----------------------------
GARMENTS = {
    "slug": GARMENTS_SLUG,
    "sector": "Garment and textile",
    "name_nl": "Convenant Duurzame Kleding en Textiel",
    "name_en": "Dutch Agreement on Sustainable Garments and Textile",
    "short_name": "AGT",
    "description_nl": (
        "In juli 2016 ondertekende een brede coalitie van bedrijven, brancheorganisaties, "
        "vakbonden, ngo's en de Nederlandse overheid het convenant. Doel: binnen drie tot vijf "
        "jaar substantiële stappen van verbetering bereiken voor groepen die negatieve gevolgen "
        "ervaren in de kleding- en textielketen, en 80% van de Nederlandse markt aansluiten."
    ),
    "description_en": (
        "In July 2016 a broad coalition of companies, trade associations, trade unions, NGOs "
        "and the Dutch government signed the agreement. Its aim: within three to five years, "
        "substantial improvement for groups that suffer adverse impacts in the garment and "
        "textile supply chain, with 80% of the Dutch market on board."
    ),
    "signed_on": d("2016-07-04"),
    "ends_on": d("2021-07-04"),
    "status": Agreement.Status.ACTIVE,
    "facility_taxonomy": "open-supply-hub-2023",
    "list_publication_month": 7,
    "list_publication_day": 4,
}

# code, name_nl, name_en, description (nl, en), joint aims (nl, en), expected measures (nl, en)
ThemeSpec = tuple[str, str, str, tuple[str, str], tuple[str, str], tuple[str, str]]
GARMENT_THEMES: tuple[ThemeSpec, ...] = (
    (
        "discrimination-gender",
        "Discriminatie en gender",
        "Discrimination and gender",
        (
            "De meeste werknemers in de kledingproductie zijn vrouw. Zij verdienen vaak minder, "
            "hebben weinig kans op promotie en lopen risico op intimidatie en seksueel geweld.",
            "Most garment workers are women. They are often paid less, have little chance of "
            "promotion and run a risk of harassment and gender-based violence.",
        ),
        (
            "Partijen willen dat discriminatie op grond van geslacht, afkomst, religie of "
            "zwangerschap in de productieketen wordt voorkomen en aangepakt.",
            "The parties want discrimination on grounds of gender, origin, religion or "
            "pregnancy in the supply chain prevented and addressed.",
        ),
        (
            "Bedrijven nemen gender mee in hun risicoanalyse, vragen leveranciers naar "
            "klachtenmechanismen en beleid tegen intimidatie, en volgen de uitvoering.",
            "Companies include gender in their risk analysis, ask suppliers about grievance "
            "mechanisms and anti-harassment policies, and follow up on them.",
        ),
    ),
    (
        "child-labour",
        "Kinderarbeid",
        "Child labour",
        (
            "Kinderarbeid komt vooral dieper in de keten voor: bij het plukken van katoen, in "
            "spinnerijen en bij thuiswerk. Oorzaken zijn armoede en een gebrek aan onderwijs "
            "en kinderopvang.",
            "Child labour occurs mostly deeper in the chain: cotton picking, spinning mills "
            "and home work. Its causes are poverty and a lack of schooling and childcare.",
        ),
        (
            "Partijen werken aan een keten zonder kinderarbeid en pakken de oorzaken aan, zoals "
            "in het collectieve project met het Fonds Bestrijding Kinderarbeid in India en "
            "Bangladesh.",
            "The parties work towards a chain free of child labour and tackle its causes, as "
            "in the collective project with the Fund against Child Labour in India and "
            "Bangladesh.",
        ),
        (
            "Bedrijven brengen het risico tot op het niveau van spinnerijen in kaart, spreken "
            "leveranciers erop aan en zorgen bij ontdekking voor herstel in het belang van het "
            "kind.",
            "Companies map the risk down to spinning mills, raise it with suppliers and, when "
            "child labour is found, ensure remediation in the best interest of the child.",
        ),
    ),
    (
        "forced-labour",
        "Dwangarbeid",
        "Forced labour",
        (
            "Dwangarbeid en gebonden arbeid komen voor in spinnerijen (zoals het Sumangali-"
            "systeem in Zuid-India), bij migrantenwerkers met schulden aan ronselaars en in "
            "de katoenteelt.",
            "Forced and bonded labour occurs in spinning mills (such as the Sumangali scheme in "
            "South India), among migrant workers indebted to recruiters and in cotton growing.",
        ),
        (
            "Partijen willen dat geen werknemer in de keten onder dwang of door schulden "
            "gebonden werkt.",
            "The parties want no worker in the chain to work under coercion or bound by debt.",
        ),
        (
            "Bedrijven vragen leveranciers naar wervingskosten, het inhouden van paspoorten en "
            "vrijheid van beweging, en vermijden katoen uit gebieden met staatsgedwongen arbeid.",
            "Companies ask suppliers about recruitment fees, retention of passports and freedom "
            "of movement, and avoid cotton from regions with state-imposed forced labour.",
        ),
    ),
    (
        "freedom-of-association",
        "Vrijheid van vakvereniging",
        "Freedom of association",
        (
            "In veel productielanden kunnen werknemers zich niet vrij organiseren of collectief "
            "onderhandelen. Zonder vakbond hebben ze weinig stem in lonen en "
            "arbeidsomstandigheden.",
            "In many production countries workers cannot freely organise or bargain "
            "collectively. Without a union they have little say in wages and conditions.",
        ),
        (
            "Partijen bevorderen sociale dialoog en collectieve onderhandelingen bij "
            "leveranciers, met steun van lokale vakbonden.",
            "The parties promote social dialogue and collective bargaining at suppliers, "
            "supported by local trade unions.",
        ),
        (
            "Bedrijven gebruiken de vragenlijst van FNV en CNV (ongeveer 40 vragen) met hun "
            "leveranciers en steunen overleg tussen werknemers en management.",
            "Companies use the FNV and CNV questionnaire (about 40 questions) with their "
            "suppliers and support dialogue between workers and management.",
        ),
    ),
    (
        "living-wage",
        "Leefbaar loon",
        "Living wage",
        (
            "Het wettelijk minimumloon in productielanden is vaak te laag om van te leven. "
            "Inkooppraktijken van merken, zoals prijsdruk en korte levertijden, spelen daarbij "
            "een rol.",
            "The legal minimum wage in production countries is often too low to live on. "
            "Brands' purchasing practices, such as price pressure and short lead times, play "
            "a part.",
        ),
        (
            "Partijen werken toe naar een leefbaar loon in de keten, onder meer via het "
            "collectieve project Leefbaar loon en steun aan cao-overleg in Tamil Nadu.",
            "The parties work towards a living wage in the chain, among others through the "
            "collective Living Wage project and support for collective bargaining in Tamil Nadu.",
        ),
        (
            "Bedrijven analyseren hun inkooppraktijken, maken de loonkosten in hun prijzen "
            "zichtbaar en nemen met gedeelde leveranciers deel aan leveranciersseminars.",
            "Companies analyse their purchasing practices, ring-fence labour costs in their "
            "prices and join supplier seminars with shared suppliers.",
        ),
    ),
    (
        "health-safety",
        "Veiligheid en gezondheid op de werkvloer",
        "Safety and health in the workplace",
        (
            "Brand- en gebouwveiligheid, blootstelling aan chemicaliën en lange werkdagen "
            "bedreigen de gezondheid van werknemers, zoals de ramp met Rana Plaza in 2013 liet "
            "zien.",
            "Fire and building safety, exposure to chemicals and long working days threaten "
            "workers' health, as the Rana Plaza collapse in 2013 showed.",
        ),
        (
            "Partijen willen veilige en gezonde werkplekken, met werknemers die zelf "
            "misstanden kunnen melden.",
            "The parties want safe and healthy workplaces where workers themselves can report "
            "hazards.",
        ),
        (
            "Bedrijven laten gebouwen en brandveiligheid controleren, volgen herstelplannen op "
            "en steunen veiligheidscomités van werknemers.",
            "Companies have building and fire safety inspected, follow up on corrective action "
            "plans and support workers' safety committees.",
        ),
    ),
    (
        "raw-materials",
        "Grondstoffen",
        "Raw materials",
        (
            "De teelt en winning van grondstoffen, zoals katoen en viscose, gaan gepaard met "
            "risico's voor mens en milieu: pesticiden, watergebruik, ontbossing en "
            "kinderarbeid.",
            "Growing and extracting raw materials such as cotton and viscose carries risks for "
            "people and the environment: pesticides, water use, deforestation and child labour.",
        ),
        (
            "Partijen willen het aandeel duurzamere grondstoffen in de collecties vergroten en "
            "de herkomst beter traceerbaar maken.",
            "The parties want a larger share of more sustainable materials in collections and "
            "better traceability of their origin.",
        ),
        (
            "Bedrijven stellen een inventaris van hun materialen op, kiezen voor gecertificeerde "
            "of gerecyclede vezels en stellen doelen voor het aandeel duurzamere materialen.",
            "Companies draw up an inventory of their materials, choose certified or recycled "
            "fibres and set targets for the share of more sustainable materials.",
        ),
    ),
    (
        "water-chemicals-energy",
        "Waterverontreiniging en gebruik van chemicaliën, water en energie",
        "Water pollution and use of chemicals, water and energy",
        (
            "Ververijen en wasserijen gebruiken veel water, energie en chemicaliën; "
            "ongezuiverd afvalwater vervuilt rivieren en schaadt omwonenden.",
            "Dye houses and laundries use a lot of water, energy and chemicals; untreated "
            "waste water pollutes rivers and harms local communities.",
        ),
        (
            "Partijen willen schadelijke stoffen uitfaseren en het water- en energiegebruik in "
            "natte processen verminderen, zoals in het project met negen ververijen in China.",
            "The parties want hazardous substances phased out and water and energy use in wet "
            "processing reduced, as in the project with nine dye houses in China.",
        ),
        (
            "Bedrijven hanteren een lijst met verboden stoffen (MRSL), vragen afvalwatertests "
            "op bij ververijen en werken met leveranciers aan schonere productie.",
            "Companies apply a manufacturing restricted substances list (MRSL), ask dye houses "
            "for waste-water tests and work with suppliers on cleaner production.",
        ),
    ),
    (
        "animal-welfare",
        "Dierenwelzijn",
        "Animal welfare",
        (
            "Materialen van dierlijke oorsprong, zoals wol, dons, leer en bont, kunnen gepaard "
            "gaan met dierenleed, bijvoorbeeld mulesing of het levend plukken van dons.",
            "Materials of animal origin such as wool, down, leather and fur can involve animal "
            "suffering, for example mulesing or live plucking of down.",
        ),
        (
            "Partijen willen dierenleed in de keten voorkomen, met de factsheets dierenwelzijn "
            "van VIER VOETERS als hulpmiddel.",
            "The parties want animal suffering in the chain prevented, with the FOUR PAWS "
            "animal welfare factsheets as a tool.",
        ),
        (
            "Bedrijven die dierlijke materialen gebruiken, stellen dierenwelzijnsbeleid op en "
            "kiezen voor gecertificeerde wol en dons.",
            "Companies that use materials of animal origin adopt an animal welfare policy and "
            "choose certified wool and down.",
        ),
    ),
)

# number, name_nl, name_en, description_nl, description_en
OECD_STEPS: tuple[tuple[int, str, str, str, str], ...] = (
    (
        1,
        "Verankeren van maatschappelijk verantwoord ondernemen in beleid en managementsystemen",
        "Embed responsible business conduct into policies and management systems",
        "Het bedrijf legt vast hoe het gepaste zorgvuldigheid toepast en wie daarvoor "
        "verantwoordelijk is.",
        "The company sets out how it carries out due diligence and who is responsible for it.",
    ),
    (
        2,
        "Identificeren en beoordelen van negatieve impact in de keten",
        "Identify and assess adverse impacts in the supply chain",
        "Het bedrijf brengt zijn productielocaties en risico's per thema in kaart en "
        "prioriteert naar ernst en waarschijnlijkheid.",
        "The company maps its production locations and the risks per theme, and prioritises "
        "them by severity and likelihood.",
    ),
    (
        3,
        "Stoppen, voorkomen of beperken van negatieve impact",
        "Cease, prevent or mitigate adverse impacts",
        "Het bedrijf stelt een plan van aanpak op met SMART-doelen voor de geprioriteerde "
        "risico's.",
        "The company draws up an action plan with SMART targets for its prioritised risks.",
    ),
    (
        4,
        "Monitoren van de uitvoering en de resultaten",
        "Track implementation and results",
        "Het bedrijf volgt of de maatregelen werken, samen met leveranciers en belanghebbenden.",
        "The company checks whether its measures work, together with suppliers and stakeholders.",
    ),
    (
        5,
        "Communiceren over hoe negatieve impact wordt aangepakt",
        "Communicate how impacts are addressed",
        "Het bedrijf rapporteert openbaar over zijn due diligence en publiceert zijn "
        "productielocaties.",
        "The company reports publicly on its due diligence and discloses its production locations.",
    ),
    (
        6,
        "Zorgen voor of meewerken aan herstel",
        "Provide for or cooperate in remediation",
        "Waar het bedrijf negatieve impact veroorzaakt of eraan bijdraagt, zorgt het voor "
        "herstel en werkt het mee aan klachtenprocedures.",
        "Where the company causes or contributes to an adverse impact, it provides for "
        "remediation and cooperates in grievance procedures.",
    ),
)


# --- companies -------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoCompany:
    slug: str
    name: str
    city: str
    segment: str
    brands: tuple[str, ...]
    turnover_m: float  # turnover on the Dutch market in 2019, in millions (before scaling)
    joined: str | None  # None: an open application
    country: str = "NL"
    applied: str | None = None
    ended: str | None = None
    end_reason: str = ""
    end_note: str = ""
    merged_into: str | None = None
    suspended: str | None = None
    suspend_note: str = ""
    sister_initiative: str = ""


_c = DemoCompany


F = "2016-07-04"  # the founding signatories
LEFT, BANKRUPT = Membership.EndReason.LEFT, Membership.EndReason.BANKRUPTCY
EXCLUDED, MERGED = Membership.EndReason.EXCLUDED, Membership.EndReason.MERGED

# fmt: off
GARMENT_COMPANIES: tuple[DemoCompany, ...] = (
    # Founders, 4 July 2016 (50)
    _c("noordzee-mode", "Noordzee Mode BV", "Amsterdam", "fashion retail",
       ("Noordzee", "Noordzee Kids"), 300, F),
    _c("tulip-denim", "Tulip Denim BV", "Amsterdam", "denim", ("Tulip Denim",), 45, F),
    _c("hollandse-textielgroep", "Hollandse Textielgroep NV", "Utrecht", "department stores",
       ("HTG Basics", "Polder", "Zuiderzee Kids"), 520, F),
    _c("van-dalen-fashion", "Van Dalen Fashion Group BV", "Rotterdam", "womenswear",
       ("Van Dalen", "Dalen Sport"), 180, F),
    _c("kanaal-kleding", "Kanaal Kleding BV", "Amersfoort", "casual wear", ("Kanaal",), 25, F),
    _c("de-wolkam", "De Wolkam BV", "Tilburg", "knitwear", ("De Wolkam",), 12, F),
    _c("brabant-workwear", "Brabant Workwear BV", "Eindhoven", "workwear", ("BWW Pro",), 30, F),
    _c("zeeuws-linnen", "Zeeuws Linnen BV", "Middelburg", "home textiles",
       ("Zeeuws Linnen",), 8, F),
    _c("grachtengordel-couture", "Grachtengordel Couture BV", "Amsterdam", "womenswear",
       ("Gracht",), 15, F),
    _c("veluwe-outdoor", "Veluwe Outdoor BV", "Apeldoorn", "outdoor wear",
       ("Veluwe Outdoor", "Trailhut"), 60, F),
    _c("warenhuis-de-kustlijn", "Warenhuis De Kustlijn BV", "Den Haag", "department stores",
       ("Kustlijn", "Kustlijn Home"), 240, F, ended="2019-04-15", end_reason=BANKRUPT,
       end_note="Declared bankrupt; the stores closed."),
    _c("molenaar-mode", "Molenaar Mode BV", "Zwolle", "menswear", ("Molenaar",), 22, F),
    _c("fietsbel-kids", "Fietsbel Kids BV", "Leiden", "childrenswear", ("Fietsbel",), 18, F),
    _c("oranjeboom-textiel", "Oranjeboom Textiel BV", "Breda", "casual wear",
       ("Oranjeboom",), 14, F),
    _c("stadhouder-menswear", "Stadhouder Menswear BV", "Den Haag", "menswear",
       ("Stadhouder",), 35, F),
    _c("lindeboom-lingerie", "Lindeboom Lingerie BV", "Hilversum", "lingerie",
       ("Lindeboom", "Linde Nights"), 40, F),
    _c("ijssel-mode", "IJssel Schoenen & Mode BV", "Deventer", "shoes and fashion",
       ("IJssel",), 28, F),
    _c("amstelveen-apparel", "Amstelveen Apparel Group BV", "Amstelveen", "fashion retail",
       ("AAG Essentials", "Amstel Girl", "Amstel Boy"), 260, F),
    _c("duinroos-mode", "Duinroos Mode BV", "Haarlem", "womenswear", ("Duinroos",), 11, F),
    _c("textielhuis-twente", "Textielhuis Twente BV", "Enschede", "home textiles",
       ("Twentse Weverij",), 20, F),
    _c("polderblauw", "Polderblauw BV", "Almere", "denim", ("Polderblauw",), 9, F,
       ended="2019-09-30", end_reason=LEFT, end_note="Stopped selling on the Dutch market."),
    _c("maasland-sportswear", "Maasland Sportswear BV", "Venlo", "sportswear",
       ("Maasland Sport",), 55, F),
    _c("kroonjuweel-kindermode", "Kroonjuweel Kindermode BV", "Nijmegen", "childrenswear",
       ("Kroonjuweel",), 16, F),
    _c("hanze-kleding", "Hanze Kleding BV", "Groningen", "fashion retail", ("Hanze",), 75, F),
    _c("waddenwol", "Waddenwol BV", "Leeuwarden", "knitwear", ("Waddenwol",), 6, F,
       ended="2019-03-31", end_reason=LEFT, end_note="Too small to meet the requirements."),
    _c("rijnmond-fashion", "Rijnmond Fashion BV", "Rotterdam", "fashion retail",
       ("Rijnmond", "RM Denim"), 95, F),
    _c("merel-en-mus", "Merel & Mus BV", "Utrecht", "childrenswear", ("Merel & Mus",), 7, F),
    _c("delfts-blauw-textiles", "Delfts Blauw Textiles BV", "Delft", "home textiles",
       ("Delfts Blauw",), 10, F, ended="2020-12-31", end_reason=LEFT,
       end_note="Chose another sustainability initiative."),
    _c("bolwerk-schoolwear", "Bolwerk Schoolwear BV", "'s-Hertogenbosch", "uniforms",
       ("Bolwerk",), 13, F),
    _c("kaasmarkt-casuals", "Kaasmarkt Casuals BV", "Alkmaar", "casual wear",
       ("Kaasmarkt",), 19, F),
    _c("heidepaars-mode", "Heidepaars Mode BV", "Ede", "womenswear", ("Heidepaars",), 12, F),
    _c("zilvermeeuw-swimwear", "Zilvermeeuw Swimwear BV", "Scheveningen", "swimwear",
       ("Zilvermeeuw",), 10, F),
    _c("van-houten-textiel", "Van Houten & Zonen Textiel BV", "Arnhem", "menswear",
       ("Van Houten",), 24, F),
    _c("lentebloei-fashion", "Lentebloei Fashion BV", "Lisse", "womenswear",
       ("Lentebloei",), 21, F),
    _c("dijkgraaf-workwear", "Dijkgraaf Workwear BV", "Dordrecht", "workwear",
       ("Dijkgraaf Safety",), 40, F),
    _c("stormvogel-outdoor", "Stormvogel Outdoor BV", "Den Helder", "outdoor wear",
       ("Stormvogel",), 17, F),
    _c("koopman-mode-retail", "Koopman Mode Retail BV", "Purmerend", "fashion retail",
       ("Koopman",), 130, F, ended="2019-06-30", end_reason=LEFT,
       end_note="Left after a change of owner."),
    _c("vlieland-textiles", "Vlieland Textiles BV", "Harlingen", "home textiles",
       ("Vlieland",), 5, F, ended="2017-10-01", end_reason=LEFT,
       end_note="Could not free the capacity for due diligence."),
    _c("graanschuur-denim", "Graanschuur Denim BV", "Amsterdam", "denim", ("Graanschuur",), 8,
       F, ended="2020-06-30", end_reason=MERGED, merged_into="tulip-denim",
       end_note="Taken over by Tulip Denim BV, itself a member."),
    _c("meerzicht-modehuizen", "Meerzicht Modehuizen BV", "Roermond", "fashion retail",
       ("Meerzicht", "MZ Men"), 110, F),
    _c("pepermolen-kinderkleding", "Pepermolen Kinderkleding BV", "Gouda", "childrenswear",
       ("Pepermolen",), 14, F),
    _c("zonnewijzer-fashion", "Zonnewijzer Fashion BV", "Maastricht", "womenswear",
       ("Zonnewijzer",), 16, F),
    _c("noorderlicht-knitwear", "Noorderlicht Knitwear BV", "Assen", "knitwear",
       ("Noorderlicht",), 9, F, ended="2019-07-31", end_reason=LEFT,
       end_note="Joined an initiative in its main export market."),
    _c("korenbloem-lifestyle", "Korenbloem Lifestyle BV", "Bussum", "lifestyle",
       ("Korenbloem", "Korenbloem Home"), 45, F),
    _c("tegelhuys-textiel", "Tegelhuys Textiel BV", "Leiden", "home textiles",
       ("Tegelhuys",), 7, F, ended="2018-03-31", end_reason=LEFT,
       end_note="Moved its production to the Netherlands only."),
    _c("waterlelie-mode", "Waterlelie Mode BV", "Zaandam", "womenswear", ("Waterlelie",), 13, F,
       suspended="2021-02-01",
       suspend_note="No action plan submitted for the third year despite two reminders."),
    _c("schelpenpad-beachwear", "Schelpenpad Beachwear BV", "Zandvoort", "swimwear",
       ("Schelpenpad",), 6, F, ended="2017-05-12", end_reason=BANKRUPT,
       end_note="Declared bankrupt."),
    _c("hofstad-uniforms", "Hofstad Uniforms BV", "Den Haag", "uniforms",
       ("Hofstad Uniforms",), 26, F),
    _c("marktplein-mode-groep", "Marktplein Mode Groep BV", "Amersfoort", "fashion retail",
       ("Marktplein", "MP Kids", "MP Basics"), 340, F),
    _c("wilgenhof-textiles", "Wilgenhof Textiles BV", "Utrecht", "home textiles",
       ("Wilgenhof",), 10, F, suspended="2020-03-01",
       suspend_note="Production locations not disclosed for the second year running.",
       ended="2020-11-30", end_reason=EXCLUDED,
       end_note="Excluded by the steering group after the suspension was not lifted."),
    # Later in 2016 (5)
    _c("goudsbloem-fashion", "Goudsbloem Fashion BV", "Rotterdam", "womenswear",
       ("Goudsbloem",), 15, "2016-09-01"),
    _c("ruiterpad-equestrian", "Ruiterpad Equestrian BV", "Barneveld", "equestrian wear",
       ("Ruiterpad",), 9, "2016-10-01"),
    _c("lindenhof-basics", "Lindenhof Basics BV", "Tiel", "basics", ("Lindenhof",), 18,
       "2016-11-01"),
    _c("kobalt-sportswear", "Kobalt Sportswear BV", "Eindhoven", "sportswear", ("Kobalt",),
       33, "2016-12-01"),
    _c("ekster-accessories", "Ekster Accessories BV", "Breda", "accessories", ("Ekster",), 7,
       "2016-12-15", ended="2018-09-30", end_reason=LEFT,
       end_note="Sells almost no textiles any more."),
    # 2017 (10)
    _c("nachtegaal-nightwear", "Nachtegaal Nightwear BV", "Hengelo", "nightwear",
       ("Nachtegaal",), 8, "2017-02-01"),
    _c("berkenbos-kids", "Berkenbos Kids BV", "Apeldoorn", "childrenswear", ("Berkenbos",),
       12, "2017-03-01"),
    _c("windkracht-surf", "Windkracht Surf BV", "Scheveningen", "surf wear", ("Windkracht",),
       20, "2017-04-01"),
    _c("blauwe-reiger-denim", "Blauwe Reiger Denim BV", "Amsterdam", "denim",
       ("Blauwe Reiger",), 11, "2017-05-01"),
    _c("vossenberg-fashion-group", "Vossenberg Fashion Group BV", "Tilburg", "fashion retail",
       ("Vossenberg", "Vos Men", "Vos Kids"), 150, "2017-06-01"),
    _c("stoomboot-menswear", "Stoomboot Menswear BV", "Vlissingen", "menswear",
       ("Stoomboot",), 16, "2017-07-01"),
    _c("heggenroos-mode", "Heggenroos Mode BV", "Venray", "womenswear", ("Heggenroos",), 9,
       "2017-09-01", ended="2019-10-31", end_reason=LEFT,
       end_note="Left to focus on its own programme."),
    _c("textielfabriek-de-hoop", "Textielfabriek De Hoop BV", "Enschede", "home textiles",
       ("De Hoop",), 14, "2017-10-01"),
    _c("parelvisser-lingerie", "Parelvisser Lingerie BV", "Amsterdam", "lingerie",
       ("Parelvisser",), 10, "2017-11-01"),
    _c("kompas-workwear", "Kompas Workwear BV", "Zwolle", "workwear", ("Kompas Pro",), 28,
       "2017-12-01"),
    # 2018 (10, two of them associated through the Textilbündnis)
    _c("zandloper-fashion", "Zandloper Fashion BV", "Utrecht", "womenswear", ("Zandloper",),
       13, "2018-01-15"),
    _c("klaproos-kindermode", "Klaproos Kindermode BV", "Groningen", "childrenswear",
       ("Klaproos", "Klaproos Baby"), 17, "2018-02-01"),
    _c("weidegang-wool", "Weidegang Wool BV", "Drachten", "knitwear", ("Weidegang",), 6,
       "2018-03-01", ended="2019-12-01", end_reason=LEFT,
       end_note="Left: could not carry the reporting burden."),
    _c("regenboog-retail", "Regenboog Retail BV", "Rotterdam", "fashion retail",
       ("Regenboog", "Regenboog Sport", "Regenboog Baby"), 85, "2018-04-01"),
    _c("kastanje-casual", "Kastanje Casual BV", "Nijmegen", "casual wear", ("Kastanje",), 12,
       "2018-05-01"),
    _c("ooievaar-babywear", "Ooievaar Babywear BV", "Alphen aan den Rijn", "babywear",
       ("Ooievaar",), 9, "2018-06-01"),
    _c("zeester-swim", "Zeester Swim BV", "Katwijk", "swimwear", ("Zeester",), 8,
       "2018-07-01"),
    _c("hagedoorn-menswear", "Hagedoorn Menswear BV", "'s-Hertogenbosch", "menswear",
       ("Hagedoorn", "Hagedoorn Tailoring"), 15, "2018-08-01"),
    _c("rheinland-mode", "Rheinland Mode GmbH", "Düsseldorf", "fashion retail",
       ("Rheinland", "RL Denim"), 60, "2018-09-01", country="DE",
       sister_initiative="Textilbündnis"),
    _c("elbufer-textil", "Elbufer Textil GmbH", "Hamburg", "outdoor wear", ("Elbufer",), 35,
       "2018-10-01", country="DE", sister_initiative="Textilbündnis"),
    # 2019 (5)
    _c("kievit-sportswear", "Kievit Sportswear BV", "Hoofddorp", "sportswear",
       ("Kievit", "Kievit Junior"), 10, "2019-02-01"),
    _c("vuurtoren-outdoor", "Vuurtoren Outdoor BV", "Harlingen", "outdoor wear",
       ("Vuurtoren", "Vuurtoren Kids"), 12, "2019-04-01"),
    _c("pauwoog-fashion", "Pauwoog Fashion BV", "Amsterdam", "womenswear", ("Pauwoog",), 8,
       "2019-06-01"),
    _c("zwaluw-shirts", "Zwaluw Shirts BV", "Ede", "menswear", ("Zwaluw",), 6, "2019-09-01"),
    _c("boterbloem-kids", "Boterbloem Kids BV", "Heerenveen", "childrenswear",
       ("Boterbloem", "Boterbloem Baby"), 7, "2019-11-01"),
    # 2020 (2)
    _c("watermolen-denim", "Watermolen Denim BV", "Kinderdijk", "denim", ("Watermolen",), 9,
       "2020-03-01"),
    _c("klaverveld-kleding", "Klaverveld Kleding BV", "Zaandam", "casual wear",
       ("Klaverveld",), 11, "2020-10-01"),
    # An open application for the secretariat to handle
    _c("duinpan-fashion", "Duinpan Fashion BV", "Bergen", "womenswear", ("Duinpan",), 14, None),
)
# fmt: on

GARMENT_TURNOVER_YEARS = range(2016, 2022)
# Members' turnover relative to 2019 (2019 was a hard year, 2020 the pandemic).
GARMENT_YEAR_FACTOR = {2016: 1.04, 2017: 1.06, 2018: 1.08, 2019: 1.0, 2020: 0.82, 2021: 0.9}
GARMENT_MARKET_EUR = {
    2016: 8_800_000_000,
    2017: 8_900_000_000,
    2018: 9_000_000_000,
    2019: 8_600_000_000,
    2020: 7_200_000_000,
    2021: 7_900_000_000,
}
GARMENT_COVERAGE_2019 = 0.48  # the mid-term evaluation: 48% of the Dutch market, early 2019
MARKET_SOURCE = "Demo figure: illustrative estimate of the Dutch clothing and textile market"


# --- parties and supporters ------------------------------------------------------------
@dataclass(frozen=True)
class DemoTarget:
    theme: str | None
    description: str
    indicator: str
    baseline: float
    target_value: float
    unit: str
    due_year: int
    progress: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class DemoParty:
    slug: str
    name: str
    type: str
    city: str
    website: str
    why_at_table: str
    contribution: str
    mandate: str
    expectations: str
    targets: tuple[DemoTarget, ...]
    joined: str = F


# fmt: off
GARMENT_PARTIES: tuple[DemoParty, ...] = (
    DemoParty(
        "ministerie-van-buitenlandse-zaken", "Ministerie van Buitenlandse Zaken", T.GOVERNMENT,
        "Den Haag", "https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken",
        "The government expects Dutch companies to apply the OECD Guidelines and supports "
        "sectors that take that step together.",
        "Embassies in production countries, diplomatic contacts, co-funding of collective "
        "projects and a seat in the steering group.",
        "The Minister for Foreign Trade and Development Cooperation signs on behalf of the "
        "Dutch government.",
        "Companies take their due diligence seriously; NGOs and unions share their knowledge "
        "of production countries.",
        (
            DemoTarget(None, "Raise responsible business conduct in talks with the governments "
                       "of the main production countries", "bilateral talks per year",
                       0, 6, "talks", 2020, ((2017, 2), (2018, 4), (2019, 5), (2020, 6))),
            DemoTarget("water-chemicals-energy", "Co-fund the collective project on dye houses "
                       "in China", "dye houses in the project", 0, 9, "dye houses", 2020,
                       ((2018, 4), (2019, 9), (2020, 9))),
        ),
    ),
    DemoParty(
        "fnv", "FNV", T.TRADE_UNION, "Amsterdam", "https://www.fnv.nl",
        "Workers in production countries need a voice; the agreement gives unions a direct "
        "line to the brands that buy from their factories.",
        "Contacts with local unions in Bangladesh, India and Indonesia, training on freedom "
        "of association and the questionnaire for suppliers.",
        "FNV signs for its members; its international department represents it in the "
        "steering group.",
        "Brands open their supplier lists and do not leave a factory when workers organise.",
        (
            DemoTarget("freedom-of-association", "Train member companies on freedom of "
                       "association and social dialogue", "companies trained", 0, 40,
                       "companies", 2020, ((2017, 12), (2018, 25), (2019, 33), (2020, 38))),
            DemoTarget("freedom-of-association", "Bring member companies in contact with local "
                       "unions at their suppliers", "companies introduced", 0, 15, "companies",
                       2020, ((2018, 4), (2019, 9), (2020, 13))),
        ),
    ),
    DemoParty(
        "cnv-internationaal", "CNV Internationaal", T.TRADE_UNION, "Utrecht",
        "https://www.cnvinternationaal.nl",
        "Social dialogue in the factory is the surest way to decent work; brands can open "
        "the door to it.",
        "Partner unions in Asia, a social dialogue programme in factories and, with FNV, a "
        "questionnaire of about 40 questions for buyers.",
        "CNV Internationaal acts for the CNV union federation in this agreement.",
        "Companies use the questionnaire with their suppliers and report what they find.",
        (
            DemoTarget("freedom-of-association", "Start social dialogue projects at suppliers "
                       "of member companies", "factories with a dialogue project", 0, 10,
                       "factories", 2020, ((2018, 3), (2019, 6), (2020, 8))),
        ),
    ),
    DemoParty(
        "inretail", "INretail", T.TRADE_ASSOCIATION, "Woerden", "https://www.inretail.nl",
        "Our members, fashion retailers, want to buy responsibly and prefer to do it "
        "together rather than each on their own.",
        "Recruiting members to join, workshops for small retailers and a help desk on due "
        "diligence.",
        "INretail signs for its members; each company decides for itself to join.",
        "Parties keep the reporting burden proportionate for small companies.",
        (
            DemoTarget(None, "Bring fashion retailers into the agreement", "member companies "
                       "that are INretail members", 20, 40, "companies", 2020,
                       ((2017, 28), (2018, 33), (2019, 32), (2020, 31))),
            DemoTarget(None, "Hold due diligence workshops for small retailers", "workshops",
                       0, 12, "workshops", 2020, ((2017, 3), (2018, 6), (2019, 9), (2020, 11))),
        ),
    ),
    DemoParty(
        "modint", "Modint", T.TRADE_ASSOCIATION, "Zeist", "https://www.modint.nl",
        "Manufacturers and wholesalers need practical tools to know their supply chain.",
        "Guidance on chemicals and the restricted substances list, speed-dating events "
        "between companies and parties, and supplier training.",
        "Modint signs for its members in fashion, textiles and carpets.",
        "NGOs and unions make their expertise available in a form companies can use.",
        (
            DemoTarget("water-chemicals-energy", "Members apply a restricted substances list",
                       "share of Modint member companies in the agreement with an MRSL",
                       10, 80, "%", 2020, ((2017, 25), (2018, 45), (2019, 62), (2020, 71))),
            DemoTarget(None, "Organise meetings between companies and parties", "meetings",
                       0, 6, "meetings", 2020, ((2017, 1), (2018, 3), (2019, 5), (2020, 6))),
        ),
    ),
    DemoParty(
        "vgt", "VGT", T.TRADE_ASSOCIATION, "Amersfoort", "https://www.vgt.nl",
        "Textile manufacturers want a level playing field on responsible production.",
        "Technical knowledge of wet processing, water and energy use in textile production.",
        "VGT signs for the Dutch textile manufacturing industry.",
        "Companies ask suppliers for data that can be compared across brands.",
        (
            DemoTarget("water-chemicals-energy", "Share water and energy benchmarks for wet "
                       "processing with member companies", "benchmarks published", 0, 3,
                       "benchmarks", 2019, ((2018, 1), (2019, 3))),
        ),
    ),
    DemoParty(
        "arisa", "Arisa", T.NGO, "Utrecht", "https://www.arisa.nl",
        "Child labour and bonded labour in South Indian spinning mills persist; brands "
        "sourcing there share responsibility.",
        "Research and local partners in India, advice to companies on child and forced "
        "labour and a role in the collective child labour project.",
        "Arisa (formerly the India Committee of the Netherlands) signs as an independent "
        "foundation.",
        "Companies trace their chain beyond the first tier, to the spinning mills.",
        (
            DemoTarget("child-labour", "Companies trace their yarn to the spinning mill",
                       "companies that know the spinning mills of their main products", 0, 25,
                       "companies", 2020, ((2017, 3), (2018, 8), (2019, 14), (2020, 19))),
            DemoTarget("forced-labour", "Advise companies on the Sumangali scheme and bonded "
                       "labour", "advice sessions", 0, 20, "sessions", 2020,
                       ((2017, 4), (2018, 9), (2019, 15), (2020, 18))),
        ),
    ),
    DemoParty(
        "hivos", "Hivos", T.NGO, "Den Haag", "https://hivos.org",
        "Women make most of our clothes; their rights deserve a place in every brand's due "
        "diligence.",
        "Expertise on gender and on women workers' organisations in Bangladesh and East "
        "Africa.",
        "Hivos signs as an independent development organisation.",
        "Companies include gender in their risk analysis and listen to women workers.",
        (
            DemoTarget("discrimination-gender", "Companies include gender in their risk "
                       "analysis", "companies with gender in their risk analysis", 5, 50,
                       "companies", 2020, ((2017, 9), (2018, 21), (2019, 34), (2020, 41))),
        ),
    ),
    DemoParty(
        "solidaridad", "Solidaridad", T.NGO, "Utrecht", "https://www.solidaridadnetwork.org",
        "Sustainable raw materials start with farmers and factories; we work with both.",
        "Programmes for better cotton and cleaner factories in Asia and Africa, and supplier "
        "training.",
        "Solidaridad Nederland signs for the Solidaridad network.",
        "Companies commit to a growing share of more sustainable cotton.",
        (
            DemoTarget("raw-materials", "Raise the share of more sustainable cotton used by "
                       "member companies", "share of more sustainable cotton", 12, 50, "%", 2020,
                       ((2017, 18), (2018, 27), (2019, 36), (2020, 42))),
            DemoTarget("water-chemicals-energy", "Train suppliers on cleaner production",
                       "suppliers trained", 0, 60, "suppliers", 2020,
                       ((2018, 15), (2019, 38), (2020, 51))),
        ),
    ),
    DemoParty(
        "unicef-nederland", "UNICEF Nederland", T.NGO, "Den Haag", "https://www.unicef.nl",
        "Children's rights go further than the absence of child labour: workers who are "
        "parents need time and means to care for their children.",
        "The Better Business for Children approach, with local partners in Bangladesh and "
        "India, in the collective child labour project.",
        "UNICEF Nederland signs as the Dutch national committee for UNICEF.",
        "Companies look at the needs of workers' children, such as maternity leave and "
        "childcare.",
        (
            DemoTarget("child-labour", "Improve conditions for workers who are parents at "
                       "suppliers in the project", "workers with better conditions", 0, 12000,
                       "workers", 2019, ((2017, 2500), (2018, 7000), (2019, 12000))),
        ),
    ),
    DemoParty(
        "stop-kinderarbeid", "Stop Kinderarbeid", T.NGO, "Utrecht",
        "https://www.stopkinderarbeid.nl",
        "Every child belongs in school; child labour free zones show that it can be done.",
        "The area-based approach to child labour free zones and a network of local "
        "organisations.",
        "The coalition Stop Kinderarbeid signs through its coordinating member.",
        "Companies help tackle the causes of child labour, not only ban it in contracts.",
        (
            DemoTarget("child-labour", "Hold workshops on child labour for companies and their "
                       "suppliers", "workshops", 0, 8, "workshops", 2020,
                       ((2017, 2), (2018, 4), (2019, 6), (2020, 7))),
        ),
    ),
)
# fmt: on

# name, city, country, joined, declaration
# fmt: off
GARMENT_SUPPORTERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("amfori", "Brussel", "BE", "2016-07-04",
     "Supports the agreement and aligns its BSCI audits and training with its requirements."),
    ("Better Cotton Initiative", "Genève", "CH", "2016-07-04",
     "Supports the agreement and offers members its programme for more sustainable cotton."),
    ("Ethical Trading Initiative", "London", "GB", "2016-07-04",
     "Supports the agreement and shares its experience with multi-stakeholder work on labour rights."),
    ("Fair Labor Association", "Washington", "US", "2016-07-04",
     "Supports the agreement and contributes to the collective child labour project."),
    ("Fair Wear Foundation", "Amsterdam", "NL", "2016-07-04",
     "Supports the agreement and recognises it in the work with its member brands."),
    ("GoodWeave", "Washington", "US", "2016-07-04",
     "Supports the agreement and offers its knowledge of home work and informal production."),
    ("Made-By", "Amsterdam", "NL", "2016-07-04",
     "Supports the agreement and helps brands measure the impact of their materials."),
    ("MVO Nederland", "Utrecht", "NL", "2016-07-04",
     "Supports the agreement and brings its network of entrepreneurs to its events."),
    ("Textile Exchange", "Lamesa", "US", "2016-07-04",
     "Supports the agreement and shares its standards for recycled and organic fibres."),
    ("ZDHC Foundation", "Amsterdam", "NL", "2016-07-04",
     "Supports the agreement and offers its guidelines on hazardous chemicals."),
    ("IDH, the Sustainable Trade Initiative", "Utrecht", "NL", "2016-07-04",
     "Supports the agreement and co-invests in programmes in production countries."),
    ("Sustainable Apparel Coalition", "San Francisco", "US", "2017-01-15",
     "Supports the agreement and works on aligning the Higg Index with its assessment."),
    ("Organic Cotton Accelerator", "Amsterdam", "NL", "2017-03-01",
     "Supports the agreement and helps brands source organic cotton."),
    ("Social & Labor Convergence Program", "Amsterdam", "NL", "2017-06-01",
     "Supports the agreement and works towards one converged assessment for factories."),
    ("Fashion for Good", "Amsterdam", "NL", "2017-09-01",
     "Supports the agreement and connects its members with circular innovations."),
    ("VIER VOETERS", "Amsterdam", "NL", "2018-02-01",
     "Supports the agreement and advises companies on animal welfare in their chains."),
    ("CottonConnect", "London", "GB", "2019-05-01",
     "Supports the agreement and helps brands trace cotton back to the farm."),
)
# fmt: on


# --- natural stone ---------------------------------------------------------------------
STONE = {
    "slug": STONE_SLUG,
    "sector": "Natural stone",
    "name_nl": "Convenant Natuursteen",
    "name_en": "Natural Stone Agreement",
    "short_name": "NS",
    "description_nl": (
        "Bedrijven, brancheorganisatie, vakbond, ngo's en overheid werken samen aan betere "
        "omstandigheden in de groeven en werkplaatsen waar natuursteen vandaan komt, vooral "
        "in India, China en Vietnam."
    ),
    "description_en": (
        "Companies, the trade association, a trade union, NGOs and the government work "
        "together on better conditions in the quarries and workshops where natural stone "
        "comes from, mainly in India, China and Vietnam."
    ),
    "signed_on": d("2019-06-24"),
    "ends_on": d("2024-06-24"),
    "status": Agreement.Status.ACTIVE,
    "facility_taxonomy": "open-supply-hub-2023",
    "list_publication_month": 6,
    "list_publication_day": 24,
}

# fmt: off
STONE_THEMES: tuple[ThemeSpec, ...] = (
    (
        "child-labour", "Kinderarbeid", "Child labour",
        ("Kinderen werken in groeven en bij het kappen van kasseien, vooral in India.",
         "Children work in quarries and at cobblestone cutting, mainly in India."),
        ("Geen kinderarbeid in de keten van Nederlandse natuursteen.",
         "No child labour in the chain of stone sold in the Netherlands."),
        ("Bedrijven brengen hun groeven in kaart en steunen herstel en onderwijs.",
         "Companies map their quarries and support remediation and schooling."),
    ),
    (
        "forced-labour", "Dwangarbeid", "Forced labour",
        ("Werknemers in groeven zijn soms door schulden aan de eigenaar gebonden.",
         "Quarry workers are sometimes bound to the owner by debt."),
        ("Niemand werkt in de keten onder dwang of door schulden gebonden.",
         "No one in the chain works under coercion or bound by debt."),
        ("Bedrijven vragen leveranciers naar voorschotten, lonen en werving.",
         "Companies ask suppliers about advances, wages and recruitment."),
    ),
    (
        "health-safety", "Gezondheid en veiligheid", "Health and safety",
        ("Stof bij het zagen en bewerken van steen veroorzaakt silicose; ongelukken in "
         "groeven zijn frequent.",
         "Dust from cutting and working stone causes silicosis; accidents in quarries are "
         "frequent."),
        ("Minder blootstelling aan stof en minder ongevallen in groeven en werkplaatsen.",
         "Less exposure to dust and fewer accidents in quarries and workshops."),
        ("Bedrijven vragen om nat zagen, mondkapjes en veiligheidsmaatregelen, en "
         "controleren dat.",
         "Companies require wet cutting, masks and safety measures, and check them."),
    ),
    (
        "environment", "Milieu", "Environment",
        ("Groeven tasten landschap, water en biodiversiteit aan en vragen veel energie.",
         "Quarries affect landscape, water and biodiversity and use a lot of energy."),
        ("Groeven die hun impact op het milieu beperken en herstellen.",
         "Quarries that limit and restore their impact on the environment."),
        ("Bedrijven vragen naar vergunningen en herstelplannen van groeven.",
         "Companies ask quarries for permits and restoration plans."),
    ),
    (
        "land-rights", "Landrechten", "Land rights",
        ("Nieuwe groeven verdringen soms gemeenschappen zonder hun instemming.",
         "New quarries sometimes displace communities without their consent."),
        ("Respect voor de rechten van gemeenschappen rond groeven.",
         "Respect for the rights of communities around quarries."),
        ("Bedrijven vragen naar overleg met en compensatie van omwonenden.",
         "Companies ask about consultation and compensation of local communities."),
    ),
)
# fmt: on

# fmt: off
STONE_COMPANIES: tuple[DemoCompany, ...] = (
    _c("graniet-import-holland", "Graniet Import Holland BV", "Rotterdam", "stone import",
       ("Graniet Holland",), 60, "2019-06-24"),
    _c("basalt-en-co", "Basalt & Co Natuursteen BV", "Tilburg", "stone trade",
       ("Basalt & Co",), 35, "2019-06-24"),
    _c("van-der-steen-natuursteen", "Van der Steen Natuursteen BV", "Zwolle", "stone trade",
       ("Van der Steen",), 28, "2019-06-24"),
    _c("zandsteen-trading-europe", "Zandsteen Trading Europe BV", "Venlo", "stone import",
       ("Zandsteen",), 40, "2019-06-24"),
    _c("marmerhuis-brabant", "Marmerhuis Brabant BV", "Oss", "interior stone",
       ("Marmerhuis",), 18, "2020-02-01"),
    _c("leisteen-import-noord", "Leisteen Import Noord BV", "Groningen", "roofing slate",
       ("Noordlei",), 22, "2020-09-01"),
)
# fmt: on
# Which companies reported turnover in which years: on 1 January 2020 only two members had
# reported, so that figure is suppressed (fewer than MIN_GROUP_SIZE companies); later ones show.
STONE_TURNOVER: dict[str, tuple[int, ...]] = {
    "graniet-import-holland": (2019, 2020, 2021),
    "basalt-en-co": (2019, 2020, 2021),
    "van-der-steen-natuursteen": (2021,),
    "zandsteen-trading-europe": (2021,),
    "marmerhuis-brabant": (2021,),
    "leisteen-import-noord": (),
}
STONE_MARKET_EUR = {2019: 560_000_000, 2020: 540_000_000, 2021: 580_000_000}

# fmt: off
STONE_PARTIES: tuple[DemoParty, ...] = (
    DemoParty(
        "ministerie-van-buitenlandse-zaken", "", T.GOVERNMENT, "", "",
        "Stone used in public works should not come from quarries with child labour.",
        "Embassy contacts in India and China and sustainable public procurement criteria.",
        "The Minister for Foreign Trade and Development Cooperation signs for the government.",
        "Companies disclose their quarries to the secretariat.",
        (
            DemoTarget("child-labour", "Apply social conditions in government stone tenders",
                       "tenders with social conditions", 0, 20, "tenders", 2022,
                       ((2020, 6), (2021, 11))),
        ),
        joined="2019-06-24",
    ),
    DemoParty(
        "fnv", "", T.TRADE_UNION, "", "",
        "Stone workers suffer from silicosis and accidents; their unions need support.",
        "Contacts with building and quarry unions in India and China.",
        "FNV signs for its members in construction.",
        "Companies make health and safety part of every purchase.",
        (
            DemoTarget("health-safety", "Train quarry workers on dust and safety through "
                       "partner unions", "workers trained", 0, 1500, "workers", 2022,
                       ((2020, 300), (2021, 850))),
        ),
        joined="2019-06-24",
    ),
    DemoParty(
        "arisa", "", T.NGO, "", "",
        "Our research on Indian sandstone and granite showed child and bonded labour.",
        "Research, local partners in Rajasthan and Telangana and advice to companies.",
        "Arisa signs as an independent foundation.",
        "Companies trace stone to the quarry and remediate where needed.",
        (
            DemoTarget("child-labour", "Companies trace their Indian stone to the quarry",
                       "companies that know their quarries", 0, 6, "companies", 2022,
                       ((2020, 2), (2021, 4))),
        ),
        joined="2019-06-24",
    ),
    DemoParty(
        "natuursteenbranche-nederland", "Natuursteenbranche Nederland (demo)",
        T.TRADE_ASSOCIATION, "Utrecht", "",
        "Our members want to sell stone that was produced responsibly.",
        "Recruiting members to join and practical guidance for small importers.",
        "The association signs for its members; each company decides to join itself.",
        "Parties keep requirements workable for small family businesses.",
        (
            DemoTarget(None, "Bring importers into the agreement", "member companies", 4, 12,
                       "companies", 2022, ((2019, 4), (2020, 6), (2021, 6))),
        ),
        joined="2019-06-24",
    ),
)
# fmt: on


# --- loading ---------------------------------------------------------------------------
@dataclass
class DemoSummary:
    organisations: int = 0
    companies: int = 0
    brands: int = 0
    memberships: int = 0
    parties: int = 0
    supporters: int = 0
    users: int = 0


def demo_is_loaded() -> bool:
    return Agreement.objects.filter(slug=GARMENTS_SLUG).exists()


def load_demo(*, log: Callable[[str], None] | None = None) -> DemoSummary:
    """Load the whole demo in one transaction (nothing half-loaded if anything fails).
    The caller checks settings.COVENANT_DEMO and demo_is_loaded() first."""
    say = log or (lambda _msg: None)
    summary = DemoSummary()
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - demo data, deterministic on purpose
    # History from 2016 on: no e-mails or tasks about it.
    with transaction.atomic(), side_effects.suppressed():
        orgs = _load_organisations(summary)
        garments = _create_agreement(GARMENTS, orgs)
        _create_themes_and_steps(garments, GARMENT_THEMES)
        CoverageTarget.objects.create(agreement=garments, year=2018, target_percent=Decimal(50))
        CoverageTarget.objects.create(agreement=garments, year=2020, target_percent=Decimal(80))
        say("Garment agreement, themes and due diligence steps")
        companies = _load_companies(garments, GARMENT_COMPANIES, rng, summary)
        _load_garment_turnover(garments, companies, rng)
        say(f"{len(companies)} garment companies with their membership history and turnover")
        _load_parties(garments, GARMENT_PARTIES, orgs, summary)
        _load_supporters(garments, summary)
        say("Parties with their commitments, and supporters")

        stone = _create_agreement(STONE, orgs)
        _create_themes_and_steps(stone, STONE_THEMES)
        CoverageTarget.objects.create(agreement=stone, year=2022, target_percent=Decimal(50))
        stone_companies = _load_companies(stone, STONE_COMPANIES, rng, summary)
        _load_stone_turnover(stone, stone_companies, rng)
        _load_parties(stone, STONE_PARTIES, orgs, summary)
        say("Natural stone agreement")

        _load_accounts(summary)
        say(f"{summary.users} demo accounts")
    summary.organisations = Organisation.objects.count()
    return summary


def _org(
    orgs: dict[str, Organisation],
    slug: str,
    name: str,
    type: str,
    *,
    city: str = "",
    country: str = "NL",
    website: str = "",
    description: str = "",
) -> Organisation:
    org = services.organisation_create(
        name=name,
        type=type,
        actor=None,
        slug=slug,
        city=city,
        country=country,
        website=website,
        description=description,
    )
    orgs[slug] = org
    return org


def _load_organisations(summary: DemoSummary) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    _org(
        orgs,
        SECRETARIAT_SLUG,
        "Secretariaat IMVO-convenanten (demo)",
        T.SECRETARIAT,
        city="Den Haag",
        description=(
            "The independent secretariat of the demo agreements: it admits members, assesses "
            "companies, publishes the production-location list and routes signals."
        ),
    )
    _org(
        orgs,
        COMMITTEE_SLUG,
        "Klachten- en geschillencommissie",
        T.COMMITTEE,
        city="Den Haag",
        description=(
            "The independent complaints and disputes committee of the demo agreements: it "
            "handles complaints about companies' supply chains and disputes, and its rulings "
            "are binding."
        ),
    )
    for party in GARMENT_PARTIES + STONE_PARTIES:
        if party.name:
            _org(
                orgs,
                party.slug,
                party.name,
                party.type,
                city=party.city,
                website=party.website,
                description=REAL_ORG_NOTE
                if not party.name.endswith("(demo)")
                else "A fictional trade association of the Covenant demo.",
            )
    return orgs


def _create_agreement(data: dict[str, object], orgs: dict[str, Organisation]) -> Agreement:
    return Agreement.objects.create(
        **data, secretariat=orgs[SECRETARIAT_SLUG], committee=orgs[COMMITTEE_SLUG]
    )


def _create_themes_and_steps(
    agreement: Agreement,
    themes: tuple[ThemeSpec, ...],
) -> None:
    Theme.objects.bulk_create(
        Theme(
            agreement=agreement,
            code=code,
            sort_order=n,
            name_nl=name_nl,
            name_en=name_en,
            description_nl=description[0],
            description_en=description[1],
            joint_aims_nl=aims[0],
            joint_aims_en=aims[1],
            expected_measures_nl=measures[0],
            expected_measures_en=measures[1],
        )
        for n, (code, name_nl, name_en, description, aims, measures) in enumerate(themes, 1)
    )
    DueDiligenceStep.objects.bulk_create(
        DueDiligenceStep(
            agreement=agreement,
            number=number,
            name_nl=name_nl,
            name_en=name_en,
            description_nl=desc_nl,
            description_en=desc_en,
        )
        for number, name_nl, name_en, desc_nl, desc_en in OECD_STEPS
    )


def _load_companies(
    agreement: Agreement,
    specs: tuple[DemoCompany, ...],
    rng: random.Random,
    summary: DemoSummary,
) -> dict[str, tuple[DemoCompany, Organisation]]:
    """Create the companies and brands, then replay their membership history in date order
    (so a company that merges into another finds it already there)."""
    companies: dict[str, tuple[DemoCompany, Organisation]] = {}
    for spec in specs:
        org = services.organisation_create(
            name=spec.name,
            type=T.COMPANY,
            actor=None,
            slug=spec.slug,
            city=spec.city,
            country=spec.country,
            description=f"A fictional company of the Covenant demo ({spec.segment}).",
        )
        for brand in spec.brands:
            services.brand_create(company=org, name=brand, actor=None)
            summary.brands += 1
        companies[spec.slug] = (spec, org)
        summary.companies += 1

    today = timezone.localdate()
    for spec, org in companies.values():
        if spec.joined is None:  # an open application, recent so it sits in the inbox
            services.membership_apply(
                agreement=agreement,
                company=org,
                actor=None,
                applied_on=today - dt.timedelta(days=9),
                note="Application form received; brands and turnover to be checked.",
            )
            summary.memberships += 1
            continue
        joined = d(spec.joined)
        if spec.applied:
            applied = d(spec.applied)
        elif joined == agreement.signed_on:
            applied = joined - dt.timedelta(days=rng.randint(3, 40))
        else:
            applied = joined - dt.timedelta(days=rng.randint(20, 80))
        membership = services.membership_apply(
            agreement=agreement, company=org, actor=None, applied_on=applied
        )
        membership = services.membership_approve(
            membership=membership,
            actor=None,
            effective_on=joined,
            sister_initiative=spec.sister_initiative,
            note="Admitted through the Textilbündnis (mutual recognition)."
            if spec.sister_initiative
            else "",
        )
        if spec.suspended:
            membership = services.membership_suspend(
                membership=membership,
                actor=None,
                effective_on=d(spec.suspended),
                note=spec.suspend_note,
            )
        if spec.ended:
            services.membership_end(
                membership=membership,
                reason=spec.end_reason,
                actor=None,
                effective_on=d(spec.ended),
                note=spec.end_note,
                merged_into=companies[spec.merged_into][1] if spec.merged_into else None,
            )
        summary.memberships += 1
    return companies


def _member_years(spec: DemoCompany, years: range) -> list[int]:
    if spec.joined is None:
        return []
    first = d(spec.joined).year
    last = d(spec.ended).year if spec.ended else years[-1]
    return [y for y in years if first <= y <= last]


def _is_member_on(spec: DemoCompany, on: dt.date) -> bool:
    return (
        spec.joined is not None
        and d(spec.joined) <= on
        and (spec.ended is None or d(spec.ended) > on)
    )


def _load_garment_turnover(
    agreement: Agreement, companies: dict[str, tuple[DemoCompany, Organisation]], rng: random.Random
) -> None:
    """Turnover per company and year, scaled so that the members of 1 January 2019 covered
    48% of the 2019 market (the figure of the mid-term evaluation)."""
    raw: dict[str, dict[int, float]] = {}
    for slug, (spec, _org) in companies.items():
        raw[slug] = {
            year: spec.turnover_m * 1e6 * GARMENT_YEAR_FACTOR[year] * rng.uniform(0.95, 1.05)
            for year in _member_years(spec, GARMENT_TURNOVER_YEARS)
        }
    on = dt.date(2019, 1, 1)
    covered = sum(
        raw[slug][2019] for slug, (spec, _o) in companies.items() if _is_member_on(spec, on)
    )
    scale = GARMENT_COVERAGE_2019 * GARMENT_MARKET_EUR[2019] / covered
    for slug, (_spec, org) in companies.items():
        for year, amount in raw[slug].items():
            services.turnover_set(
                company=org, year=year, amount_eur=round(amount * scale, -3), actor=None
            )
    for year, amount in GARMENT_MARKET_EUR.items():
        services.market_size_set(
            agreement=agreement, year=year, amount_eur=amount, actor=None, source=MARKET_SOURCE
        )


def _load_stone_turnover(
    agreement: Agreement, companies: dict[str, tuple[DemoCompany, Organisation]], rng: random.Random
) -> None:
    for slug, years in STONE_TURNOVER.items():
        spec, org = companies[slug]
        for year in years:
            amount = spec.turnover_m * 1e6 * rng.uniform(0.9, 1.1)
            services.turnover_set(company=org, year=year, amount_eur=round(amount, -3), actor=None)
    for year, amount in STONE_MARKET_EUR.items():
        services.market_size_set(
            agreement=agreement,
            year=year,
            amount_eur=amount,
            actor=None,
            source="Demo figure: illustrative estimate of the Dutch natural stone market",
        )


def _load_parties(
    agreement: Agreement,
    parties: tuple[DemoParty, ...],
    orgs: dict[str, Organisation],
    summary: DemoSummary,
) -> None:
    themes = {t.code: t for t in agreement.themes.all()}
    for party in parties:
        signatory = services.signatory_add(
            agreement=agreement,
            organisation=orgs[party.slug],
            kind=Signatory.Kind.PARTY,
            actor=None,
            joined_on=d(party.joined),
        )
        commitment = services.commitment_update(
            commitment=signatory.commitment,
            actor=None,
            why_at_table=party.why_at_table,
            contribution=party.contribution,
            mandate=party.mandate,
            expectations=party.expectations,
        )
        for spec in party.targets:
            target = services.commitment_target_add(
                commitment=commitment,
                description=spec.description,
                indicator=spec.indicator,
                target_value=spec.target_value,
                due_year=spec.due_year,
                actor=None,
                baseline=spec.baseline,
                unit=spec.unit,
                theme=themes[spec.theme] if spec.theme else None,
            )
            for year, value in spec.progress:
                services.target_progress_set(target=target, year=year, value=value, actor=None)
        summary.parties += 1


def _load_supporters(agreement: Agreement, summary: DemoSummary) -> None:
    for name, city, country, joined, declaration in GARMENT_SUPPORTERS:
        org = services.organisation_create(
            name=name,
            type=T.SUPPORTER,
            actor=None,
            city=city,
            country=country,
            description=REAL_ORG_NOTE,
        )
        services.signatory_add(
            agreement=agreement,
            organisation=org,
            kind=Signatory.Kind.SUPPORTER,
            actor=None,
            joined_on=d(joined),
            declaration=declaration,
        )
        summary.supporters += 1


def _load_accounts(summary: DemoSummary) -> None:
    for account in DEMO_ACCOUNTS:
        user = user_create(
            username=account.username,
            email=f"{account.username}@demo.covenant.example",
            password=DEMO_PASSWORD,
            first_name=account.first_name,
            last_name=account.last_name,
            actor=None,
            validate=False,
        )
        organisation = Organisation.objects.get(slug=account.organisation_slug)
        role_grant(user=user, organisation=organisation, role=account.role, actor=None)
        if account.two_factor:
            # No service sets a known secret (on purpose); the demo documents this one.
            TOTPDevice.objects.create(user=user, secret=settings.DEMO_TOTP_SECRET, confirmed=True)
        summary.users += 1


def demo_account_rows() -> list[tuple[str, str, str, str]]:
    """username, role label, organisation name, note — for `manage.py demo_accounts`."""
    names = dict(
        Organisation.objects.filter(
            slug__in=[a.organisation_slug for a in DEMO_ACCOUNTS]
        ).values_list("slug", "name")
    )
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for account in DEMO_ACCOUNTS:
        note = "authenticator code" if account.two_factor else ""
        if account.username not in existing:
            note = "not loaded"
        rows.append(
            (
                account.username,
                str(RoleName(account.role).label),
                names.get(account.organisation_slug, account.organisation_slug),
                note,
            )
        )
    return rows
