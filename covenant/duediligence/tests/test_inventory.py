"""The supply chain inventory of a self-assessment comes from the company's disclosed
production locations (the latest accepted list up to the reporting year), never typed again."""

from __future__ import annotations

import pytest

from covenant.duediligence.selectors.inventory import location_inventory
from covenant.duediligence.services import self_assessments as sa_services
from covenant.supplychain.services.disclosures import disclosure_import_rows
from covenant.supplychain.tests.test_disclosures_support import (  # noqa: F401
    factory_rows,
    fresh_registry_index,
    row,
)

pytestmark = pytest.mark.django_db


def test_inventory_from_disclosed_locations(world, round_2018):
    assert location_inventory(world.company, world.agreement, 2018) is None
    rows = factory_rows()
    rows[0] = row(
        2, rows[0].name, rows[0].address, rows[0].country, facility_type="Final Product Assembly"
    )
    disclosure_import_rows(
        agreement=world.agreement, company=world.company, year=2017, rows=rows, actor=None
    )
    disclosure_import_rows(
        agreement=world.agreement,
        company=world.company,
        year=2019,
        rows=factory_rows([0]),
        actor=None,
    )
    inv = location_inventory(world.company, world.agreement, 2018)
    assert inv is not None and (inv.year, inv.locations) == (2017, 5)
    assert dict(inv.countries) == {"BD": 1, "CN": 1, "TR": 1, "VN": 1, "IN": 1}
    assert inv.facility_types == [("Final product assembly", 1)]
    assert inv.unknown_type_percent == 80.0
    sa_services.self_assessment_start(round_=round_2018, company=world.company, actor=None)
    html = (
        world.client("own_company")
        .get("/companies/own-fashion/due-diligence/garments/2018/")
        .content.decode()
    )
    assert "From your disclosed production locations of 2017: 5 locations" in html
    # Another company's page never shows these locations.
    assert location_inventory(world.other_company, world.agreement, 2018) is None
