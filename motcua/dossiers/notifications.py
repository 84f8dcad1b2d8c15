"""Messages to the applicant about their dossier, queued in the shared outbox (motcua.notifications)
inside the transaction of the change they report: a message exists if and only if the change was
committed. The worker (`manage.py run_worker`) delivers them; administrators edit the templates.

A lifecycle event without a template (e.g. "stopped") queues nothing until an administrator adds one."""

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.notifications.models import Message
from motcua.notifications.services import messages_build

from .models import Dossier

# Lifecycle event → message template code (motcua/notifications/defaults.py).
TEMPLATE_FOR_EVENT = {
    "received": "dossier_accepted",  # counter and postal dossiers are accepted on reception
    "accepted": "dossier_accepted",
    "refused": "dossier_refused",
    "supplement_requested": "dossier_supplement_requested",
    "payment_required": "dossier_payment_required",
    "extended": "dossier_extended",
    "decided": "dossier_result_ready",
    "withdrawn": "dossier_withdrawn",
    "stopped": "dossier_stopped",
    # "submitted" (online): the portal sends dossier_submitted itself, because only it holds the
    # applicant's one-time lookup secret.
}


def _when(value) -> str:
    return f"{timezone.localtime(value, timezone.get_default_timezone()):%H:%M %d/%m/%Y}" if value else ""


def lookup_url(code: str) -> str:
    """The public lookup page of a dossier (the portal's, under SITE_URL): the one link that slips' QR codes,
    mails and SMS give the applicant."""
    return f"{settings.SITE_URL}{reverse('portal:lookup')}?{urlencode({'ma': code})}"


def notification_messages(dossier: Dossier, event: str, data: dict | None = None, note: str = "") -> list[Message]:
    """The messages for a lifecycle event to the applicant's e-mail and phone, if any, unsaved: the
    service writes them with its audit entry (services._finish), in the transaction of the change."""
    template_code = TEMPLATE_FOR_EVENT.get(event)
    if template_code is None:
        return []
    data = data or {}
    context = {
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.agency.name,
        "due": _when(dossier.due_at),
        "old_due": _when(datetime.fromisoformat(data["previous_due_at"])) if data.get("previous_due_at") else "",
        "items": data.get("items", []),
        "reason": note,
        "note": note,
        "lookup_url": lookup_url(dossier.code),
        "delivery": "",
    }
    return messages_build(
        template_code=template_code,
        context=context,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        related=dossier,
    )
