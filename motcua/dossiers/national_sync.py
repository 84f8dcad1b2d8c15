"""Our dossiers mapped to the national public service portal's fields (DVCQG), in one place.

Every dossier event (the intake and every transition, all of which end in `writes.finish`) queues one message
for the portal in the integration outbox (motcua.integrations), in the same transaction: the dossier's state
after the event, its whole process history and the flags the Decision 766 index is scored from. The portal
keeps the newest state per dossier; the outbox delivers a dossier's messages in order.

The official specification is not public in full: field names follow the public descriptions of the DVCQG
exchange and open-source provincial systems (OpenCPS); the JSON Schema of a message is
motcua/integrations/schemas/dvcqg_dossier_sync.json, the table and its gaps docs/integrations.md. Flags kept
by the apps above dossiers (`ThanhToanTrucTuyen` by payments, `KetQuaDienTu` by results) are asked through
dossiers.sync_flags, which those apps fill from their AppConfig.ready().

Nothing is queued while NATIONAL_PORTAL_URL is unset: an installation that is not connected keeps no backlog
that would flood the portal years later; `reconcile_national_portal` lists the dossiers the portal lacks."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.utils import timezone

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.core.memo import Memo
from motcua.core.models import Agency, AuditLog
from motcua.core.transitions import Actor, Applicant
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.services import message_build
from motcua.integrations.systems import DVCQG, DVCQG_STATE_PATH, enabled, transport_for
from motcua.integrations.transport import DeliveryError

from . import sync_flags
from .models import STATUS_CODES, ApplicantKind, Delivery, Dossier, DossierFile, DossierStep, Status, Timeliness

KIND = "dossier.sync"
SCHEMA = "dvcqg_dossier_sync"
SCHEMA_ID = "motcua.dvcqg.dossier-sync/1"

TIMELINESS_CODES = {Timeliness.EARLY: 1, Timeliness.ON_TIME: 2, Timeliness.LATE: 3}
DELIVERY_CODES = {Delivery.COUNTER: 0, Delivery.POST: 1, Delivery.ONLINE: 2}
APPLICANT_KIND_CODES = {ApplicantKind.INDIVIDUAL: 1, ApplicantKind.ORGANISATION: 2}


def moment(value: datetime | None) -> str | None:
    """yyyyMMddHHmmss in Vietnam time (the portal's date format), None for no date."""
    if value is None:
        return None
    return timezone.localtime(value).strftime("%Y%m%d%H%M%S")


def _person(user) -> str:
    return user.display_name if user is not None else ""


def _history(dossier: Dossier, pending: list, *, new: bool) -> list[dict]:
    """The process history: every step (a hand-over into a unit, BM.05), with its unit, who gave and who
    received it, when, its due moment and how it ended. `pending`: steps the caller writes with the audit
    entry (not in the database yet); `new`: the dossier is being received, so it has no stored step."""
    stored = (
        []
        if new
        else list(DossierStep.objects.filter(dossier_id=dossier.pk).select_related("unit", "giver", "receiver").order_by("seq"))
    )
    seen = {step.seq for step in stored}
    steps = stored + [s for s in pending if isinstance(s, DossierStep) and s.seq not in seen]
    steps.sort(key=lambda s: s.seq)
    codes = {dossier.agency_id: dossier.agency.code}
    others = {s.agency_id for s in steps if s.agency_id and s.agency_id not in codes}
    if others:
        codes.update(Agency.objects.filter(pk__in=others).values_list("pk", "code"))
    return [
        {
            "ThuTu": step.seq,
            "NoiDungXuLy": step.name,
            "MaDonVi": codes.get(step.agency_id or dossier.agency_id, ""),
            "PhongBanXuLy": step.unit.name if step.unit_id else "",
            "NguoiGiao": _person(step.giver) if step.giver_id else "",
            "NguoiNhan": _person(step.receiver) if step.receiver_id else "",
            "ThoiDiemNhan": moment(step.received_at),
            "HanXuLy": moment(step.due_at),
            "ThoiDiemChuyen": moment(step.handed_over_at),
            "TienDo": TIMELINESS_CODES.get(step.timeliness),
        }
        for step in steps
    ]


# The national codes of a procedure version (procedure, field), read on every event: kept per process
# (core.memo), cleared when a version, procedure or field is saved.
_version_codes = Memo("dossiers.national_sync.version_codes", ProcedureVersion, Procedure, Field)


def _codes(version_id: int) -> tuple[str, str]:
    return _version_codes.get(
        version_id,
        lambda: ProcedureVersion.objects.filter(pk=version_id).values_list("procedure__code", "field__code").get(),
    )


def _identity_verified(dossier: Dossier, actor: Actor, action: str) -> bool:
    """Submitted by an applicant signed in with the national identity (Applicant via "oidc"). The dossier keeps
    no such flag: read from its intake's audit entry (or the intake's actor while it is being written)."""
    if action == "receive":
        return isinstance(actor, Applicant) and actor.via == "oidc"
    return AuditLog.objects.filter(
        object_type="dossiers.dossier", object_id=str(dossier.pk), action="dossier.receive", actor_repr="applicant:oidc"
    ).exists()


_DIGITISED = f'SELECT 1 FROM "{DossierFile._meta.db_table}" WHERE "dossier_id" = %s AND "digitised" LIMIT 1'


def _digitised(dossier_id: int) -> bool:
    """Any of the dossier's files is a digitised paper (one indexed read, without the ORM's query building:
    every dossier event asks)."""
    with connection.cursor() as cursor:
        cursor.execute(_DIGITISED, [dossier_id])
        return cursor.fetchone() is not None


# Statuses in which a dossier may have an electronic result (results issues one for a decided dossier).
_RESULT_STATUSES = frozenset({Status.DECIDED, Status.RETURNED})


def _paid_online(dossier: Dossier, *, new: bool) -> bool:
    """A payment confirmed by the gateway (payments answers; a dossier being received has none: no query)."""
    return not new and sync_flags.answer(sync_flags.PAID_ONLINE, dossier.pk)


def _electronic_result(dossier: Dossier) -> bool:
    """The result is delivered online, or results holds an electronic result (asked only once decided)."""
    if dossier.result_delivery == Delivery.ONLINE:
        return True
    return dossier.status in _RESULT_STATUSES and sync_flags.answer(sync_flags.ELECTRONIC_RESULT, dossier.pk)


def dossier_payload(dossier: Dossier, *, action: str, actor: Actor, at: datetime, pending: list = ()) -> dict:
    """The portal's message for the dossier as it stands after `action` (without message_id and sequence,
    which the outbox adds)."""
    version = dossier.procedure_version
    agency = dossier.agency
    procedure_code, field_code = _codes(dossier.procedure_version_id)
    new = action == "receive"
    return {
        "schema": SCHEMA_ID,
        "event": {"action": action, "at": moment(at)},
        "MaHoSo": dossier.code,
        "MaTTHC": procedure_code,
        "TenTTHC": version.name,
        "MaLinhVuc": field_code,
        "MaCoQuan": agency.code,
        "TenCoQuan": agency.name,
        "MaNoiTiepNhan": dossier.receiving_agency.code if dossier.receiving_agency_id else agency.code,
        "KenhThucHien": dossier.channel_code,
        "TrangThaiHoSo": dossier.status_code,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT_KIND_CODES.get(dossier.applicant_kind, 1),
        "MaDoiTuong": dossier.applicant_id_number or dossier.applicant_tax_code,
        "NgayTiepNhan": moment(dossier.received_at),
        "NgayHenTra": moment(dossier.due_at),
        "NgayHenTraBanDau": moment(dossier.original_due_at),
        "NgayKetThucXuLy": moment(dossier.finished_at),
        "NgayTra": moment(dossier.returned_at),
        "TienDo": TIMELINESS_CODES.get(dossier.timeliness),
        "SoLanBoSung": dossier.supplement_count,
        "KetQuaGiaiQuyet": dossier.outcome,
        "HinhThucTraKetQua": DELIVERY_CODES.get(dossier.result_delivery, 0),
        "NopTrucTuyen": dossier.channel == "online",
        "ThanhToanTrucTuyen": _paid_online(dossier, new=new),
        # A new dossier's files were all stored by this transaction's writes.store_files, which marks it.
        "CoThanhPhanSoHoa": getattr(dossier, "stored_digitised", False) if new else _digitised(dossier.pk),
        "KetQuaDienTu": _electronic_result(dossier),
        "DaXacThucDinhDanh": _identity_verified(dossier, actor, action),
        "QuaTrinhXuLy": _history(dossier, pending, new=new),
    }


def sync_messages(dossier: Dossier, *, action: str, actor: Actor, at: datetime, rows=()) -> list[IntegrationMessage]:
    """The portal's message for this event, unsaved (writes.finish writes it with the audit entry); none
    while the portal is not configured."""
    if not enabled(DVCQG):
        return []
    pending = [obj for group in rows for obj in group]
    payload = dossier_payload(dossier, action=action, actor=actor, at=at, pending=pending)
    # A dossier being received has a new code: its message is the first of its key (no query).
    first = action == "receive"
    return [
        message_build(
            system=DVCQG, kind=KIND, key=dossier.code, payload=payload, agency_id=dossier.agency_id, sequence=1 if first else None
        )
    ]


def portal_state(*, since: datetime | None = None) -> dict[str, dict]:
    """What the portal holds: {dossier code: {"TrangThaiHoSo": n, "sequence": n, ...}} (its state endpoint)."""
    transport = transport_for(DVCQG)
    if transport is None:
        raise RuntimeError("NATIONAL_PORTAL_URL chưa được cấu hình.")
    params = {"since": moment(since)} if since else {}
    try:
        body = transport.get(DVCQG_STATE_PATH, params)
    except DeliveryError as exc:
        raise RuntimeError(f"Không đọc được trạng thái từ Cổng: {exc}") from exc
    return {item["MaHoSo"]: item for item in body.get("items", [])}


def reconcile(*, since: datetime | None = None, agency: Agency | None = None) -> list[dict]:
    """Compare the portal's state with our dossiers received since `since` and list the differences: a
    dossier the portal lacks, one whose status differs, one the portal has and we do not. Messages still on
    their way are named (`pending`), so a difference the worker is about to close is told apart."""
    held = portal_state(since=since)
    dossiers = Dossier.objects.all()
    if since is not None:
        dossiers = dossiers.filter(received_at__gte=since)
    if agency is not None:
        dossiers = dossiers.filter(agency=agency)
    local = dict(dossiers.values_list("code", "status"))
    pending = set(
        IntegrationMessage.objects.filter(system=DVCQG, key__in=list(local) + list(held))
        .exclude(status=IntegrationMessage.Status.DELIVERED)
        .values_list("key", flat=True)
    )
    differences = []
    for code, status in sorted(local.items()):
        ours = STATUS_CODES[status]
        theirs = held.get(code)
        if theirs is None:
            differences.append({"code": code, "problem": "missing_at_portal", "local": ours, "portal": None})
        elif theirs.get("TrangThaiHoSo") != ours:
            differences.append({"code": code, "problem": "status_differs", "local": ours, "portal": theirs.get("TrangThaiHoSo")})
    for code in sorted(set(held) - set(local)):
        if agency is not None and held[code].get("MaCoQuan") != agency.code:
            continue
        if not Dossier.objects.filter(code=code).exists():  # not merely older than `since`
            differences.append(
                {"code": code, "problem": "unknown_locally", "local": None, "portal": held[code].get("TrangThaiHoSo")}
            )
    for difference in differences:
        difference["pending"] = difference["code"] in pending
    return differences
