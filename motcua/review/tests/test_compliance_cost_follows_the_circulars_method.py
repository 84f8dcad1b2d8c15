"""A worked example written from the method of Circular 02/2017/TT-VPCP: the hourly value of time is the
average income of a year / (12 months × 22 working days × 8 hours); one dossier costs its hours at that
value plus the money spent (travel, fees and charges, obtaining papers); a year costs that times the
dossiers of a year; the proposal's saving is the difference, in VND and %."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import aware, make_agency, make_units, make_version
from motcua.review import selectors, services
from motcua.review.models import CostEstimate, CostParameters

pytestmark = pytest.mark.django_db

# Income 70,500,000 đồng a year → 70,500,000 / 2,112 h = 33,380.68 đồng an hour.
# Current: 8 h preparing + 2 h travelling (two trips) + 1 h waiting = 11 h → 775,500,000 / 2,112 = 367,187.5
#   → 367,188 đồng (rounded half up, once); money: 2 trips × 30,000 + fee 500,000 + 3 certified copies × 2,000
#   = 566,000; one dossier 933,188 đồng; 120 dossiers a year → 111,982,560 đồng.
# Proposed: 4 h + 1 h + 0.5 h = 5.5 h → 183,593.75 → 183,594; money 30,000 + 500,000 = 530,000;
#   one dossier 713,594; saving 219,594 a dossier (219,594 / 933,188 = 23.53 %), 26,351,280 a year.
CURRENT = {
    "prepare_hours": "8",
    "travel_hours": "2",
    "wait_hours": "1",
    "travel_vnd": 60000,
    "fees_vnd": 500000,
    "papers_vnd": 6000,
}
PROPOSED = {"prepare_hours": "4", "travel_hours": "1", "wait_hours": "0,5", "travel_vnd": 30000, "fees_vnd": 500000}


@pytest.fixture
def world():
    agency = make_agency()
    units = make_units(agency)
    version = make_version(agency, units=units)
    specialist = make_staff(f"cv-cost-{agency.pk}", Role.SPECIALIST, unit=units["QLDT"])
    CostParameters.objects.create(year=2021, income_per_year_vnd=70_500_000, source="GDP bình quân đầu người năm 2021")
    plan = services.plan_create(actor=specialist, agency=agency, year=2022, title="Kế hoạch rà soát năm 2022")
    item = services.item_add(
        actor=specialist, plan=plan, procedure=version.procedure, unit=units["QLDT"], deadline=date(2022, 6, 30)
    )
    return agency, version, specialist, item


def test_the_worked_example(world):
    agency, version, specialist, item = world
    services.cost_estimate_set(actor=specialist, item=item, variant="current", values=CURRENT | {"dossiers_per_year": 120})
    services.cost_estimate_set(actor=specialist, item=item, variant="proposed", values=PROPOSED | {"dossiers_per_year": 120})
    costs = selectors.item_costs(item=item)
    # The 2022 review uses the latest parameters published (2021's).
    assert costs["parameters"].year == 2021
    assert costs["parameters"].hourly_value.quantize(Decimal("0.01")) == Decimal("33380.68")
    current, proposed, saving = costs["current"], costs["proposed"], costs["saving"]
    assert current.hours == Decimal("11.00") and current.time_vnd == 367_188 and current.money_vnd == 566_000
    assert current.per_dossier_vnd == 933_188 and current.per_year_vnd == 111_982_560
    assert proposed.time_vnd == 183_594 and proposed.per_dossier_vnd == 713_594
    assert saving.per_dossier_vnd == 219_594 and saving.per_year_vnd == 26_351_280
    assert saving.percent == 23.53


def test_the_dossiers_of_a_year_come_from_records_when_not_typed_in(world):
    agency, version, specialist, item = world
    for day in (date(2021, 2, 1), date(2021, 7, 5), date(2021, 12, 31)):  # the year before the plan's
        Dossier.objects.create(
            code=f"C{day:%m%d}-{agency.pk}",
            agency=agency,
            procedure_version=version,
            channel="counter",
            status=Status.PROCESSING,
            received_at=aware(day.year, day.month, day.day, 10),
            applicant_name="A",
        )
    Dossier.objects.create(
        code=f"C2022-{agency.pk}",
        agency=agency,
        procedure_version=version,
        channel="counter",
        status=Status.PROCESSING,
        received_at=aware(2022, 1, 3, 10),
        applicant_name="B",
    )
    services.cost_estimate_set(actor=specialist, item=item, variant="current", values=CURRENT)
    current = selectors.item_costs(item=item)["current"]
    assert current.dossiers_per_year == 3
    assert current.per_year_vnd == 3 * 933_188


def test_negative_or_malformed_inputs_are_refused_with_field_errors(world):
    agency, version, specialist, item = world
    with pytest.raises(ValidationFailed) as err:
        services.cost_estimate_set(
            actor=specialist, item=item, variant="current", values={"prepare_hours": "-1", "fees_vnd": "abc", "wait_hours": "NaN"}
        )
    assert set(err.value.fields) == {"prepare_hours", "fees_vnd", "wait_hours"}
    assert not CostEstimate.objects.exists()
