"""Supply-chain demo: production locations of the demo garment companies for the years 2016,
2017 and 2018, loaded through ``disclosure_import_rows`` (the real matching and import path),
two published lists and some opt-ins and introductions between members that share a factory.

The figures follow the garment agreement's public reports: 2,802 locations on the list
published on 4 July 2017 (the locations used in 2016), 4,268 on the list of 4 July 2018 (2017),
about 6,000 for 2018 (disclosed, not yet published: the demo secretariat can publish it). China
is the largest country. The growth comes from deeper tiers: more fabric mills, dye houses and
laundries each year.

All facilities are fictional (``covenant.matching.synthetic``). A factory keeps its users from
year to year; about a fifth is used by two or more members (shared suppliers). Later users
type a factory their own way (case, legal form, abbreviations), and some rows are the cases a
person must look at: a sibling unit of a group ("Unit 2" where the registry has "Unit 1") and
factories that moved to another address.

Loading is resumable and idempotent: a company-year that already has an accepted disclosure
is skipped, published lists and opt-ins are created only when missing;
``supplychain_demo_is_loaded`` is true when the last step (the 2017 list) is there.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.core import side_effects
from covenant.matching.records import Record
from covenant.supplychain.importing import taxonomy as tx
from covenant.supplychain.importing.result import LocationRow
from covenant.supplychain.importing.validate import fingerprint
from covenant.supplychain.models import (
    Contribution,
    Disclosure,
    Facility,
    Introduction,
    IntroductionOptIn,
    PublishedList,
)

GARMENTS_SLUG = "garments"
SEED = 20170704
WORLD_SIZE = 6600
# year of the locations -> (first index, last index) into the shuffled world: facilities
# drop off at the front and new ones come in at the back.
YEAR_WINDOWS = {2016: (0, 2870), 2017: (150, 4565), 2018: (380, 6530)}
PUBLISH = {2016: dt.date(2017, 7, 4), 2017: dt.date(2018, 7, 4)}
# Facility types by depth in the chain: the first list is mostly cut-make-trim.
TYPE_WEIGHTS = (
    (tx.ASSEMBLY, 0.62),
    (tx.TEXTILE, 0.16),
    (tx.WET, 0.12),
    (tx.RAW, 0.04),
    (tx.WAREHOUSE, 0.04),
    (tx.OFFICE, 0.02),
)


def supplychain_demo_is_loaded() -> bool:
    return PublishedList.objects.filter(agreement__slug=GARMENTS_SLUG, year=2017).exists()


@dataclass
class SupplyChainDemoSummary:
    disclosures: int = 0
    rows: int = 0
    facilities: int = 0
    review: int = 0
    published: dict[int, int] | None = None
    shared: int = 0
    opt_ins: int = 0
    introductions: int = 0
    seconds: float = 0.0


def _facility_type(rng: random.Random, index: int) -> str:
    # Later indexes (deeper tiers, disclosed later) are more often mills and wet processing.
    depth = index / WORLD_SIZE
    weights = [
        w * (1 + 2.2 * depth) if code in (tx.TEXTILE, tx.WET) else w for code, w in TYPE_WEIGHTS
    ]
    return rng.choices([c for c, _w in TYPE_WEIGHTS], weights=weights)[0]


def _eligible(agreement: Agreement, year: int) -> list[Organisation]:
    """Members that disclose the locations of `year`: active now (the import checks it) and
    a member when the list was due (1 March of the following year)."""
    due = dt.date(year + 1, 3, 1)
    ids = Membership.objects.filter(
        agreement=agreement,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ASSOCIATED],
        joined_on__lte=due,
    ).values_list("company_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("slug"))


_LEGAL = (
    ("Co., Ltd.", "Co Ltd"),
    ("Company Limited", "Co. Ltd"),
    ("Limited", "Ltd"),
    ("Private Limited", "Pvt. Ltd."),
    ("Road", "Rd"),
    ("Street", "St."),
)


def _variant(rng: random.Random, rec: Record) -> Record:
    """How another company types the same factory: still the same factory to a person."""
    name, address = rec.name, rec.address
    for long, short in _LEGAL:
        if long in name and rng.random() < 0.6:
            name = name.replace(long, short)
        if long in address and rng.random() < 0.6:
            address = address.replace(long, short)
    if rng.random() < 0.25 and name.isascii():
        name = name.upper()
    postal = rec.postal_code if rng.random() < 0.7 else ""
    return replace(rec, name=name, address=address, postal_code=postal)


def _moved(rng: random.Random, rec: Record) -> Record:
    """The factory moved: another street number and district (a reviewer's call)."""
    number = rng.randint(2, 899)
    return replace(rec, address=f"No. {number}, New Industrial Zone, {rec.city}", postal_code="")


def _sibling(rec: Record) -> Record | None:
    """The unit next door of a group: "Unit 1" written as "Unit 2"."""
    for one, two in (("Unit 1", "Unit 2"), ("Plant 1", "Plant 2"), ("Factory 1", "Factory 2")):
        if one in rec.name:
            return replace(rec, name=rec.name.replace(one, two))
    return None


def _row(n: int, rec: Record, ftype: str) -> LocationRow:
    return LocationRow(
        row_number=n,
        name=rec.name,
        address=rec.address,
        country=rec.country,
        city=rec.city,
        postal_code=rec.postal_code,
        lat=rec.lat,
        lng=rec.lng,
        facility_type=ftype,
        fingerprint=fingerprint(rec.name, rec.address, rec.country, rec.city, rec.postal_code),
    )


def _plan(agreement: Agreement) -> dict[int, dict[int, list[LocationRow]]]:
    """year -> company id -> rows, deterministic for the seed."""
    from covenant.matching.synthetic import generate_registry

    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic on purpose
    world = generate_registry(WORLD_SIZE, seed=SEED)
    rng.shuffle(world)
    types = [_facility_type(rng, i) for i in range(len(world))]
    everyone = _eligible(agreement, max(YEAR_WINDOWS))
    size = {c.pk: rng.lognormvariate(0, 0.9) for c in everyone}
    # Each factory's users, in order of preference; the first eligible ones use it.
    extra_users = [
        0 if (r := rng.random()) < 0.8 else 1 if r < 0.95 else rng.randint(2, 4) for _ in world
    ]
    preference = [
        rng.choices([c.pk for c in everyone], weights=[size[c.pk] for c in everyone], k=6)
        for _ in world
    ]
    moved = set(rng.sample(range(YEAR_WINDOWS[2017][0], YEAR_WINDOWS[2017][1]), 40))
    siblings = {i for i in range(*YEAR_WINDOWS[2018]) if _sibling(world[i]) and rng.random() < 0.5}
    plan: dict[int, dict[int, list[LocationRow]]] = {}
    for year, (lo, hi) in YEAR_WINDOWS.items():
        fallback = [c.pk for c in _eligible(agreement, year)]
        eligible = set(fallback)
        rows: dict[int, list[LocationRow]] = {}
        for i in range(lo, hi):
            users: list[int] = []
            for pk in preference[i]:
                if pk in eligible and pk not in users and len(users) <= extra_users[i]:
                    users.append(pk)
            if not users:  # none of its usual buyers was a member yet
                users.append(fallback[(i * 2654435761) % len(fallback)])
            for rank, pk in enumerate(users):
                rec = world[i]
                if rank:
                    rec = _variant(random.Random(SEED + i * 7 + rank), rec)  # noqa: S311
                if year == 2018 and i in moved and rank == 0:
                    rec = _moved(random.Random(SEED + i), rec)  # noqa: S311
                out = rows.setdefault(pk, [])
                out.append(_row(len(out) + 2, rec, types[i]))
                if year == 2018 and i in siblings and rank == 0:
                    sib = _sibling(world[i])
                    assert sib is not None
                    out.append(_row(len(out) + 2, sib, types[i]))
        plan[year] = rows
    return plan


def load_supplychain_demo(*, log: Callable[[str], None] | None = None) -> SupplyChainDemoSummary:
    """Load (or complete) the supply-chain demo of the garment agreement. Needs the
    foundation demo (agreement and companies). Each disclosure is its own transaction (the
    import owns it), so a crash leaves whole disclosures and a re-run completes the rest."""
    from covenant.supplychain.services.disclosures import disclosure_import_rows
    from covenant.supplychain.services.publication import published_list_publish
    from covenant.supplychain.services.sharing import introduction_make, introduction_opt_in

    say = log or (lambda _msg: None)
    started = time.monotonic()
    summary = SupplyChainDemoSummary(published={})
    agreement = Agreement.objects.get(slug=GARMENTS_SLUG)
    with side_effects.suppressed():
        plan = _plan(agreement)
        done = set(
            Disclosure.objects.filter(
                agreement=agreement, status=Disclosure.Status.ACCEPTED
            ).values_list("company_id", "year")
        )
        companies = Organisation.objects.in_bulk([pk for rows in plan.values() for pk in rows])
        for year, by_company in plan.items():
            for pk, rows in by_company.items():
                if (pk, year) in done:
                    continue
                disclosure_import_rows(
                    agreement=agreement, company=companies[pk], year=year, rows=rows, actor=None
                )
                summary.disclosures += 1
                summary.rows += len(rows)
            say(
                f"{year}: {sum(len(r) for r in by_company.values())} rows of {len(by_company)} companies"
            )
        for year, on in PUBLISH.items():
            if not PublishedList.objects.filter(agreement=agreement, year=year).exists():
                published_list_publish(agreement=agreement, year=year, actor=None, on=on)
            summary.published[year] = PublishedList.objects.get(
                agreement=agreement, year=year
            ).location_count
        _sharing(agreement, summary, introduction_opt_in, introduction_make)
    summary.facilities = Facility.objects.count()
    summary.review = Contribution.objects.filter(
        disclosure__agreement=agreement,
        disclosure__status=Disclosure.Status.ACCEPTED,
        decision=Contribution.Decision.REVIEW,
    ).count()
    summary.seconds = time.monotonic() - started
    return summary


def _sharing(
    agreement: Agreement,
    summary: SupplyChainDemoSummary,
    opt_in: Callable[..., object],
    make: Callable[..., object],
) -> None:
    """Opt-ins at some shared factories (both sides at a dozen), three introductions."""
    from covenant.supplychain.selectors.sharing import facility_users

    rng = random.Random(SEED + 1)  # noqa: S311
    users = facility_users(agreement)
    shared = sorted(f for f, c in users.items() if len(c) >= 2)
    summary.shared = len(shared)
    if IntroductionOptIn.objects.filter(agreement=agreement).exists():
        summary.opt_ins = IntroductionOptIn.objects.filter(agreement=agreement).count()
        summary.introductions = Introduction.objects.filter(agreement=agreement).count()
        return
    facilities = Facility.objects.in_bulk(shared)
    companies = Organisation.objects.in_bulk({c for f in shared for c in users[f]})
    picked = rng.sample(shared, min(40, len(shared)))
    for n, fid in enumerate(picked):
        members = sorted(users[fid])
        chosen = members if n < 12 else members[:1]
        for cid in chosen:
            opt_in(
                agreement=agreement, company=companies[cid], facility=facilities[fid], actor=None
            )
            summary.opt_ins += 1
        if n < 3:
            make(
                agreement=agreement,
                facility=facilities[fid],
                actor=None,
                note="Introduced at the demo's yearly shared-suppliers meeting.",
            )
            summary.introductions += 1
