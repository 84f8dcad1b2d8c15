"""Staffing: quota assigned vs filled per unit, shortage against job positions; training completion."""

from datetime import date

import pytest
from django.db import IntegrityError

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.transitions import SYSTEM
from motcua.reform import selectors, services
from motcua.reform.models import StaffQuota

pytestmark = pytest.mark.django_db


def test_shortage_is_needed_minus_assigned_per_unit(agency, office, investment):
    services.job_position_create(actor=SYSTEM, unit=office, name="Chánh Văn phòng", group="leadership")
    services.job_position_create(actor=SYSTEM, unit=office, name="Văn thư", group="support", headcount=2)
    services.job_position_create(actor=SYSTEM, unit=investment, name="Chuyên viên quản lý đầu tư", headcount=6)
    services.staff_quota_set(actor=SYSTEM, unit=office, year=2021, assigned=3, filled=3)
    services.staff_quota_set(actor=SYSTEM, unit=investment, year=2021, assigned=4, filled=3)
    s = selectors.staffing_summary(agency=agency, year=2021)
    rows = {r["unit"].short_name: r for r in s["rows"]}
    assert (rows["VP"]["needed"], rows["VP"]["assigned"], rows["VP"]["shortage"]) == (3, 3, 0)
    assert (rows["QLĐT"]["needed"], rows["QLĐT"]["shortage"], rows["QLĐT"]["vacant"]) == (6, 2, 1)
    assert s["totals"] == {"needed": 9, "assigned": 7, "filled": 6, "shortage": 2, "vacant": 1}


def test_filled_cannot_exceed_assigned(office):
    with pytest.raises(ValidationFailed):
        services.staff_quota_set(actor=SYSTEM, unit=office, year=2021, assigned=2, filled=3)
    with pytest.raises(IntegrityError):
        StaffQuota.objects.create(unit=office, year=2021, assigned=2, filled=3)


def test_training_completion_is_counted(agency):
    plan = services.training_plan_create(actor=SYSTEM, agency=agency, year=2021, title="Kế hoạch đào tạo, bồi dưỡng năm 2021")
    course = services.training_course_add(
        actor=SYSTEM, plan=plan, title="Bồi dưỡng kỹ năng CCHC", start_on=date(2021, 10, 4), planned_participants=3
    )
    a = services.training_participant_add(actor=SYSTEM, course=course, full_name="Trần Văn Minh")
    services.training_participant_add(actor=SYSTEM, course=course, full_name="Nguyễn Thị Hoa")
    services.training_participant_complete(actor=SYSTEM, participant=a)
    with pytest.raises(TransitionNotAllowed):
        services.training_participant_complete(actor=SYSTEM, participant=a)
    t = selectors.training_summary(agency=agency, year=2021)
    assert (t["courses"], t["planned"], t["participants"], t["completed"]) == (1, 3, 2, 1)
