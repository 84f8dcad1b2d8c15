"""The transition helper (core.transitions): every state change names its actor — a staff User, an
Applicant who proved who they are, or SYSTEM — and is checked for that actor before its state."""

import pytest

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.services import audit_record
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM, Applicant, StateMachine, System, Transition, require_actor

LABELS = {"open": "Đang mở", "closed": "Đã đóng"}

MACHINE = StateMachine(
    {
        "close": Transition(frozenset({"open"}), (Role.LEADER,), label="Đóng"),
        "comment": Transition(frozenset({"open"}), (Role.SPECIALIST,), applicant=True, label="Góp ý"),
        "reopen": Transition(frozenset({"closed"}), (Role.LEADER,), label="Mở lại"),
    },
    LABELS.__getitem__,
    subject="phiếu",
)


@pytest.mark.parametrize("not_an_actor", [None, "system", 0, object()])
def test_none_or_anything_else_is_not_an_actor(not_an_actor):
    with pytest.raises(TypeError):
        require_actor(not_an_actor)
    with pytest.raises(TypeError):
        MACHINE.ensure("close", "open", not_an_actor)
    with pytest.raises(TypeError):
        MACHINE.allowed("open", not_an_actor)


def test_system_is_one_instance_and_passes_the_actor_check():
    assert System() is SYSTEM
    assert MACHINE.ensure("close", "open", SYSTEM).label == "Đóng"
    assert MACHINE.allowed("open", SYSTEM) == ["close", "comment"]


def test_an_applicant_proves_who_they_are_by_a_known_means():
    assert Applicant(via="lookup").via == "lookup"
    with pytest.raises(ValueError):
        Applicant(via="trust me")


@pytest.mark.django_db
def test_staff_without_one_of_the_roles_is_refused_with_403_before_the_state_is_looked_at():
    specialist = make_staff("chuyenvien", Role.SPECIALIST)
    with pytest.raises(PermissionDeniedError) as refused:
        MACHINE.ensure("close", "closed", specialist)
    assert refused.value.status_code == 403
    assert "Đóng" in refused.value.message
    assert MACHINE.ensure("comment", "open", specialist).label == "Góp ý"


def test_an_applicant_takes_only_the_transitions_open_to_applicants():
    applicant = Applicant(via="lookup")
    with pytest.raises(PermissionDeniedError) as refused:
        MACHINE.ensure("close", "open", applicant)
    assert refused.value.message == "Thao tác “Đóng” chỉ do cán bộ thực hiện."
    assert MACHINE.ensure("comment", "open", applicant).label == "Góp ý"
    assert MACHINE.allowed("open", applicant) == ["comment"]
    assert MACHINE.allowed("closed", applicant) == []


@pytest.mark.django_db
def test_a_state_outside_the_sources_is_409_naming_the_action_the_record_and_the_state():
    leader = make_staff("lanhdao", Role.LEADER)
    for actor in (leader, SYSTEM):
        with pytest.raises(TransitionNotAllowed) as refused:
            MACHINE.ensure("reopen", "open", actor)
        assert refused.value.status_code == 409
        assert refused.value.code == "transition_not_allowed"
        assert refused.value.message == "Không thể “Mở lại” khi phiếu đang ở trạng thái “Đang mở”."


@pytest.mark.django_db
def test_allowed_lists_the_transitions_of_the_actors_roles_from_the_state():
    leader = make_staff("lanhdao", Role.LEADER)
    admin = make_staff("quantri", Role.ADMINISTRATOR)
    assert MACHINE.allowed("open", leader) == ["close"]
    assert MACHINE.allowed("closed", leader) == ["reopen"]
    assert MACHINE.allowed("open", admin) == ["close", "comment"]


@pytest.mark.django_db
def test_the_audit_log_names_each_kind_of_actor():
    leader = make_staff("lanhdao", Role.LEADER)
    by_staff = audit_record(actor=leader, action="test.staff", object_type="x", object_id="1")
    by_applicant = audit_record(
        actor=Applicant(via="lookup", personal_id="001099000001"), action="test.applicant", object_type="x", object_id="1"
    )
    by_system = audit_record(actor=SYSTEM, action="test.system", object_type="x", object_id="1")
    rows = {row.action: (row.actor_id, row.actor_repr) for row in AuditLog.objects.filter(action__startswith="test.")}
    assert rows == {
        "test.staff": (leader.pk, "lanhdao"),
        "test.applicant": (None, "applicant:lookup"),
        "test.system": (None, "system"),
    }
    assert by_staff.hash != by_applicant.hash != by_system.hash


@pytest.mark.django_db
@pytest.mark.parametrize("not_an_actor", [None, "system", object()])
def test_the_audit_log_refuses_an_entry_without_a_known_actor(not_an_actor):
    before = AuditLog.objects.count()
    with pytest.raises(TypeError):
        audit_record(actor=not_an_actor, action="test.nobody", object_type="x", object_id="1")
    assert AuditLog.objects.count() == before
