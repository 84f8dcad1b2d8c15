"""Worklists: counts per bucket (overdue / due today / due within 2 working days / later / paused)
equal a recomputation from the records, across the 30/4–1/5/2026 holidays; filters; each role's lists;
the leaders' view of their units."""

from datetime import date, timedelta

import pytest

from motcua.core.errors import PermissionDeniedError
from motcua.desk.selectors.worklists import BUCKET_LABELS, Thresholds, scopes_for, unit_load, worklist
from motcua.dossiers.models import OPEN_STATUSES, PAUSED_STATUSES, DossierStep
from motcua.dossiers.tests.factories import World, aware, make_version
from motcua.dossiers.transitions import dossier_decide, dossier_forward, dossier_request_supplement

from .helpers import receive_as

pytestmark = pytest.mark.django_db

NOW = aware(2026, 4, 29, 10, 0)  # Wednesday; Thursday 30/4 and Friday 1/5 are public holidays
# Hùng Kings day (10/3 lunar) is Sunday 26/4/2026, so Monday 27/4 is off too.
HOLIDAYS = {date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}


def working_days_after(day: date, n: int) -> list[date]:
    """An independent count of working days: weekends and the two holidays skipped."""
    out = []
    while len(out) < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in HOLIDAYS:
            out.append(day)
    return out


def expected_bucket(due, paused: bool) -> str:
    if paused:
        return "paused"
    if due < NOW:
        return "overdue"
    local = due.astimezone(NOW.tzinfo).date()
    if local == NOW.date():
        return "due_today"
    if local <= working_days_after(NOW.date(), 2)[-1]:
        return "due_soon"
    return "later"


@pytest.fixture
def scene():
    w = World(committed="2", steps=[("Tiếp nhận hồ sơ", "MC", "0.5")])
    slow = make_version(w.agency, committed="3", steps=[("Tiếp nhận hồ sơ", "MC", "0.5")], units=w.units)
    d = {}

    def take(key, version, at, name=None, forward=True):
        dossier = receive_as(w, version, at=at, name=name)
        if forward:
            dossier = dossier_forward(dossier=dossier, actor=w.officer, to_user=w.specialist, at=at + timedelta(hours=1))
        d[key] = dossier
        return dossier

    take("A", w.version, aware(2026, 4, 23, 9))  # due Tue 28/4 (Mon 27/4 off) → overdue
    take("B", w.version, aware(2026, 4, 24, 9))  # due Wed 29/4 → due today
    take("C", w.version, aware(2026, 4, 28, 9), name="Trần Thị Bình")  # due Mon 4/5 (holidays skipped) → due soon
    take("D", w.version, aware(2026, 4, 29, 8))  # due Tue 5/5 → due soon (2nd working day)
    take("E", slow, aware(2026, 4, 29, 8))  # due Wed 6/5 → later
    take("F", w.version, aware(2026, 4, 24, 9))
    d["F"] = dossier_request_supplement(dossier=d["F"], actor=w.specialist, items=["Bản vẽ"], at=aware(2026, 4, 28, 9))
    take("G", w.version, aware(2026, 4, 23, 9))
    d["G"] = dossier_decide(dossier=d["G"], actor=w.leader, outcome="approved", at=aware(2026, 4, 28, 10))
    take("H", w.version, aware(2026, 4, 24, 9), forward=False)  # still at the desk's reception step
    other = World(committed="2")
    receive_as(other, other.version, at=aware(2026, 4, 24, 9))  # another agency: never in these lists
    return w, d


def recount(steps) -> dict:
    counts = {b: 0 for b in BUCKET_LABELS}
    for s in steps:
        counts[expected_bucket(s.due_at, s.dossier.status in PAUSED_STATUSES)] += 1
    return counts


def test_the_deadlines_skip_the_holidays(scene):
    w, d = scene
    assert d["A"].due_at == aware(2026, 4, 28, 17, 0)
    assert d["B"].due_at == aware(2026, 4, 29, 17, 0)
    assert d["C"].due_at == aware(2026, 5, 4, 17, 0)
    assert d["D"].due_at == aware(2026, 5, 5, 17, 0)
    assert d["E"].due_at == aware(2026, 5, 6, 17, 0)
    th = Thresholds.at(NOW)
    assert th.soon_last_day == date(2026, 5, 5) == working_days_after(date(2026, 4, 29), 2)[-1]


def test_my_steps_counts_equal_the_records(scene):
    w, d = scene
    wl = worklist(user=w.specialist, scope="mine", now=NOW)
    records = DossierStep.objects.filter(
        assignee=w.specialist, handed_over_at__isnull=True, dossier__status__in=OPEN_STATUSES
    ).select_related("dossier")
    assert wl.counts == recount(records)
    assert wl.counts == {"overdue": 1, "due_today": 1, "due_soon": 2, "later": 1, "paused": 1, "no_due": 0}
    assert {i.dossier.code for i in wl.items} == {d[k].code for k in "ABCDEF"}
    by_code = {i.dossier.code: i.bucket for i in wl.items}
    assert by_code[d["C"].code] == "due_soon" and by_code[d["D"].code] == "due_soon" and by_code[d["E"].code] == "later"


def test_the_unit_queue_and_the_desk_officer_lists(scene):
    w, d = scene
    unit = worklist(user=w.specialist, scope="unit", now=NOW)
    assert unit.counts == worklist(user=w.specialist, scope="mine", now=NOW).counts
    mine = worklist(user=w.officer, scope="mine", now=NOW)
    assert [i.dossier.code for i in mine.items] == [d["H"].code]
    # the reception step (half a working day from Friday 24/4 09:00) is long past
    assert mine.counts["overdue"] == 1 and sum(mine.counts.values()) == 1
    desk = worklist(user=w.officer, scope="desk", now=NOW)
    # awaiting additions; awaiting return; still at the desk's reception step (the officer's default tab)
    assert {i.code for i in desk.items} == {d["F"].code, d["G"].code, d["H"].code}
    assert desk.counts["paused"] == 1


def test_the_leader_sees_the_whole_agency(scene):
    w, d = scene
    wl = worklist(user=w.leader, scope="agency", now=NOW)
    dossiers = [d[k] for k in "ABCDEFH"]
    for x in dossiers:
        x.refresh_from_db()
    expected = {b: 0 for b in BUCKET_LABELS}
    for x in dossiers:
        expected[expected_bucket(x.due_at, x.status in PAUSED_STATUSES)] += 1
    assert wl.counts == expected
    assert wl.counts == {"overdue": 1, "due_today": 2, "due_soon": 2, "later": 1, "paused": 1, "no_due": 0}


def test_filters_and_diacritics_insensitive_search(scene):
    w, d = scene
    found = worklist(user=w.specialist, scope="mine", q="tran thi binh", now=NOW)
    assert [i.dossier.code for i in found.items] == [d["C"].code]
    assert found.counts["due_soon"] == 1 and sum(found.counts.values()) == 1
    soon = worklist(user=w.specialist, scope="mine", bucket="due_soon", now=NOW)
    assert sorted(i.dossier.code for i in soon.items) == sorted([d["C"].code, d["D"].code])
    assert soon.counts["overdue"] == 1  # counts ignore the bucket filter
    slow_code = d["E"].procedure_version.procedure.code
    only = worklist(user=w.specialist, scope="mine", procedure=slow_code, now=NOW)
    assert [i.dossier.code for i in only.items] == [d["E"].code]
    paused = worklist(user=w.specialist, scope="mine", status="supplement_requested", now=NOW)
    assert [i.dossier.code for i in paused.items] == [d["F"].code]


def test_each_role_gets_its_own_lists(scene):
    w, _ = scene
    assert scopes_for(w.specialist) == ["mine", "unit"]
    assert scopes_for(w.officer) == ["mine", "unit", "desk"]
    assert scopes_for(w.leader) == ["mine", "unit", "desk", "agency"]
    with pytest.raises(PermissionDeniedError):
        worklist(user=w.specialist, scope="agency", now=NOW)
    with pytest.raises(PermissionDeniedError):
        worklist(user=w.clerk, scope="mine", now=NOW)


def test_unit_load_for_leaders(scene):
    w, d = scene
    loads = {
        load.unit.short_name: load for load in unit_load(agency=w.agency, start=date(2026, 4, 1), end=date(2026, 4, 30), now=NOW)
    }
    qldt = loads["QLDT"]
    assert (qldt.open, qldt.overdue, qldt.due_today, qldt.due_soon, qldt.paused) == (6, 1, 1, 2, 1)
    assert (loads["MC"].open, loads["MC"].overdue) == (1, 1)
    done = DossierStep.objects.filter(unit=w.units["MC"], handed_over_at__isnull=False)
    assert loads["MC"].done == done.count() == 7
    assert loads["MC"].done_late == done.filter(timeliness="late").count()
    assert loads["MC"].done_early + loads["MC"].done_on_time + loads["MC"].done_late == 7
