"""The postal operator could not pick the papers up at the applicant's address (a pickup order returned, event
60): the desk's worklist and the dossier page say so — not that a result came back — and asking again makes a
new pickup order, never a delivery of a result that does not exist; leaving the applicant to bring the papers
keeps the way the result is returned.
A second agency's staff: see test_postal_failed_delivery_back_at_the_desk (same panel and view)."""

import pytest
from django.urls import reverse

from motcua.desk.selectors.worklists import POSTAL_FAILED_LABEL, POSTAL_PICKUP_FAILED_LABEL, Scope, worklist
from motcua.dossiers.models import Dossier, PostalOrder
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.integrations.models import IntegrationMessage

from .postal_support import pickup, post_event, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _failed_pickup(client, fake, world, **kwargs):
    dossier = pickup(world, **kwargs)
    drain()
    order = PostalOrder.objects.get(dossier=dossier)
    assert order.kind == PostalOrder.Kind.PICKUP
    post_event(client, fake, order.order_code, 10)
    response, _event = post_event(client, fake, order.order_code, 60, note="Người gửi vắng nhà")
    assert response.json()["result"] == "applied"
    return Dossier.objects.get(pk=dossier.pk), order


def test_a_failed_pickup_is_labelled_as_papers_not_collected_on_the_worklist_and_the_page(client, postal):  # noqa: F811
    world = World()
    dossier, _order = _failed_pickup(client, postal, world)
    items = {item.code: item for item in worklist(user=world.officer, scope=Scope.DESK).items}
    assert items[dossier.code].bucket_label == POSTAL_PICKUP_FAILED_LABEL
    client.force_login(world.officer)
    page = client.get(reverse("desk:worklist"), {"scope": "desk"}).content.decode()
    assert POSTAL_PICKUP_FAILED_LABEL in page and POSTAL_FAILED_LABEL not in page
    detail = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'id="postal-failed"' in detail and "không thu gom được hồ sơ" in detail
    assert "Phát kết quả không thành công" not in detail and "Yêu cầu bưu chính thu gom lại" in detail


def test_asking_again_makes_a_new_pickup_order_not_a_delivery(client, postal):  # noqa: F811
    world = World()
    dossier, failed = _failed_pickup(client, postal, world)
    client.force_login(world.officer)
    response = client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "post"})
    assert response.status_code == 302
    orders = list(PostalOrder.objects.filter(dossier=dossier).order_by("id"))
    assert [(o.order_code, o.kind) for o in orders] == [
        (failed.order_code, PostalOrder.Kind.PICKUP),
        (f"{dossier.code}-TG2", PostalOrder.Kind.PICKUP),
    ]
    drain()
    assert [e["order_code"] for e in postal.received] == [failed.order_code, f"{dossier.code}-TG2"]
    assert postal.received[-1]["order_type"] == "PICKUP"


def test_the_applicant_bringing_the_papers_keeps_the_result_delivery_and_queues_nothing(client, postal):  # noqa: F811
    world = World()
    dossier, _order = _failed_pickup(client, postal, world, result_delivery="post", return_address="Số 9 đường Hùng Vương")
    queued = IntegrationMessage.objects.filter(system="postal").count()
    client.force_login(world.officer)
    client.post(reverse("dossiers:postal-resolve", args=[dossier.code]), {"how": "counter"})
    assert Dossier.objects.get(pk=dossier.pk).result_delivery == "post"
    assert IntegrationMessage.objects.filter(system="postal").count() == queued
    assert PostalOrder.objects.get(dossier=dossier).resolved_at is not None
    # Still at the desk (it is being received), but no longer as a postal failure.
    items = {item.code: item for item in worklist(user=world.officer, scope=Scope.DESK).items}
    assert items[dossier.code].bucket_label not in (POSTAL_FAILED_LABEL, POSTAL_PICKUP_FAILED_LABEL)


def test_the_applicant_reads_that_the_papers_were_not_collected_on_the_lookup_page(client, postal):  # noqa: F811
    dossier, _order = _failed_pickup(client, postal, World())
    assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]}).status_code == 302
    page = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert "Không thu gom được hồ sơ tại địa chỉ người nộp" in page  # the order's state
    assert "Bưu chính không thu gom được hồ sơ tại địa chỉ người nộp" in page  # the timeline
    assert "chuyển hoàn" not in page  # nothing was sent back: no result exists yet
