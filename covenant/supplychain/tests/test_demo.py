"""The supply-chain demo: loaded through the real import path, counts in the ranges of the
garment agreement's reports, two published lists, shared suppliers with opt-ins, a review
queue; loading again changes nothing. (One slow test: the full demo, about 25 s.)"""

from __future__ import annotations

import pytest
from django.apps import apps

from covenant.agreements.demo import load_demo
from covenant.supplychain.demo import load_supplychain_demo, supplychain_demo_is_loaded
from covenant.supplychain.models import (
    Contribution,
    Disclosure,
    Introduction,
    PublishedList,
    PublishedLocation,
)
from covenant.supplychain.selectors import published as sel
from covenant.supplychain.tests.test_disclosures_support import fresh_registry_index  # noqa: F401

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_supplychain_demo():
    load_demo()
    assert not supplychain_demo_is_loaded()
    summary = load_supplychain_demo()
    assert supplychain_demo_is_loaded()
    lists = dict(PublishedList.objects.values_list("year", "location_count"))
    assert set(lists) == {2016, 2017}
    assert 2700 <= lists[2016] <= 2900 and 4150 <= lists[2017] <= 4400
    accepted = Disclosure.objects.filter(status=Disclosure.Status.ACCEPTED)
    by_year = {y: accepted.filter(year=y).count() for y in (2016, 2017, 2018)}
    assert all(n >= 40 for n in by_year.values()), by_year
    assert 5700 <= summary.facilities <= 6600
    countries = sel.list_counts(PublishedList.objects.get(year=2017)).by_country
    assert countries[0][0] == "CN"
    review = Contribution.objects.filter(decision="review", disclosure__in=accepted).count()
    assert 100 <= review <= 1200
    assert summary.shared >= 500 and summary.opt_ins >= 40 and Introduction.objects.count() == 3
    # No published row carries a company: every field is from the registry facility.
    assert not PublishedLocation.objects.filter(public_id="").exists()
    before = _counts()
    again = load_supplychain_demo()
    assert again.disclosures == 0 and _counts() == before
