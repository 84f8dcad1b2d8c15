"""Review items due within the reminder window (or overdue) and not done get one message a day in the
notifications outbox, addressed to the person responsible; done items and far deadlines get none."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from motcua.core.models import AuditLog
from motcua.dossiers.tests.factories import World, make_version
from motcua.notifications.models import Message
from motcua.review.models import ReviewItem, ReviewPlan

pytestmark = pytest.mark.django_db


def test_due_soon_and_overdue_items_are_reminded_once_a_day():
    w = World()
    w.specialist.email = "chuyenvien@example.vn"
    w.specialist.save()
    plan = ReviewPlan.objects.create(agency=w.agency, year=2022, title="Kế hoạch")
    versions = [w.version] + [make_version(w.agency, units=w.units) for _ in range(3)]
    deadlines = [date(2022, 6, 10), date(2022, 6, 1), date(2022, 7, 30), date(2022, 6, 5)]
    items = [
        ReviewItem.objects.create(plan=plan, procedure=v.procedure, unit=w.units["QLDT"], responsible=w.specialist, deadline=d)
        for v, d in zip(versions, deadlines, strict=True)
    ]
    items[3].status = "done"
    items[3].save()
    out = io.StringIO()
    call_command("review_reminders", today="2022-06-05", days=7, stdout=out)
    # 10/6 is within 7 days, 1/6 is overdue, 30/7 is far, the fourth is done.
    sent = Message.objects.filter(template_code="review_deadline")
    assert sorted(int(m.object_id) for m in sent) == sorted([items[0].pk, items[1].pk])
    assert all(m.recipient == "chuyenvien@example.vn" for m in sent)
    body = sent.get(object_id=str(items[0].pk)).body
    assert w.version.procedure.code in body and "10/06/2022" in body
    assert AuditLog.objects.filter(action="review.item_remind").count() == 2
    call_command("review_reminders", today="2022-06-05", days=7, stdout=io.StringIO())
    assert Message.objects.filter(template_code="review_deadline").count() == 2  # not twice the same day
    call_command("review_reminders", today="2022-06-06", days=7, stdout=io.StringIO())
    assert Message.objects.filter(template_code="review_deadline").count() == 4
