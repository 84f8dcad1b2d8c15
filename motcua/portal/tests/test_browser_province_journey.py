"""Browser journeys of a province (Playwright + Debian chromium), with screenshots at 360 and 1280 px:

1. a citizen filters the province portal's catalog by another agency (the Department of Finance), opens its
   procedure, submits online, and that agency's one-stop officer sees the dossier in the worklist — the
   Board's officer does not;
2. the service centre's officer, seconded to the Board, picks the Board at the counter, receives a dossier of
   the Board's procedure, and the dossier belongs to the Board with the centre as the receiving place.
"""

import re

from motcua.catalog.services import version_search_text
from motcua.core.models import Agency, AgencyLevel, Unit
from motcua.core.roles import Role
from motcua.core.services import secondment_add
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.dossiers.models import Dossier, Status

from .browser import SCREENSHOTS, browser_test, pdf_payload, shoot, staff_login
from .conftest import World


def _screens():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _province(board: World) -> tuple[Agency, World]:
    root = Agency.objects.create(
        name="Văn phòng Ủy ban nhân dân tỉnh", short_name="VPUBND", code="H15", level=AgencyLevel.PROVINCE
    )
    Agency.objects.filter(pk=board.agency.pk).update(parent=root)
    dept = World()
    Agency.objects.filter(pk=dept.agency.pk).update(parent=root, name="Sở Tài chính")
    dept.agency.refresh_from_db()
    dept.version.name = "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên"
    dept.version.search_text = version_search_text(name=dept.version.name, code=dept.version.procedure.code)
    dept.version.save(update_fields=["name", "search_text"])
    return root, dept


@browser_test
def test_citizen_submits_to_another_agency_on_the_province_portal_and_its_officer_sees_it(page, new_page, world):
    root, dept = _province(world)
    # 1. the province portal's catalog, filtered by the Department of Finance
    page.goto("/thu-tuc/")
    page.get_by_label("Cơ quan thực hiện").select_option(dept.agency.short_name)
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(f"**/thu-tuc/?*agency={dept.agency.short_name}*")
    table = page.inner_text("table.procedures")
    assert dept.version.name in table and world.version.name not in table and "Sở Tài chính" in table
    shoot(page, "10-tinh-thu-tuc-theo-co-quan")
    page.get_by_role("link", name=dept.version.name).first.click()
    page.wait_for_url(f"**/thu-tuc/{dept.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"**/nop-truc-tuyen/{dept.code}/")

    # 2. submit online
    pdf = pdf_payload("giay-de-nghi.pdf")
    page.get_by_label("Họ và tên (cá nhân) hoặc tên tổ chức, doanh nghiệp").fill("Trần Thị Bích")
    page.set_input_files(f"#file_{dept.c1.pk}", [pdf])
    page.set_input_files(f"#file_{dept.c2.pk}", [dict(pdf, name="bao-cao.pdf")])
    page.get_by_label("Số định danh cá nhân (12 số trên căn cước)").fill("042190012345")
    page.get_by_label("Địa chỉ liên hệ").fill("Xã Thạch Lạc, tỉnh Hà Tĩnh")
    page.get_by_label("Số điện thoại").fill("0912345679")
    page.get_by_label("Thư điện tử (nhận mã hồ sơ và thông báo)").fill("bich@example.vn")
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    code = page.inner_text("#dossier-code").strip()
    assert code.startswith(f"{dept.agency.code}-")
    dossier = Dossier.objects.get(code=code)
    assert dossier.agency == dept.agency and dossier.status == Status.SUBMITTED

    # 3. the Department's one-stop officer has it in the worklist; the Board's officer does not
    officer = new_page()
    staff_login(officer, dept.officer)
    officer.goto("/mot-cua/viec/?scope=desk")
    assert code in officer.inner_text("main")
    shoot(officer, "11-tinh-viec-cua-so")
    board_officer = new_page()
    staff_login(board_officer, world.officer)
    board_officer.goto("/mot-cua/viec/?scope=desk")
    assert code not in board_officer.inner_text("main")
    assert board_officer.goto(f"/staff/dossiers/{code}/").status == 404


@browser_test
def test_service_centre_officer_receives_a_dossier_for_the_board_at_the_counter(page, world):
    root, dept = _province(world)
    centre = Agency.objects.create(
        name="Trung tâm Phục vụ hành chính công tỉnh", short_name="TTPVHCC", code="TT15.60", parent=root, is_service_centre=True
    )
    desk = Unit.objects.create(agency=centre, name="Bộ phận tiếp nhận và trả kết quả", short_name="TNTKQ", is_one_stop_desk=True)
    officer = make_staff("ttpv-tiepnhan", Role.ONE_STOP_OFFICER, unit=desk)
    secondment_add(actor=SYSTEM, user=officer, agency=world.agency)
    secondment_add(actor=SYSTEM, user=officer, agency=dept.agency)

    staff_login(page, officer)
    page.goto("/staff/dossiers/new/")
    page.get_by_label("Tiếp nhận cho cơ quan").select_option(world.agency.short_name)
    page.wait_for_url(f"**/staff/dossiers/new/?agency={world.agency.short_name}*")
    page.get_by_label("Thủ tục hành chính").select_option(world.code)
    page.wait_for_url(f"**procedure={world.code}*")
    page.check(f"#component_{world.c1.pk}")
    page.check(f"#component_{world.c2.pk}")
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Công ty TNHH Thép Sao Mai")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("042090099999")
    page.fill("#id_phone", "0912000111")
    page.screenshot(path=str(_screens() / "12-trung-tam-tiep-nhan-desktop.png"), full_page=True)  # a desk page
    page.get_by_role("button", name="Tiếp nhận và cấp mã hồ sơ").click()
    page.wait_for_url(re.compile(r".*/staff/dossiers/H15\.[0-9.]+-\d{6}-\d{4}/$"))
    dossier = Dossier.objects.get()
    assert (dossier.agency, dossier.receiving_agency, dossier.created_by) == (world.agency, centre, officer)
    assert dossier.code.startswith(f"{world.agency.code}-") and dossier.status == Status.ACCEPTED
    page.screenshot(path=str(_screens() / "13-trung-tam-da-tiep-nhan-desktop.png"), full_page=True)
    assert [e for e in page.console_errors] == []
