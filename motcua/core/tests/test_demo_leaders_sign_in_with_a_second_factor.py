"""The demo (make run) keeps working with the second factor required: seed_demo gives the leader and the administrator
a device, `demo_totp` prints a code that signs them in (only with DEBUG on), and the secret it prints matches."""

import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core import demo

pytestmark = pytest.mark.django_db


def test_demo_leader_signs_in_with_the_printed_code(client, settings):
    settings.MOTCUA_REQUIRE_2FA = True
    settings.DEBUG = True
    demo.seed()
    demo.seed()  # idempotent: still one device each
    assert TOTPDevice.objects.filter(user__username__in=demo.TWO_FACTOR_USERS, confirmed=True).count() == 2
    assert client.post(reverse("core:login"), {"username": "lanhdao", "password": demo.DEMO_PASSWORD}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302  # the code first
    out = StringIO()
    call_command("demo_totp", "lanhdao", stdout=out)
    assert client.post(reverse("core:otp-verify"), {"token": out.getvalue().strip()}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_printed_secret_is_the_device_key():
    demo.seed()
    secrets = dict(demo.two_factor_secrets())
    device = TOTPDevice.objects.get(user__username="quantri")
    assert base64.b32decode(secrets["quantri"]) == device.bin_key


def test_demo_totp_refuses_without_debug(settings):
    settings.DEBUG = False
    demo.seed()
    with pytest.raises(CommandError):
        call_command("demo_totp", "lanhdao", stdout=StringIO())
