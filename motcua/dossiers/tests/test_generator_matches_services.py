"""The bulk generator writes what the services write (issue 16 item 4): the same dossiers go once through
the generator and once through the services — the same calls (`Plan.acts`: intake, acceptance, hand-overs,
supplements, payment, extension, decision, return, refusal, withdrawal, stop), at the same moments (the
clock set to each call's), by the same actor (the system) — and every row either side wrote is compared,
keys replaced by what they point to: dossiers, steps, pauses, supplement requests, extensions, timeline
events, daily sequences and audit entries, whose chain verifies on both sides. The one difference is
deliberate: the services queue messages to applicants, the generator does not (past dossiers)."""

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import ProcessStep, TimeUnit
from motcua.core.models import AuditHead, AuditLog
from motcua.core.roles import Role
from motcua.core.selectors import audit_verify_chain
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.dossiers.generate import Generator, Mix
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    DossierStep,
    Extension,
    Pause,
    Status,
    SupplementRequest,
)
from motcua.dossiers.transitions import SERVICES
from motcua.notifications.models import Message

from .factories import World, aware, make_agency, make_units, make_version

pytestmark = pytest.mark.django_db

NOW = aware(2021, 7, 1, 10, 0)  # half the year still to come: its dossiers are drawn in recent weeks
# Every path often enough that a few dozen dossiers take each of them.
EVERY_PATH = Mix(
    online=0.4,
    postal=0.15,
    refuse=0.25,
    two_supplements=0.3,
    one_supplement=0.25,
    payment=0.15,
    extend=0.4,
    early=0.4,
    on_time=0.3,
    withdraw=0.08,
    stop=0.08,
    reject=0.2,
)
MODELS = (Dossier, DossierStep, Pause, SupplementRequest, Extension, DossierEvent, DailySequence)


def _world() -> World:
    """An agency with three procedures (working days; working hours; no internal process), the first
    with a step handled by another agency's unit (inter-agency)."""
    world = World(committed="10")
    other = make_agency()
    other_units = make_units(other)
    make_staff("chuyenvien_khac", Role.SPECIALIST, unit=other_units["QLDT"])
    ProcessStep.objects.filter(version=world.version, order=3).update(unit=other_units["QLDT"])
    make_version(
        world.agency,
        units=world.units,
        unit=TimeUnit.WORKING_HOURS,
        committed="40",
        legal="40",
        steps=[("Tiếp nhận", "MC", "1"), ("Thẩm định", "QLDT", "30"), ("Phê duyệt", "VP", "8.5")],
    )
    make_version(world.agency, units=world.units, committed="5", legal="7", steps=[])
    return world


def _counts() -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models() if m._meta.managed and not m._meta.proxy}


def _snapshot(audit_after: int) -> dict[str, list]:
    """Every row of the tables both sides write, keys replaced by what they point to (a dossier by its
    code, a pause by its dossier and start), in a key-independent order."""
    codes = dict(Dossier.objects.values_list("pk", "code"))
    pauses = {pk: (codes[d], start) for pk, d, start in Pause.objects.values_list("pk", "dossier_id", "started_at")}
    tables = {}
    for model in MODELS:
        rows = []
        for row in model.objects.order_by("id").values():
            row.pop("id")
            if "dossier_id" in row:
                row["dossier_id"] = codes[row["dossier_id"]]
            if "pause_id" in row:
                row["pause_id"] = pauses.get(row["pause_id"])
            if model is Dossier:  # a random secret's keyed hash
                assert len(row.pop("lookup_secret_hash")) == 64
            rows.append(row)
        if model is not DossierEvent:  # events stay in the order written (per dossier)
            rows.sort(key=repr)
        else:
            rows.sort(key=lambda r: r["dossier_id"])
        tables[model._meta.db_table] = rows
    entries = []
    for row in AuditLog.objects.filter(id__gt=audit_after).order_by("id").values():
        for key in ("id", "prev_hash", "hash"):  # key-dependent (the entry hashes its dossier's key)
            row.pop(key)
        row["object_id"] = codes[int(row["object_id"])]
        entries.append(row)
    tables["core_auditlog"] = entries
    tables["core_audithead.count"] = [AuditHead.objects.get(id=1).count]
    return tables


def _replay(gen: Generator, clock: list) -> None:
    """The plans' calls through the services, batch by batch in the generator's order."""
    for start in range(0, len(gen.plans), gen.batch):
        plans = gen.plans[start : start + gen.batch]
        calls = sorted(
            ((act.at, plan.order, k, plan, act) for plan in plans for k, act in enumerate(plan.acts)), key=lambda c: c[:3]
        )
        dossiers = {}
        for at, order, _k, plan, act in calls:
            clock[0] = at
            if act.action == "receive":
                dossiers[order] = dossier_receive(actor=SYSTEM, agency=gen.agency, received_at=at, **act.args)
                assert dossiers[order].code == plan.code
            else:
                SERVICES[act.action](dossier=dossiers[order], actor=SYSTEM, at=at, **act.args)


def _paths(gen: Generator) -> set[str]:
    """What the plans went through."""
    seen = set()
    for plan in gen.plans:
        seen.add(f"channel:{plan.row['channel']}")
        seen.add(f"status:{plan.row['status']}")
        seen.update(act.action for act in plan.acts)
        if plan.row["timeliness"]:
            seen.add(f"timeliness:{plan.row['timeliness']}")
        if plan.row["outcome"]:
            seen.add(f"outcome:{plan.row['outcome']}")
        if any(s[4] != plan.row["agency_id"] for s in plan.steps):
            seen.add("inter-agency")
        if any(s[10] is not None and s[11] == "late" for s in plan.steps):
            seen.add("late step")
        if any(s[1] is None for s in plan.steps):
            seen.add("step without process")
        if len(plan.supplements) > 1:
            seen.add("two supplements")
    return seen


def test_generator_writes_what_the_services_write(monkeypatch, tmp_path):
    world = _world()
    no_checkpoints = tmp_path / "checkpoints.jsonl"
    audit_before = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    counts = _counts()
    with transaction.atomic():
        gen = Generator(agency=world.agency, count=48, years=[2021], now=NOW, seed=3, batch=20, mix=EVERY_PATH, keep_plans=True)
        assert gen.run() == 48
        generated = _snapshot(audit_before)
        generated_tables = {t for t, n in _counts().items() if n != counts[t]}
        assert audit_verify_chain(checkpoint_file=no_checkpoints) == []
        transaction.set_rollback(True)
    assert _counts() == counts

    clock = [NOW]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    _replay(gen, clock)
    served = _snapshot(audit_before)
    served_tables = {t for t, n in _counts().items() if n != counts[t]}
    assert audit_verify_chain(checkpoint_file=no_checkpoints) == []

    assert served_tables - {Message._meta.db_table} == generated_tables
    for table in served:
        assert len(generated[table]) == len(served[table]), table
        for mine, theirs in zip(generated[table], served[table], strict=True):
            assert mine == theirs, (table, {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs.get(k)})
    assert len(generated["dossiers_dossier"]) == 48
    assert _paths(gen) >= {
        "channel:counter",
        "channel:online",
        "channel:postal",
        "receive",
        "accept",
        "refuse",
        "forward",
        "request_supplement",
        "receive_supplement",
        "require_payment",
        "confirm_payment",
        "extend",
        "decide",
        "return_result",
        "withdraw",
        "stop",
        "status:submitted",
        "status:processing",
        "status:returned",
        "status:supplement_requested",
        "timeliness:early",
        "timeliness:on_time",
        "timeliness:late",
        "outcome:approved",
        "outcome:rejected",
        "inter-agency",
        "late step",
        "two supplements",
        "step without process",
    }, sorted(_paths(gen))
    assert Dossier.objects.filter(status=Status.RETURNED).exists()
