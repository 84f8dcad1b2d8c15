"""Apology and new date (BM.04): at most once, and at least one working day before the due date."""

from datetime import timedelta

import pytest

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.dossiers.models import Dossier, Extension
from motcua.dossiers.transitions import dossier_extend
from motcua.notifications.models import Message

from .factories import World, aware, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World(committed="3")


def test_extension_sets_a_new_date_and_keeps_the_original(world):
    d = receive(world, at=aware(2026, 2, 12, 10))  # due 24/2/2026 17:00 (Tết in between)
    new_due = aware(2026, 3, 3, 17)
    d = dossier_extend(
        dossier=d, actor=world.leader, new_due_at=new_due, reason="Chờ ý kiến Sở Xây dựng", at=aware(2026, 2, 13, 9)
    )
    assert d.due_at == new_due and d.extended
    assert d.original_due_at == aware(2026, 2, 24, 17)
    ext = Extension.objects.get(dossier=d)
    assert ext.previous_due_at == aware(2026, 2, 24, 17)
    apology = Message.objects.get(
        object_type="dossiers.dossier", object_id=str(d.pk), template_code="dossier_extended", channel="email"
    )
    assert "Chờ ý kiến Sở Xây dựng" in apology.body
    assert "17:00 24/02/2026" in apology.body and "17:00 03/03/2026" in apology.body


def test_the_second_extension_is_refused_and_changes_nothing(world):
    d = receive(world, at=aware(2026, 2, 12, 10))
    d = dossier_extend(
        dossier=d, actor=world.leader, new_due_at=aware(2026, 3, 3, 17), reason="Lần một", at=aware(2026, 2, 13, 9)
    )
    with pytest.raises(TransitionNotAllowed) as exc:
        dossier_extend(
            dossier=d, actor=world.leader, new_due_at=aware(2026, 3, 10, 17), reason="Lần hai", at=aware(2026, 2, 23, 9)
        )
    assert exc.value.code == "already_extended"
    d.refresh_from_db()
    assert d.due_at == aware(2026, 3, 3, 17)
    assert Extension.objects.filter(dossier=d).count() == 1


def test_extension_refused_when_less_than_one_working_day_remains(world):
    d = receive(world, at=aware(2026, 2, 12, 10))  # due Tue 24/2 17:00
    with pytest.raises(TransitionNotAllowed) as exc:
        dossier_extend(dossier=d, actor=world.leader, new_due_at=aware(2026, 3, 3, 17), reason="Muộn", at=aware(2026, 2, 24, 8))
    assert exc.value.code == "extension_too_late"
    assert not Dossier.objects.get(pk=d.pk).extended
    # On Monday 23/2 one working day (24/2) still remains: allowed.
    d = dossier_extend(dossier=d, actor=world.leader, new_due_at=aware(2026, 3, 3, 17), reason="Kịp", at=aware(2026, 2, 23, 16))
    assert d.extended


def test_extension_needs_a_later_date(world):
    d = receive(world, at=aware(2026, 2, 12, 10))
    with pytest.raises(ValidationFailed):
        dossier_extend(
            dossier=d, actor=world.leader, new_due_at=d.due_at - timedelta(days=1), reason="Sai", at=aware(2026, 2, 13, 9)
        )


def test_second_extension_through_the_api_is_409(client):
    world = World(committed="10")
    d = receive(world)
    client.force_login(world.leader)
    url = f"/api/v1/dossiers/{d.code}/actions/extend/"
    first = client.post(
        url,
        {"new_due_at": (d.due_at + timedelta(days=10)).date().isoformat(), "reason": "Chờ ý kiến"},
        content_type="application/json",
    )
    assert first.status_code == 200, first.content
    assert first.json()["extended"] is True
    second = client.post(
        url,
        {"new_due_at": (d.due_at + timedelta(days=20)).date().isoformat(), "reason": "Lần hai"},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json()["code"] == "already_extended"
