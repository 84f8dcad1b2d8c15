"""The accessibility audit run on every screenshot really catches problems (so a passing journey means
something): low contrast and unlabelled controls are reported, a clean page passes."""

from .browser import audit, browser_test


@browser_test
def test_audit_reports_low_contrast_and_missing_labels(chromium_browser):
    page = chromium_browser.new_page()
    try:
        page.set_content(
            '<body style="background:#fff"><p style="color:#aaa">Chữ mờ</p>'
            '<input type="text" name="x"><label for="y">Tên</label><input id="y">'
            '<p style="color:#1b1b1b">Chữ rõ</p></body>'
        )
        problems = audit(page)
        assert any("contrast" in p and "Chữ mờ" in p for p in problems)
        assert any("no label" in p and 'name="x"' in p for p in problems)
        assert not any("Chữ rõ" in p or 'id="y"' in p for p in problems)
        page.set_content('<body><h1>Tiêu đề</h1><label for="q">Tìm</label><input id="q"><button>Tìm kiếm</button></body>')
        assert audit(page) == []
    finally:
        page.close()
