"""Two-factor sign-in for staff (TOTP through django-otp).

After the password (the login page, throttled by django-axes), a staff member who has a confirmed TOTP device
must enter the 6-digit code of the authenticator app before anything else. Leaders (who sign) and administrators
must have one when `MOTCUA_REQUIRE_2FA` is on (the default): they are sent to the enrolment page until they have
confirmed a device. The others may enrol themselves. An administrator removes a lost device in the admin
(TOTP devices); the user then enrols again."""

from __future__ import annotations

import base64
from io import BytesIO
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role, user_roles

REQUIRED_ROLES = (Role.LEADER, Role.ADMINISTRATOR)
DEVICE_NAME = "Ứng dụng xác thực"


def required_for(user) -> bool:
    """Leaders and administrators (and superusers) must use a second factor when MOTCUA_REQUIRE_2FA is on."""
    if not settings.MOTCUA_REQUIRE_2FA:
        return False
    return bool(user.is_superuser or set(user_roles(user)) & set(REQUIRED_ROLES))


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def has_device(user) -> bool:
    return confirmed_devices(user).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(text: str) -> str:
    """A PNG QR code rendered here (no external service), as a data: URI the CSP allows for images."""
    buffer = BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def safe_next(request, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz")


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: a signed-in user who must pass the second factor and has not yet
    reaches only the verification and enrolment pages and logout (API calls with the session get 403 JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, no signed-in user to gate: leave the session untouched (a token API call must not
            # read it, or every answer would carry "Vary: Cookie").
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            answer = self._gate(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _gate(self, request, user):
        open_paths = {reverse("core:otp-verify"), reverse("core:otp-enrol"), reverse("core:logout"), reverse("core:login")}
        if request.path in open_paths or request.path.startswith(EXEMPT_PREFIXES):
            return None
        if has_device(user):
            target = "core:otp-verify"
        elif required_for(user):
            target = "core:otp-enrol"
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Cần xác thực hai lớp trước khi dùng API bằng phiên đăng nhập.")}, status=403)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
