"""Browser test (Playwright + Debian chromium): a leader opens the Decision 766 index from the staff menu (the
current year by default), sees the indicators worst first, and goes from a point lost to the dossier that lost
it in two clicks: the indicator's "lost" count, then the dossier's code."""

from motcua.portal.tests.browser import browser_test, shoot, staff_login
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)

from .index766_data import build


@browser_test
def test_from_a_point_lost_on_the_dashboard_to_the_dossier_in_two_clicks(page):  # noqa: F811
    data = build()  # 2026-Q1 records of agency A (with B below it): d2, d4 and b1 lost "on time" points
    staff_login(page, data.a.leader)
    page.get_by_role("link", name="Chỉ số 766").first.click()
    page.wait_for_url("**/bao-cao/chi-so-766/")
    page.wait_for_selector("tr[data-indicator]")
    assert "Chỉ số phục vụ người dân, doanh nghiệp" in page.inner_text("h1")
    rows = page.locator("tr[data-indicator]")
    computed = page.locator("tr[data-indicator][data-status=computed]")
    lost = [float(computed.nth(n).get_attribute("data-lost-points")) for n in range(computed.count())]
    assert lost[0] > 0 and lost == sorted(lost, reverse=True)  # the most points lost first
    assert rows.count() == computed.count() + page.locator("tr[data-indicator][data-status=no_records]").count()
    shoot(page, "reports-index766-dashboard")

    # Click 1: the records that lost the "on time" points.
    page.locator("tr[data-indicator=dossiers_on_time] a[data-lost]").click()
    page.wait_for_url("**/bao-cao/chi-so-766/*/*/dossiers_on_time/?*")  # the dashboard has a table too: wait for the new page
    page.wait_for_selector("main table tbody tr")
    d2 = data.dossiers["d2"].code
    listed = page.inner_text("main table tbody")
    for key in ("d2", "d4", "b1"):
        assert data.dossiers[key].code in listed
    for key in ("d1", "d3", "d9"):  # on time: not listed
        assert data.dossiers[key].code not in listed
    shoot(page, "reports-index766-lost-records")

    # Click 2: the dossier that lost it.
    page.get_by_role("link", name=d2, exact=True).click()
    page.wait_for_url(f"**/staff/dossiers/{d2}/")
    assert d2 in page.inner_text("main")
    assert page.console_errors == []
