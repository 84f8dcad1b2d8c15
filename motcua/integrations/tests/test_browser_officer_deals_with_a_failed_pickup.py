"""Browser journey (Playwright + Debian chromium): a dossier received by post is to be picked up by the postal
operator (the fake, a real HTTP server that calls the live server back, signed); the operator cannot collect the
papers. The one-stop officer finds it on the desk's worklist labelled as papers not collected, reads the same on
the dossier's postal panel, asks for a new pickup, and the operator receives a second pickup order — not a
delivery of a result that does not exist."""

from motcua.desk.selectors.worklists import POSTAL_PICKUP_FAILED_LABEL
from motcua.dossiers.models import PostalOrder
from motcua.dossiers.tests.factories import World
from motcua.portal.tests.browser import browser_test, shoot, staff_login
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)

from .postal_support import pickup, postal  # noqa: F401
from .support import drain


@browser_test
def test_the_officer_asks_the_postal_operator_again_after_a_failed_pickup(page, postal, live_server):  # noqa: F811
    world = World()
    dossier = pickup(world)
    drain()
    first = PostalOrder.objects.get(dossier=dossier)
    postal.control(callback_url=f"{live_server.url}/buu-chinh/theo-doi/")
    for status, note in ((10, ""), (60, "Người gửi vắng nhà")):
        sent = postal.control(send={"order_code": first.order_code, "status": status, "note": note})["sent"]
        assert [s["status"] for s in sent] == [200]

    staff_login(page, world.officer)
    page.goto("/mot-cua/viec/?scope=desk")
    row = page.locator("tr", has_text=dossier.code)
    assert POSTAL_PICKUP_FAILED_LABEL in row.inner_text()
    row.get_by_role("link", name=dossier.code).click()
    page.wait_for_selector("#postal-failed")
    assert "không thu gom được hồ sơ" in page.inner_text("#postal-failed")
    assert "Người gửi vắng nhà" in page.inner_text("#postal-failed")
    assert "Không thu gom được hồ sơ tại địa chỉ người nộp" in page.inner_text("#dossier-postal-orders")
    shoot(page, "postal-failed-pickup-panel")
    page.get_by_role("button", name="Yêu cầu bưu chính thu gom lại").click()
    page.wait_for_selector("#dossier-postal-orders")
    assert page.locator("#postal-failed").count() == 0
    assert page.locator(f"#dossier-postal-orders tr[data-order='{dossier.code}-TG2']").count() == 1

    drain()
    assert [(r["order_code"], r["order_type"]) for r in postal.received] == [
        (first.order_code, "PICKUP"),
        (f"{dossier.code}-TG2", "PICKUP"),
    ]
    assert page.console_errors == []
