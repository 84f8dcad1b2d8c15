"""The national portal learns that a dossier was paid online: payments answers dossiers.sync_flags, so the
message of the IPN's confirmation (and every later one) carries ThanhToanTrucTuyen true; a dossier paid at the
counter carries false. Contract test against the fake national portal (integrations' `portal` fixture)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.dossiers import sync_flags
from motcua.dossiers.models import Status
from motcua.dossiers.transitions import dossier_confirm_payment, dossier_decide
from motcua.integrations import schemas
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.tests.conftest import portal  # noqa: F401 (the fake national portal fixture)
from motcua.integrations.tests.support import drain
from motcua.payments.selectors import paid_online
from motcua.payments.services import payment_start

from .conftest import awaiting_payment, ipn_params

pytestmark = pytest.mark.django_db(transaction=True)


def _messages(code: str) -> list[dict]:
    return [m.payload for m in IntegrationMessage.objects.filter(key=code).order_by("sequence")]


def test_an_ipn_confirmed_payment_reaches_the_portal_as_paid_online(client, world, portal):  # noqa: F811
    dossier = awaiting_payment(world)
    drain()
    assert portal.state[dossier.code]["message"]["ThanhToanTrucTuyen"] is False  # asked to pay, not paid yet

    payment, _url = payment_start(dossier=dossier, actor=world.officer, client_ip="203.0.113.7")
    response = client.get("/thanh-toan/vnpay/ipn/?" + ipn_params(payment, transaction_no="14000888"))
    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}

    done = drain()
    assert done["delivered"] >= 1 and done["dead"] == 0 and portal.rejected == []
    held = portal.state[dossier.code]["message"]
    assert held["event"]["action"] == "confirm_payment" and held["TrangThaiHoSo"] == 4
    assert held["ThanhToanTrucTuyen"] is True
    assert schemas.errors("dvcqg_dossier_sync", held) == []

    dossier.refresh_from_db()
    dossier_decide(dossier=dossier, actor=world.boss, outcome="approved")
    drain()
    assert portal.state[dossier.code]["message"]["ThanhToanTrucTuyen"] is True  # every later message keeps it
    flags = [p["ThanhToanTrucTuyen"] for p in _messages(dossier.code)]
    assert flags[-2:] == [True, True] and not any(flags[:-2])


def test_a_dossier_paid_at_the_counter_reaches_the_portal_as_not_paid_online(world, portal):  # noqa: F811
    dossier = awaiting_payment(world)
    dossier = dossier_confirm_payment(dossier=dossier, actor=world.officer, note="Nộp tiền mặt tại quầy")
    assert dossier.status == Status.PROCESSING
    drain()
    held = portal.state[dossier.code]["message"]
    assert held["event"]["action"] == "confirm_payment" and held["ThanhToanTrucTuyen"] is False
    assert not any(p["ThanhToanTrucTuyen"] for p in _messages(dossier.code))


def test_payments_answers_the_flag_and_a_second_answer_is_refused(world):
    assert sync_flags._ANSWERS[sync_flags.PAID_ONLINE] is paid_online  # registered by PaymentsConfig.ready()
    sync_flags.register(sync_flags.PAID_ONLINE, paid_online)  # ready() run again: the same answer, no change

    with pytest.raises(ImproperlyConfigured, match="already answered"):
        sync_flags.register(sync_flags.PAID_ONLINE, lambda dossier_id: True)
    with pytest.raises(ImproperlyConfigured, match="Unknown"):
        sync_flags.register("paid_in_gold", paid_online)
    assert sync_flags._ANSWERS[sync_flags.PAID_ONLINE] is paid_online
