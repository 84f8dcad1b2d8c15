"""Staff may sign in with a staff OpenID Connect provider (issue 18 item 1, "by the same mechanism"): the staff login
page offers it when STAFF_OIDC_* are set; the ID token is verified by the citizens' oidc code (here against the local
provider started on a free port); the username claim must name an existing active staff account — nobody is
created, no role given — and the two-factor gate applies as after a password (a leader is sent to enrolment)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from motcua.citizens import oidc
from motcua.citizens.fake_provider import FakeOidcProvider
from motcua.core.models import AuditLog, User
from motcua.core.roles import Role, user_roles
from motcua.core.testing import make_staff

from .conftest import hidden_inputs

pytestmark = pytest.mark.django_db

CLIENT_ID = "motcua-staff-test"
CLIENT_SECRET = "staff-test-secret-only-for-tests"  # noqa: S105 - test data
CALLBACK = "http://testserver/staff/login/dinh-danh/xong/"
PEOPLE = [
    {"personal_id": "042080000001", "name": "Cán bộ một cửa", "preferred_username": "motcua_sso"},
    {"personal_id": "042080000002", "name": "Lãnh đạo", "preferred_username": "lanhdao_sso"},
    {"personal_id": "042080000003", "name": "Người lạ", "preferred_username": "khongco"},
    {"personal_id": "042080000004", "name": "Đã nghỉ", "preferred_username": "danghi_sso"},
]


@pytest.fixture
def staff_provider(settings):
    fake = FakeOidcProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[CALLBACK], citizens=PEOPLE).start()
    settings.STAFF_OIDC_ISSUER = fake.url
    settings.STAFF_OIDC_CLIENT_ID = CLIENT_ID
    settings.STAFF_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.STAFF_OIDC_USERNAME_CLAIM = "preferred_username"
    settings.STAFF_OIDC_SCOPES = "openid profile"
    settings.STAFF_OIDC_REDIRECT_URI = ""
    oidc.CACHE.clear()
    yield fake
    oidc.CACHE.clear()
    fake.stop()


def _sign_in(client, provider, person: str, *, misbehave: str = ""):
    start = client.get(reverse("citizens:staff-login") + "?next=/staff/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize?"), start
    form = requests.get(start["Location"], timeout=10)
    assert form.status_code == 200, form.text
    if misbehave:
        requests.post(provider.url + "/_misbehave", data={"mode": misbehave}, timeout=10).raise_for_status()
    answer = requests.post(
        provider.url + "/authorize",
        data={**hidden_inputs(form.text), "citizen": person, "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302 and answer.headers["Location"].startswith(CALLBACK), answer.text
    parts = urlsplit(answer.headers["Location"])
    return client.get(f"{parts.path}?{parts.query}")


def _signed_in_user(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_the_provider_only_when_configured(client, settings, staff_provider):
    assert reverse("citizens:staff-login") in client.get(reverse("core:login")).content.decode()
    settings.STAFF_OIDC_ISSUER = ""
    assert reverse("citizens:staff-login") not in client.get(reverse("core:login")).content.decode()
    assert client.get(reverse("citizens:staff-login")).status_code == 503


def test_an_existing_officer_signs_in_and_keeps_their_roles(client, staff_provider):
    officer = make_staff("motcua_sso", Role.ONE_STOP_OFFICER)
    users = User.objects.count()
    response = _sign_in(client, staff_provider, "042080000001")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert _signed_in_user(client) == str(officer.pk)
    assert client.get("/staff/").status_code == 200
    assert User.objects.count() == users and set(user_roles(officer)) == {Role.ONE_STOP_OFFICER}
    entry = AuditLog.objects.get(action="staff.oidc_sign_in")
    assert entry.actor_id == officer.pk


def test_no_account_is_created_for_an_unknown_or_inactive_user(client, staff_provider):
    gone = make_staff("danghi_sso", Role.ONE_STOP_OFFICER)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    users = User.objects.count()
    for person in ("042080000003", "042080000004"):
        response = _sign_in(client, staff_provider, person)
        assert response.status_code == 403
        assert "không gắn với tài khoản cán bộ nào đang hoạt động" in response.content.decode()
        assert _signed_in_user(client) is None
    assert User.objects.count() == users and not AuditLog.objects.filter(action="staff.oidc_sign_in").exists()


def test_a_leader_still_passes_the_second_factor(client, settings, staff_provider):
    settings.MOTCUA_REQUIRE_2FA = True
    make_staff("lanhdao_sso", Role.LEADER)
    assert _sign_in(client, staff_provider, "042080000002").status_code == 302
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp-enrol"))


@pytest.mark.parametrize("mode", ["wrong_audience", "wrong_nonce", "expired", "unknown_key"])
def test_a_bad_id_token_signs_nobody_in(client, staff_provider, mode):
    make_staff("motcua_sso", Role.ONE_STOP_OFFICER)
    response = _sign_in(client, staff_provider, "042080000001", misbehave=mode)
    assert response.status_code == 400
    assert _signed_in_user(client) is None


def test_a_replayed_callback_is_refused(client, staff_provider):
    make_staff("motcua_sso", Role.ONE_STOP_OFFICER)
    start = client.get(reverse("citizens:staff-login"))
    state = dict(p.split("=", 1) for p in urlsplit(start["Location"]).query.split("&"))["state"]
    response = client.get(reverse("citizens:staff-callback") + f"?state={state}x&code=abc")
    assert response.status_code == 400 and _signed_in_user(client) is None
