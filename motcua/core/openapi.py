"""The API's error answers in the OpenAPI schema: one shared `Error` body (what `core.api.exception_handler`
and `core.request_guard` write) and the statuses every operation can answer with, added by a
drf-spectacular postprocessing hook so each endpoint does not have to repeat them."""

from __future__ import annotations

# Any operation: bad input, no or bad token, a role or agency that may not, not found, a method refused,
# too many requests, the database unreachable. Writes also: a state that forbids it, an Idempotency-Key
# used for another body.
COMMON = {
    "400": "Dữ liệu hoặc tham số không hợp lệ (`fields` nêu từng trường).",
    "401": "Thiếu hoặc sai token (`WWW-Authenticate: Token`).",
    "403": "Không có quyền (vai trò hoặc cơ quan).",
    "404": "Không tìm thấy.",
    "405": "Phương thức không được hỗ trợ.",
    "429": "Quá nhiều yêu cầu; thử lại sau (`Retry-After`).",
    "503": "Tạm thời không kết nối được cơ sở dữ liệu (`Retry-After`) hoặc kho lưu trữ tệp (`storage_unavailable`); thử lại sau.",
}
WRITES = {
    "409": "Thao tác xung đột với trạng thái hiện tại.",
    "422": "Idempotency-Key đã dùng cho một yêu cầu khác.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


# The body every error answer of the API has (core.errors.ApplicationError.as_dict, core.api.exception_handler).
ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi của API",
    "properties": {
        "code": {"type": "string", "description": "mã lỗi máy đọc được, ví dụ invalid, not_authenticated, conflict"},
        "detail": {"type": "string", "description": "thông báo bằng tiếng Việt"},
        "fields": {"type": "object", "description": "lỗi theo từng trường (400)", "additionalProperties": {}},
    },
    "required": ["code", "detail"],
}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the `Error` component and, on every operation, the error statuses it
    does not document itself."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = dict(COMMON, **(WRITES if method in WRITE_METHODS else {}))
            for status, description in statuses.items():
                operation["responses"].setdefault(
                    status, {"content": {"application/json": {"schema": ref}}, "description": description}
                )
    return result
