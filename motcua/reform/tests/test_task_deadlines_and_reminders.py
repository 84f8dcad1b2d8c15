"""CCHC tasks: deadlines computed in working days; reminders list tasks due soon and overdue; completing
a task needs evidence; completion per area is counted from the tasks."""

from datetime import date

import pytest

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.services import agency_create, unit_create
from motcua.core.transitions import SYSTEM
from motcua.reform import selectors, services
from motcua.reform.models import ReformPlan, ReformTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agency):
    province = services.plan_create(
        actor=SYSTEM,
        kind=ReformPlan.Kind.PROVINCE,
        year=2021,
        number="3199/KH-UBND",
        issued_on=date(2020, 12, 22),
        issuer="UBND tỉnh",
        title="Kế hoạch CCHC Nhà nước tỉnh năm 2021",
    )
    return services.plan_create(
        actor=SYSTEM,
        kind=ReformPlan.Kind.AGENCY,
        year=2021,
        number="15/KH-BQL",
        issued_on=date(2021, 1, 15),
        issuer="Ban QLKKT tỉnh",
        title="Kế hoạch CCHC năm 2021",
        agency=agency,
        parent=province,
    )


def test_deadline_counts_working_days_across_the_national_day(plan, office):
    # start Tuesday 31/8/2021; 2/9 (Thu) and 3/9 (Fri) are days off in 2021: 3 working days → Tuesday 7/9
    task = services.task_create(
        actor=SYSTEM,
        plan=plan,
        area="procedure",
        title="Rà soát TTHC",
        owner_unit=office,
        start_on=date(2021, 8, 31),
        working_days=3,
    )
    assert task.deadline == date(2021, 9, 7)


def test_agency_plan_needs_an_agency_and_units_of_that_agency(plan, agency):
    other = agency_create(actor=SYSTEM, name="Sở Nội vụ", short_name="SNV", code="H15.10")
    foreign_unit = unit_create(actor=SYSTEM, agency=other, name="Phòng CCHC", short_name="CCHC")
    with pytest.raises(ValidationFailed):
        services.task_create(
            actor=SYSTEM,
            plan=plan,
            area="procedure",
            title="x",
            owner_unit=foreign_unit,
            start_on=date(2021, 2, 1),
            working_days=5,
        )
    with pytest.raises(ValidationFailed):
        services.plan_create(
            actor=SYSTEM,
            kind=ReformPlan.Kind.AGENCY,
            year=2021,
            number="1/KH",
            issued_on=date(2021, 1, 1),
            issuer="X",
            title="thiếu cơ quan",
        )


def test_reminders_list_due_soon_and_overdue_open_tasks(plan, office, agency):
    overdue = services.task_create(
        actor=SYSTEM,
        plan=plan,
        area="direction",
        title="Tuyên truyền CCHC",
        owner_unit=office,
        start_on=date(2021, 9, 1),
        due_on=date(2021, 9, 15),
    )
    soon = services.task_create(
        actor=SYSTEM,
        plan=plan,
        area="e_government",
        title="Nâng cấp DVC mức độ 3, 4",
        owner_unit=office,
        start_on=date(2021, 9, 1),
        due_on=date(2021, 9, 24),
    )
    later = services.task_create(
        actor=SYSTEM,
        plan=plan,
        area="civil_service",
        title="Kế hoạch đào tạo",
        owner_unit=office,
        start_on=date(2021, 9, 1),
        due_on=date(2021, 12, 15),
    )
    r = selectors.task_reminders(agency=agency, today=date(2021, 9, 20), within_working_days=5)
    assert list(r["overdue"]) == [overdue]
    assert list(r["due_soon"]) == [soon]
    assert later not in r["due_soon"]

    services.task_add_evidence(actor=SYSTEM, task=overdue, description="Bài viết tuyên truyền")
    services.task_update_progress(actor=SYSTEM, task=overdue, progress=100, on=date(2021, 9, 21))
    r = selectors.task_reminders(agency=agency, today=date(2021, 9, 22))
    assert list(r["overdue"]) == []


def test_completing_a_task_needs_evidence_and_ends_it(plan, office):
    task = services.task_create(
        actor=SYSTEM,
        plan=plan,
        area="procedure",
        title="Công khai TTHC",
        owner_unit=office,
        start_on=date(2021, 2, 1),
        working_days=20,
    )
    services.task_update_progress(actor=SYSTEM, task=task, progress=60)
    task.refresh_from_db()
    assert task.status == ReformTask.Status.IN_PROGRESS
    with pytest.raises(ValidationFailed):
        services.task_update_progress(actor=SYSTEM, task=task, progress=100)
    services.task_add_evidence(actor=SYSTEM, task=task, description="Ảnh niêm yết tại Phòng Tiếp công dân")
    task = services.task_update_progress(actor=SYSTEM, task=task, progress=100, on=date(2021, 3, 1))
    assert (task.status, task.completed_on) == (ReformTask.Status.DONE, date(2021, 3, 1))
    with pytest.raises(TransitionNotAllowed):
        services.task_update_progress(actor=SYSTEM, task=task, progress=50)


def test_completion_per_area_is_counted_from_tasks(plan, office, agency):
    t1 = services.task_create(
        actor=SYSTEM, plan=plan, area="procedure", title="a", owner_unit=office, start_on=date(2021, 2, 1), working_days=5
    )
    services.task_create(
        actor=SYSTEM, plan=plan, area="procedure", title="b", owner_unit=office, start_on=date(2021, 2, 1), working_days=5
    )
    t3 = services.task_create(
        actor=SYSTEM, plan=plan, area="institutional", title="c", owner_unit=office, start_on=date(2021, 2, 1), working_days=5
    )
    for t in (t1, t3):
        services.task_add_evidence(actor=SYSTEM, task=t, description="mc")
        services.task_update_progress(actor=SYSTEM, task=t, progress=100)
    rows = {r["area"]: r for r in selectors.task_completion_by_area(agency=agency, year=2021)}
    assert (rows["procedure"]["total"], rows["procedure"]["done"], rows["procedure"]["percent"]) == (2, 1, 50.0)
    assert (rows["institutional"]["total"], rows["institutional"]["done"]) == (1, 1)
    assert list(rows) == ["institutional", "procedure"]  # plan order of areas
