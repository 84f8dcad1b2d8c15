"""The tenancy policy (core.tenancy): staff read and act for their own agency, the province supervisor reads
every agency and acts for none but its own, a superuser reads and acts for all; `?agency=` is honoured only
inside the scope."""

import pytest

from motcua.core.errors import NotFoundError, PermissionDeniedError
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.services import agency_create, unit_create
from motcua.core.tenancy import agency_for, ensure_can_act, ensure_can_read, scope_for
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    a = agency_create(actor=SYSTEM, name="Ban A", short_name="BA", code="A00.01")
    b = agency_create(actor=SYSTEM, name="Sở B", short_name="SB", code="B00.01")
    ua = unit_create(actor=SYSTEM, agency=a, name="Văn phòng A", short_name="VP")
    ub = unit_create(actor=SYSTEM, agency=b, name="Văn phòng B", short_name="VP")
    return a, b, ua, ub


def test_staff_read_and_act_only_for_their_own_agency(two):
    a, b, ua, ub = two
    user = make_staff("cb-b", Role.LEADER, unit=ub)
    scope = scope_for(user)
    assert scope.can_read(b.pk) and scope.can_act(b.pk)
    assert not scope.can_read(a.pk) and not scope.can_act(a.pk)
    assert list(scope.readable(Unit.objects.all())) == [ub]
    assert list(scope.actionable(Agency.objects.all(), field="pk")) == [b]
    assert agency_for(user) == b
    with pytest.raises(NotFoundError):
        agency_for(user, "BA")
    with pytest.raises(NotFoundError):
        agency_for(user, str(a.pk))
    with pytest.raises(NotFoundError):
        ensure_can_read(user, a.pk)
    with pytest.raises(NotFoundError):
        ensure_can_act(user, a.pk)
    assert agency_for(user, "B00.01", act=True) == b


def test_province_supervisor_reads_every_agency_and_acts_for_none_but_its_own(two):
    a, b, ua, ub = two
    plain = make_staff("tinh", Role.PROVINCE_SUPERVISOR)
    scope = scope_for(plain)
    assert scope.read_all and scope.can_read(a.pk) and scope.can_read(b.pk)
    assert not scope.can_act(a.pk) and not scope.can_act(b.pk)
    assert set(scope.readable(Agency.objects.all(), field="pk")) == {a, b}
    assert not scope.actionable(Agency.objects.all(), field="pk").exists()
    assert agency_for(plain, "BA") == a
    with pytest.raises(PermissionDeniedError):
        agency_for(plain, "BA", act=True)
    with pytest.raises(PermissionDeniedError):
        ensure_can_act(plain, a.pk)
    assert agency_for(plain, act=True) is None
    of_b = make_staff("tinh-b", Role.PROVINCE_SUPERVISOR, unit=ub)
    assert scope_for(of_b).can_act(b.pk) and not scope_for(of_b).can_act(a.pk)
    assert agency_for(of_b) == b and agency_for(of_b, "BA") == a


def test_superuser_reads_and_acts_for_every_agency(two):
    a, b, ua, ub = two
    root = make_staff("root")
    root.is_superuser = True
    root.save()
    scope = scope_for(root)
    assert scope.can_act(a.pk) and scope.can_act(b.pk) and scope.can_read(None)
    assert agency_for(root, "SB", act=True) == b
    assert agency_for(root, act=True) == a  # the installation's first agency


def test_anonymous_and_unknown_agency(two):
    from django.contrib.auth.models import AnonymousUser

    a, b, ua, ub = two
    assert not scope_for(AnonymousUser()).can_read(a.pk)
    user = make_staff("cb-a", Role.SPECIALIST, unit=ua)
    with pytest.raises(NotFoundError):
        agency_for(user, "KHONG-CO")
    assert agency_for(user, "") == a
