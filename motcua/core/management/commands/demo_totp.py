"""Print the current two-factor code of a demo user's device (seed_demo), so the demo's leaders and administrators
can sign in without an authenticator app. Only with DEBUG on, and only for the demo's own devices."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.demo import DEMO_DEVICE_NAME, TWO_FACTOR_USERS, demo_totp_key


class Command(BaseCommand):
    help = "In mã xác thực hai lớp hiện tại của tài khoản minh họa (chỉ khi DEBUG bật)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=TWO_FACTOR_USERS)

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Chỉ dùng cho bản minh họa (DEBUG=1).")
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, key=demo_totp_key(username)).first()
        if device is None:
            raise CommandError(f"{username} không có thiết bị minh họa (chạy seed_demo trước).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
