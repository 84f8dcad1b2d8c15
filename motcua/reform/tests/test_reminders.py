"""Reminders before and after deadlines: one message per owner unit listing its tasks due soon, its
overdue tasks and its overdue recommendations, sent to the unit's staff."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.reform import selectors

pytestmark = pytest.mark.django_db


def test_digest_per_unit_and_mail_to_its_staff(agency, office, investment, make_task, make_recommendation, mailoutbox):
    user = make_staff("vp1", Role.SPECIALIST, unit=office)
    user.email = "vp1@example.gov.vn"
    user.save()
    make_task("Tuyên truyền CCHC", area="direction", start_on=date(2021, 9, 1), due_on=date(2021, 10, 22))
    make_task("Rà soát TTHC", owner_unit=investment, start_on=date(2021, 9, 1), due_on=date(2021, 10, 8))
    make_recommendation("Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ", deadline=date(2021, 10, 15))

    digest = {d["unit"].short_name: d for d in selectors.reminder_digest(agency=agency, today=date(2021, 10, 20))}
    assert [t.title for t in digest["VP"]["due_soon"]] == ["Tuyên truyền CCHC"]
    assert [r.content for r in digest["VP"]["recommendations"]] == ["Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ"]
    assert [t.title for t in digest["QLĐT"]["overdue"]] == ["Rà soát TTHC"]
    assert digest["VP"]["emails"] == ["vp1@example.gov.vn"] and digest["QLĐT"]["emails"] == []

    out = StringIO()
    call_command("cchc_reminders", today="2021-10-20", stdout=out)
    assert len(mailoutbox) == 1  # QLĐT has no one with an address
    assert mailoutbox[0].to == ["vp1@example.gov.vn"]
    assert "Tuyên truyền CCHC (hạn 22/10/2021)" in mailoutbox[0].body
    assert "Kiến nghị của đoàn kiểm tra quá hạn" in mailoutbox[0].body
    assert "Rà soát TTHC (hạn 08/10/2021)" in out.getvalue()
