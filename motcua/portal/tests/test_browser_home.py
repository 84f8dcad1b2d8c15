"""Browser: the home page works with the keyboard and at 360 px; the infrastructure itself is checked."""

from .browser import browser_test, shoot


@browser_test
def test_home_page_keyboard_and_phone_width(page, world):
    page.goto("/")
    assert world.agency.name in page.inner_text("h1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"  # first stop: skip to content
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus
    page.get_by_label("Tìm thủ tục hành chính").fill("điều chỉnh")
    shoot(page, "home")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    assert page.console_errors == []
