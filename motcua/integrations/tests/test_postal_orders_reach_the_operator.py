"""Choosing "by post" creates the postal operator's order through the integration outbox, in the transaction of
the intake (pickup of the papers) or of the return (delivery of the result); the order arrives at the operator,
validated by its schema. Without the postal service connected, nothing is queued and the tracking number is
typed in, as before."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Dossier, PostalOrder
from motcua.dossiers.tests.factories import APPLICANT, World, receive
from motcua.dossiers.transitions import dossier_return_result
from motcua.integrations import schemas
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.systems import POSTAL

from .postal_support import decided, pickup, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dossier_received_by_post_without_tracking_number_asks_the_operator_to_pick_the_papers_up(postal):  # noqa: F811
    world = World()
    dossier = pickup(world)
    order = PostalOrder.objects.get(dossier=dossier)
    assert (order.kind, order.state, order.tracking_code) == ("pickup", "requested", "")
    message = IntegrationMessage.objects.get(system=POSTAL)
    assert (message.kind, message.key, message.agency_id) == ("postal.order", dossier.code, world.agency.pk)
    assert schemas.errors("postal_order", message.payload) == []
    assert message.payload["SenderFullname"] == dossier.applicant_name
    assert message.payload["SenderAddress"] == dossier.applicant_address
    assert message.payload["ReceiverFullname"] == world.agency.name
    drain()
    assert postal.rejected == []
    [entry] = postal.received
    assert (entry["order_code"], entry["order_type"], entry["dossier_code"]) == (order.order_code, "PICKUP", dossier.code)
    assert IntegrationMessage.objects.get(pk=message.pk).status == IntegrationMessage.Status.DELIVERED


def test_a_result_returned_by_post_without_tracking_number_becomes_a_delivery_order(postal):  # noqa: F811
    world = World()
    dossier = decided(world, return_address="Số 9 phố Huế, Hà Nội")
    dossier = dossier_return_result(dossier=dossier, actor=world.officer, delivery="post")
    order = PostalOrder.objects.get(dossier=dossier)
    assert (order.kind, order.state) == ("delivery", "requested")
    drain()
    [entry] = postal.received
    assert (entry["order_type"], entry["dossier_code"], entry["receiver"]) == ("DELIVERY", dossier.code, dossier.applicant_name)
    message = IntegrationMessage.objects.get(system=POSTAL)
    assert message.payload["ReceiverAddress"] == "Số 9 phố Huế, Hà Nội"
    assert message.payload["SenderFullname"] == world.agency.name
    assert message.payload["CodAmountEvaluation"] == 0


def test_a_tracking_number_typed_in_makes_no_order(postal):  # noqa: F811
    world = World()
    receive(world, channel="postal")  # the papers came by post with their number
    dossier = dossier_return_result(dossier=decided(world), actor=world.officer, delivery="post", postal_tracking="RR1VN")
    assert dossier.postal_tracking == "RR1VN"
    assert not PostalOrder.objects.exists() and not IntegrationMessage.objects.filter(system=POSTAL).exists()


def test_a_pickup_without_the_applicants_address_is_refused_and_queues_nothing(postal):  # noqa: F811
    world = World()
    before = Dossier.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        dossier_receive(
            actor=world.officer,
            procedure_code=world.code,
            channel="postal",
            applicant={**APPLICANT, "address": ""},  # no address to pick the papers up at
        )
    assert "applicant_address" in refused.value.fields
    assert Dossier.objects.count() == before
    assert not PostalOrder.objects.exists() and not IntegrationMessage.objects.filter(system=POSTAL).exists()


def test_without_the_postal_service_by_post_still_needs_the_tracking_number(settings):
    settings.POSTAL_URL = ""
    world = World()
    with pytest.raises(ValidationFailed) as refused:
        pickup(world)
    assert "postal_tracking" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        dossier_return_result(dossier=decided(world), actor=world.officer, delivery="post")
    assert "postal_tracking" in refused.value.fields
    assert not PostalOrder.objects.exists() and not IntegrationMessage.objects.filter(system=POSTAL).exists()
