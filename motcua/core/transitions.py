"""One way to write a state machine: who may take a transition, and from which states.

Every service that changes a record's state names its actor explicitly:

- a staff member: the signed-in `User` (desk pages, the API);
- an `Applicant`: a member of the public who proved who they are (`via`: "lookup" = dossier code and
  its secret, "draft" = a draft token, "oidc" = a national identity sign-in; "unverified" = a public
  form that asks for no proof, as the PAKN form and Open311: it may create a record, never act on one);
- `SYSTEM`: the software itself (demo loaders, management commands, generators, workers), never an
  HTTP request.

`None` is not an actor: `require_actor` refuses it (TypeError), so a caller that forgets to say who
acts fails loudly instead of skipping every check.

A `StateMachine` maps transition names to `Transition`s (allowed-from states, staff roles, whether an
applicant may take it). `ensure` checks the actor first (403), then the state (409); the domain's own
checks (tenancy, the open step's unit) stay in each app and run after it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext

from .errors import PermissionDeniedError, TransitionNotAllowed
from .models import User
from .roles import user_has_role


@dataclass(frozen=True)
class Applicant:
    """A member of the public acting on their own record. `via`: how they proved who they are."""

    via: str
    personal_id: str = ""

    VIAS = frozenset({"lookup", "draft", "oidc", "unverified"})

    def __post_init__(self) -> None:
        if self.via not in self.VIAS:
            raise ValueError(f"Unknown applicant proof {self.via!r}; expected one of {sorted(self.VIAS)}")

    def describe(self) -> str:
        return f"applicant:{self.via}"

    @property
    def proven(self) -> bool:
        """False for "unverified": such an applicant may create a record (a PAKN), never take a transition."""
        return self.via != "unverified"


class System:
    """The software itself. Use the one instance, SYSTEM; never pass it from an HTTP request."""

    _instance: System | None = None

    def __new__(cls) -> System:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SYSTEM"

    def describe(self) -> str:
        return "system"


SYSTEM: Final = System()

Actor = User | Applicant | System


def require_actor(actor: object) -> Actor:
    """Return the actor, or raise TypeError for None or anything that is not one of the three kinds."""
    if isinstance(actor, User | Applicant | System):
        return actor
    raise TypeError(f"An explicit actor is required (a User, an Applicant or SYSTEM), not {actor!r}")


@dataclass(frozen=True)
class Transition:
    """From which states the transition may be taken, by which staff roles, and whether an applicant
    may take it (on their own record: the caller has checked that the applicant proved it is theirs)."""

    sources: frozenset
    roles: tuple[str, ...] = ()
    applicant: bool = False
    label: str | Promise = ""


class StateMachine:
    """The transitions of one kind of record. `state_label(state)` names a state for messages;
    `subject` names the record ("hồ sơ", "phản ánh", ...)."""

    def __init__(
        self, transitions: Mapping[Hashable, Transition], state_label: Callable[[str], str], *, subject: str | Promise
    ) -> None:
        self.transitions = dict(transitions)
        self.state_label = state_label
        self.subject = subject

    def __getitem__(self, name: Hashable) -> Transition:
        return self.transitions[name]

    def __iter__(self):
        return iter(self.transitions)

    def label(self, name: Hashable) -> str:
        return str(self.transitions[name].label or name)

    def may(self, name: Hashable, actor: Actor) -> bool:
        """Whether this actor may take the transition at all (in some state)."""
        transition = self.transitions[name]
        require_actor(actor)
        if isinstance(actor, System):
            return True
        if isinstance(actor, Applicant):
            return transition.applicant and actor.proven
        return bool(transition.roles) and user_has_role(actor, *transition.roles)

    def ensure(self, name: Hashable, state: str, actor: Actor) -> Transition:
        """Raise PermissionDeniedError (403) when the actor may not take the transition, then
        TransitionNotAllowed (409) when the state is not one it starts from; return the transition."""
        transition = self.transitions[name]
        if not self.may(name, actor):
            if isinstance(actor, Applicant):
                message = gettext("Thao tác “%(action)s” chỉ do cán bộ thực hiện.")
            else:
                message = gettext("Vai trò của bạn không được thực hiện thao tác “%(action)s”.")
            raise PermissionDeniedError(message % {"action": self.label(name)})
        if state not in transition.sources:
            raise TransitionNotAllowed(
                gettext("Không thể “%(action)s” khi %(subject)s đang ở trạng thái “%(state)s”.")
                % {"action": self.label(name), "subject": self.subject, "state": self.state_label(state)},
                code="transition_not_allowed",
            )
        return transition

    def allowed(self, state: str, actor: Actor) -> list:
        """The transitions this actor may take from `state`, in the table's order."""
        require_actor(actor)
        return [name for name, transition in self.transitions.items() if state in transition.sources and self.may(name, actor)]
