"""The operator's tracking callbacks update the dossier (order state, tracking code, timeline event, audit
entry); a repeated callback changes nothing; a tampered, unsigned or old one is refused with nothing changed;
an event older than the state held does not move the order backwards."""

import json
import time

import pytest

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierEvent, PostalOrder
from motcua.dossiers.postal import signature
from motcua.dossiers.tests.factories import World
from motcua.integrations.models import InboundMessage

from .postal_support import CALLBACK, pickup, post_event, post_signed, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot(dossier):
    order = PostalOrder.objects.get(dossier=dossier)
    return (
        order.state,
        order.tracking_code,
        Dossier.objects.get(pk=dossier.pk).postal_tracking,
        DossierEvent.objects.filter(dossier=dossier).count(),
        AuditLog.objects.count(),
        InboundMessage.objects.count(),
    )


def _order_taken(fake):  # noqa: F811
    dossier = pickup(World())
    drain()
    order = PostalOrder.objects.get(dossier=dossier)
    return dossier, order


def test_the_accepted_event_gives_the_dossier_its_tracking_code_with_a_timeline_event_and_an_audit_entry(client, postal):  # noqa: F811
    dossier, order = _order_taken(postal)
    item_code = postal.orders[order.order_code]["item_code"]
    audits = AuditLog.objects.count()
    response, event = post_event(client, postal, order.order_code, 10)
    assert response.status_code == 200 and response.json() == {"result": "applied", "state": "accepted"}
    order.refresh_from_db()
    assert (order.state, order.tracking_code) == ("accepted", item_code)
    assert Dossier.objects.get(pk=dossier.pk).postal_tracking == item_code
    timeline = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert timeline.action == "postal_accepted" and timeline.data["tracking"] == item_code
    entry = AuditLog.objects.latest("id")
    assert AuditLog.objects.count() == audits + 1
    assert entry.action == "dossier.postal_tracking" and entry.object_id == str(dossier.pk)
    assert entry.changes["postal_state"] == ["requested", "accepted"] and entry.changes["event_id"] == event["EventId"]
    for status, state in ((20, "picked_up"), (30, "in_transit"), (50, "delivered")):
        assert post_event(client, postal, order.order_code, status)[0].json()["state"] == state
    order.refresh_from_db()
    assert order.state == "delivered"


def test_a_duplicate_callback_changes_nothing(client, postal):  # noqa: F811
    dossier, order = _order_taken(postal)
    event = postal.event(order.order_code, 10)
    body, headers = postal.signed(event)
    assert post_signed(client, body, headers).json()["result"] == "applied"
    before = _snapshot(dossier)
    again = post_signed(client, body, headers)  # the operator did not hear our answer and sends it again
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert _snapshot(dossier) == before
    resigned = post_signed(client, *postal.signed(event))  # the same event later, signed afresh
    assert resigned.json()["result"] == "duplicate" and _snapshot(dossier) == before


def test_the_fakes_duplicate_callbacks_over_http_apply_once(live_server, postal):  # noqa: F811
    postal.control(callback_url=live_server.url + CALLBACK, duplicate_callbacks=True)
    dossier, order = _order_taken(postal)
    answers = postal.send_events(order.order_code, [10])
    assert [a["status"] for a in answers] == [200, 200]
    assert [json.loads(a["body"])["result"] for a in answers] == ["applied", "duplicate"]
    assert DossierEvent.objects.filter(dossier=dossier, action="postal_accepted").count() == 1


@pytest.mark.parametrize("tamper", ["body", "signature", "secret", "old", "unsigned"])
def test_a_tampered_or_replayed_callback_is_refused_and_changes_nothing(client, postal, tamper):  # noqa: F811
    dossier, order = _order_taken(postal)
    before = _snapshot(dossier)
    event = postal.event(order.order_code, 60, note="Người nhận từ chối")
    body, headers = postal.signed(event)
    if tamper == "body":
        forged = body.replace(b'"OrderStatusId": 60', b'"OrderStatusId": 50')
        assert forged != body
        body = forged
    elif tamper == "signature":
        sent = headers["X-Postal-Signature"]
        headers["X-Postal-Signature"] = sent[:-1] + ("0" if sent[-1] != "0" else "1")
    elif tamper == "secret":
        postal.callback_secret = "khoa-cua-ke-gia-mao"
        body, headers = postal.signed(event)
    elif tamper == "old":  # a captured callback replayed ten minutes later
        body, headers = postal.signed(event, timestamp=int(time.time()) - 600)
    else:
        headers = {"Content-Type": "application/json"}
    response = post_signed(client, body, headers)
    assert response.status_code == 401
    assert _snapshot(dossier) == before


def test_an_event_older_than_the_state_held_does_not_move_the_order_backwards(client, postal):  # noqa: F811
    dossier, order = _order_taken(postal)
    assert post_event(client, postal, order.order_code, 10)[0].json()["result"] == "applied"
    assert post_event(client, postal, order.order_code, 50)[0].json()["result"] == "applied"
    events = DossierEvent.objects.filter(dossier=dossier).count()
    for late in (20, 30, 10):  # the operator's earlier events arriving after the delivery
        response, _event = post_event(client, postal, order.order_code, late)
        assert response.status_code == 200 and response.json() == {"result": "stale", "state": "delivered"}
    assert post_event(client, postal, order.order_code, 60)[0].json()["result"] == "stale"  # final states are final
    order.refresh_from_db()
    assert order.state == "delivered"
    assert DossierEvent.objects.filter(dossier=dossier).count() == events
    assert InboundMessage.objects.filter(system="postal", reason__startswith="stale").count() == 4  # recorded, not applied


def test_the_fake_sending_a_journey_newest_first_leaves_the_order_at_its_last_state(live_server, postal):  # noqa: F811
    postal.control(callback_url=live_server.url + CALLBACK, out_of_order=True)
    dossier, order = _order_taken(postal)
    answers = postal.send_events(order.order_code, [10, 20, 30, 50])
    assert [json.loads(a["body"])["result"] for a in answers] == ["applied", "stale", "stale", "stale"]
    order.refresh_from_db()
    assert order.state == "delivered" and order.tracking_code == postal.orders[order.order_code]["item_code"]


def test_an_invalid_event_or_an_unknown_order_is_refused_and_records_nothing(client, postal):  # noqa: F811
    dossier, order = _order_taken(postal)
    before = _snapshot(dossier)
    event = postal.event(order.order_code, 10)
    event["OrderStatusId"] = 99
    body = json.dumps(event).encode()
    headers = postal.signed(postal.event(order.order_code, 10))[1]
    headers["X-Postal-Signature"] = signature(postal.callback_secret, headers["X-Postal-Timestamp"], body)
    assert post_signed(client, body, headers).status_code == 400
    assert post_event(client, postal, "H99.99-000000-0000-TG1", 10)[0].status_code == 404
    assert _snapshot(dossier) == before
