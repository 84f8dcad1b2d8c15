"""Helpers of the cross-agency tests (core.tenancy): a fingerprint of the whole database, to show that a
refused request changed nothing, and a second agency with staff for every role."""

from django.apps import apps
from django.db.models import Max

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.services import agency_create, unit_create
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

# Rows that requests write by design whatever the answer (sessions, rate-limit counters, login attempts).
IGNORED = {"sessions.session", "core.ratelimitcounter", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def db_fingerprint() -> dict[str, tuple]:
    """Row count (and newest `updated_at`, which catches updates) of every model, the audit log included."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        qs = model._base_manager.all()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            agg = qs.aggregate(u=Max("updated_at"))
            out[label] = (qs.count(), agg["u"])
        else:
            out[label] = (qs.count(),)
    return out


def fingerprint_diff(before: dict, after: dict) -> list[str]:
    return [f"{k}: {before.get(k)} → {after.get(k)}" for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


def second_agency(suffix: str = "B") -> tuple[Agency, Unit, dict[str, object]]:
    """Agency B (short name SXD{suffix}) with a one-stop desk unit and one staff user per role of an agency
    (its administrator included; not the province supervisor)."""
    agency = agency_create(actor=SYSTEM, name=f"Sở Xây dựng {suffix}", short_name=f"SXD{suffix}", code=f"X99.{suffix}")
    unit = unit_create(actor=SYSTEM, agency=agency, name="Văn phòng Sở", short_name="VPS", is_one_stop_desk=True)
    staff = {
        role.value: make_staff(f"b-{suffix}-{role.value}", role, unit=unit) for role in Role if role != Role.PROVINCE_SUPERVISOR
    }
    return agency, unit, staff
