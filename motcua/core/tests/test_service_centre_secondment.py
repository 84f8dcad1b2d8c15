"""Service-centre officers are seconded to the agencies they receive dossiers for: only staff of a
service centre can be seconded (400), seconding twice keeps one row, removal is audited; an agency is
placed in the hierarchy but never under itself or its own descendants (400, nothing changed)."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency, AgencyLevel, AuditLog, Secondment, Unit
from motcua.core.roles import Role
from motcua.core.services import agency_place, secondment_add, secondment_remove
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_and_board():
    centre = Agency.objects.create(
        name="Trung tâm Phục vụ hành chính công tỉnh", short_name="TT", code="H15.60", is_service_centre=True
    )
    board = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    officer = make_staff(
        "tt-officer", Role.ONE_STOP_OFFICER, unit=Unit.objects.create(agency=centre, name="Bộ phận tiếp nhận", short_name="TN")
    )
    board_officer = make_staff(
        "bql-officer", Role.ONE_STOP_OFFICER, unit=Unit.objects.create(agency=board, name="Bộ phận Một cửa", short_name="MC")
    )
    return centre, board, officer, board_officer


def test_a_centre_officer_is_seconded_once_and_removed(centre_and_board):
    centre, board, officer, _ = centre_and_board
    first = secondment_add(actor=SYSTEM, user=officer, agency=board)
    assert secondment_add(actor=SYSTEM, user=officer, agency=board) == first
    assert Secondment.objects.filter(user=officer).count() == 1
    assert AuditLog.objects.filter(action="secondment.add").count() == 1
    secondment_remove(actor=SYSTEM, user=officer, agency=board)
    assert not Secondment.objects.exists()
    assert AuditLog.objects.filter(action="secondment.remove").count() == 1


def test_only_centre_staff_are_seconded(centre_and_board):
    centre, board, officer, board_officer = centre_and_board
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        secondment_add(actor=SYSTEM, user=board_officer, agency=centre)
    assert "user" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        secondment_add(actor=SYSTEM, user=officer, agency=centre)
    assert "agency" in exc.value.fields
    assert not Secondment.objects.exists() and AuditLog.objects.count() == audits


def test_an_agency_is_never_placed_under_its_own_descendant(centre_and_board):
    centre, board, *_ = centre_and_board
    province = Agency.objects.create(name="Văn phòng UBND tỉnh", short_name="VP", code="H15", level=AgencyLevel.PROVINCE)
    agency_place(actor=SYSTEM, agency=board, parent=province)
    board.refresh_from_db()
    assert board.parent == province and AuditLog.objects.filter(action="agency.place").count() == 1
    with pytest.raises(ValidationFailed):
        agency_place(actor=SYSTEM, agency=province, parent=board)
    with pytest.raises(ValidationFailed):
        agency_place(actor=SYSTEM, agency=board, parent=board)
    with pytest.raises(ValidationFailed):
        agency_place(actor=SYSTEM, agency=board, parent=province, level="galaxy")
    province.refresh_from_db()
    assert province.parent_id is None and AuditLog.objects.filter(action="agency.place").count() == 1


def test_the_admin_adds_and_removes_secondments_through_the_services(client, centre_and_board):
    from motcua.core.models import User

    centre, board, officer, board_officer = centre_and_board
    client.force_login(User.objects.create_superuser("root", "root@example.vn", "pw-root-12345"))
    refused = client.post("/admin/core/secondment/add/", {"user": board_officer.pk, "agency": centre.pk})
    assert refused.status_code == 200 and "Chỉ cán bộ của Trung tâm" in refused.content.decode()
    assert not Secondment.objects.exists()
    added = client.post("/admin/core/secondment/add/", {"user": officer.pk, "agency": board.pk})
    assert added.status_code == 302
    row = Secondment.objects.get()
    assert AuditLog.objects.filter(action="secondment.add", object_id=str(row.pk)).count() == 1
    client.post(f"/admin/core/secondment/{row.pk}/delete/", {"post": "yes"})
    assert not Secondment.objects.exists()
    assert AuditLog.objects.filter(action="secondment.remove").count() == 1
