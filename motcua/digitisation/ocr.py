"""The OCR pipeline for one scanned paper, without the database: used by the background job (services.py), by
`manage.py ocr_pdf` and by the bench. Bytes in (a PDF, or JPEG/PNG/TIFF images of one or more pages), a PDF/A-2b
with a text layer out, with each page's text, Tesseract confidence and flag.

Choices (docs/digitisation.md):
- OCRmyPDF through its Python API, languages DIGITISATION_OCR_LANGUAGES (vie+eng: Vietnamese papers carry
  English words, codes and Latin abbreviations).
- Mode `skip` by default (`--skip-text`): a page that already has text (a born-digital page among scans, a page a
  previous run made searchable) keeps it and is not rasterised; `force` would rasterise every page and throw
  vector text away, and the default mode refuses the whole file as soon as one page has text. `redo` is there
  for scanners that embed their own poor (English-only) OCR.
- PDF/A-2b made by OCRmyPDF's internal backend (pikepdf writes and validates it): Debian's Ghostscript 10.0.0 is
  refused by OCRmyPDF in skip/redo mode (it corrupts PDFs with existing text), and the internal backend does
  not re-encode the page images, so the scan is kept as scanned. When it cannot confirm a file as PDF/A (a
  born-digital page among the scans), Ghostscript, then `force` (_plans).
- Legibility from the same Tesseract run (ocr_plugin.py): a page without words read at a mean confidence of at
  least DIGITISATION_MIN_CONFIDENCE is flagged — `blank` when it has almost no ink (below DIGITISATION_BLANK_INK of
  its pixels), `unreadable` otherwise (noise, a smudged or too faint scan)."""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

PDF = "application/pdf"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
PLUGIN = "motcua.digitisation.ocr_plugin"
MODES = ("skip", "redo", "force")
DEFAULT_IMAGE_DPI = 300  # an image without a resolution is taken as a 300 dpi scan (the counter scanners' setting)

# OCRmyPDF and the font subsetter of its renderer log a dozen INFO lines per file: the worker's log keeps warnings.
for _name in ("ocrmypdf", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_LOCK = threading.Lock()  # the plugin's progress hook is process-wide: one OCRmyPDF call at a time per process


class OcrError(Exception):
    """The file could not be made searchable. `permanent`: trying again will not help (encrypted, signed,
    not a PDF or image); otherwise the job is retried (a crashed or timed-out Tesseract, a full disk)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Flag:
    NONE = ""
    BLANK = "blank"
    UNREADABLE = "unreadable"


@dataclass
class PageOutcome:
    number: int
    text: str
    confidence: float | None  # mean word confidence 0..100; None when the page was not OCR'd or has no word
    words: int
    ink: float | None  # share of dark pixels; measured only on a page not read well (where it tells blank from unreadable)
    ocred: bool
    flag: str = Flag.NONE


@dataclass
class OcrOutcome:
    pdf: bytes
    pages: list[PageOutcome] = field(default_factory=list)
    method: str = ""  # the mode and PDF/A backend that made it (_plans), e.g. "skip/internal"

    @property
    def flagged(self) -> list[PageOutcome]:
        return [p for p in self.pages if p.flag]


def page_flag(
    *, ocred: bool, words: int, confidence: float | None, ink: float | None, min_confidence: float, blank_ink: float
) -> str:
    """The officer's warning for a page: blank (nearly no ink), unreadable (ink, but no word or a low confidence)."""
    if not ocred:
        return Flag.NONE  # its text was already in the file
    if words and confidence is not None and confidence >= min_confidence:
        return Flag.NONE  # read well, however little ink (two lines of text are 0.1 % of an A4 page)
    return Flag.BLANK if ink is not None and ink < blank_ink else Flag.UNREADABLE


def images_to_pdf(data: bytes) -> bytes:
    """A JPEG, PNG or (multi-page) TIFF as a PDF of its pages, losslessly (img2pdf embeds JPEGs as they are)."""
    import img2pdf
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi")
    options = {"rotation": img2pdf.Rotation.ifvalid}
    if not dpi or min(float(dpi[0]), float(dpi[1])) < 72:
        options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((DEFAULT_IMAGE_DPI, DEFAULT_IMAGE_DPI))
    try:
        return img2pdf.convert(data, **options)
    except Exception as exc:  # img2pdf raises its own and PIL's errors
        raise OcrError(_("Không chuyển được ảnh sang PDF: %(e)s") % {"e": str(exc)[:200]}, permanent=True) from None


def pdf_page_texts(path: Path) -> list[str]:
    """The text layer of every page, as a reader (and the search) sees it: poppler's pdftotext."""
    out = subprocess.run(  # noqa: S603 - fixed program, our own temporary file
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=300
    ).stdout.decode("utf-8", errors="replace")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends every page with a form feed
    return pages


def _plans(mode: str) -> list[tuple[str, str]]:
    """The ways to a PDF/A, in order. The internal backend does not re-encode the scan, but cannot confirm every
    born-digital page as PDF/A (fonts, annotations pikepdf's validator does not check): then Ghostscript, in the
    same mode — which OCRmyPDF refuses with Ghostscript 10.0.0–10.02.0 (Debian 12) in skip/redo mode — and last,
    `force`: every page rasterised and OCR'd, Ghostscript allowed. A file needing a later plan is OCR'd again."""
    plans = [(mode, "internal"), (mode, "ghostscript")]
    if mode != "force":
        plans.append(("force", "ghostscript"))
    return plans


def _page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _permanent(exc: Exception) -> bool:
    from ocrmypdf import exceptions as ex

    return isinstance(
        exc,
        (
            ex.EncryptedPdfError,
            ex.InputFileError,
            ex.UnsupportedImageFormatError,
            ex.DpiError,
            ex.BadArgsError,
            ex.PriorOcrFoundError,
        ),
    )


def run_ocr(
    data: bytes,
    *,
    content_type: str = PDF,
    mode: str | None = None,
    languages: str | None = None,
    min_confidence: float | None = None,
    blank_ink: float | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> OcrOutcome:
    """OCR `data` into a PDF/A-2b with a text layer. `progress(pages_done)` is called as pages finish.
    Raises OcrError."""
    import ocrmypdf
    from ocrmypdf import exceptions as ocr_exceptions

    from . import ocr_plugin

    mode = mode or settings.DIGITISATION_OCR_MODE
    if mode not in MODES:
        raise OcrError(f"DIGITISATION_OCR_MODE must be one of {MODES}", permanent=True)
    languages = languages or settings.DIGITISATION_OCR_LANGUAGES
    min_confidence = settings.DIGITISATION_MIN_CONFIDENCE if min_confidence is None else min_confidence
    blank_ink = settings.DIGITISATION_BLANK_INK if blank_ink is None else blank_ink
    jobs = jobs or settings.DIGITISATION_OCR_JOBS or None
    if content_type in IMAGE_TYPES:
        data = images_to_pdf(data)
    elif content_type != PDF:
        raise OcrError(_("Chỉ số hoá được tệp PDF hoặc ảnh (JPEG, PNG, TIFF)."), permanent=True)

    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
        folder = Path(tmp)
        source, target, stats = folder / "in.pdf", folder / "out.pdf", folder / "stats"
        stats.mkdir()
        source.write_bytes(data)
        method = ""
        with _LOCK:
            ocr_plugin.PROGRESS = progress
            try:
                for plan_mode, backend in _plans(mode):
                    shutil.rmtree(stats, ignore_errors=True)
                    stats.mkdir()
                    try:
                        ocrmypdf.ocr(
                            source,
                            target,
                            language=[lang for lang in languages.replace(",", "+").split("+") if lang],
                            output_type="pdfa-2",
                            pdfa_backend=backend,
                            mode=plan_mode,
                            jobs=jobs,
                            progress_bar=False,
                            plugins=[PLUGIN],
                            motcua_stats_dir=str(stats),
                            motcua_min_confidence=min_confidence,
                        )
                    except (ocr_exceptions.PdfaConversionFailedError, ocr_exceptions.MissingDependencyError) as exc:
                        last = exc  # this plan cannot make a PDF/A of this file here: the next one
                        continue
                    method = f"{plan_mode}/{backend}"
                    break
                else:
                    raise last
            except Exception as exc:
                name = type(exc).__name__
                raise OcrError(
                    _("OCR không thành công (%(name)s): %(e)s") % {"name": name, "e": str(exc)[:300]},
                    permanent=_permanent(exc),
                ) from exc
            finally:
                ocr_plugin.PROGRESS = None
        page_stats = {}
        for item in stats.glob("*.json"):
            entry = json.loads(item.read_text(encoding="utf-8"))
            page_stats[int(entry["page"])] = entry
        count = _page_count(target)
        if all(page_stats.get(n, {}).get("text") is not None for n in range(1, count + 1)):
            texts = [page_stats[n]["text"] for n in range(1, count + 1)]  # every page OCR'd: Tesseract's text
        else:
            texts = pdf_page_texts(target)  # pages that kept their own text: read the layer back
        pages = []
        for number, text in enumerate(texts, start=1):
            entry = page_stats.get(number)
            confidences = entry["confidences"] if entry else []
            confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
            ink = entry.get("ink") if entry else None
            page = PageOutcome(
                number=number, text=text.strip(), confidence=confidence, words=len(confidences), ink=ink, ocred=entry is not None
            )
            page.flag = page_flag(
                ocred=page.ocred,
                words=page.words,
                confidence=confidence,
                ink=ink,
                min_confidence=min_confidence,
                blank_ink=blank_ink,
            )
            pages.append(page)
        return OcrOutcome(pdf=target.read_bytes(), pages=pages, method=method)
