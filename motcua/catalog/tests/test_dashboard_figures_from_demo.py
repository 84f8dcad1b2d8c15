"""The dashboard's figures equal counts computed independently from the demo records."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.catalog import demo, selectors
from motcua.catalog.models import DecisionItem, ProcedureVersion
from motcua.core import demo as core_demo

SEED_DAY = date(2021, 9, 23)


@pytest.fixture
def seeded(db):
    agency = core_demo.seed()
    demo.seed(agency=agency)
    return agency


def _in_force(on):
    """Independent of the selector: walk every version and test its date range in Python."""
    return [
        v
        for v in ProcedureVersion.objects.all()
        if v.status != "draft" and v.valid_from and v.valid_from <= on and (v.valid_to is None or v.valid_to > on)
    ]


@pytest.mark.django_db
def test_dashboard_figures_equal_independent_counts_and_the_seed(seeded):
    figures = selectors.catalog_figures(agency=seeded, on=SEED_DAY)
    versions = _in_force(SEED_DAY)
    cut = [
        v
        for v in versions
        if v.legal_time and v.committed_time is not None and (v.legal_time - v.committed_time) / v.legal_time >= Decimal("0.2")
    ]
    independent = {
        "in_force": len(versions),
        "one_stop": len([v for v in versions if v.one_stop]),
        "cut_20": len(cut),
        "level_2": len([v for v in versions if v.online_level == 2]),
        "level_3": len([v for v in versions if v.online_level == 3]),
        "level_4": len([v for v in versions if v.online_level == 4]),
        "postal": len([v for v in versions if v.channel_postal]),
        "four_on_spot": len([v for v in versions if v.four_on_spot]),
    }
    derived = {
        "in_force": figures["in_force"],
        "one_stop": figures["one_stop"],
        "cut_20": figures["cut_20"],
        "level_2": figures["online_levels"][2],
        "level_3": figures["online_levels"][3],
        "level_4": figures["online_levels"][4],
        "postal": figures["postal"],
        "four_on_spot": figures["four_on_spot"],
    }
    assert derived == independent
    # and the records give the seed article's figures
    assert derived == {
        "in_force": 46,
        "one_stop": 46,
        "cut_20": 36,
        "level_2": 10,
        "level_3": 6,
        "level_4": 30,
        "postal": 46,
        "four_on_spot": 3,
    }
    assert figures["one_stop_of"] == 46
    four = sorted(v.procedure.code for v in versions if v.four_on_spot)
    assert all(v.field.name == "Đầu tư tại Việt Nam" for v in versions if v.four_on_spot), four

    # decisions published in 2021: counts equal the decision items
    counts = selectors.decision_counts(agency=seeded, start=date(2021, 1, 1), end=date(2021, 12, 31))
    items = DecisionItem.objects.filter(decision__effective_on__year=2021)
    assert counts["abolished"] == items.filter(action="abolished").count() == 22
    assert counts["new"] == items.filter(action="new").count() == 25
    assert counts["amended"] == items.filter(action="amended").count() == 3


@pytest.mark.django_db
def test_demo_is_idempotent_valid_for_2021_dossiers_and_marks_illustrative_values(seeded):
    before = ProcedureVersion.objects.count()
    demo.seed(agency=seeded)
    assert ProcedureVersion.objects.count() == before
    for entry in demo.load()["procedures"]:
        if entry["history"] == "abolished_2021":
            continue
        assert selectors.procedure_version_in_force(code=entry["code"], on=date(2021, 3, 26)).name == entry["name"]
        assert selectors.procedure_version_in_force(code=entry["code"], on=date(2021, 12, 31))
    v = selectors.procedure_version_in_force(code="1.009748", on=SEED_DAY)
    assert "legal_time" in v.illustrative
    for version in _in_force(SEED_DAY):
        assert sum(s.duration for s in version.steps.all()) <= version.committed_time
        assert version.components.exists() and version.fees.exists()
