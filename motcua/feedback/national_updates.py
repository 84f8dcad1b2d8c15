"""What the national PAKN system hears back about a petition it sent us (issue 17 item 5): one outbox message
per event, written in the transaction of the change (motcua.integrations: ordered per petition, idempotent
message ID, retried, dead-lettered). Schema integrations/schemas/dvcqg_pakn_update.json, route
`pakn.update` → `POST /api/pakn/capnhat`.

- `receive` (taken into the agency's worklist, with our code) or `reject` (not taken: unknown agency, invalid
  data — `LyDo`): the acknowledgement, written by feedback/national.py;
- then every stage of feedback.services for a petition of the national channel: `refuse` (LyDo),
  `request_more_info` (NoiDungDeNghiBoSung), `receive_more_info`, `start`, `answer` (NoiDungTraLoi), `publish`,
  each with the new status and the current stage's deadline (HanXuLy).

Only petitions that came from the national system (channel `national`, recorded in integrations.InboundMessage)
are reported: one query on the inbound log for them, none for other channels."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from motcua.integrations.models import InboundMessage, IntegrationMessage
from motcua.integrations.services import message_build
from motcua.integrations.systems import DVCQG

from .models import Channel, Feedback

KIND = "pakn.update"
INBOUND_KIND = "pakn.received"
SCHEMA_ID = "motcua.dvcqg.pakn-update/1"


def external_id(national_id: str) -> str:
    """The InboundMessage ID of a petition (prefixed: national dossier IDs share the table)."""
    return f"pakn:{national_id}"


def _stamp(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S") if moment else None


def update_message(
    national_id: str,
    *,
    action: str,
    status: str,
    agency_id: int | None,
    at: datetime | None = None,
    feedback: Feedback | None = None,
    reason: str = "",
    agency_code: str = "",
) -> IntegrationMessage:
    """The unsaved message (the caller saves it in its transaction, holding the petition's row lock)."""
    payload = {
        "schema": SCHEMA_ID,
        "MaPAKNQG": national_id,
        "SuKien": action,
        "TrangThai": status,
        "ThoiDiem": _stamp(at or timezone.now()),
    }
    if feedback is not None:
        payload.update(MaPAKN=feedback.code, MaCoQuan=agency_code or feedback.agency.code, HanXuLy=_stamp(feedback.current_due))
        payload["CongKhai"] = feedback.is_published
        if action == "refuse":
            reason = feedback.refuse_reason
        if action == "request_more_info":
            payload["NoiDungDeNghiBoSung"] = feedback.more_info_request
        if feedback.answer:
            payload["NoiDungTraLoi"] = feedback.answer
    if reason:
        payload["LyDo"] = reason
    return message_build(system=DVCQG, kind=KIND, key=external_id(national_id), payload=payload, agency_id=agency_id)


def stage_changed(feedback: Feedback, action: str, *, at: datetime | None = None) -> None:
    """Called by each transition of feedback.services, in its transaction, on the locked row."""
    if feedback.channel != Channel.NATIONAL:
        return
    key = (
        InboundMessage.objects.filter(system=DVCQG, kind=INBOUND_KIND, local_key=feedback.code)
        .values_list("external_id", flat=True)
        .first()
    )
    if key is None:
        return
    national_id = key.removeprefix("pakn:")
    update_message(
        national_id, action=action, status=feedback.status, agency_id=feedback.agency_id, at=at, feedback=feedback
    ).save()
