"""Dossiers filed on the national public service portal (DVCQG), pulled into motcua (issue 17 item 3).

`pull()` (command `pull_national_portal`, from cron every minute) asks the portal for the dossiers filed for
the agencies of this installation and not yet acknowledged (`GET /api/hoso/moi`), and for each one, in one
transaction: validates it against motcua/integrations/schemas/dvcqg_inbound_dossier.json, receives it as an
online dossier of the procedure's agency through the one intake (`dossier_receive`, actor SYSTEM, files through
the upload policy), records it once (`integrations.InboundMessage`, unique per national ID: a repeat is
ignored) and queues the acknowledgement in the outbox (`POST /api/hoso/xacnhan`: accepted with our code, or
refused with the reason — an unknown procedure, a procedure of another agency, invalid data or files). A refused
dossier is never lost: the refusal is recorded, audited and sent back."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.errors import ApplicationError
from motcua.core.models import Agency
from motcua.core.services import audit_record
from motcua.core.sql import insert
from motcua.core.transitions import SYSTEM
from motcua.integrations import schemas
from motcua.integrations.inbound import Refusal, pull_inbox, refusal_reason
from motcua.integrations.models import InboundMessage
from motcua.integrations.services import message_build
from motcua.integrations.systems import DVCQG, DVCQG_INBOX_PATH

from .intake import dossier_receive
from .models import Channel

SCHEMA = "dvcqg_inbound_dossier"
ACK_KIND = "dossier.ack"
ACK_SCHEMA_ID = "motcua.dvcqg.inbound-ack/1"


def _applicant(owner: dict) -> dict:
    kind = "organisation" if owner.get("LoaiDoiTuong") == 2 else "individual"
    data = {
        "kind": kind,
        "full_name": owner["HoTen"],
        "address": owner.get("DiaChi", ""),
        "phone": owner.get("SoDienThoai", ""),
        "email": owner.get("Email", ""),
    }
    if kind == "organisation":
        data["tax_code"] = owner.get("MaSoThue", "")
    else:
        data["id_number"] = owner.get("SoDinhDanh", "")
    return data


def _files(item: dict) -> list[dict]:
    files = []
    for index, attached in enumerate(item.get("TepDinhKem") or []):
        try:
            content = base64.b64decode(attached["NoiDung"], validate=True)
        except (binascii.Error, ValueError):
            raise Refusal(f"Tệp {index + 1} ({attached['TenTep']}): nội dung không phải base64.") from None
        files.append({"file": SimpleUploadedFile(attached["TenTep"], content), "digitised": bool(attached.get("SoHoa"))})
    return files


def _kept(item: dict) -> dict:
    """What is stored of the message: the files by name, hash and size, not their content."""
    kept = {k: v for k, v in item.items() if k != "TepDinhKem"}
    attached = item.get("TepDinhKem")
    # Kept for a refused message too: a file entry the schema refused is recorded as unreadable, not a crash.
    kept["TepDinhKem"] = [
        {
            "TenTep": f.get("TenTep"),
            "sha256": hashlib.sha256(f["NoiDung"].encode(errors="surrogatepass")).hexdigest(),
            "size": len(f["NoiDung"]),
        }
        if isinstance(f, dict) and isinstance(f.get("NoiDung"), str)
        else "(không đọc được)"
        for f in (attached if isinstance(attached, list) else [])
    ]
    return kept


def _received_at(item: dict) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(item["NgayNop"], "%Y%m%d%H%M%S"))
    except (KeyError, TypeError, ValueError):
        return None


def _agency_id(item) -> int | None:
    """The agency a refused dossier was addressed to, when it is one of ours: its administrators see the refusal."""
    code = item.get("MaCoQuan") if isinstance(item, dict) else None
    code = schemas.without_nul(code)  # PostgreSQL compares no NUL (the schema's NUL problem refuses the item)
    return Agency.objects.filter(code=code).values_list("pk", flat=True).first() if isinstance(code, str) else None


def _ack(national_id: str, *, agency_id, code: str = "", reason: str = ""):
    payload = {"schema": ACK_SCHEMA_ID, "MaHoSoQG": national_id, "KetQua": "refused" if reason else "accepted"}
    payload.update({"LyDo": reason} if reason else {"MaHoSo": code})
    return message_build(system=DVCQG, kind=ACK_KIND, key=f"inbound:{national_id}", payload=payload, agency_id=agency_id)


def receive_one(item) -> str:
    """Take one dossier of the portal: "accepted", "refused" or "duplicate"."""
    national_id = str(item.get("MaHoSoQG", "")) if isinstance(item, dict) else ""
    if "\x00" in national_id or len(national_id) > 64:  # PostgreSQL compares no NUL; external_id holds 64
        raise Refusal("Sai MaHoSoQG.")  # nothing to answer to: counted by the caller, as for PAKN
    if national_id and InboundMessage.objects.filter(system=DVCQG, external_id=national_id).exists():
        return "duplicate"
    problems = schemas.errors(SCHEMA, item)
    now = timezone.now()
    try:
        with transaction.atomic():
            dossier, reason = None, ""
            if not national_id:
                raise Refusal("Thiếu MaHoSoQG.")  # nothing to answer to: logged by the caller
            try:
                with transaction.atomic():
                    if problems:
                        raise Refusal("Dữ liệu không đúng lược đồ: " + "; ".join(problems))
                    dossier = dossier_receive(
                        actor=SYSTEM,
                        procedure_code=item["MaTTHC"],
                        channel=Channel.ONLINE,
                        applicant=_applicant(item["ChuHoSo"]),
                        received_at=_received_at(item),
                        files=_files(item),
                        note=f"Nộp trên Cổng Dịch vụ công quốc gia, mã {national_id}",
                    )
                    if dossier.agency.code != item["MaCoQuan"]:
                        raise Refusal(
                            f"Thủ tục {item['MaTTHC']} thuộc thẩm quyền của cơ quan {dossier.agency.code}, "
                            f"không phải {item['MaCoQuan']}."
                        )
            except Refusal as exc:
                dossier, reason = None, str(exc)
            except ApplicationError as exc:
                dossier, reason = None, refusal_reason(exc)
            reason = schemas.without_nul(reason)  # a schema message may quote the value
            record = InboundMessage(
                system=DVCQG,
                kind="dossier.filed",
                external_id=national_id,
                agency_id=dossier.agency_id if dossier else _agency_id(item),
                status=InboundMessage.Status.REFUSED if reason else InboundMessage.Status.ACCEPTED,
                local_key=dossier.code if dossier else "",
                reason=reason,
                payload=schemas.without_nul(_kept(item)),
                received_at=now,
            )
            record.save()
            insert(_ack(national_id, agency_id=record.agency_id, code=record.local_key, reason=reason))
            if reason:
                audit_record(
                    actor=SYSTEM,
                    action="integration.inbound_refused",
                    obj=record,
                    changes={"national_id": national_id, "reason": reason},
                )
            return "refused" if reason else "accepted"
    except IntegrityError:  # another puller took it first
        return "duplicate"


def pull() -> dict[str, int]:
    """Pull the portal's new dossiers once; counts per outcome."""
    return pull_inbox(system=DVCQG, path=DVCQG_INBOX_PATH, receive_one=receive_one, unreadable="Không đọc được hồ sơ mới từ Cổng")
