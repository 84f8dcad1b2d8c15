"""Who may move a dossier: every service names its actor (a staff User, an Applicant who proved the dossier
is theirs, or SYSTEM); None is refused before anything is read or written, an applicant takes only the
actions the machine opens to applicants (sending the additions asked for, withdrawing a dossier without a
decision, submitting online), and the
timeline and the audit log say who acted."""

import pytest

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import AuditLog
from motcua.core.transitions import SYSTEM, Applicant
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.machine import MACHINE, Action, actions_allowed
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.transitions import SERVICES

from .factories import APPLICANT, World, receive
from .states import dossier_in, valid_arguments

pytestmark = pytest.mark.django_db

APPLICANT_ACTOR = Applicant(via="lookup")
STAFF_ONLY = [action for action in Action if not MACHINE[action].applicant]


def _unchanged(dossier, audit_count):
    row = Dossier.objects.get(pk=dossier.pk)
    return row.status == dossier.status and row.updated_at == dossier.updated_at and AuditLog.objects.count() == audit_count


def test_the_applicant_may_only_send_the_additions_asked_for_and_withdraw():
    assert [action for action in Action if MACHINE[action].applicant] == [Action.RECEIVE_SUPPLEMENT, Action.WITHDRAW]


def _refused_in_a_state_it_starts_from(action, actor, error):
    """The action, by `actor`, on a dossier in a state the action starts from: `error`, and nothing changed."""
    dossier = dossier_in(World(), sorted(MACHINE[action].sources)[0])
    count = AuditLog.objects.count()
    with pytest.raises(error):
        SERVICES[action](dossier=dossier, actor=actor, **valid_arguments(action, dossier))
    assert _unchanged(dossier, count)


@pytest.mark.parametrize("action", list(Action))
def test_a_transition_without_an_actor_is_refused_and_changes_nothing(action):
    _refused_in_a_state_it_starts_from(action, None, TypeError)


@pytest.mark.parametrize("action", STAFF_ONLY)
def test_an_applicant_cannot_take_a_staff_action(action):
    _refused_in_a_state_it_starts_from(action, APPLICANT_ACTOR, PermissionDeniedError)


def test_an_applicant_sends_the_additions_and_the_log_names_the_applicant():
    world = World()
    dossier = dossier_in(world, Status.SUPPLEMENT_REQUESTED)
    assert actions_allowed(dossier, APPLICANT_ACTOR) == [Action.RECEIVE_SUPPLEMENT, Action.WITHDRAW]
    SERVICES[Action.RECEIVE_SUPPLEMENT](dossier=dossier, actor=APPLICANT_ACTOR, note="Gửi bổ sung")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert event.action == Action.RECEIVE_SUPPLEMENT and event.actor is None
    entry = AuditLog.objects.latest("id")
    assert (entry.action, entry.actor_id, entry.actor_repr) == ("dossier.receive_supplement", None, "applicant:lookup")


def test_an_applicant_may_withdraw_before_the_decision_and_do_nothing_after():
    world = World()
    for status in (Status.SUBMITTED, Status.ACCEPTED, Status.PROCESSING, Status.PAYMENT_REQUIRED):
        assert actions_allowed(dossier_in(world, status), APPLICANT_ACTOR) == [Action.WITHDRAW], status
    for status in (Status.DECIDED, Status.RETURNED):
        assert actions_allowed(dossier_in(world, status), APPLICANT_ACTOR) == [], status


def test_an_applicant_withdraws_with_a_reason_and_the_log_names_the_applicant():
    from motcua.core.errors import ValidationFailed

    dossier = dossier_in(World(), Status.PROCESSING)
    with pytest.raises(ValidationFailed):
        SERVICES[Action.WITHDRAW](dossier=dossier, actor=Applicant(via="oidc", personal_id="001090012345"), reason="  ")
    SERVICES[Action.WITHDRAW](dossier=dossier, actor=Applicant(via="oidc", personal_id="001090012345"), reason="Nộp nhầm")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome_note) == (Status.WITHDRAWN, "Nộp nhầm")
    entry = AuditLog.objects.latest("id")
    assert (entry.action, entry.actor_id, entry.actor_repr) == ("dossier.withdraw", None, "applicant:oidc")


def test_the_system_takes_an_action_without_a_role_and_the_log_says_so():
    world = World()
    dossier = receive(world, channel="online")
    SERVICES[Action.ACCEPT](dossier=dossier, actor=SYSTEM)
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert DossierEvent.objects.filter(dossier=dossier).latest("id").actor is None
    assert AuditLog.objects.latest("id").actor_repr == "system"


def test_an_intake_without_an_actor_is_refused():
    world = World()
    with pytest.raises(TypeError):
        dossier_receive(actor=None, procedure_code=world.code, channel="online", applicant=dict(APPLICANT))
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("channel", ["counter", "postal"])
def test_an_applicant_submits_online_only(channel):
    world = World()
    with pytest.raises(PermissionDeniedError):
        receive(world, channel=channel, actor=Applicant(via="draft"))
    assert not Dossier.objects.exists()


def test_an_applicant_submission_arrives_as_newly_submitted_and_names_no_officer():
    world = World()
    dossier = receive(world, channel="online", actor=Applicant(via="draft"), idempotency_key="k-1")
    assert dossier.status == Status.SUBMITTED and dossier.created_by is None
    assert dossier.idempotency_key == ""  # keys are kept per staff member only
    entry = AuditLog.objects.latest("id")
    assert (entry.action, entry.actor_repr) == ("dossier.receive", "applicant:draft")
