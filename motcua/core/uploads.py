"""The one upload policy: every file received (desk, online submission, PAKN, document registers) is
checked here before anything is stored.

A file is accepted only when

- its size is within the limit and it is not empty;
- its type, detected from its content (`filetype` magic numbers, never the name or the browser's word),
  is one the caller accepts;
- it parses as that type: a PDF opens with pypdf and has 1 to `MOTCUA_UPLOAD_MAX_PDF_PAGES` pages and no
  more than a little data after its last `%%EOF`; an image opens and verifies with Pillow and has no more
  than `MOTCUA_UPLOAD_MAX_IMAGE_PIXELS` pixels (decompression bombs); an Office/ODF file is a zip with the
  parts its format requires, whose entries inflate to no more than `MOTCUA_UPLOAD_MAX_UNZIPPED_BYTES` in
  all, at no more than `MOTCUA_UPLOAD_MAX_ZIP_RATIO` times their compressed size (zip bombs), each
  entry decompressed in full to check its size and CRC;
- no executable (ELF or PE header) is embedded anywhere in it (PDF/executable polyglots);
- where the caller asks (the public site), the name's extension agrees with the content.

Refusals raise `UploadRejected` (a ValueError) with a Vietnamese message naming the file;
`upload_check_field` raises `ValidationFailed` for one form/API field instead.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import ValidationFailed

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str  # the extension a stored file gets
    name_extensions: tuple[str, ...]  # extensions a name may have for this content
    label: str  # for messages (translated when shown)
    short: str  # for the list of accepted types


KINDS: dict[str, Kind] = {
    k.mime: k
    for k in (
        Kind(PDF, ".pdf", (".pdf",), "PDF", "PDF"),
        Kind(JPEG, ".jpg", (".jpg", ".jpeg"), gettext_lazy("ảnh JPEG"), "JPEG"),
        Kind(PNG, ".png", (".png",), gettext_lazy("ảnh PNG"), "PNG"),
        Kind(TIFF, ".tif", (".tif", ".tiff"), gettext_lazy("ảnh TIFF"), "TIFF"),
        Kind(DOCX, ".docx", (".docx",), "Word (DOCX)", "DOCX"),
        Kind(XLSX, ".xlsx", (".xlsx",), "Excel (XLSX)", "XLSX"),
        Kind(ODT, ".odt", (".odt",), gettext_lazy("văn bản ODT"), "ODT"),
    )
}
# Staff (desk, document registers) may also file TIFF scans; the public site takes what a browser shows.
STAFF_TYPES: tuple[str, ...] = (PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT)
PUBLIC_TYPES: tuple[str, ...] = (PDF, JPEG, PNG, DOCX, XLSX, ODT)

# Parts a zip must hold to be the format its content claims.
_ZIP_PARTS = {
    DOCX: ("[Content_Types].xml", "word/document.xml"),
    XLSX: ("[Content_Types].xml", "xl/workbook.xml"),
    ODT: ("mimetype", "content.xml"),
}
_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}
# Entries smaller than this may have any ratio (a small XML part of repeated text compresses very well).
_RATIO_FLOOR_BYTES = 1024 * 1024
# Data tolerated after a PDF's last %%EOF (some producers add padding or a short comment).
_PDF_TRAILER_SLACK = 1024


class UploadRejected(ValueError):
    """A refused file; the message (Vietnamese) names it."""


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


# --- limits (declared in settings.py from the environment, read here at each call) ---------------------


def max_upload_bytes() -> int:
    return settings.MOTCUA_MAX_UPLOAD_BYTES


def max_pdf_pages() -> int:
    return settings.MOTCUA_UPLOAD_MAX_PDF_PAGES


def max_image_pixels() -> int:
    return settings.MOTCUA_UPLOAD_MAX_IMAGE_PIXELS


def max_unzipped_bytes() -> int:
    return settings.MOTCUA_UPLOAD_MAX_UNZIPPED_BYTES


def max_zip_ratio() -> int:
    return settings.MOTCUA_UPLOAD_MAX_ZIP_RATIO


def max_zip_entries() -> int:
    return settings.MOTCUA_UPLOAD_MAX_ZIP_ENTRIES


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",").replace(",0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


def labels(types: tuple[str, ...]) -> str:
    """ "PDF, JPEG, PNG, …" for messages and help texts."""
    return ", ".join(KINDS[t].short for t in types)


def accept_attr(types: tuple[str, ...]) -> str:
    """The `accept` attribute of a file input for these types."""
    return ",".join(sorted({ext for t in types for ext in KINDS[t].name_extensions}))


# --- the check --------------------------------------------------------------------------------------


def upload_check(
    upload, *, types: tuple[str, ...] = STAFF_TYPES, name_must_match: bool = False, max_bytes: int | None = None
) -> CheckedFile:
    """Check one uploaded file (a Django UploadedFile or any object with name/size/read/seek) and
    return what is to be stored. Raises UploadRejected."""
    name = os.path.basename(getattr(upload, "name", "") or "") or _("tệp")
    size = getattr(upload, "size", None)
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    if size is not None and size > limit:  # refused before it is read
        raise _too_large(name, size, limit)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    checked = bytes_check(name[:255], data, types=types, name_must_match=name_must_match, max_bytes=max_bytes, declared_size=size)
    return CheckedFile(
        upload=upload,
        name=checked.name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
    )


def _too_large(name: str, size: int, limit: int) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(limit)s.")
        % {"name": name, "size": human_size(size), "limit": human_size(limit)}
    )


def upload_check_field(upload, *, field: str, **kwargs) -> CheckedFile:
    """`upload_check`, refusing with ValidationFailed for the named field (400 with field errors)."""
    try:
        return upload_check(upload, **kwargs)
    except UploadRejected as exc:
        raise ValidationFailed(fields={field: [str(exc)]}) from None


def bytes_check(
    name: str,
    data: bytes,
    *,
    types: tuple[str, ...] = STAFF_TYPES,
    name_must_match: bool = False,
    max_bytes: int | None = None,
    declared_size: int | None = None,
) -> CheckedFile:
    """Check a file given as its bytes (see the module's docstring). Raises UploadRejected."""
    name = os.path.basename(name or "") or _("tệp")
    size = len(data)
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    if size == 0:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if max(size, declared_size or 0) > limit:
        raise _too_large(name, max(size, declared_size or 0), limit)
    guess = filetype.guess(data[:8192])
    if guess is None or guess.mime not in types:
        if guess is None:
            raise UploadRejected(
                _("Tệp “%(name)s” không đúng định dạng được chấp nhận. Chỉ nhận %(accepted)s.")
                % {"name": name, "accepted": labels(types)}
            )
        raise UploadRejected(
            _("Tệp “%(name)s” không đúng định dạng được chấp nhận (nội dung thực là %(detected)s). Chỉ nhận %(accepted)s.")
            % {"name": name, "detected": guess.mime, "accepted": labels(types)}
        )
    kind = KINDS[guess.mime]
    if name_must_match:
        ext = os.path.splitext(name)[1].lower()
        if ext not in kind.name_extensions:
            raise UploadRejected(
                _(
                    "Tệp “%(name)s” có đuôi %(extension)s nhưng nội dung là %(kind)s: tên tệp không khớp "
                    "với nội dung, vui lòng kiểm tra lại tệp."
                )
                % {"name": name, "extension": ext or _("(không có)"), "kind": kind.label}
            )
    _no_executable(name, data)
    if kind.mime == PDF:
        _pdf_check(name, data)
    elif kind.mime in _PIL_FORMATS:
        _image_check(name, data, _PIL_FORMATS[kind.mime])
    elif kind.mime in _ZIP_PARTS:
        _zip_check(name, data, kind)
    return CheckedFile(
        upload=None,
        name=name,
        content_type=kind.mime,
        extension=kind.extension,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --- per format --------------------------------------------------------------------------------------

_ELF = re.compile(rb"\x7fELF[\x01\x02][\x01\x02]\x01")
_MZ = re.compile(rb"MZ")


def _no_executable(name: str, data: bytes) -> None:
    """An ELF header, or an MS-DOS header whose e_lfanew points at a PE signature, anywhere in the file."""
    refused = UploadRejected(_("Tệp “%(name)s” chứa mã chương trình thực thi nên không được chấp nhận.") % {"name": name})
    if _ELF.search(data):
        raise refused
    for match in _MZ.finditer(data):
        start = match.start()
        if start + 0x40 > len(data):
            break
        (offset,) = struct.unpack_from("<I", data, start + 0x3C)
        pe = start + offset
        if 0x40 <= offset <= 0x10000 and data[pe : pe + 4] == b"PE\x00\x00":
            raise refused


def _pdf_check(name: str, data: bytes) -> None:
    not_pdf = UploadRejected(
        _("Tệp “%(name)s” không phải là tệp PDF đọc được (tệp hỏng hoặc chỉ giả phần đầu của PDF).") % {"name": name}
    )
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise not_pdf
    if len(data[end + 5 :].strip(b"\r\n\t \x00")) > _PDF_TRAILER_SLACK:
        raise UploadRejected(
            _("Tệp “%(name)s” có dữ liệu lạ sau phần kết thúc của PDF nên không được chấp nhận.") % {"name": name}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise UploadRejected(
                    _("Tệp “%(name)s” là PDF có mật khẩu; vui lòng nộp bản không đặt mật khẩu.") % {"name": name}
                )
            pages = len(reader.pages)
    except UploadRejected:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        struct.error,
        NotImplementedError,
    ):
        raise not_pdf from None
    if pages < 1:
        raise UploadRejected(_("Tệp “%(name)s” là PDF không có trang nào.") % {"name": name})
    if pages > max_pdf_pages():
        raise UploadRejected(
            _("Tệp “%(name)s” có %(pages)d trang, vượt quá giới hạn %(limit)d trang.")
            % {"name": name, "pages": pages, "limit": max_pdf_pages()}
        )


def _image_check(name: str, data: bytes, expected_format: str) -> None:
    broken = UploadRejected(_("Tệp “%(name)s” không phải là ảnh đọc được (tệp hỏng hoặc giả định dạng).") % {"name": name})
    limit = max_image_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                fmt = image.format
                if width * height > limit:
                    raise UploadRejected(
                        _("Ảnh “%(name)s” có kích thước %(width)d×%(height)d điểm ảnh, vượt quá giới hạn %(limit)s điểm ảnh.")
                        % {"name": name, "width": width, "height": height, "limit": number_format(limit, force_grouping=True)}
                    )
                image.verify()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(_("Ảnh “%(name)s” có kích thước vượt quá giới hạn cho phép.") % {"name": name}) from None
    except Exception:  # noqa: BLE001 - Pillow's decoders raise many types for a broken file
        raise broken from None
    if fmt != expected_format or width < 1 or height < 1:
        raise broken


def _zip_check(name: str, data: bytes, kind: Kind) -> None:
    broken = UploadRejected(
        _("Tệp “%(name)s” không phải là tệp %(kind)s hợp lệ (tệp nén hỏng hoặc thiếu thành phần).")
        % {"name": name, "kind": kind.label}
    )
    bomb = UploadRejected(
        _("Tệp “%(name)s” khi giải nén lớn bất thường (nghi là “bom nén”) nên không được chấp nhận.") % {"name": name}
    )
    total_limit, ratio_limit = max_unzipped_bytes(), max_zip_ratio()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > max_zip_entries():
                raise bomb
            names = {info.filename for info in infos}
            if any(part not in names for part in _ZIP_PARTS[kind.mime]):
                raise broken
            declared = 0
            for info in infos:
                if info.flag_bits & 0x1:  # encrypted entry: its content cannot be checked
                    raise broken
                declared += info.file_size
                if declared > total_limit:
                    raise bomb
                if info.file_size > _RATIO_FLOOR_BYTES and info.file_size > ratio_limit * max(info.compress_size, 1):
                    raise bomb
            if declared > _RATIO_FLOOR_BYTES and declared > ratio_limit * len(data):
                raise bomb
            # Inflate every entry (in pieces) to check what the headers claim: zipfile stops at the
            # declared size and checks the CRC, so a header that lies about the size fails here.
            for info in infos:
                with archive.open(info) as member:
                    while member.read(1024 * 1024):
                        pass
            if kind.mime == ODT and archive.read("mimetype").strip() != ODT.encode():
                raise broken
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError, KeyError):
        raise broken from None
