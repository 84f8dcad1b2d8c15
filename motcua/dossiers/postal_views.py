"""The postal operator's tracking callback (signed, replay-safe, idempotent), the desk's answer to a failed
delivery, and the postal panel of the staff dossier page. Thin: the rules are in dossiers.postal."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ParseError

from motcua.core.errors import ApplicationError, NotFoundError, PermissionDeniedError, ValidationFailed
from motcua.core.parsers import loads_limited
from motcua.core.permissions import role_required
from motcua.core.roles import Role

from . import postal
from .api import _get_for
from .models import Dossier, PostalOrder

log = logging.getLogger("motcua.postal")


@csrf_exempt
@never_cache
@require_POST
def tracking_callback(request: HttpRequest):
    """POST from the postal operator: one tracking event, signed (X-Postal-Timestamp, X-Postal-Signature).
    401 unsigned, wrongly signed or too old (nothing changes); 400 invalid; 404 unknown order; 200 otherwise,
    with {"result": "applied" | "duplicate" | "stale"} (a repeat answers 200 so the operator stops sending)."""
    body, headers = request.body, request.headers
    stamp, sent = headers.get(postal.TIMESTAMP_HEADER, ""), headers.get(postal.SIGNATURE_HEADER, "")
    if not postal.signature_valid(timestamp=stamp, sent=sent, body=body):
        log.warning("postal callback refused: bad or old signature")
        return JsonResponse({"error": "invalid_signature"}, status=401)
    try:
        event = loads_limited(body)  # deep nesting or NUL: 400, not a RecursionError or a database error
        return JsonResponse(postal.tracking_event_apply(event=event))
    except (ParseError, ValueError):
        return JsonResponse({"error": "invalid_json"}, status=400)
    except ValidationFailed as exc:
        return JsonResponse({"error": "invalid_event", "errors": exc.fields}, status=400)
    except NotFoundError as exc:
        return JsonResponse({"error": "unknown_order", "detail": exc.message}, status=404)


@require_POST
@role_required(Role.ONE_STOP_OFFICER, Role.LEADER)
def failure_resolve(request: HttpRequest, code: str):
    """The desk sends a returned result again by post, or keeps it for the applicant at the counter."""
    dossier = _get_for(request.user, code)  # another agency's dossier: 404
    try:
        postal.postal_failure_resolve(
            dossier=dossier, actor=request.user, how=request.POST.get("how", ""), note=request.POST.get("note", "")[:500]
        )
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        details = "; ".join(e for errs in exc.fields.values() for e in errs)
        messages.error(request, f"{exc.message} {details}".strip())
    else:
        messages.success(request, _("Đã xử lý bưu gửi chuyển hoàn."))
    return redirect("dossiers:detail", code=code)


def panel(request: HttpRequest, dossier: Dossier) -> str:
    """The dossier's postal orders (tracking codes and states) and, after a failed delivery, the desk's choices."""
    orders = list(PostalOrder.objects.filter(dossier=dossier).order_by("id"))
    if not orders:
        return ""
    failed = [o for o in orders if o.state == PostalOrder.State.FAILED and o.resolved_at is None]
    return render_to_string(
        "dossiers/_postal_panel.html",
        {
            "dossier": dossier,
            "orders": orders,
            "failed": failed,
            "failed_pickup": any(o.kind == PostalOrder.Kind.PICKUP for o in failed),
            "connected": postal.connected(),
        },
        request=request,
    )
