"""Browser-test infrastructure: Playwright driving Debian's chromium (no browser download) against
pytest-django's live server. Screenshots at desktop (1280 px) and phone (360 px) width go to
artifacts/screenshots/ at the repository root (git-ignored; CI keeps them as artifacts).

Use: `from .browser import browser_test, shoot` and the `page` fixture (in conftest.py); `staff_login` and
`pdf_payload` for the journeys that sign staff in and upload files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from motcua.core.testing import pdf_bytes

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
STAFF_PASSWORD = "pw-test-12345"  # motcua.core.testing.make_staff's default
PDF_BYTES = pdf_bytes(1)  # a real one-page PDF (the upload policy parses what it accepts); conftest's too
REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", REPO_ROOT / "artifacts" / "screenshots"))


def pdf_payload(name: str) -> dict:
    """A one-page PDF as Playwright's set_input_files takes it."""
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def staff_login(page, user) -> None:
    """Sign `user` (made by make_staff, with its default password) in on the staff login page."""
    page.goto("/staff/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(lambda url: "/staff/login/" not in url)


def browser_test(func):
    """Mark a browser journey: @pytest.mark.browser. Never skipped: `make test` installs chromium (or names it),
    and a missing browser fails the test."""
    return pytest.mark.browser(func)


# Text contrast (WCAG 2.1 AA: 4.5:1, 3:1 for large text) of every visible text element, against the first
# opaque background among its ancestors; and every visible form control has an accessible name.
_AUDIT_JS = """
() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a >= 0.99) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
      && s.clip !== 'rect(0px, 0px, 0px, 0px)'; };
  const problems = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !visible(el) || el.closest('option')) continue;
    const s = getComputedStyle(el); const fg = parse(s.color); if (!fg) continue;
    const b = bg(el); const l1 = lum(fg), l2 = lum(b);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) problems.push(`contrast ${ratio.toFixed(2)} < ${need}: "${el.textContent.trim().slice(0, 40)}"`);
  }
  for (const el of document.querySelectorAll('input, select, textarea, button')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.textContent.trim());
    if (!named) problems.push(`no label: ${el.outerHTML.slice(0, 80)}`);
  }
  return problems;
}
"""


def audit(page) -> list[str]:
    """Accessibility problems on the current page: low text contrast, unlabelled form controls."""
    return page.evaluate(_AUDIT_JS)


def shoot(page, name: str) -> list[Path]:
    """Screenshot the current page at phone and desktop width (full page), and check that at phone
    width nothing is wider than the screen (no horizontal scrolling), that text contrast is enough and
    every form control has a label."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    before = page.viewport_size or DESKTOP
    paths = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name}: trang rộng hơn màn hình 360 px ({overflow} px)"
            problems = audit(page)
            assert problems == [], f"{name}: {problems}"
        path = SCREENSHOTS / f"{safe}-{label}-{size['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(before)
    return paths
