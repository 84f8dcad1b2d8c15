"""Browser journey (Playwright + Debian chromium): a specialist plans a review, opens a procedure's evidence,
costs it, writes the proposal, sends it through the outgoing register (the leader signs on paper, the clerk
numbers, stamps and dispatches on the register's own page), records its adoption by a publication decision and
sees the new version and the cut measured on the dossiers of the two versions."""

from datetime import date, timedelta

from motcua.catalog import services as catalog
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.models import Dossier, Status, Timeliness
from motcua.dossiers.tests.factories import aware, make_agency, make_units, make_version
from motcua.portal.tests.browser import browser_test, staff_login
from motcua.portal.tests.conftest import chromium_browser, new_page, page  # noqa: F401 (browser-test fixtures)
from motcua.review.models import CostParameters, Proposal, ReviewItem, ReviewPlan


def _decided(agency, version, n, start: date, working_days: int):
    day, count = start, 0
    while count < working_days:
        day += timedelta(days=1)
        count += day.weekday() < 5
    Dossier.objects.create(
        code=f"B{version.pk}-{n}",
        agency=agency,
        procedure_version=version,
        channel="counter",
        status=Status.DECIDED,
        received_at=aware(start.year, start.month, start.day, 7, 30),
        accepted_at=aware(start.year, start.month, start.day, 7, 30),
        finished_at=aware(day.year, day.month, day.day, 7, 30),
        timeliness=Timeliness.ON_TIME,
        outcome="approved",
        applicant_name="Người nộp",
    )


def _click_action(tab, label):
    tab.get_by_role("button", name=label).click()
    tab.wait_for_selector(".messages .msg-success")


@browser_test
def test_review_from_plan_to_measured_cut_in_the_browser(page, new_page):  # noqa: F811
    agency = make_agency()
    units = make_units(agency)
    version = make_version(agency, units=units)
    specialist = make_staff("cv-rasoat", Role.SPECIALIST, unit=units["QLDT"])
    leader = make_staff("ld-rasoat", Role.LEADER, unit=units["VP"])
    clerk = make_staff("vt-rasoat", Role.CLERK, unit=units["VP"])
    CostParameters.objects.create(year=2021, income_per_year_vnd=70_500_000)
    for n, (start, days) in enumerate([(date(2021, 3, 1), 10), (date(2021, 3, 8), 8), (date(2021, 3, 15), 6)]):
        _decided(agency, version, n, start, days)

    staff_login(page, specialist)
    page.goto("/cchc/ra-soat/?year=2021")
    assert version.procedure.code in page.inner_text("#ranking")
    form = page.locator("#plan-form")
    form.locator("input[name=year]").fill("2022")
    form.locator("input[name=title]").fill("Kế hoạch rà soát TTHC năm 2022")
    form.get_by_role("button", name="Lập kế hoạch").click()
    page.wait_for_selector("#item-form")
    plan = ReviewPlan.objects.get(agency=agency, year=2022)

    form = page.locator("#item-form")
    form.locator("select[name=procedure]").select_option(str(version.procedure_id))
    form.locator("select[name=unit]").select_option(str(units["QLDT"].pk))
    form.locator("select[name=responsible]").select_option(str(specialist.pk))
    form.locator("input[name=deadline]").fill("30/06/2022")
    form.get_by_role("button", name="Thêm").click()
    page.wait_for_selector("#plan-items a")
    item = ReviewItem.objects.get(plan=plan)
    page.locator("#plan-items a", has_text=version.procedure.code).click()

    # Evidence of 2021: three decided dossiers, 8 working days the median; the figure opens its records.
    page.wait_for_selector("#evidence")
    assert "8 / 9,6" in page.inner_text("#evidence")  # median 8, p90 of 6, 8, 10 = 8 + 0.8 × 2
    page.locator("#evidence a", has_text="8 / 9,6").click()
    page.wait_for_selector("table tbody tr")
    assert page.locator("table tbody tr").count() == 3
    page.go_back()

    for variant, values in (
        ("current", {"prepare_hours": "8", "travel_hours": "2", "wait_hours": "1", "fees_vnd": "500000"}),
        ("proposed", {"prepare_hours": "4", "travel_hours": "1", "wait_hours": "0.5", "fees_vnd": "500000"}),
    ):
        form = page.locator(f"#cost-form-{variant}")
        for name, value in values.items():
            form.locator(f"input[name={name}]").fill(value)
        form.get_by_role("button", name="Lưu chi phí").click()
        page.wait_for_selector(".messages .msg-success")
    assert "Tiết kiệm" in page.inner_text("#saving")

    form = page.locator("#proposal-form")
    form.locator("textarea[name=content]").fill("Giảm thời hạn giải quyết từ 10 xuống 8 ngày làm việc.")
    form.locator("textarea[name=legal_basis]").fill("Sửa đổi quyết định công bố thủ tục hành chính")
    form.locator("input[name=proposed_time]").fill("8")
    form.get_by_role("button", name="Lưu phương án").click()
    page.wait_for_selector("#proposal-docx")
    docx = page.request.get(page.locator("#proposal-docx").get_attribute("href"))
    assert docx.ok and docx.body()[:2] == b"PK"

    page.locator("#send-form input[name=recipient_name]").fill("Ủy ban nhân dân tỉnh")
    page.locator("#send-form").get_by_role("button", name="Lập văn bản đi").click()
    page.wait_for_load_state()
    assert "/staff/van-ban/di/" in page.url, page.inner_text("main")[:800]
    proposal = Proposal.objects.get(item=item)
    _click_action(page, "Trình duyệt")
    boss = new_page()
    staff_login(boss, leader)
    boss.goto(page.url)
    _click_action(boss, "Duyệt, ký trên bản giấy")
    office = new_page()
    staff_login(office, clerk)
    office.goto(page.url)
    _click_action(office, "Cấp số")
    _click_action(office, "Đóng dấu bản giấy")
    _click_action(office, "Phát hành")
    proposal.refresh_from_db()
    assert proposal.outgoing.status == "dispatched"

    # The new version from the proposal, a publication decision applying it, the adoption recorded.
    page.goto(f"/cchc/ra-soat/thu-tuc/{item.pk}/")
    page.locator("#new-version-form").get_by_role("button").click()
    page.wait_for_selector(".messages .msg-success")
    new = version.procedure.versions.get(number=2)
    decision = catalog.decision_create(
        actor=leader, agency=agency, number="15/QĐ-UBND", signed_on=date(2022, 3, 25), effective_on=date(2022, 4, 1)
    )
    catalog.decision_item_add(actor=leader, decision=decision, action="amended", procedure=version.procedure, version=new)
    catalog.decision_apply(actor=leader, decision=decision)
    for n, (start, days) in enumerate([(date(2022, 5, 9), 5), (date(2022, 5, 16), 3), (date(2022, 5, 23), 4)]):
        _decided(agency, new, 10 + n, start, days)
    page.goto(f"/cchc/ra-soat/thu-tuc/{item.pk}/")
    form = page.locator("#decide-form")
    form.locator("select[name=adopted]").select_option("1")
    form.locator("input[name=decided_on]").fill("01/04/2022")
    form.locator("select[name=decision]").select_option(str(decision.pk))
    form.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_selector("#measured-cut")
    assert "15/QĐ-UBND" in page.inner_text("#proposal")
    assert "50%" in page.inner_text("#measured-cut")  # median 8 → 4 working days
    assert page.console_errors == []
