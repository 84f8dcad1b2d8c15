"""Two-factor sign-in (TOTP, django-otp) with MOTCUA_REQUIRE_2FA on (the production and demo default): leaders and
administrators are sent to enrolment until they confirm a device, then must enter its code after the password;
other staff may enrol and, once they have, must enter it too; a wrong code is refused."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"
WRONG = "Mã xác thực không đúng hoặc đã hết hạn"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MOTCUA_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code does not delay the next try in these tests


def _code(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _password_login(client, username):
    response = client.post(reverse("core:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _wrong(code: str) -> str:
    return f"{(int(code) + 500000) % 1000000:06d}"


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMINISTRATOR])
def test_leader_and_administrator_are_sent_to_enrolment_until_they_confirm_a_device(client, role):
    make_staff("sep", role)
    _password_login(client, "sep")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp-enrol"))
    page = client.get(reverse("core:otp-enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/png;base64,' in html  # the QR code, drawn here
    device = TOTPDevice.objects.get(user__username="sep", confirmed=False)
    assert client.post(reverse("core:otp-enrol"), {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditLog.objects.filter(action="staff.two_factor_enrol", actor__username="sep").exists()


def test_enrolment_refuses_a_wrong_code(client):
    make_staff("sep", Role.LEADER)
    _password_login(client, "sep")
    client.get(reverse("core:otp-enrol"))
    device = TOTPDevice.objects.get(user__username="sep")
    response = client.post(reverse("core:otp-enrol"), {"token": _wrong(_code(device))})
    assert response.status_code == 400 and WRONG in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMINISTRATOR])
def test_an_enrolled_leader_or_administrator_needs_the_code_after_the_password(client, role):
    user = make_staff("sep", role)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _password_login(client, "sep")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp-verify"))
    assert client.get("/admin/").status_code == 302
    refused = client.post(reverse("core:otp-verify"), {"token": _wrong(_code(device))})
    assert refused.status_code == 400 and WRONG in refused.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    assert client.post(reverse("core:otp-verify"), {"token": _code(device), "next": "/staff/"})["Location"] == "/staff/"
    assert client.get(reverse("core:home")).status_code == 200


def test_other_staff_may_sign_in_without_a_second_factor(client):
    make_staff("cv", Role.SPECIALIST)
    _password_login(client, "cv")
    assert client.get(reverse("core:home")).status_code == 200


def test_other_staff_who_enrolled_must_enter_the_code(client):
    user = make_staff("cv", Role.SPECIALIST)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _password_login(client, "cv")
    assert client.get(reverse("core:home")).status_code == 302
    assert client.post(reverse("core:otp-verify"), {"token": "abc"}).status_code == 400
    client.post(reverse("core:otp-verify"), {"token": _code(device)})
    assert client.get(reverse("core:home")).status_code == 200


def test_a_password_alone_cannot_add_a_device_to_an_enrolled_account(client):
    user = make_staff("sep", Role.LEADER)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _password_login(client, "sep")
    response = client.get(reverse("core:otp-enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("core:otp-verify")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_api_with_an_unverified_session_is_refused(client):
    make_staff("sep", Role.LEADER)
    _password_login(client, "sep")
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 403
    assert "xác thực hai lớp" in response.json()["detail"]


def test_without_the_requirement_a_leader_without_a_device_gets_in(client, settings):
    settings.MOTCUA_REQUIRE_2FA = False
    make_staff("sep", Role.LEADER)
    _password_login(client, "sep")
    assert client.get(reverse("core:home")).status_code == 200


def test_staff_home_links_to_enrolment(client):
    make_staff("cv", Role.SPECIALIST)
    _password_login(client, "cv")
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:otp-enrol")}"' in html
    page = client.get(reverse("core:otp-enrol"))
    assert page.status_code == 200 and "Khóa bí mật" in page.content.decode()
