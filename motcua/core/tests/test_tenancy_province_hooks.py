"""The tenancy policy's province hooks: a service-centre officer acts for (and reads) the agencies they
are seconded to, and only those; the leaders of a parent agency read the agencies below it but act only
for their own; other staff of the parent read only their own agency."""

import pytest

from motcua.core.models import Agency, AgencyLevel, Unit
from motcua.core.roles import Role
from motcua.core.services import secondment_add
from motcua.core.tenancy import forget_scope, scope_for
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db


def _agency(name, short, code, **extra):
    return Agency.objects.create(name=name, short_name=short, code=code, **extra)


def test_a_seconded_officer_acts_for_the_agencies_seconded_to():
    centre = _agency("Trung tâm Phục vụ hành chính công tỉnh", "TT", "H15.60", is_service_centre=True)
    board = _agency("Ban Quản lý Khu kinh tế tỉnh", "BQL", "H15.50")
    dept = _agency("Sở Tài chính", "STC", "H15.12")
    officer = make_staff(
        "tt-1", Role.ONE_STOP_OFFICER, unit=Unit.objects.create(agency=centre, name="Tiếp nhận", short_name="TN")
    )
    assert not scope_for(officer).can_act(board.pk)
    secondment_add(actor=SYSTEM, user=officer, agency=board)
    forget_scope(officer)
    scope = scope_for(officer)
    assert scope.can_act(board.pk) and scope.can_read(board.pk) and scope.can_act(centre.pk)
    assert not scope.can_act(dept.pk) and not scope.can_read(dept.pk)


def test_leaders_of_a_parent_agency_read_the_agencies_below_and_act_for_their_own():
    province = _agency("Văn phòng UBND tỉnh", "VP", "H15", level=AgencyLevel.PROVINCE)
    dept = _agency("Sở Tài chính", "STC", "H15.12", parent=province)
    commune = _agency("UBND xã Thạch Lạc", "XTL", "H15.40.01", parent=dept, level=AgencyLevel.COMMUNE)
    other = _agency("Ban Quản lý Khu kinh tế tỉnh khác", "BQLK", "H99.50")
    unit = Unit.objects.create(agency=dept, name="Lãnh đạo Sở", short_name="LDS")
    leader = make_staff("stc-ld", Role.LEADER, unit=unit)
    specialist = make_staff("stc-cv", Role.SPECIALIST, unit=unit)
    scope = scope_for(leader)
    assert scope.can_read(commune.pk) and scope.can_read(dept.pk)
    assert not scope.can_act(commune.pk) and scope.can_act(dept.pk)
    assert not scope.can_read(province.pk) and not scope.can_read(other.pk)
    assert not scope_for(specialist).can_read(commune.pk)
