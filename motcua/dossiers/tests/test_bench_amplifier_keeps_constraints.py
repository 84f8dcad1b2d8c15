"""The 10,000,000-dossier bench database's amplifier (bench/amplify.py) multiplies a generated sample with
set-based SQL: every copy keeps the tables' constraints (the unique codes, one open step and one open pause per
dossier, the pause of a supplement request), the order of its dossier's moments, and refers only to copies of
its own dossier. Here with every index and constraint in place (the bench drops them during its bulk insert)."""

import importlib.util
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.db.models.functions import Mod

from motcua.core.models import AuditLog
from motcua.core.testing import requires_postgres
from motcua.dossiers.generate import generate_dossiers
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Extension, Pause, SupplementRequest

from .factories import World, aware, make_version

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _amplify():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_amplify", BENCH / "amplify.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def amplified():
    amplify = _amplify()
    world = World(committed="10")
    make_version(world.agency, units=world.units, committed="3", legal="5")
    generate_dossiers(agency=world.agency, count=150, years=[2021], now=aware(2021, 12, 20, 10, 0), seed=5, batch=40)
    before = {
        "dossiers": Dossier.objects.count(),
        "closed": Dossier.objects.filter(status__in=amplify.CLOSED_STATUSES).count(),
        "steps": DossierStep.objects.count(),
        "pauses": Pause.objects.count(),
        "supplements": SupplementRequest.objects.count(),
        "extensions": Extension.objects.count(),
        "events": DossierEvent.objects.count(),
        "audit": AuditLog.objects.filter(object_type="dossiers.dossier").count(),
        "padded": DossierEvent.objects.annotate(r=Mod("id", 1000)).filter(r__lt=500).count(),
    }
    sample_ids = set(Dossier.objects.values_list("id", flat=True))
    with connection.cursor() as cur:
        amplify.setup(cur, since=date(2021, 1, 1))
        agency = world.agency.pk
        # Two copies of every dossier (this year, a year before), then one of the closed ones two years before.
        amplify.explicit_copies(cur, [(1, agency, 0, False), (2, agency, -1, False), (3, agency, -2, True)])
        amplify.copy_rows(cur, amplify.DOSSIER_SIDE, 1, 3)
        amplify.copy_rows(cur, [amplify.EVENTS], 1, 3, pad_permille=500)
        amplify.copy_rows(cur, [amplify.AUDIT], 1, 3)
        cur.execute("SELECT tbl, m FROM bench_amplify_offset")
        offsets = dict(cur.fetchall())
    return amplify, before, sample_ids, offsets


@requires_postgres
def test_counts_multiply_with_every_copy(amplified):
    amplify, before, _ids, _m = amplified
    assert before["dossiers"] > before["closed"] > 0, Counter(Dossier.objects.values_list("status", flat=True))
    assert before["steps"] and before["pauses"] and before["supplements"]
    closed_ids = Dossier.objects.filter(id__in=_ids, status__in=amplify.CLOSED_STATUSES)
    closed = {
        "steps": DossierStep.objects.filter(dossier__in=closed_ids).count(),
        "pauses": Pause.objects.filter(dossier__in=closed_ids).count(),
        "supplements": SupplementRequest.objects.filter(dossier__in=closed_ids).count(),
        "extensions": Extension.objects.filter(dossier__in=closed_ids).count(),
    }
    assert Dossier.objects.count() == 3 * before["dossiers"] + before["closed"]
    assert DossierStep.objects.count() == 3 * before["steps"] + closed["steps"]
    assert Pause.objects.count() == 3 * before["pauses"] + closed["pauses"]
    assert SupplementRequest.objects.count() == 3 * before["supplements"] + closed["supplements"]
    assert Extension.objects.count() == 3 * before["extensions"] + closed["extensions"]
    closed_events = DossierEvent.objects.filter(dossier__in=closed_ids)
    # Every event once per copy, and a second time for the events whose id ends in 000–499 (the padding).
    assert DossierEvent.objects.count() == (
        before["events"]
        + 2 * (before["events"] + before["padded"])
        + closed_events.count()
        + closed_events.annotate(r=Mod("id", 1000)).filter(r__lt=500).count()
    )
    closed_audit = AuditLog.objects.filter(
        object_type="dossiers.dossier", object_id__in=[str(i) for i in closed_ids.values_list("id", flat=True)]
    )
    assert AuditLog.objects.filter(object_type="dossiers.dossier").count() == 3 * before["audit"] + closed_audit.count()


@requires_postgres
def test_codes_and_secrets_stay_unique(amplified):
    rows = list(Dossier.objects.values_list("code", "lookup_secret_hash"))
    codes = Counter(code for code, _h in rows)
    assert max(codes.values()) == 1
    hashes = Counter(h for _c, h in rows if h)
    assert hashes and max(hashes.values()) == 1
    assert AuditLog.objects.values("hash").distinct().count() == AuditLog.objects.count()


@requires_postgres
def test_copies_keep_the_order_of_their_moments(amplified):
    _a, _b, sample_ids, m = amplified
    copies = Dossier.objects.exclude(id__in=sample_ids)
    years = Counter(d.received_at.year for d in copies)
    assert set(years) == {2019, 2020, 2021}
    for d in copies:
        assert d.received_at <= (d.accepted_at or d.received_at) <= (d.finished_at or d.accepted_at or d.received_at)
        assert d.finished_at is None or d.returned_at is None or d.finished_at <= d.returned_at
        copy, original = divmod(d.id, m["dossiers_dossier"])
        original = Dossier.objects.get(id=original)
        shift = original.received_at.year - d.received_at.year
        for field in ("received_at", "accepted_at", "due_at", "finished_at", "returned_at"):
            value = getattr(d, field)
            assert (value and value.replace(year=value.year + shift)) == getattr(original, field)
        prefix, day, number = d.code.rsplit("-", 2)
        o_prefix, o_day, o_number = original.code.rsplit("-", 2)
        assert (prefix, day[2:], int(day[:2]) + shift, int(number)) == (
            o_prefix,
            o_day[2:],
            int(o_day[:2]),
            copy * 10000 + int(o_number),
        )


@requires_postgres
def test_copied_rows_refer_to_copies_of_the_same_dossier(amplified):
    _a, _b, sample_ids, m = amplified
    md = m["dossiers_dossier"]

    def copy_of(pk: int, table: str) -> int:
        return pk // m[table]

    for step in DossierStep.objects.exclude(dossier_id__in=sample_ids):
        assert copy_of(step.id, "dossiers_dossierstep") == copy_of(step.dossier_id, "dossiers_dossier")
        assert step.dossier_id % md in sample_ids
    for pause in Pause.objects.exclude(dossier_id__in=sample_ids):
        assert copy_of(pause.id, "dossiers_pause") == copy_of(pause.dossier_id, "dossiers_dossier")
    for sr in SupplementRequest.objects.exclude(dossier_id__in=sample_ids).select_related("pause"):
        assert sr.pause.dossier_id == sr.dossier_id
    for event in DossierEvent.objects.exclude(dossier_id__in=sample_ids).select_related("dossier"):
        assert event.dossier.received_at <= event.at
        assert event.dossier_id % md in sample_ids
    codes = dict(Dossier.objects.values_list("id", "code"))
    for entry in AuditLog.objects.filter(object_type="dossiers.dossier").exclude(object_id__in=[str(i) for i in sample_ids]):
        assert codes[int(entry.object_id)] == entry.object_repr
    # Every foreign key of the copied rows points at an existing row: the checks PostgreSQL deferred to the
    # commit (which a test's transaction never reaches) are run now, and fail the test if one does not hold.
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
