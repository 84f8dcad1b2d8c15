"""Pages of the staff sign-in that come after the password: the TOTP code, enrolment of an authenticator app;
and the login page shown while django-axes locks an account or an address out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from . import twofactor
from .permissions import staff_required
from .services import audit_record

WRONG_CODE = gettext_lazy("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã 6 chữ số đang hiển thị trong ứng dụng.")


def _token(request) -> str:
    return "".join((request.POST.get("token") or "").split())[:16]


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def otp_verify(request):
    """Second step of the login: the code of a confirmed device."""
    if request.user.is_verified():
        return redirect(twofactor.safe_next(request))
    if not twofactor.has_device(request.user):
        return redirect("core:otp-enrol")
    error, status = "", 200
    if request.method == "POST":
        device = match_token(request.user, _token(request)) if _token(request).isdigit() else None
        if device is not None:
            otp_login(request, device)
            return redirect(twofactor.safe_next(request))
        error, status = str(WRONG_CODE), 400
    return render(
        request,
        "core/otp_verify.html",
        {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def otp_enrol(request):
    """Add an authenticator app: scan the QR code (or type the secret), confirm with one code."""
    user = request.user
    if twofactor.has_device(user) and not user.is_verified():
        return redirect("core:otp-verify")  # a password alone never adds a device to an account that has one
    if twofactor.has_device(user):
        return render(request, "core/otp_enrol.html", {"enrolled": True})
    device = twofactor.pending_device(user)
    error, status = "", 200
    if request.method == "POST":
        token = _token(request)
        if token.isdigit() and device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=user, action="staff.two_factor_enrol", obj=user, changes={"device": device.name})
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
            return redirect(twofactor.safe_next(request))
        error, status = str(WRONG_CODE), 400
    context = {
        "qr": twofactor.qr_data_uri(device.config_url),
        "secret": twofactor.secret_base32(device),
        "error": error,
        "required": twofactor.required_for(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "core/otp_enrol.html", context, status=status)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the login page again, with the lock-out explained, status 429."""
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1) if settings.AXES_COOLOFF_TIME else None
    form = AuthenticationForm(request)
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": True,
            "cooloff_minutes": minutes,
            "next": request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", ""),
        },
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
