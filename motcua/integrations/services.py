"""Writes of the integration outbox: build a message (the caller writes it in its own transaction, with its
audit entry), deliver due messages (the worker), re-send (an administrator). Delivery mirrors the e-mail/SMS
outbox (motcua.notifications): "sending" is committed before the conversation, the outcome after it. Unlike
e-mail, every receiver here is idempotent on the message ID, so a message whose fate is unknown (a time-out,
a worker killed mid-request) is sent again on its own with the same ID instead of waiting for a person."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.transitions import Actor, require_actor

from .models import IntegrationMessage
from .systems import transport_for
from .transport import InDoubt, NotDelivered, Refused

logger = logging.getLogger("motcua.integrations")

Status = IntegrationMessage.Status
_NEXT_SEQUENCE = (
    f'SELECT COALESCE(MAX("sequence"), 0) + 1 FROM "{IntegrationMessage._meta.db_table}" WHERE "system" = %s AND "key" = %s'
)


def message_build(
    *, system: str, kind: str, key: str, payload: dict, agency_id: int | None, at=None, sequence: int | None = None
) -> IntegrationMessage:
    """The unsaved message, numbered after the key's last one. The caller writes it in the transaction of the
    change it reports (core.sql.insert, or audit_record's `together`) and holds what serialises the key's
    changes (a dossier's row lock): the unique (system, key, sequence) refuses a fork anyway. `sequence`: given
    by a caller that knows it (1 for a key created in this transaction), else read."""
    if sequence is None:
        with connection.cursor() as cursor:
            cursor.execute(_NEXT_SEQUENCE, [system, key])
            sequence = cursor.fetchone()[0]
    now = at or timezone.now()
    message = IntegrationMessage(
        system=system,
        kind=kind,
        key=key,
        sequence=sequence,
        agency_id=agency_id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )
    message.payload = {**payload, "message_id": str(message.message_id), "sequence": sequence}
    return message


def _backoff(attempts: int) -> timedelta:
    base = settings.INTEGRATION_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def reconcile_sending(*, lease_seconds: float | None = None) -> int:
    """Messages left "sending" longer than INTEGRATION_SENDING_LEASE_SECONDS: their worker died during the
    request. They become "in doubt" and are sent again now (same message ID: the receiver ignores a copy)."""
    lease = settings.INTEGRATION_SENDING_LEASE_SECONDS if lease_seconds is None else lease_seconds
    now = timezone.now()
    with transaction.atomic():
        stale = list(
            IntegrationMessage.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SENDING, sending_since__lte=now - timedelta(seconds=lease))
            .values_list("pk", flat=True)
        )
        if stale:
            IntegrationMessage.objects.filter(pk__in=stale, status=Status.SENDING).update(
                status=Status.IN_DOUBT,
                next_attempt_at=now,
                sending_since=None,
                last_error="Tiến trình gửi dừng giữa chừng: chưa rõ bên nhận đã nhận chưa; gửi lại cùng mã thông điệp.",
            )
            logger.warning("integration messages %s were left sending by a stopped worker: sent again", stale)
    return len(stale)


BATCH = 20


def _claim(tried: set[int], size: int) -> list[IntegrationMessage]:
    """Lock up to `size` due messages whose key has no earlier undelivered message — at most one per key, the
    key's next — (SKIP LOCKED on PostgreSQL: workers never take the same one, and a key's next message waits
    while its predecessor is being sent) and commit them as "sending" before any request. `tried`: messages
    this pass tried already (one try each per pass, whatever the back-off)."""
    now = timezone.now()
    earlier = IntegrationMessage.objects.filter(
        system=OuterRef("system"), key=OuterRef("key"), sequence__lt=OuterRef("sequence")
    ).exclude(status=Status.DELIVERED)
    with transaction.atomic():
        due = IntegrationMessage.objects.select_for_update(skip_locked=True).filter(
            status__in=[Status.QUEUED, Status.IN_DOUBT], next_attempt_at__lte=now
        )
        if tried:
            due = due.exclude(pk__in=tried)
        messages = list(due.exclude(Exists(earlier)).order_by("next_attempt_at", "id")[:size])
        if messages:
            IntegrationMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                status=Status.SENDING, sending_since=now, attempts=F("attempts") + 1
            )
    for message in messages:
        message.attempts += 1
        message.status = Status.SENDING
        message.sending_since = now
    return messages


def _after_sending(message: IntegrationMessage) -> None:
    """Between the receiver's answer and the commit of "delivered": nothing. Tests put a crash here."""


def deliver_due(*, limit: int = 200) -> dict[str, int]:
    """Deliver due messages, in order per key. Returns counts: delivered, retry, in_doubt, dead, reclaimed."""
    done = {"delivered": 0, "retry": 0, "in_doubt": 0, "dead": 0, "reclaimed": reconcile_sending()}
    max_attempts = settings.INTEGRATION_MAX_ATTEMPTS
    tried: set[int] = set()
    batch: list[IntegrationMessage] = []
    delivered: list[int] = []
    for _attempt in range(limit):
        if not batch:
            _record_delivered(delivered)
            batch = _claim(tried, min(BATCH, limit - len(tried)))
            if not batch:
                break
        message = batch.pop(0)
        tried.add(message.pk)
        transport = transport_for(message.system)
        try:
            if transport is None:
                raise NotDelivered(f"Hệ thống {message.system} chưa được cấu hình (thiếu địa chỉ).")
            transport.send(kind=message.kind, message_id=str(message.message_id), payload=message.payload)
        except Refused as exc:
            outcome = {"status": Status.DEAD, "last_error": str(exc)[:4000]}
            done["dead"] += 1
            logger.error("integration message %s refused by %s: %s", message.pk, message.system, exc)
        except (NotDelivered, InDoubt) as exc:
            status = Status.IN_DOUBT if isinstance(exc, InDoubt) else Status.QUEUED
            outcome = {"last_error": str(exc)[:4000]}
            if message.attempts >= max_attempts:
                outcome["status"] = Status.DEAD
                done["dead"] += 1
            else:
                outcome.update(status=status, next_attempt_at=timezone.now() + _backoff(message.attempts))
                done["in_doubt" if status == Status.IN_DOUBT else "retry"] += 1
            logger.warning("integration message %s (attempt %s): %s", message.pk, message.attempts, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the worker; the message is kept
            outcome = {
                "status": Status.IN_DOUBT,
                "last_error": f"{type(exc).__name__}: {exc}"[:4000],
                "next_attempt_at": timezone.now() + _backoff(message.attempts),
            }
            done["in_doubt"] += 1
            logger.exception("integration message %s: unexpected failure", message.pk)
        else:
            _after_sending(message)
            delivered.append(message.pk)
            done["delivered"] += 1
            continue
        # One statement, committed on its own (autocommit): no BEGIN/COMMIT round trips per message.
        IntegrationMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(sending_since=None, **outcome)
    _record_delivered(delivered)
    return done


def _record_delivered(pks: list[int]) -> None:
    """Record the batch's deliveries in one statement (one commit per batch, not per message). A worker that
    dies before it leaves them "sending": they are sent again after the lease, and the receiver, idempotent on
    the message ID, ignores the copies. The next batch is claimed only after this, so a key's next message
    never goes before its predecessor is recorded."""
    if pks:
        IntegrationMessage.objects.filter(pk__in=pks, status=Status.SENDING).update(
            status=Status.DELIVERED, delivered_at=timezone.now(), last_error="", sending_since=None
        )
        pks.clear()


RESENDABLE = (Status.DEAD, Status.IN_DOUBT, Status.QUEUED)


def message_resend(*, message: IntegrationMessage, actor: Actor) -> IntegrationMessage:
    """Administrator: send a dead, in-doubt or waiting message now, with its attempts counted afresh and the
    same message ID (a receiver that had it ignores the copy). Being sent or delivered: 409."""
    require_actor(actor)
    ensure_can_act(actor, message.agency_id)
    with transaction.atomic():
        before = IntegrationMessage.objects.select_for_update().filter(pk=message.pk).values_list("status", flat=True).first()
        if before not in RESENDABLE:
            raise TransitionNotAllowed(_("Chỉ gửi lại thông điệp đang chờ, chưa rõ đã nhận hoặc thất bại."))
        IntegrationMessage.objects.filter(pk=message.pk).update(
            status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0, sending_since=None
        )
        audit_record(
            actor=actor,
            action="integration.resend",
            obj=message,
            changes={"status": [before, Status.QUEUED], "system": message.system, "key": message.key},
        )
    message.refresh_from_db()
    return message
