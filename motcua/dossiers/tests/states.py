"""Drive a dossier into any status through the services (shared by the state-machine tests)."""

from datetime import timedelta

from motcua.dossiers.machine import Action
from motcua.dossiers.models import Status
from motcua.dossiers.transitions import (
    dossier_decide,
    dossier_forward,
    dossier_refuse,
    dossier_request_supplement,
    dossier_require_payment,
    dossier_return_result,
    dossier_stop,
    dossier_withdraw,
)

from .factories import World, receive


def dossier_in(world: World, status: str):
    boss = world.boss
    if status == Status.SUBMITTED:
        return receive(world, channel="online")
    d = receive(world, channel="counter")
    if status == Status.ACCEPTED:
        return d
    if status == Status.REFUSED:
        return dossier_refuse(dossier=d, actor=boss, reason="Không thuộc thẩm quyền")
    if status == Status.WITHDRAWN:
        return dossier_withdraw(dossier=d, actor=boss, reason="Người nộp đề nghị rút")
    if status == Status.STOPPED:
        return dossier_stop(dossier=d, actor=boss, reason="Dừng theo yêu cầu của cơ quan có thẩm quyền")
    d = dossier_forward(dossier=d, actor=boss)
    if status == Status.PROCESSING:
        return d
    if status == Status.SUPPLEMENT_REQUESTED:
        return dossier_request_supplement(dossier=d, actor=boss, items=["Bản sao giấy phép"])
    if status == Status.PAYMENT_REQUIRED:
        return dossier_require_payment(dossier=d, actor=boss)
    d = dossier_decide(dossier=d, actor=boss, outcome="approved")
    if status == Status.DECIDED:
        return d
    if status == Status.RETURNED:
        return dossier_return_result(dossier=d, actor=boss)
    raise AssertionError(status)


def valid_arguments(action: str, dossier) -> dict:
    """Arguments with which the action succeeds whenever its state and role allow it."""
    return {
        Action.REFUSE: {"reason": "Hồ sơ không thuộc thẩm quyền"},
        Action.REQUEST_SUPPLEMENT: {"items": ["Bản sao giấy chứng nhận"]},
        Action.DECIDE: {"outcome": "approved"},
        Action.EXTEND: {
            "reason": "Cần lấy ý kiến sở ngành",
            "new_due_at": (dossier.due_at or dossier.received_at) + timedelta(days=7),
        },
        Action.WITHDRAW: {"reason": "Người nộp đề nghị rút"},
        Action.STOP: {"reason": "Dừng xử lý"},
    }.get(action, {})


# Status a successful action leaves the dossier in (None: unchanged).
EXPECTED = {
    Action.ACCEPT: Status.ACCEPTED,
    Action.REFUSE: Status.REFUSED,
    Action.REQUEST_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    Action.RECEIVE_SUPPLEMENT: "resume",
    Action.REQUIRE_PAYMENT: Status.PAYMENT_REQUIRED,
    Action.CONFIRM_PAYMENT: "resume",
    Action.FORWARD: Status.PROCESSING,
    Action.RETURN_TO_STEP: Status.PROCESSING,
    Action.DECIDE: Status.DECIDED,
    Action.EXTEND: None,
    Action.RETURN_RESULT: Status.RETURNED,
    Action.WITHDRAW: Status.WITHDRAWN,
    Action.STOP: Status.STOPPED,
}
