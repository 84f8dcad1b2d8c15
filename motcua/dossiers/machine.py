"""The dossier state machine, in one place: which action may be taken from which states, by which
staff roles, and whether the applicant may take it (core.transitions); then the desk's own checks —
the acting agency (core.tenancy) and the open internal step's unit.

Checks run in this order: the actor (403), the state (409), the acting agency and the step's unit (403).
Nothing here writes; the services in dossiers.transitions call `ensure_allowed` under the row lock."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import User
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import scope_for
from motcua.core.transitions import Actor, StateMachine, Transition, require_actor

from .models import Dossier, DossierStep, Status


class Action(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    REQUIRE_PAYMENT = "require_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    FORWARD = "forward"
    RETURN_TO_STEP = "return_to_step"
    DECIDE = "decide"
    EXTEND = "extend"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"


def _status_label(state: str) -> str:
    return Status(state).label


S, R = Status, Role
# Applicants take two actions themselves (the portal, after proving the dossier is theirs with its code and
# ID number or secret, or signed in with the identity provider): sending the additions asked for, and
# withdrawing a dossier that has no decision yet (with a reason). The desk also records a withdrawal asked for
# in person.
MACHINE = StateMachine(
    {
        Action.ACCEPT: Transition(frozenset({S.SUBMITTED}), (R.ONE_STOP_OFFICER,), label=_("Tiếp nhận")),
        Action.REFUSE: Transition(
            frozenset({S.SUBMITTED, S.ACCEPTED}), (R.ONE_STOP_OFFICER, R.LEADER), label=_("Từ chối tiếp nhận")
        ),
        Action.REQUEST_SUPPLEMENT: Transition(
            frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING}),
            (R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER),
            label=_("Yêu cầu bổ sung"),
        ),
        Action.RECEIVE_SUPPLEMENT: Transition(
            frozenset({S.SUPPLEMENT_REQUESTED}), (R.ONE_STOP_OFFICER,), applicant=True, label=_("Nhận hồ sơ bổ sung")
        ),
        Action.REQUIRE_PAYMENT: Transition(
            frozenset({S.ACCEPTED, S.PROCESSING}), (R.ONE_STOP_OFFICER, R.SPECIALIST), label=_("Yêu cầu nghĩa vụ tài chính")
        ),
        Action.CONFIRM_PAYMENT: Transition(
            frozenset({S.PAYMENT_REQUIRED}), (R.ONE_STOP_OFFICER,), label=_("Xác nhận đã nộp phí")
        ),
        Action.FORWARD: Transition(
            frozenset({S.ACCEPTED, S.PROCESSING}), (R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER), label=_("Chuyển bước tiếp theo")
        ),
        Action.RETURN_TO_STEP: Transition(frozenset({S.PROCESSING}), (R.SPECIALIST, R.LEADER), label=_("Trả lại bước trước")),
        Action.DECIDE: Transition(frozenset({S.ACCEPTED, S.PROCESSING}), (R.LEADER,), label=_("Phê duyệt kết quả")),
        Action.EXTEND: Transition(frozenset({S.ACCEPTED, S.PROCESSING}), (R.LEADER,), label=_("Xin lỗi và gia hạn")),
        Action.RETURN_RESULT: Transition(frozenset({S.DECIDED}), (R.ONE_STOP_OFFICER,), label=_("Trả kết quả")),
        Action.WITHDRAW: Transition(
            frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUIRED}),
            (R.ONE_STOP_OFFICER,),
            applicant=True,
            label=_("Rút hồ sơ (theo đề nghị)"),
        ),
        Action.STOP: Transition(
            frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUIRED}), (R.LEADER,), label=_("Dừng xử lý")
        ),
    },
    _status_label,
    subject=_("hồ sơ"),
)
del S, R

ACTION_LABELS = {action: transition.label for action, transition in MACHINE.transitions.items()}

# Actions that work on the open internal step: taken by the step's unit, or by a leader (of the
# dossier's agency, checked with the agency in ensure_allowed); 403 for anyone else.
STEP_ACTIONS = frozenset({Action.FORWARD, Action.RETURN_TO_STEP, Action.REQUEST_SUPPLEMENT, Action.REQUIRE_PAYMENT})

# Inter-agency dossiers (liên thông): these actions belong to the agency holding the open step (a step
# of another agency is forwarded, sent back, paused or decided by that agency only); every other action
# is the desk's, done for the dossier's agency (the deciding agency that received it).
STEP_OWNED_ACTIONS = STEP_ACTIONS | {Action.DECIDE}


def may_act_on_step(step: DossierStep | None, actor: Actor) -> bool:
    """A step is acted on by its unit and by the leaders above it; a step without a unit, by its
    assignee when it has one, else by any staff member of the agency. Only staff are asked: the
    machine lets no applicant take a step action, and the system takes any."""
    if not isinstance(require_actor(actor), User) or step is None or user_has_role(actor, Role.LEADER, Role.ADMINISTRATOR):
        return True
    if step.unit_id is not None:
        return actor.unit_id == step.unit_id
    return step.assignee_id is None or step.assignee_id == actor.pk


def ensure_may_act_on_step(step: DossierStep | None, action: Action, actor: Actor) -> None:
    if action in STEP_ACTIONS and not may_act_on_step(step, actor):
        unit = step.unit.name if step.unit_id else gettext("cán bộ được giao")
        raise PermissionDeniedError(
            gettext("Bước “%(step)s” do %(unit)s xử lý; bạn không được thực hiện thao tác “%(action)s”.")
            % {"step": step.name, "unit": unit, "action": ACTION_LABELS[action]}
        )


def acting_agency_id(dossier: Dossier, action: Action, step: DossierStep | None) -> int:
    """The agency on whose behalf `action` is taken: the open step's agency for step-owned actions,
    else the dossier's."""
    if action in STEP_OWNED_ACTIONS and step is not None and step.agency_id is not None:
        return step.agency_id
    return dossier.agency_id


def may_act_for(actor: Actor, agency_id: int) -> bool:
    """The tenancy policy (core.tenancy) decides whether a staff member acts for the agency. An applicant
    acts on their own dossier (the caller checked it is theirs); the system acts for every agency."""
    return not isinstance(require_actor(actor), User) or scope_for(actor).can_act(agency_id)


def open_step_read(dossier: Dossier) -> DossierStep | None:
    return DossierStep.objects.select_related("unit").filter(dossier=dossier, handed_over_at__isnull=True).first()


def actions_allowed(dossier: Dossier, actor: Actor) -> list[Action]:
    """The actions the actor may take on the dossier now (for the dossier page)."""
    allowed = MACHINE.allowed(dossier.status, actor)
    step = open_step_read(dossier) if allowed else None
    if STEP_ACTIONS.intersection(allowed) and not may_act_on_step(step, actor):
        allowed = [a for a in allowed if a not in STEP_ACTIONS]
    return [a for a in allowed if may_act_for(actor, acting_agency_id(dossier, a, step))]


def ensure_allowed(dossier: Dossier, action: Action, actor: Actor, step: DossierStep | None = None) -> None:
    """Raise PermissionDeniedError (403) or TransitionNotAllowed (409); TypeError without an actor.
    `step`: the open step (read by the caller) for the actions its agency owns."""
    MACHINE.ensure(action, dossier.status, actor)
    agency_id = acting_agency_id(dossier, action, step)
    if not may_act_for(actor, agency_id):
        if agency_id != dossier.agency_id:
            raise PermissionDeniedError(
                gettext("Bước đang xử lý thuộc cơ quan khác (liên thông); cơ quan của bạn chỉ xử lý các bước của mình.")
            )
        raise PermissionDeniedError(gettext("Hồ sơ thuộc cơ quan khác."))
