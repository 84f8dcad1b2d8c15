"""The state machine: every (action, status) pair of the transition table, through the services and
through the API. Allowed → the expected status; not allowed → 409 and nothing changed."""

import pytest
from django.forms.models import model_to_dict

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.dossiers.machine import MACHINE, Action
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Pause, Status
from motcua.dossiers.transitions import SERVICES, dossier_decide
from motcua.notifications.models import Message

from .factories import World
from .states import EXPECTED, dossier_in, valid_arguments

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(action, status, status in MACHINE.transitions[action].sources, id=f"{action}-from-{status}")
    for action in Action
    for status in Status
]


def snapshot(dossier: Dossier) -> dict:
    d = Dossier.objects.get(pk=dossier.pk)
    row = model_to_dict(d)
    row["result_file"] = str(row.get("result_file"))
    return {
        "row": row,
        "updated_at": d.updated_at,
        "steps": list(DossierStep.objects.filter(dossier=d).values()),
        "pauses": list(Pause.objects.filter(dossier=d).values()),
        "events": DossierEvent.objects.filter(dossier=d).count(),
        "notifications": Message.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk)).count(),
        "audit": AuditLog.objects.count(),
    }


def test_the_table_covers_every_action_and_every_action_has_a_service():
    assert set(MACHINE.transitions) == set(Action) == set(SERVICES)
    reachable = set().union(*(r.sources for r in MACHINE.transitions.values()))
    # Terminal states allow nothing: refused, withdrawn, stopped, returned.
    assert set(Status) - reachable == {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}


@pytest.mark.parametrize(("action", "status", "allowed"), CASES)
def test_transition_through_the_service(action, status, allowed):
    world = World()
    dossier = dossier_in(world, status)
    assert dossier.status == status
    before = snapshot(dossier)
    call = SERVICES[action]
    if allowed:
        result = call(dossier=dossier, actor=world.boss, **valid_arguments(action, dossier))
        result.refresh_from_db()
        expected = EXPECTED[action]
        if expected is None:
            assert result.status == status
        elif expected == "resume":
            assert result.status in (Status.PROCESSING, Status.ACCEPTED, Status.SUBMITTED)
            assert not Pause.objects.filter(dossier=result, ended_at__isnull=True).exists()
        else:
            assert result.status == expected
        assert AuditLog.objects.filter(action=f"dossier.{action}", object_id=str(dossier.pk)).exists()
        events = DossierEvent.objects.filter(dossier=dossier).order_by("-id")
        assert events.count() == before["events"] + 1
        assert events.first().action == action
    else:
        with pytest.raises(TransitionNotAllowed):
            call(dossier=dossier, actor=world.boss, **valid_arguments(action, dossier))
        assert snapshot(dossier) == before


@pytest.mark.parametrize(("action", "status", "allowed"), CASES)
def test_transition_through_the_api(client, action, status, allowed):
    world = World()
    dossier = dossier_in(world, status)
    before = snapshot(dossier)
    client.force_login(world.boss)
    args = valid_arguments(action, dossier)
    if "new_due_at" in args:
        args["new_due_at"] = args["new_due_at"].isoformat()
    response = client.post(f"/api/v1/dossiers/{dossier.code}/actions/{action}/", args, content_type="application/json")
    if allowed:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["code"] == dossier.code
        dossier.refresh_from_db()
        assert body["status"] == dossier.status
        assert body["status_code"] == dossier.status_code
    else:
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "transition_not_allowed"
        assert snapshot(dossier) == before


def test_a_role_outside_the_table_gets_403_and_nothing_changes(client):
    world = World()
    dossier = dossier_in(world, Status.PROCESSING)
    before = snapshot(dossier)
    with pytest.raises(PermissionDeniedError):
        dossier_decide(dossier=dossier, actor=world.officer, outcome="approved")
    assert snapshot(dossier) == before
    client.force_login(world.specialist)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/decide/", {"outcome": "approved"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert snapshot(dossier) == before


def test_unknown_action_is_404(client):
    world = World()
    dossier = dossier_in(world, Status.ACCEPTED)
    client.force_login(world.boss)
    assert client.post(f"/api/v1/dossiers/{dossier.code}/actions/fly/", {}, content_type="application/json").status_code == 404


def test_status_codes_follow_the_national_list():
    world = World()
    codes = {status: dossier_in(world, status).status_code for status in Status}
    assert codes == {
        "submitted": 1,
        "accepted": 2,
        "refused": 3,
        "processing": 4,
        "supplement_requested": 5,
        "payment_required": 6,
        "withdrawn": 7,
        "stopped": 8,
        "decided": 9,
        "returned": 10,
    }
