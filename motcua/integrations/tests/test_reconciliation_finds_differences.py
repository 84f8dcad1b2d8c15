"""The nightly reconciliation asks the portal what it holds and lists the differences with our dossiers: a
status changed at the portal on purpose, a dossier the portal lost, one the portal has and we do not, and a
dossier whose message has not been delivered yet (named as pending)."""

import json

import pytest
from django.core.management import call_command

from motcua.dossiers.national_sync import reconcile
from motcua.dossiers.tests.factories import World, receive

from .support import drain, full_lifecycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_difference_once_everything_is_delivered(portal):
    world = World()
    full_lifecycle(world)
    receive(world, channel="counter")
    drain()
    assert reconcile() == []


def test_differences_introduced_on_purpose_are_listed(portal, capsys):
    world = World()
    changed, lost, late = full_lifecycle(world), receive(world, channel="counter"), receive(world, channel="online")
    drain()
    from motcua.dossiers.transitions import dossier_accept

    dossier_accept(dossier=late, actor=world.officer)  # queued, not delivered yet
    portal.control(set_status={changed.code: 4, "H99.99-261207-0001": 2}, forget=[lost.code])
    found = {d["code"]: d for d in reconcile()}
    assert found[changed.code] == {"code": changed.code, "problem": "status_differs", "local": 10, "portal": 4, "pending": False}
    assert found[lost.code] == {"code": lost.code, "problem": "missing_at_portal", "local": 2, "portal": None, "pending": False}
    assert found[late.code] == {"code": late.code, "problem": "status_differs", "local": 2, "portal": 1, "pending": True}
    assert found["H99.99-261207-0001"]["problem"] == "unknown_locally"
    assert len(found) == 4

    with pytest.raises(SystemExit) as exit_code:
        call_command("reconcile_national_portal", "--json")
    assert exit_code.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert {d["code"] for d in printed} == set(found)

    drain()  # the pending message arrives: that difference closes, the ones made on purpose stay
    assert {d["code"] for d in reconcile()} == {changed.code, lost.code, "H99.99-261207-0001"}


def test_the_reconciliation_of_one_agency_leaves_the_others_out(portal):
    world, other = World(), World()
    mine, theirs = receive(world, channel="counter"), receive(other, channel="counter")
    drain()
    portal.control(forget=[mine.code, theirs.code])
    assert [d["code"] for d in reconcile(agency=world.agency)] == [mine.code]


def test_an_unreachable_portal_is_a_command_error_not_a_traceback(portal):
    from django.core.management.base import CommandError

    portal.stop()
    with pytest.raises(CommandError, match="Không đọc được trạng thái"):
        call_command("reconcile_national_portal")


def test_without_a_portal_the_reconciliation_says_so(settings):
    from django.core.management.base import CommandError

    settings.NATIONAL_PORTAL_URL = ""
    with pytest.raises(CommandError, match="NATIONAL_PORTAL_URL"):
        call_command("reconcile_national_portal")
