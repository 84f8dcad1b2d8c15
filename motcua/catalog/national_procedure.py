"""One procedure from the national procedure database (CSDL quốc gia về TTHC), compared with our version and
applied through a publication decision (issue 17 item 4).

- `national_procedure_fetch(code)`: `GET /api/tthc/chitiet?MaTTHC=<code>` on the national portal (or its
  LGSP/NDXP gateway: the DVCQG transport of motcua.integrations, OAuth2 client credentials), the answer checked
  against integrations/schemas/dvcqg_procedure.json. Unknown code: 404 with a clear message; portal not
  configured or unreachable, or an answer that does not validate: 502.
- `national_procedure_diff(code=, fetched_by=)`: what would change, section by section (name, field, bodies,
  targets, level, times, channels, legal basis, result, conditions, steps, papers, fees). A section the
  national record does not carry (`null`: the crawled national catalogue holds no times, fees or papers) is
  neither compared nor applied, so it never wipes what the agency published.
- `national_procedure_apply(...)`: one transaction through the catalog's own services — a new draft version
  (`procedure_version_create`, or `procedure_create` for a code we do not have) with the national content, a
  publication decision (`decision_create`), its item (`decision_item_add`: `amended`, or `new` when nothing is
  in force) and `decision_apply`. The internal process (ProcessStep) and the committed time are the agency's
  own and are kept; the step-time rule of `validate_version` still holds (a national legal time below our
  committed time is a 400 naming it). The diff seen by the user is pinned by a fingerprint of the national
  record: if the database changed meanwhile, 409.

The field names are modelled on the public DVCQG procedure pages (to confirm against the official
specification of the procedure database's interface)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import ApplicationError, ConflictError, NotFoundError, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.transitions import Actor
from motcua.integrations import schemas
from motcua.integrations.systems import DVCQG, DVCQG_PROCEDURE_PATH, transport_for
from motcua.integrations.transport import DeliveryError

from . import services
from .models import DecisionItem, Field, GovernmentLevel, OnlineClass, Procedure, ProcedureVersion, PublicationDecision, TimeUnit
from .selectors import procedure_agency_id
from .text import normalize

SCHEMA = "dvcqg_procedure"
SOURCE_PREFIX = "CSDL TTHC quốc gia"
TIME_UNITS = {"ngày làm việc": TimeUnit.WORKING_DAYS, "ngày": TimeUnit.CALENDAR_DAYS, "giờ làm việc": TimeUnit.WORKING_HOURS}
LEVELS = {"Cấp Bộ": GovernmentLevel.CENTRAL, "Cấp Tỉnh": GovernmentLevel.PROVINCE, "Cấp Xã": GovernmentLevel.COMMUNE}
CHANNELS = (("TrucTiep", "channel_counter"), ("TrucTuyen", "channel_online"), ("BuuChinh", "channel_postal"))


class NationalUnavailable(ApplicationError):
    """The national procedure database could not be asked, or answered something unusable."""

    status_code = 502


# --- fetch --------------------------------------------------------------------------------------------------


def national_procedure_fetch(code: str) -> dict:
    code = (code or "").strip()
    if not code or len(code) > 40:
        raise ValidationFailed(fields={"code": [_("Nhập mã thủ tục (tối đa 40 ký tự).")]})
    transport = transport_for(DVCQG)
    if transport is None:
        raise NationalUnavailable(_("Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia (NATIONAL_PORTAL_URL)."))
    try:
        record = transport.get(DVCQG_PROCEDURE_PATH, {"MaTTHC": code})
    except DeliveryError as exc:
        answer = getattr(exc.__cause__, "response", None)
        if getattr(answer, "status_code", None) == 404:
            raise NotFoundError(
                _("Không có thủ tục mã %(code)s trong Cơ sở dữ liệu quốc gia về thủ tục hành chính.") % {"code": code}
            ) from exc
        raise NationalUnavailable(
            _("Không đọc được Cơ sở dữ liệu quốc gia về TTHC: %(error)s") % {"error": str(exc)[:300]}
        ) from exc
    problems = schemas.errors(SCHEMA, record)
    if problems:
        raise NationalUnavailable(
            _("Cơ sở dữ liệu quốc gia trả về dữ liệu không đúng lược đồ: %(errors)s") % {"errors": "; ".join(problems[:5])}
        )
    if record["MaTTHC"].strip() != code:
        raise NationalUnavailable(
            _("Cơ sở dữ liệu quốc gia trả về thủ tục %(other)s thay vì %(code)s.") % {"other": record["MaTTHC"], "code": code}
        )
    return record


def fingerprint(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- the national record in our terms -----------------------------------------------------------------------


def _steps_text(steps: list[dict]) -> str:
    return "\n".join(f"Bước {s['ThuTu']}: {s['NoiDung'].strip()}" for s in sorted(steps, key=lambda s: s["ThuTu"]))


def _field_for(record: dict) -> Field | None:
    code, name = record.get("MaLinhVuc") or "", (record.get("TenLinhVuc") or "").strip()
    found = Field.objects.filter(code=code).first() if code else None
    if found is None and name:
        key = normalize(name)
        found = Field.objects.filter(search_text=key).first()
    return found


def national_content(record: dict) -> tuple[dict[str, Any], list[dict] | None, list[dict] | None]:
    """(version data, components, fees) as the catalog's services take them; only what the record carries
    (the field as a Field, or as {"code", "name"} when we do not have it yet)."""
    data: dict[str, Any] = {"name": record["TenTTHC"].strip()}
    if record.get("TenLinhVuc"):
        data["field"] = _field_for(record) or {"code": (record.get("MaLinhVuc") or "")[:40], "name": record["TenLinhVuc"].strip()}
    if record.get("CoQuanThucHien") is not None:
        data["implementing_body"] = "; ".join(d.strip() for d in record["CoQuanThucHien"] if d.strip())[:1000]
    if record.get("DoiTuongThucHien") is not None:
        data["target"] = "; ".join(t.strip() for t in record["DoiTuongThucHien"] if t.strip())[:1000]
    levels = record.get("CapThucHien") or []
    if len(levels) == 1 and levels[0] in LEVELS:  # several levels: ours is one of them, not compared
        data["government_level"] = LEVELS[levels[0]]
    time = record.get("ThoiHanGiaiQuyet")
    if time is not None:
        data["legal_time"] = Decimal(str(time["SoLuong"]))
        data["time_unit"] = TIME_UNITS[time["DonVi"]]
        if time.get("MoTa"):
            data["time_note"] = time["MoTa"]
    if record.get("KenhThucHien") is not None:
        for name, key in CHANNELS:
            data[key] = name in record["KenhThucHien"]
    if record.get("CanCuPhapLy") is not None:
        data["legal_basis"] = [b.strip() for b in record["CanCuPhapLy"] if b.strip()]
    if record.get("KetQuaThucHien") is not None:
        data["result"] = record["KetQuaThucHien"].strip()[:1000]
    if record.get("YeuCauDieuKien") is not None:
        data["conditions"] = record["YeuCauDieuKien"].strip()
    if record.get("TrinhTuThucHien") is not None:
        data["steps_text"] = _steps_text(record["TrinhTuThucHien"])
    components = None
    if record.get("ThanhPhanHoSo") is not None:
        components = [
            {
                "name": c["TenGiayTo"].strip(),
                "originals": c.get("SoBanChinh", 1),
                "copies": c.get("SoBanSao", 0),
                "mandatory": c.get("BatBuoc", True),
                "form_name": c.get("TenMauDon", ""),
            }
            for c in record["ThanhPhanHoSo"]
        ]
    fees = None
    if record.get("PhiLePhi") is not None:
        fees = [{"name": f["TenPhi"].strip(), "amount_vnd": f["MucPhi"], "note": f.get("MoTa", "")} for f in record["PhiLePhi"]]
    return data, components, fees


# --- the diff -----------------------------------------------------------------------------------------------


LABELS = {
    "name": gettext_lazy("Tên thủ tục"),
    "field": gettext_lazy("Lĩnh vực"),
    "implementing_body": gettext_lazy("Cơ quan thực hiện"),
    "target": gettext_lazy("Đối tượng thực hiện"),
    "government_level": gettext_lazy("Cấp thực hiện"),
    "legal_time": gettext_lazy("Thời hạn giải quyết theo quy định"),
    "time_note": gettext_lazy("Ghi chú thời hạn"),
    "channel_counter": gettext_lazy("Nộp trực tiếp"),
    "channel_online": gettext_lazy("Nộp trực tuyến"),
    "channel_postal": gettext_lazy("Nộp qua bưu chính công ích"),
    "legal_basis": gettext_lazy("Căn cứ pháp lý"),
    "result": gettext_lazy("Kết quả thực hiện"),
    "conditions": gettext_lazy("Yêu cầu, điều kiện"),
    "steps_text": gettext_lazy("Trình tự thực hiện"),
    "components": gettext_lazy("Thành phần hồ sơ"),
    "fees": gettext_lazy("Phí, lệ phí"),
}


@dataclass
class Change:
    key: str
    label: str
    ours: list[str]
    national: list[str]
    added: list[str] = field(default_factory=list)  # list sections: lines only the national record has
    removed: list[str] = field(default_factory=list)  # and lines only ours has


@dataclass
class NationalDiff:
    code: str
    record: dict
    fingerprint: str
    procedure: Procedure | None
    current: ProcedureVersion | None  # the version in force, what is compared (None: nothing in force)
    agency_id: int | None
    changes: list[Change]
    not_carried: list[str]  # labels of the sections the national record does not hold

    @property
    def is_new(self) -> bool:
        return self.current is None


def _show(key: str, value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [_("Có") if value else _("Không")]
    if key == "field":
        return [value.name if isinstance(value, Field) else value["name"]]
    if key == "government_level":
        return [str(GovernmentLevel(value).label)]
    if key == "legal_time":  # (time, unit): one section
        time, unit = value
        return [f"{Decimal(time).normalize():f}".replace(".", ",") + f" {TimeUnit(unit).label}"] if time is not None else []
    if key in ("legal_basis",):
        return [str(v) for v in value]
    if key == "steps_text":
        return [line for line in str(value).splitlines() if line.strip()]
    return [str(value)]


def _component_line(c: dict) -> str:
    mandatory = _("bắt buộc") if c.get("mandatory", True) else _("không bắt buộc")
    line = f"{c['name']} — {c.get('originals', 1)} bản chính, {c.get('copies', 0)} bản sao, {mandatory}"
    return line + (f" ({c['form_name']})" if c.get("form_name") else "")


def _fee_line(f: dict) -> str:
    amount = f"{int(f.get('amount_vnd') or 0):,}".replace(",", ".")
    return f"{f['name']}: {amount} đồng" + (f" — {f['note']}" if f.get("note") else "")


def _ours(version: ProcedureVersion | None):
    if version is None:
        return {}, [], []
    data = {k: getattr(version, k) for k in services.VERSION_FIELDS}
    components = [
        {"name": c.name, "originals": c.originals, "copies": c.copies, "mandatory": c.mandatory, "form_name": c.form_name}
        for c in version.components.all()
    ]
    fees = [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in version.fees.all()]
    return data, components, fees


def _same(key: str, ours, theirs) -> bool:
    if key == "field":
        return isinstance(theirs, Field) and ours is not None and ours.pk == theirs.pk
    if key == "legal_time":
        return ours[0] is not None and Decimal(ours[0]) == Decimal(theirs[0]) and ours[1] == theirs[1]
    return (ours if ours is not None else "") == theirs


def _compare(current: ProcedureVersion | None, record: dict) -> tuple[list[Change], list[str]]:
    data, components, fees = national_content(record)
    ours, our_components, our_fees = _ours(current)
    changes = []
    for key, theirs in data.items():
        if key == "time_unit":
            continue  # shown and applied with the time
        mine = ours.get(key)
        if key == "legal_time":
            mine, theirs = (mine, ours.get("time_unit")), (theirs, data["time_unit"])
        if current is None or not _same(key, mine, theirs):
            changes.append(Change(key, str(LABELS[key]), _show(key, mine), _show(key, theirs)))
    for key, theirs, mine, line in (
        ("components", components, our_components, _component_line),
        ("fees", fees, our_fees, _fee_line),
    ):
        if theirs is None:
            continue
        national_lines, our_lines = [line(x) for x in theirs], [line(x) for x in mine]
        if national_lines != our_lines:
            changes.append(
                Change(
                    key,
                    str(LABELS[key]),
                    our_lines,
                    national_lines,
                    added=[x for x in national_lines if x not in our_lines],
                    removed=[x for x in our_lines if x not in national_lines],
                )
            )
    for change in changes:  # list sections: what is new and what goes, line by line
        if change.key in ("legal_basis", "steps_text"):
            change.added = [x for x in change.national if x not in change.ours]
            change.removed = [x for x in change.ours if x not in change.national]
    carried = set(data) | ({"components"} if components is not None else set()) | ({"fees"} if fees is not None else set())
    not_carried = [
        str(LABELS[k])
        for k in ("legal_time", "channel_online", "legal_basis", "result", "conditions", "steps_text", "components", "fees")
        if k not in carried
    ]
    return changes, not_carried


def _compared_version(procedure: Procedure | None) -> ProcedureVersion | None:
    if procedure is None:
        return None
    versions = procedure.versions.prefetch_related("components", "fees").select_related("field")
    return versions.filter(status=ProcedureVersion.Status.IN_FORCE).first()


def _check_agency(actor, procedure: Procedure | None, agency: Agency | None) -> int | None:
    """The agency whose catalog changes: the procedure's, else (a code we do not have, or one imported from
    the national catalogue with no agency) the acting agency. A staff actor must be able to act for it."""
    owner = procedure_agency_id(procedure) if procedure is not None else None
    agency_id = owner or (agency.pk if agency else None)
    if isinstance(actor, User):
        ensure_can_act(actor, agency_id)
    return agency_id


def national_procedure_diff(*, code: str, fetched_by, agency: Agency | None = None) -> NationalDiff:
    """The national record against our version in force (or latest), for a user who may change it."""
    record = national_procedure_fetch(code)
    code = record["MaTTHC"].strip()
    procedure = Procedure.objects.filter(code=code).first()
    agency_id = _check_agency(fetched_by, procedure, agency)
    current = _compared_version(procedure)
    changes, not_carried = _compare(current, record)
    return NationalDiff(code, record, fingerprint(record), procedure, current, agency_id, changes, not_carried)


# --- apply --------------------------------------------------------------------------------------------------


def _keep_forms(components: list[dict], current: ProcedureVersion | None) -> list[dict]:
    """A paper the national record names as we do keeps the form file the agency attached to it."""
    if current is None:
        return components
    files = {normalize(c.name): (c.form_file.name, c.form_name) for c in current.components.all() if c.form_file}
    for c in components:
        kept = files.get(normalize(c["name"]))
        if kept:
            c["form_file"] = kept[0]
            c["form_name"] = c["form_name"] or kept[1]
    return components


def national_procedure_apply(
    *,
    actor: Actor,
    code: str,
    expected_fingerprint: str,
    number: str,
    signed_on: date,
    effective_on: date,
    signer: str = "",
    title: str = "",
    agency: Agency | None = None,
    sections: list[str] | None = None,
) -> PublicationDecision:
    """Apply the national record seen in the diff (`expected_fingerprint`) as a new version published by a
    new, applied decision of the procedure's agency. `sections`: the keys of the changes to take (default:
    all; a procedure we do not have takes everything). One transaction; 409 if the record changed since."""
    record = national_procedure_fetch(code)  # before the transaction: no HTTP while holding locks
    code = record["MaTTHC"].strip()
    if fingerprint(record) != expected_fingerprint:
        raise ConflictError(
            _("Thủ tục %(code)s trong CSDL quốc gia đã thay đổi từ lúc xem khác biệt; hãy xem lại trước khi áp dụng.")
            % {"code": code}
        )
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().filter(code=code).first()
        agency_id = _check_agency(actor, procedure, agency)
        if agency_id is None:
            raise ValidationFailed(fields={"agency": [_("Chọn cơ quan công bố thủ tục.")]})
        current = _compared_version(procedure)
        changes, _not_carried = _compare(current, record)
        if not changes:
            raise ValidationFailed(
                fields={"code": [_("Phiên bản hiện hành của thủ tục %(code)s đã giống CSDL quốc gia.") % {"code": code}]}
            )
        changed = {c.key for c in changes}
        if sections is not None and current is not None:
            if not sections or not set(sections) <= changed:
                raise ValidationFailed(fields={"sections": [_("Chọn ít nhất một mục khác biệt để áp dụng.")]})
            changed = set(sections)
        data, components, fees = national_content(record)
        if "field" in changed and isinstance(data.get("field"), dict):
            data["field"] = services.field_get_or_create(actor=actor, **data["field"])
        taken = changed | ({"time_unit"} if "legal_time" in changed else set())
        data = {k: v for k, v in data.items() if k in taken or current is None}
        base = current or (procedure.versions.order_by("-number").first() if procedure else None)
        if base is None or base.agency_id is None:
            data["agency"] = Agency.objects.get(pk=agency_id)
        if base is not None and base.illustrative:  # what the national database now states is no longer illustrative
            data["illustrative"] = [k for k in base.illustrative if k not in changed]
        data["source"] = (
            f"{SOURCE_PREFIX} {record.get('ID') or ''} ({record.get('TrangThai') or '—'}, {record.get('LoaiTTHC') or '—'}); "
            + (_("đồng bộ ngày %(day)s") % {"day": f"{timezone.localdate():%d/%m/%Y}"})
        )
        components = _keep_forms(components, current) if "components" in changed else None
        fees = fees if "fees" in changed else None
        if procedure is None:
            data.setdefault("online_class", OnlineClass.NONE)
            version = services.procedure_create(actor=actor, code=code, data=data, components=components, fees=fees)
            procedure = version.procedure
        else:
            version = services.procedure_version_create(
                actor=actor, procedure=procedure, data=data, components=components, fees=fees, based_on=base
            )
        decision = services.decision_create(
            actor=actor,
            agency=Agency.objects.get(pk=agency_id),
            number=number,
            signed_on=signed_on,
            effective_on=effective_on,
            signer=signer,
            title=title or _("Công bố thủ tục %(code)s theo Cơ sở dữ liệu quốc gia về TTHC") % {"code": code},
        )
        action = DecisionItem.Action.AMENDED if current is not None else DecisionItem.Action.NEW
        services.decision_item_add(actor=actor, decision=decision, action=action, procedure=procedure, version=version)
        services.decision_apply(actor=actor, decision=decision)
        audit_record(
            actor=actor,
            action="catalog.national_sync",
            obj=version,
            changes={
                "code": code,
                "national_id": record.get("ID", ""),
                "decision": decision.number,
                "version": version.number,
                "fields": sorted(changed),
            },
        )
    decision.refresh_from_db()
    return decision
