"""Browser test (Playwright + Debian chromium): a leader creates a plan and a task, registers a legal draft,
sets a staffing figure, records an inspection and a recommendation on the inspection page — with the
forms on the pages themselves (they once rendered inside <title>, where nobody could see them)."""

import re
from datetime import date

from motcua.core.roles import Role
from motcua.core.services import agency_create, unit_create
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.portal.tests.browser import browser_test
from motcua.reform.models import Inspection, LegalDraft, Recommendation, ReformPlan, ReformTask, StaffQuota

PASSWORD = "pw-test-12345"


def _login(page, user):
    page.goto("/staff/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/staff/login/" not in url)


def _open(page, label):
    """Open the create form `label` on the current page; it must be visible (not hidden in <title>)."""
    summary = page.locator("summary", has_text=re.compile(f"^{label}$"))
    assert summary.is_visible(), label
    summary.click()
    form = page.locator("details[open] form")
    assert form.is_visible()
    return form


def _save(page, form):
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_selector(".messages .msg-success")
    assert "Đã lưu." in page.inner_text(".messages")


@browser_test
def test_leader_creates_plan_task_draft_quota_inspection_and_recommendation_in_the_browser(page):
    agency = agency_create(
        actor=SYSTEM, name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50", parent_name="Ủy ban nhân dân tỉnh"
    )
    office = unit_create(actor=SYSTEM, agency=agency, name="Văn phòng", short_name="VP")
    leader = make_staff("lanhdao-cchc", Role.LEADER, unit=office)
    _login(page, leader)

    # plan and task on /cchc/nhiem-vu/
    page.goto("/cchc/nhiem-vu/?year=2021")
    assert "<form" not in page.title()
    form = _open(page, "Thêm kế hoạch CCHC")
    form.locator("select[name=kind]").select_option(ReformPlan.Kind.AGENCY)
    form.locator("input[name=year]").fill("2021")
    form.locator("input[name=number]").fill("45/KH-BQL")
    form.locator("input[name=issued_on]").fill("2021-01-15")
    form.locator("input[name=issuer]").fill("Ban Quản lý Khu kinh tế tỉnh")
    form.locator("input[name=title]").fill("Kế hoạch CCHC năm 2021 của Ban")
    _save(page, form)
    plan = ReformPlan.objects.get(number="45/KH-BQL")
    assert plan.agency_id == agency.pk

    form = _open(page, "Thêm nhiệm vụ")
    form.locator("select[name=plan]").select_option(str(plan.pk))
    form.locator("select[name=area]").select_option("institutional")
    form.locator("input[name=title]").fill("Rà soát văn bản quy phạm pháp luật")
    form.locator("select[name=owner_unit]").select_option(str(office.pk))
    form.locator("input[name=start_on]").fill("2021-02-01")
    form.locator("input[name=working_days]").fill("10")
    _save(page, form)
    task = ReformTask.objects.get(title="Rà soát văn bản quy phạm pháp luật")
    assert task.plan_id == plan.pk and task.deadline > date(2021, 2, 1)
    assert "Rà soát văn bản quy phạm pháp luật" in page.inner_text("main")

    # legal draft on /cchc/the-che/
    page.goto("/cchc/the-che/?year=2021")
    form = _open(page, "Đăng ký văn bản QPPL")
    form.locator("input[name=year]").fill("2021")
    form.locator("input[name=title]").fill("Quy chế quản lý cửa khẩu, lối mở biên giới")
    form.locator("input[name=registered_on]").fill("2021-03-01")
    form.locator("input[name=replaces_number]").fill("09/2018/QĐ-UBND")
    _save(page, form)
    assert LegalDraft.objects.filter(agency=agency, title="Quy chế quản lý cửa khẩu, lối mở biên giới").exists()

    # staffing figure on /cchc/to-chuc-bien-che/
    page.goto("/cchc/to-chuc-bien-che/?year=2021")
    form = _open(page, "Cập nhật biên chế")
    form.locator("select[name=unit]").select_option(str(office.pk))
    form.locator("input[name=year]").fill("2021")
    form.locator("input[name=assigned]").fill("12")
    form.locator("input[name=filled]").fill("10")
    _save(page, form)
    quota = StaffQuota.objects.get(unit=office, year=2021)
    assert (quota.assigned, quota.filled) == (12, 10)

    # inspection on /cchc/kiem-tra/, then a recommendation on its page
    page.goto("/cchc/kiem-tra/")
    form = _open(page, "Thêm đợt kiểm tra")
    form.locator("input[name=inspected_on]").fill("2021-09-20")
    form.locator("input[name=place]").fill("Trụ sở Ban")
    form.locator("textarea[name=members]").fill(
        "Lê Văn Miều | Phó Giám đốc Sở Nội vụ | trưởng đoàn\nNguyễn Thị Thu | Sở Nội vụ | thành viên"
    )
    _save(page, form)
    inspection = Inspection.objects.get(agency=agency)
    page.wait_for_url(f"**/cchc/kiem-tra/{inspection.pk}/")
    assert inspection.members.count() == 2

    form = _open(page, "Thêm kiến nghị")
    form.locator("select[name=area]").select_option("civil_service")
    form.locator("textarea[name=content]").fill("Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ")
    form.locator("select[name=addressee]").select_option(Recommendation.Addressee.AGENCY)
    form.locator("select[name=owner_unit]").select_option(str(office.pk))
    form.locator("input[name=deadline]").fill("2021-10-29")
    _save(page, form)
    rec = Recommendation.objects.get(inspection=inspection)
    assert (rec.owner_unit_id, rec.deadline) == (office.pk, date(2021, 10, 29))
    assert "Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ" in page.inner_text("main")
