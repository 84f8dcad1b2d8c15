"""The shipped test provider is a real OpenID Connect provider: it refuses an unregistered redirect URI and
a request without PKCE, and its token endpoint checks the client's secret, the code (once), the redirect
URI and the PKCE verifier before signing an ID token that verifies against its published JWKS."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.citizens.fake_provider import FakeOidcProvider

from .conftest import CALLBACK, CLIENT_ID, CLIENT_SECRET, HOA


@pytest.fixture
def fake():
    provider = FakeOidcProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[CALLBACK]).start()
    yield provider
    provider.stop()


def _request(verifier: str, **over) -> dict:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return {
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid profile",
        "state": "s" * 20,
        "nonce": "n" * 20,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **over,
    }


def _code(fake, verifier: str) -> str:
    answer = requests.post(
        fake.url + "/authorize",
        data={**_request(verifier), "citizen": HOA, "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def _token(fake, code: str, verifier: str, *, secret: str = CLIENT_SECRET, redirect_uri: str = CALLBACK):
    return requests.post(
        fake.url + "/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier},
        auth=(CLIENT_ID, secret),
        timeout=10,
    )


def test_discovery_names_the_endpoints_and_s256(fake):
    doc = requests.get(fake.url + "/.well-known/openid-configuration", timeout=10).json()
    assert doc["issuer"] == fake.url
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = requests.get(doc["jwks_uri"], timeout=10).json()["keys"]
    assert [k["kid"] for k in keys] == [fake.current_kid] and "d" not in keys[0]  # public parts only


def test_the_authorization_endpoint_refuses_unregistered_redirects_and_missing_pkce(fake):
    verifier = secrets.token_urlsafe(48)
    bad_redirect = requests.get(
        fake.url + "/authorize",
        params=_request(verifier, redirect_uri="http://evil.example/cb"),
        allow_redirects=False,
        timeout=10,
    )
    assert bad_redirect.status_code == 400 and "Location" not in bad_redirect.headers
    no_pkce = requests.get(fake.url + "/authorize", params=_request(verifier, code_challenge=""), timeout=10)
    assert no_pkce.status_code == 400 and "PKCE" in no_pkce.text


def test_the_token_endpoint_checks_secret_code_redirect_and_verifier(fake):
    verifier = secrets.token_urlsafe(48)
    assert _token(fake, _code(fake, verifier), verifier, secret="sai").status_code == 401
    wrong = _token(fake, _code(fake, verifier), secrets.token_urlsafe(48))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    elsewhere = _token(fake, _code(fake, verifier), verifier, redirect_uri="http://testserver/khac/")
    assert elsewhere.status_code == 400 and elsewhere.json()["error"] == "invalid_grant"

    code = _code(fake, verifier)
    good = _token(fake, code, verifier)
    assert good.status_code == 200, good.text
    assert _token(fake, code, verifier).status_code == 400  # a code is used once
    keys = KeySet.import_key_set(requests.get(fake.url + "/jwks", timeout=10).json())
    claims = jwt.decode(good.json()["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["iss"] == fake.url and claims["aud"] == CLIENT_ID and claims["nonce"] == "n" * 20
    assert claims["personal_id"] == HOA and claims["name"] == "Nguyễn Thị Hoa"
    userinfo = requests.get(
        fake.url + "/userinfo", headers={"Authorization": "Bearer " + good.json()["access_token"]}, timeout=10
    )
    assert userinfo.json()["sub"] == claims["sub"]


def test_rotation_publishes_a_new_kid_and_keeps_the_previous_one(fake):
    old = fake.current_kid
    new = requests.post(fake.url + "/_rotate", timeout=10).json()["kid"]
    kids = [k["kid"] for k in requests.get(fake.url + "/jwks", timeout=10).json()["keys"]]
    assert new != old and kids == [new, old]
