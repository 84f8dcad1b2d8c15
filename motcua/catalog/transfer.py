"""Import and export of the catalog.

XLSX: one row per procedure (the version in force), columns in COLUMNS (documented in docs/catalog.md).
Import is all-or-nothing: a file with any error changes nothing and the caller gets a row-by-row report
in Vietnamese. JSON: the whole catalog (fields, every version, decisions) for moving it between agencies
or environments."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.core.errors import ApplicationError
from motcua.core.models import Agency, Unit, User
from motcua.core.services import audit_record

from . import public_cache, selectors, services
from .models import (
    Component,
    DecisionItem,
    Fee,
    Field,
    GovernmentLevel,
    OnlineClass,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    PublicationDecision,
    TimeUnit,
)
from .text import normalize

SHEET = "Thu tuc"
YES, NO = "Có", "Không"

# (header shown in the file, key, help text for the template's second sheet)
COLUMNS: list[tuple[str, str, str]] = [
    ("Mã thủ tục", "code", "Bắt buộc. Mã trên CSDL quốc gia, ví dụ 1.009664"),
    ("Tên thủ tục", "name", "Bắt buộc"),
    ("Mã lĩnh vực", "field_code", "Bắt buộc"),
    ("Tên lĩnh vực", "field_name", "Bắt buộc khi mã lĩnh vực chưa có trong danh mục"),
    ("Cơ quan thực hiện", "implementing_body", ""),
    ("Cấp thực hiện", "government_level", "Trung ương / Cấp tỉnh / Cấp xã / Khác (mặc định: Cấp tỉnh)"),
    ("Đối tượng thực hiện", "target", ""),
    ("Căn cứ pháp lý", "legal_basis", "Mỗi văn bản một dòng"),
    ("Đơn vị thời gian", "time_unit", "ngày làm việc / ngày / giờ làm việc (mặc định: ngày làm việc)"),
    ("Thời hạn theo quy định", "legal_time", "Số, ví dụ 15 hoặc 6,25"),
    ("Thời hạn cam kết", "committed_time", "Số, không lớn hơn thời hạn theo quy định"),
    ("Ghi chú thời hạn", "time_note", "Nguyên văn theo quyết định công bố"),
    ("Mức độ DVC trực tuyến", "online_level", "1, 2, 3 hoặc 4; để trống nếu không có"),
    ("DVC trực tuyến (NĐ 42/2022)", "online_class", "Toàn trình / Một phần / Không"),
    ("Nộp trực tiếp", "channel_counter", "Có / Không"),
    ("Nộp trực tuyến", "channel_online", "Có / Không"),
    ("Nộp qua bưu chính", "channel_postal", "Có / Không"),
    ("Trả kết quả qua bưu chính", "result_by_post", "Có / Không"),
    ("Một cửa", "one_stop", "Có / Không"),
    ("4 tại chỗ", "four_on_spot", "Có / Không"),
    ("Giờ chốt tiếp nhận", "reception_cutoff", "HH:MM, ví dụ 15:00; để trống nếu theo giờ chốt của cơ quan"),
    ("Kết quả", "result", ""),
    ("Yêu cầu, điều kiện", "conditions", ""),
    ("Trình tự thực hiện", "steps_text", ""),
    ("Thành phần hồ sơ", "components", "Mỗi giấy tờ một dòng: Tên | số bản chính | số bản sao | bắt buộc (Có/Không) | tên mẫu"),
    ("Phí, lệ phí", "fees", "Mỗi khoản một dòng: Tên | số tiền (đồng) | ghi chú"),
    ("Quy trình nội bộ", "steps", "Mỗi bước một dòng: Nội dung | đơn vị (viết tắt) | thời gian | vai trò (mã, có thể để trống)"),
    ("Giá trị minh họa", "illustrative", "Tên các trường có giá trị minh họa, cách nhau bởi dấu phẩy"),
    ("Nguồn dữ liệu", "source", ""),
]
KEY_BY_HEADER = {normalize(h): k for h, k, _ in COLUMNS}
HEADER_BY_KEY = {k: h for h, k, _ in COLUMNS}
BOOL_KEYS = ("channel_counter", "channel_online", "channel_postal", "result_by_post", "one_stop", "four_on_spot")
BOOL_DEFAULTS = {"channel_counter": True, "one_stop": True}
# error keys of services.validate_version → column
ERROR_COLUMN = {"field": "field_code", "steps": "steps"}


class ImportRejected(ApplicationError):
    """The file has errors; nothing was changed. `errors` is a list of (row, column, message)."""

    status_code = 400
    code = "import_rejected"

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__(f"Tệp có {len(errors)} lỗi; danh mục không thay đổi.",
                         fields={"rows": [f"Dòng {r}, cột “{c}”: {m}" for r, c, m in errors]})


# --- formatting -------------------------------------------------------------------------------------------

def _num(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _label(choices, value) -> str:
    return dict(choices).get(value, value or "")


def version_row(version: ProcedureVersion) -> dict[str, str]:
    """The XLSX row (key → text) of a version."""
    return {
        "code": version.procedure.code, "name": version.name, "field_code": version.field.code,
        "field_name": version.field.name, "implementing_body": version.implementing_body,
        "government_level": _label(GovernmentLevel.choices, version.government_level), "target": version.target,
        "legal_basis": "\n".join(version.legal_basis or []), "time_unit": _label(TimeUnit.choices, version.time_unit),
        "legal_time": _num(version.legal_time), "committed_time": _num(version.committed_time),
        "time_note": version.time_note, "online_level": str(version.online_level or ""),
        "online_class": _label(OnlineClass.choices, version.online_class),
        **{k: YES if getattr(version, k) else NO for k in BOOL_KEYS},
        "reception_cutoff": version.reception_cutoff.strftime("%H:%M") if version.reception_cutoff else "",
        "result": version.result, "conditions": version.conditions, "steps_text": version.steps_text,
        "components": "\n".join(f"{c.name} | {c.originals} | {c.copies} | {YES if c.mandatory else NO} | {c.form_name}".rstrip(" |")
                                for c in version.components.all()),
        "fees": "\n".join(f"{f.name} | {f.amount_vnd} | {f.note}".rstrip(" |") for f in version.fees.all()),
        "steps": "\n".join(f"{s.name} | {s.unit.short_name if s.unit_id else ''} | {_num(s.duration)} | {s.role}".rstrip(" |")
                           for s in version.steps.all()),
        "illustrative": ", ".join(version.illustrative or []), "source": version.source,
    }


def _workbook(rows: list[dict[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(k, "") for _, k, _ in COLUMNS])
    for i, (_header, key, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 50 if key in ("name", "components", "steps", "legal_basis") else 18
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    guide = wb.create_sheet("Huong dan")
    guide.append(["Cột", "Cách ghi"])
    for header, _, text in COLUMNS:
        guide.append([header, text])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_xlsx(*, on: date | None = None, agency: Agency | None = None) -> bytes:
    versions = (selectors.procedure_versions_in_force(on=on, agency=agency)
                .select_related("procedure", "field").prefetch_related("components", "fees", "steps__unit")
                .order_by("procedure__code"))
    return _workbook([version_row(v) for v in versions])


def template_xlsx() -> bytes:
    return _workbook([])


# --- parsing ----------------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


def _decimal(text: str, label: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors.append(f"“{text}” không phải là số.")
        return None


def _choice(text: str, choices, default: str, errors: list[str]) -> str:
    if not text:
        return default
    wanted = normalize(text)
    for value, label in choices:
        if wanted in (normalize(value), normalize(label)):
            return value
    errors.append(f"“{text}” không hợp lệ; chọn một trong: {', '.join(label for _, label in choices)}.")
    return default


def _bool(text: str, default: bool, errors: list[str]) -> bool:
    if not text:
        return default
    value = normalize(text)
    if value in ("co", "x", "1", "true", "yes"):
        return True
    if value in ("khong", "0", "false", "no"):
        return False
    errors.append(f"“{text}” phải là Có hoặc Không.")
    return default


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.split("|")] for line in text.splitlines() if line.strip()]


def parse_row(cells: dict[str, str], *, units: dict[str, Unit]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """One row → ({code, field_code, field_name, data, components, fees, steps}, {key: [errors]})."""
    errs: dict[str, list[str]] = {}

    def err(key: str) -> list[str]:
        return errs.setdefault(key, [])

    code = cells.get("code", "")
    if not code:
        err("code").append("Thiếu mã thủ tục.")
    if not cells.get("field_code"):
        err("field_code").append("Thiếu mã lĩnh vực.")
    data: dict[str, Any] = {
        "name": cells.get("name", ""), "implementing_body": cells.get("implementing_body", ""),
        "target": cells.get("target", ""), "time_note": cells.get("time_note", ""), "result": cells.get("result", ""),
        "conditions": cells.get("conditions", ""), "steps_text": cells.get("steps_text", ""),
        "source": cells.get("source", ""),
        "legal_basis": [line.strip() for line in cells.get("legal_basis", "").replace(";", "\n").splitlines() if line.strip()],
        "illustrative": [p.strip() for p in cells.get("illustrative", "").split(",") if p.strip()],
        "government_level": _choice(cells.get("government_level", ""), GovernmentLevel.choices, GovernmentLevel.PROVINCE,
                                    err("government_level")),
        "time_unit": _choice(cells.get("time_unit", ""), TimeUnit.choices, TimeUnit.WORKING_DAYS, err("time_unit")),
        "online_class": _choice(cells.get("online_class", ""), OnlineClass.choices, OnlineClass.NONE, err("online_class")),
        "legal_time": _decimal(cells.get("legal_time", ""), "legal_time", err("legal_time")),
        "committed_time": _decimal(cells.get("committed_time", ""), "committed_time", err("committed_time")),
    }
    for key in BOOL_KEYS:
        data[key] = _bool(cells.get(key, ""), BOOL_DEFAULTS.get(key, False), err(key))
    level = cells.get("online_level", "")
    data["online_level"] = None
    if level:
        if level in ("1", "2", "3", "4"):
            data["online_level"] = int(level)
        else:
            err("online_level").append("Mức độ phải là 1, 2, 3 hoặc 4.")
    cutoff = cells.get("reception_cutoff", "")
    data["reception_cutoff"] = None
    if cutoff:
        try:
            data["reception_cutoff"] = datetime.strptime(cutoff[:5], "%H:%M").time()
        except ValueError:
            err("reception_cutoff").append(f"“{cutoff}” không đúng dạng giờ HH:MM.")
    components = []
    for i, parts in enumerate(_lines(cells.get("components", "")), start=1):
        parts += [""] * (5 - len(parts))
        try:
            components.append({"order": i, "name": parts[0], "originals": int(parts[1] or 1), "copies": int(parts[2] or 0),
                               "mandatory": normalize(parts[3]) != "khong", "form_name": parts[4]})
        except ValueError:
            err("components").append(f"Dòng {i}: số bản chính, bản sao phải là số nguyên.")
    fees = []
    for i, parts in enumerate(_lines(cells.get("fees", "")), start=1):
        parts += [""] * (3 - len(parts))
        amount = parts[1].replace(".", "").replace(",", "").replace(" ", "").replace("đồng", "")
        if amount and not amount.isdigit():
            err("fees").append(f"Dòng {i}: số tiền “{parts[1]}” không hợp lệ.")
            continue
        fees.append({"name": parts[0], "amount_vnd": int(amount or 0), "note": parts[2]})
    steps = []
    for i, parts in enumerate(_lines(cells.get("steps", "")), start=1):
        parts += [""] * (4 - len(parts))
        duration = _decimal(parts[2], "steps", err("steps"))
        unit = units.get(parts[1]) if parts[1] else None
        if parts[1] and unit is None:
            err("steps").append(f"Bước {i}: không có đơn vị viết tắt “{parts[1]}”.")
        steps.append({"order": i, "name": parts[0], "unit": unit, "role": parts[3], "duration": duration})
    errs = {k: v for k, v in errs.items() if v}
    return ({"code": code, "field_code": cells.get("field_code", ""), "field_name": cells.get("field_name", ""),
             "data": data, "components": components, "fees": fees, "steps": steps}, errs)


def _comparable(parsed: dict) -> Any:
    data = dict(parsed["data"])
    steps = [{**s, "unit": s["unit"].pk if s["unit"] else None} for s in parsed["steps"]]
    return [parsed["field_code"], data, parsed["components"], parsed["fees"], steps]


def read_xlsx(file) -> list[tuple[int, dict[str, str]]]:
    """(row number, {key: text}) for every non-empty row of the first sheet."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is the same error for the user
        raise ImportRejected([(1, "—", "Không đọc được tệp; hãy dùng tệp Excel (.xlsx) theo mẫu.")])
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys = [KEY_BY_HEADER.get(normalize(_text(h))) for h in header]
    missing = [h for h, k, _ in COLUMNS if k in ("code", "name", "field_code") and k not in keys]
    if missing:
        raise ImportRejected([(1, m, "Thiếu cột bắt buộc.") for m in missing])
    out = []
    for number, values in enumerate(rows, start=2):
        cells = {k: _text(v) for k, v in zip(keys, values, strict=False) if k}
        if any(cells.values()):
            out.append((number, cells))
    return out


def import_xlsx(*, actor: User | None, file, agency: Agency, valid_from: date) -> dict[str, int]:
    """Create or update procedures from the file, all or nothing. A new code gets a procedure whose version
    is in force from `valid_from`; a changed procedure gets a new version from that date (the previous one
    ends that day); an unchanged one is left alone. Raises ImportRejected with every error found."""
    rows = read_xlsx(file)
    units = {u.short_name: u for u in Unit.objects.filter(agency=agency)}
    fields = {f.code: f for f in Field.objects.all()}
    errors: list[tuple[int, str, str]] = []
    parsed_rows = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        parsed, errs = parse_row(cells, units=units)
        if parsed["code"] in seen:
            errs.setdefault("code", []).append(f"Mã thủ tục trùng với dòng {seen[parsed['code']]}.")
        seen.setdefault(parsed["code"], number)
        field = fields.get(parsed["field_code"])
        if field is None and parsed["field_code"] and not parsed["field_name"]:
            errs.setdefault("field_name", []).append("Mã lĩnh vực chưa có trong danh mục; cần ghi tên lĩnh vực.")
        if not errs:
            data = {**parsed["data"], "field": field or Field(code=parsed["field_code"], name=parsed["field_name"])}
            try:
                services.validate_version(data, parsed["steps"])
            except ApplicationError as exc:
                for key, messages in exc.fields.items():
                    errs.setdefault(ERROR_COLUMN.get(key, key), []).extend(messages)
        for key, messages in errs.items():
            for message in messages:
                errors.append((number, HEADER_BY_KEY.get(key, key), message))
        parsed_rows.append((number, parsed))
    if not rows:
        errors.append((2, "—", "Tệp không có dòng dữ liệu nào."))
    if errors:
        raise ImportRejected(errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    current_row = 0
    try:
        with transaction.atomic():
            for number, parsed in parsed_rows:
                current_row = number
                counts[_import_one(actor=actor, parsed=parsed, agency=agency, valid_from=valid_from)] += 1
            audit_record(actor=actor, action="catalog.import_xlsx", object_type="catalog.procedure",
                         changes={**counts, "valid_from": valid_from.isoformat()})
    except ApplicationError as exc:
        messages = [m for ms in exc.fields.values() for m in ms] or [exc.message]
        raise ImportRejected([(current_row, "—", m) for m in messages])
    return counts


def _import_one(*, actor, parsed: dict, agency: Agency, valid_from: date) -> str:
    field = services.field_get_or_create(actor=actor, code=parsed["field_code"], name=parsed["field_name"])
    data = {**parsed["data"], "field": field, "agency": agency}
    procedure = Procedure.objects.filter(code=parsed["code"]).first()
    if procedure is None:
        version = services.procedure_create(actor=actor, code=parsed["code"], data=data, components=parsed["components"],
                                            fees=parsed["fees"], steps=parsed["steps"])
        services.procedure_publish(actor=actor, version=version, valid_from=valid_from)
        return "created"
    current = procedure.versions.filter(status=ProcedureVersion.Status.IN_FORCE).first()
    if current is not None:
        units = {u.short_name: u for u in Unit.objects.filter(agency=agency)}
        existing, _ = parse_row(version_row(current), units=units)
        if _comparable(existing) == _comparable(parsed):
            return "unchanged"
    version = services.procedure_version_create(actor=actor, procedure=procedure, data=data,
                                                components=parsed["components"], fees=parsed["fees"], steps=parsed["steps"])
    services.procedure_publish(actor=actor, version=version, valid_from=valid_from)
    return "updated"


# --- JSON: the whole catalog ------------------------------------------------------------------------------

FORMAT = "motcua-catalog"


def _version_json(v: ProcedureVersion) -> dict:
    out = {k: getattr(v, k) for k in services.VERSION_FIELDS if k not in ("field", "agency")}
    out.update({
        "number": v.number, "status": v.status, "valid_from": v.valid_from, "valid_to": v.valid_to,
        "field": v.field.code, "agency": v.agency.code if v.agency_id else None,
        "components": [{"order": c.order, "name": c.name, "originals": c.originals, "copies": c.copies,
                        "mandatory": c.mandatory, "form_name": c.form_name, "form_file": c.form_file.name}
                       for c in v.components.all()],
        "fees": [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in v.fees.all()],
        "steps": [{"order": s.order, "name": s.name, "unit": s.unit.short_name if s.unit_id else None, "role": s.role,
                   "duration": s.duration} for s in v.steps.all()],
    })
    return out


def export_json(*, fetched_by=None) -> dict:
    """The whole catalog; with `fetched_by`, only what the user may read (core.tenancy): the procedures of the
    agencies in the user's scope (and those of no agency) and their decisions."""
    versions = (ProcedureVersion.objects.select_related("procedure", "field", "agency")
                .prefetch_related("components", "fees", "steps__unit").order_by("procedure__code", "number"))
    decision_qs = PublicationDecision.objects.all()
    if fetched_by is not None:
        from django.db.models import Q

        from motcua.core.tenancy import scope_for

        scope = scope_for(fetched_by)
        if not scope.read_all:
            versions = versions.filter(Q(agency__in=sorted(scope.read_ids)) | Q(agency__isnull=True))
        decision_qs = scope.readable(decision_qs)
    procedures: dict[str, list] = {}
    for v in versions:
        procedures.setdefault(v.procedure.code, []).append(_version_json(v))
    decisions = []
    for d in decision_qs.select_related("agency").prefetch_related("items__procedure", "items__version",
                                                                                     "items__replaces").order_by("effective_on", "number"):
        decisions.append({
            "agency": d.agency.code, "number": d.number, "title": d.title, "signed_on": d.signed_on, "signer": d.signer,
            "effective_on": d.effective_on, "applied_at": d.applied_at,
            "items": [{"action": i.action, "procedure": i.procedure.code, "version": i.version.number if i.version_id else None,
                       "replaces": i.replaces.code if i.replaces_id else None} for i in d.items.all()],
        })
    return {
        "format": FORMAT, "format_version": 1, "exported_at": timezone.now(),
        "fields": [{"code": f.code, "name": f.name} for f in Field.objects.order_by("code")],
        "procedures": [{"code": code, "versions": vs} for code, vs in procedures.items()],
        "decisions": decisions,
    }


def _json_default(value):
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def export_json_bytes(*, fetched_by=None) -> bytes:
    return json.dumps(export_json(fetched_by=fetched_by), ensure_ascii=False, indent=1, default=_json_default).encode("utf-8")


def _date(value):
    return date.fromisoformat(value) if value else None


def import_json(*, actor: User | None, payload: dict) -> dict[str, int]:
    """Load a catalog exported by export_json, all or nothing: fields, procedures and versions (matched by
    code and version number) and decisions (matched by agency and number) that are missing are created;
    those present are left as they are."""
    if payload.get("format") != FORMAT:
        raise ImportRejected([(0, "format", "Không phải tệp danh mục motcua.")])
    counts = {"fields": 0, "procedures": 0, "versions": 0, "decisions": 0}
    agencies = {a.code: a for a in Agency.objects.all()}
    try:
        with transaction.atomic():
            fields = {f.code: f for f in Field.objects.all()}
            for f in payload.get("fields", []):
                if f["code"] not in fields:
                    fields[f["code"]] = Field.objects.create(code=f["code"], name=f["name"], search_text=normalize(f["name"]))
                    counts["fields"] += 1
            for p in payload.get("procedures", []):
                procedure, created = Procedure.objects.get_or_create(code=p["code"])
                counts["procedures"] += created
                have = set(procedure.versions.values_list("number", flat=True))
                for v in p["versions"]:
                    if v["number"] in have:
                        continue
                    agency = agencies.get(v["agency"]) if v.get("agency") else None
                    data = {k: v[k] for k in services.VERSION_FIELDS if k in v and k not in ("field", "agency")}
                    for key in ("legal_time", "committed_time"):
                        data[key] = Decimal(data[key]) if data.get(key) is not None else None
                    if data.get("reception_cutoff"):
                        data["reception_cutoff"] = time.fromisoformat(data["reception_cutoff"])
                    version = ProcedureVersion.objects.create(
                        procedure=procedure, number=v["number"], status=v["status"], valid_from=_date(v["valid_from"]),
                        valid_to=_date(v["valid_to"]), field=fields[v["field"]], agency=agency,
                        search_text=services.version_search_text(name=data["name"], code=procedure.code), **data)
                    unit_map = {u.short_name: u for u in Unit.objects.filter(agency=agency)} if agency else {}
                    Component.objects.bulk_create([Component(version=version, **c) for c in v.get("components", [])])
                    Fee.objects.bulk_create([Fee(version=version, **f) for f in v.get("fees", [])])
                    ProcessStep.objects.bulk_create([
                        ProcessStep(version=version, order=s["order"], name=s["name"], unit=unit_map.get(s["unit"]),
                                    role=s.get("role", ""), duration=Decimal(str(s["duration"])))
                        for s in v.get("steps", [])])
                    counts["versions"] += 1
            for d in payload.get("decisions", []):
                agency = agencies.get(d["agency"])
                if agency is None:
                    raise ImportRejected([(0, "decisions", f"Không có cơ quan mã {d['agency']} cho quyết định {d['number']}.")])
                if PublicationDecision.objects.filter(agency=agency, number=d["number"]).exists():
                    continue
                decision = PublicationDecision.objects.create(
                    agency=agency, number=d["number"], title=d.get("title", ""), signed_on=_date(d["signed_on"]),
                    signer=d.get("signer", ""), effective_on=_date(d["effective_on"]),
                    applied_at=datetime.fromisoformat(d["applied_at"]) if d.get("applied_at") else None)
                for item in d.get("items", []):
                    procedure = Procedure.objects.get(code=item["procedure"])
                    DecisionItem.objects.create(
                        decision=decision, action=item["action"], procedure=procedure,
                        version=procedure.versions.get(number=item["version"]) if item.get("version") else None,
                        replaces=Procedure.objects.get(code=item["replaces"]) if item.get("replaces") else None)
                counts["decisions"] += 1
            audit_record(actor=actor, action="catalog.import_json", object_type="catalog.procedure", changes=counts)
            public_cache.catalog_changed()  # written here directly, not through the services
    except (IntegrityError, KeyError, ValueError, Procedure.DoesNotExist, ProcedureVersion.DoesNotExist) as exc:
        raise ImportRejected([(0, "—", f"Dữ liệu không nhất quán với danh mục hiện có: {exc}")])
    return counts
