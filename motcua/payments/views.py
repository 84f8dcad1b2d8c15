"""The gateway's two ways back to motcua: the server-to-server IPN (the only one believed) and the page the
applicant's browser returns to (it shows the result, never confirms anything)."""

from __future__ import annotations

import json
import logging

from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .providers import Outcome, provider_for

log = logging.getLogger("motcua.payments")


@csrf_exempt
@never_cache
@require_GET
def vnpay_ipn(request):
    """VNPay's IPN (GET, as VNPay sends it): always 200 with {"RspCode", "Message"}."""
    params = {k: v for k, v in request.GET.items() if k.startswith("vnp_")}
    try:
        result = services.payment_notice(provider="vnpay", params=params)
        body = result.answer
    except Exception:  # never a 500 to the gateway: it would retry; 99 says "unknown error"
        log.exception("VNPay IPN failed")
        body = provider_for("vnpay").answer(Outcome.OTHER)
    return JsonResponse(body)


@never_cache
@require_GET
def vnpay_return(request):
    """Where the gateway sends the applicant back. The signature is checked to word the page; the payment's
    state shown is the one the IPN recorded."""
    params = {k: v for k, v in request.GET.items() if k.startswith("vnp_")}
    notice = provider_for("vnpay").read_notice(params)
    payment = selectors.payment_by_ref(txn_ref=notice.txn_ref) if notice.verified and notice.txn_ref else None
    return render(
        request,
        "payments/return.html",
        {"verified": notice.verified and payment is not None, "notice": notice, "payment": payment},
        status=200 if notice.verified else 400,
    )


@csrf_exempt
@never_cache
@require_POST
def paygov_notify(request):
    """The national payment platform's callback (a JSON POST, server to server): always 200 with
    {"return_code", "return_msg"}."""
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deeply nested JSON
        body = None
    params = body if isinstance(body, dict) else {}
    try:
        answer = services.payment_notice(provider="paygov", params=params).answer
    except Exception:  # never a 500 to the platform
        log.exception("PayGov notice failed")
        answer = provider_for("paygov").answer(Outcome.OTHER)
    return JsonResponse(answer)


@never_cache
@require_GET
def paygov_return(request):
    """Where the national platform sends the applicant back: our signed reference is in the URL we gave it; the page
    shows the payment as the callback recorded it (nothing the browser brings is believed)."""
    try:
        ref = signing.Signer(salt=services.RETURN_SALT).unsign(request.GET.get("ref", "")[:200])
    except signing.BadSignature:
        ref = ""
    payment = selectors.payment_by_ref(txn_ref=ref) if ref else None
    if payment is not None and payment.provider != "paygov":
        payment = None
    return render(
        request,
        "payments/return.html",
        {"verified": payment is not None, "notice": None, "payment": payment},
        status=200 if payment is not None else 404,
    )


@never_cache
@require_GET
def receipt_download(request, token: str):
    """A receipt's PDF, by the secret of its link (mailed to the applicant, shown on the lookup page)."""
    receipt = selectors.receipt_by_token(token=token)
    if receipt is None:
        raise Http404
    response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{receipt.year}-{receipt.number:07d}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
