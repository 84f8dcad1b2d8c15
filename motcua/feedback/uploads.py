"""Attachments of a PAKN, checked by the one upload policy (`motcua.core.uploads`): type by content and
parsed as that type, no embedded executable, the name's extension agreeing with the content, size limited
by settings.MOTCUA_MAX_UPLOAD_BYTES, at most MAX_FILES files."""

from dataclasses import dataclass

from motcua.core import uploads as policy
from motcua.core.errors import ValidationFailed
from motcua.core.uploads import human_size, max_upload_bytes

__all__ = [
    "MAX_FILES",
    "CheckedUpload",
    "allowed_extensions_text",
    "check_upload",
    "check_uploads",
    "human_size",
    "max_upload_bytes",
]

MAX_FILES = 5


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    content_type: str
    size: int
    sha256: str


def allowed_extensions_text() -> str:
    return ", ".join(sorted({ext.lstrip(".") for t in policy.PUBLIC_TYPES for ext in policy.KINDS[t].name_extensions}))


def check_upload(upload) -> CheckedUpload:
    """Raise ValidationFailed (field 'attachments') unless the upload policy accepts the file."""
    checked = policy.upload_check_field(upload, field="attachments", types=policy.PUBLIC_TYPES, name_must_match=True)
    return CheckedUpload(
        file=upload, name=checked.name, content_type=checked.content_type, size=checked.size, sha256=checked.sha256
    )


def check_uploads(uploads: list) -> list[CheckedUpload]:
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(fields={"attachments": [f"Chỉ được đính kèm tối đa {MAX_FILES} tệp."]})
    return [check_upload(u) for u in uploads]
