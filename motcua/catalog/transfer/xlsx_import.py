"""Import of the catalog's XLSX file (xlsx_columns), all or nothing: a file with any error changes nothing and
the caller gets a row-by-row report in Vietnamese (ImportRejected)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from motcua.core.errors import ApplicationError
from motcua.core.models import Agency, Unit
from motcua.core.services import audit_record
from motcua.core.transitions import Actor
from motcua.core.validators import ascii_int

from .. import services
from ..models import Field, GovernmentLevel, OnlineClass, Procedure, ProcedureVersion, TimeUnit
from ..text import normalize
from . import ImportRejected
from .xlsx_columns import BOOL_DEFAULTS, BOOL_KEYS, COLUMNS, HEADER_BY_KEY, KEY_BY_HEADER, SHEET, version_row

# error keys of services.validate_version → column
ERROR_COLUMN = {"field": "field_code", "steps": "steps"}


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
        "name": cells.get("name", ""),
        "implementing_body": cells.get("implementing_body", ""),
        "target": cells.get("target", ""),
        "time_note": cells.get("time_note", ""),
        "result": cells.get("result", ""),
        "conditions": cells.get("conditions", ""),
        "steps_text": cells.get("steps_text", ""),
        "source": cells.get("source", ""),
        "legal_basis": [line.strip() for line in cells.get("legal_basis", "").replace(";", "\n").splitlines() if line.strip()],
        "illustrative": [p.strip() for p in cells.get("illustrative", "").split(",") if p.strip()],
        "government_level": _choice(
            cells.get("government_level", ""), GovernmentLevel.choices, GovernmentLevel.PROVINCE, err("government_level")
        ),
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
            components.append(
                {
                    "order": i,
                    "name": parts[0],
                    "originals": int(parts[1] or 1),
                    "copies": int(parts[2] or 0),
                    "mandatory": normalize(parts[3]) != "khong",
                    "form_name": parts[4],
                }
            )
        except ValueError:
            err("components").append(f"Dòng {i}: số bản chính, bản sao phải là số nguyên.")
    fees = []
    for i, parts in enumerate(_lines(cells.get("fees", "")), start=1):
        parts += [""] * (3 - len(parts))
        amount = parts[1].replace(".", "").replace(",", "").replace(" ", "").replace("đồng", "")
        if amount and ascii_int(amount) is None:
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
    return (
        {
            "code": code,
            "field_code": cells.get("field_code", ""),
            "field_name": cells.get("field_name", ""),
            "data": data,
            "components": components,
            "fees": fees,
            "steps": steps,
        },
        errs,
    )


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


def import_xlsx(*, actor: Actor, file, agency: Agency, valid_from: date) -> dict[str, int]:
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
            audit_record(
                actor=actor,
                action="catalog.import_xlsx",
                object_type="catalog.procedure",
                changes={**counts, "valid_from": valid_from.isoformat()},
            )
    except ApplicationError as exc:
        messages = [m for ms in exc.fields.values() for m in ms] or [exc.message]
        raise ImportRejected([(current_row, "—", m) for m in messages])
    return counts


def _import_one(*, actor, parsed: dict, agency: Agency, valid_from: date) -> str:
    field = services.field_get_or_create(actor=actor, code=parsed["field_code"], name=parsed["field_name"])
    data = {**parsed["data"], "field": field, "agency": agency}
    procedure = Procedure.objects.filter(code=parsed["code"]).first()
    if procedure is None:
        version = services.procedure_create(
            actor=actor,
            code=parsed["code"],
            data=data,
            components=parsed["components"],
            fees=parsed["fees"],
            steps=parsed["steps"],
        )
        services.procedure_publish(actor=actor, version=version, valid_from=valid_from)
        return "created"
    current = procedure.versions.filter(status=ProcedureVersion.Status.IN_FORCE).first()
    if current is not None:
        units = {u.short_name: u for u in Unit.objects.filter(agency=agency)}
        existing, _ = parse_row(version_row(current), units=units)
        if _comparable(existing) == _comparable(parsed):
            return "unchanged"
    version = services.procedure_version_create(
        actor=actor, procedure=procedure, data=data, components=parsed["components"], fees=parsed["fees"], steps=parsed["steps"]
    )
    services.procedure_publish(actor=actor, version=version, valid_from=valid_from)
    return "updated"
