"""Uploads as brands type them: noisy variants of registry facilities, and new ones."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random

from covenant.matching.records import Record
from covenant.matching.synthetic.registry import CODES, below, new_spec, pick, to_record
from covenant.matching.synthetic.spelling import (
    UNIT_RE,
    script_variant,
    strip_accents,
    unit_name,
    unit_of,
)
from covenant.matching.synthetic.vocabulary import (
    ABBREV,
    CITIES,
    CITY_ALIASES,
    COUNTRY_NAMES,
    INDUSTRY,
    LEGAL,
    LEGAL_PREFIX,
    UNABBREV,
    VN_PREFIX,
)


@dataclass(frozen=True, slots=True)
class UploadRow:
    """One uploaded row and the truth about it.

    `true_id` is the registry facility the row really is, None for a facility that is not in
    the registry. `entity` names the real facility either way (the registry id, or "N…" for a
    new one), so two rows of one upload with the same entity are the same factory. `kind`:
    "existing", "sibling" (the facility has a sibling unit in the registry: a different
    facility with a near-identical name), "same_address" (other factories share its address),
    "new", "new_unit" (a new unit of a group the registry knows), "new_similar" (a new
    facility named like one in the same city), "new_same_address" (a new tenant of a known
    building). `duplicate` is True when an earlier row of the upload is the same entity."""

    record: Record
    true_id: str | None
    entity: str
    kind: str
    duplicate: bool = False


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


_KEYBOARD = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu",
}  # fmt: skip


_LEGAL_ALL = sorted(
    {form for forms in LEGAL.values() for form in forms if form}
    | {"Co., Ltd.", "Co.,Ltd", "Co., Ltd", "Limited", "Industrial Co., Ltd.", "Products Co., Ltd."},
    key=len,
    reverse=True,
)


_PREFIXES = sorted(
    {*VN_PREFIX, *(p for ps in LEGAL_PREFIX.values() for p in ps)}, key=len, reverse=True
)


def _typo(rng: Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = below(rng, 1, len(text) - 1)
    op = below(rng, 4)
    ch = text[i]
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    near = _KEYBOARD.get(ch.lower())
    new = pick(rng, near) if near else pick(rng, _ALPHABET)
    if ch.isupper():
        new = new.upper()
    if op == 2:
        return text[:i] + new + text[i + 1 :]
    return text[:i] + new + text[i:]


def _split_legal(name: str) -> tuple[str, str]:
    for form in _LEGAL_ALL:
        if name.endswith(form) and len(name) > len(form) + 2:
            return name[: -len(form)].rstrip(" ,"), form
    return name, ""


def _noisy_name(rng: Random, rec: Record, legal_choices: Sequence[str]) -> str:
    name = rec.name
    unit = UNIT_RE.search(name)
    unit_text = unit.group(0) if unit else ""
    if unit_text:
        name = name[: unit.start()] if unit else name
        if unit and unit.group(2) and rng.random() < 0.5:
            n = unit.group(2)
            unit_text = pick(
                rng, (f" Unit {n}", f" (Unit-{n})", f" Unit No. {n}", f" U-{n}", f" Unit{n}")
            )
    r = rng.random()
    if r < 0.55:
        body, legal = _split_legal(name)
        if legal:
            op = below(rng, 4)
            if op == 0:
                name = body  # legal form dropped
            elif op == 1:
                name = f"{body} {pick(rng, legal_choices)}".rstrip() if legal_choices else body
            elif op == 2:
                name = f"{body} {legal.replace('.', '').replace(',', '')}"
            else:
                name = f"{body} {' '.join(ABBREV.get(w, w) for w in legal.split())}"
    for prefix in _PREFIXES:
        if name.startswith(prefix) and rng.random() < 0.4:
            body = name[len(prefix) :].strip()
            if rec.country == "VN" and rng.random() < 0.5:
                name = f"{strip_accents(body)} Co., Ltd"  # "Công ty TNHH X" typed as "X Co., Ltd"
            else:
                name = body
            break
    if rng.random() < 0.12:
        words = name.split()
        if len(words) >= 3:
            i = below(rng, len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
            name = " ".join(words)
    if rng.random() < 0.1:
        name = " ".join(ABBREV.get(w, UNABBREV.get(w, w)) for w in name.split())
    typos = rng.random()
    if typos < 0.3:
        name = _typo(rng, name)
        if typos < 0.08:
            name = _typo(rng, name)
    if rng.random() < 0.05:
        name = pick(rng, ("M/S ", "M/s. ", "Messrs ")) + name
    name = name + unit_text
    c = rng.random()
    if c < 0.25:
        name = name.upper()
    elif c < 0.35:
        name = name.lower()
    elif c < 0.4:
        name = name.title()
    return name.strip()


def _noisy_address(rng: Random, rec: Record) -> str:
    if rng.random() < 0.02:
        return pick(rng, ("n/a", "N/A", "-", ""))
    address = rec.address
    parts = [p for p in address.split(", ") if p]
    if len(parts) > 2 and rng.random() < 0.35:
        del parts[below(rng, 1, len(parts))]  # a district or the province dropped
    if len(parts) > 2 and rng.random() < 0.15:
        i = below(rng, len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    if rng.random() < 0.1 and rec.postal_code:
        parts = [p.replace(rec.postal_code, "").strip(" -") or p for p in parts]
    r = rng.random()
    if r < 0.25:
        parts.append(pick(rng, COUNTRY_NAMES[rec.country]))
    elif r < 0.35 and rec.city and rec.city not in address:
        parts.append(rec.city)
    elif r < 0.42:
        parts.append(pick(rng, ("n/a", "N/A")))
    sep = ", " if rng.random() < 0.8 else pick(rng, (" ", ",", " - "))
    address = sep.join(parts)
    if rng.random() < 0.15:
        address = " ".join(ABBREV.get(w, UNABBREV.get(w, w)) for w in address.split(" "))
    if rng.random() < 0.25:
        address = _typo(rng, address)
    c = rng.random()
    if c < 0.2:
        address = address.upper()
    elif c < 0.3:
        address = address.lower()
    return address


def _noisy(rng: Random, rec: Record, row_id: str, legal_choices: Sequence[str]) -> Record:
    name, address = rec.name, rec.address
    if rng.random() < 0.35:
        variant = script_variant(rec)
        if variant:
            name, address = variant
    base = Record(rec.id, name, address, rec.country, rec.city, rec.postal_code, rec.lat, rec.lng)
    city = ""
    r = rng.random()
    if r < 0.55:
        city = rec.city
    elif r < 0.65:
        city = pick(rng, CITY_ALIASES.get(rec.city, (rec.city.upper(),)))
    lat = lng = None
    if rec.lat is not None and rec.lng is not None and rng.random() < 0.4:
        lat = round(rec.lat + rng.uniform(-0.003, 0.003), 5)
        lng = round(rec.lng + rng.uniform(-0.003, 0.003), 5)
    return Record(
        id=row_id,
        name=_noisy_name(rng, base, legal_choices),
        address=_noisy_address(rng, base),
        country=rec.country if rng.random() < 0.9 else rec.country.lower(),
        city=city,
        postal_code=rec.postal_code if rng.random() < 0.4 else "",
        lat=lat,
        lng=lng,
    )


def _group_key(rec: Record) -> tuple[str, str] | None:
    m = UNIT_RE.search(rec.name)
    if not m:
        return None
    return rec.country, rec.name[: m.start()].lower()


_SPEC_CITY = {(c, city[0]): city for c, cities in CITIES.items() for city in cities}


def _new_facility(rng: Random, registry: Sequence[Record], groups: dict, kind: str) -> Record:
    """A facility not in the registry, plausible next to its neighbours."""
    host = registry[below(rng, len(registry))]
    city = _SPEC_CITY.get((host.country, host.city)) or pick(rng, CITIES[host.country])
    if kind == "new_unit":
        members = groups[pick(rng, list(groups))] if groups else [host]
        first = members[0]
        unit = max(unit_of(m) for m in members) + 1
        m = UNIT_RE.search(first.name)
        stem = first.name[: m.start()] if m else first.name
        hanzi = bool(m and m.group(3))
        number = below(rng, 1, 400)
        address = re.sub(r"\d+", str(number), first.address, count=1)
        name = unit_name(stem, unit, "hanzi" if hanzi else "latin", below(rng, 5))
        return Record(
            "", name, address, first.country, first.city, first.postal_code, first.lat, first.lng
        )
    if kind == "new_same_address":
        spec = new_spec(rng, host.country, city)
        rec = to_record("", spec, 0)
        return Record(
            "",
            rec.name,
            host.address,
            host.country,
            host.city,
            host.postal_code,
            host.lat,
            host.lng,
        )
    spec = new_spec(rng, host.country, city)
    rec = to_record("", spec, below(rng, 10))
    if kind == "new_similar":
        # Same name as the host with another trade: "Rahman Knitwear" next to "Rahman Garments".
        body, legal = _split_legal(host.name)
        words = body.split()
        if len(words) >= 2 and host.name.isascii():
            words[-1] = pick(rng, INDUSTRY.get(host.country) or INDUSTRY["GEN"])
            name = " ".join(words) + (f" {legal}" if legal else "")
            if name != host.name:
                return Record(
                    "",
                    name,
                    rec.address,
                    host.country,
                    host.city,
                    rec.postal_code,
                    rec.lat,
                    rec.lng,
                )
    return rec


def generate_upload_rows(
    registry: Sequence[Record], n: int, *, new_share: float = 0.3, seed: int = 1
) -> list[UploadRow]:
    """`n` rows as brands type them, with the truth about each (see `UploadRow`).

    About `new_share` of the rows are facilities not in the registry; about 5% of rows repeat
    a facility an earlier row of the same upload already named."""
    if not registry:
        raise ValueError("the registry is empty")
    rng = Random(seed)  # noqa: S311 (test data, not secrets)
    groups: dict[tuple[str, str], list[Record]] = {}
    address_count: dict[tuple[str, str], int] = {}
    for rec in registry:
        last = rec.name[-1:]
        if last.isdigit() or last == ")" or last == "厂":
            key = _group_key(rec)
            if key:
                groups.setdefault(key, []).append(rec)
        akey = (rec.country, rec.address)
        address_count[akey] = address_count.get(akey, 0) + 1
    groups = {k: v for k, v in groups.items() if len(v) > 1}
    siblings = [r for members in groups.values() for r in members]
    by_id = {r.id: r for r in registry}
    legal_choices = {c: LEGAL.get(c) or LEGAL["GEN"] for c in CODES}
    rows: list[UploadRow] = []
    seen_new: list[tuple[Record, str, str]] = []
    seen_old: list[str] = []
    seen_old_set: set[str] = set()
    new_count = 0
    for i in range(1, n + 1):
        row_id = f"R{i:07d}"
        if rng.random() < new_share:
            if seen_new and rng.random() < 0.06:
                base, entity, kind = seen_new[below(rng, len(seen_new))]
                dup = True
            else:
                k = rng.random()
                kind = ("new_unit" if k < 0.12 and groups else "new_same_address" if k < 0.2
                        else "new_similar" if k < 0.45 else "new")  # fmt: skip
                base = _new_facility(rng, registry, groups, kind)
                new_count += 1
                entity = f"N{new_count:07d}"
                seen_new.append((base, entity, kind))
                dup = False
            rec = _noisy(rng, base, row_id, legal_choices[base.country])
            rows.append(UploadRow(rec, None, entity, kind, dup))
            continue
        if seen_old and rng.random() < 0.06:
            fid = seen_old[below(rng, len(seen_old))]
        elif siblings and rng.random() < 0.06:
            fid = siblings[below(rng, len(siblings))].id
        else:
            fid = registry[below(rng, len(registry))].id
        dup = fid in seen_old_set
        if not dup:
            seen_old.append(fid)
            seen_old_set.add(fid)
        base = by_id[fid]
        gkey = _group_key(base)
        if gkey in groups:
            kind = "sibling"
        elif address_count[(base.country, base.address)] > 1:
            kind = "same_address"
        else:
            kind = "existing"
        rec = _noisy(rng, base, row_id, legal_choices[base.country])
        rows.append(UploadRow(rec, fid, fid, kind, dup))
    return rows


def generate_uploads(
    registry: list[Record], n: int, *, new_share: float = 0.3, seed: int = 1
) -> list[tuple[Record, str | None]]:
    """`n` upload rows ("R0000001"…) with the id of the registry facility each one really is,
    None for the about `new_share` of rows that are new facilities."""
    return [
        (row.record, row.true_id)
        for row in generate_upload_rows(registry, n, new_share=new_share, seed=seed)
    ]
