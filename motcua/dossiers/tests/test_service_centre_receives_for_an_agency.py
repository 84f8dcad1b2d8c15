"""The Public Administration Service Centre's counter: an officer seconded to an agency receives a
dossier of that agency's procedure; the dossier belongs to the deciding agency (its code, its worklists),
records the centre as the receiving place, and the receipt (BM.01) names both. A procedure of an agency
the officer is not seconded to is refused (403) and nothing is written."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import Agency, AuditLog, Unit
from motcua.core.roles import Role
from motcua.core.services import secondment_add
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.desk.selectors.slips import dossier_for_slips
from motcua.desk.selectors.worklists import worklist
from motcua.desk.slips import render_bm01
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.transitions import dossier_forward

from .factories import World, aware, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    board, other = World(), World()
    agency = Agency.objects.create(
        name="Trung tâm Phục vụ hành chính công tỉnh", short_name="TTPVHCC", code="TT15.60", is_service_centre=True
    )
    desk = Unit.objects.create(agency=agency, name="Bộ phận tiếp nhận và trả kết quả", short_name="TNTKQ", is_one_stop_desk=True)
    officer = make_staff("ttpv-tiepnhan", Role.ONE_STOP_OFFICER, unit=desk)
    secondment_add(actor=SYSTEM, user=officer, agency=board.agency)
    return agency, officer, board, other


def test_the_centre_receives_for_the_deciding_agency(centre):
    agency, officer, board, _ = centre
    d = receive(board, actor=officer, at=aware(2026, 3, 2, 9, 0))
    d = Dossier.objects.get(pk=d.pk)
    assert d.agency == board.agency and d.receiving_agency == agency and d.created_by == officer
    assert d.code.startswith(f"{board.agency.code}-260302-")
    first = DossierStep.objects.get(dossier=d)
    assert (first.agency, first.assignee) == (board.agency, officer)
    now = aware(2026, 3, 3, 9, 0)
    assert d.code in [x.code for x in worklist(user=board.leader, scope="agency", now=now).items]
    assert d.code in [s.dossier.code for s in worklist(user=officer, scope="mine", now=now).items]
    # The officer hands it to the Board's appraisal unit: the Board's specialist has it in the unit queue.
    dossier_forward(dossier=d, actor=officer, at=aware(2026, 3, 2, 10, 0))
    assert d.code in [s.dossier.code for s in worklist(user=board.specialist, scope="unit", now=now).items]


def test_the_receipt_names_the_centre_and_the_deciding_agency(centre):
    agency, officer, board, _ = centre
    d = receive(board, actor=officer, at=aware(2026, 3, 2, 9, 0))
    pdf = render_bm01(dossier_for_slips(pk=d.pk))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert (
        f"Trung tâm Phục vụ hành chính công tỉnh đã tiếp nhận hồ sơ thuộc thẩm quyền giải quyết của "
        f"{board.agency.name} (cơ quan giải quyết)"
    ) in text


def test_a_procedure_of_an_agency_the_officer_is_not_seconded_to_is_refused(centre):
    agency, officer, board, other = centre
    audits = AuditLog.objects.count()
    with pytest.raises(PermissionDeniedError):
        receive(other, actor=officer, at=aware(2026, 3, 2, 9, 0))
    assert not Dossier.objects.exists() and AuditLog.objects.count() == audits


def test_an_agencys_own_desk_receives_without_a_receiving_centre(centre):
    _, _, board, _ = centre
    d = receive(board, at=aware(2026, 3, 2, 9, 0))
    assert Dossier.objects.get(pk=d.pk).receiving_agency is None
    pdf = render_bm01(dossier_for_slips(pk=d.pk))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert f"Bộ phận Một cửa {board.agency.name} đã tiếp nhận hồ sơ của" in text


def test_the_counter_page_offers_only_the_seconded_agencies_and_receives_for_the_chosen_one(client, centre):
    import re

    agency, officer, board, other = centre
    third = World()
    secondment_add(actor=SYSTEM, user=officer, agency=third.agency)
    client.force_login(officer)
    html = client.get("/staff/dossiers/new/").content.decode()
    assert 'name="agency"' in html
    assert board.agency.name in html and third.agency.name in html and other.agency.name not in html
    page = client.get("/staff/dossiers/new/", {"agency": board.agency.short_name, "procedure": board.code}).content.decode()
    assert f'value="{board.code}"' in page and f'value="{third.code}"' not in page and f'value="{other.code}"' not in page
    assert client.get("/staff/dossiers/new/", {"agency": other.agency.short_name}).status_code in (403, 404)
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', page).group(1)
    components = list(board.version.components.order_by("order"))
    data = {
        "agency": board.agency.short_name,
        "procedure": board.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "Lê Thị Cúc",
        "id_number": "001190012345",
        "phone": "0912345678",
        "address": "Số 5 Lê Lợi",
        "result_delivery": "counter",
        "form_token": token,
        f"component_{components[0].pk}": "1",
        f"component_{components[1].pk}": "1",
    }
    response = client.post("/staff/dossiers/new/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    d = Dossier.objects.get()
    assert (d.agency, d.receiving_agency, d.created_by) == (board.agency, agency, officer)
    # A procedure of an agency the officer is not seconded to, posted by hand: not among the counter's
    # choices (the form answers with the error), nothing written; the service itself refuses it (403, above).
    audits = AuditLog.objects.count()
    data.update(procedure=other.code, agency=board.agency.short_name, form_token="f" * 32)
    refused = client.post("/staff/dossiers/new/", data)
    assert refused.status_code != 302
    assert Dossier.objects.count() == 1 and AuditLog.objects.count() == audits
    data.update(agency=other.agency.short_name)
    assert client.post("/staff/dossiers/new/", data).status_code in (403, 404)
    assert Dossier.objects.count() == 1 and AuditLog.objects.count() == audits
