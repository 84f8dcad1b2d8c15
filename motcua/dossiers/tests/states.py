"""Drive a dossier into any status through the services (shared by the state-machine tests)."""

from datetime import timedelta

from motcua.dossiers import services as s
from motcua.dossiers.models import Status

from .factories import World, receive


def dossier_in(world: World, status: str):
    boss = world.boss
    if status == Status.SUBMITTED:
        return receive(world, channel="online")
    d = receive(world, channel="counter")
    if status == Status.ACCEPTED:
        return d
    if status == Status.REFUSED:
        return s.dossier_refuse(dossier=d, actor=boss, reason="Không thuộc thẩm quyền")
    if status == Status.WITHDRAWN:
        return s.dossier_withdraw(dossier=d, actor=boss, reason="Người nộp đề nghị rút")
    if status == Status.STOPPED:
        return s.dossier_stop(dossier=d, actor=boss, reason="Dừng theo yêu cầu của cơ quan có thẩm quyền")
    d = s.dossier_forward(dossier=d, actor=boss)
    if status == Status.PROCESSING:
        return d
    if status == Status.SUPPLEMENT_REQUESTED:
        return s.dossier_request_supplement(dossier=d, actor=boss, items=["Bản sao giấy phép"])
    if status == Status.PAYMENT_REQUIRED:
        return s.dossier_require_payment(dossier=d, actor=boss)
    d = s.dossier_decide(dossier=d, actor=boss, outcome="approved")
    if status == Status.DECIDED:
        return d
    if status == Status.RETURNED:
        return s.dossier_return_result(dossier=d, actor=boss)
    raise AssertionError(status)


def valid_arguments(action: str, dossier) -> dict:
    """Arguments with which the action succeeds whenever its state and role allow it."""
    return {
        s.Action.REFUSE: {"reason": "Hồ sơ không thuộc thẩm quyền"},
        s.Action.REQUEST_SUPPLEMENT: {"items": ["Bản sao giấy chứng nhận"]},
        s.Action.DECIDE: {"outcome": "approved"},
        s.Action.EXTEND: {"reason": "Cần lấy ý kiến sở ngành",
                          "new_due_at": (dossier.due_at or dossier.received_at) + timedelta(days=7)},
        s.Action.WITHDRAW: {"reason": "Người nộp đề nghị rút"},
        s.Action.STOP: {"reason": "Dừng xử lý"},
    }.get(action, {})


# Status a successful action leaves the dossier in (None: unchanged).
EXPECTED = {
    s.Action.ACCEPT: Status.ACCEPTED,
    s.Action.REFUSE: Status.REFUSED,
    s.Action.REQUEST_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    s.Action.RECEIVE_SUPPLEMENT: "resume",
    s.Action.REQUIRE_PAYMENT: Status.PAYMENT_REQUIRED,
    s.Action.CONFIRM_PAYMENT: "resume",
    s.Action.FORWARD: Status.PROCESSING,
    s.Action.RETURN_TO_STEP: Status.PROCESSING,
    s.Action.DECIDE: Status.DECIDED,
    s.Action.EXTEND: None,
    s.Action.RETURN_RESULT: Status.RETURNED,
    s.Action.WITHDRAW: Status.WITHDRAWN,
    s.Action.STOP: Status.STOPPED,
}
