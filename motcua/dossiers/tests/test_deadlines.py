"""Appointment dates in working days (receipt day not counted, cut-off honoured), across Tết 2026
(break 14/2–22/2/2026), step due moments from their share, pauses moving due dates, classification."""

from datetime import date, time

import pytest
from django.test import override_settings

from motcua.dossiers.models import Pause, Timeliness
from motcua.dossiers.selectors import dossier_counts
from motcua.dossiers.transitions import dossier_decide, dossier_forward, dossier_receive_supplement, dossier_request_supplement

from .factories import World, aware, receive

pytestmark = pytest.mark.django_db


def test_appointment_skips_the_tet_2026_break():
    world = World(committed="3")
    d = receive(world, at=aware(2026, 2, 12, 10, 0))
    # 13/2 (Fri) is day 1; 14–22/2 is Tết; 23/2 day 2, 24/2 day 3 — at the close of office hours.
    assert d.due_at == aware(2026, 2, 24, 17, 0)
    assert d.original_due_at == d.due_at
    assert d.status_code == 2


def test_committed_time_wins_over_legal_time_and_legal_time_is_the_fallback():
    assert receive(World(committed="2", legal="15"), at=aware(2026, 3, 2, 9)).due_at == aware(2026, 3, 4, 17)
    assert receive(World(committed=None, legal="5"), at=aware(2026, 3, 2, 9)).due_at == aware(2026, 3, 9, 17)


def test_procedure_cutoff_moves_a_late_afternoon_reception_to_the_next_working_day():
    world = World(committed="3", cutoff=time(15, 0))
    d = receive(world, at=aware(2026, 2, 12, 16, 0))
    assert d.due_at == aware(2026, 2, 25, 17, 0)
    # Before the cut-off the same day counts.
    assert receive(world, at=aware(2026, 2, 12, 14, 59)).due_at == aware(2026, 2, 24, 17, 0)


def test_agency_cutoff_then_settings_default_apply_when_the_procedure_has_none():
    world = World(committed="3")
    world.agency.reception_cutoff = time(15, 0)
    world.agency.save()
    world.version.agency.refresh_from_db()
    assert receive(world, at=aware(2026, 2, 12, 16, 0)).due_at == aware(2026, 2, 25, 17, 0)
    other = World(committed="3")
    with override_settings(MOTCUA_RECEPTION_CUTOFF="16:30"):
        assert receive(other, at=aware(2026, 2, 12, 16, 45)).due_at == aware(2026, 2, 25, 17, 0)
        assert receive(other, at=aware(2026, 2, 12, 16, 0)).due_at == aware(2026, 2, 24, 17, 0)


def test_reception_on_a_day_off_counts_from_the_next_working_day():
    world = World(committed="1")
    # Received during Tết (Wed 18/2/2026) → counts as received Mon 23/2; due the next working day.
    assert receive(world, at=aware(2026, 2, 18, 10)).due_at == aware(2026, 2, 24, 17, 0)


def test_working_hours_procedure():
    world = World(committed="8", legal="8", unit="working_hours", steps=[("Xử lý", "MC", "8")])
    d = receive(world, at=aware(2026, 3, 2, 9, 0))
    # Mon 09:00 + 8 office hours: 2.5 h to 11:30, 3.5 h to 17:00, then 2 h Tuesday from 07:30 → 09:30.
    assert d.due_at == aware(2026, 3, 3, 9, 30)


def test_each_step_gets_its_due_moment_from_its_share():
    world = World(committed="10")
    d = receive(world, at=aware(2026, 3, 2, 9, 0))
    step = d.steps.get()
    # Reception step: 0.5 working day = 3 h 45 min of office time from 09:00 Monday.
    assert step.due_at == aware(2026, 3, 2, 14, 45)
    assert step.name == "Tiếp nhận hồ sơ"
    d = dossier_forward(dossier=d, actor=world.officer, at=aware(2026, 3, 2, 10, 0))
    first, second = d.steps.order_by("seq")
    assert first.handed_over_at == aware(2026, 3, 2, 10, 0)
    assert first.timeliness == Timeliness.EARLY or first.timeliness == Timeliness.ON_TIME
    # Appraisal: 7 working days from Monday 10:00 → the following Wednesday 10:00.
    assert second.due_at == aware(2026, 3, 11, 10, 0)
    assert second.unit == world.units["QLDT"]
    assert second.giver == world.officer


def test_a_pause_across_tet_moves_the_due_date_by_its_working_time():
    world = World(committed="10")
    d = receive(world, at=aware(2026, 2, 9, 9, 0))
    assert d.due_at == aware(2026, 3, 2, 17, 0)
    step_due = d.steps.get().due_at
    d = dossier_request_supplement(
        dossier=d, actor=world.officer, items=["Bản sao hợp đồng thuê đất"], at=aware(2026, 2, 12, 9, 0)
    )
    assert d.status_code == 5
    d = dossier_receive_supplement(dossier=d, actor=world.officer, at=aware(2026, 2, 24, 9, 0))
    pause = Pause.objects.get(dossier=d)
    # 12/2 from 09:00 (6 h) + 13/2 (7.5 h) + Tết (0) + 23/2 (7.5 h) + 24/2 until 09:00 (1.5 h) = 22.5 h = 3 working days.
    assert pause.working_seconds == 22.5 * 3600
    assert d.due_at == aware(2026, 3, 5, 17, 0)
    assert d.original_due_at == aware(2026, 3, 2, 17, 0)
    assert d.steps.get().due_at > step_due
    assert d.status_code == 2


def test_classification_early_on_time_late():
    world = World(committed="3")
    at = aware(2026, 3, 2, 9, 0)  # due Thu 5/3 17:00

    def finish(moment):
        d = receive(world, at=at)
        return dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=moment)

    assert finish(aware(2026, 3, 4, 16, 0)).timeliness == Timeliness.EARLY
    assert finish(aware(2026, 3, 5, 16, 59)).timeliness == Timeliness.ON_TIME
    assert finish(aware(2026, 3, 6, 8, 0)).timeliness == Timeliness.LATE


def test_a_dossier_asked_to_supplement_twice_counts_late_for_decision_766():
    world = World(committed="5")
    d = receive(world, at=aware(2026, 3, 2, 9, 0))
    for day in (3, 5):
        d = dossier_request_supplement(dossier=d, actor=world.officer, items=["Giấy tờ"], at=aware(2026, 3, day, 9))
        d = dossier_receive_supplement(dossier=d, actor=world.officer, at=aware(2026, 3, day, 10))
    d = dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=aware(2026, 3, 6, 9))
    assert d.timeliness == Timeliness.EARLY
    assert d.supplement_count == 2
    assert d.counts_late_766
    once = receive(world, at=aware(2026, 3, 2, 9, 0))
    once = dossier_request_supplement(dossier=once, actor=world.officer, items=["Giấy tờ"], at=aware(2026, 3, 3, 9))
    once = dossier_receive_supplement(dossier=once, actor=world.officer, at=aware(2026, 3, 3, 10))
    once = dossier_decide(dossier=once, actor=world.leader, outcome="approved", at=aware(2026, 3, 4, 9))
    assert not once.counts_late_766
    counts = dossier_counts(agency=world.agency, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert counts["finished"]["early"] == 2
    assert counts["finished"]["late"] == 0
    assert counts["finished"]["late_766"] == 1
