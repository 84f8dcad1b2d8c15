"""The province demo: at least four agencies under the province office (the Board, the Department of
Finance, a commune People's Committee, the service centre), real procedures of the national catalogue,
staff in every unit of every agency, service-centre secondments, inter-agency dossiers that passed
through the commune's step; idempotent; the Board's own catalogue figures are unchanged."""

from datetime import date
from io import StringIO

import pytest

from motcua.catalog import demo as catalog_demo
from motcua.catalog import national
from motcua.catalog import selectors as catalog_selectors
from motcua.core import demo as core_demo
from motcua.core.models import Agency, AgencyLevel, Secondment, Unit
from motcua.dossiers.models import Dossier, DossierStep
from motcua.portal import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    board = core_demo.seed()
    catalog_demo.seed(agency=board)
    before = catalog_selectors.catalog_figures(agency=board, on=date(2021, 9, 23))
    out = StringIO()
    demo.seed(agency=board, stdout=out)
    return board, before, out.getvalue()


def test_the_province_has_its_agencies_under_the_province_office(province):
    board, _, _ = province
    root = Agency.objects.get(short_name="VPUBND")
    assert root.level == AgencyLevel.PROVINCE and root.parent_id is None
    children = {a.short_name: a for a in Agency.objects.filter(parent=root)}
    assert {"BQL", "STC", "UBNDX-TL", "TTPVHCC"} <= set(children)
    assert children["UBNDX-TL"].level == AgencyLevel.COMMUNE
    assert children["TTPVHCC"].is_service_centre
    board.refresh_from_db()
    assert board.parent == root and board.code == "H15.50"


def test_every_unit_of_every_agency_has_staff_and_the_logins_are_printed(province):
    _, _, out = province
    empty = [str(u) for u in Unit.objects.all() if not u.staff.exists()]
    assert empty == []
    for username in ("stc.motcua", "xa.chutich", "ttpv.tiepnhan1", "bql.qlck", "vp.pakn"):
        assert f"  {username} / {core_demo.DEMO_PASSWORD} / " in out
    assert set(Secondment.objects.filter(user__username="ttpv.tiepnhan1").values_list("agency__short_name", flat=True)) == {
        "BQL",
        "STC",
    }


def test_procedures_come_from_the_national_catalogue(province):
    records = {r["code"]: r for r in national.read_records(national.open_lines(national.DEFAULT_FILE))}
    for code, short, *_ in demo.PROCEDURES:
        version = catalog_selectors.procedure_version_in_force(code=code, on=date.today())
        assert version.agency.short_name == short
        assert version.name == records[code]["name"].strip()
        assert "steps" in version.illustrative
    version = catalog_selectors.procedure_version_in_force(code=demo.INTER_AGENCY_CODE, on=date.today())
    land = version.steps.get(order=3)
    assert (land.agency.short_name, land.unit.agency.short_name, land.unit.short_name) == ("UBNDX-TL", "UBNDX-TL", "DCXD")
    assert {s.agency_id for s in version.steps.exclude(order=3)} == {None}


def test_inter_agency_dossiers_pass_through_the_communes_step(province):
    dossiers = Dossier.objects.filter(procedure_version__procedure__code=demo.INTER_AGENCY_CODE)
    assert dossiers.count() == 3
    assert {d.agency.short_name for d in dossiers} == {"STC"}
    assert {d.receiving_agency.short_name for d in dossiers} == {"TTPVHCC"}
    commune = Agency.objects.get(short_name="UBNDX-TL")
    at_commune = DossierStep.objects.filter(dossier__in=dossiers, agency=commune)
    assert at_commune.filter(handed_over_at__isnull=False).count() == 1  # the decided one went through it
    assert at_commune.filter(handed_over_at__isnull=True).count() == 1  # one is there now
    assert dossiers.filter(status="decided").count() == 1


def test_the_demo_is_idempotent_and_leaves_the_boards_figures_alone(province):
    board, before, _ = province
    counts = (Agency.objects.count(), Unit.objects.count(), Dossier.objects.count())
    out = StringIO()
    demo.seed(agency=board, stdout=out)
    assert "đã có dữ liệu" in out.getvalue()
    assert (Agency.objects.count(), Unit.objects.count(), Dossier.objects.count()) == counts
    assert catalog_selectors.catalog_figures(agency=board, on=date(2021, 9, 23)) == before
