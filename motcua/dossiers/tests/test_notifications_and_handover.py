"""Notifications are queued in the transaction of the change; the handover log (BM.05) records
giver, receiver, times and timeliness for forward and return-to-step."""

import pytest
from django.db import transaction

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import dossier_forward, dossier_request_supplement, dossier_return_to_step
from motcua.notifications.models import Message

from .factories import World, aware, receive

pytestmark = pytest.mark.django_db


def test_intake_queues_email_and_sms_to_the_applicant():
    world = World()
    d = receive(world, at=aware(2026, 3, 2, 9))
    rows = Message.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk))
    assert {(n.channel, n.recipient, n.template_code, n.status) for n in rows} == {
        ("email", "an@example.vn", "dossier_accepted", "queued"),
        ("sms", "0912345678", "dossier_accepted", "queued"),
    }
    email = rows.get(channel="email")
    assert "Ngày hẹn trả kết quả: 17:00 16/03/2026" in email.body  # 10 working days after Mon 2/3
    assert d.code in email.subject and d.code in email.body


def test_no_notification_survives_a_rolled_back_change():
    world = World()
    d = receive(world)
    before = Message.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            dossier_request_supplement(dossier=d, actor=world.officer, items=["Giấy tờ"])
            raise RuntimeError("rollback")
    assert Message.objects.count() == before
    assert Dossier.objects.get(pk=d.pk).status == "accepted"


def test_handover_log_for_forward_to_a_person_and_return_to_step():
    world = World(committed="10")
    d = receive(world, at=aware(2026, 3, 2, 9))
    d = dossier_forward(dossier=d, actor=world.officer, to_user=world.specialist, at=aware(2026, 3, 2, 10))
    d = dossier_forward(dossier=d, actor=world.specialist, at=aware(2026, 3, 16, 10), note="Đã thẩm định")
    d = dossier_return_to_step(dossier=d, actor=world.leader, at=aware(2026, 3, 16, 15), note="Thẩm định lại")
    steps = list(d.steps.order_by("seq"))
    assert [x.seq for x in steps] == [1, 2, 3, 4]
    reception, appraisal, approval, again = steps
    assert appraisal.giver == world.officer and appraisal.receiver == world.specialist
    assert appraisal.unit == world.units["QLDT"]
    # 7 working days from 2/3 10:00 → 11/3 10:00; handed over 16/3: late.
    assert appraisal.timeliness == "late"
    assert approval.handed_over_at == aware(2026, 3, 16, 15)
    assert again.name == appraisal.name and again.assignee == world.specialist and again.handed_over_at is None
    assert again.giver == world.leader
    assert d.status == "processing"


def test_forward_past_the_last_step_needs_a_target():
    world = World(steps=[("Tiếp nhận", "MC", "1")])
    d = receive(world)
    from motcua.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        dossier_forward(dossier=d, actor=world.officer)
    d = dossier_forward(dossier=d, actor=world.officer, to_unit=world.units["VP"])
    assert d.steps.get(handed_over_at__isnull=True).unit == world.units["VP"]
