"""A message is delivered at most once: the worker killed after the mail server accepted a message and before
it committed "sent" leaves the message "in doubt" (not re-sent by the next run), the server received it exactly
once, and administrators see it and decide (resend with the same Message-ID, or mark sent)."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from motcua.core.models import AuditLog, User
from motcua.core.testing import make_staff
from motcua.notifications import services
from motcua.notifications.models import Message
from motcua.notifications.services import (
    message_deliver_due,
    message_enqueue,
    message_mark_sent,
    message_reconcile_sending,
    message_retry_now,
)

REPO = Path(__file__).resolve().parents[3]


class Recorder:
    def __init__(self):
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp():
    handler = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _smtp_settings(port):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_TIMEOUT=5
    )


def _queue_mail(address="nguoidan@example.vn"):
    with transaction.atomic():
        messages = message_enqueue(
            template_code="dossier_accepted",
            email=address,
            context={
                "code": "H15.50-261202-0001",
                "applicant_name": "Nguyễn Văn An",
                "procedure": "Cấp GCN đăng ký đầu tư",
                "due": "03/12/2026",
                "lookup_url": "http://127.0.0.1:8000/tra-cuu/",
            },
        )
    return next(m for m in messages if m.channel == "email")


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the worker can catch it."""


@pytest.mark.django_db
def test_a_worker_dying_between_acceptance_and_commit_leaves_the_message_in_doubt_and_sends_it_once(smtp, monkeypatch):
    handler, port = smtp
    mail = _queue_mail()

    def die(message):
        raise Killed

    monkeypatch.setattr(services, "_after_acceptance", die)
    with _smtp_settings(port), pytest.raises(Killed):
        message_deliver_due()
    mail.refresh_from_db()
    assert mail.status == Message.Status.SENDING and mail.sending_since is not None  # committed before the talk
    assert len(handler.received) == 1
    assert message_from_bytes(handler.received[0])["Message-ID"] == mail.message_id != ""

    monkeypatch.undo()
    with _smtp_settings(port):
        assert message_deliver_due()["sent"] == 0  # still within its lease: another worker may be sending it
        with override_settings(MOTCUA_SENDING_LEASE_SECONDS=0):
            done = message_deliver_due()
            assert done["in_doubt"] == 1 and done["sent"] == 0
            assert message_deliver_due() == {"sent": 0, "retry": 0, "failed": 0, "in_doubt": 0}
    mail.refresh_from_db()
    assert mail.status == Message.Status.IN_DOUBT and "chưa rõ" in mail.last_error
    assert len(handler.received) == 1


@pytest.mark.django_db
def test_a_time_out_during_the_conversation_makes_the_message_in_doubt_not_retried(monkeypatch):
    mail = _queue_mail()

    class Stalls:
        def __init__(self, *args, **kwargs):
            pass

        def open(self):
            return True

        def send_messages(self, messages):
            raise TimeoutError("timed out waiting for the reply to DATA")

        def close(self):
            pass

    monkeypatch.setattr(services, "get_connection", lambda **kwargs: Stalls())
    done = message_deliver_due()
    mail.refresh_from_db()
    assert done["in_doubt"] == 1 and done["retry"] == 0
    assert mail.status == Message.Status.IN_DOUBT and "TimeoutError" in mail.last_error
    assert message_deliver_due()["sent"] == 0


@pytest.mark.django_db
def test_a_refusal_is_retried_because_nothing_was_taken(smtp):
    _, port = smtp
    mail = _queue_mail()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=1, EMAIL_TIMEOUT=1
    ):
        assert message_deliver_due()["retry"] == 1
    mail.refresh_from_db()
    assert mail.status == Message.Status.QUEUED and mail.sending_since is None


@pytest.mark.django_db
def test_an_administrator_resends_an_in_doubt_message_with_the_same_message_id(smtp):
    handler, port = smtp
    mail = _queue_mail()
    Message.objects.filter(pk=mail.pk).update(status=Message.Status.IN_DOUBT, message_id="<motcua.1.x@localhost>")
    admin_user = make_staff("quantri", "administrator")
    message_retry_now(message=mail, actor=admin_user)
    with _smtp_settings(port):
        assert message_deliver_due()["sent"] == 1
    mail.refresh_from_db()
    assert mail.status == Message.Status.SENT
    assert message_from_bytes(handler.received[0])["Message-ID"] == "<motcua.1.x@localhost>"
    assert AuditLog.objects.filter(action="message.resend", object_id=str(mail.pk), actor=admin_user).exists()


@pytest.mark.django_db
def test_an_administrator_marks_an_in_doubt_message_sent_and_only_an_in_doubt_one():
    from motcua.core.errors import TransitionNotAllowed

    mail = _queue_mail()
    admin_user = make_staff("quantri", "administrator")
    with pytest.raises(TransitionNotAllowed):
        message_mark_sent(message=mail, actor=admin_user)  # queued: the worker will send it
    Message.objects.filter(pk=mail.pk).update(status=Message.Status.IN_DOUBT)
    message_mark_sent(message=mail, actor=admin_user)
    mail.refresh_from_db()
    assert mail.status == Message.Status.SENT and mail.sent_at is not None
    assert AuditLog.objects.filter(action="message.mark_sent", object_id=str(mail.pk)).exists()


@pytest.mark.django_db
def test_a_message_being_sent_is_not_requeued_by_the_resend_action():
    mail = _queue_mail()
    Message.objects.filter(pk=mail.pk).update(status=Message.Status.SENDING)
    message_retry_now(message=mail, actor=make_staff("quantri", "administrator"))
    mail.refresh_from_db()
    assert mail.status == Message.Status.SENDING
    assert message_reconcile_sending() == 0  # within the lease


@pytest.mark.django_db
def test_administrators_see_in_doubt_messages_on_the_home_page_and_in_the_admin(client):
    mail = _queue_mail()
    Message.objects.filter(pk=mail.pk).update(status=Message.Status.IN_DOUBT)
    admin_user = make_staff("quantri", "administrator")
    client.force_login(admin_user)
    page = client.get(reverse("core:home")).content.decode()
    assert "chưa rõ đã gửi hay chưa" in page and "status__exact=in_doubt" in page
    root = User.objects.create_superuser("root", "root@example.vn", "pw-root-12345")
    client.force_login(root)
    listing = client.get(reverse("admin:notifications_message_changelist"), {"status__exact": "in_doubt"})
    assert listing.status_code == 200 and mail.recipient in listing.content.decode()
    response = client.post(
        reverse("admin:notifications_message_changelist"), {"action": "mark_sent", "_selected_action": [mail.pk]}, follow=True
    )
    assert response.status_code == 200
    mail.refresh_from_db()
    assert mail.status == Message.Status.SENT


@pytest.mark.django_db
def test_officers_without_the_administrator_role_get_no_notifications_card(client):
    mail = _queue_mail()
    Message.objects.filter(pk=mail.pk).update(status=Message.Status.IN_DOUBT)
    client.force_login(make_staff("motcua1", "one_stop_officer"))
    assert "chưa rõ đã gửi hay chưa" not in client.get(reverse("core:home")).content.decode()


# A real worker process killed with SIGKILL right after the server's acceptance, before its commit.
_KILLED_WORKER = textwrap.dedent("""
    import os, signal
    import django
    django.setup()
    from motcua.notifications import services
    services._after_acceptance = lambda message: os.kill(os.getpid(), signal.SIGKILL)
    services.message_deliver_due()
    print("not killed")
""")


def _database_url(tmp_path):
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}"  # the suite's SQLite database lives in memory


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_with_sigkill_after_acceptance_does_not_send_twice(smtp, tmp_path):
    handler, port = smtp
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
        "DATABASE_URL": _database_url(tmp_path),
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "MOTCUA_SENDING_LEASE_SECONDS": "0",
    }

    def run(*argv, check=True):
        return subprocess.run(
            [sys.executable, *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=check
        )

    def status():
        code = (
            "import django; django.setup(); from motcua.notifications.models import Message; "
            "print(*Message.objects.filter(channel='email').values_list('status', flat=True))"
        )
        return run("-c", code).stdout.split()

    if connection.vendor != "postgresql":
        run("manage.py", "migrate", "-v0")
    run(
        "-c",
        "import django; django.setup(); from motcua.notifications.services import message_enqueue; "
        "message_enqueue(template_code='dossier_accepted', email='nguoidan@example.vn', context={'code': 'X'})",
    )
    killed = run("-c", _KILLED_WORKER, check=False)
    assert killed.returncode == -signal.SIGKILL and "not killed" not in killed.stdout
    assert len(handler.received) == 1
    assert status() == ["sending"]
    run("manage.py", "run_worker", "--once")  # reconciles: in doubt, not sent again
    run("manage.py", "run_worker", "--once")
    assert status() == ["in_doubt"]
    assert len(handler.received) == 1
