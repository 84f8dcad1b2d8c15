from datetime import date

import pytest

from motcua.catalog import demo as catalog_demo
from motcua.core import demo as core_demo
from motcua.reform import demo as reform_demo

TODAY = date(2022, 1, 10)  # the 2021 report, written after the year closed


@pytest.fixture
def seeded(db):
    """The Board with the demo catalog and the demo CCHC records of 2021."""
    agency = core_demo.seed()
    catalog_demo.seed(agency=agency)
    reform_demo.seed(agency=agency)
    return agency
