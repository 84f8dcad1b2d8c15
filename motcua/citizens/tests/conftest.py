"""Fixtures of the citizens tests: the local OpenID Connect provider started on a free port, motcua
configured for it, and a helper that signs a citizen in through it like a browser would."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import requests

from motcua.citizens import oidc
from motcua.citizens.fake_provider import FakeOidcProvider

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-secret-only-for-tests"  # noqa: S105 - test data
CALLBACK = "http://testserver/tai-khoan/dang-nhap/xong/"

HOA = "042090001234"  # TEST_CITIZENS[0], Nguyễn Thị Hoa
BINH = "042085005678"  # TEST_CITIZENS[1], Trần Văn Bình


@pytest.fixture
def provider(settings):
    fake = FakeOidcProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[CALLBACK]).start()
    settings.CITIZEN_OIDC_ISSUER = fake.url
    settings.CITIZEN_OIDC_CLIENT_ID = CLIENT_ID
    settings.CITIZEN_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.CITIZEN_OIDC_REDIRECT_URI = ""
    oidc.CACHE.clear()
    yield fake
    oidc.CACHE.clear()
    fake.stop()


def hidden_inputs(page: str) -> dict[str, str]:
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    }


def provider_redirect(client, provider, *, citizen: str, misbehave: str = "", decision: str = "allow") -> str:
    """Start at /tai-khoan/dang-nhap/, choose `citizen` on the provider's form; return the callback URL
    (path and query) the provider redirects the browser to."""
    start = client.get("/tai-khoan/dang-nhap/")
    assert start.status_code == 302, start.content[:500]
    authorize = start["Location"]
    assert authorize.startswith(provider.url + "/authorize?"), authorize
    form = requests.get(authorize, timeout=10)
    assert form.status_code == 200, form.text
    if misbehave:
        requests.post(provider.url + "/_misbehave", data={"mode": misbehave}, timeout=10).raise_for_status()
    answer = requests.post(
        provider.url + "/authorize",
        data={**hidden_inputs(form.text), "citizen": citizen, "decision": decision},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def sign_in(client, provider, *, citizen: str = HOA, misbehave: str = ""):
    """The whole journey; returns the callback's response."""
    return client.get(provider_redirect(client, provider, citizen=citizen, misbehave=misbehave))
