"""Hostile bodies on the national payment platform's callback: deeply nested JSON (Python's parser gives up with a
RecursionError), bytes that are not UTF-8, a wrong content type — each is answered in the platform's words
(return_code -1), never a 500, and the payment stays pending."""

import pytest

from motcua.payments.models import Payment
from motcua.payments.services import payment_start

from .conftest import awaiting_payment

NOTIFY = "/thanh-toan/paygov/thong-bao/"


@pytest.fixture
def pending(world, paygov_platform):
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer, client_ip="203.0.113.9")
    return payment


@pytest.mark.parametrize(
    "body,content_type",
    [
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "application/json"),
        (b"\xff\xfe\x00{", "application/json"),
        ("transaction_id=1&check_sum=2", "application/x-www-form-urlencoded"),
    ],
    ids=["nested-arrays", "nested-objects", "not-utf8", "form-encoded"],
)
def test_a_hostile_body_is_answered_minus_one_and_changes_nothing(client, pending, body, content_type):
    answer = client.post(NOTIFY, data=body, content_type=content_type)
    assert answer.status_code == 200 and answer.json()["return_code"] == -1
    assert Payment.objects.get(pk=pending.pk).status == Payment.Status.PENDING
