from datetime import date

from django.test import TestCase

from motcua.catalog import demo as catalog_demo
from motcua.core import demo as core_demo
from motcua.reform import demo as reform_demo

TODAY = date(2022, 1, 10)  # the 2021 report, written after the year closed


def seed_board():
    """The Board with the demo catalog and the demo CCHC records of 2021."""
    agency = core_demo.seed()
    catalog_demo.seed(agency=agency)
    reform_demo.seed(agency=agency)
    return agency


class SeededTestCase(TestCase):
    """Seeds once per class (setUpTestData, rolled back after the class); each test runs in its own
    savepoint, so tests may change records freely."""

    @classmethod
    def setUpTestData(cls):
        cls.agency = seed_board()
