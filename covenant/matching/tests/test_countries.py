"""Country names and codes -> ISO alpha-2. No database."""

import json

import pytest

from covenant.matching.countries import (
    ALIASES,
    DATA,
    country_code,
    country_codes,
    country_key,
    country_name,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CHINA", "CN"),
        ("China", "CN"),
        ("china ", "CN"),
        ("PRC", "CN"),
        ("P.R. China", "CN"),
        ("People's Republic of China", "CN"),
        ("Volksrepubliek China", "CN"),
        ("中国", "CN"),
        ("Китай", "CN"),
        ("CN", "CN"),
        ("cn", "CN"),
        ("CHN", "CN"),
        ("Bangladesh", "BD"),
        ("bangladesh", "BD"),
        ("BGD", "BD"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Turkije", "TR"),
        ("TURKIYE", "TR"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Việt Nam", "VN"),
        ("Myanmar", "MM"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Cote D'Ivoire", "CI"),
        ("UK", "GB"),
        ("GB", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("Verenigd Koninkrijk", "GB"),
        ("Holland", "NL"),
        ("Nederland", "NL"),
        ("The Netherlands", "NL"),
        ("Netherlands", "NL"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Hong Kong", "HK"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("Zuid-Korea", "KR"),
        ("North Korea", "KP"),
        ("Korea, Democratic People's Republic of", "KP"),
        ("Deutschland", "DE"),
        ("Duitsland", "DE"),
        ("Allemagne", "DE"),
        ("Indien", "IN"),
        ("Kambodscha", "KH"),
        ("Bosnia & Herzegovina", "BA"),
        ("Bosnia and Herzegovina", "BA"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Kosovo", "XK"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Equatorial Guinea", "GQ"),
        ("Taiwan", "TW"),
        ("Macau", "MO"),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["", "   ", "Chna", "EN", "Atlantis", "-", "123"])
def test_unknown_is_none(text):
    assert country_code(text) is None


def test_country_key_normalises_case_diacritics_punctuation_order():
    assert country_key("  Việt   NAM ") == "nam viet"
    assert country_key("Korea, Republic of") == country_key("Republic of Korea") == "korea republic"
    assert country_key("U.S.A.") == "usa"
    assert country_key("Bosnia & Herzegovina") == "bosnia herzegovina"
    assert country_key("Færøerne") == "faeroerne"
    assert country_key("中国") == "中国"


def test_country_name():
    assert country_name("CN") == "China"
    assert country_name("cn") == "China"
    assert country_name("HK") == "Hong Kong"
    assert country_name("XK") == "Kosovo"
    assert country_name("ZZ") == "ZZ"


def test_every_code_has_a_name_and_maps_to_itself():
    codes = country_codes()
    assert len(codes) == 250
    for code in codes:
        assert country_code(code) == code
        assert country_code(country_name(code)) == code, code


def test_json_contains_the_aliases_that_do_not_clash_with_codes_or_english_names():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for alias, code in ALIASES.items():
        assert data["keys"][country_key(alias)] == code, alias
