"""Browser journey (Playwright + Debian chromium): the Board's leader looks a procedure up in the national
procedure database (the fake national portal), sees what differs, keeps the Board's own wording of the executing
body, and publishes the rest through a new decision, which the decision page shows as applied."""

from decimal import Decimal

from motcua.catalog.models import ProcedureVersion
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture
from motcua.portal.tests.browser import browser_test, shoot, staff_login
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)

from .test_national_procedure_sync import CODE, _national


@browser_test
def test_the_leader_applies_the_chosen_national_sections_through_a_decision(page, portal, agency, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE, implementing_body="Ban Quản lý Khu kinh tế tỉnh (Bộ phận Một cửa)")
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"}, KenhThucHien=["TrucTiep"])])
    leader = make_staff("lanhdao-qg", Role.LEADER, unit=agency.units.first())
    staff_login(page, leader)
    page.goto("/staff/danh-muc/quoc-gia/")
    page.get_by_label("Mã thủ tục (CSDL quốc gia)").fill(CODE)
    page.get_by_role("button", name="Xem khác biệt").click()
    page.wait_for_selector("table.national-diff")
    table = page.inner_text("table.national-diff")
    assert "15 ngày làm việc" in table and "14 ngày làm việc" in table and "Nộp trực tuyến" in table
    page.get_by_label("Cơ quan thực hiện").uncheck()  # the Board keeps its own wording
    page.get_by_label("Số, ký hiệu quyết định").fill("20/QĐ-BQL")
    page.get_by_label("Ngày ký").fill("2026-12-01")
    page.get_by_label("Ngày hiệu lực").fill("2026-12-10")
    shoot(page, "national-procedure-diff")
    page.get_by_role("button", name="Tạo quyết định và áp dụng").click()
    page.wait_for_url("**/staff/danh-muc/quyet-dinh/*/")
    assert "Đã áp dụng" in page.inner_text("main") and "20/QĐ-BQL" in page.inner_text("main")
    new = ProcedureVersion.objects.get(procedure=ours.procedure, status="in_force")
    assert new.legal_time == Decimal(14) and not new.channel_online
    assert new.implementing_body == ours.implementing_body
    assert page.console_errors == []
