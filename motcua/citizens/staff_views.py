"""Staff sign-in with the staff OpenID Connect provider (STAFF_OIDC_*), by the same code as citizens (oidc.py:
discovery, PKCE, state, nonce, ID token verified against the JWKS). The username claim must name an existing active
staff account: nobody is created, no role given. Django's login follows, so the two-factor gate
(core.twofactor) applies exactly as after a password."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import oidc, selectors, services

logger = logging.getLogger(__name__)

PENDING_SESSION_KEY = "staff_oidc_pending"


def enabled() -> bool:
    return bool(settings.STAFF_OIDC_ISSUER and settings.STAFF_OIDC_CLIENT_ID)


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("core:home")


def _redirect_uri(request) -> str:
    return settings.STAFF_OIDC_REDIRECT_URI or request.build_absolute_uri(reverse("citizens:staff-callback"))


def _failed(request, reason: str, message: str, status: int):
    logger.info("Staff OIDC sign-in refused: %s", reason)
    return render(request, "citizens/staff_login_failed.html", {"message": message, "reason": reason}, status=status)


@never_cache
@require_GET
def staff_login(request):
    try:
        cfg = oidc.OidcConfig.for_staff()
        url, pending = oidc.authorization_request(cfg, redirect_uri=_redirect_uri(request))
    except oidc.OidcError as exc:
        return _failed(request, exc.reason, exc.message, exc.status)
    request.session[PENDING_SESSION_KEY] = {
        "pending": oidc.pending_to_session(pending),
        "next": _safe_next(request, request.GET.get("next", "")),
    }
    return redirect(url)


@never_cache
@require_GET
def staff_callback(request):
    entry = request.session.pop(PENDING_SESSION_KEY, None) or {}  # used once, whatever the outcome
    pending = oidc.pending_from_session(entry.get("pending"))
    try:
        cfg = oidc.OidcConfig.for_staff()
        claims = oidc.complete(cfg, pending=pending, params=request.GET.dict())
    except oidc.OidcError as exc:
        return _failed(request, exc.reason, exc.message, exc.status)
    user = selectors.staff_for_oidc(username=str(claims.get(cfg.id_claim, "")).strip())
    if user is None:
        return _failed(
            request,
            "no_staff_account",
            _("Tài khoản định danh này không gắn với tài khoản cán bộ nào đang hoạt động. Vui lòng liên hệ quản trị hệ thống."),
            403,
        )
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # new session id
    services.staff_oidc_sign_in_record(user=user, issuer=cfg.issuer, subject=str(claims["sub"]))
    return redirect(entry.get("next") or reverse("core:home"))
