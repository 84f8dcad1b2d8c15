"""Browser-test infrastructure: Playwright driving Debian's chromium (no browser download) against
pytest-django's live server. Screenshots at desktop (1280 px) and phone (360 px) width go to
artifacts/screenshots/ at the repository root (git-ignored; CI keeps them as artifacts).

Use: `from .browser import browser_test, shoot` and the `page` fixture (in conftest.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", REPO_ROOT / "artifacts" / "screenshots"))


def browser_test(func):
    """Mark a browser journey: @pytest.mark.browser, skipped when chromium is not installed."""
    func = pytest.mark.browser(func)
    return pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} absent (apt-get install chromium)")(func)


def shoot(page, name: str) -> list[Path]:
    """Screenshot the current page at phone and desktop width (full page), and check that at phone
    width nothing is wider than the screen (no horizontal scrolling)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    before = page.viewport_size or DESKTOP
    paths = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name}: trang rộng hơn màn hình 360 px ({overflow} px)"
        path = SCREENSHOTS / f"{safe}-{label}-{size['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(before)
    return paths
