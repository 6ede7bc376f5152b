"""Fictional facilities: what each is made of, and how the registry writes it down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar

from covenant.matching.records import Record
from covenant.matching.synthetic.spelling import strip_accents, to_cyrillic, unit_name
from covenant.matching.synthetic.vocabulary import (
    BD_AREAS,
    BG_INDUSTRY,
    BURMESE,
    CITIES,
    CN_CITY,
    CN_CORE,
    CN_INDUSTRY,
    CN_LEGAL,
    CN_ROADS,
    CN_TOWNS,
    FR_INDUSTRY,
    ID_INDUSTRY,
    ID_STREETS,
    IN_AREAS,
    INDUSTRY,
    IT_INDUSTRY,
    KH_PLACES,
    KHMER,
    LATIN_SYLLABLES,
    LEGAL,
    LEGAL_PREFIX,
    MM_PLACES,
    MX_INDUSTRY,
    PT_INDUSTRY,
    STREET_TYPES,
    STREETS,
    TR_AREAS,
    TR_INDUSTRY,
    VN_INDUSTRY,
    VN_PREFIX,
    VN_WARDS,
    VN_ZONES,
    WEIGHTS,
    WORDS,
    City,
)

T = TypeVar("T")


@dataclass(slots=True)
class _Spec:
    """What a facility is made of, before it is rendered as a name and an address."""

    country: str
    city: City
    stem: str  # the group name without a unit, e.g. "Rahman Knitwear Ltd"
    unit: int  # 0 when not one of a group
    number: int  # plot / street number
    area: str  # district, zone, street (country-specific pieces joined later)
    script: str  # "latin", "hanzi", "khmer", "burmese", "cyrillic"
    lat: float | None
    lng: float | None
    postcode: str
    address: str = ""  # set for a tenant of a building another facility occupies


def pick(rng: Random, seq: Sequence[T]) -> T:
    """`rng.choice` without its rejection loop: about three times faster, as uniform."""
    return seq[int(rng.random() * len(seq))]


def below(rng: Random, start: int, stop: int | None = None) -> int:
    """`rng.randrange(start, stop)` the same way."""
    if stop is None:
        return int(rng.random() * start)
    return start + int(rng.random() * (stop - start))


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


CODES = tuple(WEIGHTS)


_CUM = _cumulative([WEIGHTS[c] for c in CODES])


def _pick_country(rng: Random) -> str:
    return rng.choices(CODES, cum_weights=_CUM)[0]


def _core_latin(rng: Random, country: str) -> str:
    words = WORDS.get(country)
    if words is None or rng.random() < 0.4:
        # Fictional word from syllables: "Kalvin", "Sanora".
        syl = LATIN_SYLLABLES
        word = pick(rng, syl) + pick(rng, syl) + (pick(rng, syl) if rng.random() < 0.4 else "")
        word = word.capitalize()
        if words is not None and rng.random() < 0.5:
            return f"{pick(rng, words)} {word}"
        return word
    if rng.random() < 0.55:
        first, second = pick(rng, words), pick(rng, words)
        return first if first == second else f"{first} {second}"
    return pick(rng, words)


def _stem(rng: Random, country: str, city: City) -> tuple[str, str]:
    """A fictional company name for the country, and the script it is written in."""
    r = rng.random()
    if country == "CN":
        a, b = pick(rng, CN_CORE), pick(rng, CN_CORE)
        if rng.random() < 0.15:
            c = pick(rng, CN_CORE)
            b = (b[0] + c[0], b[1] + c[1])
        trade = pick(rng, CN_INDUSTRY)
        form = pick(rng, CN_LEGAL)
        with_city = rng.random() < 0.5 and city[0] in CN_CITY
        if r < 0.3:
            place = CN_CITY[city[0]] if with_city else ""
            return f"{place}{a[0]}{b[0]}{trade[0]}{form[0]}", "hanzi"
        place = f"{city[0]} " if with_city else ""
        return f"{place}{(a[1] + b[1]).capitalize()} {trade[1]} {form[1]}", "latin"
    if country == "VN":
        syllables = WORDS["VN"]
        core = f"{pick(rng, syllables)} {pick(rng, syllables)}"
        if rng.random() < 0.15:
            core = f"{core} {pick(rng, syllables)}"
        if r < 0.6:
            return f"{pick(rng, VN_PREFIX)} {pick(rng, VN_INDUSTRY)} {core}", "latin"
        return (
            f"{strip_accents(core)} {pick(rng, INDUSTRY['GEN'])} {pick(rng, LEGAL['VN'])}",
            "latin",
        )
    if country == "TR":
        core = _core_latin(rng, "TR")
        return f"{core} {pick(rng, TR_INDUSTRY)} {pick(rng, LEGAL['TR'])}", "latin"
    if country == "ID":
        core = _core_latin(rng, "ID")
        legal = pick(rng, LEGAL["ID"])
        name = f"{pick(rng, LEGAL_PREFIX['ID'])} {core} {pick(rng, ID_INDUSTRY)}"
        return (f"{name} {legal}" if legal else name), "latin"
    if country in ("KH", "MM") and r < 0.12:
        table = KHMER if country == "KH" else BURMESE
        spelled = [w for w in WORDS[country] if w in table]
        w1, w2 = pick(rng, spelled), pick(rng, spelled)
        if country == "KH":
            return f"រោងចក្រកាត់ដេរ {table[w1]}{table[w2]} ឯ.ក", "khmer"
        return f"{table[w1]}{table[w2]} အထည်ချုပ် ကုမ္ပဏီ လီမိတက်", "burmese"
    if country == "BG":
        core = _core_latin(rng, "BG")
        legal = pick(rng, LEGAL["BG"])
        name = f"{core} {pick(rng, BG_INDUSTRY)} {legal}"
        if r < 0.5:
            return to_cyrillic(name), "cyrillic"
        return name, "latin"
    core = _core_latin(rng, country)
    industries = {"PT": PT_INDUSTRY, "IT": IT_INDUSTRY, "FR": FR_INDUSTRY, "MA": FR_INDUSTRY,
                  "TN": FR_INDUSTRY, "MX": MX_INDUSTRY}  # fmt: skip
    ind = pick(rng, industries.get(country) or INDUSTRY.get(country) or INDUSTRY["GEN"])
    legal = pick(rng, LEGAL.get(country) or LEGAL["GEN"])
    # "Maglificio Rossi S.r.l." in Italy and Portugal, "Rossi Textile Ltd" elsewhere.
    name = f"{ind} {core}" if country in ("IT", "PT") and r < 0.5 else f"{core} {ind}"
    prefix = LEGAL_PREFIX.get(country)
    if prefix and r < 0.4:
        name = f"{pick(rng, prefix)} {name}"
    return (f"{name} {legal}" if legal else name), "latin"


def _area(rng: Random, country: str, city: City) -> str:
    if country == "CN":
        return f"{below(rng, len(CN_TOWNS))}|{below(rng, len(CN_ROADS))}|{rng.random() < 0.35:d}"
    if country == "BD":
        return f"{pick(rng, BD_AREAS)}|{below(rng, 1, 20)}|{'ABCDEFGH'[below(rng, 8)]}"
    if country == "IN":
        return pick(rng, IN_AREAS)
    if country == "TR":
        return f"{pick(rng, TR_AREAS)}|{below(rng, 1, 30)}"
    if country == "VN":
        return f"{pick(rng, VN_ZONES)}|{pick(rng, VN_WARDS)}|{'ABCDEFGH'[below(rng, 8)]}"
    if country == "ID":
        return f"{pick(rng, ID_STREETS)}|{below(rng, 5, 40)}"
    if country == "KH":
        return f"{pick(rng, KH_PLACES)}|{pick(rng, KH_PLACES)}"
    if country == "MM":
        return pick(rng, MM_PLACES)
    words = WORDS.get(country)
    return pick(rng, words) if words and rng.random() < 0.6 else pick(rng, STREETS)


def _postcode(rng: Random, country: str, city: City) -> str:
    prefix = city[4]
    if country in ("HK", "MU") or (country == "ET" and not prefix):
        return ""
    if country == "CN" or country == "IN":
        return f"{prefix}{below(rng, 1000):03d}"
    if country == "GB":
        return f"{prefix}{below(rng, 1, 20)} {below(rng, 10)}{pick(rng, 'ABDEFGHJLN')}{pick(rng, 'PQRSTUWXYZ')}"
    if country == "PT":
        return f"{prefix}{below(rng, 100):02d}-{below(rng, 1000):03d}"
    if country == "PL":
        return f"{prefix}{below(rng, 10)}-{below(rng, 1000):03d}"
    if country == "US":
        return f"{prefix}{below(rng, 100):02d}"
    if country == "LT":
        return f"{prefix}{below(rng, 1000):03d}"
    width = {"BD": 4, "TR": 5, "VN": 6, "PK": 5, "KH": 5, "MM": 5, "ID": 5, "BG": 4, "RO": 6,
             "BR": 8, "JO": 5, "KE": 5, "MG": 3}.get(country, 5)  # fmt: skip
    rest = width - len(prefix)
    return prefix + (f"{below(rng, 10**rest):0{rest}d}" if rest > 0 else "")


def _render_address(s: _Spec) -> str:
    """The address as the registry holds it: parts joined by ", ", small to large."""
    if s.address:
        return s.address
    c = s.country
    city, province = s.city[0], s.city[1]
    n = s.number
    pc = s.postcode
    if c == "CN":
        t, r, zone = s.area.split("|")
        town, cn_road = CN_TOWNS[int(t)], CN_ROADS[int(r)]
        if s.script == "hanzi":
            prov = CN_CITY.get(province, "")
            cty = CN_CITY.get(city, "")
            z = f"{town[0]}工业区" if zone == "1" else f"{town[0]}镇"
            head = f"{cty}市" if prov == cty else f"{prov}省{cty}市"
            return f"{head}{z}{cn_road[0]}路{n}号"
        z = f"{town[1]} Industrial Zone" if zone == "1" else f"{town[1]} Town"
        prov = "" if province == city else f" {province} Province,"
        return f"No. {n} {cn_road[1]} Road, {z}, {city} City,{prov} {pc}"
    if c == "BD":
        area, road, block = s.area.split("|")
        return f"Plot {n}, Road {road}, Block {block}, {area}, {city}-{pc}"
    if c == "IN":
        return f"Plot No. {n}, {s.area}, {city}, {province} {pc}"
    if c == "TR":
        area, street = s.area.split("|")
        return f"{area} {street}. Cadde No: {n}, {city}, {province} {pc}"
    if c == "VN":
        zone, ward, lot = s.area.split("|")
        return f"Lô {lot}{n}, {zone}, {ward}, {city}"
    if c == "ID":
        street, km = s.area.split("|")
        return f"{street} Km. {km} No. {n}, {city}, {province} {pc}"
    if c == "KH":
        a, b = s.area.split("|")
        return f"No. {n}, {a}, {b}, {city}"
    if c == "MM":
        return f"Plot No. {n}, {s.area}, {city}, {province}"
    if c == "BG":
        if s.script == "cyrillic":
            return f"ул. {to_cyrillic(s.area)} {n}, {pc} {to_cyrillic(city)}"
        return f"ul. {s.area} {n}, {pc} {city}"
    street_type = STREET_TYPES.get(c)
    if street_type is None:
        return f"{n} {s.area} Road, {city}, {province} {pc}".rstrip()
    kind, pos = street_type
    line = f"{kind} {s.area} {n}" if pos == "pre" else f"{s.area}{kind} {n}"
    return f"{line}, {pc} {city}".replace(",  ", ", ") if pc else f"{line}, {city}"


def new_spec(rng: Random, country: str | None = None, city: City | None = None) -> _Spec:
    country = country or _pick_country(rng)
    city = city or pick(rng, CITIES[country])
    stem, script = _stem(rng, country, city)
    lat = lng = None
    if rng.random() < 0.6:
        lat = round(city[2] + rng.uniform(-0.15, 0.15), 5)
        lng = round(city[3] + rng.uniform(-0.15, 0.15), 5)
    return _Spec(
        country=country,
        city=city,
        stem=stem,
        unit=0,
        number=below(rng, 1, 400),
        area=_area(rng, country, city),
        script=script,
        lat=lat,
        lng=lng,
        postcode=_postcode(rng, country, city),
    )


def _sibling(rng: Random, base: _Spec, unit: int) -> _Spec:
    lat = round(base.lat + rng.uniform(-0.003, 0.003), 5) if base.lat is not None else None
    lng = round(base.lng + rng.uniform(-0.003, 0.003), 5) if base.lng is not None else None
    return _Spec(base.country, base.city, base.stem, unit, base.number + below(rng, 1, 4) * (unit - 1),
                 base.area, base.script, lat, lng, base.postcode)  # fmt: skip


def _tenant(rng: Random, host: _Spec) -> _Spec:
    """Another factory in the same building: other name, the host's exact address."""
    spec = new_spec(rng, host.country, host.city)
    spec.lat, spec.lng, spec.postcode = host.lat, host.lng, host.postcode
    spec.address = _render_address(host)
    return spec


def to_record(fid: str, s: _Spec, form: int) -> Record:
    return Record(
        id=fid,
        name=unit_name(s.stem, s.unit, s.script, form),
        address=_render_address(s),
        country=s.country,
        city=s.city[0],
        postal_code=s.postcode if form % 2 == 0 else "",
        lat=s.lat,
        lng=s.lng,
    )


def _specs(rng: Random, n: int) -> list[_Spec]:
    out: list[_Spec] = []
    while len(out) < n:
        r = rng.random()
        if r < 0.035 and n - len(out) >= 2:
            base = new_spec(rng)
            base.unit = 1
            units = min(pick(rng, (2, 2, 2, 3, 3, 4)), n - len(out))
            out.append(base)
            out.extend(_sibling(rng, base, u) for u in range(2, units + 1))
        elif r < 0.06 and out:
            out.append(_tenant(rng, out[below(rng, max(0, len(out) - 50), len(out))]))
        else:
            out.append(new_spec(rng))
    return out


def generate_registry(n: int, *, seed: int = 0) -> list[Record]:
    """`n` unique, fictional facilities with ids "F0000001"… in a fixed order for the seed.

    About 8% are units of a group ("… Ltd Unit 2" at a neighbouring plot, a different
    facility from "… Unit 1"), about 2.5% share an address with another facility."""
    rng = Random(seed)  # noqa: S311 (test data, not secrets)
    specs = _specs(rng, n)
    rng.shuffle(specs)
    return [to_record(f"F{i:07d}", s, below(rng, 10)) for i, s in enumerate(specs, 1)]
