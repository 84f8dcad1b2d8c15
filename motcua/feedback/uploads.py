"""Checks on uploaded attachments: the type is read from the file's content (magic bytes, with the
`filetype` package), never trusted from the name or the browser; the extension must agree with it;
the size is limited by settings.MOTCUA_MAX_UPLOAD_BYTES."""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings

from motcua.core.errors import ValidationFailed

# content type → extensions accepted for it
ALLOWED_TYPES = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
}
MAX_FILES = 5


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(settings.MOTCUA_MAX_UPLOAD_BYTES)


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def allowed_extensions_text() -> str:
    return ", ".join(sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts}))


def check_upload(upload) -> CheckedUpload:
    """Raise ValidationFailed (field 'attachments') unless the file is an allowed type by content,
    its name ends in an extension of that type, and it is not larger than the limit."""
    name = upload.name or "tep"
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationFailed(fields={"attachments": [f"Tệp “{name}” vượt quá dung lượng cho phép ({human_size(limit)})."]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = f"Chỉ nhận tệp {allowed_extensions_text()}."
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(fields={"attachments": [f"Tệp “{name}” không đúng định dạng cho phép theo nội dung tệp. {allowed}"]})
    if ext not in ALLOWED_TYPES[kind.mime]:
        raise ValidationFailed(fields={"attachments": [f"Tên tệp “{name}” không khớp với nội dung tệp ({kind.extension}). {allowed}"]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(file=upload, name=name, content_type=kind.mime, size=upload.size, sha256=digest.hexdigest())


def check_uploads(uploads: list) -> list[CheckedUpload]:
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(fields={"attachments": [f"Chỉ được đính kèm tối đa {MAX_FILES} tệp."]})
    return [check_upload(u) for u in uploads]
