"""50 copies of one signed IPN at once confirm the payment once: one answer 00, the rest 02; one
confirm_payment event, one due-date shift. PostgreSQL: the payment row lock serialises them, each copy on its own
connection (core.testing.run_at_once). SQLite has no row locks and refuses concurrent writers: there the
conditional UPDATE decides, shown with 50 duplicates in a row."""

import pytest
from django.db import connections
from django.test import Client

from motcua.core.testing import requires_postgres, run_at_once
from motcua.dossiers.models import Dossier, DossierEvent, Pause, Status
from motcua.payments.models import Payment, Receipt
from motcua.payments.services import payment_start

from .conftest import awaiting_payment, ipn_params

COPIES = 50


def _confirmed_once(dossier, payment):
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    d = Dossier.objects.get(pk=dossier.pk)
    assert d.status == Status.PROCESSING
    assert DossierEvent.objects.filter(dossier=d, action="confirm_payment").count() == 1
    assert Pause.objects.filter(dossier=d, ended_at__isnull=True).count() == 0
    assert Receipt.objects.filter(payment__dossier=d).count() == 1  # one receipt, one number
    return d


def _due_shifted_once(d, due_before):
    from motcua.workcalendar.selectors import Calendar

    pause = Pause.objects.get(dossier=d, reason=Pause.Reason.PAYMENT)
    assert d.due_at == Calendar().add_working_seconds(due_before, pause.working_seconds)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_duplicates_confirm_once_on_postgresql(vnpay):
    from motcua.dossiers.tests.factories import World

    world = World()
    dossier = awaiting_payment(world)
    due_before = dossier.due_at
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    query = ipn_params(payment)
    answers = [None] * COPIES

    def one(i):
        answers[i] = Client().get("/thanh-toan/vnpay/ipn/?" + query).json()["RspCode"]

    connections.close_all()
    errors, backends = run_at_once(COPIES, one)
    assert errors == []
    assert backends == COPIES
    assert answers.count("00") == 1 and answers.count("02") == COPIES - 1
    _due_shifted_once(_confirmed_once(dossier, payment), due_before)


def test_fifty_duplicates_in_a_row_confirm_once(client, world):
    dossier = awaiting_payment(world)
    due_before = dossier.due_at
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    query = ipn_params(payment)
    answers = [client.get("/thanh-toan/vnpay/ipn/?" + query).json()["RspCode"] for _ in range(COPIES)]
    assert answers == ["00"] + ["02"] * (COPIES - 1)
    _due_shifted_once(_confirmed_once(dossier, payment), due_before)
