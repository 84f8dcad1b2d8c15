"""Browser journey (Playwright + Debian chromium): at the counter, the officer opens the new dossier of an
applicant whose earlier dossier left a paper in their store; the store stays closed until the officer records the
applicant's consent, then the officer reuses the stored paper for the procedure's component instead of a new
scan, and the dossier lists it as a file that opens."""

from datetime import date

from motcua.dossiers.tests.factories import World
from motcua.papers.models import Consent, PaperReuse, Via
from motcua.papers.services import paper_store_dossier_file
from motcua.portal.tests.browser import browser_test, shoot, staff_login
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)

from .conftest import receive_for, receive_with_scan, scanned_file


@browser_test
def test_the_officer_reuses_a_stored_paper_with_the_applicants_consent(page):  # noqa: F811
    world = World()
    first = receive_with_scan(world, text="Giấy chứng nhận quyền sử dụng đất")
    paper = paper_store_dossier_file(
        actor=world.officer, file=scanned_file(first), issuer="Sở Tài nguyên và Môi trường", valid_until=date(2099, 12, 31)
    )
    later = receive_for(world, components=[c.pk for c in world.version.components.all()])

    staff_login(page, world.officer)
    page.goto(f"/staff/dossiers/{later.code}/")
    panel = page.locator("#kho-giay-to")
    assert panel.locator("#papers-store").count() == 0  # nothing of the store before consent
    panel.get_by_role("button", name="Người nộp đồng ý cho khai thác kho giấy tờ").click()
    page.wait_for_selector("#papers-consent")
    assert "Tại Bộ phận Một cửa" in page.inner_text("#papers-consent")

    row = page.locator(f"#papers-store tr[data-paper='{paper.pk}']")
    assert "Sở Tài nguyên và Môi trường" in row.inner_text() and "31/12/2099" in row.inner_text()
    component = world.version.components.get(order=2)
    row.get_by_label("Thành phần").select_option(str(component.pk))
    shoot(page, "papers-store-on-the-dossier-page")
    row.get_by_role("button", name="Dùng lại").click()
    page.wait_for_selector("#papers-reused")
    assert paper.name in page.inner_text("#papers-reused")
    assert "Đã dùng cho hồ sơ này" in page.locator(f"#papers-store tr[data-paper='{paper.pk}']").inner_text()

    reuse = PaperReuse.objects.get()
    assert (reuse.dossier_id, reuse.via, reuse.reused_by_id) == (later.pk, Via.COUNTER, world.officer.pk)
    assert Consent.objects.get(dossier=later).recorded_by_id == world.officer.pk
    # The reused paper is one of the dossier's files and opens like a scan taken at the counter.
    response = page.request.get(f"/staff/dossiers/{later.code}/files/{reuse.dossier_file_id}/")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
