"""Import of the national TTHC catalogue (export shape of the national public service portal, one JSON
object a line): fields from `categories`/`categoryIds`, procedures by `code`, executing bodies from
`departments`. Idempotent: a second run creates nothing and changes nothing. Bulk operations, so the
5,670 procedures of the whole catalogue load in seconds.

Only versions that came from this import are updated; a procedure the agency already publishes itself
(its own version with times, steps and fees) is left alone and counted as `local`."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from django.db import connection, transaction

from motcua.core.errors import ValidationFailed
from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from . import public_cache
from .models import Field, GovernmentLevel, Procedure, ProcedureVersion
from .services import version_search_text
from .text import normalize

SOURCE_PREFIX = "DVCQG"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "national-catalog-2026-07.jsonl.gz"
CHUNK = 500
CENTRAL_PREFIXES = (
    "bo ",
    "ngan hang nha nuoc",
    "bao hiem xa hoi viet nam",
    "thanh tra chinh phu",
    "toa an",
    "tap doan",
    "trung uong",
    "van phong chinh phu",
    "kiem toan nha nuoc",
    "vien kiem sat",
)


def open_lines(path: str | Path) -> Iterator[str]:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def read_records(lines: Iterable[str]) -> list[dict]:
    """Parse and check the lines; the last record of a code wins (codes compared without surrounding spaces)."""
    records: dict[str, dict] = {}
    errors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            errors.append(f"Dòng {number}: không phải JSON hợp lệ.")
            continue
        code, name = (record.get("code") or "").strip(), (record.get("name") or "").strip()
        if not code or not name:
            errors.append(f"Dòng {number}: thiếu mã hoặc tên thủ tục.")
            continue
        records[code] = record
    if errors:
        raise ValidationFailed("Tệp danh mục quốc gia có lỗi; không nhập dòng nào.", fields={"rows": errors[:50]})
    return list(records.values())


def _government_level(record: dict) -> str:
    promulgator = normalize(record.get("departmentPromulgate") or "")
    if promulgator.startswith(CENTRAL_PREFIXES):
        return GovernmentLevel.CENTRAL
    if promulgator.startswith(("ubnd", "uy ban nhan dan")):
        return GovernmentLevel.PROVINCE
    return GovernmentLevel.OTHER


def _values(record: dict, field: Field) -> dict:
    departments = [d.strip() for d in record.get("departments") or [] if d and d.strip()]
    return {
        "name": record["name"].strip()[:2000],
        "field_id": field.pk,
        "implementing_body": "; ".join(departments)[:1000],
        "target": "; ".join(t for t in record.get("formalityTargetType") or [] if t)[:1000],
        "government_level": _government_level(record),
        "source": f"{SOURCE_PREFIX} {record.get('id', '')} ({record.get('state', '')}, {record.get('type', '')}); "
        f"ban hành: {record.get('departmentPromulgate') or '—'}",
    }


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def national_catalog_import(
    *, actor: Actor, records: list[dict], valid_from: date, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Create or update fields and procedures by code, in one transaction."""
    progress = progress or (lambda n: None)
    counts = {
        "records": len(records),
        "fields_created": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "local": 0,
        "not_in_force": 0,
    }
    with transaction.atomic():
        # fields: by code (the portal's category id), else by name without diacritics
        fields_by_code = {f.code: f for f in Field.objects.all()}
        fields_by_name = {f.search_text or normalize(f.name): f for f in fields_by_code.values()}
        new_fields = {}
        record_field_key = []
        for record in records:
            names = [c for c in record.get("categories") or [] if c and c.strip()] or ["Chưa phân loại"]
            ids = record.get("categoryIds") or []
            name = names[0].strip()
            code = (ids[0] if ids and ids[0] else normalize(name).replace(" ", "-"))[:40]
            key = normalize(name)
            if code not in fields_by_code and key not in fields_by_name and key not in new_fields:
                new_fields[key] = Field(code=code, name=name[:255], search_text=key[:255])
            record_field_key.append((code, key))
        if new_fields:
            Field.objects.bulk_create(list(new_fields.values()))
            counts["fields_created"] = len(new_fields)
            fields_by_code = {f.code: f for f in Field.objects.all()}
            fields_by_name = {f.search_text or normalize(f.name): f for f in fields_by_code.values()}

        def field_for(code: str, key: str) -> Field:
            return fields_by_code.get(code) or fields_by_name[key]

        codes = [r["code"].strip() for r in records]
        existing: dict[str, int] = {}
        for chunk in _chunks(codes):
            existing.update(Procedure.objects.filter(code__in=chunk).values_list("code", "id"))
        missing = [c for c in codes if c not in existing]
        for chunk in _chunks(missing):
            Procedure.objects.bulk_create([Procedure(code=c) for c in chunk])
            existing.update(Procedure.objects.filter(code__in=chunk).values_list("code", "id"))

        current: dict[int, ProcedureVersion] = {}
        any_version: set[int] = set()
        ids = [existing[c] for c in codes if c not in missing]
        for chunk in _chunks(ids):
            for v in ProcedureVersion.objects.filter(procedure_id__in=chunk).only(
                "id", "procedure_id", "status", "name", "field_id", "implementing_body", "target", "government_level", "source"
            ):
                any_version.add(v.procedure_id)
                if v.status == ProcedureVersion.Status.IN_FORCE:
                    current[v.procedure_id] = v

        to_create, to_update = [], []
        missing_set = set(missing)
        for i, record in enumerate(records, start=1):
            code = record["code"].strip()
            pid = existing[code]
            values = _values(record, field_for(*record_field_key[i - 1]))
            if code in missing_set or pid not in any_version:
                to_create.append(
                    ProcedureVersion(
                        procedure_id=pid,
                        number=1,
                        status=ProcedureVersion.Status.IN_FORCE,
                        valid_from=valid_from,
                        search_text=version_search_text(name=values["name"], code=code),
                        channel_counter=True,
                        **values,
                    )
                )
                counts["created"] += 1
            elif pid not in current:
                counts["not_in_force"] += 1
            else:
                version = current[pid]
                if not version.source.startswith(SOURCE_PREFIX):
                    counts["local"] += 1
                elif all(getattr(version, k) == v for k, v in values.items()):
                    counts["unchanged"] += 1
                else:
                    for k, v in values.items():
                        setattr(version, k, v)
                    version.search_text = version_search_text(name=values["name"], code=code)
                    to_update.append(version)
                    counts["updated"] += 1
            if i % 200 == 0:
                progress(200)
        progress(len(records) % 200)
        for chunk in _chunks(to_create):
            ProcedureVersion.objects.bulk_create(chunk)
        if to_update:
            ProcedureVersion.objects.bulk_update(
                to_update,
                ["name", "field_id", "implementing_body", "target", "government_level", "source", "search_text"],
                batch_size=CHUNK,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics, so the planner uses the search index
                cursor.execute("ANALYZE catalog_procedure, catalog_procedureversion, catalog_field")
        audit_record(
            actor=actor,
            action="catalog.import_national",
            object_type="catalog.procedure",
            changes={**counts, "valid_from": valid_from.isoformat()},
        )
        public_cache.catalog_changed()
    return counts
