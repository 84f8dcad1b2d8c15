"""Loading a catalog that json_export wrote, all or nothing."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, transaction

from motcua.core.models import Agency, Unit
from motcua.core.services import audit_record
from motcua.core.transitions import Actor

from .. import public_cache, services
from ..models import Component, DecisionItem, Fee, Field, Procedure, ProcedureVersion, ProcessStep, PublicationDecision
from ..text import normalize
from . import ImportRejected
from .json_export import FORMAT


def _date(value):
    return date.fromisoformat(value) if value else None


def import_json(*, actor: Actor, payload: dict) -> dict[str, int]:
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
                        procedure=procedure,
                        number=v["number"],
                        status=v["status"],
                        valid_from=_date(v["valid_from"]),
                        valid_to=_date(v["valid_to"]),
                        field=fields[v["field"]],
                        agency=agency,
                        search_text=services.version_search_text(name=data["name"], code=procedure.code),
                        **data,
                    )
                    unit_map = {u.short_name: u for u in Unit.objects.filter(agency=agency)} if agency else {}
                    Component.objects.bulk_create([Component(version=version, **c) for c in v.get("components", [])])
                    Fee.objects.bulk_create([Fee(version=version, **f) for f in v.get("fees", [])])
                    ProcessStep.objects.bulk_create(
                        [
                            ProcessStep(
                                version=version,
                                order=s["order"],
                                name=s["name"],
                                unit=unit_map.get(s["unit"]),
                                role=s.get("role", ""),
                                duration=Decimal(str(s["duration"])),
                            )
                            for s in v.get("steps", [])
                        ]
                    )
                    counts["versions"] += 1
            for d in payload.get("decisions", []):
                agency = agencies.get(d["agency"])
                if agency is None:
                    raise ImportRejected([(0, "decisions", f"Không có cơ quan mã {d['agency']} cho quyết định {d['number']}.")])
                if PublicationDecision.objects.filter(agency=agency, number=d["number"]).exists():
                    continue
                decision = PublicationDecision.objects.create(
                    agency=agency,
                    number=d["number"],
                    title=d.get("title", ""),
                    signed_on=_date(d["signed_on"]),
                    signer=d.get("signer", ""),
                    effective_on=_date(d["effective_on"]),
                    applied_at=datetime.fromisoformat(d["applied_at"]) if d.get("applied_at") else None,
                )
                for item in d.get("items", []):
                    procedure = Procedure.objects.get(code=item["procedure"])
                    DecisionItem.objects.create(
                        decision=decision,
                        action=item["action"],
                        procedure=procedure,
                        version=procedure.versions.get(number=item["version"]) if item.get("version") else None,
                        replaces=Procedure.objects.get(code=item["replaces"]) if item.get("replaces") else None,
                    )
                counts["decisions"] += 1
            audit_record(actor=actor, action="catalog.import_json", object_type="catalog.procedure", changes=counts)
            public_cache.catalog_changed()  # written here directly, not through the services
    except (IntegrityError, KeyError, ValueError, Procedure.DoesNotExist, ProcedureVersion.DoesNotExist) as exc:
        raise ImportRejected([(0, "—", f"Dữ liệu không nhất quán với danh mục hiện có: {exc}")])
    return counts
