"""Petitions (PAKN) received on the national PAKN system, pulled into the agency's worklist (issue 17 item 5).

`pull()` (command `pull_national_pakn`, from cron every few minutes) asks the national system for the petitions
sent to the agencies of this installation and not yet acknowledged (`GET /api/pakn/moi` on the national portal,
the DVCQG transport), and takes each one in its own transaction:

1. checked against integrations/schemas/dvcqg_pakn_inbound.json;
2. addressed by `MaCoQuan` to one of our agencies (an unknown agency is refused back with the reason);
3. received through the one PAKN intake, `feedback_submit(actor=SYSTEM, channel="national", ...)`: a code, the
   Decision 766 deadlines, the submitter told, in the agency's worklist like any other;
4. recorded once in integrations.InboundMessage (`pakn:<national ID>`, unique): a petition offered again is
   recognised and ignored;
5. acknowledged through the outbox (feedback/national_updates.py): `receive` with our code, or `reject` with
   the reason — never lost (the refusal is recorded and audited). Later stages and the answer follow in order.

The field names are modelled on public descriptions of the national PAKN system (to confirm against the
official specification)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.errors import ApplicationError
from motcua.core.models import Agency
from motcua.core.services import audit_record
from motcua.core.transitions import SYSTEM
from motcua.integrations import schemas
from motcua.integrations.inbound import Refusal, pull_inbox, refusal_reason
from motcua.integrations.models import InboundMessage
from motcua.integrations.systems import DVCQG, DVCQG_PAKN_INBOX_PATH

from .models import Category, Channel, Kind
from .national_updates import INBOUND_KIND, external_id, update_message
from .selectors import procedure_by_code
from .services import feedback_submit

SCHEMA = "dvcqg_pakn_inbound"
KINDS = {1: Kind.FEEDBACK, 2: Kind.PETITION}
CATEGORIES = {1: Category.PROCEDURE, 2: Category.REGULATION, 3: Category.ATTITUDE, 4: Category.OTHER}


def _sent_at(item: dict) -> datetime:
    """When the petition reached the national system (its deadlines count from there); never in the future."""
    try:
        sent = timezone.make_aware(datetime.strptime(item["NgayGui"], "%Y%m%d%H%M%S"))
    except (KeyError, TypeError, ValueError):
        return timezone.now()
    return min(sent, timezone.now())


def _take(item: dict, agency: Agency):
    sender = item["NguoiGui"]
    procedure = procedure_by_code(item.get("MaTTHC", "").strip())
    return feedback_submit(
        actor=SYSTEM,
        channel=Channel.NATIONAL,
        agency=agency,
        kind=KINDS[item["LoaiPAKN"]],
        category=CATEGORIES[item.get("NoiDungLienQuan") or (1 if procedure else 4)],
        procedure=procedure,
        title=item.get("TieuDe", ""),
        content=item["NoiDung"],
        submitter_name=sender["HoTen"],
        submitter_phone=sender.get("SoDienThoai", ""),
        submitter_email=sender.get("Email", ""),
        submitter_address=sender.get("DiaChi", ""),
        received_at=_sent_at(item),
    )


def receive_one(item) -> str:
    """Take one petition: "accepted", "refused" or "duplicate"; Refusal when it has no national ID."""
    national_id = str(item.get("MaPAKNQG", "")).strip() if isinstance(item, dict) else ""
    if not national_id or len(national_id) > 60 or "\x00" in national_id:
        raise Refusal("Thiếu hoặc sai MaPAKNQG.")  # nothing to answer to: counted by the caller
    if InboundMessage.objects.filter(system=DVCQG, external_id=external_id(national_id)).exists():
        return "duplicate"
    problems = schemas.errors(SCHEMA, item)
    code = item.get("MaCoQuan") if isinstance(item.get("MaCoQuan"), str) else ""
    code = schemas.without_nul(code)  # PostgreSQL compares no NUL (the schema's NUL problem refuses the item)
    agency = Agency.objects.filter(code=code).first() if code else None
    try:
        with transaction.atomic():
            feedback, reason = None, ""
            try:
                with transaction.atomic():
                    if problems:
                        raise Refusal("Dữ liệu không đúng lược đồ: " + "; ".join(problems))
                    if agency is None:
                        raise Refusal(f"Cơ quan mã {code} không tiếp nhận PAKN trên hệ thống này.")
                    feedback = _take(item, agency)
            except Refusal as exc:
                reason = str(exc)
            except ApplicationError as exc:
                reason = refusal_reason(exc)
            reason = schemas.without_nul(reason)  # a schema message may quote the value
            record = InboundMessage(
                system=DVCQG,
                kind=INBOUND_KIND,
                external_id=external_id(national_id),
                agency_id=agency.pk if agency else None,
                status=InboundMessage.Status.REFUSED if reason else InboundMessage.Status.ACCEPTED,
                local_key=feedback.code if feedback else "",
                reason=reason,
                payload=schemas.without_nul(item),
                received_at=timezone.now(),
            )
            record.save()
            if feedback is not None:
                ack = update_message(
                    national_id, action="receive", status=feedback.status, agency_id=agency.pk, feedback=feedback
                )
            else:
                ack = update_message(national_id, action="reject", status="rejected", agency_id=record.agency_id, reason=reason)
            ack.save()
            if reason:
                audit_record(
                    actor=SYSTEM,
                    action="integration.inbound_refused",
                    obj=record,
                    changes={"national_id": national_id, "kind": INBOUND_KIND, "reason": reason},
                )
            return "refused" if reason else "accepted"
    except IntegrityError:  # another puller took it first
        return "duplicate"


def pull() -> dict[str, int]:
    """Pull the national PAKN system's new petitions once; counts per outcome."""
    return pull_inbox(
        system=DVCQG,
        path=DVCQG_PAKN_INBOX_PATH,
        receive_one=receive_one,
        unreadable="Không đọc được PAKN mới từ Hệ thống PAKN quốc gia",
    )
