"""A citizen signs in through the local OpenID Connect provider: authorization-code flow with PKCE (S256),
state and nonce, configured only by the discovery document; the verified identity lands in the session
(not a staff User), the sign-in is recorded and audited."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.citizens.models import Citizen
from motcua.core.models import AuditLog
from motcua.portal.identity import SESSION_KEY

from .conftest import CALLBACK, CLIENT_ID, HOA, sign_in

pytestmark = pytest.mark.django_db


def test_the_login_page_redirects_to_the_provider_with_pkce_state_and_nonce(client, provider):
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == provider.url + "/authorize"  # from the discovery document
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == CALLBACK
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert "openid" in query["scope"].split()
    assert "code_verifier" not in query  # the verifier stays on our side


def test_full_login_puts_the_verified_identity_in_the_session(client, provider):
    response = sign_in(client, provider, citizen=HOA)
    assert response.status_code == 302, response.content.decode()[:1000]
    assert response["Location"] == "/tai-khoan/ho-so/"
    identity = client.session[SESSION_KEY]
    assert identity["personal_id"] == HOA
    assert identity["full_name"] == "Nguyễn Thị Hoa"
    assert identity["birth_date"] == "1990-03-15"
    assert identity["address"].startswith("Số 12 đường Phan Đình Phùng")
    assert identity["phone"] == "0912000111" and identity["email"] == "hoa.nguyen@example.vn"
    assert "_auth_user_id" not in client.session  # citizens are not staff users

    citizen = Citizen.objects.get(personal_id=HOA)
    assert citizen.issuer == provider.url and citizen.subject and citizen.subject != HOA
    entry = AuditLog.objects.filter(action="citizen.first_sign_in").get()
    assert entry.actor_repr == "applicant:oidc"

    page = client.get("/tai-khoan/ho-so/")
    assert page.status_code == 200
    assert "Hồ sơ của tôi" in page.content.decode() and "Nguyễn Thị Hoa" in page.content.decode()

    sign_in(client, provider, citizen=HOA)  # again: one citizen row, counted
    citizen.refresh_from_db()
    assert citizen.login_count == 2 and Citizen.objects.count() == 1


def test_a_code_is_used_once_and_a_replayed_callback_is_refused(client, provider):
    from .conftest import provider_redirect

    callback = provider_redirect(client, provider, citizen=HOA)
    assert client.get(callback).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    assert SESSION_KEY not in client.session
    replay = client.get(callback)  # the state was consumed: refused before the code is even tried
    assert replay.status_code == 400
    assert "state" in replay.content.decode()
    assert SESSION_KEY not in client.session


def test_the_citizen_refusing_at_the_provider_is_explained(client, provider):
    from .conftest import provider_redirect

    response = client.get(provider_redirect(client, provider, citizen=HOA, decision="deny"))
    assert response.status_code == 400
    assert "không đồng ý đăng nhập" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_my_dossiers_needs_a_signed_in_citizen(client, provider):
    response = client.get("/tai-khoan/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_login_without_configuration_says_so(client, settings):
    settings.CITIZEN_OIDC_ISSUER = ""
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 503
    assert "chưa được cấu hình" in response.content.decode()


def test_claims_kept_out_of_the_id_token_are_read_from_userinfo(client, provider):
    provider.state.profile_in_id_token = False  # the ID token carries only `sub`
    response = sign_in(client, provider, citizen=HOA)
    assert response.status_code == 302, response.content.decode()[:800]
    identity = client.session[SESSION_KEY]
    assert identity["personal_id"] == HOA and identity["full_name"] == "Nguyễn Thị Hoa"


def test_userinfo_for_another_subject_is_refused(client, provider):
    provider.state.profile_in_id_token = False
    provider.state.userinfo_sub = "someone-else"
    response = sign_in(client, provider, citizen=HOA)
    assert response.status_code == 400
    assert "không khớp với thẻ định danh" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_two_tabs_starting_a_sign_in_both_complete(client, provider):
    from .conftest import provider_redirect

    first = provider_redirect(client, provider, citizen=HOA)
    second = provider_redirect(client, provider, citizen=HOA)
    assert client.get(second).status_code == 302
    assert client.get(first).status_code == 302  # the earlier tab's state is still waiting
    assert client.get(first).status_code == 400  # but only once
