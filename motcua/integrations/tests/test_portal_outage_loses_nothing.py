"""A portal outage loses nothing: while the portal answers 5xx or refuses connections, the messages stay
queued (retried with back-off, the error kept); afterwards they arrive, in order per dossier, once each."""

import pytest
from django.utils import timezone

from motcua.dossiers.tests.factories import World
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.services import deliver_due

from .support import LIFECYCLE_CODES, drain, full_lifecycle

pytestmark = pytest.mark.django_db(transaction=True)

Status = IntegrationMessage.Status


def _in_order(portal, code):
    return [e["status_code"] for e in portal.received if e["dossier_code"] == code]


def test_a_portal_answering_503_for_a_while_delays_but_loses_nothing(portal, settings):
    settings.INTEGRATION_BACKOFF_SECONDS = 30
    world = World()
    first, second = full_lifecycle(world), full_lifecycle(world)
    portal.control(fail_next=5)  # five requests answered 503, then the portal is back
    done = deliver_due()
    assert done["retry"] == 2 and done["delivered"] == 0  # one try per dossier: the next waits for its predecessor
    waiting = IntegrationMessage.objects.filter(status=Status.QUEUED, attempts=1)
    assert waiting.count() == 2 and all("HTTP 503" in m.last_error for m in waiting)
    assert all(m.next_attempt_at > timezone.now() for m in waiting)  # backed off
    assert deliver_due()["delivered"] == 0  # nothing due before the back-off
    settings.INTEGRATION_BACKOFF_SECONDS = 0
    IntegrationMessage.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())
    drain()
    assert _in_order(portal, first.code) == LIFECYCLE_CODES
    assert _in_order(portal, second.code) == LIFECYCLE_CODES
    assert not any(e["out_of_order"] for e in portal.received)
    assert all(e["deliveries"] == 1 for e in portal.received)
    assert set(IntegrationMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_a_portal_refusing_connections_then_coming_back_gets_everything_in_order(portal):
    world = World()
    first = full_lifecycle(world)
    deliver_due(limit=3)  # three of the dossier's messages arrive before the outage
    assert _in_order(portal, first.code) == LIFECYCLE_CODES[:3]
    portal.stop()
    second = full_lifecycle(world)  # the desk keeps working during the outage
    for _ in range(4):
        done = deliver_due()
        assert done["delivered"] == 0 and done["dead"] == 0
    refused = IntegrationMessage.objects.filter(status=Status.QUEUED).exclude(last_error="")
    assert refused.exists() and all("Connection" in m.last_error or "connect" in m.last_error for m in refused)
    portal.restart()
    drain()
    assert _in_order(portal, first.code) == LIFECYCLE_CODES
    assert _in_order(portal, second.code) == LIFECYCLE_CODES
    assert not any(e["out_of_order"] for e in portal.received)
    assert set(IntegrationMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_after_too_many_failures_a_message_is_dead_with_its_error_and_holds_back_its_successors(portal, settings):
    settings.INTEGRATION_MAX_ATTEMPTS = 3
    dossier = full_lifecycle(World())
    portal.control(fail_next=3, fail_status=502)
    drain()
    head = IntegrationMessage.objects.get(key=dossier.code, sequence=1)
    assert head.status == Status.DEAD and head.attempts == 3 and "HTTP 502" in head.last_error
    assert IntegrationMessage.objects.filter(key=dossier.code, status=Status.QUEUED).count() == len(LIFECYCLE_CODES) - 1
    assert portal.received == []  # status 2 never overtakes status 1
