"""PAdES signing and verification with pyHanko.

- Signing: PAdES baseline B-B (CAdES detached, ETSI.CAdES.detached sub-filter, SHA-256); B-T when a
  timestamp server is configured (the setting MOTCUA_TSA_URL, read from the environment by settings.py). Signer keys come
  from PKCS#12 files whose path and passphrase environment variable are configured per person or for
  the agency seal (models.SigningIdentity); keys never enter the database or the repository.
- Visible signature boxes follow Decree 30/2020 Annex I: the signer's box sits in the signature block
  at the bottom right of the last page (between title and name), shows signer, agency and time; the
  agency seal box is red and sits just left of the signer's box, level with it, never over it (two
  overlapping signature widgets hide each other's text and click targets); attachments get the agency
  signature at the top right of their first page.
- Verification: every embedded signature is validated against a trust list of CA certificates (PEM
  or DER files) and reported as signer, signed_at, intact, valid, trusted, coverage.

The visible appearance is drawn with ReportLab (Liberation Serif, so Vietnamese renders) and imported
into the signature widget as a static stamp.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from motcua.core.pdf import SERIF, SERIF_BOLD, register_fonts

RED = Color(0.8, 0.05, 0.05)
BLUE = Color(0.05, 0.15, 0.55)
A4 = (595.0, 842.0)

# Boxes in points, measured from the page's bottom-left corner (x, y, width, height), right-anchored.
SIGNER_BOX = {"right": 45, "bottom": 105, "width": 220, "height": 72}
SEAL_BOX = {"width": 140, "height": 86, "gap": 6}  # left of the signer box, `gap` points apart, centred on it
ATTACHMENT_BOX = {"right": 20, "top": 20, "width": 200, "height": 56}


class _UntrustedPathFilter(logging.Filter):
    """pyHanko logs a warning with a traceback for every certificate that does not chain to the trust
    list; verify_pdf_bytes reports that as trusted=False, so the traceback is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (exc is not None and type(exc).__name__ == "PathBuildingError")


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(_UntrustedPathFilter())


class SigningError(Exception):
    pass


class SignerKind:
    SIGNER = "signer"
    SEAL = "seal"
    ATTACHMENT = "attachment"


def tsa_url() -> str | None:
    return settings.MOTCUA_TSA_URL or None


@lru_cache(maxsize=32)
def _load_signer_cached(path: str, mtime_ns: int, passphrase_digest: str, passphrase: bytes | None):
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    if signer is None:
        raise SigningError(f"Không đọc được tệp PKCS#12 {path} (sai mật khẩu hoặc tệp hỏng).")
    return signer


def load_signer(pkcs12_path: str | os.PathLike, *, passphrase_env: str | None = None, passphrase: bytes | None = None):
    """A pyHanko signer from a PKCS#12 file; the passphrase comes from the named environment variable."""
    path = str(pkcs12_path)
    if passphrase is None and passphrase_env:
        value = os.environ.get(passphrase_env)
        if value is None:
            raise SigningError(f"Biến môi trường {passphrase_env} (mật khẩu tệp ký số) chưa được đặt.")
        passphrase = value.encode("utf-8")
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        raise SigningError(f"Không tìm thấy tệp PKCS#12 {path}.")
    digest = hashlib.sha256(passphrase or b"").hexdigest()
    try:
        return _load_signer_cached(path, mtime, digest, passphrase)
    except SigningError:
        raise
    except Exception as exc:  # cryptography raises ValueError for a wrong passphrase
        raise SigningError(f"Không đọc được tệp PKCS#12 {path}: {exc}")


def signer_common_name(signer) -> str:
    subject = signer.signing_cert.subject.native
    return subject.get("common_name") or signer.signing_cert.subject.human_friendly


def _local_now() -> datetime:
    return datetime.now(ZoneInfo(settings.TIME_ZONE))


def format_vn_time(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{moment:%d/%m/%Y %H:%M:%S} {offset[:3]}:{offset[3:]}" if offset else f"{moment:%d/%m/%Y %H:%M:%S}"


def _box_pdf(
    width: float, height: float, lines: list[tuple[str, str, float]], color: Color, border: bool, text_from: float = 0.0
) -> bytes:
    """Draw the visible signature box (one page of exactly width × height points)."""
    register_fonts()
    regular, bold = SERIF, SERIF_BOLD
    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setStrokeColor(color)
    c.setFillColor(color)
    if border:
        c.setLineWidth(1)
        c.rect(1, 1, width - 2, height - 2, stroke=1, fill=0)
    total = sum(size * 1.25 for _, _, size in lines)
    y = (height + total) / 2
    for text, font, size in lines:
        y -= size * 1.25
        font_name = bold if font == "bold" else regular
        # shrink long lines to the box width
        room = width * (1 - text_from) - 8
        while size > 5 and c.stringWidth(text, font_name, size) > room:
            size -= 0.5
        c.setFont(font_name, size)
        c.drawCentredString(width * (1 + text_from) / 2, y + size * 0.25, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


class _PdfBytesPage(PdfContent):
    """A page of an in-memory PDF used as the signature appearance (pyHanko's own helper reads files)."""

    def __init__(self, data: bytes):
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(BytesIO(self.data)), page_ix=0)
        name = "/Sig" + uuid.uuid4().hex
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode("ascii") + b" Do"


def _page_geometry(reader: PdfFileReader, page_ix: int) -> tuple[int, float, float]:
    pages = reader.root["/Pages"]
    count = int(pages["/Count"])
    if page_ix < 0:
        page_ix = count + page_ix
    page_ix = max(0, min(page_ix, count - 1))
    try:
        page = reader.find_page_for_modification(page_ix)[0].get_object()
        box = page.get("/MediaBox") or pages.get("/MediaBox")
        x1, y1, x2, y2 = (float(v) for v in box)
        return page_ix, abs(x2 - x1), abs(y2 - y1)
    except Exception:
        return page_ix, *A4


def _box_for(kind: str, page_w: float, page_h: float) -> tuple[float, float, float, float]:
    if kind == SignerKind.ATTACHMENT:
        b = ATTACHMENT_BOX
        x2 = page_w - b["right"]
        y2 = page_h - b["top"]
        return (x2 - b["width"], y2 - b["height"], x2, y2)
    s = SIGNER_BOX
    sx2 = page_w - s["right"]
    sx1 = sx2 - s["width"]
    sy1 = s["bottom"]
    if kind == SignerKind.SIGNER:
        return (sx1, sy1, sx2, sy1 + s["height"])
    seal = SEAL_BOX
    x2 = sx1 - seal["gap"]
    cy = sy1 + s["height"] / 2
    return (x2 - seal["width"], cy - seal["height"] / 2, x2, cy + seal["height"] / 2)


@dataclass
class SignOptions:
    kind: str = SignerKind.SIGNER
    signer_name: str = ""  # shown in the box; the certificate's common name when empty
    agency_name: str = ""
    title: str = ""  # chức vụ, e.g. "Phó Trưởng ban"
    extra_line: str = ""  # e.g. "Số: 12/QĐ-BQL" on the seal
    reason: str = ""
    location: str = ""
    field_name: str = ""
    page: int | None = None  # default: last page for signer/seal, first for attachment
    tsa_url: str | None = None  # default: settings.MOTCUA_TSA_URL


def _appearance_lines(kind: str, opts: SignOptions, name: str, when: datetime) -> tuple[list, Color, bool]:
    time_line = f"Thời gian ký: {format_vn_time(when)}"
    if kind == SignerKind.SIGNER:
        lines = [("Ký bởi:", "regular", 8), (name, "bold", 10)]
        if opts.title:
            lines.append((opts.title, "regular", 8))
        if opts.agency_name:
            lines.append((f"Cơ quan: {opts.agency_name}", "regular", 8))
        lines.append((time_line, "regular", 8))
        return lines, BLUE, True
    lines = [(opts.agency_name or name, "bold", 9)]
    if opts.extra_line:
        lines.append((opts.extra_line, "regular", 8))
    lines.append((time_line, "regular", 7.5))
    if kind == SignerKind.SEAL:
        lines.insert(0, ("Ký số bởi cơ quan", "regular", 7.5))
    return lines, RED, True


def sign_pdf_bytes(data: bytes, *, signer, options: SignOptions | None = None) -> bytes:
    """Sign `data` (a PDF) with `signer` (see load_signer) and return the signed PDF (incremental update,
    so earlier signatures stay valid). PAdES B-B, or B-T when a TSA URL is configured."""
    opts = options or SignOptions()
    kind = opts.kind
    try:
        reader_writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except Exception as exc:
        raise SigningError(f"Tệp không phải PDF hợp lệ: {exc}")
    default_page = 0 if kind == SignerKind.ATTACHMENT else -1
    page_ix, page_w, page_h = _page_geometry(reader_writer.prev, default_page if opts.page is None else opts.page)
    box = _box_for(kind, page_w, page_h)
    name = opts.signer_name or signer_common_name(signer)
    when = _local_now()
    lines, color, border = _appearance_lines(kind, opts, name, when)
    appearance = _box_pdf(box[2] - box[0], box[3] - box[1], lines, color, border)
    field_name = opts.field_name or f"Sig_{kind}_{uuid.uuid4().hex[:8]}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=opts.reason or None,
        location=opts.location or None,
        name=name,
    )
    url = opts.tsa_url if opts.tsa_url is not None else tsa_url()
    timestamper = timestamps.HTTPTimeStamper(url) if url else None
    style = StaticStampStyle(background=_PdfBytesPage(appearance), border_width=0, background_opacity=1.0)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page_ix, box=tuple(round(v, 2) for v in box)),
    )
    out = BytesIO()
    pdf_signer.sign_pdf(reader_writer, output=out)
    return out.getvalue()


# --- verification -------------------------------------------------------------------------------


@dataclass
class SignatureResult:
    field_name: str
    signer: str
    signed_at: str | None  # ISO 8601
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    timestamped: bool = False
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def load_certificates(paths) -> list[asn1_x509.Certificate]:
    """CA certificates from PEM (one or more per file) or DER files."""
    certs = []
    for path in paths or []:
        raw = Path(path).read_bytes()
        if asn1_pem.detect(raw):
            for _, _, der in asn1_pem.unarmor(raw, multiple=True):
                certs.append(asn1_x509.Certificate.load(der))
        else:
            certs.append(asn1_x509.Certificate.load(raw))
    return certs


def default_trust_paths() -> list[str]:
    """Trust list from the setting MOTCUA_TRUST_CA_FILES (paths separated by os.pathsep or commas)."""
    value = settings.MOTCUA_TRUST_CA_FILES
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [p for p in str(value).replace(",", os.pathsep).split(os.pathsep) if p.strip()]


def verify_pdf_bytes(data: bytes, *, trust_roots: list | None = None) -> list[SignatureResult]:
    """Validate every signature embedded in the PDF. `trust_roots`: asn1crypto certificates; signatures
    chaining to none of them are reported trusted=False. Raises ValueError for a file that is not a PDF."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise ValueError(f"Không đọc được tệp PDF: {exc}")
    results = []
    for emb in embedded:
        vc = ValidationContext(trust_roots=list(trust_roots or []), allow_fetching=False, revocation_mode="soft-fail")
        field_name = emb.field_name or ""
        try:
            status = validate_pdf_signature(emb, signer_validation_context=vc)
        except Exception as exc:
            signer_name = ""
            try:
                signer_name = emb.signer_cert.subject.human_friendly
            except Exception:  # noqa: S110 - best effort for the report
                pass
            results.append(SignatureResult(field_name, signer_name, None, False, False, False, "", False, str(exc)[:300]))
            continue
        subject = status.signing_cert.subject.native
        signer_name = subject.get("common_name") or status.signing_cert.subject.human_friendly
        when = None
        ts = getattr(status, "timestamp_validity", None)
        if ts is not None and getattr(ts, "timestamp", None):
            when = ts.timestamp
        elif status.signer_reported_dt:
            when = status.signer_reported_dt
        results.append(
            SignatureResult(
                field_name=field_name,
                signer=signer_name,
                signed_at=when.isoformat() if when else None,
                intact=bool(status.intact),
                # pyHanko's `valid` only covers the signature over the signed attributes; a signature over a
                # changed document is not valid, so report both together (as pdfsig does).
                valid=bool(status.valid and status.intact),
                trusted=bool(status.trusted),
                coverage=status.coverage.name if status.coverage is not None else "",
                timestamped=ts is not None,
            )
        )
    return results


def all_intact_and_valid(results: list[SignatureResult]) -> bool:
    return bool(results) and all(r.intact and r.valid for r in results)


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]


__all__ = [
    "SignOptions",
    "SignatureResult",
    "SignerKind",
    "SigningError",
    "all_intact_and_valid",
    "default_trust_paths",
    "load_certificates",
    "load_signer",
    "sign_pdf_bytes",
    "verify_pdf_bytes",
]
