"""Our dossiers mapped to the postal operator's orders (public postal service, BCCI), in one place.

Two kinds of order, each written with its outbox message (motcua.integrations, system "postal") in the
transaction of the change that asks for it:
- **pickup** (thu gom): a dossier received "by post" without a tracking number while the postal service is
  connected — the operator collects the papers at the applicant's address and brings them to the desk;
- **delivery** (chuyển phát): the result returned "by post" without a tracking number — the operator collects
  it at the desk and delivers it to the applicant's return address.

The operator answers with tracking events (signed callbacks, `tracking_event_apply`): the first one
(accepted) carries its tracking code (ItemCode), which the dossier keeps as its `postal_tracking` and the lookup
page and the BM.01 slip show; a failed delivery (returned to the sender) puts the dossier back on the desk's
worklist until the desk deals with it (`postal_failure_resolve`). Events move an order forward only: one older
than the state held is recorded and not applied; a repeated event (same EventId) changes nothing.

The official API is not public in full: the fields follow the public shape of the VNPost order API (OrderCode,
ItemCode, Sender*/Receiver*, PackageContent, CodAmountEvaluation, ServiceName, OrderStatusId); the schemas are
motcua/integrations/schemas/postal_order.json and postal_tracking_event.json, the table docs/integrations.md.
A real operator whose codes differ changes `ORDER_TYPES`, `OPERATOR_STATUSES` and `order_payload` only."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.errors import NotFoundError, PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.transitions import SYSTEM, Actor, require_actor
from motcua.core.validators import ascii_int
from motcua.integrations import schemas
from motcua.integrations.models import InboundMessage, IntegrationMessage
from motcua.integrations.services import message_build
from motcua.integrations.systems import POSTAL, enabled

from .models import Delivery, Dossier, DossierEvent, PostalOrder

KIND = "postal.order"
SCHEMA_ID = "motcua.postal.order/1"
EVENT_SCHEMA = "postal_tracking_event"
EVENT_KIND = "postal.tracking"

Kind = PostalOrder.Kind
State = PostalOrder.State

ORDER_TYPES = {Kind.PICKUP: "PICKUP", Kind.DELIVERY: "DELIVERY"}
CODE_SUFFIX = {Kind.PICKUP: "TG", Kind.DELIVERY: "TR"}  # thu gom / trả kết quả
# The operator's order statuses (OrderStatusId of its tracking events) and what they mean here.
OPERATOR_STATUSES = {
    10: State.ACCEPTED,  # order accepted, tracking code (ItemCode) given
    20: State.PICKED_UP,  # the postman collected the item
    30: State.IN_TRANSIT,
    50: State.DELIVERED,  # delivered to the receiver
    60: State.FAILED,  # not delivered, returned to the sender
}
# How far along an order is: an event moves it only to a higher rank (delivered and failed are final).
RANK = {State.REQUESTED: 0, State.ACCEPTED: 1, State.PICKED_UP: 2, State.IN_TRANSIT: 3, State.DELIVERED: 9, State.FAILED: 9}

# Timeline labels of the postal events (the staff dossier page and the public lookup page); marked for the
# catalogue, translated where the staff timeline is built (dossiers.selectors).
EVENT_LABELS = {
    "postal_accepted": gettext_noop("Bưu chính đã nhận đơn"),
    "postal_picked_up": gettext_noop("Bưu tá đã nhận bưu gửi"),
    "postal_in_transit": gettext_noop("Bưu gửi đang được vận chuyển"),
    "postal_delivered": gettext_noop("Bưu chính đã phát thành công"),
    "postal_failed": gettext_noop("Phát không thành công, bưu gửi chuyển hoàn về Bộ phận Một cửa"),
    "postal_pickup_failed": gettext_noop("Bưu chính không thu gom được hồ sơ tại địa chỉ người nộp"),
    "postal_resolved": gettext_noop("Bộ phận Một cửa đã xử lý bưu gửi chuyển hoàn"),
}

SIGNATURE_HEADER = "X-Postal-Signature"
TIMESTAMP_HEADER = "X-Postal-Timestamp"


def connected() -> bool:
    """The postal operator is configured (POSTAL_URL): "by post" without a tracking number makes an order."""
    return enabled(POSTAL)


# --- orders (written in the transaction of the intake / the return) ---


def _place(dossier: Dossier) -> tuple[str, str, str]:
    """The desk's name, address and telephone: the receiving service centre when there is one."""
    agency = dossier.receiving_agency if dossier.receiving_agency_id else dossier.agency
    return agency.name, agency.address or agency.name, agency.phone


def order_payload(order: PostalOrder, dossier: Dossier) -> dict:
    """The operator's create-order request (without message_id and sequence, which the outbox adds)."""
    desk_name, desk_address, desk_phone = _place(dossier)
    applicant = (dossier.applicant_name, dossier.applicant_address, dossier.applicant_phone)
    name = dossier.procedure_version.name
    if order.kind == Kind.PICKUP:
        sender, receiver = applicant, (desk_name, desk_address, desk_phone)
        content = f"Hồ sơ thủ tục hành chính {dossier.code}: {name}"
    else:
        sender = (desk_name, desk_address, desk_phone)
        receiver = (dossier.applicant_name, dossier.return_address or dossier.applicant_address, dossier.applicant_phone)
        content = f"Kết quả giải quyết thủ tục hành chính {dossier.code}: {name}"
    return {
        "schema": SCHEMA_ID,
        "OrderCode": order.order_code,
        "OrderType": ORDER_TYPES[order.kind],
        "MaHoSo": dossier.code,
        "MaCoQuan": dossier.agency.code,
        "ServiceName": settings.POSTAL_SERVICE,
        "PickupType": 1,  # collected at the sender's address (the applicant's home, or the desk)
        "SenderFullname": sender[0],
        "SenderAddress": sender[1],
        "SenderTel": sender[2],
        "ReceiverFullname": receiver[0],
        "ReceiverAddress": receiver[1],
        "ReceiverTel": receiver[2],
        "PackageContent": content[:250],
        "CodAmountEvaluation": 0,  # no cash on delivery: fees are paid to the agency, not to the postman
        "IsReceiverPayFreight": False,
    }


def order_rows(dossier: Dossier, *, kind: str, at: datetime) -> list[IntegrationMessage]:
    """Write the order (its row now, in the caller's transaction: the dossier exists) and return its outbox
    message, unsaved, for the caller's writes.finish(rows=...), which writes it with the audit entry."""
    if not connected():
        return []
    number = PostalOrder.objects.filter(dossier_id=dossier.pk, kind=kind).count() + 1
    order = PostalOrder.objects.create(
        dossier=dossier,
        kind=kind,
        order_code=f"{dossier.code}-{CODE_SUFFIX[kind]}{number}",
        created_at=at,
        updated_at=at,
    )
    # Keyed by the dossier (as its portal messages): its orders reach the operator in the order made.
    return [
        message_build(
            system=POSTAL, kind=KIND, key=dossier.code, payload=order_payload(order, dossier), agency_id=dossier.agency_id, at=at
        )
    ]


def pickup_check(*, applicant_address: str) -> None:
    """A dossier received by post without a tracking number: the operator picks the papers up, which needs the
    postal service connected and the applicant's address (else the officer types the tracking number in)."""
    if not connected():
        raise ValidationFailed(fields={"postal_tracking": [_("Hồ sơ qua bưu chính cần số hiệu bưu gửi.")]})
    if not applicant_address.strip():
        raise ValidationFailed(fields={"applicant_address": [_("Cần địa chỉ để bưu chính đến nhận hồ sơ.")]})


def delivery_check(dossier: Dossier) -> None:
    """A result returned by post without a tracking number: a delivery order, which needs the postal service
    connected and an address to deliver to."""
    if not connected():
        raise ValidationFailed(fields={"postal_tracking": [_("Trả qua bưu chính cần số hiệu bưu gửi.")]})
    if not (dossier.return_address or dossier.applicant_address).strip():
        raise ValidationFailed(fields={"return_address": [_("Cần địa chỉ nhận kết quả qua bưu chính.")]})


# --- tracking callbacks from the operator ---


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" under the shared secret, hex (the operator signs, we check)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(*, timestamp: str, sent: str, body: bytes, now: float | None = None) -> bool:
    """The callback is signed with our secret and recent (a replayed old request is refused; a repeated recent
    one is recognised by its EventId)."""
    secret = settings.POSTAL_CALLBACK_SECRET
    moment = ascii_int(timestamp)
    if not secret or moment is None or not sent:
        return False
    if abs((now or time.time()) - moment) > settings.POSTAL_CALLBACK_MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), sent)


def _moment(text: str) -> datetime:
    """yyyyMMddHHmmss in Vietnam time (the operator's format, as the national portal's)."""
    try:
        return timezone.make_aware(datetime.strptime(text, "%Y%m%d%H%M%S"))
    except ValueError:
        raise ValidationFailed(fields={"TimeStamp": [_("Thời điểm không hợp lệ.")]}) from None


def tracking_event_apply(*, event: dict, at: datetime | None = None) -> dict:
    """Apply one tracking event (already authenticated). Returns {"result": "applied" | "duplicate" | "stale",
    "state": the order's state}. An unknown order: 404; an invalid event: 400 (nothing recorded)."""
    problems = schemas.errors(EVENT_SCHEMA, event) if isinstance(event, dict) else ["(gốc): không phải đối tượng JSON"]
    if problems:
        raise ValidationFailed(_("Sự kiện bưu chính không hợp lệ."), fields={"event": problems})
    happened = _moment(event["TimeStamp"])
    now = at or timezone.now()
    found = PostalOrder.objects.filter(order_code=event["OrderCode"]).values_list("pk", "dossier_id").first()
    if found is None:
        raise NotFoundError(_("Không có đơn bưu chính này."))
    with transaction.atomic():
        # The dossier first, as every dossier service: its events are serialised with the desk's actions.
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related("agency").get(pk=found[1])
        order = PostalOrder.objects.select_for_update().get(pk=found[0])
        if InboundMessage.objects.filter(system=POSTAL, external_id=event["EventId"]).exists():
            return {"result": "duplicate", "state": order.state}
        new_state = OPERATOR_STATUSES[event["OrderStatusId"]]
        applies = RANK[new_state] > RANK[order.state]
        InboundMessage.objects.create(
            system=POSTAL,
            kind=EVENT_KIND,
            external_id=event["EventId"],
            agency_id=dossier.agency_id,
            status=InboundMessage.Status.ACCEPTED,
            local_key=order.order_code,
            reason="" if applies else f"stale: {new_state} after {order.state}",
            payload=event,
            received_at=now,
        )
        if not applies:
            return {"result": "stale", "state": order.state}
        before = order.state
        order.state, order.state_at, order.updated_at = new_state, happened, now
        order.tracking_code = event["ItemCode"] or order.tracking_code
        order.note = event.get("Note", "")[:500]
        order.save(update_fields=["state", "state_at", "updated_at", "tracking_code", "note"])
        if order.tracking_code and dossier.postal_tracking != order.tracking_code:
            dossier.postal_tracking = order.tracking_code  # the number the applicant and the desk look up
            dossier.save(update_fields=["postal_tracking", "updated_at"])
        data = {"order": order.order_code, "kind": order.kind, "tracking": order.tracking_code, "state": new_state}
        failed_pickup = new_state == State.FAILED and order.kind == Kind.PICKUP
        timeline = DossierEvent(
            dossier=dossier,
            at=happened,
            action="postal_pickup_failed" if failed_pickup else f"postal_{new_state}",
            actor=None,
            status_from=dossier.status,
            status_to=dossier.status,
            note=event.get("Note") or event.get("StatusName") or State(new_state).label,
            data=data,
        )
        audit_record(
            actor=SYSTEM,
            action="dossier.postal_tracking",
            obj=dossier,
            changes={"postal_state": [before, new_state], "event_id": event["EventId"], **data},
            together=[[timeline]],
        )
    return {"result": "applied", "state": new_state}


def orders_of(dossier: Dossier) -> list[PostalOrder]:
    """The dossier's postal orders, oldest first (the lookup page, the BM.01 slip, the staff page)."""
    return list(PostalOrder.objects.filter(dossier_id=dossier.pk).order_by("id"))


# --- the desk deals with a failed delivery ---

RESOLUTIONS = ("post", "counter")


def postal_failure_resolve(*, dossier: Dossier, actor: Actor, how: str, note: str = "", at: datetime | None = None) -> Dossier:
    """The desk deals with a failed order. A delivery (the result came back): "post" sends it again (a new delivery
    order, through the outbox), "counter" keeps it for the applicant to collect. A pickup (the operator could not
    collect the papers): "post" asks for a new pickup, "counter" leaves the applicant to bring them to the desk
    (the way the result is returned is left as it was). Either way the failure leaves the worklist; nothing
    failed: 409."""
    require_actor(actor)
    if not isinstance(actor, User) or not user_has_role(actor, Role.ONE_STOP_OFFICER, Role.LEADER):
        raise PermissionDeniedError(_("Chỉ cán bộ Một cửa xử lý bưu gửi chuyển hoàn."))
    if how not in RESOLUTIONS:
        raise ValidationFailed(fields={"how": [_("Chọn gửi lại qua bưu chính hoặc trả tại Bộ phận Một cửa.")]})
    if how == "post" and not connected():
        raise ValidationFailed(fields={"how": [_("Chưa kết nối dịch vụ bưu chính.")]})
    now = at or timezone.now()
    ensure_can_act(actor, dossier.agency_id)
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).select_related("agency", "procedure_version").get(pk=dossier.pk)
        failed = list(PostalOrder.objects.select_for_update().filter(dossier=d, state=State.FAILED, resolved_at__isnull=True))
        if not failed:
            raise TransitionNotAllowed(_("Hồ sơ không có bưu gửi chuyển hoàn cần xử lý."))
        PostalOrder.objects.filter(pk__in=[o.pk for o in failed]).update(resolved_at=now, updated_at=now)
        # A new order of the failed one's kind: re-sending a failed pickup must not send a result that does not exist.
        kinds = sorted({o.kind for o in failed})
        messages = [m for kind in kinds for m in order_rows(d, kind=kind, at=now)] if how == "post" else []
        if how == "counter" and Kind.DELIVERY in kinds and d.result_delivery != Delivery.COUNTER:
            d.result_delivery = Delivery.COUNTER
            d.save(update_fields=["result_delivery", "updated_at"])
        data = {"how": how, "failed_orders": [o.order_code for o in failed]}
        timeline = DossierEvent(
            dossier=d,
            at=now,
            action="postal_resolved",
            actor=actor,
            status_from=d.status,
            status_to=d.status,
            note=note,
            data=data,
        )
        audit_record(actor=actor, action="dossier.postal_resolved", obj=d, changes=data, together=[[timeline], messages])
    return d
