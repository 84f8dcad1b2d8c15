"""The citizens' pages are served under the site's Content-Security-Policy, load nothing from another origin
and hold no inline script or style; after sign-in the citizen goes back only to a page of this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests

from .conftest import HOA, hidden_inputs, sign_in

pytestmark = pytest.mark.django_db


def _assert_local_only(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html, "inline style"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not urlsplit(url).netloc, url  # no asset or link to another origin (no CDN)


def test_my_dossiers_and_the_refusal_page_keep_the_csp(client, provider, settings):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    page = client.get("/tai-khoan/ho-so/")
    assert page["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in page["Content-Security-Policy"]
    _assert_local_only(page.content.decode())

    client.post("/tai-khoan/dang-xuat/")
    refused = sign_in(client, provider, citizen=HOA, misbehave="expired")
    assert refused.status_code == 400
    assert refused["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    _assert_local_only(refused.content.decode())


def test_next_goes_back_to_a_page_of_this_site_only(client, provider):
    for target, expected in [("/nop-truc-tuyen/", "/nop-truc-tuyen/"), ("https://evil.example/", "/tai-khoan/ho-so/")]:
        client.post("/tai-khoan/dang-xuat/")
        start = client.get("/tai-khoan/dang-nhap/", {"next": target})
        form = requests.get(start["Location"], timeout=10)
        answer = requests.post(
            provider.url + "/authorize",
            data={**hidden_inputs(form.text), "citizen": HOA, "decision": "allow"},
            allow_redirects=False,
            timeout=10,
        )
        parts = urlsplit(answer.headers["Location"])
        done = client.get(f"{parts.path}?{parts.query}")
        assert done.status_code == 302 and done["Location"] == expected, target
