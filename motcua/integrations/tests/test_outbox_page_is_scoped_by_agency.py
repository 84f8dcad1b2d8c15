"""The administrator's outbox page: per system what is waiting, in doubt or dead, with a re-send (audited).
A second agency's administrator neither sees nor re-sends the first agency's messages; other roles do not
open the page."""

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.dossiers.tests.factories import World, receive
from motcua.integrations.models import IntegrationMessage

from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)

Status = IntegrationMessage.Status
URL = "/staff/tich-hop/"


@pytest.fixture
def two_agencies(portal, settings):
    settings.INTEGRATION_MAX_ATTEMPTS = 1
    a, b = World(), World()
    dossier_a, dossier_b = receive(a, channel="counter"), receive(b, channel="counter")
    portal.control(fail_next=2)
    drain()  # one try each, refused: both dead
    return a, b, dossier_a, dossier_b


def test_the_url_is_the_named_page():
    assert reverse("integrations:outbox") == URL


def test_each_administrator_sees_only_the_messages_of_their_agency(client, two_agencies):
    a, b, dossier_a, dossier_b = two_agencies
    client.force_login(b.boss)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert dossier_b.code in text and dossier_a.code not in text
    assert "Cổng Dịch vụ công quốc gia" in text
    summary = {s["system"]: s for s in page.context["summary"]}
    assert summary["dvcqg"]["dead"] == 1 and summary["dvcqg"]["enabled"] is True
    # Asking for the other agency's dossier by code shows nothing either.
    assert client.get(URL, {"ma": dossier_a.code}).context["rows"] == []
    assert [m.key for m in client.get(URL, {"trang_thai": "dead"}).context["rows"]] == [dossier_b.code]


def test_a_second_agencys_administrator_cannot_resend_the_first_agencys_message(client, two_agencies):
    a, b, dossier_a, _dossier_b = two_agencies
    message_a = IntegrationMessage.objects.get(key=dossier_a.code)
    audit = AuditLog.objects.count()
    client.force_login(b.boss)
    answer = client.post(URL, {"message": message_a.pk})
    assert answer.status_code == 404
    message_a.refresh_from_db()
    assert message_a.status == Status.DEAD and AuditLog.objects.count() == audit


def test_the_agencys_administrator_resends_a_dead_message_and_it_is_audited(client, two_agencies, portal):
    a, _b, dossier_a, _dossier_b = two_agencies
    message = IntegrationMessage.objects.get(key=dossier_a.code)
    client.force_login(a.boss)
    answer = client.post(URL, {"message": message.pk})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 0
    entry = AuditLog.objects.filter(action="integration.resend").get()
    assert entry.actor_id == a.boss.pk and entry.object_id == str(message.pk)
    assert entry.changes["status"] == ["dead", "queued"]
    drain()
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert [e["dossier_code"] for e in portal.received] == [dossier_a.code]
    # A delivered message is not re-sent: 409, nothing audited.
    assert client.post(URL, {"message": message.pk}).status_code == 409
    assert AuditLog.objects.filter(action="integration.resend").count() == 1


def test_a_post_without_a_message_is_a_400(client, two_agencies):
    a, *_ = two_agencies
    client.force_login(a.boss)
    assert client.post(URL, {}).status_code == 400


@pytest.mark.parametrize("role", ["officer", "specialist", "leader", "clerk"])
def test_other_roles_do_not_open_the_page(client, role):
    world = World()
    client.force_login(getattr(world, role))
    assert client.get(URL).status_code == 403
