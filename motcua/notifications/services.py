"""Writes of the notifications app: enqueue (inside the caller's transaction) and deliver (the worker)."""

import functools
import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone

from motcua.core.memo import Memo
from motcua.core.sql import insert

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
        messages.append(Message(
            channel=template.channel, template_code=template_code, recipient=recipient,
            subject=_render(template.subject, context)[:255], body=_render(template.body, context),
            next_attempt_at=now,
            object_type=related._meta.label_lower if related is not None else "",
            object_id=str(related.pk) if related is not None else "",
        ))
    return messages


def _deliver(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(subject=message.subject, body=message.body, to=[message.recipient]).send(fail_silently=False)
    else:
        get_backend().send(message.recipient, message.body)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def message_deliver_due(*, limit: int = 100) -> dict[str, int]:
    """Deliver queued messages whose time has come. Each message is locked (SKIP LOCKED on PostgreSQL, so
    several workers never send the same one) and marked in the same transaction as its sending attempt."""
    done = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        with transaction.atomic():
            message = (
                Message.objects.select_for_update(skip_locked=True)
                .filter(status=Message.Status.QUEUED, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "id")
                .first()
            )
            if message is None:
                break
            message.attempts += 1
            try:
                _deliver(message)
            except (smtplib.SMTPException, OSError, SmsError) as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = Message.Status.FAILED
                    done["failed"] += 1
                else:
                    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                    done["retry"] += 1
                logger.warning("delivery of message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
            else:
                message.status = Message.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                done["sent"] += 1
            message.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    return done


def message_retry_now(*, message: Message) -> Message:
    """Staff action: bring a failed or waiting message forward."""
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).exclude(status=Message.Status.SENT).update(
            status=Message.Status.QUEUED, next_attempt_at=timezone.now())
    message.refresh_from_db()
    return message


