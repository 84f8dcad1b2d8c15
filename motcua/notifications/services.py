"""Writes of the notifications app: enqueue (inside the caller's transaction) and deliver (the worker)."""

import functools
import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed
from motcua.core.memo import Memo
from motcua.core.services import audit_record
from motcua.core.sql import insert
from motcua.core.transitions import Actor

from .models import Channel, Message, MessageTemplate
from .sms import SmsError, get_backend

logger = logging.getLogger("motcua.notifications")

MAX_ATTEMPTS = 8


@functools.lru_cache(maxsize=256)
def _compiled(text: str) -> Template:
    return Template(text)


def _render(text: str, context: dict) -> str:
    return _compiled(text).render(Context(context, autoescape=False)).strip()


# Active templates per code, kept per process (core.memo): read by every lifecycle change of a dossier.
_templates_memo = Memo("notifications.templates", MessageTemplate)


def _active_templates(code: str) -> list[MessageTemplate]:
    return _templates_memo.get(code, lambda: list(MessageTemplate.objects.filter(code=code, is_active=True)))


def message_enqueue(*, template_code: str, context: dict, email: str = "", phone: str = "", related=None) -> list[Message]:
    """Queue the messages of a template for a recipient, in the caller's transaction (outbox pattern).
    A channel without an address or without an active template is skipped."""
    messages = messages_build(template_code=template_code, context=context, email=email, phone=phone, related=related)
    insert(*messages)  # core.sql: Message has no save() override or signal receiver
    return messages


def messages_build(*, template_code: str, context: dict, email: str = "", phone: str = "", related=None) -> list[Message]:
    """The unsaved messages `message_enqueue` would queue, for a caller that writes them with its own
    rows (e.g. with its audit entry); they must be written in the transaction of the change they report."""
    now = timezone.now()
    targets = {Channel.EMAIL: email.strip(), Channel.SMS: phone.strip()}
    messages = []
    for template in _active_templates(template_code):
        recipient = targets.get(template.channel)
        if not recipient:
            continue
        messages.append(
            Message(
                channel=template.channel,
                template_code=template_code,
                recipient=recipient,
                subject=_render(template.subject, context)[:255],
                body=_render(template.body, context),
                next_attempt_at=now,
                object_type=related._meta.label_lower if related is not None else "",
                object_id=str(related.pk) if related is not None else "",
            )
        )
    return messages


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "motcua.localhost"


class NotSent(Exception):
    """The channel refused the message or could not be reached: it was not taken, trying again is safe."""


def _deliver(message: Message) -> None:
    """Hand the message over. Raises NotSent when the channel certainly did not take it; any other
    failure (a time-out or a dropped connection while the server was taking the message) leaves its fate
    unknown, and the message stays "sending" until it is reconciled as "in doubt"."""
    if message.channel == Channel.EMAIL:
        connection = get_connection(fail_silently=False)
        try:
            connection.open()  # nothing sent yet: any failure here is safe to retry
        except (smtplib.SMTPException, OSError) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": message.message_id},
            connection=connection,
        )
        try:
            mail.send(fail_silently=False)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc  # the server answered with a refusal
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - the message's fate is already decided
                logger.info("closing the SMTP connection after message %s failed", message.pk, exc_info=True)
    else:
        try:
            get_backend().send(message.recipient, message.body)
        except SmsError as exc:  # the adapter's refusal (motcua.notifications.sms)
            raise NotSent(f"{type(exc).__name__}: {exc}") from exc


def _after_acceptance(message: Message) -> None:
    """Between the server's acceptance and the commit of "sent": nothing. Tests put a crash here."""


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def message_reconcile_sending(*, lease_seconds: int | None = None) -> int:
    """Messages left "sending" longer than the lease (MOTCUA_SENDING_LEASE_SECONDS): their worker died
    during or right after the conversation, so the server may have accepted them. They become "in doubt"
    (for an administrator to resend or mark sent), never re-sent here. Returns how many."""
    lease = settings.MOTCUA_SENDING_LEASE_SECONDS if lease_seconds is None else lease_seconds
    cutoff = timezone.now() - timedelta(seconds=lease)
    with transaction.atomic():
        stale = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.SENDING, sending_since__lte=cutoff)
            .values_list("pk", flat=True)
        )
        if stale:
            Message.objects.filter(pk__in=stale, status=Message.Status.SENDING).update(
                status=Message.Status.IN_DOUBT, last_error="Tiến trình gửi dừng giữa chừng: chưa rõ máy chủ đã nhận thư hay chưa."
            )
            logger.warning("messages %s were left sending by a stopped worker: in doubt, not re-sent", stale)
    return len(stale)


def _claim_next() -> Message | None:
    """Lock the next due message (SKIP LOCKED on PostgreSQL, so several workers never take the same one)
    and commit it as "sending", with its stable Message-ID, before any conversation with a server."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.QUEUED, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.status = Message.Status.SENDING
        message.sending_since = timezone.now()
        if not message.message_id:
            message.message_id = make_msgid(idstring=f"motcua.{message.pk}", domain=_message_id_domain())
        message.save(update_fields=["attempts", "status", "sending_since", "message_id"])
    return message


def message_deliver_due(*, limit: int = 100) -> dict[str, int]:
    """Deliver queued messages whose time has come, each at most once: "sending" is committed before the
    conversation with the mail server (outside any transaction) and the outcome after it. A worker killed
    in between leaves the message "sending"; message_reconcile_sending then makes it "in doubt"."""
    done = {"sent": 0, "retry": 0, "failed": 0, "in_doubt": message_reconcile_sending()}
    for _attempt in range(limit):
        message = _claim_next()
        if message is None:
            break
        try:
            _deliver(message)
        except NotSent as exc:
            # Refused or unreachable: the channel did not take the message, so trying again is safe.
            outcome = {"last_error": str(exc)[:2000], "sending_since": None}
            if message.attempts >= MAX_ATTEMPTS:
                outcome["status"] = Message.Status.FAILED
                done["failed"] += 1
            else:
                outcome.update(status=Message.Status.QUEUED, next_attempt_at=timezone.now() + _backoff(message.attempts))
                done["retry"] += 1
            logger.warning("delivery of message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        except Exception as exc:  # noqa: BLE001 - e.g. a time-out while the server was taking the message
            outcome = {"status": Message.Status.IN_DOUBT, "last_error": f"{type(exc).__name__}: {exc}"[:2000]}
            done["in_doubt"] += 1
            logger.error("message %s: delivery interrupted, fate unknown (in doubt, not re-sent)", message.pk, exc_info=True)
        else:
            _after_acceptance(message)
            outcome = {"status": Message.Status.SENT, "sent_at": timezone.now(), "last_error": "", "sending_since": None}
            done["sent"] += 1
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(**outcome)
    return done


def message_retry_now(*, message: Message, actor: Actor) -> Message:
    """Staff action: bring a failed, waiting or in-doubt message forward (its Message-ID is kept, so a mail
    server that had accepted it can recognise the copy). A message being sent or sent is left alone."""
    with transaction.atomic():
        changed = Message.objects.filter(
            pk=message.pk,
            status__in=[Message.Status.QUEUED, Message.Status.FAILED, Message.Status.IN_DOUBT],
        ).update(status=Message.Status.QUEUED, next_attempt_at=timezone.now(), sending_since=None)
        if changed:
            audit_record(actor=actor, action="message.resend", obj=message, changes={"status": [message.status, "queued"]})
    message.refresh_from_db()
    return message


def message_mark_sent(*, message: Message, actor: Actor) -> Message:
    """Administrator's answer to an in-doubt message found delivered (e.g. in the mail server's log)."""
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, status=Message.Status.IN_DOUBT).update(
            status=Message.Status.SENT, sent_at=timezone.now(), sending_since=None, last_error="Quản trị viên xác nhận đã gửi."
        )
        if not changed:
            raise TransitionNotAllowed(_("Chỉ đánh dấu đã gửi cho thông báo đang ở trạng thái chưa rõ đã gửi."))
        audit_record(actor=actor, action="message.mark_sent", obj=message, changes={"status": ["in_doubt", "sent"]})
    message.refresh_from_db()
    return message
