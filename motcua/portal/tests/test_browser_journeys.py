"""Browser journeys (Playwright + Debian chromium), with screenshots at 360 and 1280 px:

1. search → procedure detail → submit online with uploads → the one-stop officer accepts (staff
   pages) → the lookup shows "accepted" → the leader decides, the officer returns the result (staff
   pages) → the applicant downloads the electronic result and rates the service;
2. PAKN: submitted on the public form → answered by staff → published in the public list.
"""

import re

from motcua.dossiers.models import Dossier, Status
from motcua.feedback.models import SatisfactionRating

from .browser import browser_test, pdf_payload, shoot, staff_login
from .conftest import png_bytes


def _staff_action(page, code, label, *, files=None, select=None):
    """On the dossier's staff page, open the action `label`, fill it and confirm."""
    page.goto(f"/staff/dossiers/{code}/")
    page.locator("summary", has_text=re.compile(f"^{label}$")).click()
    form = page.locator("details[open] form")
    for name, payload in (files or {}).items():
        form.locator(f"input[name={name}]").set_input_files([payload])
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    form.get_by_role("button", name=label).click()
    page.wait_for_selector(f"text=Đã thực hiện: {label}.")


@browser_test
def test_citizen_submits_online_officer_accepts_lookup_result_and_rating(page, new_page, world):
    # 1. search the catalog from the home page (keyboard: skip link first, visible focus), open the
    #    procedure, go to online submission
    page.goto("/")
    assert world.agency.name in page.inner_text("h1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.get_by_label("Tìm thủ tục hành chính").fill("dieu chinh giay chung nhan")
    shoot(page, "00-trang-chu")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=*")
    shoot(page, "00-thu-tuc-tim-kiem")
    page.get_by_role("link", name=world.version.name).first.click()
    page.wait_for_url(f"**/thu-tuc/{world.code}/")
    shoot(page, "00-thu-tuc-chi-tiet")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"**/nop-truc-tuyen/{world.code}/")

    # 2. a wrong file first (a PNG named .pdf): refused, what was typed is kept
    page.get_by_label("Họ và tên (cá nhân) hoặc tên tổ chức, doanh nghiệp").fill("Nguyễn Văn An")
    page.set_input_files(f"#file_{world.c1.pk}", [{"name": "don.pdf", "mimeType": "application/pdf", "buffer": png_bytes()}])
    page.get_by_role("button", name="Lưu nháp, tiếp tục sau").click()
    page.wait_for_selector(".error-summary")
    assert "nội dung là ảnh PNG" in page.inner_text(".error-summary")
    assert page.input_value("#id_full_name") == "Nguyễn Văn An"
    shoot(page, "01-nop-truc-tuyen-tep-sai")

    # 3. the right files and the applicant's details, then submit
    page.set_input_files(f"#file_{world.c1.pk}", [pdf_payload("van-ban-de-nghi.pdf")])
    page.set_input_files(f"#file_{world.c2.pk}", [pdf_payload("bao-cao.pdf")])
    page.get_by_label("Số định danh cá nhân (12 số trên căn cước)").fill("042090012789")
    page.get_by_label("Địa chỉ liên hệ").fill("Xã Kỳ Lợi, thị xã Kỳ Anh, tỉnh Hà Tĩnh")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Thư điện tử (nhận mã hồ sơ và thông báo)").fill("an.nguyen@example.vn")
    page.get_by_label("Trực tuyến (kết quả điện tử)").check()
    page.get_by_label("Tôi cam đoan").check()
    shoot(page, "02-nop-truc-tuyen-form")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    code = page.inner_text("#dossier-code").strip()
    secret = page.inner_text("#lookup-secret").strip()
    assert re.fullmatch(r"H15\.\d+-\d{6}-\d{4}", code) and secret
    shoot(page, "03-da-nop")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.SUBMITTED and dossier.files.count() == 2

    # 4. the one-stop officer accepts it on the staff pages
    officer = new_page()
    staff_login(officer, world.officer)
    _staff_action(officer, code, "Tiếp nhận")
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED and dossier.due_at is not None

    # 5. the applicant looks it up in a fresh browser (from the slip's QR link) with the ID number
    citizen = new_page()
    citizen.goto(f"/tra-cuu/?ma={code}")
    assert citizen.input_value("#id_ma") == code
    shoot(citizen, "04-tra-cuu")
    citizen.get_by_label("Số định danh cá nhân, mã số doanh nghiệp hoặc mã tra cứu").fill("042090012789")
    citizen.get_by_role("button", name="Tra cứu").click()
    citizen.wait_for_url(f"**/tra-cuu/ho-so/{code}/")
    assert citizen.inner_text("#dossier-status") == "Đã tiếp nhận"
    assert re.search(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}", citizen.inner_text("#due-date"))
    body = citizen.inner_text("main")
    assert "Nguyễn V** A*" in body and "******789" in body and "042090012789" not in body
    shoot(citizen, "04-tra-cuu-da-tiep-nhan")

    # 6. the leader decides with an electronic result, the officer returns it online; the applicant
    #    downloads the result and rates the service once
    leader = new_page()
    staff_login(leader, world.leader)
    _staff_action(leader, code, "Phê duyệt kết quả", files={"result_file": pdf_payload("giay-chung-nhan-dieu-chinh.pdf")})
    _staff_action(officer, code, "Trả kết quả", select={"delivery": "online"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    citizen.reload()
    assert citizen.inner_text("#dossier-status") == "Đã trả kết quả"
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Tải kết quả điện tử").click()
    assert download.value.suggested_filename == f"{code}-ket-qua.pdf"
    citizen.get_by_role("link", name="Đánh giá", exact=True).click()
    citizen.get_by_label("Rất hài lòng").check()
    for radio in citizen.locator("fieldset.criterion").all():
        radio.get_by_label("Tốt — 2 điểm").check()
    shoot(citizen, "05-danh-gia")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_url(f"**/tra-cuu/ho-so/{code}/")
    assert "Cảm ơn" in citizen.inner_text("main")
    rating = SatisfactionRating.objects.get(dossier=dossier)
    assert rating.overall == "rat_hai_long" and rating.total == 18
    shoot(citizen, "06-da-danh-gia")
    # no failed asset, no script error, no CSP violation (the one 400 is the refused upload above)
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []


@browser_test
def test_pakn_submitted_answered_and_published(page, new_page, world):
    from motcua.feedback.models import Feedback

    # 1. anyone sends a petition from the public form (reached from the home page)
    page.goto("/")
    page.locator("main").get_by_role("link", name="Phản ánh, kiến nghị").click()
    page.wait_for_url("**/phan-anh-kien-nghi/")
    page.get_by_label("Kiến nghị", exact=True).check()
    page.get_by_label("Nội dung liên quan đến").select_option("procedure")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Đề nghị cho phép nộp bản sao điện tử báo cáo tình hình thực hiện dự án thay cho bản giấy."
    )
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Công ty TNHH Kỳ Anh Xanh")
    page.get_by_label("Thư điện tử").fill("lienhe@kyanhxanh.example.vn")
    page.get_by_label("Tôi đồng ý").check()
    shoot(page, "07-pakn-gui")
    page.get_by_role("button", name=re.compile("Gửi")).click()
    page.wait_for_url("**/phan-anh-kien-nghi/da-gui/")
    code = page.inner_text("#pakn-code").strip()
    assert code.startswith("PAKN-")
    shoot(page, "08-pakn-da-gui")

    # 2. the one-stop officer takes it and answers, on the staff pages
    officer = new_page()
    staff_login(officer, world.officer)
    officer.goto(f"/staff/pakn/{code}/")
    officer.get_by_role("button", name="Nhận xử lý").click()
    officer.get_by_label("Nội dung trả lời").fill(
        "Ban Quản lý tiếp nhận bản điện tử có chữ ký số của doanh nghiệp; không cần nộp bản giấy."
    )
    officer.get_by_role("button", name="Trả lời", exact=True).click()
    officer.wait_for_selector("text=Đã lưu nội dung trả lời.")
    assert Feedback.objects.get(code=code).status == "answered"

    # 3. a leader publishes it; it appears in the public list with the name masked
    leader = new_page()
    staff_login(leader, world.leader)
    leader.goto(f"/staff/pakn/{code}/")
    leader.get_by_role("button", name="Duyệt công khai").click()
    leader.wait_for_selector("text=Đã công khai kết quả trả lời.")
    page.goto("/phan-anh-kien-nghi/da-tra-loi/")
    listing = page.inner_text("main")
    assert code in listing
    assert "lienhe@kyanhxanh.example.vn" not in page.content()
    shoot(page, "09-pakn-cong-khai")
