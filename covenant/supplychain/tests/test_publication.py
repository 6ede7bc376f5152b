"""Publishing the yearly list and searching it: which year, when, the snapshot without
company links, typo-tolerant search with filters and paging, counts and downloads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from covenant.core.errors import ValidationFailed
from covenant.core.models import AuditEvent
from covenant.supplychain.models import PublishedList, PublishedLocation
from covenant.supplychain.selectors import published as sel
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.services.publication import (
    publication_date,
    publication_preview,
    published_list_publish,
)
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    factory_rows,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2018, 7, 4)


@pytest.fixture(autouse=True)
def _fresh_search_index():
    sel.search_index_reset()
    yield
    sel.search_index_reset()


def disclose(world, company, year, rows):
    return disclosure_import_rows(
        agreement=world.agreement, company=company, year=year, rows=rows, actor=None
    )


@pytest.fixture
def two_years(world):
    """2017: own company 5 factories, other company 3 of them; 2018: own company 2 of them."""
    disclose(world, world.company, 2017, factory_rows())
    disclose(world, world.other_company, 2017, factory_rows([0, 1, 2]))
    disclose(world, world.company, 2018, factory_rows([3, 4]))
    return world


def test_publication_date_is_in_the_following_year(world):
    world.agreement.list_publication_month, world.agreement.list_publication_day = 2, 29
    assert publication_date(world.agreement, 2017) == dt.date(2018, 2, 28)
    assert publication_date(world.agreement, 2019) == dt.date(2020, 2, 29)


def test_publish_snapshots_distinct_facilities_without_companies(two_years):
    world = two_years
    preview = publication_preview(agreement=world.agreement, year=2017)
    assert (preview.disclosures, preview.locations, preview.countries) == (2, 5, 5)
    published = published_list_publish(
        agreement=world.agreement, year=2017, actor=world.users["secretariat"], on=ON
    )
    assert published.location_count == 5 and published.published_on == ON
    rows = list(PublishedLocation.objects.filter(published_list=published))
    assert len(rows) == 5
    assert {r.country for r in rows} == {"BD", "CN", "TR", "VN", "IN"}
    assert all(r.public_id and r.facility_id for r in rows)
    # Nothing in the snapshot points at a company.
    field_names = {f.name for f in PublishedLocation._meta.get_fields()}
    assert not field_names & {"company", "disclosure", "contribution"}
    event = AuditEvent.objects.get(action="published_list.published")
    assert event.detail == {"year": 2017, "locations": 5, "published_on": "2018-07-04"}


def test_publish_rules(two_years):
    world = two_years
    a = world.agreement
    with pytest.raises(ValidationFailed, match="from"):
        published_list_publish(agreement=a, year=2017, actor=None, on=dt.date(2018, 7, 3))
    with pytest.raises(ValidationFailed, match="future"):
        published_list_publish(agreement=a, year=2017, actor=None, on=dt.date(2999, 1, 1))
    with pytest.raises(ValidationFailed, match="No company"):
        published_list_publish(agreement=a, year=2015, actor=None, on=ON)
    first = published_list_publish(agreement=a, year=2017, actor=None, on=ON)
    with pytest.raises(ValidationFailed, match="already"):
        published_list_publish(agreement=a, year=2017, actor=None, on=ON)
    # Earlier years stay; publishing again replaces only that year.
    second = published_list_publish(agreement=a, year=2018, actor=None, on=dt.date(2019, 7, 4))
    again = published_list_publish(
        agreement=a, year=2017, actor=None, on=dt.date(2019, 1, 1), replace=True
    )
    assert again.pk != first.pk
    assert sorted(PublishedList.objects.values_list("year", "location_count")) == [
        (2017, 5),
        (2018, 2),
    ]
    assert second.location_count == 2


def test_search_is_typo_tolerant_with_filters(two_years):
    world = two_years
    published = published_list_publish(agreement=world.agreement, year=2017, actor=None, on=ON)

    def names(**kw):
        return [loc.name for loc in sel.published_search(published, **kw).locations]

    assert len(names()) == 5
    assert names(q="pioneer") == ["Pioneer Knitwear (BD) Ltd"]
    assert names(q="Pionere knitwaer") == ["Pioneer Knitwear (BD) Ltd"]  # two typos
    assert names(q="knit") == ["Pioneer Knitwear (BD) Ltd"]  # prefix
    assert names(q="avinashi road") == ["Tiruppur Cotton Mills Pvt Ltd"]  # the address
    assert names(q="road", country="IN") == ["Tiruppur Cotton Mills Pvt Ltd"]
    assert names(q="road", country="XX") == []
    assert names(q="zzzzqqq") == []
    result = sel.published_search(published, q="bright garmets")
    assert [loc.name for loc in result.locations] == ["Shanghai Bright Garments Co., Ltd."]
    assert result.typo_matches == 1


def test_search_ranks_exact_before_typos_and_pages(world):
    rows = [
        row(2 + i, f"Lotus Apparel {i:03d}", f"{i} Export Zone", "BD", "Dhaka") for i in range(7)
    ]
    rows.append(row(20, "Lotas Knit", "1 Other Street", "BD", "Dhaka"))
    disclose(world, world.company, 2017, rows)
    published = published_list_publish(agreement=world.agreement, year=2017, actor=None, on=ON)
    result = sel.published_search(published, q="lotus", page_size=3)
    assert result.count == 8 and result.pages == 3 and result.typo_matches == 1
    last = sel.published_search(published, q="lotus", page=99, page_size=3)
    assert last.page == 3
    assert [loc.name for loc in last.locations][-1] == "Lotas Knit"


def test_search_tokens_of_other_scripts():
    assert sel.search_tokens("宇恒服饰有限公司") == [
        "yu",
        "heng",
        "fu",
        "shi",
        "you",
        "xian",
        "gong",
        "si",
    ]
    assert sel.search_tokens("Công ty TNHH May Việt") == ["cong", "ty", "tnhh", "may", "viet"]
    assert sel.published_search_text("A b", "b C") == "a b c"


def test_counts_and_downloads(two_years):
    world = two_years
    published = published_list_publish(agreement=world.agreement, year=2017, actor=None, on=ON)
    counts = sel.list_counts(published)
    assert counts.total == 5 and len(counts.by_country) == 5
    data = json.loads(sel.download_file(published, "json").body)
    assert len(data) == 5 and set(data[0]) == set(sel.DOWNLOAD_COLUMNS)
    osh = sel.download_file(published, "osh")
    header = osh.body.decode("utf-8-sig").splitlines()[0]
    assert header == "country,name,address,sector,facility_type"
    assert osh.filename == "garments-locations-2017-open-supply-hub.csv"


def test_download_escapes_formulas(world):
    disclose(world, world.company, 2017, [row(2, "=HYPERLINK(1)", "1 Road", "BD", "Dhaka")])
    published = published_list_publish(agreement=world.agreement, year=2017, actor=None, on=ON)
    body = sel.download_file(published, "csv").body.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body
