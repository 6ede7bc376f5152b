"""Normalisation of names (forms of address, unit tags, misspelt generic words) and the
blocking keys built from it. No database."""

from __future__ import annotations

import pytest

from covenant.matching import Record
from covenant.matching.blocking import blocking_keys
from covenant.matching.normalise import normalise, normalise_name
from covenant.matching.scorer import unit_relation


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("M/S Ananda Knitting Mills (Pvt) Ltd", ("ananda", "knitting", "mills")),
        ("M/s. Rokeya Knit Composite Ltd", ("rokeya", "knit", "composite")),
        ("Messrs Chenlonghang Home Textile Co., Ltd.", ("chenlonghang", "home", "textile")),
        ("Messers Hossain Fabrics", ("hossain", "fabrics")),
        # only a form of address when a name follows, and "Mess" is a word
        ("M S", ("m", "s")),
        ("Mess Hall Garments", ("mess", "hall", "garments")),
    ],
)
def test_forms_of_address_are_not_part_of_the_name(name, core):
    assert normalise_name(name).core == core


@pytest.mark.parametrize(
    ("name", "units"),
    [
        ("Noor Textiles (BD) Ltd U-3", ("unit3",)),
        ("Noor Textiles Unit-3", ("unit3",)),
        ("Noor Textiles - Factory 3", ("unit3",)),
        ("Noor Textiles Plant 3", ("unit3",)),
        ("宁波正隆鞋业有限公司第三工厂", ("unit3",)),
        # "U" before a letter is a name ("U & I"), not a unit
        ("U & I Garments", ()),
        ("Sewing Line 3", ("line3",)),
    ],
)
def test_unit_words_are_one_kind(name, units):
    assert normalise_name(name).units == units


def test_unit_and_plant_of_one_group_conflict_and_factory_1_is_unit_1():
    unit = normalise_name("Sentosa Tekstil (Unit 4)").units
    plant = normalise_name("Sentosa Tekstil Plant 2").units
    factory = normalise_name("Sentosa Tekstil - Factory 4").units
    assert unit_relation(" ".join(unit), " ".join(plant)) == 3  # conflict
    assert unit_relation(" ".join(unit), " ".join(factory)) == 2  # agree


@pytest.mark.parametrize(
    ("name", "key_name"),
    [
        ("Karim Noor Knitrting & Dyeing Limitwd", "karim noor"),  # a letter added
        ("Pooja Meera Tezxtiles Limited", "pooja meera"),
        ("Labiba Appares Ltd.", "labiba"),  # a letter missing
        ("Dharma Teksitl", "dharma"),  # two letters swapped
        ("Yildiz Giiym A.S.", "yildiz"),
        # distinctive words stay, also when close to an industry word in length
        ("Rahman Sweaters Limited", "rahman"),
        ("Shirin Fashions", "shirin"),
    ],
)
def test_misspelt_industry_and_legal_words_are_not_distinctive(name, key_name):
    assert normalise(Record("x", name, "", "BD")).key_name == key_name


def test_city_and_word_order_keys():
    a = normalise(Record("a", "Shapla Sonar Sweaters Ltd", "n/a", "BD", city="Savar"))
    b = normalise(
        Record("b", "Sonar Shapla Sweaters Ltd", "Plot 49, Road 6, Savar", "BD", city="Savar")
    )
    keys_a, keys_b = set(blocking_keys(a)), set(blocking_keys(b))
    assert "b:shapla|sonar|sweaters" in keys_a & keys_b  # the whole name, in any order
    assert "y:savar|shap" in keys_a  # the town and the name's first letters
    assert "y:savar|sona" in keys_b
    no_city = normalise(Record("c", "Shapla Sonar Sweaters Ltd", "", "BD"))
    assert not any(k.startswith("y:") for k in blocking_keys(no_city))


def test_address_numbers_key_survives_misspelt_and_dropped_address_words():
    a = normalise(Record("a", "Tanjim Washing Ltd", "PLOT 238, ROAD 6, NARAYANGABNJ-1438", "BD"))
    b = normalise(
        Record("b", "Tanjim Washing", "Plot 238, Road 6, Block B, Baipayl, Narayanganj-1438", "BD")
    )
    assert "m:238|6" in set(blocking_keys(a)) & set(blocking_keys(b))
    one = normalise(Record("c", "Tanjim Washing", "Plot 238, Baipayl", "BD"))
    assert not any(k.startswith("m:") for k in blocking_keys(one))  # one number: too common


def test_a_single_digit_house_number_is_a_key_with_the_place():
    a = normalise(Record("a", "Bilal Garments Ltd", "5 IND.R D - SIALKOT", "PK"))
    b = normalise(Record("b", "Bilal Garments Ltd", "5 Industrial Road, Sialkot, Punjab", "PK"))
    assert "n:5|sialkot" in set(blocking_keys(a)) & set(blocking_keys(b))
    # numbers of 2+ digits come first, leading zeros dropped; a third number is left out
    c = normalise(Record("c", "Bilal Garments", "Block 3, Road 07, Plot 113, Sialkot", "PK"))
    keys = {k for k in blocking_keys(c) if k.startswith("n:")}
    assert keys == {"n:7|sialkot", "n:113|sialkot", "n:3|sialkot", "n:7|block", "n:113|block",
                    "n:3|block"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "country", "key_name", "legal"),
    [
        ("ပြည်မြ အထည်ချုပ် ကုမ္ပဏီ လီမိတက်", "MM", "prnnmr", "co ltd"),  # garment company limited
        ("ရွှေအောင် အထည်ချုပ်စက်ရုံ", "MM", "rvhe ean", ""),  # garment factory
        ("រោងចក្រកាត់ដេរ សុខទន្លេ ឯ.ក", "KH", "sokhtnle", "co ltd"),  # garment factory, Co., Ltd
        ("บริษัท สยามสิ่งทอ จำกัด", "TH", "syam", "co ltd"),  # Siam Textile Co., Ltd
    ],
)
def test_burmese_khmer_and_thai_legal_and_industry_words(name, country, key_name, legal):
    norm = normalise(Record("x", name, "", country))
    assert (norm.key_name, norm.legal) == (key_name, legal)


@pytest.mark.parametrize(
    ("name", "core", "legal"),
    [
        # names copied out of PDFs with their letters spaced apart (Open Supply Hub's lists)
        ("c r ystal m ar ti n c e ntr al g alag e d e r a", "crystalmartincentralgalagedera", ""),
        ("ale x tr i c o t sr l", "alextricot", "srl"),
        ("d sl lanka ( pr i v ate ) ltd", "dsllanka", "ltd pvt"),
        ("so nm e z i nte r nati o nal o o d", "sonmezinternational", "ood"),
        # initials in front and names with a few short words are left alone
        ("A K M Rahman Textiles", "k m rahman textiles", ""),
        ("P & S Knit Composite Ltd", "p s knit composite", "ltd"),
        ("Thai Garment Export Co. Ltd. (TG 2 4)", "thai garment export tg 2 4", "co ltd"),
        # single letters of a legal form, a unit or "M/S" do not count
        ("M/S Venor Garments Limited U-2", "venor garments", "ltd"),
        ("Orafio Garment Sp. z o.o.", "orafio garment", "spzoo"),
    ],
)
def test_spaced_out_names_are_joined(name, core, legal):
    norm = normalise(Record("x", name, "", "LK"))
    assert (norm.name, norm.legal) == (core, legal)


def test_a_spaced_out_name_matches_the_same_name_written_normally():
    from covenant.matching import Matcher

    m = Matcher()
    m.add_many(
        [
            Record("F1", "Crystal Martin Central Galagedera", "Akkarawatta, Galagedara", "LK"),
            Record("F2", "Crystal Garments Kandy", "Peradeniya Road, Kandy", "LK"),
        ]
    )
    row = Record(
        "r", "c r ystal m ar ti n c e ntr al g alag e d e r a", "akkarawatta galagedara", "LK"
    )
    result = m.match(row)
    assert (result.decision, result.facility_id) == ("match", "F1")
