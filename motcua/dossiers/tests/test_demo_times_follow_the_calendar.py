"""Demo dossiers follow the same calendar as live intake: every step's start, hand-over and due time, and every
dossier's due time, falls in office hours of a working day (no 02:33 on a Saturday, no 12:10 in the lunch break),
and a step's due time is what deadlines.step_due gives live steps (capped by the dossier's due time) when
no pause or extension moved it."""

import pytest
from django.utils import timezone

from motcua.dossiers import deadlines, demo
from motcua.dossiers.models import Dossier, DossierStep
from motcua.workcalendar.selectors import Calendar, office_spans

from .factories import World

pytestmark = pytest.mark.django_db


def _in_office_hours(cal: Calendar, moment) -> bool:
    local = timezone.localtime(moment)
    return cal.is_working_day(local.date()) and any(a <= local.time().replace(microsecond=0) <= b for a, b in office_spans())


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setattr(demo, "COUNT_2021", 150)
    monkeypatch.setattr(demo, "COUNT_RECENT", 40)
    world = World()
    demo.seed(agency=world.agency)
    return world


def test_every_demo_step_and_dossier_time_is_an_office_moment(seeded):
    cal = Calendar()
    steps = list(DossierStep.objects.all())
    assert len(steps) > 150
    bad = [
        (s.dossier_id, s.seq, what, timezone.localtime(t).strftime("%a %d/%m/%Y %H:%M"))
        for s in steps
        for what, t in (("due", s.due_at), ("received", s.received_at), ("handed over", s.handed_over_at))
        if t and not _in_office_hours(cal, t)
    ]
    assert not bad, bad[:10]
    dossiers = [d for d in Dossier.objects.exclude(due_at=None)]
    assert dossiers
    assert not [d.code for d in dossiers if not _in_office_hours(cal, d.due_at)]


def test_demo_step_due_times_are_the_live_rule(seeded):
    cal = Calendar()
    checked = 0
    # A pause moves the open step's due time and an extension the dossier's (the services' rules, which
    # test_generator_matches_services compares row by row): the plain rule holds for the others.
    plain = DossierStep.objects.filter(dossier__pauses__isnull=True, dossier__extended=False)
    for step in plain.select_related("dossier__procedure_version", "process_step")[:300]:
        if step.process_step is None or step.due_at is None:
            continue
        live = deadlines.step_due(
            cal, version=step.dossier.procedure_version, duration=step.process_step.duration, start=step.received_at
        )
        expected = min(live, step.dossier.due_at)
        assert abs((step.due_at - expected).total_seconds()) < 1, (step.dossier.code, step.seq, step.due_at, expected)
        checked += 1
    assert checked > 100
