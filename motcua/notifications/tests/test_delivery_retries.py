"""Messages survive a mail server that is down: retried by the worker, delivered exactly once."""

import asyncio
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from motcua.notifications.models import Message
from motcua.notifications.services import message_deliver_due, message_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


class FlakyHandler:
    """Refuses the first `refusals` messages with 451, then accepts."""

    def __init__(self, refusals: int):
        self.refusals = refusals
        self.delivered: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        await asyncio.sleep(0)
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Máy chủ tạm thời không nhận thư"
        self.delivered.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = FlakyHandler(refusals=1)
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _queue():
    with transaction.atomic():
        return message_enqueue(
            template_code="dossier_accepted",
            email="nguoidan@example.vn",
            phone="0912345678",
            context={
                "code": "H15.50-261126-0001",
                "applicant_name": "Nguyễn Văn An",
                "procedure": "Cấp GCN đăng ký đầu tư",
                "due": "03/12/2026",
                "lookup_url": "http://127.0.0.1:8000/tra-cuu/",
            },
        )


def test_message_is_queued_in_the_callers_transaction_and_vanishes_with_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        message_enqueue(template_code="dossier_accepted", email="a@example.vn", context={"code": "X"})
        raise RuntimeError("state change failed")
    assert Message.objects.count() == 0


def test_mail_refused_then_accepted_is_retried_and_delivered_once(smtp_server):
    handler, port = smtp_server
    messages = _queue()
    email = next(m for m in messages if m.channel == "email")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
        first = message_deliver_due()
        email.refresh_from_db()
        assert email.status == Message.Status.QUEUED and email.attempts == 1
        assert "451" in email.last_error
        assert handler.delivered == []
        # Not due yet: the worker leaves it alone until the back-off has passed.
        assert message_deliver_due()["sent"] == 0
        Message.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        call_command("run_worker", "--once")
        call_command("run_worker", "--once")
    email.refresh_from_db()
    assert first["retry"] == 1
    assert email.status == Message.Status.SENT and email.attempts == 2
    assert len(handler.delivered) == 1
    assert (
        "H15.50-261126-0001" in handler.delivered[0].decode("utf-8", "replace") or b"H15.50-261126-0001" in handler.delivered[0]
    )


def test_sms_goes_through_the_logging_adapter(caplog):
    _queue()
    with caplog.at_level("INFO", logger="motcua.sms"):
        message_deliver_due()
    sms = Message.objects.get(channel="sms")
    assert sms.status == Message.Status.SENT
    assert "0912345678" in caplog.text


def test_mail_server_down_for_good_ends_failed_after_the_attempt_limit():
    _queue()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=1, EMAIL_TIMEOUT=1
    ):
        from motcua.notifications.services import MAX_ATTEMPTS

        for _ in range(MAX_ATTEMPTS):
            Message.objects.filter(channel="email").update(next_attempt_at=timezone.now() - timedelta(seconds=1))
            message_deliver_due()
    email = Message.objects.get(channel="email")
    assert email.status == Message.Status.FAILED
    assert email.attempts == MAX_ATTEMPTS


def test_template_edited_by_an_administrator_is_used():
    from motcua.notifications.models import MessageTemplate

    MessageTemplate.objects.filter(code="dossier_accepted", channel="email").update(subject="Đã nhận hồ sơ {{ code }} — mẫu mới")
    messages = _queue()
    assert next(m for m in messages if m.channel == "email").subject == "Đã nhận hồ sơ H15.50-261126-0001 — mẫu mới"
