"""Browser journeys (Playwright + Debian chromium) of issue 15's staff and citizen flows:

1. a citizen downloads the procedure's form, submits online and gets a printable receipt listing the
   files; the same public menu on every public page; the officer's default worklist tab and the staff
   home page show the new submission (items 11, 13);
2. the officer receives four papers at the counter with one scan: all four kept, on the dossier page
   and the receipt (BM.01); the scan opens inline; the dossier search finds it typed without
   diacritics and by part of its code (items 1, 2, 10).
"""

import re
import subprocess
import unicodedata

from django.core.files.base import ContentFile

from motcua.catalog.demo import sample_form_docx
from motcua.dossiers.models import Dossier, ReceivedPaper, Status

from .browser import browser_test, pdf_payload, shoot, staff_login
from .conftest import PDF_BYTES


def _menu(page, url) -> str:
    page.goto(url)
    return " | ".join(a.strip() for a in page.locator("nav.top-nav a").all_inner_texts())


@browser_test
def test_citizen_form_download_online_receipt_and_officer_sees_it_first(page, new_page, world):
    world.c1.form_name = "Mẫu A.I.1"
    world.c1.form_file.save(
        "mau-a-i-1-minh-hoa.docx",
        ContentFile(sample_form_docx(form_name="Mẫu A.I.1", procedure_name=world.version.name, component_name=world.c1.name)),
    )

    # one public menu, with PAKN, on the home page, the catalog and the PAKN page
    menus = {url: _menu(page, url) for url in ("/", "/thu-tuc/", f"/thu-tuc/{world.code}/", "/phan-anh-kien-nghi/")}
    assert len(set(menus.values())) == 1, menus
    assert "Phản ánh, kiến nghị" in menus["/"]

    # the procedure's form downloads from its public page
    page.goto(f"/thu-tuc/{world.code}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu: Mẫu A.I.1").click()
    assert download.value.suggested_filename.endswith(".docx")

    # submit online with two files: the receipt lists them and prints without the site's header
    page.goto(f"/nop-truc-tuyen/{world.code}/")
    page.get_by_label("Họ và tên (cá nhân) hoặc tên tổ chức, doanh nghiệp").fill("Trần Thị Bình")
    page.set_input_files(f"#file_{world.c1.pk}", [pdf_payload("van-ban-de-nghi.pdf")])
    page.set_input_files(f"#file_{world.c2.pk}", [pdf_payload("bao-cao.pdf")])
    page.get_by_label("Số định danh cá nhân (12 số trên căn cước)").fill("042090012789")
    page.get_by_label("Địa chỉ liên hệ").fill("Xã Kỳ Lợi, thị xã Kỳ Anh, tỉnh Hà Tĩnh")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Thư điện tử (nhận mã hồ sơ và thông báo)").fill("binh@example.vn")
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    code = page.inner_text("#dossier-code").strip()
    receipt = page.inner_text("#online-receipt")
    for text in ("Giấy biên nhận hồ sơ trực tuyến", code, "van-ban-de-nghi.pdf", "bao-cao.pdf", world.c1.name, world.c2.name):
        assert text in receipt, text
    assert page.get_by_role("button", name="In giấy biên nhận").is_visible()
    shoot(page, "15-bien-nhan-truc-tuyen")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".site-footer").is_visible()
    assert page.locator("#online-receipt").is_visible()
    assert not page.get_by_role("button", name="In giấy biên nhận").is_visible()
    page.emulate_media(media="screen")
    assert page.console_errors == []

    # the one-stop officer: the new submission is in the worklist's default tab and counted at home
    officer = new_page()
    staff_login(officer, world.officer)
    officer.goto("/mot-cua/viec/")
    assert code in officer.inner_text("main")
    officer.goto("/staff/")
    assert officer.inner_text(".count-waiting strong") == "1"
    officer.locator(".count-waiting a").click()
    assert code in officer.inner_text("main")
    assert Dossier.objects.get(code=code).status == Status.SUBMITTED


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode()).split())


@browser_test
def test_counter_intake_keeps_every_paper_file_opens_and_search_finds_it(page, world, tmp_path):
    from motcua.catalog.models import Component

    c4 = Component.objects.create(
        version=world.version, order=4, name="Giấy chứng nhận quyền sử dụng đất", mandatory=True, originals=0, copies=1
    )
    papers = [world.c1, world.c2, c4]
    staff_login(page, world.officer)
    page.goto(f"/staff/dossiers/new/?procedure={world.code}")
    for c in papers:
        page.check(f"#component_{c.pk}")
    page.fill(f"input[name=copies_{c4.pk}]", "2")
    page.set_input_files(f"input[name=file_{world.c1.pk}]", [pdf_payload("don-de-nghi.pdf")])
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Trần Thị Bình")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("042090012789")
    page.get_by_role("button", name="Tiếp nhận và cấp mã hồ sơ").click()
    page.wait_for_url(re.compile(r".*/staff/dossiers/H15[^/]+/$"))
    dossier = Dossier.objects.get()
    assert list(ReceivedPaper.objects.filter(dossier=dossier).values_list("name", "originals", "copies")) == [
        (world.c1.name, 1, 0),
        (world.c2.name, world.c2.originals, world.c2.copies),
        (c4.name, 0, 2),
    ]
    table = page.inner_text("table.papers")
    for c in papers:
        assert c.name in table

    # the receipt (BM.01) lists the three papers, only one of them scanned
    slip = page.request.get(f"/mot-cua/ho-so/{dossier.code}/phieu/bm01.pdf")
    assert slip.ok
    text = _pdf_text(slip.body(), tmp_path)
    for c in papers:
        assert c.name in text, text

    # the scan opens in the browser (inline, sandboxed)
    link = page.get_by_role("link", name="don-de-nghi.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body() == PDF_BYTES

    # the dossier search finds it typed without diacritics and by part of its code
    day = dossier.code.split("-")[1]
    for q in ("tran thi binh", day):
        page.goto("/staff/dossiers/")
        page.get_by_label("Mã hồ sơ, tên, số định danh").fill(q)
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url("**/staff/dossiers/?*")
        assert page.get_by_role("link", name=dossier.code).is_visible(), q
