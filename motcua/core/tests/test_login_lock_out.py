"""Staff login lock-out (django-axes): after MOTCUA_LOGIN_MAX_FAILURES (10) wrong passwords for one account, or
from one client address, the right password is refused too — with a Vietnamese message on the login page and
429 — until the cool-off has passed or an administrator unlocks; behind the proxy the address is the one the
proxy gave, so a forged X-Forwarded-For does not help."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"
LOCKED = "Đăng nhập đã bị tạm khóa vì nhập sai mật khẩu quá nhiều lần"


def _login(client, username, password, **extra):
    return client.post(reverse("core:login"), {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_even_from_other_addresses(client):
    make_staff("cv", Role.SPECIALIST)
    statuses = [_login(client, "cv", f"wrong-{i}", REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(10)]
    assert statuses == [200] * 9 + [429]  # the tenth failure locks
    response = _login(client, "cv", PASSWORD, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert not _signed_in(client)


def test_nine_wrong_passwords_then_the_right_one_signs_in(client):
    make_staff("cv", Role.SPECIALIST)
    for i in range(9):
        _login(client, "cv", f"wrong-{i}")
    assert _login(client, "cv", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_ten_wrong_passwords_from_one_address_lock_that_address_for_every_account(client):
    make_staff("cv", Role.SPECIALIST)
    for i in range(10):
        _login(client, f"nobody{i}", "wrong", REMOTE_ADDR="198.51.100.9")
    assert _login(client, "cv", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 429
    assert not _signed_in(client)
    assert _login(client, "cv", PASSWORD, REMOTE_ADDR="198.51.100.10").status_code == 302  # another address


def test_the_lock_ends_after_the_cool_off(client):
    make_staff("cv", Role.SPECIALIST)
    for i in range(10):
        _login(client, "cv", f"wrong-{i}")
    assert _login(client, "cv", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "cv", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_administrator_unlocks_in_the_admin(client):
    make_staff("cv", Role.SPECIALIST)
    for i in range(10):
        _login(client, "cv", f"wrong-{i}")
    assert _login(client, "cv", PASSWORD).status_code == 429
    admin_client = client.__class__()
    admin_client.force_login(make_staff("quantri", Role.ADMINISTRATOR))
    from motcua.core.models import User

    User.objects.filter(username="quantri").update(is_staff=True, is_superuser=True)
    ids = list(AccessAttempt.objects.values_list("id", flat=True))
    assert ids
    response = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _login(client, "cv", PASSWORD).status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_address_lock(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    make_staff("cv", Role.SPECIALIST)
    for i in range(10):
        _login(client, f"nobody{i}", "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.7")
    response = _login(client, "cv", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_sign_in_without_a_client_address_is_recorded(client):
    """force_login and sign-ins made in code have no REMOTE_ADDR: axes records them without an address
    (PostgreSQL's inet column refused the word "unknown")."""
    client.force_login(make_staff("cv", Role.SPECIALIST))
    assert client.get(reverse("core:home")).status_code == 200
