"""The receiver is idempotent on the message ID: a reply lost after the portal took a message makes the worker
send it again (in doubt, same ID), and the copy changes nothing; the same bytes posted again by hand change
nothing either. A refused (invalid) message is dead at once, with the portal's reasons kept."""

import pytest
import requests

from motcua.dossiers.tests.factories import World, receive
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.services import deliver_due

from .support import LIFECYCLE_CODES, drain, full_lifecycle

pytestmark = pytest.mark.django_db(transaction=True)

Status = IntegrationMessage.Status


def test_a_lost_reply_is_sent_again_and_the_copy_changes_nothing(portal):
    dossier = full_lifecycle(World())
    portal.control(drop_replies=2)  # the portal takes the first two messages but the replies never come back
    done = deliver_due()
    assert done["in_doubt"] == 1 and done["delivered"] == 0
    head = IntegrationMessage.objects.get(key=dossier.code, sequence=1)
    assert head.status == Status.IN_DOUBT and head.last_error
    drain()
    entries = [e for e in portal.received if e["dossier_code"] == dossier.code]
    assert [e["status_code"] for e in entries] == LIFECYCLE_CODES  # each once, in order
    assert [e["deliveries"] for e in entries[:2]] == [2, 2] and all(e["deliveries"] == 1 for e in entries[2:])
    assert set(IntegrationMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}


def test_the_same_message_posted_again_changes_nothing_at_the_portal(portal):
    world = World()
    dossier = full_lifecycle(world)
    drain()
    before = ([dict(e) for e in portal.received], portal.state_items())
    first = IntegrationMessage.objects.get(key=dossier.code, sequence=1)
    token = requests.post(
        f"{portal.url}/oauth2/token", data={"grant_type": "client_credentials"}, auth=("motcua-test", "bi-mat-thu")
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Idempotency-Key": str(first.message_id)}
    answer = requests.post(f"{portal.url}/api/hoso/dongbo", json=first.payload, headers=headers, timeout=5)
    assert answer.status_code == 200 and answer.json()["duplicate"] is True
    after = ([dict(e) for e in portal.received], portal.state_items())
    assert [(e["message_id"], e["status_code"]) for e in after[0]] == [(e["message_id"], e["status_code"]) for e in before[0]]
    assert after[1] == before[1]  # the portal still holds status 10, not the copy's status 1
    assert [s["TrangThaiHoSo"] for s in after[1] if s["MaHoSo"] == dossier.code] == [10]


def test_an_expired_token_is_renewed_once_and_the_message_goes_through(portal):
    world = World()
    receive(world, channel="counter")
    drain()
    assert portal.tokens_issued == 1
    portal.control(expire_tokens=True)
    receive(world, channel="counter")
    assert drain()["delivered"] == 1
    assert portal.tokens_issued == 2


def test_wrong_credentials_keep_the_message_queued_with_the_error(portal, settings):
    settings.NATIONAL_PORTAL_CLIENT_SECRET = "sai-mat-khau"
    receive(World(), channel="counter")
    assert deliver_due()["retry"] == 1
    message = IntegrationMessage.objects.get()
    assert message.status == Status.QUEUED and "token: HTTP 401" in message.last_error and portal.received == []


def test_a_message_the_portal_refuses_as_invalid_is_dead_at_once_with_the_reasons(portal):
    world = World()
    dossier = receive(world, channel="counter")
    message = IntegrationMessage.objects.get(key=dossier.code)
    IntegrationMessage.objects.filter(pk=message.pk).update(payload={**message.payload, "TrangThaiHoSo": 11})
    done = deliver_due()
    message.refresh_from_db()
    assert done["dead"] == 1 and message.status == Status.DEAD and message.attempts == 1
    assert "HTTP 400" in message.last_error and "TrangThaiHoSo" in message.last_error
    assert portal.received == [] and len(portal.rejected) == 1
