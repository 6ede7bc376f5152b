"""Scripts and spellings: Chinese characters and pinyin, Cyrillic, diacritics, unit numbers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from covenant.matching.records import Record
from covenant.matching.synthetic.vocabulary import (
    BG_LEGAL_CYR,
    BURMESE,
    CN_CITY,
    CN_CORE,
    CN_INDUSTRY,
    CN_LEGAL,
    CN_NUM,
    CN_ROADS,
    CN_TOWNS,
    CYR_TO_LATIN,
    KHMER,
    LATIN_TO_CYR,
)

_UNIT_FORMS = ("{} Unit {}", "{} (Unit {})", "{} Unit-{}", "{} - Factory {}", "{} Plant {}")


UNIT_RE = re.compile(
    r"\s*(?:\(|- )?\b(Unit|Factory|Plant)[ -](\d+)\)?$|第([一二三四五六七八九])工厂$"
)


def unit_name(stem: str, unit: int, script: str, form: int) -> str:
    if unit == 0:
        return stem
    if script == "hanzi":
        return f"{stem}第{CN_NUM[(unit - 1) % 9]}工厂"
    return _UNIT_FORMS[form % len(_UNIT_FORMS)].format(stem, unit)


@lru_cache(maxsize=4096)
def strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D").replace("ı", "i").replace("İ", "I")
    text = text.replace("ł", "l").replace("Ł", "L").replace("ș", "s").replace("ț", "t")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def to_cyrillic(text: str) -> str:
    out = []
    i = 0
    low = text.lower()
    while i < len(text):
        for lat, cyr in LATIN_TO_CYR:
            if low.startswith(lat, i):
                out.append(cyr.upper() if text[i].isupper() else cyr)
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    result = "".join(out)
    for lat, cyr in BG_LEGAL_CYR.items():
        result = result.replace(_to_cyrillic_plain(lat), cyr)
    return result


def _to_cyrillic_plain(text: str) -> str:
    return "".join(
        next((c for la, c in LATIN_TO_CYR if la == ch.lower()), ch).upper() for ch in text
    )


def _from_cyrillic(text: str) -> str:
    out = []
    for ch in text:
        lat = CYR_TO_LATIN.get(ch.lower())
        if lat is None:
            out.append(ch)
        else:
            out.append(lat.capitalize() if ch.isupper() else lat)
    return "".join(out)


_HANZI_TO_LATIN: dict[str, str] = {}


for _hz, _py in (*CN_INDUSTRY, *CN_LEGAL[:1], *CN_LEGAL[3:6], *CN_LEGAL[7:]):
    _HANZI_TO_LATIN.setdefault(_hz, _py)


_HANZI_TO_LATIN.update({v: k for k, v in CN_CITY.items()})


_HANZI_TO_LATIN.update({f"第{d}工厂": f"Unit {i}" for i, d in enumerate(CN_NUM, 1)})


_HANZI_CORE = dict(CN_CORE)


_HANZI_MAXLEN = max(len(k) for k in _HANZI_TO_LATIN)


def _hanzi_name_to_pinyin(name: str) -> str:
    """ "宁波华兴服装有限公司" -> "Ningbo Huaxing Garment Co., Ltd."."""
    words: list[str] = []
    core = ""
    i = 0
    while i < len(name):
        for size in range(min(_HANZI_MAXLEN, len(name) - i), 0, -1):
            piece = name[i : i + size]
            if piece in _HANZI_TO_LATIN and not (size == 1 and piece in _HANZI_CORE):
                if core:
                    words.append(core.capitalize())
                    core = ""
                words.append(_HANZI_TO_LATIN[piece])
                i += size
                break
        else:
            core += _HANZI_CORE.get(name[i], name[i])
            i += 1
    if core:
        words.append(core.capitalize())
    return " ".join(words)


_HANZI_ADDRESS = re.compile(r"(?:(.+?)省)?(.+?)市(.)(工业区|镇)(.+)路(\d+)号")


_TOWN_BY_CHAR = {t[0][0]: t[1] for t in CN_TOWNS}


_ROAD_BY_HANZI = dict(CN_ROADS)


def _hanzi_address_to_pinyin(address: str) -> str:
    m = _HANZI_ADDRESS.fullmatch(address)
    if not m:
        return address
    prov, city, town, kind, road, num = m.groups()
    town_py = _TOWN_BY_CHAR.get(town, "")
    zone = f"{town_py} Industrial Zone" if kind == "工业区" else f"{town_py} Town"
    city_py = _HANZI_TO_LATIN.get(city, city)
    tail = f", {_HANZI_TO_LATIN.get(prov, prov)}" if prov else ""
    return f"No. {num} {_ROAD_BY_HANZI.get(road, road)} Road, {zone}, {city_py}{tail}"


_PINYIN_TO_HANZI: dict[str, str] = {}


for _hz, _py in CN_CORE:
    _PINYIN_TO_HANZI.setdefault(_py, _hz)


def _segment_pinyin(word: str) -> str | None:
    """ "huaxing" -> "华兴" when the word splits into known syllables."""
    word = word.lower()
    if not word:
        return ""
    for size in range(min(6, len(word)), 0, -1):
        head = _PINYIN_TO_HANZI.get(word[:size])
        if head:
            tail = _segment_pinyin(word[size:])
            if tail is not None:
                return head + tail
    return None


_LATIN_TO_HANZI = {
    py.lower(): hz for hz, py in (*CN_INDUSTRY, ("有限公司", "Co., Ltd."), ("厂", "Factory"))
}


_LATIN_TO_HANZI.update({k.lower(): v for k, v in CN_CITY.items()})


_CN_PINYIN_NAME = re.compile(r"(?:(\w+) )?(\w+) ([A-Z][a-z]+(?: and Dyeing| Textile)?) (.+)")


def _pinyin_name_to_hanzi(name: str) -> str:
    m = _CN_PINYIN_NAME.fullmatch(name)
    if not m:
        return name
    city, core, industry, _legal = m.groups()
    core_hz = _segment_pinyin(core)
    ind_hz = _LATIN_TO_HANZI.get(industry.lower())
    if core_hz is None or ind_hz is None:
        return name
    city_hz = _LATIN_TO_HANZI.get(city.lower(), "") if city else ""
    return f"{city_hz}{core_hz}{ind_hz}有限公司"


def _scan_words(text: str, table: dict[str, str]) -> list[str]:
    """The table's words found in `text`, left to right, longest first at each position."""
    keys = sorted(table, key=len, reverse=True)
    out = []
    i = 0
    while i < len(text):
        for key in keys:
            if text.startswith(key, i):
                out.append(table[key])
                i += len(key)
                break
        else:
            i += 1
    return out


def script_variant(rec: Record) -> tuple[str, str] | None:
    """The name and address written in the other script, when there is one."""
    name, address = rec.name, rec.address
    if rec.country == "CN":
        if any("\u4e00" <= ch <= "\u9fff" for ch in name):
            return _hanzi_name_to_pinyin(name), _hanzi_address_to_pinyin(address)
        stem = UNIT_RE.sub("", name)
        hz = _pinyin_name_to_hanzi(stem)
        if hz == stem:
            return None
        unit = unit_of(rec)
        return (unit_name(hz, unit, "hanzi", 0) if unit else hz), address
    if rec.country == "BG":
        if any("\u0400" <= ch <= "\u04ff" for ch in name):
            return _from_cyrillic(name), _from_cyrillic(address)
        return to_cyrillic(name), address
    if rec.country in ("VN", "TR", "RO", "PT", "PL", "MX"):
        plain = strip_accents(name)
        return (plain, strip_accents(address)) if plain != name else None
    if rec.country in ("KH", "MM"):
        table = KHMER if rec.country == "KH" else BURMESE
        rev = {v: k for k, v in table.items()}
        if any(ch > "\u1000" for ch in name):
            words = _scan_words(name, rev)
            suffix = "Garment Factory" if rec.country == "KH" else "Garment Co., Ltd"
            latin = " ".join([*words[:2], suffix])
            unit = unit_of(rec)
            return (unit_name(latin, unit, "latin", 0) if unit else latin), address
    return None


def unit_of(rec: Record) -> int:
    m = UNIT_RE.search(rec.name)
    if not m:
        return 0
    if m.group(2):
        return int(m.group(2))
    return CN_NUM.index(m.group(3)) + 1
