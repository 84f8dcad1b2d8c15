"""The provider rotates its signing key (a new `kid`): motcua, holding the old key set in its cache, fetches
the key set again and accepts the token signed with the new key; a kid still unknown after the refetch is
refused."""

from __future__ import annotations

import pytest
import requests

from motcua.citizens import oidc
from motcua.portal.identity import SESSION_KEY

from .conftest import BINH, HOA, sign_in

pytestmark = pytest.mark.django_db


def _cached_kids(issuer: str) -> set[str]:
    return {k.kid for k in oidc.CACHE.keys[issuer][1].keys}


def test_a_new_kid_after_rotation_is_fetched_and_accepted(client, provider):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    old_kid = provider.current_kid
    assert _cached_kids(provider.url) == {old_kid}

    answer = requests.post(provider.url + "/_rotate", timeout=10)
    new_kid = answer.json()["kid"]
    assert new_kid != old_kid
    fetched_at, keys = oidc.CACHE.keys[provider.url]
    oidc.CACHE.keys[provider.url] = (fetched_at - 60, keys)  # the cache is a minute old, still valid for the hour

    client.post("/tai-khoan/dang-xuat/")
    response = sign_in(client, provider, citizen=BINH)
    assert response.status_code == 302, response.content.decode()[:800]
    assert client.session[SESSION_KEY]["personal_id"] == BINH
    assert new_kid in _cached_kids(provider.url)  # the key set was fetched again


def test_a_flood_of_unknown_kids_refetches_the_key_set_at_most_every_few_seconds(client, provider):
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    calls = []
    real = oidc._get_json
    oidc._get_json = lambda url, timeout: calls.append(url) or real(url, timeout)
    try:
        for _ in range(3):
            assert sign_in(client, provider, citizen=HOA, misbehave="unknown_key").status_code == 400
    finally:
        oidc._get_json = real
    assert [u for u in calls if u.endswith("/jwks")] == []  # fetched less than 5 s ago: not again
