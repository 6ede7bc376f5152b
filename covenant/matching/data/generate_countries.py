"""Regenerate ``countries.json`` (country name/code -> ISO 3166 alpha-2).

Not used at runtime. Needs ``pycountry`` and ``babel`` (CLDR territory names), which are
not project dependencies; install them somewhere temporary::

    pip install --target /tmp/gen pycountry==26.2.16 babel==2.18.0
    PYTHONPATH=/tmp/gen python covenant/matching/data/generate_countries.py

Precedence when two countries claim the same key: ISO codes, then English names,
then the hand-written aliases in ``countries.py``, then CLDR names in other languages
(first language in ``LOCALES`` wins).

Output: ``{"names": {alpha-2: English name}, "keys": {country_key(text): alpha-2}}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry  # type: ignore[import-not-found]
from babel import Locale  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from covenant.matching.countries import ALIASES, NAME_OVERRIDES, country_key  # noqa: E402

# Languages of producing countries, the EU and brands' home markets.
LOCALES = [
    "en", "nl", "de", "fr", "es", "pt", "it", "tr", "vi", "zh", "zh_Hant", "bn", "hi", "ur",
    "ta", "te", "ml", "kn", "gu", "mr", "pa", "si", "ne", "id", "ms", "th", "km", "my", "lo",
    "ar", "fa", "am", "sw", "ja", "ko", "ru", "uk", "pl", "cs", "sk", "hu", "ro", "bg", "el",
    "sv", "da", "fi", "nb", "et", "lv", "lt", "sl", "hr", "sr", "ga", "mt", "fil",
]  # fmt: skip


def main() -> None:
    table: dict[str, str] = {}

    def put(text: str | None, code: str) -> None:
        if not text:
            return
        key = country_key(text)
        if key and key not in table:
            table[key] = code

    codes = sorted(c.alpha_2 for c in pycountry.countries)
    for c in pycountry.countries:
        put(c.alpha_2, c.alpha_2)
        put(c.alpha_3, c.alpha_2)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            put(getattr(c, attr, None), c.alpha_2)
    english = Locale("en").territories
    for code in codes:
        put(english.get(code), code)
    for alias, code in ALIASES.items():
        put(alias, code)
    for locale in LOCALES:
        local = Locale.parse(locale).territories
        for code in codes:
            put(local.get(code), code)
    names = {code: NAME_OVERRIDES.get(code) or english.get(code) or code for code in codes}
    for code, name in NAME_OVERRIDES.items():
        names.setdefault(code, name)
    data = {"names": dict(sorted(names.items())), "keys": dict(sorted(table.items()))}
    out = HERE / "countries.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n")
    print(f"{len(table)} keys, {len(names)} countries -> {out}")


if __name__ == "__main__":
    main()
