"""Files uploaded on the public site, checked by the one upload policy (`motcua.core.uploads`): type by
content and parsed as that type, no embedded executable, the name's extension agreeing with the content,
size and count limits. Messages are Vietnamese and name the file, so the applicant knows which one to fix."""

from __future__ import annotations

from django.conf import settings

from motcua.core import uploads as policy
from motcua.core.uploads import CheckedFile as CheckedUpload
from motcua.core.uploads import human_size

__all__ = [
    "ACCEPT_ATTR",
    "ALLOWED_LABEL",
    "CheckedUpload",
    "human_size",
    "max_file_bytes",
    "max_files_per_component",
    "max_files_per_dossier",
    "upload_check",
]

ACCEPT_ATTR = policy.accept_attr(policy.PUBLIC_TYPES)
ALLOWED_LABEL = policy.labels(policy.PUBLIC_TYPES)


def max_file_bytes() -> int:
    return settings.PORTAL_MAX_UPLOAD_BYTES


def max_files_per_component() -> int:
    return settings.PORTAL_MAX_FILES_PER_COMPONENT


def max_files_per_dossier() -> int:
    return settings.PORTAL_MAX_FILES_PER_DOSSIER


def upload_check(upload) -> CheckedUpload:
    """Check one uploaded file; raise ValueError (UploadRejected) with a Vietnamese message when it is refused."""
    return policy.upload_check(upload, types=policy.PUBLIC_TYPES, name_must_match=True, max_bytes=max_file_bytes())
