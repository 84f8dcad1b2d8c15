"""Checks of files uploaded on the public site: type judged by content (the `filetype` magic numbers),
and the name's extension must agree with it (a PNG or a program renamed .pdf is refused), size and
count limits. Messages are Vietnamese and name the file, so the applicant knows which one to fix."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import filetype
from django.conf import settings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# Detected type → (stored extension, extensions a name may have, label for messages).
ALLOWED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "application/pdf": (".pdf", (".pdf",), "PDF"),
    "image/jpeg": (".jpg", (".jpg", ".jpeg"), "ảnh JPEG"),
    "image/png": (".png", (".png",), "ảnh PNG"),
    DOCX: (".docx", (".docx",), "Word (DOCX)"),
    XLSX: (".xlsx", (".xlsx",), "Excel (XLSX)"),
    ODT: (".odt", (".odt",), "văn bản ODT"),
}
ACCEPT_ATTR = ",".join(sorted({ext for _, exts, _ in ALLOWED.values() for ext in exts}))
ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX, XLSX, ODT"


def max_file_bytes() -> int:
    return int(getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", settings.MOTCUA_MAX_UPLOAD_BYTES))


def max_files_per_component() -> int:
    return int(getattr(settings, "PORTAL_MAX_FILES_PER_COMPONENT", 5))


def max_files_per_dossier() -> int:
    return int(getattr(settings, "PORTAL_MAX_FILES_PER_DOSSIER", 30))


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def upload_check(upload) -> CheckedUpload:
    """Check one uploaded file; raise ValueError with a Vietnamese message when it is refused."""
    name = os.path.basename(getattr(upload, "name", "") or "tệp")[:255]
    size = upload.size or 0
    if size == 0:
        raise ValueError(f"Tệp “{name}” rỗng.")
    limit = max_file_bytes()
    if size > limit:
        raise ValueError(f"Tệp “{name}” có dung lượng {human_size(size)}, vượt quá giới hạn {human_size(limit)}.")
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        detected = f" (nội dung thực là {kind.mime})" if kind is not None else ""
        raise ValueError(f"Tệp “{name}” không đúng định dạng được chấp nhận{detected}. Chỉ nhận {ALLOWED_LABEL}.")
    stored_ext, name_exts, label = ALLOWED[kind.mime]
    ext = os.path.splitext(name)[1].lower()
    if ext not in name_exts:
        raise ValueError(f"Tệp “{name}” có đuôi {ext or '(không có)'} nhưng nội dung là {label}: "
                         "tên tệp không khớp với nội dung, vui lòng kiểm tra lại tệp.")
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(upload=upload, name=name, content_type=kind.mime, extension=stored_ext, size=size,
                         sha256=digest.hexdigest())
