"""A postal outage of a few minutes loses nothing: while the operator refuses connections or answers 5xx the
orders stay queued (retried with back-off, the error kept) and arrive afterwards, in order per dossier, once
each; a reply lost on the way is re-sent with the same message ID and the operator ignores the copy. With
the fake calling back on its own, the whole journey reaches the dossier."""

import time

import pytest
from django.utils import timezone

from motcua.core.testing import requires_postgres
from motcua.dossiers.models import PostalOrder
from motcua.dossiers.tests.factories import World
from motcua.dossiers.transitions import dossier_decide, dossier_forward, dossier_return_result
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.services import deliver_due

from .postal_support import CALLBACK, decided, pickup, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)

Status = IntegrationMessage.Status


def _pickup_then_return(world):
    """A dossier with two orders on one key: the pickup at intake, then the delivery of its result."""
    dossier = pickup(world)
    dossier = dossier_forward(dossier=dossier, actor=world.boss)
    dossier = dossier_decide(dossier=dossier, actor=world.boss, outcome="approved")
    return dossier_return_result(dossier=dossier, actor=world.officer, delivery="post")


def test_an_outage_refusing_connections_then_5xx_loses_nothing_and_keeps_the_order(postal, settings):  # noqa: F811
    world = World()
    postal.stop()
    first, second = _pickup_then_return(world), _pickup_then_return(world)  # the desk keeps working
    for _ in range(3):
        done = deliver_due()
        assert done["delivered"] == 0 and done["dead"] == 0
    waiting = IntegrationMessage.objects.filter(system="postal", status=Status.QUEUED).exclude(last_error="")
    assert waiting.count() == 2  # each dossier's pickup tried; its delivery waits behind it
    assert all("onnect" in m.last_error for m in waiting)
    postal.restart()
    postal.control(fail_next=3, fail_status=503)  # back, but overloaded for a moment
    settings.INTEGRATION_BACKOFF_SECONDS = 30
    done = deliver_due()
    assert done["retry"] == 2 and done["delivered"] == 0
    tried = IntegrationMessage.objects.filter(status=Status.QUEUED, last_error__contains="HTTP 503")
    assert tried.count() == 2 and all(m.next_attempt_at > timezone.now() for m in tried)  # backed off
    settings.INTEGRATION_BACKOFF_SECONDS = 0
    IntegrationMessage.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())
    drain()
    for dossier in (first, second):
        assert [e["order_type"] for e in postal.received if e["dossier_code"] == dossier.code] == ["PICKUP", "DELIVERY"]
    assert all(e["deliveries"] == 1 for e in postal.received) and postal.rejected == []
    assert set(IntegrationMessage.objects.filter(system="postal").values_list("status", flat=True)) == {Status.DELIVERED}


def test_a_lost_reply_is_sent_again_and_the_operator_takes_the_order_once(postal):  # noqa: F811
    dossier = pickup(World())
    postal.control(drop_replies=1)
    drain()
    [entry] = postal.received
    assert entry["dossier_code"] == dossier.code and entry["deliveries"] == 2  # the copy recognised by its message ID
    assert IntegrationMessage.objects.get(system="postal").status == Status.DELIVERED


# Real concurrency: the fake's callbacks reach the live server from another thread while this one still delivers.
# Under SQLite the live server shares the test's one in-memory connection, so the two threads' transactions
# collide at random ("cannot start a transaction within a transaction"): a test-set-up limit, not the app's.
@requires_postgres
def test_an_operator_calling_back_on_its_own_brings_the_whole_journey(live_server, postal):  # noqa: F811
    postal.control(callback_url=live_server.url + CALLBACK, auto=True, auto_outcome="delivered")
    world = World()
    dossier = dossier_return_result(dossier=decided(world), actor=world.officer, delivery="post")
    drain()
    for _ in range(200):  # the fake calls back from its own thread, after answering the order
        if len(postal.callbacks) == 4:
            break
        time.sleep(0.05)
    assert [c["status"] for c in postal.callbacks] == [200, 200, 200, 200]
    order = PostalOrder.objects.get(dossier=dossier)
    assert order.state == "delivered" and order.tracking_code == postal.orders[order.order_code]["item_code"]
