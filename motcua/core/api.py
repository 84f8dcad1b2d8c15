"""API plumbing shared by all apps: the error mapping and role permissions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .roles import user_has_role


def exception_handler(exc, ctx):
    """Map application errors once: 400 with field errors, 403, 404, 409."""
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"code": "invalid", "detail": "Dữ liệu không hợp lệ.", "fields": fields}, status=400)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response({"code": "invalid", "detail": "Dữ liệu không hợp lệ.", "fields": detail}, status=400)
    response = drf_exception_handler(exc, ctx)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        # One error body for the whole API (core.openapi): DRF's own errors (401, 403, 404, 405, 415, 429…)
        # get the machine-readable code beside their message.
        if isinstance(exc, Http404):
            code = "not_found"
        elif isinstance(exc, PermissionDenied):
            code = "permission_denied"
        else:
            codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
            code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        response.data.setdefault("code", code)
        if translation.get_language() and translation.get_language().startswith("vi") and code in DRF_MESSAGES_VI:
            response.data["detail"] = DRF_MESSAGES_VI[code]  # DRF's Vietnamese catalogue lacks these
    return response


DRF_MESSAGES_VI = {
    "not_authenticated": "Chưa đăng nhập hoặc chưa gửi mã xác thực (token).",
    "authentication_failed": "Thông tin xác thực không đúng.",
    "not_found": "Không tìm thấy.",
    "method_not_allowed": "Phương thức không được hỗ trợ.",
    "unsupported_media_type": "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    "not_acceptable": "Không trả lời được theo định dạng yêu cầu.",
    "parse_error": "Dữ liệu gửi lên không đọc được.",
    "throttled": "Quá nhiều yêu cầu; vui lòng thử lại sau.",
}


def HasRole(*roles: str) -> type[permissions.BasePermission]:  # noqa: N802 - reads like a class in permission_classes
    """DRF permission: authenticated and holding one of the roles (administrators pass)."""

    class _HasRole(permissions.BasePermission):
        message = "Bạn không có quyền thực hiện thao tác này."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and user_has_role(request.user, *roles))

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole
