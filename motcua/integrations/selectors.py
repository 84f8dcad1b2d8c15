"""Reads of the integration outbox, scoped by the reader's agencies (core.tenancy): a message that carries an
agency is seen by that agency's administrators (and those who read every agency); one without an agency only
by those who read every agency."""

from __future__ import annotations

from django.db.models import Count, Q

from motcua.core.errors import NotFoundError
from motcua.core.tenancy import scope_for

from .models import IntegrationMessage
from .systems import LABELS, enabled, systems

Status = IntegrationMessage.Status
PENDING = (Status.QUEUED, Status.SENDING, Status.IN_DOUBT, Status.DEAD)


def _visible(user):
    return scope_for(user).readable(IntegrationMessage.objects.all())


def outbox_summary(*, user) -> list[dict]:
    """Per system: its label, whether it is configured, and how many messages are waiting, being sent, in
    doubt, dead and delivered."""
    counts = {
        row["system"]: row
        for row in _visible(user)
        .values("system")
        .annotate(**{status: Count("id", filter=Q(status=status)) for status in Status.values})
    }
    known = list(dict.fromkeys([*systems(), *counts]))
    return [
        {
            "system": system,
            "label": LABELS.get(system, system),
            "enabled": enabled(system),
            **{status: counts.get(system, {}).get(status, 0) for status in Status.values},
        }
        for system in known
    ]


def outbox_messages(*, user, system: str = "", status: str = "", key: str = "", limit: int = 200) -> list[IntegrationMessage]:
    """Undelivered messages (or those of one status), oldest first, for the administrator's page."""
    qs = _visible(user).select_related("agency")
    qs = qs.filter(status=status) if status in Status.values else qs.filter(status__in=PENDING)
    if system:
        qs = qs.filter(system=system)
    if key:
        qs = qs.filter(key=key.strip())
    return list(qs.order_by("system", "key", "sequence")[:limit])


def outbox_message(*, user, pk) -> IntegrationMessage:
    """One message the user may read (404 otherwise)."""
    try:
        return _visible(user).get(pk=int(pk))
    except (IntegrationMessage.DoesNotExist, TypeError, ValueError):
        raise NotFoundError() from None
