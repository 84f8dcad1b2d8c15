"""One application exception hierarchy, mapped once to HTTP (core.api for the API,
core.middleware for pages). Services raise these; views never build error responses by hand."""


class ApplicationError(Exception):
    status_code = 400
    default_message = "Yêu cầu không hợp lệ."
    code = "invalid"

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(self.message)

    def as_dict(self) -> dict:
        data = {"code": self.code, "detail": self.message}
        if self.fields:
            data["fields"] = self.fields
        return data


class ValidationFailed(ApplicationError):
    status_code = 400
    default_message = "Dữ liệu không hợp lệ."
    code = "invalid"


class PermissionDeniedError(ApplicationError):
    status_code = 403
    default_message = "Bạn không có quyền thực hiện thao tác này."
    code = "forbidden"


class NotFoundError(ApplicationError):
    status_code = 404
    default_message = "Không tìm thấy."
    code = "not_found"


class ConflictError(ApplicationError):
    status_code = 409
    default_message = "Thao tác xung đột với trạng thái hiện tại."
    code = "conflict"


class TransitionNotAllowed(ConflictError):
    default_message = "Thao tác này không được phép ở trạng thái hiện tại."
    code = "transition_not_allowed"


class IdempotencyKeyReused(ApplicationError):
    """422: an Idempotency-Key sent again with a different request (payment APIs answer so)."""

    status_code = 422
    default_message = "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới."
    code = "idempotency_key_reused"
