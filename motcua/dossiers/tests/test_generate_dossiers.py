"""The bulk generator writes consistent rows: codes from the daily sequence (later intakes do not
collide), every state and channel, classification agreeing with the due date, open steps and pauses
matching the status."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from motcua.dossiers import deadlines
from motcua.dossiers.generate import generate_dossiers
from motcua.dossiers.models import FINISHED_STATUSES, Dossier, DossierEvent, DossierStep, Pause, Status
from motcua.dossiers.selectors import dossier_counts

from .factories import World, aware, make_version, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    world = World(committed="10")
    make_version(world.agency, units=world.units, committed="3", legal="5")
    now = aware(2021, 12, 20, 10, 0)
    n = generate_dossiers(agency=world.agency, count=600, years=[2021], now=now, seed=7, batch=250)
    return world, now, n


def test_generated_rows_are_consistent(generated):
    world, now, n = generated
    assert n == 600 == Dossier.objects.count()
    dossiers = list(Dossier.objects.all())
    assert len({d.code for d in dossiers}) == 600
    statuses = Counter(d.status for d in dossiers)
    assert {Status.RETURNED, Status.PROCESSING, Status.DECIDED} <= set(statuses)
    assert {d.channel for d in dossiers} == {"counter", "online", "postal"}
    assert {d.timeliness for d in dossiers if d.status in FINISHED_STATUSES} == {"early", "on_time", "late"}
    open_steps = Counter(DossierStep.objects.filter(handed_over_at__isnull=True).values_list("dossier_id", flat=True))
    open_pauses = set(Pause.objects.filter(ended_at__isnull=True).values_list("dossier_id", flat=True))
    for d in dossiers:
        assert d.received_at <= now
        if d.status in FINISHED_STATUSES:
            assert d.timeliness == deadlines.classify(d.finished_at, d.due_at)
            assert open_steps[d.pk] == 0
        if d.status in (Status.PROCESSING, Status.ACCEPTED):
            assert open_steps[d.pk] == 1, d.code
            assert d.finished_at is None
        if d.status in (Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUIRED):
            assert d.pk in open_pauses
        else:
            assert d.pk not in open_pauses
        if d.due_at is not None:
            assert d.due_at >= d.original_due_at
            assert d.accepted_at is not None
        if d.status == Status.RETURNED:
            assert d.finished_at <= d.returned_at <= now
        assert d.code.startswith(f"{world.agency.code}-{d.received_at.astimezone(now.tzinfo):%y%m%d}-")
    assert DossierEvent.objects.filter(action="receive").count() == 600
    counts = dossier_counts(agency=world.agency, start=date(2021, 1, 1), end=date(2021, 12, 31), now=now)
    assert counts["received"]["total"] == Dossier.objects.filter(accepted_at__isnull=False).count()
    assert counts["finished"]["total"] == Dossier.objects.filter(status__in=FINISHED_STATUSES).count()


def test_a_later_intake_on_a_generated_day_does_not_collide(generated):
    world, now, n = generated
    busiest = Counter(d.received_at.astimezone(now.tzinfo).date() for d in Dossier.objects.all()).most_common(1)[0][0]
    d = receive(world, at=aware(busiest.year, busiest.month, busiest.day, 10, 0))
    assert Dossier.objects.filter(code=d.code).count() == 1


def test_the_command_runs(capsys):
    World()
    call_command("generate_dossiers", "--count", "50", "--year", "2022")
    assert Dossier.objects.count() == 50
    assert "50" in capsys.readouterr().out
