"""The whole catalog as JSON (fields, every version with its components, fees and steps, decisions), for moving
it between agencies or environments; json_import loads it."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from motcua.core.tenancy import scope_for

from .. import services
from ..models import Field, ProcedureVersion, PublicationDecision

FORMAT = "motcua-catalog"


def _version_json(v: ProcedureVersion) -> dict:
    out = {k: getattr(v, k) for k in services.VERSION_FIELDS if k not in ("field", "agency")}
    out.update(
        {
            "number": v.number,
            "status": v.status,
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "field": v.field.code,
            "agency": v.agency.code if v.agency_id else None,
            "components": [
                {
                    "order": c.order,
                    "name": c.name,
                    "originals": c.originals,
                    "copies": c.copies,
                    "mandatory": c.mandatory,
                    "form_name": c.form_name,
                    "form_file": c.form_file.name,
                }
                for c in v.components.all()
            ],
            "fees": [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in v.fees.all()],
            "steps": [
                {
                    "order": s.order,
                    "name": s.name,
                    "unit": s.unit.short_name if s.unit_id else None,
                    "role": s.role,
                    "duration": s.duration,
                }
                for s in v.steps.all()
            ],
        }
    )
    return out


def export_json(*, fetched_by=None) -> dict:
    """The whole catalog; with `fetched_by`, only what the user may read (core.tenancy): the procedures of the
    agencies in the user's scope (and those of no agency) and their decisions."""
    versions = (
        ProcedureVersion.objects.select_related("procedure", "field", "agency")
        .prefetch_related("components", "fees", "steps__unit")
        .order_by("procedure__code", "number")
    )
    decision_qs = PublicationDecision.objects.all()
    if fetched_by is not None:
        scope = scope_for(fetched_by)
        if not scope.read_all:
            versions = versions.filter(Q(agency__in=sorted(scope.read_ids)) | Q(agency__isnull=True))
        decision_qs = scope.readable(decision_qs)
    procedures: dict[str, list] = {}
    for v in versions:
        procedures.setdefault(v.procedure.code, []).append(_version_json(v))
    decisions = []
    for d in (
        decision_qs.select_related("agency")
        .prefetch_related("items__procedure", "items__version", "items__replaces")
        .order_by("effective_on", "number")
    ):
        decisions.append(
            {
                "agency": d.agency.code,
                "number": d.number,
                "title": d.title,
                "signed_on": d.signed_on,
                "signer": d.signer,
                "effective_on": d.effective_on,
                "applied_at": d.applied_at,
                "items": [
                    {
                        "action": i.action,
                        "procedure": i.procedure.code,
                        "version": i.version.number if i.version_id else None,
                        "replaces": i.replaces.code if i.replaces_id else None,
                    }
                    for i in d.items.all()
                ],
            }
        )
    return {
        "format": FORMAT,
        "format_version": 1,
        "exported_at": timezone.now(),
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
