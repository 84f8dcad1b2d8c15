"""A result the postal operator could not deliver (returned to the sender) comes back to the desk's worklist,
labelled, until the desk sends it again by post (a new order through the outbox) or keeps it at the counter;
a second agency's staff neither see it nor act on it."""

import pytest
from django.urls import reverse

from motcua.core.errors import TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.desk.selectors.worklists import POSTAL_FAILED_LABEL, Scope, worklist
from motcua.dossiers.models import Dossier, DossierEvent, PostalOrder
from motcua.dossiers.postal import postal_failure_resolve
from motcua.dossiers.tests.factories import World
from motcua.dossiers.transitions import dossier_return_result
from motcua.integrations.models import IntegrationMessage

from .postal_support import decided, post_event, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _failed_delivery(client, fake, world):
    dossier = dossier_return_result(dossier=decided(world), actor=world.officer, delivery="post")
    drain()
    order = PostalOrder.objects.get(dossier=dossier)
    for status in (10, 20, 30):
        post_event(client, fake, order.order_code, status)
    response, _event = post_event(client, fake, order.order_code, 60, note="Người nhận đi vắng, đã phát 3 lần")
    assert response.json()["result"] == "applied"
    return Dossier.objects.get(pk=dossier.pk), order


def _desk_codes(user):
    return {item.code: item for item in worklist(user=user, scope=Scope.DESK).items}


def test_a_failed_delivery_is_back_on_the_desks_worklist_with_a_clear_state(client, postal):  # noqa: F811
    world = World()
    dossier, order = _failed_delivery(client, postal, world)
    assert dossier.status == "returned"  # the dossier's own status stays; the order says what went wrong
    items = _desk_codes(world.officer)
    assert dossier.code in items and items[dossier.code].bucket_label == POSTAL_FAILED_LABEL
    client.force_login(world.officer)
    page = client.get(reverse("desk:worklist"), {"scope": "desk"}).content.decode()
    assert dossier.code in page and POSTAL_FAILED_LABEL in page
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'id="postal-failed"' in detail and "Người nhận đi vắng" in detail


def test_sending_it_again_by_post_makes_a_new_order_and_takes_it_off_the_worklist(client, postal):  # noqa: F811
    world = World()
    dossier, failed = _failed_delivery(client, postal, world)
    client.force_login(world.officer)
    response = client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "post", "note": "Hẹn phát lại"})
    assert response.status_code == 302
    orders = list(PostalOrder.objects.filter(dossier=dossier).order_by("id"))
    assert [o.order_code for o in orders] == [failed.order_code, f"{dossier.code}-TR2"]
    assert orders[0].resolved_at is not None and orders[1].state == "requested"
    assert dossier.code not in _desk_codes(world.officer)
    assert DossierEvent.objects.filter(dossier=dossier, action="postal_resolved").count() == 1
    assert AuditLog.objects.filter(action="dossier.postal_resolved", object_id=str(dossier.pk)).count() == 1
    drain()
    assert [e["order_code"] for e in postal.received] == [failed.order_code, f"{dossier.code}-TR2"]
    # Nothing left to resolve: 409 in the service, a message on the page, nothing written.
    events = DossierEvent.objects.filter(dossier=dossier).count()
    with pytest.raises(TransitionNotAllowed):
        postal_failure_resolve(dossier=dossier, actor=world.officer, how="counter")
    client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "counter"})
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_keeping_it_at_the_counter_changes_the_delivery_and_queues_nothing(client, postal):  # noqa: F811
    world = World()
    dossier, _failed = _failed_delivery(client, postal, world)
    queued = IntegrationMessage.objects.filter(system="postal").count()
    client.force_login(world.officer)
    client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "counter"})
    assert Dossier.objects.get(pk=dossier.pk).result_delivery == "counter"
    assert IntegrationMessage.objects.filter(system="postal").count() == queued
    assert dossier.code not in _desk_codes(world.officer)


def test_a_second_agencys_staff_neither_see_nor_act_on_it(client, postal):  # noqa: F811
    world, other = World(), World()
    dossier, _failed = _failed_delivery(client, postal, world)
    assert dossier.code not in _desk_codes(other.officer)
    client.force_login(other.officer)
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 404
    response = client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "post"})
    assert response.status_code == 404
    assert PostalOrder.objects.get(dossier=dossier).resolved_at is None
    assert dossier.code in _desk_codes(world.officer)
