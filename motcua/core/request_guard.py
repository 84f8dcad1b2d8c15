"""Answers for requests that must not reach a view, and for faults a view cannot answer itself.

- `RequestGuardMiddleware`: `TRACE`/`TRACK`/`CONNECT` → 405 everywhere; a NUL character in the path, the
  query string or a posted form → 400 before any view or query runs (PostgreSQL refuses NUL in text, so one
  such byte would otherwise become a server error wherever the value reaches the database). JSON bodies
  are checked by the API's parser (`core.parsers`).
- `bad_request`, and `core.views.page_not_found` / `permission_denied`: JSON for API clients.
- `server_error` (the project's `handler500`): a fault the code did not answer — JSON for API clients
  (`/api/`, `/open311/`), a Vietnamese page for people; 503 with `Retry-After` when the database cannot
  be reached. The page is rendered without the request's context (no session, no user), so it needs no
  database — except for a signed-in staff member, who gets the staff layout when it can be drawn.

Both answer JSON in the API's error shape (`{"code", "detail", "fields"?}`, see `core.errors`)."""

from __future__ import annotations

import sys

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _

from .errors import ApplicationError

JSON_PREFIXES = ("/api/", "/open311/")
REFUSED_METHODS = {"TRACE", "TRACK", "CONNECT"}
ALLOWED_METHODS = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"


def wants_json(request) -> bool:
    return request.path.startswith(JSON_PREFIXES) or request.path == "/healthz"


def error_response(
    request, error: ApplicationError, *, status: int | None = None, template: str = "core/error.html", headers: dict | None = None
) -> HttpResponse:
    """`error` as the API's JSON body or as the friendly page, with `status` (default: the error's)."""
    status = status or error.status_code
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=status, headers=headers, json_dumps_params={"ensure_ascii": False})
    body = get_template(template).render({"error": error})
    return HttpResponse(body, status=status, headers=headers, content_type="text/html; charset=utf-8")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_in(data) -> bool:
    return any("\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values) for key, values in data.lists())


def _has_nul(request) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    if "\x00" in request.META.get("QUERY_STRING", "") or _nul_in(request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        # A form field's value reaches lookups (a choice by code, a related row by name): PostgreSQL refuses NUL.
        return _nul_in(request.POST) or any(
            "\x00" in key or any("\x00" in (f.name or "") for f in files) for key, files in request.FILES.lists()
        )
    return False


class RequestGuardMiddleware:
    """Refuse TRACE and NUL characters in the path or query before anything else reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            error = ApplicationError(
                _("Phương thức %(method)s không được hỗ trợ.") % {"method": request.method}, code="method_not_allowed"
            )
            return error_response(request, error, status=405, headers={"Allow": ALLOWED_METHODS})
        try:
            nul = _has_nul(request)
        except (MultiPartParserError, SuspiciousOperation):  # a body that cannot be read, too big, too many fields
            return error_response(request, ApplicationError(_("Nội dung gửi lên không đọc được."), code="invalid_body"))
        if nul:
            error = ApplicationError(
                _("Địa chỉ, tham số hoặc nội dung gửi lên chứa ký tự không hợp lệ (NUL)."), code="invalid_characters"
            )
            return error_response(request, error, status=400)
        return self.get_response(request)


def bad_request(request, exception=None):
    """handler400 (Django's own refusals: a body too big, too many fields, a bad Host)."""
    return error_response(request, ApplicationError(_("Yêu cầu không hợp lệ.")), status=400)


def server_error(request, *args, **kwargs):
    """handler500: Django calls it while handling the exception, so sys.exc_info() names the fault."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        error = ApplicationError(
            _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Xin vui lòng thử lại sau ít phút."), code="service_unavailable"
        )
        return error_response(request, error, status=503, headers={"Retry-After": "30"})
    request_id = getattr(request, "request_id", "")
    error = ApplicationError(
        _("Đã có lỗi phía máy chủ. Xin vui lòng thử lại sau; nếu lỗi lặp lại, hãy báo mã yêu cầu %(id)s cho cơ quan.")
        % {"id": request_id},
        code="server_error",
    )
    if not wants_json(request):
        # A signed-in staff member keeps the staff layout and menu; any fault while drawing it falls back to
        # the page that needs no database.
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return render(request, "core/error.html", {"error": error}, status=500)
        except Exception:  # noqa: BLE001, S110 - the plain page below is the answer
            pass
    return error_response(request, error, status=500)
