"""Citizen sign-in with OpenID Connect and "Hồ sơ của tôi": thin views over oidc, services and selectors."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import NotFoundError, ValidationFailed
from motcua.core.selectors import province_office
from motcua.dossiers.models import Dossier
from motcua.dossiers.validators import email_check, phone_check
from motcua.papers import selectors as papers_selectors
from motcua.papers import services as papers_services
from motcua.papers.forms import ReuseForm, cleaned
from motcua.portal.identity import CitizenIdentity, identity_clear, identity_of, identity_store

from . import oidc, selectors, services

logger = logging.getLogger(__name__)

PENDING_SESSION_KEY = "citizen_oidc_pending"  # state -> {"pending": …, "next": …}, the newest few (several tabs)
MAX_PENDING = 5


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("citizens:my-dossiers")


def _redirect_uri(request) -> str:
    return settings.CITIZEN_OIDC_REDIRECT_URI or request.build_absolute_uri(reverse("citizens:callback"))


def _render(request, template: str, context: dict, status: int = 200):
    context.setdefault("portal_agency", province_office())
    return render(request, template, context, status=status)


def _failed(request, error: oidc.OidcError):
    logger.info("Citizen sign-in refused: %s", error.reason)
    if identity_of(request) is not None:
        identity_clear(request)  # a refused sign-in never leaves anyone signed in
    return _render(request, "citizens/login_failed.html", {"message": error.message, "reason": error.reason}, status=error.status)


@never_cache
@require_GET
def login(request):
    """Start the sign-in: remember state, nonce and the PKCE verifier in the session, go to the provider."""
    try:
        cfg = oidc.OidcConfig.from_settings()
        url, pending = oidc.authorization_request(cfg, redirect_uri=_redirect_uri(request))
    except oidc.OidcError as exc:
        return _failed(request, exc)
    waiting = dict(request.session.get(PENDING_SESSION_KEY) or {})
    waiting[pending.state] = {
        "pending": oidc.pending_to_session(pending),
        "next": _safe_next(request, request.GET.get("next", "")),
    }
    request.session[PENDING_SESSION_KEY] = dict(list(waiting.items())[-MAX_PENDING:])
    return redirect(url)


def _checked_contact(check, value: str) -> str:
    try:
        return check(value) if value else ""
    except ValidationFailed:
        return ""  # not a value the dossier rules accept: the citizen types it instead (not locked)


@never_cache
@require_GET
def callback(request):
    """The provider's redirect back: verify everything, then sign the citizen in. A refusal leaves no identity
    in the session and says why, in Vietnamese (400, or 502 when the provider cannot be reached)."""
    waiting = dict(request.session.get(PENDING_SESSION_KEY) or {})
    entry = waiting.pop(str(request.GET.get("state", ""))[:100], None) or {}
    request.session[PENDING_SESSION_KEY] = waiting  # each pending request is used once, whatever the outcome
    pending = oidc.pending_from_session(entry.get("pending"))
    next_url = entry.get("next") or reverse("citizens:my-dossiers")
    try:
        cfg = oidc.OidcConfig.from_settings()
        claims = oidc.complete(cfg, pending=pending, params=request.GET.dict())
        mapped = oidc.mapped_claims(cfg, claims)
    except oidc.OidcError as exc:
        return _failed(request, exc)
    identity = CitizenIdentity(
        personal_id=mapped["personal_id"],
        full_name=mapped.get("full_name", "")[:255],
        birth_date=mapped.get("birth_date", "")[:10],
        address=mapped.get("address", "")[:500],
        phone=_checked_contact(phone_check, mapped.get("phone", ""))[:20],
        email=_checked_contact(email_check, mapped.get("email", ""))[:254],
        issuer=cfg.issuer,
    )
    services.citizen_sign_in(
        personal_id=identity.personal_id, full_name=identity.full_name, issuer=cfg.issuer, subject=str(claims["sub"])
    )
    identity_store(request, identity)
    messages.success(request, _("Đăng nhập thành công. Xin chào %(name)s.") % {"name": identity.full_name or _("Ông/Bà")})
    return redirect(_safe_next(request, next_url))


@require_POST
def logout(request):
    identity_clear(request)
    messages.success(request, _("Ông/Bà đã đăng xuất."))
    return redirect("portal:home")


@never_cache
def my_dossiers(request):
    identity = identity_of(request)
    if identity is None:
        return redirect(reverse("citizens:login") + "?next=" + reverse("citizens:my-dossiers"))
    return _render(
        request,
        "citizens/my_dossiers.html",
        {
            "identity": identity,
            "dossiers": selectors.my_dossiers(identity=identity),
            "drafts": selectors.my_drafts(identity=identity),
            "feedback_items": selectors.my_feedback(identity=identity),
            # The applicant's store of papers (motcua.papers) and the dossiers that may take one of them online.
            "papers": list(papers_selectors.store_of_citizen(personal_id=identity.personal_id)[:MAX_PAPERS]),
            "reuse_targets": papers_selectors.citizen_reuse_targets(personal_id=identity.personal_id),
        },
    )


MAX_PAPERS = 200


@require_POST
def reuse_paper(request, code: str):
    """The signed-in citizen takes a paper of their store into their own dossier, consenting with the same form."""
    identity = identity_of(request)
    if identity is None:
        return redirect(reverse("citizens:login") + "?next=" + reverse("citizens:my-dossiers"))
    dossier = Dossier.objects.filter(code=code, applicant_id_number=identity.personal_id).exclude(applicant_id_number="").first()
    if dossier is None:
        raise NotFoundError(_("Không tìm thấy hồ sơ."))
    data = cleaned(ReuseForm(request.POST))
    if not request.POST.get("consent"):
        raise ValidationFailed(fields={"consent": [_("Cần đồng ý cho cơ quan khai thác giấy tờ trong kho của Ông/Bà.")]})
    paper = papers_selectors.store_of_citizen(personal_id=identity.personal_id).filter(pk=data["paper"]).first()
    if paper is None:
        raise NotFoundError(_("Không tìm thấy giấy tờ trong kho của Ông/Bà."))
    component = dossier.procedure_version.components.filter(pk=data.get("component") or 0).first()
    papers_services.paper_reuse(actor=identity.actor, dossier=dossier, paper=paper, component=component, consent_given=True)
    messages.success(request, _("Đã dùng lại giấy tờ “%(name)s” cho hồ sơ %(code)s.") % {"name": paper.name, "code": code})
    return redirect("citizens:my-dossiers")
