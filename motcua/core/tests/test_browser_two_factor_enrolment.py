"""Browser test (Playwright + Debian chromium): with the second factor required, a leader signs in with the password,
lands on the enrolment page whose QR code (drawn by the application, a data: image the CSP allows) is shown, types a
wrong code (refused, Vietnamese message), then the right one, and reaches the staff home page; the next sign-in asks
for the code. Screenshots at 360 and 1280 px; contrast and labels checked."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.portal.tests.browser import browser_test, shoot
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (fixtures)

PASSWORD = "pw-test-12345"


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _password(browser_page, username):
    browser_page.goto("/staff/login/")
    browser_page.fill("input[name=username]", username)
    browser_page.fill("input[name=password]", PASSWORD)
    browser_page.locator("form button[type=submit]").first.click()


@browser_test
def test_leader_enrols_an_authenticator_app_then_signs_in_with_its_code(page, settings):  # noqa: F811 - the fixture
    settings.MOTCUA_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    make_staff("lanhdao-2fa", Role.LEADER)
    _password(page, "lanhdao-2fa")
    page.wait_for_url(lambda url: "/staff/xac-thuc/dang-ky/" in url)
    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0  # the QR code loaded under the CSP
    shoot(page, "xac-thuc-hai-lop-dang-ky")
    device = TOTPDevice.objects.get(user__username="lanhdao-2fa", confirmed=False)
    page.fill("input[name=token]", f"{(int(_code(device)) + 500000) % 1000000:06d}")
    page.get_by_role("button", name="Xác nhận và bật").click()
    assert "Mã xác thực không đúng" in page.inner_text("[role=alert]")
    page.fill("input[name=token]", _code(device))
    page.get_by_role("button", name="Xác nhận và bật").click()
    page.wait_for_url("**/staff/")
    assert "Đã bật xác thực hai lớp" in page.inner_text(".messages")

    page.context.clear_cookies()
    _password(page, "lanhdao-2fa")
    page.wait_for_url(lambda url: "/staff/xac-thuc/" in url and "dang-ky" not in url)
    shoot(page, "xac-thuc-hai-lop-nhap-ma")
    device.refresh_from_db()
    time.sleep(max(0.0, device.step - (time.time() - device.t0) % device.step) + 0.5)  # a new code: one is used once
    page.fill("input[name=token]", _code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/staff/")
    # the only console error is the refused code's page itself (answered 400)
    assert [e for e in page.console_errors if "status of 400" not in e] == []
