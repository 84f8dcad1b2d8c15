"""`make run PORT=…` serves the demo on that port, and the links it prints on slips, QR codes, mails and SMS
(built from SITE_URL) point there too, unless SITE_URL is set explicitly."""

import os
import subprocess

from django.conf import settings

from motcua.dossiers.notifications import lookup_url

PRINT = "print-site-url:\n\t@echo $$SITE_URL\n"


def _make_site_url(tmp_path, *args, env_site_url=None) -> str:
    extra = tmp_path / "print.mk"
    extra.write_text(PRINT)
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if env_site_url:
        env["SITE_URL"] = env_site_url
    out = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", str(extra), "print-site-url", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_make_run_on_another_port_links_to_that_port(tmp_path):
    assert _make_site_url(tmp_path, "PORT=8123") == "http://127.0.0.1:8123"
    assert _make_site_url(tmp_path, "HOST=localhost", "PORT=9000") == "http://localhost:9000"


def test_an_explicit_site_url_wins(tmp_path):
    assert _make_site_url(tmp_path, "PORT=8123", env_site_url="https://motcua.example.gov.vn") == "https://motcua.example.gov.vn"


def test_slip_links_are_built_from_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert lookup_url("H15.50-261202-0001").startswith("http://127.0.0.1:8123/tra-cuu/?ma=")
